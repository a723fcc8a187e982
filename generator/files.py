"""Writing files atomically: a reader (or a crash) never sees a half-written file."""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import IO, TextIO


@cache
def _default_mode() -> int:
    """The mode `open()` would give a new file: 0o666 less the umask (mkstemp alone gives 0o600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def atomic_binary_stream(path: Path) -> Iterator[IO[bytes]]:
    """A stream whose content replaces `path` when the block ends, and is thrown away if it raises."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
        # A file we replace keeps its mode (an executable script stays executable).
        os.chmod(temporary, path.stat().st_mode & 0o7777 if path.exists() else _default_mode())
        os.replace(temporary, path)
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
