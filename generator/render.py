"""The one Jinja environment every generator renders with.

Templates are looked up in the user's override folder first, then in ours (`templates/`), so a user can
replace
any single template. Undefined variables are errors, never silent blanks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2

from generator.resources import templates_dir


def environment(
    subfolder: str,
    *,
    user_templates: Path | None = None,
    filters: Mapping[str, Callable[..., Any]] | None = None,
    autoescape: bool = False,
) -> jinja2.Environment:
    """An environment for the templates under `templates/<subfolder>` (and the user's own copy of it)."""
    loaders: list[jinja2.BaseLoader] = []
    if user_templates is not None:
        loaders.append(jinja2.FileSystemLoader(str(user_templates)))
    loaders.append(jinja2.FileSystemLoader(str(templates_dir() / subfolder)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=autoescape,
    )
    env.filters.update(filters or {})
    return env
