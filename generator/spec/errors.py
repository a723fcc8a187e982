"""Validate a document against a root model and turn pydantic's errors into `StructureIssue`s.

Each pydantic error becomes one sentence at one path of the raw document: union tags and other
pydantic-internal location parts are dropped, "missing" and "unknown field" errors are reported on the
object that lacks or carries the field, and identical issues are reported once.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from generator.spec import StructureIssue
from generator.spec.common import ERROR_PREFIX, ONE_OF_TAG, UNION_TAGS, describe

# What a value should have been, by pydantic error type (strict mode, so no coercion errors).
_EXPECTED = {
    "string_type": "a string",
    "bool_type": "a boolean",
    "int_type": "an integer",
    "float_type": "a number",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}

# Location parts pydantic adds for validator functions, e.g. "function-after[_check()]".
_FUNCTION_PART = re.compile(r"^function-(before|after|wrap|plain)\[.*\]$")
_KEY_PART = "[key]"


def collect(model: type[BaseModel], document: object, context: dict[str, Any]) -> list[StructureIssue]:
    """Every structural fault of `document` according to `model`, each reported once."""
    try:
        model.model_validate(document, context=context)
    except ValidationError as exc:
        issues = (_issue(error) for error in exc.errors(include_url=False))
        return list(dict.fromkeys(issues))
    return []


def _issue(error: ErrorDetails) -> StructureIssue:
    kind = error["type"]
    parts = [p for p in error["loc"] if not _internal(p)] + list(error.get("ctx", {}).get("at", ()))
    if _KEY_PART in error["loc"]:
        # A fault in a mapping's key, not its value: the key is the path's last part.
        if kind.startswith(ERROR_PREFIX):
            return StructureIssue(tuple(parts), error["msg"])
        return StructureIssue(tuple(parts), f"keys must be strings, got {describe(error['input'])}")
    if kind == "missing":
        return StructureIssue(tuple(parts[:-1]), f"required field {parts[-1]!r} is missing")
    if kind == "extra_forbidden":
        if error["loc"][-2:-1] == (ONE_OF_TAG,):  # beside 2.x's `message: {oneOf: [...]}`
            sentence = (
                f"unknown field {parts[-1]!r} beside oneOf (a oneOf message holds only its list of messages:"
                f" give each of them its {parts[-1]!r})"
            )
        else:
            sentence = f"unknown field {parts[-1]!r} (extensions must start with 'x-')"
        return StructureIssue(tuple(parts[:-1]), sentence)
    return StructureIssue(tuple(parts), _sentence(error))


def _internal(part: str | int) -> bool:
    return isinstance(part, str) and (
        part in UNION_TAGS or part == _KEY_PART or bool(_FUNCTION_PART.match(part))
    )


def _sentence(error: ErrorDetails) -> str:
    kind = error["type"]
    got = describe(error["input"])
    if kind.startswith(ERROR_PREFIX):
        return error["msg"]
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, got {got}"
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", "another value"))
        return f"expected {'one of ' if ', ' in expected else ''}{expected}, got {got}"
    # Not raised by these models today; say what pydantic says rather than nothing.
    return f"{error['msg'].rstrip('.')}, got {got}"
