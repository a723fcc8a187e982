"""`--jobs N`: events checked in N worker processes, results in input order, memory bounded.

The main process plans the work as tasks and yields the results back in order; it must do little per event,
or it becomes the bottleneck that the workers wait on (it was, when it read every line itself: two workers
on two cores were slower than one process). So a plain JSON Lines file is cut into blocks of whole lines,
which the workers read themselves, each numbering its lines from 1 and counting them; the main process reads
only the bytes around each cut, and numbers the blocks' lines as their results come back, in order. A
gzip-compressed JSON Lines file is decompressed by the main process (one stream cannot be shared) and sent
in blocks of lines the same way. Other inputs (`.json`, standard input, Python values) are read in the main
process and sent as chunks of events. Workers send back a passing event as one byte, the index of its
verdict, and anything else whole; the main process, which knows the events' sources (those of the chunks it
sent; a block's from its line numbers), turns each byte into its `EventResult`. When clean passes are only
counted (`passes=False`: a report of what is wrong), a worker sends nothing per passing event: its task's
counts (a `Summary`, merged in order), and the other results.

Each worker holds its own `Checker`, inherited at fork or built from the document sent to it. At most a few
tasks per worker are in flight, so a huge input is never queued whole (`Executor.map` would read its whole
input ahead).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import IO, Any

from generator.checker.engine import Checker, Options, unreadable
from generator.checker.result import EventResult, Summary
from generator.checker.sources import (
    DECOMPRESS_ERRORS,
    Item,
    LoadError,
    Progress,
    block_lines,
    count_lines,
    data_lines,
    expand,
    gunzip,
    line_blocks,
    lines_file,
    read,
    read_error,
    value_item,
)
from generator.model import Document

CHUNK = 1000
BLOCK_BYTES = 4 * 1024 * 1024
_SCAN_BYTES = 64 * 1024  # read at a time to find where a block ends
IN_FLIGHT_PER_WORKER = 4

_checker: Checker | None = None
#: Why this worker has no checker (`_start` failed).
_failed: str | None = None


@dataclass(frozen=True)
class Block:
    """Bytes `start` to `end` of a JSON Lines file (whole lines), which a worker reads itself."""

    source: str
    path: str
    start: int
    end: int
    max_event_bytes: int


@dataclass(frozen=True)
class Lines:
    """Whole lines of a JSON Lines file read (and decompressed) by the main process, for a worker to check."""

    source: str
    data: bytes
    first: bool  # the file's first lines
    max_event_bytes: int


@dataclass
class _File:
    """What the main process learns of a JSON Lines file as its blocks' results come back, in order."""

    source: str
    lines: int = 0  # in the blocks so far: the next block's lines are numbered from lines + 1
    events: bool = False

    def block(self, lines: int, events: bool) -> tuple[str, int]:
        """The next block's results came back, with its line count and whether it held events: the prefix
        of its sources, and the number of the line before its first."""
        before = self.lines
        self.lines += lines
        self.events = self.events or events
        return f"{self.source}:", before


#: What a worker is given: a block of a file to read, a file's lines, or events read already.
Task = Block | Lines | list[Item]
#: The code of an event whose whole result a worker sends back (one that did not simply pass).
WHOLE = 255
#: What a worker gives back, cheap to send and to turn back into results (the main process must do little
#: per event): the verdicts (message, also) that passing events refer to by index; a code per event (its
#: verdict's index, or `WHOLE`); the whole results, in order; for a block, its events' line numbers within
#: it when they are not 1, 2, 3... (blank lines skipped) and how many lines it has.
Done = tuple[list[tuple[str, tuple[str, ...]]], bytes, list[EventResult], list[int] | None, int]
#: What a worker gives back when clean passes are only counted (`passes=False`): the task's counts, the
#: other results in order (a block's numbered within it), and for a block, how many lines it has.
Counted = tuple[Summary, list[EventResult], int]
#: What the main process keeps of a task in flight to name its events: a chunk's sources (not its events),
#: or a block's file, and whether the block is the file's last.
Kept = list[str] | tuple[_File, bool]


def _start(inherited: Checker | None, document: Document | None, options: Options) -> None:
    """A worker's checker: inherited at fork; else built from the document, sent to it pickled (not loaded
    again from its file, which may have changed, or need the options that loaded it)."""
    global _checker, _failed
    if inherited is not None:
        _checker = inherited
        return
    try:
        assert document is not None
        _checker = Checker(document, options)
    except Exception as error:
        _failed = f"a worker could not build its checker: {type(error).__name__}: {error}"


