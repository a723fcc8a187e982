"""What recognition rules cannot say, for `gen check` to settle by validity (`Checker`): the messages an
event that is not an object could only be guessed to be, whether an event means to be a message, and the
values a reply pins.

Recognition rules are read off payload schemas (`generator.recognize`); an event that is not an object
meets no rule on members. (A rule read off an array's `items` tests its first item, which an order of no
items lacks: `CompiledTable.hollow` names those entries, for the router and the checker alike.) The
generated router, which validates nothing, does not guess by type; these functions serve the checker only.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from generator.runtime.recognition import CompiledTable, _holds, holds

if TYPE_CHECKING:
    from generator.model import Message

Rule = tuple[tuple[str], str, Any]


def of_its_type(table: CompiledTable, event: Any) -> list[str]:
    """The names of the entries whose payload declares the type of `event`, not an object (an array, a
    string), and whose other rules on the event itself hold, most specific first. A payload of no `type` is
    taken as meant for objects, as recognition takes it."""
    found = []
    for name, entry in zip(table.names, table.entries, strict=True):
        own = [(op, value) for pointer, op, value in entry.get("rules", []) if not pointer]
        if any(op == "type" for op, _ in own) and all(_holds(event, op, value) for op, value in own):
            found.append(name)
    return found


def payload_types(table: CompiledTable) -> list[str]:
    """The JSON types the payloads of `table`'s entries are said to be, in the order met."""
    found: dict[str, None] = {}
    for entry in table.entries:
        for pointer, op, value in entry.get("rules", []):
            if not pointer and op == "type":
                found.update((kind, None) for kind in ([value] if isinstance(value, str) else value))
    return list(found)


def means_a_message(table: CompiledTable, event: Any) -> bool:
    """Whether `event` holds every constant (`const`, `enum` rule) of an entry of `table`, and so means to be
    that message, whatever else it lacks (an order with its `type: order` and no `total`)."""
    return any(all(holds(event, rule) for rule in constants) for constants in _constants(table))


@functools.lru_cache(maxsize=16)  # the tables of the last few checkers (each has one, and its replies')
def _constants(table: CompiledTable) -> list[list[Any]]:
    """Per entry of `table` that has any, its `const` and `enum` rules."""
    found = [
        [rule for rule in entry.get("rules", []) if rule[1] in ("const", "enum")] for entry in table.entries
    ]
    return [constants for constants in found if constants]


def pinned_values(message: Message) -> list[Rule]:
    """Recognition rules for the values `message`'s payload pins to its members, required or not
    (``event: {const: pong}``): ``(("event",), "const", "pong")``."""
    payload = message.payload
    root = payload.resolved_root() if payload is not None else None
    members = root.get("properties") if isinstance(root, dict) else None
    rules: list[Rule] = []
    for member, schema in (members or {}).items():
        if isinstance(schema, dict) and "const" in schema:
            rules.append(((member,), "const", schema["const"]))
        elif isinstance(schema, dict) and isinstance(schema.get("enum"), list):
            rules.append(((member,), "enum", schema["enum"]))
    return rules
