"""Generated Python formatted by ruff, the same way whatever the user's own ruff configuration says.

Templates and datamodel-code-generator write correct but loosely laid-out code; one `ruff check --fix` (import
order, unused imports, modern syntax) and one `ruff format` over all files at once make it read as if written
by hand. `--isolated` ignores any configuration file around, so the output is the same on every machine.
"""

from __future__ import annotations

import importlib
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from generator.problems import GenError, Kind, Problem

LINE_LENGTH = 110
TARGET_VERSION = "py311"
#: Rules generated code is held to (the project's own), and whose safe fixes are applied to it.
CHECKED_RULES = "E,F,W,I,UP,B,SIM,RUF"
#: E501: long lines are left to the formatter. E741: a field keeps its JSON name even as `l` (DynamoDB's L).
IGNORED_RULES = "E501,E741"


def ruff_binary() -> str:
    """The ruff executable installed with gen (the `ruff` package ships it; its module has no type hints)."""
    return str(importlib.import_module("ruff.__main__").find_ruff_bin())


def ruff_options() -> list[str]:
    return ["--isolated", "--line-length", str(LINE_LENGTH), "--target-version", TARGET_VERSION]


def format_python(sources: Mapping[str, str]) -> dict[str, str]:
    """The sources (relative path -> text), fixed and formatted; `GenError` if ruff cannot parse one."""
    if not sources:
        return {}
    ruff = ruff_binary()
    with tempfile.TemporaryDirectory(prefix="gen-format-") as scratch:
        root = Path(scratch)
        for name, text in sources.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        fix = [
            ruff,
            "check",
            *ruff_options(),
            "--select",
            CHECKED_RULES,
            "--ignore",
            IGNORED_RULES,
            "--fix",
            "--exit-zero",
            "--quiet",
            ".",
        ]
        fmt = [ruff, "format", *ruff_options(), "--quiet", "."]
        for command in (fix, fmt):
            done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                detail = (done.stderr or done.stdout).strip().splitlines()
                raise GenError(
                    [
                        Problem(
                            file="<generated code>",
                            what=f"ruff could not format the generated code: {detail[0] if detail else '?'}",
                            kind=Kind.INPUT,
                        )
                    ]
                )
        return {name: (root / name).read_text(encoding="utf-8") for name in sources}
