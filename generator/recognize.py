"""Which message is this event? The discriminator table, built from the payload schemas of a document.

One algorithm, two users: the checker (`gen check`) and the router that `gen handlers` generates both match
events against the table this module builds, with `generator.runtime.recognition` (standard library only,
copied verbatim into generated packages). The table is plain data, so it can be written into generated code
as a literal.

How the table is built, per message (its payload schema, as the model holds it, `$ref`s to named schemas):

1. Walk the schema from the root, at a JSON pointer into the event. At each pointer the schemas that apply are
   gathered first: `$ref`s are followed into named schemas (draft-07: a `$ref`'s siblings are ignored, as the
   validator ignores them) and `allOf` branches are merged, so `allOf: [$ref: EventBridgeEvent, {properties:
   {source: {const: aws.events}}}]` constrains the same pointers as EventBridgeEvent itself.
2. There, a `const` (or an `enum` with a single value) gives a ``const`` rule, a longer `enum` an ``enum``
   rule, and at the root a `type` gives a ``type`` rule (deeper types are left to validation, so an event
   with one wrong member type is still recognised, then reported precisely).
3. Each name in `required` gives a ``required`` rule; the walk then descends into the schema of each
   *required* member only, as an optional member's constant says nothing about an event that omits it.
   Required members say *which* event this is only near the top: a message with a constant or an enum to be
   told by keeps those of its top level only; one without keeps them two member steps deep
   (``/Records/0/kinesis``, ``/awslogs/data``). Deeper ones describe a *valid* event and are left to
   validation, so an event missing one is still recognised, then reported precisely.
4. Into arrays, the walk descends into `items` as the first item (pointer token ``0``): batches are recognised
   by their first record, e.g. ``/Records/0/eventSource`` is ``"aws:s3"``. An empty batch matches nothing;
   the entry lists the arrays whose schema forbids them to be empty (``minItems``, as ``nonempty``), so the
   router can take an event whose array is empty as a message whose schema allows it (an order of no items,
   `CompiledTable.route`), and never as one whose schema does not (Lambda's ``{"Records": []}``).
5. Through `anyOf`/`oneOf`, only the rules every branch yields are kept (they hold whichever branch applies).
6. A named schema is not entered again below itself: a recursive schema is recognised by its first level.

Every rule is read off the payload schema, so an event valid against it meets all of its message's rules
once the arrays whose first item they test are not empty. The checker relies on that: for an event with one
candidate message, the validation it does anyway also settles recognition (`generator.checker.engine`). A
rule that validity does not imply would break this; the corpus test of the fast path would show it.

Rules are ordered constants first (the runtime looks shared constants up in a dict to pick candidates),
then enums, types and required members, each in schema order, so the table is deterministic.
Specificity weighs the rules: a constant counts 4, an enum 2, a type or a required member 1. A ScheduledEvent
(an EventBridge event whose ``source`` and ``detail-type`` are constants) thus outranks EventBridgeEvent, and
an event matching both is recognised as a ScheduledEvent, the other listed as also matching.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from generator.runtime.recognition import CompiledTable, compile_table

if TYPE_CHECKING:  # types only: importing generator.model first would start the loader's import cycle
    from generator.model import Message, NamedSchema

__all__ = ["WEIGHTS", "compiled_table", "discriminator_table", "message_rules"]

Pointer = tuple[str | int, ...]
Rule = tuple[Pointer, str, Any]

WEIGHTS = {"const": 4, "enum": 2, "type": 1, "required": 1}
_ORDER = {"const": 0, "enum": 1, "type": 2, "required": 3}
#: Member steps (array steps not counted) down to which required members become rules: for messages with a
#: constant or enum rule, and for those without (whose required members are all there is to tell them by).
REQUIRED_DEPTH = 1
REQUIRED_DEPTH_WITHOUT_CONSTANTS = 2
#: Member steps down to which the walk looks for constants; far deeper than any event discriminator.
MAX_DEPTH = 8


def _member_depth(pointer: Pointer) -> int:
    return sum(1 for token in pointer if isinstance(token, str))


class _Walker:
    def __init__(self, defs: Mapping[str, NamedSchema]) -> None:
        self.defs = defs
        #: The arrays walked into whose schema (in any view, any branch: the safe side) forbids them to be
        #: empty, in the order met.
        self.nonempty: dict[Pointer, None] = {}

    def applying(
        self, schemas: Sequence[Any], path: frozenset[str], entered: set[str]
    ) -> Iterator[dict[str, Any]]:
        """The object schemas that apply at one pointer: `$ref`s followed, `allOf` branches merged.

        A named schema already entered above this pointer (`path`) is not entered again: a recursive schema
        is recognised by its first level. The names entered here are added to `entered`.
        """
        for schema in schemas:
            if not isinstance(schema, dict):
                continue
            ref = schema.get("$ref")
            if isinstance(ref, str):
                name = ref.removeprefix("#/$defs/")
                if ref.startswith("#/$defs/") and name in self.defs and name not in path | entered:
                    entered.add(name)
                    yield from self.applying([self.defs[name].body], path, entered)
                continue  # draft-07: siblings of $ref are ignored
            yield schema
            all_of = schema.get("allOf")
            if isinstance(all_of, list):
                yield from self.applying(all_of, path, entered)

    def rules(
        self, schemas: Sequence[Any], pointer: Pointer, path: frozenset[str] = frozenset()
    ) -> list[Rule]:
        """Rules at `pointer` and below; `path`: the named schemas entered on the way (recursion ends)."""
        found: dict[str, Rule] = {}

        def add(rule: Rule) -> None:
            found.setdefault(json.dumps([list(rule[0]), rule[1], rule[2]], sort_keys=True), rule)

        entered: set[str] = set()
        views = list(self.applying(schemas, path, entered))
        depth = _member_depth(pointer)
        for view in views:
            if "const" in view:
                add((pointer, "const", view["const"]))
            enum = view.get("enum")
            if isinstance(enum, list) and len(enum) == 1:
                add((pointer, "const", enum[0]))
            elif isinstance(enum, list) and enum:
                add((pointer, "enum", enum))
            kind = view.get("type")
            if not pointer and (isinstance(kind, str) or (isinstance(kind, list) and kind)):
                add((pointer, "type", kind))
        for keyword in ("anyOf", "oneOf"):
            for view in views:
                branches = view.get(keyword)
                if isinstance(branches, list) and branches:
                    for rule in self._common(branches, pointer, path | entered):
                        add(rule)
        if depth >= MAX_DEPTH:
            return list(found.values())
        for name in self._required(views):
            child = (*pointer, name)
            if _member_depth(child) <= REQUIRED_DEPTH_WITHOUT_CONSTANTS:
                add((child, "required", None))
            member_schemas = [
                view["properties"][name]
                for view in views
                if isinstance(view.get("properties"), dict) and name in view["properties"]
            ]
            for rule in self.rules(member_schemas, child, path | entered):
                add(rule)
        items = [view["items"] for view in views if isinstance(view.get("items"), dict)]
        items += [view["items"][0] for view in views if isinstance(view.get("items"), list) and view["items"]]
        if items:
            if any(_forbids_empty(view) for view in views):
                self.nonempty[pointer] = None
            for rule in self.rules(items, (*pointer, 0), path | entered):
                add(rule)
        return list(found.values())

    @staticmethod
    def _required(views: Sequence[dict[str, Any]]) -> list[str]:
        names: dict[str, None] = {}
        for view in views:
            required = view.get("required")
            if isinstance(required, list):
                names.update((name, None) for name in required if isinstance(name, str))
        return list(names)

    def _common(self, branches: Sequence[Any], pointer: Pointer, path: frozenset[str]) -> list[Rule]:
        """Rules that every branch yields (by value), in the first branch's order."""
        keyed = [
            {json.dumps([list(r[0]), r[1], r[2]], sort_keys=True): r for r in self.rules([b], pointer, path)}
            for b in branches
        ]
        shared = set(keyed[0]).intersection(*keyed[1:])
        return [rule for key, rule in keyed[0].items() if key in shared]


