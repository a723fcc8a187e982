"""Readers: formats, folders, standard input, and bad input reported at its source without stopping."""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import tracemalloc
from pathlib import Path
from typing import Any, cast

import msgspec
import orjson
import pytest

import generator
from generator.checker import EventResult
from generator.checker.sources import LoadError, Parsed, read

FIXTURES = Path(__file__).parent / "fixtures" / "check"
MINI = FIXTURES / "mini-lambda.yaml"
S3 = json.loads((FIXTURES / "events" / "positive" / "s3-put.json").read_text())
LINE = json.dumps(S3).encode()


def _summary(items: list[tuple[str, object]]) -> list[tuple[str, str]]:
    """(source, what) per item: 'raw', 'parsed' or the load error's message."""
    out = []
    for source, payload in items:
        if isinstance(payload, LoadError):
            out.append((source, payload.message))
        else:
            out.append((source, "parsed" if isinstance(payload, Parsed) else "raw"))
    return out


def test_formats_and_sources(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_bytes(LINE)
    (tmp_path / "many.json").write_bytes(b"[" + LINE + b"," + LINE + b"]")
    (tmp_path / "lines.jsonl").write_bytes(LINE + b"\n\n  \n" + LINE + b"\n")
    (tmp_path / "lines.ndjson.gz").write_bytes(gzip.compress(LINE + b"\n" + LINE))
    (tmp_path / "one.json.gz").write_bytes(gzip.compress(LINE))
    got = _summary(list(read([tmp_path / name for name in sorted(os.listdir(tmp_path))])))
    d = str(tmp_path)
    assert got == [
        (f"{d}/lines.jsonl:1", "raw"),
        (f"{d}/lines.jsonl:4", "raw"),  # blank lines are skipped, and still counted
        (f"{d}/lines.ndjson.gz:1", "raw"),
        (f"{d}/lines.ndjson.gz:2", "raw"),
        (f"{d}/many.json[0]", "raw"),  # an array's events as their texts too
        (f"{d}/many.json[1]", "raw"),
        (f"{d}/one.json", "raw"),  # one event: its text, for the typed path, as a line's
        (f"{d}/one.json.gz", "raw"),
    ]


def test_folders_are_searched_recursively_in_order(tmp_path: Path) -> None:
    for name in (
        "b/2.jsonl",
        "b/1.json",
        "a.json",
        ".hidden/x.json",
        "b/.x.json",
        "notes.txt",
        "c/d/e.json.gz",
    ):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(LINE) if name.endswith(".gz") else LINE)
    sources = [source for source, _ in read([tmp_path])]
    assert sources == [f"{tmp_path}/{n}" for n in ("a.json", "b/1.json", "b/2.jsonl:1", "c/d/e.json.gz")]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (LINE + b"\n" + LINE + b"\n", [("-:1", "raw"), ("-:2", "raw")]),
        (json.dumps(S3, indent=2).encode(), [("-", "raw")]),
        (b"[" + LINE + b"]", [("-[0]", "raw")]),
        # events that are arrays, one a line (as `gen samples` writes them): a whole array with more
        # after it cannot be one document; one line alone is a list of events, as in a .json file
        (b"[1, 2]\n[3]\n", [("-:1", "raw"), ("-:2", "raw")]),
        (gzip.compress(b"[1, 2]\n[3]\n"), [("-:1", "raw"), ("-:2", "raw")]),
        (b"[1, 2]\n", [("-[0]", "raw"), ("-[1]", "raw")]),
        (b"[1,\n 2]\n", [("-[0]", "raw"), ("-[1]", "raw")]),
        (gzip.compress(LINE + b"\n" + LINE), [("-:1", "raw"), ("-:2", "raw")]),
        (b"", [("-", "empty: no events")]),
    ],
)
def test_standard_input_is_sniffed(data: bytes, expected: list[tuple[str, str]]) -> None:
    assert _summary(list(read(["-"], stdin=io.BufferedReader(io.BytesIO(data))))) == expected


def test_an_unknown_suffix_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "capture.log"
    path.write_bytes(LINE + b"\n" + LINE + b"\n")
    assert _summary(list(read([path]))) == [(f"{path}:1", "raw"), (f"{path}:2", "raw")]


