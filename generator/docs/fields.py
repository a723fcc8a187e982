"""A schema -> the rows of its field table: path, type, required, description, constraints, allowed values.

Objects, arrays, maps and `allOf` are flattened into dotted paths (`Records[].s3.bucket.name`), following
`$ref`s into named schemas so a message's page shows its whole payload; the named schemas met on the way are
kept as `Ref`s, which the page links to their sections of the Schemas page. `oneOf`/`anyOf` alternatives are
listed in the type; inline alternatives are expanded with a note saying which option a row belongs to (named
ones have their own section).
A named schema met again inside itself (a category tree) is shown once, marked recursive, and not expanded
again; very deep or very large schemas stop at `MAX_DEPTH` / `MAX_ROWS` with `truncated` set.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.model import NamedSchema, Schema
from generator.runtime.recognition import json_type

MAX_DEPTH = 12
MAX_ROWS = 300
_DEFS = "#/$defs/"
_SIMPLE_KEY = re.compile(r"^[A-Za-z0-9_$@-]+$")
# Constraint keywords shown, in this order (`format` goes with the type, `enum`/`const` in their own column).
_CONSTRAINTS = (
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "exclusiveMinimum",
    "maximum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "default",
    "readOnly",
    "writeOnly",
    "deprecated",
    "contentEncoding",
    "x-contentCompression",
    "contentMediaType",
    "contentSchema",
)


@dataclass(frozen=True)
class Ref:
    """A named schema mentioned in a type or constraint: the page links it to the schema's page."""

    name: str


Segment = str | Ref


@dataclass(frozen=True)
class Field:
    path: str  # "" for the schema itself (shown only when it is not an object)
    type: tuple[Segment, ...]
    required: bool | None  # None where it means nothing: the root, array items, map values
    description: str | None
    constraints: tuple[tuple[str, Any], ...]  # values are JSON, or a `Ref` (contentSchema)
    enum: tuple[Any, ...]
    note: str | None = None  # "option 2 of oneOf", "recursive: see above"


@dataclass
class FieldTable:
    rows: list[Field] = field(default_factory=list)
    truncated: bool = False


def field_table(schema: Schema) -> FieldTable:
    """The field rows of a message payload, headers or any other schema of the document."""
    return _Walker(schema.defs).table(schema.root)


def named_field_table(named: NamedSchema, defs: Mapping[str, NamedSchema]) -> FieldTable:
    """The field rows of a named schema, for its own section: a field holding another named schema links to
    that schema's section instead of repeating its fields (a message page shows them all, expanded)."""
    return _Walker(defs, start=named.name, expand_named=False).table(named.body)


def direct_refs(body: Any) -> list[str]:
    """The named schemas a schema body refers to itself (not through others), in order, once each."""
    found: dict[str, None] = {}
    for ref in _refs(body):
        found.setdefault(ref, None)
    return list(found)


