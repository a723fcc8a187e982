"""The unions of a msgspec models module that msgspec cannot decode, found in its source.

msgspec tells the members of a union apart by their JSON type alone: a union may hold one object-like type
(a Struct, or a dict) unless all of them are Structs tagged by a member, and one array-like type (a list, a
set, a tuple). It raises TypeError on the first event of any other union, so a package holding one would not
work. datamodel-code-generator warns of a named union of Structs only; a field's own union (`socket:
Manufactor | Option2 | UnsetType`) or a Struct beside a dict went unsaid, and the package's tests failed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

_OBJECT_LIKE = frozenset({"dict", "Dict", "Mapping", "MutableMapping"})
_ARRAY_LIKE = frozenset(
    {"list", "List", "set", "Set", "frozenset", "FrozenSet", "tuple", "Tuple", "Sequence"}
)


@dataclass(frozen=True)
class Undecodable:
    """A union msgspec cannot decode: where it is written (`Status`, `StreetLight.socket`), what its members
    that collide are, and those members."""

    where: str
    kind: str  # "Structs without a tag", "objects it cannot tell apart", "arrays it cannot tell apart"
    members: tuple[str, ...]

    def __str__(self) -> str:
        return f"msgspec cannot decode {self.where}, a union of {self.kind} ({', '.join(self.members)})"


def undecodable_unions(source: str, *, ignored: frozenset[str] = frozenset()) -> list[Undecodable]:
    """Each union of `source` (a msgspec models module) msgspec would refuse, once per place; aliases named
    in `ignored` (a union no one decodes) are passed over."""
    module = ast.parse(source)
    classes = {node.name: node for node in module.body if isinstance(node, ast.ClassDef)}
    tagged = {name for name, node in classes.items() if any(k.arg == "tag" for k in node.keywords)}
    aliases = {
        node.target.id: node.value
        for node in module.body
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None
    }
    found: list[Undecodable] = []
    for where, annotation in _annotations(module, aliases, ignored):
        for union in _unions(annotation):
            members = list(_members(union, aliases, set()))
            objects = [m for m in members if _head(m) in classes or _head(m) in _OBJECT_LIKE]
            arrays = [m for m in members if _head(m) in _ARRAY_LIKE]
            if len(objects) > 1 and not all(_head(m) in tagged for m in objects):
                structs = all(_head(m) in classes for m in objects)
                kind = "Structs without a tag" if structs else "objects it cannot tell apart"
                found.append(Undecodable(where, kind, tuple(ast.unparse(m) for m in objects)))
                break
            if len(arrays) > 1:
                kind = "arrays it cannot tell apart"
                found.append(Undecodable(where, kind, tuple(ast.unparse(m) for m in arrays)))
                break
    return found


def _annotations(
    module: ast.Module, aliases: dict[str, ast.expr], ignored: frozenset[str]
) -> Iterator[tuple[str, ast.expr]]:
    """(place, annotation) of each alias and each Struct field."""
    for name, value in aliases.items():
        if name not in ignored:
            yield name, value
    for node in module.body:
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    yield f"{node.name}.{item.target.id}", item.annotation


def _unions(annotation: ast.expr) -> Iterator[ast.expr]:
    """Every union written in `annotation`, outermost first: `A | B`, `Union[A, B]`, `Optional[A]`."""
    inner: set[int] = set()  # the `|` operands that are themselves part of a larger union
    for node in ast.walk(annotation):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            if id(node) not in inner:
                yield node
            inner.update(id(side) for side in (node.left, node.right))
        elif isinstance(node, ast.Subscript) and _head(node) in ("Union", "Optional"):
            yield node


def _members(union: ast.expr, aliases: dict[str, ast.expr], seen: set[str]) -> Iterator[ast.expr]:
    """The members of `union`, through `|`, `Union[...]`, `Annotated[X, ...]` and the module's aliases."""
    if isinstance(union, ast.BinOp) and isinstance(union.op, ast.BitOr):
        yield from _members(union.left, aliases, seen)
        yield from _members(union.right, aliases, seen)
    elif isinstance(union, ast.Subscript) and _head(union) in ("Union", "Optional", "Annotated"):
        items = union.slice.elts if isinstance(union.slice, ast.Tuple) else [union.slice]
        for item in items[:1] if _head(union) == "Annotated" else items:
            yield from _members(item, aliases, seen)
    elif isinstance(union, ast.Name) and union.id in aliases and union.id not in seen:
        yield from _members(aliases[union.id], aliases, seen | {union.id})
    else:
        yield union


def _head(node: ast.expr) -> str:
    """`list` for `list[int]`, `Order` for `Order`, `Union` for `typing.Union[...]`; else ""."""
    if isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""
