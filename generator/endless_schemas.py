"""Named schemas no finite value matches: each requires a member whose schema is the next, round a loop.

`ParentNode: {type: object, required: [child], properties: {child: {$ref: ChildNode}}}` and `ChildNode`
requiring a `parent` that is a `ParentNode`: a value of either holds one of the other, which holds one of the
first, and so on forever. Valid JSON Schema, but no event can match it (evryfs' interoperability contract).
Only what is certain is said: each schema on the loop must accept objects alone, require the member, and
give it exactly the next schema (a bare `$ref`); loops through unions, arrays or optional members end.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from generator.checker.views import ref_name


def endless_loops(schemas: Mapping[str, Any]) -> Iterator[list[tuple[str, str]]]:
    """Each loop of named schemas (in `$defs` terms: `{"$ref": "#/$defs/Name"}`), once, as (schema, member)
    steps from its first schema by name."""
    edges = {name: list(_required_refs(body, schemas)) for name, body in schemas.items()}
    reported: set[frozenset[str]] = set()
    clean: set[str] = set()  # reach no loop: not walked again
    for start in sorted(edges):
        found = _loop_from(start, edges, [], {}, clean)
        if found is not None and frozenset(name for name, _ in found) not in reported:
            reported.add(frozenset(name for name, _ in found))
            first = min(range(len(found)), key=lambda index: found[index][0])
            yield found[first:] + found[:first]


def _loop_from(
    name: str,
    edges: dict[str, list[tuple[str, str]]],
    path: list[tuple[str, str]],
    seen: dict[str, int],
    clean: set[str],
) -> list[tuple[str, str]] | None:
    """The first loop reached from `name` along `path` (the steps walked, `seen` where each schema on it
    stands), or None; a schema that reaches none joins `clean`."""
    if name in seen:
        return path[seen[name] :]
    if name in clean:
        return None
    seen[name] = len(path)
    for member, target in edges.get(name, ()):
        path.append((name, member))
        found = _loop_from(target, edges, path, seen, clean)
        if found is not None:
            return found
        path.pop()
    del seen[name]
    clean.add(name)
    return None


def _required_refs(body: Any, schemas: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(member, schema name) of each member `body` requires whose schema is a bare reference to a named one;
    none unless `body` accepts objects alone."""
    if not isinstance(body, dict) or body.get("type") not in ("object", ["object"]):
        return
    required = body.get("required")
    properties = body.get("properties")
    if not isinstance(required, list) or not isinstance(properties, dict):
        return
    for member in required:
        schema = properties.get(member) if isinstance(member, str) else None
        target = ref_name(schema, schemas) if isinstance(schema, dict) and len(schema) == 1 else None
        if target is not None:
            yield member, target
