"""Writing files atomically: a reader (or a crash) never sees a half-written file."""

from __future__ import annotations

import contextlib
import io
import os
import stat
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import IO, TextIO


class WriteError(Exception):
    """A file that could not be written, and why (`strerror`): nothing of it was written."""

    def __init__(self, path: Path, error: OSError) -> None:
        self.path = path
        self.reason = error.strerror or str(error)
        super().__init__(f"{path}: cannot write: {self.reason}")


@cache
def _default_mode() -> int:
    """The mode `open()` would give a new file: 0o666 less the umask (mkstemp alone gives 0o600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _written_in_place(path: Path) -> bool:
    """Whether `path` is a stream rather than a file to replace: a device (`/dev/null`), a pipe, or a
    descriptor's name (`/dev/stdout`, `/dev/fd/3`, `/proc/self/fd/1`, wherever it leads). Renaming a
    file over one of them would put a regular file where the device was (as root, over `/dev/null`)."""
    if path.is_absolute() and path.parts[1:2] in (("dev",), ("proc",)):
        return True
    try:
        return not stat.S_ISREG(path.stat().st_mode)
    except OSError:  # not there yet (or unreachable: the write says why)
        return False


@contextlib.contextmanager
def atomic_binary_stream(path: Path) -> Iterator[IO[bytes]]:
    """A stream whose content replaces `path` when the block ends, and is thrown away if it raises. A
    device or pipe is written to as it is; a symbolic link stays one, its target replaced. Failing to
    create, close or rename the file raises `WriteError` naming `path`."""
    if _written_in_place(path):
        try:
            stream = open(path, "wb")  # noqa: SIM115 (closed below; opening is what may fail)
        except OSError as error:
            raise WriteError(path, error) from None
        with stream:
            yield stream
        return
    try:
        if path.is_symlink():
            path = path.resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise WriteError(path, error) from None
    try:
        handle = os.fdopen(fd, "wb")
        with handle:
            yield handle
            try:
                handle.flush()  # where a full disk shows
            except OSError as error:
                raise WriteError(path, error) from None
        try:
            # A file we replace keeps its mode (an executable script stays executable).
            os.chmod(temporary, path.stat().st_mode & 0o7777 if path.exists() else _default_mode())
            os.replace(temporary, path)
        except OSError as error:
            raise WriteError(path, error) from None
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
