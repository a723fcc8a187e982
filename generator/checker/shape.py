"""Drift: the fields an event carries that its schema does not declare.

Per message, once: the schema's *shape*, a tree of the members each object declares (`properties`, merged
through `$ref`, `allOf`, `anyOf`/`oneOf`), its maps (`additionalProperties` schemas, `patternProperties`) and
array items. An object is *closed* for drift when it declares members and says nothing about others; a
member there that is not declared is undeclared. Objects that declare no members (``{type: object}``), or
allow others explicitly (``additionalProperties: true``), are free-form and never reported, and
``additionalProperties: false`` is left to validation, which already fails on such members.

Per event, cheaply: the shape is also emitted as a JSON Schema that only closes those objects
(`shape_schema`), which the checker validates together with the payload schema in one Rust call. Only an
event failing that walks its keys in Python (`undeclared`) to name the fields, each with its pointer and its
path pattern (array items and map keys as ``*``) that the summary counts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from generator.checker.views import Located, SchemaPath, applying, items, members, ref_name
from generator.location import escape_token

if TYPE_CHECKING:
    from generator.model import NamedSchema

_SHAPES = "gen-shapes"  # where `shape_schema` puts named shapes: a key no JSON Schema keyword uses


@dataclass(eq=False)
class Shape:
    members: dict[str, Shape] = field(default_factory=dict)
    patterns: list[tuple[re.Pattern[str], Shape]] = field(default_factory=list)
    other: Shape | None = None  # the schema of members not declared (a map's values)
    items: Shape | None = None
    closed: bool = False  # undeclared members of an object here are drift
    where: SchemaPath = ()  # the schema declaring the members, for the warning
    name: str | None = None  # the named schema this is the shape of (shapes can be recursive)
    #: Whether an object here or below is closed, so that a member can be undeclared: the walk skips
    #: what cannot be (maps of strings, such as headers, and free-form objects). Set by `build_shape`.
    drifts: bool = False
    #: The members whose shape `drifts`: the only ones the walk enters when every member is declared.
    deep: frozenset[str] = frozenset()

    @property
    def descends(self) -> bool:
        return bool(self.members or self.patterns or self.other or self.items or self.closed)

    def member(self, key: str) -> Shape | None:
        found = self.members.get(key)
        if found is not None:
            return found
        for pattern, shape in self.patterns:
            if pattern.search(key):
                return shape
        return self.other


LEAF = Shape()


def build_shape(located: list[Located], defs: Mapping[str, NamedSchema]) -> Shape:
    """The shape of the schemas in `located` (all applying at one place)."""
    return _finished(_Builder(defs).shape(located))


def _finished(shape: Shape) -> Shape:
    """`shape` with `drifts` and `deep` set throughout."""
    shapes = _reachable(shape)
    for key in _closing(shape, frozenset()):
        shapes[key].drifts = True
    for each in shapes.values():
        each.deep = frozenset(name for name, sub in each.members.items() if sub.drifts)
    return shape


def opened(shape: Shape, learned: set[int]) -> Shape:
    """A copy of `shape` in which the objects of `learned` (ids of its shapes) are open: members they do not
    declare are not drift there. Its `shape_schema` accepts an event whose undeclared members are all in
    such objects."""
    return _finished(_copy(shape, learned, None))


def toward(shape: Shape, learned: set[int]) -> Shape:
    """A copy of `shape` that walks only to the objects of `learned` (the rest is cut to `LEAF`): for an
    event the `opened` shape accepts, its walk finds what the whole shape's finds, in the same order."""
    shapes = _reachable(shape)
    reaching = _reaching(shapes, learned & shapes.keys())
    return _finished(_copy(shape, set(), reaching))


def _copy(shape: Shape, opening: set[int], keeping: set[int] | None) -> Shape:
    """A copy of `shape` (its recursion kept), the objects of `opening` open, and only those of `keeping`
    kept when it is given (the others become `LEAF`)."""
    copies: dict[int, Shape] = {}

    def copy(original: Shape) -> Shape:
        if original is LEAF or (keeping is not None and id(original) not in keeping):
            return LEAF
        found = copies.get(id(original))
        if found is not None:
            return found
        closed = original.closed and id(original) not in opening
        made = copies[id(original)] = Shape(closed=closed, where=original.where, name=original.name)
        made.members = {key: copy(sub) for key, sub in original.members.items()}
        made.patterns = [(pattern, copy(sub)) for pattern, sub in original.patterns]
        made.other = None if original.other is None else copy(original.other)
        made.items = None if original.items is None else copy(original.items)
        return made

    return copy(shape)


