"""Drift folded into the payload schema, so that the fast path validates each event once, not twice.

The fast path proves an event valid with no undeclared field in one Rust call on a schema combining the
payload schema with its drift shape (`shape.shape_schema`). Given side by side (``allOf``), the two walk the
event twice, and the shape's walk costs about a third of the validation. Here, a named schema whose shape is
closed gets ``additionalProperties: false`` itself, which the validator checks in the walk it makes for
``properties`` anyway, and the shape keeps only the closed objects left (often none).

Only the fast path uses the folded schema, and only its ``True`` is trusted, so folding must never make an
event pass that the two schemas refuse (the folded schema is stricter than the payload schema, and closes
every object the shape closes). That holds when a folded schema is applied only where its constraints
simply add up: it is never reached under ``not``, ``if``, ``oneOf`` or ``anyOf``, where a stricter branch
could turn the verdict around or be passed over while the shape still applies. The other way, an event
that only the folded schema refuses costs the slow path, which tells errors from drift exactly: a named
schema is folded only where its shape is its own ``properties``.
"""

from __future__ import annotations

from typing import Any

from generator.checker.shape import Shape
from generator.schema_walk import subschemas

#: Where a subschema's verdict does not simply add up: ``not`` and ``if`` flip it, ``oneOf`` counts
#: matches, and an ``anyOf`` (or ``oneOf``) branch may fail while the event passes, where the shape still
#: closes the objects it declares.
_TURNING = frozenset({"not", "oneOf", "anyOf", "if"})
_DEFS = "#/$defs/"


def fold(standalone: dict[str, Any], shape: Shape) -> tuple[dict[str, Any], frozenset[str]]:
    """`standalone` with its foldable named schemas closed, and their names (empty: nothing folded)."""
    defs = standalone.get("$defs")
    if not isinstance(defs, dict):
        return standalone, frozenset()
    reached = _reached(standalone, defs)
    if reached is None:
        return standalone, frozenset()
    folded = frozenset(
        name
        for name, named in _named_shapes(shape).items()
        if reached.get(name) is True and _closes_itself(defs.get(name), named)
    )
    if not folded:
        return standalone, frozenset()
    closed = {
        name: ({**body, "additionalProperties": False} if name in folded else body)
        for name, body in defs.items()
    }
    return {**standalone, "$defs": closed}, folded


def _closes_itself(body: Any, shape: Shape) -> bool:
    """Whether ``additionalProperties: false`` on `body` says what `shape` says: its members, no others."""
    if not isinstance(body, dict) or not shape.closed:
        return False
    properties = body.get("properties")
    if not isinstance(properties, dict) or not properties:
        return False
    if any(
        key in body
        for key in ("additionalProperties", "patternProperties", "$ref", "allOf", "anyOf", "oneOf")
    ):
        return False
    return set(properties) == set(shape.members)


def _named_shapes(shape: Shape) -> dict[str, Shape]:
    found: dict[str, Shape] = {}
    seen: set[int] = set()
    stack = [shape]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if current.name is not None:
            found.setdefault(current.name, current)
        stack.extend(current.members.values())
        stack.extend(sub for _, sub in current.patterns)
        stack.extend(sub for sub in (current.other, current.items) if sub is not None)
    return found


def _reached(standalone: dict[str, Any], defs: dict[str, Any]) -> dict[str, bool] | None:
    """Each named schema the validator applies -> True when only where constraints add up, else False.

    None when a reference is not to ``#/$defs/<name>`` (nothing is folded then).
    """
    reached: dict[str, bool] = {}
    done: set[tuple[str, bool]] = set()
    stack: list[tuple[Any, bool]] = [({k: v for k, v in standalone.items() if k != "$defs"}, True)]
    while stack:
        schema, adding = stack.pop()
        if not isinstance(schema, dict):
            continue
        ref = schema.get("$ref")
        if ref is not None:
            if not isinstance(ref, str) or not ref.startswith(_DEFS) or ref[len(_DEFS) :] not in defs:
                return None
            name = ref[len(_DEFS) :]
            reached[name] = reached.get(name, True) and adding
            if (name, adding) not in done:
                done.add((name, adding))
                stack.append((defs[name], adding))
        for steps, sub in subschemas(schema):
            if steps[0] in ("$defs", "definitions"):
                continue  # not applied where they stand: references reach them
            stack.append((sub, adding and steps[0] not in _TURNING))
    return reached
