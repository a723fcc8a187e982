"""`--jobs N`: events checked in N worker processes, results in input order, memory bounded.

The main process plans the work as tasks and yields the results back in order; it must do little per event,
or it becomes the bottleneck that the workers wait on (it was, when it read every line itself: two workers
on two cores were slower than one process). So a plain JSON Lines file is cut into blocks of whole lines,
which the workers read themselves (the main process only counts lines, to number them); other inputs
(`.json`, `.gz`, standard input, Python values) are read in the main process and sent as chunks of events.
Workers send back a passing event as its source and the index of its verdict, which the main process turns
into its `EventResult`, and anything else whole.

Each worker holds its own `Checker`, inherited at fork or rebuilt from the document's path. At most a few
tasks per worker are in flight, so a huge input is never queued whole (`Pool.imap` would read its whole
input ahead).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import IO, Any, cast

from generator.checker.engine import Checker, Options
from generator.checker.result import EventResult, Summary
from generator.checker.sources import (
    Item,
    LoadError,
    Progress,
    block_lines,
    expand,
    is_plain_lines,
    read,
    read_error,
    value_item,
)

CHUNK = 1000
BLOCK_BYTES = 4 * 1024 * 1024
IN_FLIGHT_PER_WORKER = 4

_checker: Checker | None = None


@dataclass(frozen=True)
class Block:
    """Lines `start` to `end` (byte offsets, whole lines) of a JSON Lines file, numbered from `number` + 1."""

    source: str
    path: str
    start: int
    end: int
    number: int
    max_event_bytes: int


#: What a worker is given: a block of a file to read, or events read already.
Task = Block | list[Item]
#: What it gives back: the verdicts (message, also) that passing events refer to by index, and per event
#: either (source, verdict index) when it passed, or its whole result.
Done = tuple[list[tuple[str, tuple[str, ...]]], list[tuple[str, int] | EventResult]]


def _start(
    inherited: Checker | None, spec: str | None, options: Options, load_options: dict[str, Any]
) -> None:
    global _checker
    if inherited is not None:
        _checker = inherited
        return
    from generator.loader import load

    assert spec is not None
    _checker = Checker(load(spec, **load_options), options)


def _run(task: Task) -> Done:
    assert _checker is not None
    if isinstance(task, Block):
        items: Iterable[Item] = block_lines(
            task.source, task.path, task.start, task.end, task.number, task.max_event_bytes
        )
    else:
        items = task
    verdicts: dict[tuple[str, tuple[str, ...]], int] = {}
    rows: list[tuple[str, int] | EventResult] = []
    for result in _checker.check_all(items):
        source = result.source
        if result.valid and result.message is not None and not result.warnings:
            verdict = (result.message, result.also)
            index = verdicts.get(verdict)
            if index is None:
                index = verdicts[verdict] = len(verdicts)
            rows.append((source, index))
        else:
            rows.append(result)
    return list(verdicts), rows


def _results(done: Done, summary: Summary) -> Iterator[EventResult]:
    """A task's results, counted into `summary` as they are rebuilt (passes by their verdict, in place)."""
    verdicts, rows = done
    new = tuple.__new__
    add = summary.add
    tallies = [summary.messages.get(message) for message, _ in verdicts]  # None: not seen yet
    for row in rows:
        if type(row) is not tuple:  # an EventResult (a tuple too, of its own type)
            result = cast(EventResult, row)
            add(result)
            yield result
            continue
        source, index = cast(tuple[str, int], row)
        message, also = verdicts[index]
        result = new(EventResult, (source, message, True, (), (), also, None, ()))
        counts = tallies[index]
        if counts is None:
            add(result)
            tallies[index] = summary.messages[message]
        else:  # `Summary.add` of a pass, inlined
            counts.seen += 1
            counts.passed += 1
        yield result


def check_in_parallel(
    checker: Checker, tasks: Iterable[Task], workers: int, summary: Summary
) -> Iterator[EventResult]:
    """The results of `tasks`, spread over `workers` processes, in input order, counted into `summary`."""
    context: Any
    if "fork" in multiprocessing.get_all_start_methods():
        # The workers inherit the checker as it is: no reloading, and documents given as objects work.
        context = multiprocessing.get_context("fork")
        initargs: tuple[Any, ...] = (checker, None, checker.options, {})
    else:
        context = multiprocessing.get_context("spawn")
        initargs = (None, str(checker.document.path), checker.options, {})
    global _checker
    _checker = None
    with context.Pool(workers, initializer=_start, initargs=initargs) as pool:
        pending: deque[Any] = deque()
        for task in tasks:
            pending.append(pool.apply_async(_run, (task,)))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                yield from _results(pending.popleft().get(), summary)
        while pending:
            yield from _results(pending.popleft().get(), summary)


def plan(
    events: Iterable[Any],
    *,
    stdin: IO[bytes] | None,
    max_event_bytes: int,
    progress: Progress | None,
) -> Iterator[Task]:
    """The tasks for `events` (paths, and Python values numbered ``<events>[INDEX]``), in input order."""
    pending: list[Item] = []
    for index, event in enumerate(events):
        if not isinstance(event, str | os.PathLike):
            pending.append(value_item(index, event))
            continue
        for source, file in expand([event]):
            if isinstance(file, Path) and is_plain_lines(file):
                if pending:
                    yield from _chunks(pending)
                    pending = []
                yield from _blocks(source, file, max_event_bytes, progress)
            elif isinstance(file, LoadError):
                pending.append((source, file))
            else:
                for item in read([source], stdin=stdin, max_event_bytes=max_event_bytes, progress=progress):
                    pending.append(item)
                    if len(pending) >= CHUNK:
                        yield pending
                        pending = []
    yield from _chunks(pending)


def _chunks(items: list[Item]) -> Iterator[list[Item]]:
    it = iter(items)
    return iter(lambda: list(islice(it, CHUNK)), [])


def _blocks(source: str, path: Path, max_event_bytes: int, progress: Progress | None) -> Iterator[Task]:
    """`path` in blocks of about `BLOCK_BYTES`, each ending at a line's end, numbered by counting lines.

    A file of blank lines only is reported empty, as the reader does.
    """
    start = number = 0
    events = False
    try:
        handle = open(path, "rb")  # noqa: SIM115  (closed below, also when the caller stops)
    except OSError as error:
        yield [(source, LoadError(read_error(error)))]
        return
    with handle:
        while True:
            try:
                piece = handle.read(BLOCK_BYTES)
            except OSError as error:
                yield [(f"{source}:{number + 1}", LoadError(read_error(error)))]
                return
            if not piece:
                break
            cut = piece.rfind(b"\n") + 1
            events = events or not piece[: cut or None].isspace()
            if cut == 0 and len(piece) == BLOCK_BYTES:
                continue  # no line ends here: the block goes on (a long line, read by the worker)
            end = handle.tell() - len(piece) + (cut or len(piece))
            if cut:
                handle.seek(end)
            yield Block(source, str(path), start, end, number, max_event_bytes)
            if progress is not None:
                progress(end - start)
            number += piece.count(b"\n", 0, cut or None)
            start = end
    if not events:
        yield [(source, LoadError("empty: no events"))]
