"""Near-miss events: a valid event changed so that it breaks exactly one rule of its schema.

Candidate changes are found by walking a valid event together with the schema parts that apply to each of
its values (through `$ref`, `allOf`, and the `oneOf`/`anyOf` branch the value matches). Each candidate says
which keyword it should break, and where; it is kept only if validation then reports exactly that one
error. A change inside a `oneOf`/`anyOf` branch breaks the combinator itself, so it is named as such.
"""

from __future__ import annotations

import copy
import math
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from generator.location import pointer_text
from generator.payload_check import PayloadChecker

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class BrokenRule:
    """The one rule a near-miss event breaks."""

    keyword: str  # the JSON Schema keyword: required, type, enum, additionalProperties, ...
    pointer: str  # where in the event ("" is the whole event)
    message: str  # what the validator says
    schema: str  # where the rule is written in the document
    change: str  # what was changed to break it

    def __str__(self) -> str:
        return (
            f"{self.keyword} at {self.pointer or '/'}: {self.message} (schema: {self.schema}; {self.change})"
        )

    def as_json(self) -> dict[str, str]:
        return {
            "keyword": self.keyword,
            "pointer": self.pointer,
            "message": self.message,
            "schema": self.schema,
            "change": self.change,
        }


@dataclass(frozen=True)
class InvalidSample:
    event: Any
    broken: BrokenRule


@dataclass(frozen=True)
class _Candidate:
    keyword: str  # the keyword the change targets; a branch change reports its combinator instead
    target: Path  # where the change is made
    expect: tuple[str, Path]  # (keyword, instance path) validation must report, and nothing else
    schema_where: str
    change: str
    new_value: Any  # what `target` becomes; _DELETE removes it


_DELETE = object()
_WRONG_TYPE_VALUES: tuple[Any, ...] = ("text", 0, 1.5, True, None, [], {})
_JSON_TYPES = {"string": str, "boolean": bool, "array": list, "object": dict}


def _has_type(value: Any, name: str) -> bool:
    if name == "null":
        return value is None
    if name == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer()
        )
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    expected = _JSON_TYPES.get(name)
    return expected is not None and isinstance(value, expected)


