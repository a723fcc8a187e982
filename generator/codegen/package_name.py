"""Whether the output folder's name can be the generated package's name.

The generated modules import one another as a package (`from .models import Order`), so the folder is
imported by its name (`lambda_app.router.handle`, pytest collecting `lambda_app.tests`). A name that is no
identifier (`my-app`, `3rd`) or a keyword (`lambda`) cannot be written in an import; one that is a standard
library module or a package the models import (`json`, `pydantic`) hides that module from everything run
beside it, pytest and the package itself included.
"""

from __future__ import annotations

import keyword
import sys
from pathlib import Path

from generator.names import split_words
from generator.problems import Kind, Problem

#: Third-party packages a generated package imports (by model type), or that its imports rest on.
_DEPENDENCIES = frozenset({"pydantic", "pydantic_core", "msgspec", "typing_extensions"})


def package_name_problem(output_dir: Path) -> Problem | None:
    """Why the folder at `output_dir` cannot hold the generated package under its name; None when it can."""
    name = output_dir.resolve().name
    if name.isidentifier() and not keyword.iskeyword(name):
        if name in sys.stdlib_module_names:
            why = f"is a standard library module, which the package would hide (import {name} would find it)"
        elif name in _DEPENDENCIES:
            why = "is a package the generated models import, which the package would hide"
        else:
            return None
    elif keyword.iskeyword(name):
        why = "is a Python keyword, which no import can name"
    else:
        why = "is not a Python identifier, which an import needs"
    what = (
        f"cannot be a Python package: its name {name!r} {why}; the generated modules import one another as "
        f"a package, so name the folder {_suggested(name)!r}, say"
    )
    return Problem(file=str(output_dir), what=what, kind=Kind.INPUT)


def _suggested(name: str) -> str:
    words = "_".join(word.lower() for word in split_words(name))
    if not words or words[0].isdigit():
        return f"app_{words}".rstrip("_")
    if keyword.iskeyword(words) or words in sys.stdlib_module_names or words in _DEPENDENCIES:
        return f"{words}_app"
    return words