def _refs(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        ref = value.get("$ref")
        if isinstance(ref, str) and ref.startswith(_DEFS):
            yield ref.removeprefix(_DEFS)
        for item in value.values():
            yield from _refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _refs(item)


def _join(path: str, key: str, *, any_key: bool = False) -> str:
    """`a` + `b` -> `a.b`; a key that is not a plain word is quoted: `a["x y"]`; any key of a map: `a.*`."""
    step = "*" if any_key else key if _SIMPLE_KEY.match(key) else f"[{json.dumps(key, ensure_ascii=False)}]"
    if not path:
        return step
    return f"{path}{step}" if step.startswith("[") else f"{path}.{step}"


class _Walker:
    def __init__(
        self, defs: Mapping[str, NamedSchema], *, start: str | None = None, expand_named: bool = True
    ) -> None:
        self.defs = defs
        self.start = start
        self.expand_named = expand_named
        self.result = FieldTable()

    def table(self, root: Any) -> FieldTable:
        body, name = self.resolve(root)
        if self._type(body, depth=0)[0] != "object":  # a string, an array, a oneOf: a row for the whole
            self._emit(root, "", None, stack=(), note=None)
        self._children(body, "", tuple(n for n in (self.start, name) if n), 1, None)
        return self.result

    def resolve(self, node: Any) -> tuple[dict[str, Any], str | None]:
        """A schema node as a dict, looking through a `$ref` to a named schema (the node's own keys win)."""
        if node is True or node is None:
            return {}, None
        if node is False:
            return {"not": {}}, None
        if not isinstance(node, dict):
            return {}, None
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_DEFS) and ref.removeprefix(_DEFS) in self.defs:
            name = ref.removeprefix(_DEFS)
            target, _ = self.resolve(self.defs[name].body)
            return {**target, **{k: v for k, v in node.items() if k != "$ref"}}, name
        return node, None

    def _emit(
        self, node: Any, path: str, required: bool | None, *, stack: tuple[str, ...], note: str | None
    ) -> tuple[dict[str, Any], str | None, bool]:
        body, name = self.resolve(node)
        recursive = name is not None and name in stack
        self.result.rows.append(
            Field(
                path=path,
                type=self._field_type(body, name),
                required=required,
                description=_description(body),
                constraints=self._constraints(body),
                enum=_enum(body),
                note="; ".join(n for n in (note, "recursive: expanded above" if recursive else None) if n)
                or None,
            )
        )
        return body, name, recursive

    def _walk(
        self,
        node: Any,
        path: str,
        required: bool | None,
        stack: tuple[str, ...],
        depth: int,
        note: str | None,
        *,
        container_row: bool = True,
    ) -> None:
        """Emit a row for `node` at `path`, then its children. An array's item row is left out when it would
        say nothing its array's row (`array of S3Record`) does not already say."""
        if len(self.result.rows) >= MAX_ROWS:
            self.result.truncated = True
            return
        body, name, recursive = self._emit(node, path, required, stack=stack, note=note)
        if not container_row and not recursive and self._says_nothing_more(self.result.rows[-1]):
            self.result.rows.pop()
        if not recursive and (name is None or self.expand_named):
            self._children(body, path, (*stack, name) if name else stack, depth + 1, note)

    @staticmethod
    def _says_nothing_more(row: Field) -> bool:
        return (
            row.type[0] == "object"
            and not row.description
            and not row.constraints
            and not row.enum
            and not row.note
        )

    def _children(
        self, body: dict[str, Any], path: str, stack: tuple[str, ...], depth: int, note: str | None
    ) -> None:
        if depth > MAX_DEPTH:
            self.result.truncated = True
            return
        required = body.get("required")
        required_names = set(required) if isinstance(required, list) else set()
        properties = body.get("properties")
        if isinstance(properties, dict):
            for key, sub in properties.items():
                self._walk(sub, _join(path, str(key)), str(key) in required_names, stack, depth, note)
        patterns = body.get("patternProperties")
        if isinstance(patterns, dict):
            for pattern, sub in patterns.items():
                self._walk(
                    sub,
                    _join(path, "", any_key=True),
                    None,
                    stack,
                    depth,
                    _and(note, f"keys matching {pattern}"),
                )
        extra = body.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            self._walk(extra, _join(path, "", any_key=True), None, stack, depth, note)
        items = body.get("items")
        if isinstance(items, dict):
            self._walk(items, f"{path}[]", None, stack, depth, note, container_row=False)
        elif isinstance(items, list):
            for index, sub in enumerate(items):
                self._walk(sub, f"{path}[{index}]", None, stack, depth, note)
        all_of = body.get("allOf")
        if isinstance(all_of, list):
            for part in all_of:
                part_body, part_name = self.resolve(part)
                if part_name is None or part_name not in stack:
                    inner = (*stack, part_name) if part_name else stack
                    self._children(part_body, path, inner, depth, note)
        for keyword in ("oneOf", "anyOf"):
            alternatives = body.get(keyword)
            if not isinstance(alternatives, list):
                continue
            for index, alternative in enumerate(alternatives, start=1):
                alt_body, alt_name = self.resolve(alternative)
                if alt_name is None:  # named alternatives are linked from the type, with a page of their own
                    self._children(alt_body, path, stack, depth, _and(note, f"option {index} of {keyword}"))

    def _field_type(self, body: dict[str, Any], name: str | None) -> tuple[Segment, ...]:
        base = self._type(body, depth=0)
        return (*base, " · ", Ref(name)) if name else base

    def _type(self, body: dict[str, Any], *, depth: int) -> tuple[Segment, ...]:
        declared = body.get("type")
        if isinstance(declared, list):
            base: tuple[Segment, ...] = (" or ".join(str(t) for t in declared),)
        elif isinstance(declared, str):
            base = (declared,)
        elif "const" in body:
            base = (json_type(body["const"]),)
        elif isinstance(body.get("enum"), list) and body["enum"]:
            base = (" or ".join(dict.fromkeys(json_type(v) for v in body["enum"])),)
        elif any(k in body for k in ("properties", "additionalProperties", "patternProperties", "required")):
            base = ("object",)
        elif "items" in body:
            base = ("array",)
        elif isinstance(body.get("oneOf"), list) or isinstance(body.get("anyOf"), list):
            keyword = "oneOf" if isinstance(body.get("oneOf"), list) else "anyOf"
            return self._alternatives(body[keyword], "one of" if keyword == "oneOf" else "any of", depth)
        elif isinstance(body.get("allOf"), list):
            base = next(
                (t for part in body["allOf"] if (t := self._type(self.resolve(part)[0], depth=depth + 1))),
                ("all of",),
            )
        elif body == {"not": {}}:
            base = ("nothing (never valid)",)
        else:
            base = ("any",)
        items = body.get("items")
        if base == ("array",) and isinstance(items, dict) and depth < 3:
            item_body, item_name = self.resolve(items)
            inner = (Ref(item_name),) if item_name else self._type(item_body, depth=depth + 1)
            base = ("array of ", *inner)
        fmt = body.get("format")
        return (*base, f" ({fmt})") if isinstance(fmt, str) else base

    def _alternatives(self, alternatives: list[Any], label: str, depth: int) -> tuple[Segment, ...]:
        parts: list[Segment] = [f"{label}: "]
        for index, alternative in enumerate(alternatives):
            if index:
                parts.append(", ")
            alt_body, alt_name = self.resolve(alternative)
            if alt_name:
                parts.append(Ref(alt_name))
            elif depth < 3:
                parts.extend(self._type(alt_body, depth=depth + 1))
            else:
                parts.append("…")
        return tuple(parts)

    def _constraints(self, body: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
        shown: list[tuple[str, Any]] = []
        for keyword in _CONSTRAINTS:
            if keyword not in body:
                continue
            value = body[keyword]
            if keyword == "contentSchema":
                _, name = self.resolve(value)
                shown.append((keyword, Ref(name) if name else value))
            else:
                shown.append((keyword, value))
        if body.get("additionalProperties") is False:
            shown.append(("additionalProperties", False))
        examples = body.get("examples")
        if isinstance(examples, list) and examples:
            shown.append(("example", examples[0]))
        return tuple(shown)


def _and(note: str | None, more: str) -> str:
    return f"{note}; {more}" if note else more


def _description(body: dict[str, Any]) -> str | None:
    description, title = body.get("description"), body.get("title")
    if isinstance(description, str) and description.strip():
        return description
    return title if isinstance(title, str) and title.strip() else None


def _enum(body: dict[str, Any]) -> tuple[Any, ...]:
    if "const" in body:
        return (body["const"],)
    enum = body.get("enum")
    return tuple(enum) if isinstance(enum, list) else ()
