"""What the values a typed decoder accepts are known to hold (`Facts`), and reading decoded values.

`typed.compile_typed` records, for each type it builds, what every value it accepts is: its JSON kinds, its
possible constants, its members, whether they are required. From those the checker tells which messages'
recognition rules every accepted event meets, or none does (`rule_status`), without looking at the event;
the rules left are tested per event on the decoded value (`typed_resolve`, which reads struct members by
their JSON names).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

import msgspec

from generator.runtime.recognition import json_equal


@dataclass(frozen=True)
class Facts:
    """What every value a compiled type accepts is known to be. ``kinds`` None: nothing is known.

    Kinds are JSON types; ``number`` means any number, ``integer`` only integers. ``members`` is set for
    closed structs: member -> (its facts, required). ``item`` and ``min_items`` for arrays.
    """

    kinds: frozenset[str] | None
    values: tuple[Any, ...] | None = None
    members: Mapping[str, tuple[Facts, bool]] | None = None
    item: Facts | None = None
    min_items: int = 0


UNKNOWN = Facts(None)
#: What reading a member that is not there gives (`typed_resolve`).
ABSENT = object()


class Status(Enum):
    HOLDS = "holds"  # every accepted value meets the rule
    FAILS = "fails"  # no accepted value meets it
    UNKNOWN = "unknown"


def rule_status(facts: Facts, pointer: tuple[str | int, ...], op: str, expected: Any) -> Status:
    """Whether a recognition rule (`generator.runtime.recognition`) holds for every value `facts` describe."""
    node, present = facts, True
    for token in pointer:
        kinds = node.kinds
        if kinds is None:
            return Status.UNKNOWN
        if type(token) is str:
            if "object" not in kinds:
                return Status.FAILS
            if node.members is None:
                return Status.UNKNOWN  # a mapping: any member may be there
            if token not in node.members:
                return Status.FAILS  # a closed struct: never there
            present = present and kinds == {"object"}
            node, required = node.members[token]
            present = present and required
        else:
            if "array" not in kinds:
                return Status.FAILS
            if node.item is None:
                return Status.UNKNOWN
            present = present and kinds == {"array"} and node.min_items > int(token)
            node = node.item
    return _value_status(node, present, op, expected)


def _value_status(node: Facts, present: bool, op: str, expected: Any) -> Status:
    if op == "required":
        return Status.HOLDS if present else Status.UNKNOWN
    if op in ("const", "enum"):
        wanted = [expected] if op == "const" else expected if isinstance(expected, list) else []
        if node.values is not None:
            matches = [any(json_equal(v, w) for w in wanted) for v in node.values]
            if not any(matches):
                return Status.FAILS
            return Status.HOLDS if present and all(matches) else Status.UNKNOWN
        if node.kinds is not None and not any(kind_of(w) & node.kinds for w in wanted):
            return Status.FAILS
        return Status.UNKNOWN
    if op == "type":
        allowed = type_names(expected)
        if node.kinds is None:
            return Status.UNKNOWN
        if not node.kinds & allowed:
            return Status.FAILS
        return Status.HOLDS if present and node.kinds <= allowed else Status.UNKNOWN
    return Status.FAILS  # an operation recognition does not know never matches


def kind_of(value: Any) -> frozenset[str]:
    if value is None:
        return frozenset({"null"})
    if isinstance(value, bool):
        return frozenset({"boolean"})
    if isinstance(value, int):
        return frozenset({"integer", "number"})
    if isinstance(value, float):
        return frozenset({"number", "integer"} if value.is_integer() else {"number"})
    if isinstance(value, str):
        return frozenset({"string"})
    return frozenset({"array"} if isinstance(value, list) else {"object"})


def type_names(value: Any) -> set[str]:
    """The JSON types a ``type`` value names; ``number`` names integers too."""
    names = {value} if isinstance(value, str) else set(value) if isinstance(value, list) else set()
    return names | ({"integer"} if "number" in names else set())


def typed_resolve(
    decoded: Any, pointer: tuple[str | int, ...], attributes: dict[type, dict[str, str]]
) -> Any:
    """`recognition.resolve` over a decoded event (members of structs by their JSON names): the value at
    `pointer`, or `ABSENT`."""
    value = decoded
    for token in pointer:
        kind = type(value)
        if type(token) is str:
            if kind is dict:
                value = value.get(token, ABSENT)
            elif kind in attributes and token in attributes[kind]:
                value = getattr(value, attributes[kind][token])
                value = ABSENT if value is msgspec.UNSET else value
            else:
                return ABSENT
        elif kind is list and type(token) is int and 0 <= token < len(value):
            value = value[token]
        else:
            return ABSENT
        if value is ABSENT:
            return ABSENT
    return value
