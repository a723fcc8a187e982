"""Members a schema declares but can never hold, because a part of its `allOf` is closed.

`additionalProperties: false` sees only the `properties` beside it, never those of the schemas it is
combined with. So `allOf: [{$ref: Base}]` where Base is closed forbids every member the combination adds,
and a closed schema whose `allOf` brings members in forbids those: a common mistake when extending a schema,
valid JSON Schema all the same. Such a member can never be present, and when it is required no value
matches at all (every event fails; `gen samples` cannot draw one; a TypedDict model extending a closed one
fails mypy).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from generator.checker.views import ref_name
from generator.schema_walk import Steps, subschemas


@dataclass(frozen=True)
class ClosedMembers:
    """At `path` (a schema with `allOf`): `closed` (which schema: "this schema" or "allOf part N (Name)")
    allows only `allowed`, so `never` can never be present; `required` of them are required."""

    path: Steps
    closed: str
    allowed: tuple[str, ...]
    never: tuple[str, ...]
    required: tuple[str, ...]

    def sentence(self) -> str:
        allowed = f"only {', '.join(self.allowed)}" if self.allowed else "no member"
        never = ", ".join(self.never)
        text = f"{self.closed} allows {allowed} (additionalProperties: false)"
        text += f", so {never} can never be present"
        if self.required:
            text += f"; as {', '.join(self.required)} is required, no value matches this schema"
        return text


def closed_members(schema: Any, bodies: Mapping[str, Any]) -> Iterator[ClosedMembers]:
    """Each schema inside `schema` whose `allOf` combines a closed schema with members it does not allow;
    `bodies` are the named schemas its `$ref`s name."""
    yield from _visit(schema, (), bodies)


def _visit(node: Any, path: Steps, bodies: Mapping[str, Any]) -> Iterator[ClosedMembers]:
    if not isinstance(node, dict):
        return
    parts = node.get("allOf")
    if isinstance(parts, list) and parts:
        yield from _check(node, path, parts, bodies)
    for steps, sub in subschemas(node):
        yield from _visit(sub, (*path, *steps), bodies)


def _check(
    node: dict[str, Any], path: Steps, parts: list[Any], bodies: Mapping[str, Any]
) -> Iterator[ClosedMembers]:
    named: list[tuple[str, dict[str, Any]]] = [("this schema", node)]
    for index, part in enumerate(parts):
        body, name = _resolved(part, bodies)
        if isinstance(body, dict):
            named.append((f"allOf part {index}" + (f" ({name})" if name else ""), body))
    declared: dict[str, None] = {}
    required: set[str] = set()
    for _, body in named:
        declared.update(dict.fromkeys(m for m in _properties(body)))
        listed = body.get("required")
        found = [m for m in listed if isinstance(m, str)] if isinstance(listed, list) else []
        declared.update(dict.fromkeys(found))
        required.update(found)
    for who, body in named:
        if body.get("additionalProperties") is not False or body.get("patternProperties"):
            continue
        allowed = _properties(body)
        never = tuple(m for m in declared if m not in allowed)
        if never:
            yield ClosedMembers(path, who, tuple(allowed), never, tuple(m for m in never if m in required))
            return  # one closed schema said is enough: the others would repeat it


def _resolved(part: Any, bodies: Mapping[str, Any]) -> tuple[Any, str]:
    """`part`, through its `$ref`s to named schemas (each followed once), and the name of the last."""
    name, seen = "", set()
    while (found := ref_name(part, bodies)) is not None and found not in seen:
        seen.add(found)
        name, part = found, bodies[found]
    return part, name


def _properties(body: dict[str, Any]) -> list[str]:
    properties = body.get("properties")
    return [str(m) for m in properties] if isinstance(properties, dict) else []
