"""Values a schema lists that the keywords beside them refuse: an `enum` or `const` that can never be valid.

`type: object, enum: [create, update, delete]` (HDI's case study) admits no value at all; `type: integer,
enum: [1, "2"]` never admits its "2". Valid JSON Schema either way, and a mistake every time: each event
fails, `gen samples` can draw none.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from generator.fast_validation import fast_validator
from generator.schema_walk import Steps, subschemas

#: The keywords a value listed in a schema (`enum`, `const`, `default`) is held to where it stands (what the
#: schema refers to is not looked up).
LOCAL_KEYWORDS = (
    "type", "enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
    "minLength", "maxLength", "pattern", "minItems", "maxItems",
)  # fmt: skip


@dataclass(frozen=True)
class UnfitValues:
    """At `path`, `keyword` (`enum` or `const`) lists `unfit` values that the keywords `beside` it refuse;
    `none_fit` when that is every value it lists."""

    path: Steps
    keyword: str
    unfit: tuple[Any, ...]
    beside: dict[str, Any]
    none_fit: bool

    def sentence(self) -> str:
        beside = ", ".join(f"{key}: {_json(value)}" for key, value in self.beside.items())
        if self.none_fit:
            listed = _json(self.unfit[0]) if self.keyword == "const" else _json(list(self.unfit))
            return f"{self.keyword} {listed}: none fits {beside} beside it, so no value can be valid here"
        values = ", ".join(_json(value) for value in self.unfit)
        if len(self.unfit) == 1:
            return f"enum value {values} does not fit {beside} beside it, so it can never be valid"
        return f"enum values {values} do not fit {beside} beside them, so they can never be valid"


def local_check(node: dict[str, Any], *, leaving: tuple[str, ...] = ()) -> Any:
    """A validator of the `LOCAL_KEYWORDS` of `node` but those `leaving`: jsonschema-rs's, as gen check
    validates (its regular expressions are ECMA-262's: `\\p{L}`, which Python's `re` refuses, is one); None
    when there are none, or when they are not JSON Schema themselves (`maximum: "abc"`: gen validate's
    error already)."""
    local = _local(node, leaving)
    return fast_validator(local) if local else None


def _local(node: dict[str, Any], leaving: tuple[str, ...]) -> dict[str, Any]:
    return {key: node[key] for key in LOCAL_KEYWORDS if key in node and key not in leaving}


def unfit_values(schema: Any) -> Iterator[UnfitValues]:
    """Each `enum` or `const` inside `schema` holding values the keywords beside it refuse."""

    def visit(node: Any, path: Steps) -> Iterator[UnfitValues]:
        if not isinstance(node, dict):
            return
        beside = _local(node, ("enum", "const"))
        validator = fast_validator(beside) if beside else None  # `local_check`, keeping what it checks
        if validator is not None:
            listed = [("enum", v) for v in node["enum"]] if isinstance(node.get("enum"), list) else []
            listed += [("const", node["const"])] if "const" in node else []
            for keyword in ("enum", "const"):
                values = [value for key, value in listed if key == keyword]
                unfit = tuple(value for value in values if not validator.is_valid(value))
                if unfit:
                    yield UnfitValues((*path, keyword), keyword, unfit, beside, len(unfit) == len(values))
        for steps, sub in subschemas(node):
            yield from visit(sub, (*path, *steps))

    yield from visit(schema, ())


def _json(value: Any) -> str:
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return repr(value)
