"""Problems raised by `gen samples`, placed in the document where that helps (file:line:col)."""

from __future__ import annotations

from pathlib import Path

from generator.location import Source
from generator.problems import GenError, Kind, Problem


def position(source: Source) -> tuple[int | None, int | None]:
    """Line and column of `source` in its file; the file is read again, which only errors pay for."""
    from generator.loader.reader import read_file

    if "://" in source.file:
        return None, None
    read = read_file(Path(source.file))
    if isinstance(read, Problem):
        return None, None
    return read.position(source.pointer)


def document_error(source: Source, where: str, what: str) -> GenError:
    """The document itself is wrong (exit 1), e.g. an example that does not match its schema."""
    line, col = position(source)
    return GenError([Problem(file=source.file, where=where, what=what, line=line, col=col)])


def usage_error(file: str, what: str, where: str = "") -> GenError:
    """What was asked cannot be done (exit 2): an unknown message or parameter, an invalid --set."""
    return GenError([Problem(file=file, where=where, what=what, kind=Kind.INPUT)])