class _Walker:
    """Finds candidate changes in one valid event."""

    def __init__(self, checker: PayloadChecker) -> None:
        self.checker = checker
        self.schema = checker.schema
        self.found: list[_Candidate] = []

    def where(self, schema_path: Path) -> str:
        return self.schema.where_of(list(schema_path))

    def views(
        self, node: Any, schema_path: Path, value: Any, seen: frozenset[str] = frozenset()
    ) -> Iterator[tuple[dict[str, Any], Path, tuple[str, Path, Path] | None]]:
        """(schema, its path, owning combinator) for every schema part that applies to `value`."""
        if not isinstance(node, dict):
            return
        ref = node.get("$ref")
        if isinstance(ref, str):
            name = ref.removeprefix("#/$defs/")
            if name in self.schema.defs and name not in seen:
                yield from self.views(self.schema.defs[name].body, ("$defs", name), value, seen | {name})
            return
        yield node, schema_path, None
        for index, branch in enumerate(node.get("allOf") or []):
            yield from self.views(branch, (*schema_path, "allOf", index), value, seen)
        for keyword in ("oneOf", "anyOf"):
            branches = node.get(keyword)
            if not isinstance(branches, list):
                continue
            for index, branch in enumerate(branches):
                if self.checker.accepts(branch, value):
                    for view, path, _ in self.views(branch, (*schema_path, keyword, index), value, seen):
                        yield view, path, (keyword, schema_path, (*schema_path, keyword))
                    break

    def walk(
        self, value: Any, node: Any, schema_path: Path, at: Path, owner: tuple[str, Path] | None
    ) -> None:
        collected = list(self.views(node, schema_path, value))
        for view, path, combinator in collected:
            view_owner = owner
            if view_owner is None and combinator is not None:
                view_owner = (combinator[0], at)
            self.at_value(value, view, path, at, view_owner)
        if isinstance(value, dict):
            for key, item in value.items():
                for view, path, combinator in collected:
                    child_owner = owner or ((combinator[0], at) if combinator else None)
                    for sub, sub_path in self._member_schemas(view, path, key):
                        self.walk(item, sub, sub_path, (*at, key), child_owner)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                for view, path, combinator in collected:
                    child_owner = owner or ((combinator[0], at) if combinator else None)
                    for sub, sub_path in self._item_schemas(view, path, index):
                        self.walk(item, sub, sub_path, (*at, index), child_owner)

    @staticmethod
    def _member_schemas(view: dict[str, Any], path: Path, key: str) -> Iterator[tuple[Any, Path]]:
        properties = view.get("properties")
        matched = False
        if isinstance(properties, dict) and key in properties:
            matched = True
            yield properties[key], (*path, "properties", key)
        patterns = view.get("patternProperties")
        if isinstance(patterns, dict):
            for pattern, sub in patterns.items():
                try:
                    if re.search(pattern, key):
                        matched = True
                        yield sub, (*path, "patternProperties", pattern)
                except re.error:
                    continue
        additional = view.get("additionalProperties")
        if not matched and isinstance(additional, dict):
            yield additional, (*path, "additionalProperties")

    @staticmethod
    def _item_schemas(view: dict[str, Any], path: Path, index: int) -> Iterator[tuple[Any, Path]]:
        items = view.get("items")
        if isinstance(items, dict):
            yield items, (*path, "items")
        elif isinstance(items, list):
            if index < len(items):
                yield items[index], (*path, "items", index)
            elif isinstance(view.get("additionalItems"), dict):
                yield view["additionalItems"], (*path, "additionalItems")

    def add(
        self,
        keyword: str,
        at: Path,
        schema_path: Path,
        owner: tuple[str, Path] | None,
        change: str,
        new_value: Any,
        target: Path | None = None,
    ) -> None:
        expect = owner if owner is not None else (keyword, at)
        self.found.append(
            _Candidate(
                keyword=keyword,
                target=at if target is None else target,
                expect=expect,
                schema_where=self.where((*schema_path, keyword)),
                change=change,
                new_value=new_value,
            )
        )

    def at_value(
        self, value: Any, view: dict[str, Any], path: Path, at: Path, owner: tuple[str, Path] | None
    ) -> None:
        self._type(value, view, path, at, owner)
        self._enum_const(value, view, path, at, owner)
        if isinstance(value, dict):
            self._object(value, view, path, at, owner)
        elif isinstance(value, str):
            self._string(value, view, path, at, owner)
        elif isinstance(value, list):
            self._array(value, view, path, at, owner)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            self._number(value, view, path, at, owner)

    def _type(self, value: Any, view: dict[str, Any], path: Path, at: Path, owner: Any) -> None:
        declared = view.get("type")
        allowed = [declared] if isinstance(declared, str) else declared
        if not isinstance(allowed, list):
            return
        near: list[Any] = []
        if isinstance(value, int | float) and not isinstance(value, bool):
            near.append(str(value))  # 42 -> "42": the classic near miss
        elif isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value):
            near.append(int(value))  # "42" -> 42
        elif isinstance(value, bool):
            near.append(str(value).lower())
        for wrong in [*near, *_WRONG_TYPE_VALUES]:
            if not any(_has_type(wrong, name) for name in allowed if isinstance(name, str)):
                shown = "/".join(str(n) for n in allowed)
                self.add(
                    "type",
                    at,
                    path,
                    owner,
                    f"replaced the {shown} value with {_show(wrong)}",
                    wrong,
                )
                return

    def _enum_const(self, value: Any, view: dict[str, Any], path: Path, at: Path, owner: Any) -> None:
        if isinstance(view.get("enum"), list):
            allowed = view["enum"]
            other = _outside(value, allowed)
            if other is not _DELETE:
                self.add(
                    "enum",
                    at,
                    path,
                    owner,
                    f"replaced {_show(value)} with {_show(other)}, not in the enum",
                    other,
                )
        if "const" in view:
            other = _outside(value, [view["const"]])
            if other is not _DELETE:
                self.add(
                    "const",
                    at,
                    path,
                    owner,
                    f"replaced the constant {_show(value)} with {_show(other)}",
                    other,
                )

    def _object(self, value: dict[str, Any], view: dict[str, Any], path: Path, at: Path, owner: Any) -> None:
        required = view.get("required")
        if isinstance(required, list):
            for name in required:
                if isinstance(name, str) and name in value:
                    self.add(
                        "required",
                        at,
                        path,
                        owner,
                        f"removed the required property {name!r}",
                        _DELETE,
                        target=(*at, name),
                    )
        if view.get("additionalProperties") is False:
            properties = view.get("properties")
            declared: dict[str, Any] = properties if isinstance(properties, dict) else {}
            name = _fresh_name(value, declared, view.get("patternProperties"))
            self.add(
                "additionalProperties",
                at,
                path,
                owner,
                f"added the undeclared property {name!r}",
                {**value, name: "unexpected"},
            )

    def _string(self, value: str, view: dict[str, Any], path: Path, at: Path, owner: Any) -> None:
        min_length = view.get("minLength")
        if isinstance(min_length, int) and min_length > 0:
            self.add(
                "minLength",
                at,
                path,
                owner,
                f"shortened the string to {min_length - 1} characters",
                value[: min_length - 1],
            )
        max_length = view.get("maxLength")
        if isinstance(max_length, int):
            self.add(
                "maxLength",
                at,
                path,
                owner,
                f"lengthened the string to {max_length + 1} characters",
                (value + "x" * (max_length + 1))[: max_length + 1],
            )
        if isinstance(view.get("pattern"), str):
            for wrong in (value + " !", "!" + value, "", " "):
                try:
                    if re.search(view["pattern"], wrong) is None:
                        self.add(
                            "pattern",
                            at,
                            path,
                            owner,
                            f"replaced the string with {wrong!r}, which the pattern rejects",
                            wrong,
                        )
                        break
                except re.error:
                    break

    def _array(self, value: list[Any], view: dict[str, Any], path: Path, at: Path, owner: Any) -> None:
        min_items = view.get("minItems")
        if isinstance(min_items, int) and min_items > 0:
            self.add(
                "minItems",
                at,
                path,
                owner,
                f"kept only {min_items - 1} item(s)",
                value[: min_items - 1],
            )
        max_items = view.get("maxItems")
        if isinstance(max_items, int) and value:
            self.add(
                "maxItems",
                at,
                path,
                owner,
                f"repeated the last item up to {max_items + 1} items",
                value + [value[-1]] * (max_items + 1 - len(value)),
            )
        if view.get("uniqueItems") is True and value:
            self.add(
                "uniqueItems",
                at,
                path,
                owner,
                "repeated the first item",
                [*value, value[0]],
            )

    def _number(self, value: float, view: dict[str, Any], path: Path, at: Path, owner: Any) -> None:
        integral = isinstance(value, int)
        for keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            bound = view.get(keyword)
            if isinstance(bound, int | float) and not isinstance(bound, bool):
                wrong = _beyond(keyword, bound, integral=integral)
                self.add(
                    keyword,
                    at,
                    path,
                    owner,
                    f"replaced {_show(value)} with {_show(wrong)}",
                    wrong,
                )
        multiple = view.get("multipleOf")
        if isinstance(multiple, int | float) and not isinstance(multiple, bool) and multiple > 0:
            wrong = value + multiple / 2 if not (integral and multiple <= 1) else value + 0.5
            if integral and isinstance(wrong, float) and multiple > 1 and float(wrong).is_integer():
                wrong = int(wrong)
            self.add(
                "multipleOf",
                at,
                path,
                owner,
                f"replaced {_show(value)} with {_show(wrong)}",
                wrong,
            )