def _forbids_empty(view: Any) -> bool:
    """Whether an array schema says the array has an item: `minItems` of 1 or more (1.0 too), `contains`
    (every draft's default is at least one match), or every branch of an `anyOf`/`oneOf` saying so."""
    if not isinstance(view, dict):
        return False
    least = view.get("minItems")
    if isinstance(least, int | float) and not isinstance(least, bool) and least >= 1:
        return True
    if "contains" in view and view.get("minContains", 1) != 0:
        return True
    return any(
        isinstance(branches := view.get(keyword), list)
        and bool(branches)
        and all(map(_forbids_empty, branches))
        for keyword in ("anyOf", "oneOf")
    )


def message_rules(message: Message, *, evidence: bool = False) -> list[Rule]:
    """The recognition rules of one message, constants first (see the module docstring).

    With `evidence`, required members two steps deep are kept even for messages with constants: more to
    weigh when naming the closest message to an event that matches none, and to say why.
    """
    return _walked(message, evidence=evidence)[0]


def _walked(message: Message, *, evidence: bool) -> tuple[list[Rule], list[Pointer]]:
    """`message_rules`, and the arrays they read an item of that the schema forbids to be empty."""
    payload = message.payload
    if payload is None or not payload.is_json_schema:
        return [], []
    walker = _Walker(payload.defs)
    rules = walker.rules([payload.root], ())
    strong = {rule[0] for rule in rules if rule[1] in ("const", "enum")}
    # A member whose value is pinned is required by that rule already; one rule says it better.
    rules = [rule for rule in rules if not (rule[1] == "required" and rule[0] in strong)]
    if (
        strong and not evidence
    ):  # told by its constants: only its top-level required members still describe which it is
        rules = [r for r in rules if r[1] != "required" or _member_depth(r[0]) <= REQUIRED_DEPTH]
    read = [array for array in walker.nonempty if any(r[0][: len(array) + 1] == (*array, 0) for r in rules)]
    return sorted(rules, key=lambda rule: _ORDER[rule[1]]), read


def discriminator_table(messages: Sequence[Message], *, evidence: bool = False) -> list[dict[str, Any]]:
    """The table `generator.runtime.recognition` matches events against: one entry per message, in order.

    Plain JSON-compatible data (pointers as lists), deterministic for a given document. `evidence` makes the
    richer table the checker passes to `closest` (see `message_rules`).
    """
    table: list[dict[str, Any]] = []
    for message in messages:
        rules, nonempty = _walked(message, evidence=evidence)
        entry = {
            "message": message.name,
            "rules": [[list(pointer), op, value] for pointer, op, value in rules],
            "specificity": sum(WEIGHTS[op] for _, op, _ in rules),
        }
        if nonempty:
            entry["nonempty"] = [list(array) for array in nonempty]
        table.append(entry)
    return table


def compiled_table(messages: Sequence[Message]) -> CompiledTable:
    """The table for `messages`, prepared for matching many events."""
    return compile_table(discriminator_table(messages))