class _Builder:
    def __init__(self, defs: Mapping[str, NamedSchema]) -> None:
        self.defs = defs
        self.named: dict[str, Shape] = {}
        #: The shape of each set of schema objects met (by identity: all are the document's, alive while it
        #: is), registered before it is filled, as `named` is: a schema reached again inside itself through
        #: something other than a bare reference (`next: {oneOf: [{$ref: PathNode}, {type: null}]}`) finds it.
        self.met: dict[tuple[int, ...], Shape] = {}

    def shape(self, located: list[Located]) -> Shape:
        name = ref_name(located[0][0], self.defs) if len(located) == 1 else None
        if name is not None:
            if name in self.named:
                return self.named[name]
            shape = self.named[name] = Shape(name=name)  # registered first: recursion finds it
            self._fill(shape, located)
            return shape
        key = tuple(id(schema) for schema, _ in located)
        found = self.met.get(key)
        if found is None:
            found = self.met[key] = Shape()
            self._fill(found, located)
        return found if found.descends else LEAF

    def _fill(self, shape: Shape, located: list[Located]) -> None:
        views = list(applying(located, self.defs))
        free = False
        for view, path in list(views):
            for keyword in ("anyOf", "oneOf"):
                branches = view.get(keyword)
                if not isinstance(branches, list):
                    continue
                for index, branch in enumerate(branches):
                    branch_views = list(applying([(branch, (*path, keyword, index))], self.defs))
                    if not any(_describes_members(v) for v, _ in branch_views):
                        free = True  # a branch allowing any object makes every member acceptable
                    views.extend(branch_views)
        names: dict[str, None] = {}
        for view, path in views:
            properties = view.get("properties")
            if isinstance(properties, dict) and properties:
                names.update(dict.fromkeys(properties))
                shape.where = shape.where or path
            patterns = view.get("patternProperties")
            if isinstance(patterns, dict):
                for pattern, schema in patterns.items():
                    compiled = _compile(pattern)
                    if compiled is not None:
                        sub = self.shape([(schema, (*path, "patternProperties", pattern))])
                        shape.patterns.append((compiled, sub))
            additional = view.get("additionalProperties")
            if additional is True or additional == {}:
                free = True
            elif additional is False:
                free = True  # validation reports such members; drift would say it twice
            elif isinstance(additional, dict):
                shape.other = self.shape([(additional, (*path, "additionalProperties"))])
        for member in names:
            shape.members[member] = self.shape(members(views, member))
        found_items = items(views)
        if found_items:
            sub = self.shape(found_items)
            shape.items = sub if sub.descends else None
        shape.closed = bool(names) and not free and shape.other is None and not shape.patterns


def _describes_members(view: dict[str, Any]) -> bool:
    """Whether a branch constrains an object's members, or allows no object at all."""
    if any(key in view for key in ("properties", "patternProperties", "additionalProperties")):
        return True
    kind = view.get("type")
    kinds = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else ["object"]
    return "object" not in kinds