def test_bad_input_is_reported_at_its_source_and_reading_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-empty.jsonl").write_bytes(b"\n\n")
    (folder / "b-empty-array.json").write_bytes(b"[]")
    lines = (json.dumps({"n": i, "noise": os.urandom(64).hex()}).encode() + b"\n" for i in range(2000))
    compressed = gzip.compress(b"".join(lines))  # incompressible: the cut falls well after the first lines
    (folder / "c-cut.jsonl.gz").write_bytes(compressed[: len(compressed) // 2])
    (folder / "d-not-gzip.json.gz").write_bytes(b"plain")
    (folder / "e-dangling.json").symlink_to(tmp_path / "missing.json")
    os.mkfifo(folder / "f-fifo.json")
    (folder / "g-bom.json").write_bytes(b"\xef\xbb\xbf" + LINE)
    (folder / "h-ok.jsonl").write_bytes(LINE + b"\n")
    got = _summary(list(read([folder])))
    d = str(folder)
    cut = [item for item in got if item[0].startswith(f"{d}/c-cut")]
    assert all(what == "raw" for _, what in cut[:-1]) and len(cut) > 2
    assert cut[-1][1] == "corrupt gzip data: the compressed stream ends early (truncated?)"
    assert [item for item in got if not item[0].startswith(f"{d}/c-cut")] == [
        (f"{d}/a-empty.jsonl", "empty: no events"),
        (f"{d}/b-empty-array.json", "empty: the array holds no events"),
        (f"{d}/d-not-gzip.json.gz", "corrupt gzip data: Not a gzipped file (b'pl')"),
        (f"{d}/e-dangling.json", "cannot read: No such file or directory"),
        (f"{d}/f-fifo.json", "not a regular file"),
        (f"{d}/g-bom.json", "raw"),
        (f"{d}/h-ok.jsonl:1", "raw"),
    ]


def test_overlong_lines_are_skipped_without_reading_them_whole(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    with path.open("wb") as out:
        out.write(LINE + b"\n")
        out.write(b'{"padding": "' + b"x" * (100 * 1024 * 1024) + b'"}\n')  # a 100 MB single line
        out.write(LINE + b"\n")
    tracemalloc.start()
    try:
        result = generator.check(MINI, [path])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [(e.source, e.valid) for e in result.events] == [
        (f"{path}:1", True),
        (f"{path}:2", False),
        (f"{path}:3", True),
    ]
    assert result.events[1].errors[0].message == f"event is larger than the limit of {16 * 1024 * 1024} bytes"
    assert peak < 40 * 1024 * 1024, peak  # the line is never held whole: the limit, plus a chunk


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"Records": [', "invalid JSON: unexpected end of data at line 1, column 14 (truncated?)"),
        (b'{"a": "caf\xe9"}', "not valid UTF-8: byte 0xe9 at line 1 (offset 10)"),
        (b'{"a": 1} {"b": 2}', "invalid JSON: unexpected content after document at line 1, column 10"),
        (b"NaN", "invalid JSON: unexpected character, expected a JSON value at line 1, column 1"),
        # a JSON Lines file named .json: the name is what is wrong
        (
            b'{"a": 1}\n{"b": 2}\n',
            "invalid JSON: unexpected content after document at line 2, column 1"
            " (JSON values one a line are JSON Lines: name the file .jsonl)",
        ),
        # what `print(event)` logs in a handler
        (
            b"{'Records': []}",
            "invalid JSON: unexpected character, expected a string key at line 1, column 2"
            " (a Python dict, as print(event) writes it? record events with json.dumps(event))",
        ),
        # what Windows PowerShell's `>` writes; without the mark too, and UTF-32
        ('{"a": 1}'.encode("utf-16"), "not UTF-8 but UTF-16 text: save the events as UTF-8"),
        ('{"a": 1}'.encode("utf-16-be"), "not UTF-8 but UTF-16 text: save the events as UTF-8"),
        ('{"a": 1}'.encode("utf-32-le"), "not UTF-8 but UTF-32 text: save the events as UTF-8"),
        # a zero byte later on is not taken for wide text
        (b'{"a": "\x00"}', "invalid JSON: unexpected control character in string at line 1, column 8"),
    ],
)
def test_json_errors_say_what_and_where(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(data)
    (event,) = generator.check(MINI, [path]).events
    assert (event.valid, event.errors[0].keyword, event.errors[0].message) == (False, "unreadable", message)


def test_small_event_limit_applies_to_json_files_too(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_bytes(LINE)
    (event,) = generator.check(MINI, [path], max_event_bytes=100).events
    assert event.errors[0].message == "event is larger than the limit of 100 bytes"


@pytest.mark.parametrize(
    ("data", "limit", "expected"),
    [
        (b"\xef\xbb\xbf" + LINE + b"\n" + LINE, None, [("1", True), ("2", True)]),  # the mark is dropped
        (b"\xef\xbb\xbf", None, [("", "empty: no events")]),  # a mark alone holds no event
        (b"\xef\xbb\xbf\n\n", None, [("", "empty: no events")]),
        # measured as read, mark included: a first line over the limit with it is refused, not cut short
        (b"\xef\xbb\xbf" + LINE + b"\n" + LINE, len(LINE), [("1", "too large"), ("2", True)]),
    ],
)
def test_a_byte_order_mark_starts_json_lines(
    tmp_path: Path, data: bytes, limit: int | None, expected: list[object]
) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(data)
    result = generator.check(MINI, [path], max_event_bytes=limit or 1024 * 1024)

    def outcome(event: EventResult) -> object:
        if event.valid:
            return True
        message = event.errors[0].message
        return "too large" if "larger than the limit" in message else message

    got = [(e.source.removeprefix(f"{path}").removeprefix(":"), outcome(e)) for e in result.events]
    assert got == expected


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
def test_a_pipe_named_on_the_command_line_is_read_as_a_stream(tmp_path: Path, compressed: bool) -> None:
    """`gen check spec <(zcat events.jsonl.gz)`: the shell names a pipe (`/dev/fd/63`), read as standard
    input is (gzip told by its first bytes); one found in a folder is still refused (the bad-input test)."""
    import threading

    pipe = tmp_path / "fd63"
    os.mkfifo(pipe)
    data = LINE + b"\n" + LINE + b"\n"
    content = gzip.compress(data) if compressed else data
    writer = threading.Thread(target=pipe.write_bytes, args=(content,), daemon=True)
    writer.start()
    try:
        got = _summary(list(read([pipe])))
    finally:
        writer.join(timeout=10)
    assert got == [(f"{pipe}:1", "raw"), (f"{pipe}:2", "raw")]


def test_a_file_of_an_unknown_kind_is_decompressed_when_it_is_gzip(tmp_path: Path) -> None:
    path = tmp_path / "capture.log"
    path.write_bytes(gzip.compress(LINE + b"\n" + LINE + b"\n"))
    assert _summary(list(read([path]))) == [(f"{path}:1", "raw"), (f"{path}:2", "raw")]


def test_a_json_file_is_read_in_one_call_of_its_size_and_whole_if_it_grew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `.json` file is read with one call the size of the file (a read of the 512 MB limit allocates it:
    a folder of small files took 20 µs a file more), and read to its end when it changed since it was looked
    at."""
    from generator.checker import sources

    small, grown, huge = tmp_path / "small.json", tmp_path / "grown.json", tmp_path / "huge.json"
    shrunk = tmp_path / "shrunk.json"
    for path in (small, grown, shrunk):
        path.write_bytes(LINE)
    huge.write_bytes(b"[" + b",".join([LINE] * 3) + b"]")
    reads: list[int] = []
    real_open, real_stat = open, Path.stat

    class Counted(io.FileIO):
        def read(self, size: int = -1) -> bytes:
            reads.append(size)
            return super().read(size)

    def opened(path: Any, mode: str = "r", buffering: int = -1, **options: Any) -> Any:
        return Counted(path, "rb") if buffering == 0 else real_open(path, mode, buffering, **options)

    def looked_at(path: Path, **options: Any) -> os.stat_result:
        found = real_stat(path, **options)
        sizes = {"grown.json": 10, "shrunk.json": 10_000}  # as they were when looked at
        if path.name not in sizes:
            return found
        return os.stat_result((found.st_mode, *found[1:6], sizes[path.name], *found[7:]))

    monkeypatch.setattr("builtins.open", opened)
    monkeypatch.setattr(Path, "stat", looked_at)
    assert _summary(list(read([small]))) == [(str(small), "raw")]
    assert reads == [len(LINE) + 1]
    reads.clear()
    ((source, event),) = list(read([grown]))
    assert (source, event) == (str(grown), LINE)  # the whole file, not its first 11 bytes
    assert reads[0] == 11
    assert list(read([shrunk])) == [(str(shrunk), LINE)]  # smaller than it was: read to its end
    monkeypatch.setattr(sources, "WHOLE_DOCUMENT_BYTES", len(LINE) * 2)
    reads.clear()
    assert _summary(list(read([huge]))) == [(f"{huge}[{i}]", "raw") for i in range(3)]  # streamed
    assert reads == []  # not read whole in one call


def test_a_document_too_large_to_read_whole_has_its_array_streamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past `WHOLE_DOCUMENT_BYTES`, an array's events are cut one at a time (`array_stream`, msgspec), from a
    file, a gzip file or standard input alike, each handed over as the text it was written as: the same
    items an array read whole gives, read a few bytes at a time (events across blocks). What is wrong
    inside an event is its own; a fault of the array stops it where it is reached. An object so large is
    one event over the limit, unless the limit allows it."""
    from generator.checker import array_stream, sources

    events: list[Any] = [S3, {"n": 2**70, "s": '\u00e9\n"', "f": [1e-7, -0.0]}, [[1]], S3]
    text = b"\xef\xbb\xbf \n" + json.dumps(events, indent=1).encode() + b"\n"
    bad = json.dumps(events).encode().replace(b'"\\u00e9', b'"\xff', 1)  # not UTF-8: that event alone
    path, packed, broken = tmp_path / "big.json", tmp_path / "big.json.gz", tmp_path / "broken.json"
    path.write_bytes(text)
    packed.write_bytes(gzip.compress(text))
    broken.write_bytes(bad)
    whole = [event for _, event in read([path])]
    unbroken = [event for _, event in read([broken])]
    monkeypatch.setattr(sources, "WHOLE_DOCUMENT_BYTES", len(LINE) * 2)
    monkeypatch.setattr(array_stream, "_BLOCK", 7)
    for source, items in (
        (str(path), list(read([path]))),
        (str(packed), list(read([packed]))),
        ("-", list(read(["-"], stdin=io.BufferedReader(io.BytesIO(text))))),
    ):
        assert [s for s, _ in items] == [f"{source}[{i}]" for i in range(4)]
        assert [event for _, event in items] == whole
    assert [event for _, event in read([broken])] == unbroken
    assert [orjson.loads(cast(bytes, event)) for event in whole] == [
        *events[:1],
        {**events[1], "n": 2**70 * 1.0},
        *events[2:],
    ]
    three = b"[" + b",".join([LINE] * 3)  # past the size read whole
    faults = {
        three + b"," + LINE[:-9]: (4, "[3]", "invalid JSON: the array ends early (truncated?)"),
        three + b"] x": (4, "", "invalid JSON: content after the array"),
        three + b",]": (4, "[3]", "invalid JSON: invalid character"),
        three + b' {"a": 1}]': (4, "[3]", "invalid JSON: expected ',' or ']' after an event, got '{'"),
        three + b',{"a" 1}]': (4, "[3]", "invalid JSON: expected ':'"),
        three: (4, "[3]", "invalid JSON: the array ends early (truncated?)"),
        b"[" + b" " * 3 * len(LINE) + b"]": (1, "", "empty: the array holds no events"),
    }
    for data, (count, where, message) in faults.items():
        items = _summary(list(read(["-"], stdin=io.BufferedReader(io.BytesIO(data)))))
        assert (len(items), items[-1]) == (count, (f"-{where}", message)), data[-20:]
    one = tmp_path / "one.json"
    one.write_bytes(json.dumps({"Records": [S3["Records"][0]] * 3}).encode())
    limit = 2 * len(LINE)  # an event may be larger than the document read whole: read whole still
    assert _summary(list(read([one], max_event_bytes=limit))) == [
        (str(one), f"event is larger than the limit of {limit} bytes")
    ]
    assert _summary(list(read([one], max_event_bytes=10 * len(LINE)))) == [(str(one), "raw")]
    text_only = tmp_path / "text.json"
    text_only.write_bytes(json.dumps("x" * 3 * len(LINE)).encode())
    assert _summary(list(read([text_only])))[0][1].endswith("bytes and not an array of events")


def test_an_array_s_events_are_checked_alone_and_its_own_syntax_as_a_whole(tmp_path: Path) -> None:
    """An array's elements are cut by msgspec and checked as texts, as lines are: one that is not JSON is
    said to be so at its index and the others are checked; a fault of the array itself fails the file."""
    path = tmp_path / "batch.json"
    path.write_bytes(b"[\n  " + LINE + b",\n  1e999,\n  " + LINE + b"\n]\n")
    result = generator.check(MINI, [path])
    assert [(e.source.removeprefix(str(path)), e.valid) for e in result.events] == [
        ("[0]", True),
        ("[1]", False),
        ("[2]", True),
    ]
    assert result.events[1].errors[0].message.startswith("invalid JSON: number is infinity")
    path.write_bytes(b"[" + LINE + b",]")
    (event,) = generator.check(MINI, [path]).events
    assert (event.source, event.errors[0].message) == (
        str(path),
        f"invalid JSON: trailing comma is not allowed at line 1, column {len(LINE) + 2}",
    )


def _nested(levels: int) -> bytes:
    """An S3 event whose object size is an object nested `levels` deep."""
    event = json.loads(LINE)
    event["Records"][0]["s3"]["object"]["size"] = "{nested}"
    before, after = json.dumps(event).encode().split(b'"{nested}"')
    return before + b'{"a": ' * levels + b"1" + b"}" * levels + after


@pytest.mark.parametrize("pinned", [None, "S3Event"])
def test_an_event_nested_too_deeply_to_validate_is_reported_and_the_run_goes_on(
    tmp_path: Path, pinned: str | None
) -> None:
    """jsonschema-rs shows values in errors 255 levels deep at most (deeper, it raises ValueError), the JSON
    parsers read 1,024: an event between that fails there was a crash of the whole run."""
    lines = tmp_path / "events.jsonl"
    nested = [_nested(levels) for levels in (200, 300, 900, 2000)]
    lines.write_bytes(b"\n".join([LINE, *nested, LINE]) + b"\n")
    result = generator.check(MINI, [lines], message=pinned)
    got = [
        (e.source.rsplit(":", 1)[1], e.valid, e.errors[0].message if e.errors else "") for e in result.events
    ]
    too_deep = "fails at a value nested more than 255 levels deep, too deep to report"
    assert got[0] == ("1", True, "") and got[5] == ("6", True, "")
    assert got[1][:2] == ("2", False) and got[1][2].startswith('expected integer, got object {"a":{"a":')
    assert got[2:4] == [("3", False, too_deep), ("4", False, too_deep)]
    assert got[4][:2] == ("5", False) and got[4][2].startswith("invalid JSON: depth limit exceeded")
    assert result.summary.unreadable == 3


def test_an_array_nested_past_msgspec_s_depth_is_unreadable_not_a_crash(tmp_path: Path) -> None:
    # msgspec's depth limit is the interpreter's recursion limit, under orjson's 1024: orjson says so
    path = tmp_path / "deep.json"
    path.write_bytes(b"[" + LINE + b",[" + b"[" * 2000 + b"]" * 2000 + b"]]")
    ((source, error),) = list(read([path]))
    assert source == str(path) and isinstance(error, LoadError)
    assert error.message.startswith("invalid JSON: depth limit exceeded")


def _random_value(rng: random.Random, depth: int = 0) -> bytes:
    """A JSON value's text, spaced at random, of numbers of every shape (cut after '-', '.' or 'e' at a
    block's end they read as faults to msgspec), escaped strings and nesting."""

    def space() -> bytes:
        return rng.choice([b"", b"", b" ", b"\t", b"\r\n", b" \n "])

    pick = rng.random()
    if depth < 4 and pick < 0.2:
        items = [_random_value(rng, depth + 1) + space() for _ in range(rng.randint(0, 3))]
        return b"[" + space() + (b"," + space()).join(items) + b"]"
    if depth < 4 and pick < 0.4:
        members = [
            space()
            + b'"k\\u00e9\\"'
            + bytes([97 + i])
            + b'"'
            + space()
            + b":"
            + space()
            + _random_value(rng, depth + 1)
            for i in range(rng.randint(0, 3))
        ]
        return b"{" + b",".join(members) + space() + b"}"
    if pick < 0.7:
        number = rng.choice([b"", b"-"]) + str(rng.randint(0, 10 ** rng.randint(1, 25))).encode()
        if rng.random() < 0.5:
            number += b"." + str(rng.randint(0, 999)).encode()
        if rng.random() < 0.5:
            number += rng.choice([b"e", b"E-", b"e+"]) + str(rng.randint(0, 300)).encode()
        return number
    if pick < 0.85:
        return rng.choice([b'""', b'"a\\nb"', b'"\\ud83d\\ude00 \\u00e9 \xc3\xa9"', b'"[,]{:}"'])
    return rng.choice([b"true", b"false", b"null"])


@pytest.mark.parametrize("block", [1, 2, 3, 7, 64])
def test_an_array_cut_from_a_stream_is_cut_as_msgspec_cuts_it_whole(
    block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`array_stream.elements`, read `block` bytes at a time, gives the elements `list[msgspec.Raw]` gives
    of the whole text, over random arrays (a value cut anywhere by a block's end included)."""
    from generator.checker import array_stream

    monkeypatch.setattr(array_stream, "_BLOCK", block)
    rng = random.Random(block)
    for _ in range(300):
        values = [_random_value(rng) + rng.choice([b"", b" ", b"\n"]) for _ in range(rng.randint(0, 6))]
        text = b" [" + b",".join(values) + b"]\n"
        whole = [bytes(raw) for raw in msgspec.json.decode(text, type=list[msgspec.Raw])]
        assert list(array_stream.elements(io.BytesIO(text))) == whole, text