def _beyond(keyword: str, bound: float, *, integral: bool) -> float:
    """The nearest value (an integer for an integer field) that `keyword: bound` rejects."""
    if keyword == "minimum":
        return math.floor(bound) - 1 if integral else bound - 1
    if keyword == "maximum":
        return math.ceil(bound) + 1 if integral else bound + 1
    if keyword == "exclusiveMinimum":
        return math.floor(bound) if integral else bound
    return math.ceil(bound) if integral else bound


def _show(value: Any) -> str:
    import json

    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def _outside(value: Any, allowed: list[Any]) -> Any:
    """A value of the same JSON type as `value` that `allowed` does not hold (`_DELETE` if none found)."""
    options: list[Any]
    if isinstance(value, bool):
        options = [not value]
    elif isinstance(value, str):
        options = [value.upper(), value + "-unknown", "unknown"]
    elif isinstance(value, int | float):
        numbers = [v for v in allowed if isinstance(v, int | float) and not isinstance(v, bool)]
        options = [max([value, *numbers]) + 1]
    elif value is None:
        options = ["null"]
    elif isinstance(value, list):
        options = [[*value, None], []]
    else:
        options = [{**value, "unexpected": True}, {}]
    for option in options:
        if option != value and not any(option == a and type(option) is type(a) for a in allowed):
            return option
    return _DELETE


