"""Where a JSON Schema holds further schemas, and one way to visit or rebuild them.

Loader, sampler, checker and model generator all walk payload schemas; they agree here on which
keywords hold schemas (and which hold data: `enum`, `const`, `default`, `examples`, `x-...` never
are), so a keyword added for one is understood by all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

Steps = tuple[str | int, ...]

#: Keywords whose value is one schema (draft-07, plus the 2019-09/2020-12 ones that payloads use).
ONE_SCHEMA = frozenset(
    {
        "additionalItems",
        "additionalProperties",
        "contains",
        "propertyNames",
        "if",
        "then",
        "else",
        "not",
        "unevaluatedProperties",
        "unevaluatedItems",
        "contentSchema",
    }
)
#: Keywords whose value is a list of schemas (`items` is one schema or a list, by its value).
LIST_OF_SCHEMAS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})
#: Keywords whose value maps names to schemas.
MAP_OF_SCHEMAS = frozenset({"properties", "patternProperties", "definitions", "$defs", "dependentSchemas"})
#: Keywords whose schemas apply to the very value their schema applies to, not to a member or an item of it.
#: A loop of `$ref`s through these alone never moves into the value, so no validator can finish it.
IN_PLACE = frozenset(
    {"allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "dependencies"}
)


#: Draft-07's keywords describing a string's encoded content, and our compression extension beside them
#: (docs/extensions.md): what decoders read, and what validators that assert content must not see.
CONTENT_KEYWORDS = ("contentEncoding", "contentMediaType", "contentSchema")
ENCODED_CONTENT_KEYWORDS = (*CONTENT_KEYWORDS, "x-contentCompression")


def subschemas(schema: dict[str, Any]) -> Iterator[tuple[Steps, Any]]:
    """Every schema directly inside `schema`, with the pointer steps from `schema` to it."""
    for key, value in schema.items():
        if key in MAP_OF_SCHEMAS and isinstance(value, dict):
            for name, sub in value.items():
                yield (key, name), sub
        elif key == "dependencies" and isinstance(value, dict):
            # draft-07: a schema, or a list of property names (data)
            for name, sub in value.items():
                if isinstance(sub, dict | bool):
                    yield (key, name), sub
        elif (key in ONE_SCHEMA or key == "items") and isinstance(value, dict | bool):
            yield (key,), value
        elif (key in LIST_OF_SCHEMAS or key == "items") and isinstance(value, list):
            for index, sub in enumerate(value):
                yield (key, index), sub


def map_subschemas(schema: dict[str, Any], rewrite: Callable[[Any, Steps], Any]) -> dict[str, Any]:
    """A copy of `schema` with each schema directly inside it replaced by `rewrite(sub, steps)`."""
    result = dict(schema)
    copied: set[str] = set()  # containers (`properties`, `allOf`...) copied before their first change
    for steps, sub in subschemas(schema):
        key, new = str(steps[0]), rewrite(sub, steps)
        if len(steps) == 1:
            result[key] = new
            continue
        if key not in copied:
            result[key] = dict(schema[key]) if isinstance(schema[key], dict) else list(schema[key])
            copied.add(key)
        result[key][steps[1]] = new
    return result


def walk(schema: Any, visit: Callable[[dict[str, Any]], None]) -> None:
    """Call `visit` on `schema` and every schema object inside it, depth first (not on data)."""
    if not isinstance(schema, dict):
        return
    visit(schema)
    for _, sub in subschemas(schema):
        walk(sub, visit)
