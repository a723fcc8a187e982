"""The events of a JSON array too large to read whole, cut from a stream one at a time, as their texts.

msgspec reads one JSON value (`msgspec.Raw`: its text, its structure checked, nothing built) and says where
the text after it starts, the next `,` or `]`; so each event is handed over as the bytes it was written as,
as the events of an array read whole are (`sources._elements`, msgspec's too): what is wrong inside one (a
string that is not UTF-8, a number too large for a double) is said of that event alone, and the others are
checked. Memory holds a block of the stream, and the event being cut.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

import msgspec

_SPACE = re.compile(rb"[ \t\r\n]*")
#: msgspec's words for a value with more text after it, and where that text starts (counted from 1). A test
#: (`test_a_document_too_large_to_read_whole_has_its_array_streamed`) notices if a release words it otherwise.
_TRAILING = re.compile(r"trailing characters \(byte (\d+)\)")
_AT_BYTE = re.compile(r" \(byte (\d+)\)$")
_BLOCK = 1024 * 1024
_COMMA, _CLOSE, _OPEN = ord(","), ord("]"), ord("[")
TRUNCATED = "invalid JSON: the array ends early (truncated?)"


class ArrayError(ValueError):
    """Where the array itself is not JSON (or not an array): nothing after it can be told apart. `after`:
    the array ended, and text that is not space follows it."""

    def __init__(self, message: str, *, after: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.after = after


class _Buffer:
    """The part of the stream not cut yet: `data` from `at`, read on a block at a time."""

    def __init__(self, stream: IO[bytes], data: bytes) -> None:
        self.stream, self.data, self.at, self.ended = stream, data, 0, False

    def fill(self, at_least: int = 0) -> bool:
        """Read on, a block or `at_least` (the bytes before `at` let go); False at the end of the stream."""
        block = b"" if self.ended else self.stream.read(max(_BLOCK, at_least))
        if not block:
            self.ended = True
            return False
        self.data, self.at = self.data[self.at :] + block, 0
        return True

    def next_byte(self) -> int | None:
        """The next byte that is not space (`at` moved to it), or None at the end of the stream."""
        while True:
            found = _SPACE.match(self.data, self.at)
            self.at = found.end() if found else self.at
            if self.at < len(self.data):
                return self.data[self.at]
            if not self.fill():
                return None


def elements(stream: IO[bytes], data: bytes = b"") -> Iterator[bytes]:
    """The text of each element of the JSON array that `data`, then `stream`, hold. Raises `ArrayError`
    where the array's own syntax is wrong, or it ends early."""
    buffer = _Buffer(stream, data)
    del data  # the buffer lets it go as it reads on
    if buffer.next_byte() != _OPEN:
        raise ArrayError("not a JSON array")
    buffer.at += 1
    if buffer.next_byte() == _CLOSE:
        buffer.at += 1
    else:
        while buffer.next_byte() is not None:  # at the next value: its text starts there
            yield _element(buffer)
            separator = buffer.next_byte()
            buffer.at += 1
            if separator == _CLOSE:
                break
            if separator is None:
                raise ArrayError(TRUNCATED)
            if separator != _COMMA:
                raise ArrayError(f"invalid JSON: expected ',' or ']' after an event, got {chr(separator)!r}")
        else:
            raise ArrayError(TRUNCATED)
    if buffer.next_byte() is not None:
        raise ArrayError("invalid JSON: content after the array", after=True)


def _element(buffer: _Buffer) -> bytes:
    """The text of the value at `buffer.at`, which is left at the text after it."""
    wanted = _BLOCK
    while True:
        start = buffer.at
        if start >= len(buffer.data) and not buffer.fill():
            raise ArrayError(TRUNCATED)
        start = buffer.at
        try:
            msgspec.json.decode(memoryview(buffer.data)[start:], type=msgspec.Raw)
        except msgspec.DecodeError as error:
            message = str(error)
            found = _TRAILING.search(message)
            if found is not None:
                end = start + int(found[1]) - 1
                buffer.at = end
                return buffer.data[start:end].rstrip()
            what = message.removeprefix("JSON is malformed: ")
            at = _AT_BYTE.search(what)
            # a fault at the end of what was read (a number cut after its `-`, `.` or `e`) is the block's
            # end, not the event's: msgspec says "truncated" only of strings and words
            if "truncated" not in message and (at is None or int(at[1]) < len(buffer.data) - start):
                # its byte counts from the event's start, which the report does not show: left out
                raise ArrayError(f"invalid JSON: {what[: at.start()] if at else what}") from None
            whole = False
        except RecursionError:
            raise ArrayError("invalid JSON: nested too deeply") from None
        else:  # the value is all there is yet
            if buffer.data[-1:].isspace():  # space ended it: what follows it is still to come
                buffer.at = len(buffer.data)
                return buffer.data[start:].rstrip()
            whole = True  # a number may go on
        if not buffer.fill(wanted):
            if whole:  # the stream ends after it: the array is not closed (said by the caller)
                buffer.at = len(buffer.data)
                return buffer.data[start:].rstrip()
            raise ArrayError(TRUNCATED)
        wanted *= 2  # a value larger than a block: read more each time, not a block more