def _fresh_name(value: dict[str, Any], declared: dict[str, Any], patterns: Any) -> str:
    for name in ("unexpected", "unexpectedField", "extra", "x_extra_1", "x_extra_2"):
        if name in value or name in declared:
            continue
        if isinstance(patterns, dict) and any(_matches(p, name) for p in patterns):
            continue
        return name
    return "unexpected_" + str(len(value))


def _matches(pattern: str, name: str) -> bool:
    try:
        return re.search(pattern, name) is not None
    except re.error:
        return False


def _changed(event: Any, candidate: _Candidate) -> Any:
    if not candidate.target:
        return copy.deepcopy(candidate.new_value)
    changed = copy.deepcopy(event)
    parent: Any = changed
    for step in candidate.target[:-1]:
        parent = parent[step]
    if candidate.new_value is _DELETE:
        del parent[candidate.target[-1]]
    else:
        parent[candidate.target[-1]] = copy.deepcopy(candidate.new_value)
    return changed


def near_misses(checker: PayloadChecker, bases: list[Any], *, count: int, seed: int) -> list[InvalidSample]:
    """Up to `count` distinct near-miss events made from `bases`, each breaking exactly one rule.

    Rules are taken in turns (a required field, then a type, then an enum, ...) so a small count still
    covers many kinds; within a kind the candidate is chosen by the seeded random generator.
    """
    rng = random.Random(seed)
    by_keyword: dict[str, list[tuple[Any, _Candidate]]] = {}
    root = checker.standalone
    for base in bases:
        walker = _Walker(checker)
        walker.walk(base, root, (), (), None)
        for candidate in walker.found:
            by_keyword.setdefault(candidate.keyword, []).append((base, candidate))
    for candidates in by_keyword.values():
        rng.shuffle(candidates)
    results: list[InvalidSample] = []
    seen: set[str] = set()
    keywords = sorted(by_keyword)
    while len(results) < count and keywords:
        for keyword in list(keywords):
            if len(results) >= count:
                break
            sample = _next_valid(checker, by_keyword[keyword], seen)
            if sample is None:
                keywords.remove(keyword)
            else:
                results.append(sample)
    return results


def _next_valid(
    checker: PayloadChecker, candidates: list[tuple[Any, _Candidate]], seen: set[str]
) -> InvalidSample | None:
    import json

    while candidates:
        base, candidate = candidates.pop()
        changed = _changed(base, candidate)
        key = json.dumps(changed, sort_keys=True)
        if key in seen:
            continue
        errors = list(checker.plain.iter_errors(changed))
        if len(errors) != 1:
            continue
        error = errors[0]
        keyword, at = candidate.expect
        if error.validator != keyword or tuple(error.absolute_path) != at:
            continue
        seen.add(key)
        where = candidate.schema_where if keyword == candidate.keyword else checker.where(error)
        change = candidate.change
        if keyword != candidate.keyword:
            inner = pointer_text(tuple(candidate.target)) or "/"
            change = f"{change} at {inner}, inside the {keyword} branch it matched"
        return InvalidSample(
            event=changed,
            broken=BrokenRule(
                keyword=str(error.validator),
                pointer=pointer_text(tuple(error.absolute_path)),
                message=error.message,
                schema=where,
                change=change,
            ),
        )
    return None