def _run(task: Task, passes: bool = True) -> Done | Counted:
    if _checker is None:
        raise RuntimeError(_failed or "a worker has no checker")
    lines: Callable[[], int] = lambda: 0  # noqa: E731
    counts = Summary()
    take = None if passes else _checker.taker(counts)  # passes only counted: see `Checker.taker`
    if isinstance(task, Block):
        items, lines = block_lines(
            task.source, task.path, task.start, task.end, task.max_event_bytes, take=take
        )
    elif isinstance(task, Lines):
        items, count = data_lines(
            task.source, task.data, first=task.first, max_event_bytes=task.max_event_bytes, take=take
        )
        lines = lambda: count  # noqa: E731
    else:
        items = iter(task)
    if not passes:  # only counted: nothing is sent per passing event
        shown = list(_checker.check_all(items, counts, passes=False))
        return counts, shown, lines()
    verdicts: dict[tuple[str, tuple[str, ...]], int] = {}
    codes = bytearray()
    whole: list[EventResult] = []
    sources: list[str] = []
    for result in _checker.check_all(items):
        sources.append(result.source)
        if result.clean and result.message is not None:
            verdict = (result.message, result.also)
            index = verdicts.get(verdict)
            if index is None:
                index = verdicts[verdict] = len(verdicts)
            if index < WHOLE:
                codes.append(index)
                continue
        codes.append(WHOLE)
        whole.append(result)
    numbers = None
    if not isinstance(task, list) and sources and sources[-1] != f"{task.source}:{len(sources)}":
        numbers = [int(source.rpartition(":")[2]) for source in sources]
    return list(verdicts), bytes(codes), whole, numbers, lines()


def _results(done: Done, kept: Kept, summary: Summary) -> Iterator[EventResult]:
    """A task's results, counted into `summary` as they are rebuilt (passes by their verdict, in place)."""
    verdicts, codes, whole, numbers, lines = done
    sources: Iterable[str]
    file, last = None, False
    if isinstance(kept, list):
        sources = kept
    else:
        file, last = kept
        prefix, before = file.block(lines, bool(codes))
        if numbers is None:  # 1, 2, 3...: numbered in C
            found: Iterable[int] = range(before + 1, before + len(codes) + 1)
        else:
            found = [before + number for number in numbers]
        sources = map(prefix.__add__, map(str, found))
    new = tuple.__new__
    add = summary.add
    rest = iter(whole)
    tallies = [summary.messages.get(message) for message, _ in verdicts]  # None: not seen yet
    for code, source in zip(codes, sources, strict=True):
        if code == WHOLE:
            result = next(rest)
            if file is not None:  # numbered within its block by the worker
                result = result._replace(source=source)
            add(result)
            yield result
            continue
        message, also = verdicts[code]
        result = new(EventResult, (source, message, True, (), (), also, None, ()))
        counts = tallies[code]
        if counts is None:
            add(result)
            tallies[code] = summary.messages[message]
        else:  # `Summary.add` of a pass, inlined
            counts.passed += 1
        yield result
    yield from _ended(file, last, summary)


def _ended(file: _File | None, last: bool, summary: Summary) -> Iterator[EventResult]:
    """After a file's last block: "empty" when none of its blocks held an event, as the reader says."""
    if file is not None and last and not file.events:
        result = unreadable(file.source, "empty: no events")
        summary.add(result)
        yield result


def _counted(done: Counted, kept: Kept, summary: Summary) -> Iterator[EventResult]:
    """`_results` of a task whose clean passes were only counted: its counts added to `summary` (messages
    first seen in it after those seen before), then its other results, a block's numbered in its file."""
    counts, shown, lines = done
    summary.merge(counts)
    if isinstance(kept, list):  # a chunk: its events' sources are their own
        yield from shown
        return
    file, last = kept
    prefix, before = file.block(lines, counts.events > 0)
    for result in shown:
        yield result._replace(source=f"{prefix}{before + int(result.source.rpartition(':')[2])}")
    yield from _ended(file, last, summary)


def check_in_parallel(
    checker: Checker,
    tasks: Iterable[tuple[Task, Kept]],
    workers: int,
    summary: Summary,
    *,
    passes: bool = True,
) -> Iterator[EventResult]:
    """The results of `tasks`, spread over `workers` processes, in input order, counted into `summary`;
    without `passes`, clean passes are counted only."""
    context: Any
    if "fork" in multiprocessing.get_all_start_methods():
        # The workers inherit the checker as it is: its validators are not built again.
        context = multiprocessing.get_context("fork")
        initargs: tuple[Any, ...] = (checker, None, checker.options)
    else:
        context = multiprocessing.get_context("spawn")
        initargs = (None, checker.document, checker.options)
    global _checker
    _checker = None
    # An executor, not a `multiprocessing.Pool`: a worker that dies (killed, out of memory) breaks it, which
    # is said, where a pool would wait for the lost task's result forever.
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=initargs)
    results: Callable[[Any, Kept, Summary], Iterator[EventResult]] = _results if passes else _counted
    try:
        pending: deque[tuple[Future[Done | Counted], Kept]] = deque()
        for task, kept in tasks:
            pending.append((pool.submit(_run, task, passes), kept))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                done, kept = pending.popleft()
                yield from results(_done(done), kept, summary)
        while pending:
            done, kept = pending.popleft()
            yield from results(_done(done), kept, summary)
    finally:  # also when the caller stops early, or a worker failed: the tasks not started are dropped
        # and those running (one block each, at most) are waited for; an executor not waited for races
        # its exit handler, which may then print a traceback
        pool.shutdown(wait=True, cancel_futures=True)