def _compile(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:
        return None  # the validator reports an invalid pattern; drift just does not use it


def undeclared(
    value: Any, shape: Shape, pointer: str = "", pattern: str = ""
) -> list[tuple[str, str, Shape]]:
    """(pointer, path pattern, shape of the object) for each undeclared member in `value`."""
    found: list[tuple[str, str, Shape]] = []
    _walk(value, shape, pointer, pattern, found)
    return found


#: Deeper than this (only a recursive schema reaches it), the walk stops rather than exhaust the stack.
MAX_DEPTH = 200


def _walk(
    value: Any, shape: Shape, pointer: str, pattern: str, found: list[tuple[str, str, Shape]], depth: int = 0
) -> None:
    if depth > MAX_DEPTH or not shape.drifts:
        return
    if type(value) is dict:
        members = shape.members
        if not shape.patterns and shape.other is None and value.keys() <= members.keys():
            # every member is declared (the usual case): only those that can hold undeclared ones are
            # entered, and the rest not even looked at
            deep = shape.deep
            for key in [key for key in value if key in deep] if deep else ():
                child = value[key]
                if type(child) in (dict, list):
                    step = escape_token(key)
                    _walk(child, members[key], f"{pointer}/{step}", f"{pattern}/{step}", found, depth + 1)
            return
        for key, child in value.items():
            sub = members.get(key)
            star = None
            if sub is None:
                sub = shape.member(key)
                if sub is None:
                    if shape.closed:
                        step = escape_token(key)
                        found.append((f"{pointer}/{step}", f"{pattern}/{step}", shape))
                    continue
                star = "*"
            if sub.drifts and type(child) in (dict, list):
                step = escape_token(key)
                _walk(child, sub, f"{pointer}/{step}", f"{pattern}/{star or step}", found, depth + 1)
    elif type(value) is list and shape.items is not None:
        for index, item in enumerate(value):
            if type(item) in (dict, list):
                _walk(item, shape.items, f"{pointer}/{index}", f"{pattern}/*", found, depth + 1)


def shape_schema(shape: Shape, folded: frozenset[str] = frozenset()) -> tuple[Any, dict[str, Any]]:
    """The shape as a JSON Schema that closes the closed objects, and its named parts (for `gen-shapes`).

    Place the parts under the root's ``gen-shapes`` key; references read ``#/gen-shapes/<name>``. The named
    shapes in `folded` are closed by the payload schema itself (`fold`): they are left open here, and what
    then closes nothing is left out (the root is ``True`` when nothing is left).
    """
    emitter = _Emitter(folded, _closing(shape, folded))
    return emitter.emit(shape), emitter.parts


def _closing(shape: Shape, folded: frozenset[str]) -> set[int]:
    """The ids of the shapes that close an object themselves or below (shapes can be recursive)."""
    shapes = _reachable(shape)
    return _reaching(shapes, {key for key, s in shapes.items() if s.closed and s.name not in folded})


def _reaching(shapes: dict[int, Shape], targets: set[int]) -> set[int]:
    """The ids of `shapes` that are in `targets` or have one below them."""
    reaching = set(targets)
    changed = True
    while changed:
        changed = False
        for key, current in shapes.items():
            if key not in reaching and any(id(child) in reaching for child in _children(current)):
                reaching.add(key)
                changed = True
    return reaching


def _reachable(shape: Shape) -> dict[int, Shape]:
    """`shape` and every shape below it, by id."""
    shapes: dict[int, Shape] = {}
    stack = [shape]
    while stack:
        current = stack.pop()
        if id(current) not in shapes:
            shapes[id(current)] = current
            stack.extend(_children(current))
    return shapes


def _children(shape: Shape) -> list[Shape]:
    found = [*shape.members.values(), *(sub for _, sub in shape.patterns)]
    return found + [sub for sub in (shape.other, shape.items) if sub is not None]


@dataclass
class _Emitter:
    """`shape_schema`'s writing: `folded` and `closing` as it says; `parts` the named parts written, `keys`
    their keys by shape, `emitting` the shapes whose bodies are being written."""

    folded: frozenset[str]
    closing: set[int]
    parts: dict[str, Any] = field(default_factory=dict)
    keys: dict[int, str] = field(default_factory=dict)
    emitting: set[int] = field(default_factory=set)

    def emit(self, shape: Shape) -> Any:
        """`shape` as a schema: a reference to its part when it is named or reached again inside itself
        (through a union, say: `next: {oneOf: [{$ref: PathNode}, ...]}`), else its body."""
        if not shape.descends or id(shape) not in self.closing:
            return True
        key = self.keys.get(id(shape))
        if key is None and (shape.name is not None or id(shape) in self.emitting):
            key = self.keys[id(shape)] = f"s{len(self.keys)}"  # registered first: a recursion finds it
        if id(shape) in self.emitting or (key is not None and key in self.parts):
            return {"$ref": f"#/{_SHAPES}/{key}"}
        self.emitting.add(id(shape))
        body = self.body(shape)
        self.emitting.discard(id(shape))
        key = self.keys.get(id(shape))  # given one if it was reached again inside itself
        if key is None:
            return body
        self.parts[key] = body
        return {"$ref": f"#/{_SHAPES}/{key}"}

    def body(self, shape: Shape) -> dict[str, Any]:
        node: dict[str, Any] = {}
        closed = shape.closed and shape.name not in self.folded
        if shape.members:
            members = {key: self.emit(sub) for key, sub in shape.members.items()}
            if not closed and shape.other is None:  # then listing a member that allows anything says nothing
                members = {key: sub for key, sub in members.items() if sub is not True}
            node["properties"] = members
        if shape.patterns:
            node["patternProperties"] = {p.pattern: self.emit(sub) for p, sub in shape.patterns}
        if shape.other is not None:
            node["additionalProperties"] = self.emit(shape.other)
        elif closed:
            node["additionalProperties"] = False
        if shape.items is not None:
            node["items"] = self.emit(shape.items)
        return node


SHAPES_KEY = _SHAPES
