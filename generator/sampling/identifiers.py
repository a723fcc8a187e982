"""Identifiers in batches: strings that no two records of the examples share and that read like ids (SQS
message ids, Kinesis sequence numbers, DynamoDB event ids) stay unique in synthesized events.

Synthesis draws, at each place, the strings the examples have there or look-alikes of them (`prepare`).
That is right for a region or a queue's ARN, which the records of a batch repeat, and wrong for a message
id: two records of one batch with the same `messageId` cannot be told apart by a partial batch response
(`batchItemFailures` names records by it). The examples tell the two apart: a place in the items of an
array whose strings never repeat across the examples, each mostly digits or hex digits (`_reads_like_an_id`),
holds identifiers. One example value says nothing about repeating, so a place with one holds an
identifier when its member is also named like one (`id`, `messageId`, `eventID`, `SequenceNumber`:
`_named_like_an_id`). There, each synthesized string is one that no example and no earlier event of the run
has: a fresh look-alike when the drawn one was used.
"""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Iterator, Sequence
from typing import Any

from generator.sampling.prepare import InstancePath, Shape, look_alike, shape_of, strings

#: Identifier places, with the shapes of the examples' values there (what fresh values look like).
Places = dict[InstancePath, tuple[Shape, ...]]
#: Look-alikes tried for a fresh value before the drawn one is kept (shapes with little room run out).
MAX_TRIES = 20
#: The digits an identifier has in one run, at least (a UUID's first group, a sequence number).
MIN_ID_RUN = 8
_ID_ALPHABETS = frozenset({"0123456789", "0123456789abcdef", "0123456789ABCDEF"})


def batch_identifiers(examples: Sequence[Any]) -> Places:
    """The places of `examples` that hold identifiers, by the rule in this module's docstring."""
    values: dict[InstancePath, list[str]] = {}
    for example in examples:
        for place, value in strings(example):
            if "*" in place:
                values.setdefault(place, []).append(value)
    found: Places = {}
    for place, seen in values.items():
        if len(set(seen)) < len(seen) or (len(seen) < 2 and not _named_like_an_id(place[-1])):
            continue
        shapes = [shape_of(value) for value in seen]
        if all(shape is not None and _reads_like_an_id(shape) for shape in shapes):
            found[place] = tuple(dict.fromkeys(shape for shape in shapes if shape is not None))
    return found


def _named_like_an_id(member: str | int) -> bool:
    """`id`, a camel-case or snake-case name ending in one (`messageId`, `eventID`, `record_id`), a UUID or
    a sequence number."""
    if not isinstance(member, str):
        return False
    lower = member.lower()
    return bool(_ID_NAME.search(member)) or lower.endswith("uuid") or "sequencenumber" in lower


_ID_NAME = re.compile(r"(^|[a-z0-9_])(Id|ID)$|(^|_)id$")


def _reads_like_an_id(shape: Shape) -> bool:
    """Digits or hex digits make most of it, one run of them at least `MIN_ID_RUN` long (not an ARN, whose
    account number is the one long run)."""
    runs = [size for text, size in shape if size is not None and text in _ID_ALPHABETS]
    length = sum(len(text) if size is None else size for text, size in shape)
    return bool(runs) and max(runs) >= MIN_ID_RUN and 2 * sum(runs) >= length


class UniqueIdentifiers:
    """Makes the identifiers of synthesized events unique across a run, starting from the examples'."""

    def __init__(self, places: Places, examples: Sequence[Any], seed: int) -> None:
        self.places = places
        self.used: dict[InstancePath, set[str]] = {place: set() for place in places}
        for example in examples:
            for place, value in strings(example):
                if place in self.used:
                    self.used[place].add(value)
        self.rng = random.Random(seed)

    def apply(self, event: Any) -> Any:
        """A copy of `event` whose identifiers are all ones not used before (then used)."""
        event = copy.deepcopy(event)
        self._visit(event, ())
        return event

    def _visit(self, value: Any, at: InstancePath) -> None:
        if isinstance(value, dict):
            entries: Iterator[tuple[Any, Any, InstancePath]] = (
                (key, member, (*at, key)) for key, member in value.items()
            )
        elif isinstance(value, list):
            entries = ((index, item, (*at, "*")) for index, item in enumerate(value))
        else:
            return
        for key, member, place in list(entries):
            if isinstance(member, str):
                if place in self.places:
                    value[key] = self._fresh(place, member)
            else:
                self._visit(member, place)

    def _fresh(self, place: InstancePath, value: str) -> str:
        used = self.used[place]
        for _ in range(MAX_TRIES):
            if value not in used:
                break
            value = look_alike(self.places[place], self.rng.getrandbits(32))
        used.add(value)
        return value
