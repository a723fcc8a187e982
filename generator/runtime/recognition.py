# Message recognition: which message of an AsyncAPI document is this event?
#
# Standard library only, and no imports from `generator`: `gen handlers` copies this file verbatim into every
# generated package as `_recognition.py`, where it must pass `ruff check` and `mypy --strict` as it does here.
# The table it reads is built by `generator.recognize.discriminator_table` (the checker uses the same table).
"""Recognise an event's message from a discriminator table (plain data, built once per document).

A table is a list of entries ``{"message": NAME, "rules": [[POINTER, OP, VALUE], ...], "specificity": N}``.
``POINTER`` is a list of JSON pointer tokens: a ``str`` steps into an object member, an ``int`` into an array
item (the table only uses ``0``: "the first record"). ``OP`` is one of:

- ``"const"``: the value there equals ``VALUE`` (JSON equality: ``true`` is not ``1``);
- ``"enum"``: the value there equals one of the list ``VALUE``;
- ``"type"``: the value there has the JSON type ``VALUE`` (a name, or a list of names);
- ``"required"``: the member exists (``VALUE`` is unused, ``None``).

An entry may also list ``"nonempty": [POINTER, ...]``: arrays its rules read an item of that its schema
forbids to be empty.

An event matches an entry when every rule holds. `recognize` returns the names of all matching entries, the
highest ``specificity`` first (ties keep table order), so a scheduled event, which is also an EventBridge
event, comes out as ``["ScheduledEvent", "EventBridgeEvent"]``. `CompiledTable.route`, which generated
routers call, falls back on the entries whose rules fail only on the first item of an array that the event
has empty and that entry allows to be empty (an order of no items). `closest` names the entry with the most
rules satisfied, with one sentence per failing rule, to say why an event matched nothing.

Cost: `compile_table` prepares the table once (see `CompiledTable`): per event, its tuple of top-level keys
looks up the candidate entries (worked out from a few probe keys and a subset test on the first event with
those keys), one dict lookup on a shared constant (``/Records/0/eventSource``) adds the entries it names, and
the remaining rules (each parent object read once) settle them. Pass a
compiled table to `recognize`, as generated routers do, to avoid recompiling it per call.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import reduce
from operator import getitem
from typing import Any

__all__ = [
    "CompiledTable", "closest", "closest_entry", "compile_table", "exists", "explain", "failure", "holds",
    "in_common", "recognize", "unknown",
]  # fmt: skip

_MISSING = object()


def resolve(event: object, pointer: Sequence[str | int]) -> object:
    """The value at `pointer` inside `event`, or `_MISSING`."""
    value = event
    for token in pointer:
        kind = type(value)
        if kind is dict or (kind is not list and isinstance(value, dict)):
            value = value.get(token, _MISSING) if type(token) is str else _MISSING  # type: ignore[attr-defined]
        elif (kind is list or isinstance(value, list)) and type(token) is int:
            value = value[token] if token < len(value) else _MISSING  # type: ignore[index, arg-type]
        else:
            return _MISSING
        if value is _MISSING:
            return _MISSING
    return value


def exists(event: object, pointer: Sequence[str | int]) -> bool:
    """Whether `pointer` reaches a value inside `event`."""
    return resolve(event, pointer) is not _MISSING


def json_type(value: object) -> str:
    """The JSON type name of a parsed JSON value (an integral float is an "integer", as in JSON Schema)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def json_equal(left: object, right: object) -> bool:
    """Equality as JSON Schema's `const` means it: booleans are not numbers, containers compare deeply."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(json_equal(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(json_equal(a, b) for a, b in zip(left, right, strict=True))
    if isinstance(left, int | float) and isinstance(right, int | float):
        return left == right
    return type(left) is type(right) and left == right


def _has_type(value: object, expected: object) -> bool:
    names = [expected] if isinstance(expected, str) else list(expected) if isinstance(expected, list) else []
    actual = json_type(value)
    return actual in names or (actual == "integer" and "number" in names)


def _holds(value: object, op: str, expected: object) -> bool:
    if value is _MISSING:
        return False
    if op == "const":
        if type(value) is str:  # a string equals only a string (`json_equal`), and most constants are
            return value == expected
        return json_equal(value, expected)
    if op == "enum":
        if type(value) is str:
            return isinstance(expected, list) and value in expected  # `==` is `json_equal` for strings
        return isinstance(expected, list) and any(json_equal(value, item) for item in expected)
    if op == "type":
        return _has_type(value, expected)
    # "required" holds once the value exists; an operation this version does not know never matches.
    return op == "required"


Pointer = tuple[str | int, ...]
#: (top-level key, entries to look at when the event has it, [(a pointer, constant there -> more entries)])
Probe = tuple[str, list[int], list[tuple[Pointer, dict[str, list[int]]]]]
#: The rules of one entry that read members of the same parent: (parent pointer, an earlier parent pointer
#: it extends or ``()``, the steps from there, [(member, op, value)]).
Group = tuple[Pointer, Pointer, Pointer, list[tuple[str | int, str, object]]]
#: The candidate entries for one set of top-level keys, and the constant lookups that add more, by parent
#: pointer: [(parent, [(member, constant there -> entries, the first ones included)])] (`_plan`).
Plan = tuple[list[int], list[tuple[Pointer, list[tuple[str, dict[str, list[int]]]]]]]
#: A rule as `closest_entry` weighs it: (parent pointer, member or None for the parent itself, op, value).
Weighed = tuple[Pointer, str | int | None, str, object]
_MAX_PLANS = 4096
_UNSET = object()
_STRING_ENUM = "enum of strings"  # an "enum" rule whose values are all strings, compiled to a frozenset


class CompiledTable:
    """A table prepared for matching many events.

    Entries are kept by rank (most specific first). Per entry: the top-level members its rules need; one of
    them, the one fewest entries need, is its *probe*, so an event's few present probe keys name the only
    entries worth a look. Those pass one C-level subset test on the event's keys, then their rules, grouped
    by parent object with constants first, so each parent (such as ``/Records/0``) is looked up once. The
    probes and subset tests depend on the top-level keys only, so their outcome is kept per tuple of keys.
    """

    __slots__ = (
        "_item_steps", "_plans", "_reachable", "_tested", "_weighed", "always", "entries", "groups", "names",
        "nonempty", "probes", "root", "top",
    )  # fmt: skip

    def __init__(self, table: Sequence[Mapping[str, Any]]) -> None:
        # Most specific first; the sort is stable, so equal specificity keeps table order.
        self.entries: list[Mapping[str, Any]] = sorted(
            table, key=lambda entry: -int(entry.get("specificity", 0))
        )
        self.names: list[str] = [str(entry["message"]) for entry in self.entries]
        self.nonempty: list[frozenset[Pointer]] = [
            frozenset(tuple(array) for array in entry.get("nonempty", [])) for entry in self.entries
        ]
        self._item_steps: list[tuple[Pointer, int]] | None = None
        self.top: list[frozenset[str]] = []
        self.groups: list[list[Group]] = []
        self.root: list[list[tuple[str, object]]] = []  # rules on the event itself, other than its type
        for entry in self.entries:
            rules = [(tuple(p), str(op), v) for p, op, v in entry.get("rules", [])]
            rules.sort(key=lambda rule: rule[1] != "const")  # stable: constants first, else table order
            self.top.append(frozenset(str(p[0]) for p, _, _ in rules if p and isinstance(p[0], str)))
            groups: dict[Pointer, list[tuple[str | int, str, object]]] = {}
            root: list[tuple[str, object]] = []
            for pointer, op, value in rules:
                if len(pointer) == 1 and op == "required":
                    continue  # settled by the subset test on the top-level keys
                if op == "enum" and isinstance(value, list) and all(type(v) is str for v in value):
                    op, value = _STRING_ENUM, frozenset(value)  # a set lookup instead of a scan
                if pointer:
                    groups.setdefault(pointer[:-1], []).append((pointer[-1], op, value))
                else:
                    root.append((op, value))
            self.groups.append(_chained(groups))
            self.root.append([(op, value) for op, value in root if op != "type"])
            # A type rule on the event holds for every object or for none: settle it now.
            if not all(_holds({}, op, value) for op, value in root if op == "type"):
                self.top[-1] = frozenset({*self.top[-1], "\x00never"})  # no object has this key
        needed: dict[str, int] = {}
        for keys in self.top:
            for key in keys:
                needed[key] = needed.get(key, 0) + 1
        probes: dict[str, list[int]] = {}
        self.always: list[int] = []  # entries needing no top-level member: always looked at
        for rank, keys in enumerate(self.top):
            if keys:
                probes.setdefault(min(keys, key=lambda k: (needed[k], k)), []).append(rank)
            else:
                self.always.append(rank)
        self.probes: list[Probe] = [self._probe(key, ranks) for key, ranks in sorted(probes.items())]
        self._plans: dict[tuple[str, ...], Plan] = {}
        self._reachable: tuple[list[int], dict[str | int, list[tuple[int, int]]]] | None = None
        self._tested: dict[str | int, list[tuple[str | int, ...]]] | None = None
        self._weighed: list[list[Weighed]] | None = None

    def _probe(self, key: str, ranks: list[int]) -> Probe:
        """A probe key's entries, split by the string constants they test (`/Records/0/eventSource`).

        Returns (key, entries testing none of those constants, [(pointer, constant -> entries)]), pointers
        chosen greedily, the one most entries test first, so a few lookups per event replace a test per
        entry. An entry whose constant an event lacks is no candidate: that rule fails.
        """
        constants: dict[Pointer, dict[str, list[int]]] = {}
        for rank in ranks:
            for pointer, op, value in self.entries[rank].get("rules", []):
                if op == "const" and isinstance(value, str) and pointer and _fast(tuple(pointer)):
                    by_value = constants.setdefault(tuple(pointer), {})
                    if rank not in by_value.get(value, []):
                        by_value.setdefault(value, []).append(rank)
        lookups: list[tuple[Pointer, dict[str, list[int]]]] = []
        uncovered = set(ranks) if len(ranks) > 1 else set()
        while uncovered and constants:

            def gain(pointer: Pointer) -> int:
                return sum(len(uncovered.intersection(group)) for group in constants[pointer].values())

            pointer = max(sorted(constants), key=gain)
            if not gain(pointer):
                break
            by_value = constants.pop(pointer)
            lookups.append((pointer, by_value))
            uncovered.difference_update(*by_value.values())
        covered = {rank for _, by_value in lookups for group in by_value.values() for rank in group}
        return key, [rank for rank in ranks if rank not in covered], lookups

    def reachable(self) -> tuple[list[int], dict[str | int, list[tuple[int, int]]]]:
        """Per entry, how many of its rules test the event itself; and per top-level member (or item), the
        entries with rules under it and how many (`closest` bounds the rules an event can meet with them).
        Built on the first call."""
        if self._reachable is None:
            own: list[int] = []
            under: dict[str | int, list[tuple[int, int]]] = {}
            for rank, entry in enumerate(self.entries):
                counts: dict[str | int, int] = {}
                for pointer, _, _ in entry.get("rules", []):
                    if pointer:
                        counts[pointer[0]] = counts.get(pointer[0], 0) + 1
                own.append(len(entry.get("rules", [])) - sum(counts.values()))
                for token, count in counts.items():
                    under.setdefault(token, []).append((rank, count))
            self._reachable = (own, under)
        return self._reachable

    def weighed(self) -> list[list[Weighed]]:
        """Per entry, its rules as `closest_entry` weighs them: (the parent the rule reads a member of, the
        member, or None for a rule on the event itself, op, value), in the entry's order. Built on the
        first call."""
        if self._weighed is None:
            parents: dict[Pointer, Pointer] = {}  # one tuple per parent: lookups by it hash alike
            self._weighed = []
            for entry in self.entries:
                weighed: list[Weighed] = []
                for pointer, op, value in entry.get("rules", []):
                    pointer = tuple(pointer)
                    parent = parents.setdefault(pointer[:-1], pointer[:-1])
                    weighed.append((parent, pointer[-1], op, value) if pointer else ((), None, op, value))
                self._weighed.append(weighed)
        return self._weighed

    def tested(self) -> dict[str | int, list[tuple[str | int, ...]]]:
        """Every place a rule tests inside the event, once, by its first step. Built on the first call."""
        if self._tested is None:
            places: dict[tuple[str | int, ...], None] = {}
            for entry in self.entries:
                places.update((tuple(pointer), None) for pointer, _, _ in entry.get("rules", []) if pointer)
            self._tested = {}
            for place in places:
                self._tested.setdefault(place[0], []).append(place)
        return self._tested

    def recognize(self, event: object) -> list[str]:
        if type(event) is not dict:
            return self._recognize_any(event)
        return self.confirm(event, self.candidates(event))

    def route(self, event: object) -> list[str]:
        """`recognize`, else the entries whose rules fail only on items of arrays the event has empty, where
        that entry's schema allows them to be (`nonempty`), those meeting most rules first (`hollow`): rules
        read off an array's `items` test its first item (``/items/0/id``), which an order of no items lacks.
        What a router routes by; a checker, which validates, settles such events by validity instead."""
        return self.recognize(event) or self.hollow(event)

    def hollow(self, event: object, *, even_nonempty: bool = False) -> list[str]:
        """The entries `route` falls back on (none for most events: no array a rule reads is empty). With
        `even_nonempty`, also those whose schema forbids such an array to be empty: a checker, which
        validates, then says that it may not be."""
        if self._item_steps is None:
            steps: dict[tuple[Pointer, int], None] = {}
            for entry in self.entries:
                for pointer, _, _ in entry.get("rules", []):
                    for at, token in enumerate(pointer):
                        if type(token) is int:
                            steps[(tuple(pointer[:at]), token)] = None
            self._item_steps = list(steps)
        if not any(_short(resolve(event, array), index) for array, index in self._item_steps):
            return []
        found: list[tuple[int, str]] = []  # (rules met, name)
        for name, entry, nonempty in zip(self.names, self.entries, self.nonempty, strict=True):
            passed = False  # whether a rule steps past the end of an array the entry allows empty
            met = 0
            for pointer, op, value in entry.get("rules", []):
                array = _past_end(event, pointer)
                if array is None:
                    if not _holds(resolve(event, pointer), op, value):
                        break
                    met += 1
                elif array in nonempty and not even_nonempty:
                    break  # empty where its schema says it may not be
                else:
                    passed = True
            else:
                if passed:
                    found.append((met, name))
        # The most rules met first, then the most specific: an entry's specificity counts the rules on
        # items it was spared (a refund whose items' `kind` is a constant is no closer to an order of no
        # lines than the order, which its `orderId` meets too).
        return [name for _, name in sorted(found, key=lambda match: -match[0])]

    def candidates(self, event: dict[str, object]) -> list[int]:
        """The ranks of the entries worth a look for an object: every entry it can match, maybe more."""
        plan = self._plans.get(tuple(event))
        if plan is None:
            plan = self._plan(event)
        ranks, lookups = plan
        first = ranks
        for parent_pointer, members in lookups:
            parent = _fast_get(event, parent_pointer) if parent_pointer else event
            if isinstance(parent, dict):
                for member, by_value in members:
                    value = parent.get(member)
                    if type(value) is str:
                        more = by_value.get(value)
                        if more is not None:  # the lists hold the plan's first entries too
                            ranks = more if ranks is first else sorted({*ranks, *more})
        return ranks

    def confirm(self, event: dict[str, object], ranks: list[int]) -> list[str]:
        """The names of the entries among `ranks` (`candidates`) whose rules all hold for an object."""
        if not ranks:
            return []
        parents: dict[Pointer, object] = {(): event}
        found: list[str] = []
        for rank in ranks:
            if not _holds_all(event, self.groups[rank], parents):
                continue
            root = self.root[rank]
            if not root or all(_holds(event, op, value) for op, value in root):
                found.append(self.names[rank])
        return found

    def _plan(self, event: dict[str, object]) -> Plan:
        """The entries worth a look for events with these top-level keys, by the probes and the subset test.

        Plans are kept by the tuple of keys (events of one message mostly share it), so per event one dict
        lookup replaces the probes and the subset tests; a constant lookup (`_probe`) still follows.
        """
        keys = event.keys()
        ranks = [rank for rank in self.always if keys >= self.top[rank]]
        lookups: list[tuple[Pointer, dict[str, list[int]]]] = []
        for key, others, probe_lookups in self.probes:
            if key not in keys:
                continue
            ranks += [rank for rank in others if keys >= self.top[rank]]
            for pointer, by_value in probe_lookups:
                narrowed = {v: [r for r in rs if keys >= self.top[r]] for v, rs in by_value.items()}
                narrowed = {v: rs for v, rs in narrowed.items() if rs}
                if narrowed:
                    lookups.append((pointer, narrowed))
        ranks.sort()
        by_parent: dict[Pointer, list[tuple[str, dict[str, list[int]]]]] = {}
        for pointer, by_value in lookups:  # members of one parent (`/Records/0`) are read from it once
            merged = {value: sorted({*ranks, *more}) for value, more in by_value.items()}
            by_parent.setdefault(pointer[:-1], []).append((str(pointer[-1]), merged))
        plan: Plan = (ranks, list(by_parent.items()))
        if len(self._plans) >= _MAX_PLANS:
            self._plans.clear()  # events with ever new keys (a map at the top level): start over
        self._plans[tuple(event)] = plan
        return plan

    def _recognize_any(self, event: object) -> list[str]:
        """Events that are not objects: an array meets rules on its items (``/0/id``, from a payload of
        ``type: array`` whose items require ``id``); anything else, only rules on the event itself."""
        return [
            self.names[rank]
            for rank, entry in enumerate(self.entries)
            if all(_holds(resolve(event, pointer), op, v) for pointer, op, v in entry.get("rules", []))
        ]


def _short(value: object, index: int) -> bool:
    return isinstance(value, list) and len(value) <= index


def _past_end(event: object, pointer: Sequence[str | int]) -> Pointer | None:
    """The array that `pointer` steps past the end of on its way through `event`, if any (``/items`` for
    ``/items/0/id`` in an event whose ``items`` is empty)."""
    value = event
    for at, token in enumerate(pointer):
        if type(token) is int and isinstance(value, list) and token >= len(value):
            return tuple(pointer[:at])
        value = resolve(value, (token,))
        if value is _MISSING:
            return None
    return None


def _fast(pointer: Pointer) -> bool:
    """Whether `_fast_get` is exact for `pointer`: it ends with a member step (a string is never indexed)."""
    return bool(pointer) and isinstance(pointer[-1], str)


def _fast_get(event: object, pointer: Pointer) -> object:
    """`resolve` for pointers `_fast` accepts, with C-level item access: a wrong container type raises.

    For other pointers it finds whatever `resolve` finds (and may find more: a string's first character):
    enough to pick candidates, whose rules are then tested with `resolve`.
    """
    try:
        value: object = reduce(getitem, pointer, event)  # type: ignore[arg-type]
        return value
    except (KeyError, IndexError, TypeError):
        return _MISSING


def _chained(groups: dict[Pointer, list[tuple[str | int, str, object]]]) -> list[Group]:
    """Groups in order, each parent read from the longest earlier parent it extends (``/Records/0/s3`` is
    ``s3`` of ``/Records/0``): per event, each step of a pointer is taken once."""
    chained: list[Group] = []
    for pointer, checks in groups.items():
        base: Pointer = ()
        for earlier, _, _, _ in chained:
            if len(base) < len(earlier) < len(pointer) and pointer[: len(earlier)] == earlier:
                base = earlier
        chained.append((pointer, base, pointer[len(base) :], checks))
    return chained


def _holds_all(event: object, groups: list[Group], parents: dict[Pointer, object]) -> bool:
    for pointer, base, steps, checks in groups:
        parent = parents.get(pointer, _UNSET)
        if parent is _UNSET:
            parent = parents[pointer] = resolve(parents[base], steps)  # `base` was read first
        plain = type(parent) is dict
        for member, op, expected in checks:
            if plain and type(member) is str:
                value = parent.get(member, _MISSING)  # type: ignore[attr-defined]
            else:
                value = resolve(parent, (member,))
            if value is _MISSING:
                return False
            if op == "required":
                continue
            if op == "const" and type(value) is str and type(expected) is str:
                if value != expected:
                    return False
            elif op == _STRING_ENUM:
                if type(value) is not str or value not in expected:  # type: ignore[operator]
                    return False
            elif not _holds(value, op, expected):
                return False
    return True


def compile_table(table: Sequence[Mapping[str, Any]] | CompiledTable) -> CompiledTable:
    return table if isinstance(table, CompiledTable) else CompiledTable(table)


def recognize(event: object, table: Sequence[Mapping[str, Any]] | CompiledTable) -> list[str]:
    """Names of the messages whose rules all hold for `event`, most specific first."""
    return compile_table(table).recognize(event)


def pointer_text(pointer: Sequence[str | int]) -> str:
    """The JSON pointer (RFC 6901) for a list of tokens: ``["Records", 0, "s3"]`` -> ``/Records/0/s3``."""
    return "".join("/" + str(token).replace("~", "~0").replace("/", "~1") for token in pointer) or "/"


def _shown(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def holds(event: object, rule: Sequence[Any], *, as_items: bool = False) -> bool:
    """Whether `rule` holds for `event` (`explain` says None), with no sentence made; `as_items`: or would,
    were each object met where an array's item is read that item (`closest_entry` weighs events so)."""
    pointer, op, expected = rule
    value = resolve(event, pointer)
    if as_items and value is _MISSING:
        value = _skipping_items(event, pointer)
    return _holds(value, op, expected)


def explain(event: object, rule: Sequence[Any]) -> str | None:
    """One plain sentence saying why `rule` fails for `event`, or None when it holds."""
    failed = failure(event, rule)
    return None if failed is None else f"{pointer_text(failed[0])} {failed[1]}"


def failure(event: object, rule: Sequence[Any]) -> tuple[tuple[str | int, ...], str] | None:
    """Where `rule` fails for `event` and why (``is missing``, ``is "x", expected "y"``), or None when it
    holds. A value missing because a member on its way is not the array or object the next step reads
    (`{"Records": {...}}`, an item that is null) fails there: that member is what is wrong, not every
    member below it."""
    pointer, op, expected = rule
    value = resolve(event, pointer)
    if _holds(value, op, expected):
        return None
    where = tuple(pointer)
    if value is _MISSING:
        return _where_missing(event, where)
    if op == "const":
        return where, f"is {_shown(value)}, expected {_shown(expected)}"
    if op == "enum":
        options = ", ".join(_shown(item) for item in expected) if isinstance(expected, list) else "?"
        return where, f"is {_shown(value)}, expected one of {options}"
    if op == "type":
        names = " or ".join(expected) if isinstance(expected, list) else str(expected)
        return where, f"is {json_type(value)}, expected {names}"
    return where, f"has an unknown rule {op!r}"


def _where_missing(event: object, pointer: tuple[str | int, ...]) -> tuple[tuple[str | int, ...], str]:
    value = event
    for depth, token in enumerate(pointer):
        array = type(token) is int
        if not isinstance(value, list if array else dict):
            return pointer[:depth], f"is {json_type(value)}, expected {'array' if array else 'object'}"
        value = resolve(value, (token,))
        if value is _MISSING:
            break
    return pointer, "is missing"


def _reach(event: object, pointer: Sequence[str | int]) -> float:
    """How much of `pointer` exists in `event`, from 0 (not its first step) to 1 (all of it)."""
    value = event
    for length, token in enumerate(pointer):  # one walk down: every shorter part of an existing one exists
        value = resolve(value, (token,))
        if value is _MISSING:
            return length / len(pointer)
    return 1.0


def closest(event: object, table: Sequence[Mapping[str, Any]] | CompiledTable) -> tuple[str, list[str]]:
    """The message with the most rules satisfied, and one sentence per rule of it that fails.

    Ties go to the message whose failing rules reach deepest into the event (a wrong value at
    ``/Records/0/eventSource`` is closer than a missing ``/detail``), then to the most specific. Returns
    ``("", [])`` for an empty table.
    """
    entry = closest_entry(event, table)
    if entry is None:
        return "", []
    reasons = (explain(event, rule) for rule in entry.get("rules", []))
    return str(entry["message"]), list(dict.fromkeys(r for r in reasons if r is not None))


def _as_item(
    event: object, parent_pointer: Pointer, member: str | int | None, cache: dict[Pointer, object]
) -> object:
    """The value a rule reads when every step to an array's item that meets an object is skipped, or
    `_MISSING`: `{"Records": {...}}` is weighed as the batch of that one record it most likely means to be
    (its rules are still failed by it: an object is not an array)."""
    parent = cache.get(parent_pointer, _UNSET)
    if parent is _UNSET:
        parent = cache[parent_pointer] = _skipping_items(event, parent_pointer)
    return parent if member is None else _skipping_items(parent, (member,), below=bool(parent_pointer))


def _skipping_items(value: object, pointer: Sequence[str | int], *, below: bool = False) -> object:
    """`resolve`, but an item's step that meets an object skipped, except the event's own first step
    (`below`: `pointer` starts under it): an object is not weighed as an item of an array payload, which
    `closest_entry`'s bound, counting the members an event has, could not foresee."""
    for depth, token in enumerate(pointer):
        if type(token) is int and isinstance(value, dict) and (depth or below):
            continue
        value = resolve(value, (token,))
        if value is _MISSING:
            break
    return value


def in_common(event: object, table: Sequence[Mapping[str, Any]] | CompiledTable) -> bool:
    """Whether `event` has a member that a rule of any entry tests, whatever its value (``{"kind": "x"}`` is
    close to the message whose ``kind`` must be ``"order"``). Rules on the event itself are left out: every
    object meets them alike, so they say nothing about which message an event means to be."""
    tested = compile_table(table).tested()
    return any(
        any(resolve(event, place) is not _MISSING for place in tested[first])
        for first in _present(event, tested)
    )


def unknown(
    event: object, table: Sequence[Mapping[str, Any]] | CompiledTable, messages: str = "known messages"
) -> str:
    """Why `event` is none of the table's messages, in one sentence for an error: the closest message and
    its rules that fail, or, when the event has nothing in common with any (`in_common`), its fields."""
    compiled = compile_table(table)
    if not compiled.entries:
        return f"the event is none of the {messages} (there are none)"
    if isinstance(event, dict) and not in_common(event, compiled):
        fields = ", ".join(_shown(str(key)) for key in list(event)[:_FIELDS_SHOWN])
        more = ", ..." if len(event) > _FIELDS_SHOWN else ""
        has = f"its fields are {fields}{more}" if event else "it is an empty object"
        return f"the event is none of the {messages} and has nothing in common with them ({has})"
    name, reasons = closest(event, compiled)
    why = "; ".join(reasons) or "it is not a JSON object"
    return f"the event is none of the {messages}; the closest is {name}, but {why}"


_FIELDS_SHOWN = 8


def _present(event: object, tokens: Mapping[str | int, object]) -> list[str | int]:
    """The `tokens` (first steps of pointers) that reach a value in `event`."""
    if isinstance(event, dict):  # its members are the tokens it has (an item's never are)
        return [member for member in event if member in tokens]
    return [token for token in tokens if resolve(event, (token,)) is not _MISSING]


def closest_entry(
    event: object, table: Sequence[Mapping[str, Any]] | CompiledTable
) -> Mapping[str, Any] | None:
    """The entry `closest` names (None for an empty table), without the sentences."""
    compiled = compile_table(table)
    # A rule can only hold, or reach into the event, under a member the event has (or on the event itself):
    # per entry, that bounds both. Entries are tested most promising first, until none can do better.
    own, under = compiled.reachable()
    bounds = list(own)
    for token in _present(event, under):
        for rank, count in under[token]:
            bounds[rank] += count
    weighed = compiled.weighed()
    parents: dict[Pointer, object] = {(): event}  # the parents rules read members of, each looked up once
    as_items: dict[Pointer, object] = {(): event}  # `parents`, but an object meeting an item's step is it
    failing: dict[int, list[Weighed]] = {}  # per entry weighed: its rules that fail
    most = 0
    for rank in sorted(range(len(bounds)), key=lambda r: (-bounds[r], r)):
        if bounds[rank] < most:
            break  # no entry left can meet as many rules, nor tie
        rules = weighed[rank]
        failed = failing[rank] = [] if bounds[rank] else rules
        if bounds[rank]:
            for rule in rules:
                parent_pointer, member, op, expected = rule
                parent = parents.get(parent_pointer, _UNSET)
                if parent is _UNSET:
                    parent = parents[parent_pointer] = resolve(event, parent_pointer)
                if member is None:
                    value = parent
                elif type(parent) is dict and type(member) is str:
                    value = parent.get(member, _MISSING)
                else:
                    value = resolve(parent, (member,))
                if not _holds(value, op, expected) and not (
                    value is _MISSING
                    and _holds(_as_item(event, parent_pointer, member, as_items), op, expected)
                ):
                    failed.append(rule)
        most = max(most, len(rules) - len(failed))
    best: tuple[float, int] | None = None
    for rank in sorted(r for r, failed in failing.items() if len(weighed[r]) - len(failed) == most):
        # ties: the deepest reach wins
        if best is not None and bounds[rank] - most <= best[0]:
            continue  # its failing rules reach less, or as far as an earlier entry's: that one stays
        reach = sum(
            _reach(event, parent if member is None else (*parent, member))
            for parent, member, _, _ in failing[rank]
        )
        if best is None or reach > best[0]:
            best = (reach, rank)
    return None if best is None else compiled.entries[best[1]]
