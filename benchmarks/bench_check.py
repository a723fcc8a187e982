"""Throughput of `gen check`: events per second per core, against the parsing limit and a jsonschema loop.

    python benchmarks/bench_check.py [--events 200000] [--jobs N] [--document PATH] [--instructions N]

Builds a JSON Lines file of mixed events (the corpus's `yes` events of every message of the document, in
turn, with fresh ids and sequence numbers, 1% of them made invalid), then times, in this one process:

- the parsing limit: `orjson.loads` of each line, nothing else;
- the one-schema-per-run baseline (what check-jsonschema does, given the right schema for free): the events
  split by message beforehand, each message's events validated with its own `jsonschema` validator,
  collecting every error;
- `gen check` as the command runs it by default (jobs=1, text report): read, parse, recognise, validate,
  collect every error, decode inner payloads, find undeclared fields, summarise, write the report. The
  text report (and the GitHub one) shows what is wrong, so it is not handed the clean passes:
  `iter_check(passes=False)` counts them and builds no result for them. This is the figure the goal is
  measured with;
- the same with every result built and handed over (`iter_check`, as the JSON and JUnit reports and the
  Python API get them);
- `gen check` again on a file where every event carries fields the schema does not declare (what AWS adding
  a field to an event does to a contract): each is valid with drift warnings, found off the fast path;
- the `check-jsonschema` CLI itself (installed into a scratch venv when absent) on a sample, one run per
  message with that message's events as files (it reads one instance per file), as a CI job would run it;
- with `--instructions N`, the parsing limit and `gen check` again, counted in instructions by valgrind
  over the first N events: a ratio that repeats exactly, where the timed one moves with the machine (on a
  shared 2-vCPU machine, by several points run to run);
- `gen check` and the parsing limit in turns over chunks of the file (`--chunk` lines each, the order
  turned a step chunk to chunk), each chunk checked moments before or after it is parsed, by one checker
  built beforehand, its set-up timed apart: where a whole run against a whole run compares two moments of
  a busy machine, each pair here shares one, so the ratio moves less. Measured in a fresh process of its
  own, as `gen check` runs (`in_turns`). `gen check --no-decode` takes its turn too: inner payloads
  (CloudWatch Logs' gzipped data, alarms' `reasonData`, Kinesis' base64) are work the parsing limit never
  does, and the difference says what they cost.

Prints events per second of CPU time (per core; steady when other work shares the machine), the parsing limit
and `gen check` as the best of `--repeat` alternated runs, and the ratios. With `--jobs N`, the wall clock of
`--jobs 1` and `--jobs N`, also the best of `--repeat` alternated runs.
Goal: `gen check` at >= 50% of the parsing limit.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import time
import uuid
import venv
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
from _anchor import BUNDLED, REPO, SCRATCH

sys.path.insert(0, str(REPO))

import generator
from generator.checker import Summary, iter_check
from generator.checker.engine import Checker, Options
from generator.checker.reporters import TextReporter
from generator.checker.sources import read

EVENTS = REPO.parent / "shared" / "events"


def templates(document: Any) -> dict[str, list[Any]]:
    """The corpus's `yes` events, and the document's examples, that pass as their message, by message."""
    names = {m.name for m in document.event_messages()}
    candidates: list[tuple[str, Any]] = []
    with (EVENTS / "INDEX.tsv").open(newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["valid"] == "yes" and row["message type"] in names:
                candidates.append((row["message type"], json.loads((EVENTS / row["file"]).read_text())))
    for name in sorted(names):
        candidates += [(name, e.payload) for e in document.messages[name].examples if e.has_payload]
    found: dict[str, list[Any]] = defaultdict(list)
    for name, event in candidates:
        result = generator.check(document, [event])
        if result.ok and result.events[0].message == name:
            found[name].append(event)
    return dict(sorted(found.items()))


def broken(event: Any) -> Any:
    """A copy of `event` with its deepest first string turned into a number (a type violation)."""
    copy = json.loads(json.dumps(event))
    node = copy
    while True:
        items = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        nested = [(k, v) for k, v in items if isinstance(v, dict | list) and v]
        if not nested:
            for key, value in items:
                if isinstance(value, str):
                    node[key] = 12345
                    return copy
            return {"not": "an event"}
        node = nested[0][1]


_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_DIGITS = re.compile(r"^[0-9]{6,}$")


def fresh(value: Any, rng: random.Random) -> Any:
    """`value` with new ids and numbers where the recorded ones are: UUIDs, long digit strings (sequence
    numbers, timestamps), so that no two lines of the file are alike (nothing can be cached by line)."""
    if isinstance(value, dict):
        return {key: fresh(member, rng) for key, member in value.items()}
    if isinstance(value, list):
        return [fresh(item, rng) for item in value]
    if isinstance(value, str):
        if _UUID.match(value):
            return str(uuid.UUID(int=rng.getrandbits(128), version=4))
        if _DIGITS.match(value):
            return str(rng.randrange(10 ** (len(value) - 1), 10 ** len(value)))
    return value


def build(path: Path, by_message: dict[str, list[Any]], count: int) -> dict[str, list[bytes]]:
    """Write `count` events round-robin over the messages (1% invalid); return the lines by message."""
    rng = random.Random(7)
    lines_by_message: dict[str, list[bytes]] = defaultdict(list)
    names = list(by_message)
    with path.open("wb") as out:
        for index in range(count):
            name = names[index % len(names)]
            event = fresh(rng.choice(by_message[name]), rng)
            if rng.random() < 0.01:
                event = broken(event)
            line = orjson.dumps(event)
            out.write(line + b"\n")
            lines_by_message[name].append(line)
    return lines_by_message


def drifted(path: Path, source: Path, count: int) -> None:
    """The first `count` lines of `source` with an undeclared member added to each event and to its first
    record, as when AWS adds a field to an event."""
    with source.open("rb") as lines, path.open("wb") as out:
        for _, line in zip(range(count), lines, strict=False):
            event = orjson.loads(line)
            if isinstance(event, dict):
                event["addedByAws"] = {"since": "2026-11"}
                records = event.get("Records")
                if isinstance(records, list) and records and isinstance(records[0], dict):
                    records[0]["newField"] = "x"
            out.write(orjson.dumps(event) + b"\n")


def check_jsonschema() -> Path:
    """The `check-jsonschema` command, from a scratch virtual environment created when absent."""
    folder = SCRATCH / "check-jsonschema"
    binary = folder / "bin" / "check-jsonschema"
    if not binary.exists():
        print(f"installing check-jsonschema into {folder} ...", file=sys.stderr)
        venv.create(folder, with_pip=True)
        subprocess.run([folder / "bin" / "pip", "install", "-q", "check-jsonschema"], check=True)
    return binary


def check_jsonschema_rate(document: Any, lines: dict[str, list[bytes]], sample: int) -> float:
    """Events per second of the check-jsonschema CLI over `sample` events, one run per message."""
    binary = check_jsonschema()
    work = SCRATCH / "check" / "check-jsonschema"
    shutil.rmtree(work, ignore_errors=True)
    runs: list[list[str]] = []
    per_message = max(1, sample // len(lines))
    for name, message_lines in lines.items():
        folder = work / name
        folder.mkdir(parents=True)
        payload = document.messages[name].payload
        schema = folder / "schema.json"
        schema.write_bytes(orjson.dumps(payload.as_json_schema()))
        files = []
        for index, line in enumerate(message_lines[:per_message]):
            instance = folder / f"{index}.json"
            instance.write_bytes(line)
            files.append(str(instance))
        runs.append([str(binary), "--disable-formats", "*", "--schemafile", str(schema), *files])
    count = sum(len(run) - 5 for run in runs)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    for run in runs:
        subprocess.run(run, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    rate = count / cpu
    label = "check-jsonschema CLI, one run per message (sample)"
    print(f"{label:<52} {cpu:>7.2f}s cpu {wall:>7.2f}s wall {rate:>10,.0f} events/s per core")
    return rate


def instruction_ratio(path: Path, document: Path, count: int, messages: int) -> None:
    """Instructions per event of the parsing limit and of `gen check`, counted by valgrind (cachegrind),
    and their ratio. Unlike seconds, counts repeat exactly whatever else the machine does, so this ratio
    tracks the code alone (it leaves out what the CPU's caches add, which the timed ratio includes).

    Each is counted over the first `count` events and over the first `messages` (one of each message), and
    the difference divided by the events between: start-up and set-up (compiling the checks) fall out.
    """
    if shutil.which("valgrind") is None:
        print("instructions: valgrind is not installed (apt install valgrind)")
        return
    folder = path.parent
    with path.open("rb") as source:
        head = [line for _, line in zip(range(count), source, strict=False)]
    sample, few = folder / "instructions-sample.jsonl", folder / "instructions-few.jsonl"
    sample.write_bytes(b"".join(head))
    few.write_bytes(b"".join(head[:messages]))
    per_event: dict[str, float] = {}
    for mode in ("parse", "check"):
        counted = [_instructions(mode, file, document) for file in (sample, few)]
        per_event[mode] = (counted[0] - counted[1]) / (len(head) - messages)
        label = "parsing limit" if mode == "parse" else "gen check (text report)"
        print(f"instructions per event, {label:<26} {per_event[mode]:>10,.0f}")
    print(f"gen check / parsing limit, by instructions: {per_event['parse'] / per_event['check']:6.1%}")


def _instructions(mode: str, events: Path, document: Path) -> int:
    """The instructions a fresh run of this script in `mode` (`--counted`: the parsing limit's loop, or
    `gen check`'s path as `main` times it) runs over `events` (valgrind's count: exact, repeatable)."""
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    command += [sys.executable, __file__, "--counted", mode, str(events), "--document", str(document)]
    environment = {**os.environ, "PYTHONHASHSEED": "0"}  # the same dict layouts, run to run
    done = subprocess.run(command, capture_output=True, text=True, env=environment, check=True)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise RuntimeError(f"no instruction count in valgrind's output: {done.stderr[-500:]}")
    return int(found.group(1).replace(",", ""))


def parse_lines(path: Path) -> None:
    """The parsing limit: each line of `path` parsed by `orjson.loads`, nothing else. Read with gen check's
    buffer, so that the limit is not lowered by a smaller one."""
    with path.open("rb", buffering=256 * 1024) as handle:
        for line in handle:
            orjson.loads(line)


def check_file(document: Any, path: Path, label: str, jobs: int = 1) -> Summary:
    """What `gen check SPEC EVENTS` does once the document is loaded (`generator.cli.check`): the text
    report, to /dev/null."""
    summary = Summary()
    with open(os.devnull, "w") as out:
        reporter = TextReporter(out, document=label)
        for result in iter_check(document, [path], summary=summary, jobs=jobs, passes=False):
            reporter.event(result)
        reporter.finish(summary)
    return summary


def paired(document: Any, path: Path, label: str, chunk: int, messages: int) -> None:
    """`gen check` against the parsing limit, in turns over chunks of `path` (see the module's docstring):
    the per-event ratio (set-up left out), the median of the chunks' ratios, and the whole run's, with the
    set-up (a checker built and each message's checks compiled, as `gen check` does once) added back; and
    the per-event ratio of `gen check --no-decode`, which takes its turn with them."""
    folder = path.parent / "chunks"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    chunks: list[Path] = []
    first = folder / "first.jsonl"
    with path.open("rb") as source:  # a chunk at a time: the file's lines are not held while timing
        while lines := list(itertools.islice(source, chunk)):
            chunks.append(folder / f"{len(chunks):05d}.jsonl")
            chunks[-1].write_bytes(b"".join(lines))
            if len(chunks) == 1:  # the file is written round-robin: two lines of each message
                first.write_bytes(b"".join(lines[: 2 * messages]))
    del lines
    setup = float("inf")
    for _ in range(3):
        start = time.process_time()
        for _ in iter_check(document, [first], summary=Summary(), passes=False):
            pass
        setup = min(setup, time.process_time() - start)
    checked = [_checking(document, label, Options()), _checking(document, label, Options(decode=False))]
    for check in checked:
        check(chunks[0])  # warm: the checks compiled, the starts of lines learned
    contestants = [*checked, parse_lines]
    times: list[list[float]] = [[] for _ in contestants]
    for index, part in enumerate(chunks):
        # each in turn, the order turned a step each chunk: none is always first (or last) after another
        turned = index % len(contestants)
        for place in [*range(turned, len(contestants)), *range(turned)]:
            start = time.process_time()
            contestants[place](part)
            times[place].append(time.process_time() - start)
    ours, inner_left, limit = times
    ratios = sorted(p / g for p, g in zip(limit, ours, strict=True))
    print(
        f"gen check / parsing limit, {len(chunks)} chunks in turns: {sum(limit) / sum(ours):6.1%} per event"
        f" (median chunk {ratios[len(ratios) // 2]:.1%}); set-up {setup * 1000:.0f} ms, whole run"
        f" {sum(limit) / (sum(ours) + setup):.1%}"
    )
    print(
        f"  the same with --no-decode (inner payloads not decoded, which the parsing limit never does):"
        f" {sum(limit) / sum(inner_left):6.1%} per event"
    )


def _checking(document: Any, label: str, options: Options) -> Callable[[Path], None]:
    """`gen check` of a chunk with `options`, by one checker (and summary) for every chunk, as `paired`
    times it: lines read and checked, the text report written to /dev/null."""
    checker, summary = Checker(document, options), Summary()

    def check(part: Path) -> None:
        with open(os.devnull, "w") as out:
            reporter = TextReporter(out, document=label)
            for result in checker.check_all(read([part], take=checker.taker(summary)), summary, passes=False):
                reporter.event(result)

    return check


def in_turns(path: Path, document: Path, chunk: int) -> None:
    """`paired` in a fresh process, as `gen check` runs: in this one, by then, the other measurements have
    left their memory behind (the file's lines, held; what the jsonschema loop and a dozen runs freed),
    and gen check measured lower there (47.7% and 48.7% in two runs, against 47.3-51.9% in fresh
    processes, the same code and file)."""
    command = [sys.executable, __file__, "--turns-only", str(path), "--document", str(document)]
    subprocess.run([*command, "--chunk", str(chunk), "--events", "0", "--sample", "0"], check=True)


def timed(label: str, count: int, work: Any, repeat: int = 1) -> float:
    """Events per second of CPU time in this process (per core, and steady on a busy machine): the best of
    `repeat` runs, as the least disturbed one."""
    best_cpu, best_wall = float("inf"), float("inf")
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    rate = count / best_cpu
    print(f"{label:<52} {best_cpu:>7.2f}s cpu {best_wall:>7.2f}s wall {rate:>10,.0f} events/s per core")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--jobs", type=int, default=0, help="also time gen check with N processes")
    parser.add_argument("--document", type=Path, default=BUNDLED)
    parser.add_argument("--sample", type=int, default=12_000, help="events given to the check-jsonschema CLI")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of the parsing limit and gen check (best)"
    )
    parser.add_argument("--chunk", type=int, default=2000, help="lines a chunk, for the ratio in turns")
    parser.add_argument("--turns-only", type=Path, help=argparse.SUPPRESS)  # `in_turns`'s fresh process
    parser.add_argument("--counted", nargs=2, help=argparse.SUPPRESS)  # MODE FILE: `_instructions`'s run
    parser.add_argument(
        "--instructions",
        type=int,
        default=0,
        metavar="N",
        help="also count instructions (valgrind) of both over the first N events: a ratio noise leaves alone",
    )
    args = parser.parse_args()
    if args.counted and args.counted[0] == "parse":
        parse_lines(Path(args.counted[1]))
        return
    document = generator.load(args.document)
    if args.counted:
        check_file(document, Path(args.counted[1]), str(args.document))
        return
    if args.turns_only:
        paired(document, args.turns_only, str(args.document), args.chunk, len(templates(document)))
        return
    by_message = templates(document)
    folder = SCRATCH / "check"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "events.jsonl"
    lines = build(path, by_message, args.events)
    size = path.stat().st_size
    print(
        f"{args.events:,} events of {len(by_message)} messages ({', '.join(by_message)}), {size / 1e6:.0f} MB"
    )

    def jsonschema_loop() -> None:
        from jsonschema import Draft7Validator

        for name, message_lines in lines.items():
            payload = document.messages[name].payload
            assert payload is not None
            validator = Draft7Validator(payload.as_json_schema())
            for line in message_lines:
                list(validator.iter_errors(orjson.loads(line)))

    summary = Summary()

    def gen_check(jobs: int = 1) -> None:
        nonlocal summary
        summary = check_file(document, path, str(args.document), jobs)

    def every_result() -> None:
        for _ in iter_check(document, [path]):
            pass

    loop = timed("jsonschema, one schema per message, pre-split", args.events, jsonschema_loop)
    # the two the goal compares, alternated: a busy moment of the machine does not land on one only
    limit, ours, whole = 0.0, 0.0, 0.0
    for _ in range(args.repeat):
        parsed = timed("parsing limit (orjson.loads per line)", args.events, lambda: parse_lines(path))
        limit = max(limit, parsed)
        ours = max(ours, timed("gen check (jobs=1, text report)", args.events, gen_check))
        whole = max(whole, timed("gen check, every result built (iter_check)", args.events, every_result))
    print(f"failed events found: {summary.failed:,} (expected about 1%)")
    print(f"gen check / parsing limit:   {ours / limit:6.1%}   (goal >= 50%)")
    print(f"every result / parsing limit: {whole / limit:5.1%}")
    print(f"gen check / jsonschema loop: {ours / loop:6.1f}x")
    in_turns(path, args.document, args.chunk)
    if args.instructions:
        instruction_ratio(path, args.document, args.instructions, len(by_message))
    drift_count = min(args.events, 24_000)
    drift_path = folder / "drifted.jsonl"
    drifted(drift_path, path, drift_count)

    def gen_check_drifted() -> None:
        for _ in iter_check(document, [drift_path]):
            pass

    drift = timed(
        "gen check, every event with undeclared fields", drift_count, gen_check_drifted, args.repeat
    )
    print(f"gen check with drift / parsing limit: {drift / limit:6.1%}")
    if args.sample:
        anchor = check_jsonschema_rate(document, lines, args.sample)
        print(f"gen check / check-jsonschema CLI: {ours / anchor:6.1f}x")
    if args.jobs > 1:
        best: dict[int, tuple[float, float, float]] = {}
        for _ in range(args.repeat):  # wall clock, what --jobs is for: alternated, the best of each
            for jobs in (1, args.jobs):
                start, cpu = time.perf_counter(), time.process_time()
                children = resource.getrusage(resource.RUSAGE_CHILDREN)
                gen_check(jobs)
                wall, cpu = time.perf_counter() - start, time.process_time() - cpu
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                workers = (after.ru_utime - children.ru_utime) + (after.ru_stime - children.ru_stime)
                if jobs not in best or wall < best[jobs][0]:
                    best[jobs] = (wall, cpu, workers)
        for jobs, (wall, cpu, workers) in best.items():
            print(
                f"gen check --jobs {jobs}: {wall:.2f}s wall on {os.cpu_count()} cores"
                f" ({cpu:.2f}s cpu in the main process, {workers:.2f}s in workers)"
            )
        print(f"gen check --jobs {args.jobs} / --jobs 1: {best[1][0] / best[args.jobs][0]:.2f}x (wall clock)")


if __name__ == "__main__":
    main()
