"""Writing files atomically: a reader (or a crash) never sees a half-written file."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import IO, Any, TextIO


class WriteError(Exception):
    """A file that could not be written, and why (`reason`): nothing of it was, or (a device, a pipe)
    what was is all there is."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: cannot write: {reason}")

    @classmethod
    def of(cls, path: Path, error: OSError) -> WriteError:
        return cls(path, error.strerror or str(error))


class _Guarded(io.BufferedWriter):
    """A file's writer whose failures (a full disk, a file size limit, `/dev/full`) are `WriteError`s
    naming the file the user asked for, not its temporary file, nor an internal error."""

    def __init__(self, raw: io.FileIO, path: Path) -> None:
        super().__init__(raw)
        self.path = path

    def write(self, data: Any) -> int:
        try:
            return super().write(data)
        except BrokenPipeError:  # the reader stopped (`| head`): the command ends quietly
            raise
        except OSError as error:
            raise WriteError.of(self.path, error) from None

    def flush(self) -> None:
        try:
            super().flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise WriteError.of(self.path, error) from None


@cache
def _default_mode() -> int:
    """The mode `open()` would give a new file: 0o666 less the umask (mkstemp alone gives 0o600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


#: The names of a descriptor the command was given: `/dev/stdout`, `/dev/fd/3`, `/proc/self/fd/1`.
_DESCRIPTOR = re.compile(r"/dev/std(?P<std>out|err)|/dev/fd/(?P<fd>\d+)|/proc/self/fd/(?P<proc>\d+)")


def _descriptor(path: Path) -> int | None:
    """The open descriptor `path` names, if it names one."""
    found = _DESCRIPTOR.fullmatch(str(path))
    if found is None:
        return None
    if found["std"]:
        return 1 if found["std"] == "out" else 2
    return int(found["fd"] or found["proc"])


def _is_stream(path: Path) -> bool:
    """Whether `path` is a device, a pipe or a socket (`/dev/null`, `mkfifo`'s), written to as it is:
    renaming a file over it would put a regular file where the device was (as root, over `/dev/null`).
    Decided by the path itself: a symbolic link is not followed but replaced, so that a link planted in an
    output folder cannot send a write outside it."""
    try:
        mode = path.lstat().st_mode
    except OSError:  # not there yet (or unreachable: the write says why)
        return False
    return stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def _stream(path: Path) -> _Guarded | None:
    """`path` opened as a stream to write to where it is one, else None. A descriptor's name is the
    descriptor itself, duplicated: written where the shell left its offset (`>> log.txt` appends, and
    what others write to it around the report stays in order), as a reopened /proc/self/fd/1 would not."""
    descriptor = _descriptor(path)
    try:
        if descriptor is not None:
            return _Guarded(io.FileIO(os.dup(descriptor), "w"), path)
        if _is_stream(path):
            return _Guarded(io.FileIO(path, "w"), path)
    except OSError as error:
        raise WriteError.of(path, error) from None
    return None


@contextlib.contextmanager
def atomic_binary_stream(path: Path) -> Iterator[IO[bytes]]:
    """A stream whose content replaces `path` when the block ends, and is thrown away if it raises; a
    device, pipe or descriptor's name is written to as it is. Failing to write raises `WriteError` naming
    `path`."""
    stream = _stream(path)
    if stream is not None:
        with stream:
            yield stream
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except FileExistsError:  # what mkdir says of a folder on the way that is a file
        raise WriteError(path, os.strerror(errno.ENOTDIR)) from None
    except OSError as error:
        raise WriteError.of(path, error) from None
    try:
        with _Guarded(io.FileIO(fd, "w"), path) as handle:
            yield handle
        try:
            # A file we replace keeps its mode (an executable script stays executable).
            os.chmod(temporary, path.stat().st_mode & 0o7777 if path.exists() else _default_mode())
            os.replace(temporary, path)
        except OSError as error:
            raise WriteError.of(path, error) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_text_stream(path: Path) -> Iterator[TextIO]:
    """`atomic_binary_stream` for UTF-8 text with `\\n` line endings on every platform."""
    with atomic_binary_stream(path) as binary:
        text = io.TextIOWrapper(binary, encoding="utf-8", newline="\n")
        try:
            yield text
        finally:
            text.flush()
            text.detach()


def atomic_write(path: Path, content: str | bytes) -> None:
    """Write `content` to `path` via a temporary file in the same folder and an atomic rename."""
    with atomic_binary_stream(path) as handle:
        handle.write(content.encode("utf-8") if isinstance(content, str) else content)
