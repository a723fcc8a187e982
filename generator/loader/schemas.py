"""Payload and header schemas: references to other schemas become *named* schemas, never inlined copies.

Every `$ref` inside a schema is rewritten to `#/$defs/<Name>` and its target registered once under a name
(`components.schemas` keys first, then the target's file or pointer), so recursive schemas stay finite
and each
`Schema` can be made standalone with the named schemas it reaches.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from generator.loader.refs import RefError, Resolver
from generator.location import Source, pointer_text
from generator.model import NamedSchema, Schema
from generator.schema_walk import IN_PLACE, map_subschemas

# Pointer steps that say where a schema sits, not what it is: never used as its name.
_STRUCTURAL = frozenset(
    {
        "components",
        "schemas",
        "definitions",
        "$defs",
        "properties",
        "items",
        "schema",
        "allOf",
        "anyOf",
        "oneOf",
    }
)

ReportRef = Callable[[Source, str, str], None]


def pascal_case(text: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", text)
    return "".join(w[:1].upper() + w[1:] for w in words) or "Schema"


@dataclass
class SchemaRegistry:
    """Named schemas of one document, and the rewriting of schemas into their standalone form."""

    resolver: Resolver
    where_of: Callable[[Source], str]
    report: ReportRef  # (source of the $ref, where, what)
    named: dict[str, NamedSchema] = field(default_factory=dict)
    _by_source: dict[Source, str] = field(default_factory=dict)
    _edges: dict[str, set[str]] = field(default_factory=dict)
    # each named schema's references that apply to its own value (`IN_PLACE`), with the source of the first
    _in_place: dict[str, dict[str, Source]] = field(default_factory=dict)

    def register(self, name: str, value: Any, source: Source) -> str:
        """Register the schema at `source` under `name` (or the name it already has)."""
        if source in self._by_source:
            return self._by_source[source]
        name = self._free_name(name, source)
        self._by_source[source] = name
        edges: set[str] = set()
        self._edges[name] = edges
        in_place: dict[str, Source] = {}
        self._in_place[name] = in_place
        where = self.where_of(source)
        body = self._rewrite(value, source, where, edges, in_place)
        self.named[name] = NamedSchema(name=name, body=body, where=where, source=source)
        return name

    def schema(self, value: Any, source: Source, where: str, schema_format: str = "") -> Schema:
        """The schema written at `source`, with the named schemas it reaches."""
        edges: set[str] = set()
        root = self._rewrite(value, source, where, edges, None)
        return Schema(
            root=root,
            defs={name: self.named[name] for name in self._reachable(edges)},
            where=where,
            source=source,
            schema_format=schema_format,
        )

    def _reachable(self, start: set[str]) -> list[str]:
        seen: set[str] = set()
        stack = sorted(start)
        while stack:
            name = stack.pop()
            if name not in seen and name in self.named:
                seen.add(name)
                stack.extend(sorted(self._edges.get(name, ())))
        # registration order, so output is stable and reads top-down
        return [name for name in self.named if name in seen]

    def _free_name(self, wanted: str, source: Source) -> str:
        taken = set(self._by_source.values())
        if wanted not in taken:
            return wanted
        file_stem = pascal_case(source.file.rsplit("/", 1)[-1].split(".", 1)[0])
        candidate = f"{file_stem}{wanted}"
        number = 2
        while candidate in taken:
            candidate = f"{wanted}{number}"
            number += 1
        return candidate

    def _name_for_target(self, source: Source) -> str:
        pointer = source.pointer
        if len(pointer) == 3 and pointer[:2] == ("components", "schemas"):
            return str(pointer[2])
        if not pointer:
            return pascal_case(source.file.rsplit("/", 1)[-1].split(".", 1)[0])
        words = [str(p) for p in pointer if not isinstance(p, int)]
        if words[-1] in ("payload", "headers") and len(words) > 1:
            return pascal_case(f"{words[-2]}_{words[-1]}")
        meaningful = [w for w in words if w not in _STRUCTURAL]
        return pascal_case(meaningful[-1] if meaningful else words[-1])

    def report_cycles(self) -> None:
        """Report each loop of named schemas that refer to each other in place (`IN_PLACE`, or a bare
        `$ref`) once, at its first schema's reference: validating a value against any of them would never
        end (jsonschema raises RecursionError), so the document is broken. Loops that go through a member or
        an item (`properties`, `items`...) are recursive schemas, and fine."""
        looped: set[str] = set()
        for name in self._by_source.values():  # in the order met: the document's, for a loop's first schema
            if name in looped:
                continue
            loop = self._loop_from(name)
            if loop is None:
                continue
            looped.update(loop)
            chain = " -> ".join(self.named[step].where for step in [*loop, name])
            self.report(
                self._in_place[name][loop[1] if len(loop) > 1 else name],
                self.named[name].where,
                f"cyclic $ref: {chain}: each applies to the same value, never to a member or an item of it,"
                " so no validator can finish",
            )

    def _loop_from(self, start: str) -> list[str] | None:
        """The shortest path of in-place references from `start` back to it (`start` first), if any."""
        paths: dict[str, list[str]] = {start: [start]}
        frontier = [start]
        while frontier:
            following: list[str] = []
            for name in frontier:
                for target in self._in_place.get(name, {}):  # in the order written: a stable report
                    if target == start:
                        return paths[name]
                    if target not in paths:
                        paths[target] = [*paths[name], target]
                        following.append(target)
            frontier = following
        return None

    def _ref(
        self, ref: Any, source: Source, where: str, edges: set[str], in_place: dict[str, Source] | None
    ) -> dict[str, Any]:
        try:
            target = self.resolver.target(ref, source)
            if target not in self._by_source:
                value, target = self.resolver.follow(ref, source)
                if target not in self._by_source:
                    self.register(self._name_for_target(target), value, target)
        except RefError as error:
            self.report(source.child("$ref"), where, f"$ref {ref!r}: {error}")
            return {}
        name = self._by_source[target]
        edges.add(name)
        if in_place is not None:
            in_place.setdefault(name, source.child("$ref"))
        return {"$ref": f"#/$defs/{name}"}

    def _rewrite(
        self, value: Any, source: Source, where: str, edges: set[str], in_place: dict[str, Source] | None
    ) -> Any:
        """`value` with its `$ref`s named (`edges` collects the names); `in_place` collects those that apply
        to the value itself, while the walk has not gone into a member or an item (None: not collected)."""
        if not isinstance(value, dict):
            return value
        if "$ref" in value:
            rewritten = self._ref(value["$ref"], source, where, edges, in_place)
            siblings = {k: v for k, v in value.items() if k != "$ref"}
            if not siblings:
                return rewritten
            return {**rewritten, **self._rewrite(siblings, source, where, edges, in_place)}
        # Data (enum, const, examples, default, x-...) is kept as written; only subschemas are rewritten.
        return map_subschemas(
            value,
            lambda sub, steps: self._rewrite(
                sub,
                source.child(*steps),
                ".".join([where, *map(str, steps)]),
                edges,
                in_place if steps[0] in IN_PLACE else None,
            ),
        )


def dotted(pointer: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in pointer)


def describe_source(source: Source, root_file: str) -> str:
    """`components.schemas.X` in the root document; `file#/pointer` elsewhere."""
    if source.file == root_file:
        return dotted(source.pointer)
    return f"{source.file}#{pointer_text(source.pointer)}"
