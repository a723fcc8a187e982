"""Problems are values: every component reports what is wrong as `Problem`s with a location.

The CLI turns a list of problems into printed lines and one exit code; nothing below it prints or exits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Exit(IntEnum):
    """Exit codes shared by every command."""

    OK = 0
    #: The input was read but breaks the contract (invalid document, violating events, `--check` drift).
    FAILED = 1
    #: The input could not be read, or the command was misused.
    ERROR = 2
    #: Stopped by Ctrl-C (128 + SIGINT, as shells report it).
    INTERRUPTED = 130


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Kind(StrEnum):
    #: The input could not be read at all (exit 2).
    INPUT = "input"
    #: The input was read and is wrong (exit 1).
    CONTRACT = "contract"


@dataclass(frozen=True)
class Problem:
    """One fault, at one place: `FILE:LINE:COL: error: WHERE: WHAT`."""

    file: str
    what: str
    where: str = ""
    line: int | None = None
    col: int | None = None
    level: Level = Level.ERROR
    kind: Kind = Kind.CONTRACT

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place += f":{self.line}"
            if self.col is not None:
                place += f":{self.col}"
        where = f"{self.where}: " if self.where else ""
        return one_line(f"{place}: {self.level}: {where}{self.what}")


#: C0 and C1 control characters, DEL among them: the rest of Unicode prints as itself.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(text: str) -> str:
    """`text` with its control characters escaped as in JSON or Python (`\\n`, `\\x1b`): a name (of a
    channel, of an event's member) holding a newline keeps its problem on one line, and one holding a
    terminal's escape sequence shows it rather than sending it."""
    return _CONTROL.sub(lambda m: _ESCAPES.get(m[0]) or f"\\x{ord(m[0]):02x}", text)


def exit_code(problems: Iterable[Problem]) -> Exit:
    """The exit code a command ends with after these problems: unreadable input wins over violations."""
    code = Exit.OK
    for problem in problems:
        if problem.level is not Level.ERROR:
            continue
        if problem.kind is Kind.INPUT:
            return Exit.ERROR
        code = Exit.FAILED
    return code


class GenError(Exception):
    """Raised by the library API when it cannot go on; carries every problem found so far."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @property
    def exit_code(self) -> Exit:
        return exit_code(self.problems) or Exit.FAILED
