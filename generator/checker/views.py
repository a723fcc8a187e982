"""Walking a message's schema as the validator sees it: which schemas apply at one place, and where they are.

Shared by the drift (`shape`) and inner-payload (`content`) precomputations, which each walk a schema once per
message. Locations are paths inside `Schema.as_json_schema()` (``("$defs", "S3Record", "properties", ...)``),
the form `Schema.where_of` turns into a place in the document.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.model import NamedSchema

SchemaPath = tuple[str | int, ...]
Located = tuple[Any, SchemaPath]


def ref_name(schema: Any, defs: Mapping[str, NamedSchema]) -> str | None:
    """The named schema `schema` is a `$ref` to, if it is one (refs read `#/$defs/<name>` in the model)."""
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/") and ref[8:] in defs:
            return ref[8:]
    return None


def applying(
    located: Iterable[Located], defs: Mapping[str, NamedSchema], seen: frozenset[str] = frozenset()
) -> Iterator[tuple[dict[str, Any], SchemaPath]]:
    """The object schemas that apply at one place: `$ref`s followed, `allOf` branches merged.

    Draft-07 ignores the siblings of a `$ref`, and so does this. A named schema is entered once per call.
    """
    for schema, path in located:
        if not isinstance(schema, dict):
            continue
        if "$ref" in schema:
            name = ref_name(schema, defs)
            if name is not None and name not in seen:
                yield from applying([(defs[name].body, ("$defs", name))], defs, seen | {name})
            continue
        yield schema, path
        all_of = schema.get("allOf")
        if isinstance(all_of, list):
            yield from applying(((s, (*path, "allOf", i)) for i, s in enumerate(all_of)), defs, seen)


def members(views: Iterable[tuple[dict[str, Any], SchemaPath]], name: str) -> list[Located]:
    """The schemas of member `name` declared under `properties` in `views`."""
    found: list[Located] = []
    for view, path in views:
        properties = view.get("properties")
        if isinstance(properties, dict) and name in properties:
            found.append((properties[name], (*path, "properties", name)))
    return found


def items(views: Iterable[tuple[dict[str, Any], SchemaPath]]) -> list[Located]:
    """The schemas of array items in `views` (a tuple form contributes each of its schemas)."""
    found: list[Located] = []
    for view, path in views:
        value = view.get("items")
        if isinstance(value, dict | bool):
            found.append((value, (*path, "items")))
        elif isinstance(value, list):
            found.extend((s, (*path, "items", i)) for i, s in enumerate(value))
    return found
