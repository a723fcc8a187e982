"""Validation errors as plain sentences ("expected integer, got string \\"12\\""), with pointer and keyword.

The errors are jsonschema-rs's (`iter_errors`), whose typed `kind` carries what the sentence needs and whose
`schema_path` is absolute in the standalone schema, so `Schema.where_of` can name the place in the document.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import orjson

from generator.checker.result import Violation
from generator.location import escape_token, pointer_text
from generator.runtime.recognition import json_type

Locate = Callable[[Sequence[str | int]], str]
_SHOWN = 60
_LISTED = 8
_BOUNDS = {
    "minimum": ">=",
    "maximum": "<=",
    "exclusiveMinimum": ">",
    "exclusiveMaximum": "<",
}
_COUNTS = {
    "minLength": ("at least", "characters"),
    "maxLength": ("at most", "characters"),
    "minItems": ("at least", "items"),
    "maxItems": ("at most", "items"),
    "minProperties": ("at least", "fields"),
    "maxProperties": ("at most", "fields"),
}


def shown(value: Any) -> str:
    """A JSON value as the user would read it, cut short when long."""
    try:
        text = orjson.dumps(value).decode()
    except TypeError:
        text = repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def violations(error: Any, locate: Locate, prefix: str = "") -> list[Violation]:
    """The violations one jsonschema-rs error stands for (one per unexpected member, else one)."""
    kind = error.kind
    keyword = str(getattr(kind, "name", "") or "")
    pointer = prefix + pointer_text(error.instance_path)
    where = locate(error.schema_path)
    instance = error.instance
    if keyword == "required":
        member = str(kind.property)
        return [Violation(f"{pointer}/{escape_token(member)}", keyword, "required field is missing", where)]
    if keyword == "additionalProperties":
        return [
            Violation(f"{pointer}/{escape_token(str(name))}", keyword, "field is not allowed here", where)
            for name in kind.unexpected
        ]
    return [Violation(pointer, keyword, sentence(keyword, kind, instance, error), where)]


def sentence(keyword: str, kind: Any, instance: Any, error: Any) -> str:
    try:
        return _sentence(keyword, kind, instance, error)
    except (AttributeError, TypeError):  # a kind this version of jsonschema-rs shapes differently
        return str(error.message)


def _sentence(keyword: str, kind: Any, instance: Any, error: Any) -> str:
    # null is its own type's only value: "got null", not "got null null"
    got = "got null" if instance is None else f"got {json_type(instance)} {shown(instance)}"
    if keyword == "type":
        return f"expected {' or '.join(kind.types)}, {got}"
    if keyword == "const":
        return f"expected {shown(kind.expected_value)}, got {shown(instance)}"
    if keyword == "enum":
        options = list(kind.options)
        listed = ", ".join(shown(option) for option in options[:_LISTED])
        more = f" (and {len(options) - _LISTED} more)" if len(options) > _LISTED else ""
        return f"expected one of {listed}{more}, got {shown(instance)}"
    if keyword in _BOUNDS:
        return f"expected a number {_BOUNDS[keyword]} {shown(kind.limit)}, got {shown(instance)}"
    if keyword in _COUNTS:
        bound, unit = _COUNTS[keyword]
        if kind.limit == 1:
            unit = unit.removesuffix("s")  # "at least 1 item"
        return f"expected {bound} {kind.limit} {unit}, got {len(instance)}"
    if keyword == "pattern":
        return f"expected a string matching {shown(kind.pattern)}, got {shown(instance)}"
    if keyword == "multipleOf":
        return f"expected a multiple of {shown(kind.multiple_of)}, got {shown(instance)}"
    if keyword == "uniqueItems":
        return "expected unique items, found duplicates"
    if keyword == "oneOf" and type(kind).__name__ == "OneOfMultipleValid":
        return "matches more than one of the alternatives, and oneOf allows exactly one"
    if keyword in ("anyOf", "oneOf"):
        return _alternatives(kind, error)
    if keyword == "not":
        return f"must not match {shown(kind.schema)}, {got}"
    if keyword == "falseSchema":
        return "no value is allowed here"
    if keyword == "format":
        named = {"regex": "regular expression"}.get(str(kind.format), str(kind.format))
        return f"expected a {named}, got {shown(instance)}"
    if keyword == "contains":
        return "expected at least one item matching the contains schema, found none"
    return str(error.message)


#: Keywords whose failure says a value is not meant as an alternative (its `type: heartbeat` among
#: `type: update` events), rather than that it is one with a mistake.
_CHOSEN_BY = frozenset({"const", "enum"})


def nearest(error: Any) -> list[Any] | None:
    """The errors of the alternative a value that fails `anyOf`/`oneOf` `error` was most likely meant as
    (None when the error lists no alternative): first one it has the type of (a string `type: integr` is
    meant as a type name, not as a list of them), then one whose constants it holds (as recognition tells
    messages apart), then the one with the fewest errors."""
    branches = [list(branch) for branch in getattr(error.kind, "context", None) or []]
    if not branches:
        return None
    at = list(error.instance_path)

    def unlike(errors: list[Any]) -> tuple[int, int, int]:
        mistyped = sum(e.kind.name == "type" and list(e.instance_path) == at for e in errors)
        return mistyped, sum(e.kind.name in _CHOSEN_BY for e in errors), len(errors)

    return min(branches, key=unlike)


def innermost(error: Any) -> Any:
    """The error that says what is wrong: through failed alternatives, the first error of the nearest."""
    while str(getattr(error.kind, "name", "")) in ("anyOf", "oneOf"):
        errors = nearest(error)
        if not errors:
            break
        error = errors[0]
    return error


def _alternatives(kind: Any, error: Any) -> str:
    count = len(getattr(kind, "context", None) or [])
    text = f"matches none of the {count} alternatives" if count else "matches none of the alternatives"
    errors = nearest(error)
    if errors:
        first = errors[0]
        inner = sentence(str(first.kind.name), first.kind, first.instance, first)
        at = pointer_text(first.instance_path) or "/"
        if first.kind.name == "required":
            inner, at = (
                "required field is missing",
                f"{at.rstrip('/')}/{escape_token(str(first.kind.property))}",
            )
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        text += f"; nearest: {at}: {inner}{more}"
    return text