def _done(future: Future[Done | Counted]) -> Done | Counted:
    try:
        return future.result()
    except BrokenProcessPool:
        raise RuntimeError(
            "a worker process ended abruptly (killed, or out of memory?); --jobs 1 checks in one process"
        ) from None


def plan(
    events: Iterable[Any],
    *,
    stdin: IO[bytes] | None,
    max_event_bytes: int,
    progress: Progress | None,
) -> Iterator[tuple[Task, Kept]]:
    """The tasks for `events` (paths, and Python values numbered ``<events>[INDEX]``), in input order."""
    pending: list[Item] = []
    for index, event in enumerate(events):
        if not isinstance(event, str | os.PathLike):
            pending.append(value_item(index, event))
            if len(pending) >= CHUNK:  # an endless iterator of values goes on in chunks
                yield _chunk(pending)
                pending = []
            continue
        for source, file in expand([event]):
            kind = lines_file(file) if isinstance(file, Path) else None
            if isinstance(file, Path) and kind is not None:
                if pending:
                    yield from _chunks(pending)
                    pending = []
                blocks = _blocks if kind == "plain" else _gzip_blocks
                yield from blocks(source, file, max_event_bytes, progress)
            elif isinstance(file, LoadError):
                pending.append((source, file))
            else:
                for item in read([source], stdin=stdin, max_event_bytes=max_event_bytes, progress=progress):
                    pending.append(item)
                    if len(pending) >= CHUNK:
                        yield _chunk(pending)
                        pending = []
    yield from _chunks(pending)


def _chunks(items: list[Item]) -> Iterator[tuple[Task, Kept]]:
    it = iter(items)
    return map(_chunk, iter(lambda: list(islice(it, CHUNK)), []))


def _chunk(items: list[Item]) -> tuple[Task, Kept]:
    """A chunk of events read already, and what the main process keeps of it: their sources."""
    return items, [source for source, _ in items]


def _blocks(
    source: str, path: Path, max_event_bytes: int, progress: Progress | None
) -> Iterator[tuple[Task, Kept]]:
    """`path` in blocks of about `BLOCK_BYTES`, each ending at a line's end. Only the bytes around each cut
    are read here: the workers read the blocks, count their lines, and the main process numbers them as
    their results come back (a file is read once, by the workers)."""
    try:
        handle = open(path, "rb")  # noqa: SIM115  (closed below, also when the caller stops)
        size = os.fstat(handle.fileno()).st_size
    except OSError as error:
        yield from _chunks([(source, LoadError(read_error(error)))])
        return
    file = _File(source)
    with handle:
        start = 0
        while True:
            try:
                end = _line_end(handle, start + BLOCK_BYTES, size)
            except OSError as error:
                yield from _chunks([(source, LoadError(read_error(error)))])
                return
            yield Block(source, str(path), start, end, max_event_bytes), (file, end >= size)
            if progress is not None:
                progress(end - start)
            if end >= size:
                return
            start = end


def _line_end(handle: IO[bytes], at: int, size: int) -> int:
    """The offset just past the first line end at or after byte `at` - 1 (the file's size when none)."""
    if at >= size:
        return size
    handle.seek(at - 1)
    while True:
        piece = handle.read(_SCAN_BYTES)
        if not piece:
            return size
        cut = piece.find(b"\n")
        if cut >= 0:
            return handle.tell() - len(piece) + cut + 1


def _gzip_blocks(
    source: str, path: Path, max_event_bytes: int, progress: Progress | None
) -> Iterator[tuple[Task, Kept]]:
    """A gzip-compressed JSON Lines file, decompressed here (one stream: one process) and sent in blocks of
    whole lines, which the workers split, check and count. A read error ends the blocks: the lines after
    the last one sent are then read as `read` reads them, up to the error, so that what is reported (which
    events, where the error is) is what one process reports."""
    try:
        handle = open(path, "rb")  # noqa: SIM115  (closed below, also when the caller stops)
    except OSError as error:
        yield from _chunks([(source, LoadError(read_error(error)))])
        return
    file, sent, reported = _File(source), 0, 0
    with handle:
        try:
            for data, last in line_blocks(gunzip(handle), BLOCK_BYTES, max_event_bytes):
                yield Lines(source, data, sent == 0, max_event_bytes), (file, last)
                sent += count_lines(data)
                if progress is not None:
                    position = handle.tell()
                    progress(position - reported)
                    reported = position
            return
        except (OSError, *DECOMPRESS_ERRORS):
            pass
    after = [item for item in read([source], max_event_bytes=max_event_bytes) if _after(item[0], sent)]
    yield from _chunks(after)


def _after(source: str, line: int) -> bool:
    """Whether an event's source (``path:LINE``, or the file's own) is not one of its first `line` lines."""
    number = source.rpartition(":")[2]
    return not number.isdigit() or int(number) > line
