"""Readers: files, folders and standard input -> `(source, event)` items, streamed, one event at a time.

Formats, by file name (then by content, for other names and standard input):

- ``.json``: one event, or a JSON array of events (read whole; source ``path`` or ``path[INDEX]``; each
  event handed over as its text, an array's cut by msgspec);
- ``.jsonl`` / ``.ndjson``: one event a line, streamed (source ``path:LINE``); blank lines are skipped;
- any of these gzip-compressed, ``.gz`` (decompressed as a stream);
- ``-``: standard input, gzip or not, JSON Lines when its first line is a whole JSON object, else one JSON
  document.

Folders are searched recursively, in sorted order, for those suffixes (hidden entries skipped).

Nothing here raises on bad input: a file that cannot be read, does not decompress, holds no events, a line
that is too long, or text that is not JSON are yielded as `LoadError` values at their source, and reading
goes on with the rest. JSON Lines, and the events of JSON documents, are yielded as raw bytes and read by the
checker (in a worker process with ``--jobs``), typed where it can, so memory stays flat whatever the size of
a JSON Lines input.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import chain
from pathlib import Path
from typing import IO, Any

import orjson

from generator.checker import array_stream
from generator.checker.exact_json import loads
from generator.text_encoding import encoding_name, wide_encoding

JSON_SUFFIXES = (".json",)
LINES_SUFFIXES = (".jsonl", ".ndjson")
#: Default limit on one event (a JSON Lines line, or a `.json` file holding one event). Lambda accepts 6 MB.
MAX_EVENT_BYTES = 16 * 1024 * 1024
#: A JSON document (a `.json` file, standard input that is not JSON Lines) is read whole up to this size
#: (about 1.4 times it in memory): beyond, an array's events are cut from the stream one at a time
#: (`array_stream`): 183 MB of 200,000 events took 1.5 s and 54 MB of memory so, 1.4 s and 234 MB whole.
WHOLE_DOCUMENT_BYTES = 16 * 1024 * 1024
_CHUNK = 1024 * 1024
_PIECE = 64 * 1024  # `_read_at_most`'s
#: The read buffer of an input file: lines are read one at a time, the file in few system calls (half the
#: cost of reading a line with the default 8 KB).
_BUFFER = 256 * 1024
#: `block_lines` reads a block this size or smaller whole.
_WHOLE_BLOCK_BYTES = 32 * 1024 * 1024
DECOMPRESS_ERRORS = (gzip.BadGzipFile, EOFError, zlib.error)


@dataclass(frozen=True, slots=True)
class LoadError:
    """Why the input at a source could not be read as an event."""

    message: str


@dataclass(frozen=True, slots=True)
class Parsed:
    """An event already parsed (from a JSON array or document, or given as a Python value)."""

    value: Any


#: One event from the input: raw JSON bytes (parsed later), a parsed value, or why there is none.
Payload = bytes | Parsed | LoadError
Item = tuple[str, Payload]
Progress = Callable[[int], None]
#: A consumer's own loop over JSON Lines (`_Reader.lines`): given the lines left and the event limit, it takes
#: the lines it has no use for as items (events it counted as passing), up to the first it wants as an item,
#: and at most `TAKE_AT_MOST`. It returns how many it took, and that line; or None (no lines left, or it took
#: its most); or the error that reading the lines raised, which the reader reports at its line. It saves what
#: makes a line an item (its source, a tuple, a generator's step): most of the reader's cost per line.
Take = Callable[[Iterator[bytes], int], tuple[int, bytes | Exception | None]]
TAKE_AT_MOST = 512


def value_item(index: int, value: Any) -> Item:
    """An event given as a Python value, the `index`-th of the inputs: source ``<events>[INDEX]``."""
    return f"<events>[{index}]", Parsed(value)


def parse(data: bytes) -> Any | LoadError:
    """Parse one JSON text; a `LoadError` saying what is wrong and where when it is not valid JSON."""
    try:
        return loads(data)
    except orjson.JSONDecodeError as error:
        return LoadError(_json_error(data, error))


def parse_error(data: bytes) -> str:
    """What is wrong with `data`, which `orjson.loads` refuses."""
    try:
        orjson.loads(data)
    except orjson.JSONDecodeError as error:
        return _json_error(data, error)
    return "invalid JSON"


def _json_error(data: bytes, error: orjson.JSONDecodeError) -> str:
    wide = wide_encoding(data)
    if wide:  # say so, not that byte 0 is wrong: events are UTF-8 as AWS sends them, and as orjson reads
        return f"not UTF-8 but {encoding_name(wide)} text: save the events as UTF-8"
    if "UTF-8" in error.msg and "BOM" not in error.msg:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as bad:
            line = data.count(b"\n", 0, bad.start) + 1
            return f"not valid UTF-8: byte 0x{data[bad.start]:02x} at line {line} (offset {bad.start})"
    if not data.strip():
        return "empty: no JSON value"
    what = error.msg[:1].lower() + error.msg[1:]
    if what.startswith("unexpected end of data"):
        hint = " (truncated?)"
    elif what.startswith("unexpected content after document") and _first_line_whole(data):
        hint = " (JSON values one a line are JSON Lines: name the file .jsonl)"
    elif data.lstrip(b"[ \t\r\n").startswith(b"{'"):  # what a handler's `print(event)` logs
        hint = " (a Python dict, as print(event) writes it? record events with json.dumps(event))"
    else:
        hint = ""
    return f"invalid JSON: {what} at line {error.lineno}, column {error.colno}{hint}"


def _first_line_whole(data: bytes) -> bool:
    """Whether `data`'s first line holds a whole JSON value, as a JSON Lines file's does."""
    try:
        orjson.loads(data.lstrip().partition(b"\n")[0])
    except orjson.JSONDecodeError:
        return False
    return True


def _strip_bom(data: bytes) -> bytes:
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else data


def _kind(name: str) -> str:
    """'json', 'lines' or 'sniff', from a file name (without its `.gz`)."""
    lower = name.lower().removesuffix(".gz")
    if lower.endswith(JSON_SUFFIXES):
        return "json"
    if lower.endswith(LINES_SUFFIXES):
        return "lines"
    return "sniff"


def is_event_file(name: str) -> bool:
    return _kind(name) != "sniff"


def expand(paths: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[str, Path | LoadError | None]]:
    """(source name, file) for each argument, folders expanded; `None` stands for standard input."""
    for given in paths:
        name = os.fspath(given)
        if name == "-":
            yield "-", None
            continue
        path = Path(name)
        if not path.is_dir():
            yield name, path
            continue
        errors: list[OSError] = []
        found: list[str] = []
        for folder, subfolders, files in os.walk(path, onerror=errors.append):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            found.extend(os.path.join(folder, f) for f in files if not f.startswith(".") and is_event_file(f))
        for error in errors:
            yield str(error.filename or name), LoadError(f"cannot read folder: {error.strerror or error}")
        for file in sorted(found):
            yield file, Path(file)


def read(
    paths: Iterable[str | os.PathLike[str]],
    *,
    stdin: IO[bytes] | None = None,
    max_event_bytes: int = MAX_EVENT_BYTES,
    progress: Progress | None = None,
    take: Take | None = None,
) -> Iterator[Item]:
    """Every event of every input, in order; but the JSON Lines that `take` takes."""
    reader = _Reader(max_event_bytes, progress or (lambda _n: None), take)
    # chained in C: each event comes straight from the generator reading its file, through no other
    return chain.from_iterable(reader.inputs(paths, stdin))


def lines_file(path: Path) -> str | None:
    """For a regular JSON Lines file, "plain" (which `block_lines` can read in parts) or "gzip" (which
    `line_blocks` can cut); else None."""
    name = path.name.lower()
    if _kind(name) != "lines" or not path.is_file():
        return None
    return "gzip" if name.endswith(".gz") else "plain"


def block_lines(
    source: str,
    path: str,
    start: int,
    end: int,
    max_event_bytes: int = MAX_EVENT_BYTES,
    take: Take | None = None,
) -> tuple[Iterator[Item], Callable[[], int]]:
    """The events of the lines of a plain JSON Lines file that fill bytes `start` to `end` (whole lines), as
    `read` gives them but numbered from 1 within the block; and a count of the block's lines read so far
    (once the events are read: its lines, for numbering the next block's)."""
    try:
        handle: IO[bytes] = open(path, "rb", buffering=_BUFFER)  # noqa: SIM115  (closed by `lines`)
        handle.seek(start)
        if end - start <= _WHOLE_BLOCK_BYTES:  # read at once, its lines split in C
            with handle:
                data = handle.read(end - start)
            items, lines = data_lines(
                source, data, first=start == 0, max_event_bytes=max_event_bytes, take=take
            )
            return items, lambda: lines
    except OSError as error:
        return iter([(f"{source}:1", LoadError(read_error(error)))]), lambda: 0
    # a block of a huge line: a line at a time, so that memory stays flat
    window = _Window(handle, end - start)
    stream: Any = window  # read as a stream is: a line at a time
    reader = _Reader(max_event_bytes, lambda _n: None, take)
    items = reader.lines(source, stream, opened=handle, whole=False, bom=start == 0)
    return items, lambda: window.line_ends


def data_lines(
    source: str, data: bytes, *, first: bool, max_event_bytes: int = MAX_EVENT_BYTES, take: Take | None = None
) -> tuple[Iterator[Item], int]:
    """The events of `data`, whole lines of a JSON Lines file (the last may lack its end: the file's last
    line, or the first bytes of a line too long to read), as `read` gives them but numbered from 1 within it;
    and how many lines it holds. `first`: it starts the file."""
    reader = _Reader(max_event_bytes, lambda _n: None, take)
    return reader.lines(source, io.BytesIO(data), whole=False, bom=first), count_lines(data)


def count_lines(data: bytes) -> int:
    """The lines `data` holds: its line ends, and what follows the last one, if anything."""
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def line_blocks(stream: IO[bytes], size: int, max_event_bytes: int) -> Iterator[tuple[bytes, bool]]:
    """A JSON Lines `stream` (decompressed) cut into pieces of about `size` bytes of whole lines, each with
    whether it is the last (what follows the last line end, maybe nothing), for `data_lines`. A line longer
    than `max_event_bytes` is a piece of its first `max_event_bytes` + 1 bytes, the rest skipped, as `read`
    does. Read errors are raised."""
    carry = b""
    while True:
        piece = stream.read(size)
        if not piece:
            yield carry, True
            return
        data = carry + piece if carry else piece
        cut = data.rfind(b"\n") + 1
        if cut:
            yield data[:cut], False
        carry = data[cut:]
        if len(carry) > max_event_bytes:  # a line too long to read: reported from its first bytes
            yield carry[: max_event_bytes + 1], False
            _skip_line(stream)
            carry = b""


class _Window:
    """The next `size` bytes of a stream, read a line at a time, counting the line ends read."""

    def __init__(self, stream: IO[bytes], size: int) -> None:
        self.stream = stream
        self.left = size
        self.line_ends = 0

    def readline(self, limit: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        line = self.stream.readline(self.left if limit < 0 else min(limit, self.left))
        self.left -= len(line)
        if line[-1:] == b"\n":
            self.line_ends += 1
        return line


def total_bytes(paths: Iterable[str | os.PathLike[str]], *, beyond: int | None = None) -> int:
    """The size on disk of every input file (standard input counts 0): for progress and `--jobs`. With
    `beyond`, counting stops once the total exceeds it (a folder of a million files is not walked whole
    to learn that it is large)."""
    total = 0
    for _, file in expand(paths):
        if isinstance(file, Path):
            with contextlib.suppress(OSError):
                total += file.stat().st_size
            if beyond is not None and total > beyond:
                break
    return total


@dataclass
class _Reader:
    max_event_bytes: int
    progress: Progress
    take: Take | None = None
    #: The open file's raw handle (compressed bytes for `.gz`) and how much of it was reported as read.
    handle: IO[bytes] | None = None
    reported: int = 0

    def tick(self) -> None:
        """Report the bytes of the current file read since the last report (on disk: compressed for gz)."""
        if self.handle is not None:
            try:
                position = self.handle.tell()
            except (OSError, ValueError):
                return
            self.progress(position - self.reported)
            self.reported = position

    def inputs(
        self, paths: Iterable[str | os.PathLike[str]], stdin: IO[bytes] | None
    ) -> Iterator[Iterable[Item]]:
        """The events of each input, one iterable an input, opened when the previous one is done."""
        for given in paths:
            for source, file in expand([given]):
                if isinstance(file, LoadError):
                    yield [(source, file)]
                elif file is None:
                    yield self.stream(source, stdin if stdin is not None else sys.stdin.buffer)
                else:  # named on the command line, or found in a folder
                    yield self.file(source, file, named=source == os.fspath(given))

    def file(self, source: str, path: Path, *, named: bool = False) -> Iterator[Item]:
        """The events of the file at `path`. A pipe or device (`<(zcat events.gz)`, `/dev/stdin`) is read
        as a stream when `named` on the command line; one found in a folder is refused, as reading it could
        wait forever."""
        kind = _kind(path.name)
        compressed = path.name.lower().endswith(".gz")
        try:
            found = path.stat()
            regular = stat.S_ISREG(found.st_mode)
            if not regular and not named:
                return iter([(source, LoadError("not a regular file"))])
            if kind == "json" and not compressed and regular and found.st_size <= WHOLE_DOCUMENT_BYTES:
                # the other common case: read in one call
                return self._json_file(source, path, found.st_size)
            # closed by `_done`, also when the caller stops
            handle: IO[bytes] = open(path, "rb", buffering=_BUFFER)  # noqa: SIM115
        except OSError as error:
            return iter([(source, LoadError(read_error(error)))])
        self.handle, self.reported = handle, 0
        if kind == "lines" and not compressed:
            return self.lines(source, handle, opened=handle)  # the common case: one generator, no nesting
        return self._contents(
            source, handle, kind, compressed, large=regular and found.st_size > WHOLE_DOCUMENT_BYTES
        )

    def _json_file(self, source: str, path: Path, size: int) -> Iterator[Item]:
        """A plain `.json` file read whole, in one call of its size: a read of the limit allocates the limit
        (16 MB), and a read buffer is filled for nothing, which cost a folder of small files 20 µs each."""
        limit = WHOLE_DOCUMENT_BYTES
        try:
            with open(path, "rb", buffering=0) as handle:
                data: bytes = handle.read(size + 1)
                if len(data) != size:  # it changed since (or the read was short): read on, to the limit
                    data += _read_at_most(handle, limit + 1 - len(data))
        except OSError as error:
            return iter([(source, LoadError(read_error(error)))])
        self.progress(size)
        if len(data) > limit:
            return iter([(source, LoadError(f"grew past {limit} bytes while it was read"))])
        return self._events_of(source, data)

    def _contents(
        self, source: str, handle: IO[bytes], kind: str, compressed: bool, *, large: bool = False
    ) -> Iterator[Item]:
        try:
            stream = gunzip(handle) if compressed else handle
            if kind == "json":
                yield from self.document(source, stream, large=large and not compressed)
            elif kind == "lines":
                yield from self.lines(source, stream)
            elif compressed:
                yield from self.sniffed(source, stream)
            else:  # gzip or not, told by its first bytes, as standard input is
                yield from self.stream(source, stream)
        finally:
            self._done(handle)

    def _done(self, handle: IO[bytes]) -> None:
        self.tick()
        self.handle = None
        handle.close()

    def stream(self, source: str, stream: IO[bytes]) -> Iterator[Item]:
        head = _peek(stream, 2)
        if head.startswith(b"\x1f\x8b"):
            stream = gunzip(stream)
        yield from self.sniffed(source, stream)

    def sniffed(self, source: str, stream: IO[bytes]) -> Iterator[Item]:
        """JSON Lines when the first line is a whole JSON object, or a whole array with more lines after
        it; else one JSON document."""
        try:
            first = stream.readline(self.max_event_bytes + 1)
        except (OSError, *DECOMPRESS_ERRORS) as error:
            yield source, LoadError(read_error(error))
            return
        start = _strip_bom(first).lstrip()
        if len(first) <= self.max_event_bytes and start[:1] in (b"{", b"["):
            value = parse(first)
            # a whole value with more after it cannot be one document: JSON Lines (of events that are
            # arrays, as `gen samples` writes them); one line alone holding an array is a list of events
            if isinstance(value, dict) or (
                not isinstance(value, LoadError) and _peek(stream, _PIECE).strip()
            ):
                yield from self.lines(source, stream, first=first)
                return
        yield from self.document(source, stream, head=first)

    def lines(
        self,
        source: str,
        stream: IO[bytes],
        *,
        first: bytes | None = None,
        opened: IO[bytes] | None = None,
        whole: bool = True,
        bom: bool = True,
    ) -> Iterator[Item]:
        """One event a line, numbered from 1; `opened`, the file `stream` reads, is closed when done (or
        stopped). A `whole` stream (not a part of one) with no events is reported empty. With `bom`, the
        stream starts a file, where a byte order mark is dropped. After each line yielded, the reader's
        `take` (when it has one) is handed the lines left, and those it takes are counted, not yielded."""
        limit = self.max_event_bytes
        prefix = f"{source}:"
        # called by `iter` in C: the loop below runs no Python to fetch a line
        readline = partial(stream.readline, limit + 1)
        number = blank = 0
        try:
            try:
                if first is None:
                    first = readline()
                if not first:  # read no further: standard input at its end could wait for more
                    lines: Iterator[bytes] = iter(())
                else:
                    if bom and (len(first) <= limit or first.endswith(b"\n")):  # measured as read
                        first = _strip_bom(first) or b"\n"
                    lines = chain((first,), iter(readline, b""))
                take = self.take
                for line in lines:
                    while True:
                        number += 1
                        if not number & 511:
                            self.tick()
                        if len(line) > limit and not line.endswith(b"\n"):
                            _skip_line(stream)
                            yield (
                                f"{prefix}{number}",
                                LoadError(f"event is larger than the limit of {limit} bytes"),
                            )
                        elif line.isspace():
                            blank += 1
                        else:
                            yield f"{prefix}{number}", line
                        if take is None:
                            break
                        taken = TAKE_AT_MOST
                        while taken == TAKE_AT_MOST:  # it took its most: on, once progress is told
                            taken, after = take(lines, limit)
                            if (number ^ (number + taken)) >> 9:  # a multiple of 512 lines was passed
                                self.tick()
                            number += taken
                        if after is None:
                            break  # on with the lines left, if any
                        if isinstance(after, Exception):
                            raise after
                        line = after  # the line `take` stopped at: an item
            except (OSError, *DECOMPRESS_ERRORS) as error:
                yield f"{prefix}{number + 1}", LoadError(read_error(error))
                return
            if number == blank and whole:
                yield source, LoadError("empty: no events")
        finally:
            if opened is not None:
                self._done(opened)

    def document(
        self, source: str, stream: IO[bytes], *, head: bytes = b"", large: bool = False
    ) -> Iterator[Item]:
        """The events of one JSON document: read whole when it is small enough, else streamed; `large`: it
        is known to be too large (a file's size said so), and only its start is read to tell its kind."""
        try:
            data = head + _read_at_most(stream, (_PIECE if large else WHOLE_DOCUMENT_BYTES) + 1 - len(head))
            if large or len(data) > WHOLE_DOCUMENT_BYTES:
                items = self._large(source, _strip_bom(data), stream)
                del data, head  # the events are cut from the stream's blocks: the start read is let go
                yield from items
                return
        except (OSError, *DECOMPRESS_ERRORS) as error:
            yield source, LoadError(read_error(error))
            return
        yield from self._events_of(source, data)

    def _large(self, source: str, head: bytes, stream: IO[bytes]) -> Iterator[Item]:
        """A document larger than `WHOLE_DOCUMENT_BYTES`, of which `head` was read: an array's events one at
        a time (memory stays flat however large), an object read whole only when
        `--max-event-size` allows one event so large."""
        while not head.strip():  # space before the value says nothing: let it go, read on
            head = stream.read(_PIECE)
            if not head:
                break
        start = head.lstrip()[:1]
        if start == b"[":
            items = self._streamed_array(source, stream, head)
            del head
            yield from items
        elif start == b"{" and self.max_event_bytes > WHOLE_DOCUMENT_BYTES:
            yield from self._events_of(
                source, head + _read_at_most(stream, self.max_event_bytes + 1 - len(head))
            )
        elif start == b"{":
            yield source, LoadError(f"event is larger than the limit of {self.max_event_bytes} bytes")
        else:
            yield source, LoadError(f"larger than {WHOLE_DOCUMENT_BYTES} bytes and not an array of events")

    def _streamed_array(self, source: str, stream: IO[bytes], head: bytes) -> Iterator[Item]:
        """Each event of the array that `head`, then `stream`, hold, at ``source[INDEX]``, as its text
        (`array_stream`). A fault of the array itself stops it there, said at the index it was reached at
        (or, for text after the array, at `source`): what comes after cannot be told apart."""
        count = 0
        elements = array_stream.elements(stream, head)
        del head
        try:
            for element in elements:
                if not count & 511:
                    self.tick()
                yield f"{source}[{count}]", element
                count += 1
        except array_stream.ArrayError as error:
            yield (source if error.after else f"{source}[{count}]"), LoadError(error.message)
            return
        except (OSError, *DECOMPRESS_ERRORS) as error:
            yield f"{source}[{count}]", LoadError(read_error(error))
            return
        if not count:
            yield source, LoadError("empty: the array holds no events")

    def _events_of(self, source: str, data: bytes) -> Iterator[Item]:
        """The events of one JSON document: an object is one event, an array holds them."""
        data = _strip_bom(data)
        if not data.strip():
            yield source, LoadError("empty: no events")
            return
        start = data.lstrip()[:1]
        if start == b"{" and len(data) <= self.max_event_bytes:
            # one event, handed over as its text (as a JSON Lines line is): the checker's typed path reads
            # it without building dicts, and says what is wrong when it is not JSON
            yield source, data
            return
        elements = _elements(data) if start == b"[" else None
        if elements is not None:  # each event as its text too, said to be wrong at its own index
            if not elements:
                yield source, LoadError("empty: the array holds no events")
            for index, element in enumerate(elements):
                yield f"{source}[{index}]", bytes(element)  # copied as it is checked, while in the caches
            return
        value = parse(data)
        if isinstance(value, LoadError):
            yield source, value
        elif isinstance(value, list):
            if not value:
                yield source, LoadError("empty: the array holds no events")
            for index, item in enumerate(value):
                yield f"{source}[{index}]", Parsed(item)
        elif len(data) > self.max_event_bytes:
            yield source, LoadError(f"event is larger than the limit of {self.max_event_bytes} bytes")
        else:
            yield source, Parsed(value)


def _elements(array: bytes) -> list[Any] | None:
    """Where a JSON array's elements are in it (`msgspec.Raw`, 0.8 µs an element), or None when the array's
    own syntax is wrong (then the document is parsed, which says where). The elements' contents are not
    checked here (msgspec skips over them): each is read as an event's text is, and said to be wrong alone."""
    import msgspec

    try:
        return msgspec.json.decode(array, type=list[msgspec.Raw])
    except (msgspec.DecodeError, RecursionError):  # nested past msgspec's depth: orjson says so
        return None


def _read_at_most(stream: IO[bytes], size: int) -> bytes:
    """Up to `size` bytes of `stream`, a piece at a time: one read of `size` would allocate all of it (the
    512 MB document limit, for each small gzip-compressed file)."""
    pieces = []
    while size > 0:
        piece = stream.read(min(_PIECE, size))
        if not piece:
            break
        pieces.append(piece)
        size -= len(piece)
    return b"".join(pieces)


def gunzip(stream: IO[bytes]) -> IO[bytes]:
    unzipped: IO[bytes] = gzip.GzipFile(fileobj=stream, mode="rb")  # type: ignore[assignment]
    return unzipped


def _peek(stream: IO[bytes], size: int) -> bytes:
    peek = getattr(stream, "peek", None)
    if peek is not None:
        data: bytes = peek(size)
        return data[:size]
    return b""


def _skip_line(stream: IO[bytes]) -> None:
    """Read and drop the rest of an overlong line, a chunk at a time (memory stays flat)."""
    while True:
        chunk = stream.readline(_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return


def read_error(error: BaseException) -> str:
    """What a failed read or decompression says about its input."""
    if isinstance(error, EOFError):
        return "corrupt gzip data: the compressed stream ends early (truncated?)"
    if isinstance(error, gzip.BadGzipFile | zlib.error):
        return f"corrupt gzip data: {error}"
    if isinstance(error, OSError) and error.strerror:
        return f"cannot read: {error.strerror}"
    return f"cannot read: {error}"
