"""One file -> one Python value, or a problem that names the file and the place.

YAML is read with the C-accelerated *safe* loader only; JSON with the standard library (which, unlike orjson,
lets us refuse duplicate keys). Positions (line, column) of every value are only computed when a problem needs
one (`Positions`), so a valid document is read in a single fast pass.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

from generator.location import Pointer
from generator.problems import Kind, Problem
from generator.text_encoding import encoding_name, wide_encoding

_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: How deeply a document's mappings and lists may nest. Real documents stay far below (the bundled one nests
#: 14 levels); what reads them after the loader (schema walkers, datamodel-code-generator, jsonschema-rs)
#: recurses, and a document nested some 500 levels deep ended in RecursionError halfway through a command.
MAX_DEPTH = 256
_TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep (gen reads documents {MAX_DEPTH} levels deep at most)"
#: How many values (mappings, lists, keys and scalars) a document may hold, a YAML alias counted as a copy of
#: what it names at each use. Every walk after the loader (refs, schemas, the AsyncAPI schema's validation,
#: JSON dumps) expands aliases, so 1.5 KB of `&a [*b, *b...]` nine times over (an alias bomb, 9^25 values)
#: hung every command. The bundled aws-lambda-triggers.yaml (164 KB) holds 8,004 values: this is 125 times
#: that. A schema `default` of 600,000 values still takes gen models some 30 s to write out, so not more.
MAX_VALUES = 1_000_000
_TOO_MANY = (
    f"holds more than {MAX_VALUES:,} values, each use of a YAML alias counted as a copy "
    f"(gen reads documents of {MAX_VALUES:,} values at most)"
)


class DuplicateKeyError(yaml.MarkedYAMLError):
    pass


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """The safe loader, reading plain scalars as YAML 1.2's core schema does (`_core_schema`) and refusing
    duplicate mapping keys (PyYAML silently keeps the last one)."""

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        """`0o17` and `0x1f` are octal and hexadecimal; `0777` is 777, not YAML 1.1's octal 511."""
        text = str(self.construct_scalar(node))
        sign, digits = (-1, text[1:]) if text.startswith("-") else (1, text.removeprefix("+"))
        base = {"0o": 8, "0x": 16}.get(digits[:2], 10)
        return sign * int(digits[2:] if base != 10 else digits, base)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # `<<: *defaults`: merged by the base class, whose keys the document's own override
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, list | dict):
                continue  # unhashable; the base class reports it
            if key in seen:
                raise DuplicateKeyError(problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


def _core_schema(loader: type[yaml.SafeLoader]) -> None:
    """Resolve `loader`'s plain scalars by YAML 1.2's core schema, as the AsyncAPI tools (js-yaml) do, not
    PyYAML's YAML 1.1: `on`, `off`, `yes`, `no` stay strings (the spec's streetlights example has `enum:
    [on, off]`, which 1.1 read as booleans, so every event failed), as do dates (1.1 made them datetimes,
    which no JSON Schema string accepts) and `1:20` (1.1's sexagesimal 80); `1e3` is a number (1.1 left it
    a string, so `maximum: 1e3` was an invalid schema). Anchors and `<<` merge keys work as before."""
    merge = [
        (tag, pattern)
        for resolvers in loader.yaml_implicit_resolvers.values()
        for tag, pattern in resolvers
        if tag == "tag:yaml.org,2002:merge"
    ]
    loader.yaml_implicit_resolvers = {}
    core = [
        ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
        ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
        (
            "float",
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
            "-+.0123456789",
        ),
        ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ]
    for name, pattern, first in core:
        loader.add_implicit_resolver(f"tag:yaml.org,2002:{name}", re.compile(pattern), list(first))
    for tag, compiled in merge:
        loader.add_implicit_resolver(tag, compiled, ["<"])


_core_schema(_UniqueKeyLoader)
_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:int", _UniqueKeyLoader.construct_yaml_int)


class _JSONDuplicateKey(ValueError):
    pass


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _JSONDuplicateKey(key)
        result[key] = value
    return result


@dataclass
class ReadFile:
    """A file that was read: its value and, on demand, where each value stands in it."""

    path: Path
    text: str
    value: Any
    _positions: dict[Pointer, tuple[int, int]] | None = field(default=None, repr=False)

    def position(self, pointer: Pointer) -> tuple[int | None, int | None]:
        """Line and column (1-based) of the value at `pointer`, or of its nearest existing parent."""
        if self._positions is None:
            self._positions = _index_positions(self.text)
        for end in range(len(pointer), -1, -1):
            found = self._positions.get(pointer[:end])
            if found is not None:
                return found
        return None, None


def _index_positions(text: str) -> dict[Pointer, tuple[int, int]]:
    """Map each value's pointer to its 1-based (line, column), from YAML's node tree (JSON is YAML here)."""
    try:
        root = yaml.compose(text, Loader=_SafeLoader)
    except yaml.YAMLError:
        return {}
    positions: dict[Pointer, tuple[int, int]] = {}
    stack: list[tuple[yaml.Node, Pointer]] = [(root, ())] if root is not None else []
    while stack:
        node, pointer = stack.pop()
        positions[pointer] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
                stack.append((value_node, (*pointer, key)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, (*pointer, i)) for i, child in enumerate(node.value))
    return positions


def _problem(path: Path, what: str, line: int | None = None, col: int | None = None) -> Problem:
    return Problem(file=str(path), what=what, line=line, col=col, kind=Kind.INPUT)


def read_file(path: Path) -> ReadFile | Problem:
    """Read and parse one YAML or JSON file; any failure is a one-line problem, never an exception."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        return _problem(path, "is a directory, not a file")
    except FileNotFoundError:
        return _problem(path, "file not found")
    except OSError as error:
        return _problem(path, f"cannot read file: {error.strerror or error}")
    if not data.strip():
        return _problem(path, "empty file")
    encoding = wide_encoding(data) or "utf-8-sig"
    if encoding == "utf-8-sig" and b"\x00" in data[:8192]:
        return _problem(path, "binary file, not YAML or JSON")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        if encoding != "utf-8-sig":
            return _problem(path, f"not valid {encoding_name(encoding)} text at byte {error.start}")
        line = data[: error.start].count(b"\n") + 1
        col = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        what = f"not UTF-8 text: byte 0x{data[error.start]:02x} (binary, or in another encoding?)"
        return _problem(path, what, line, col)
    if "\x00" in text[:4096]:  # a binary file that only started like wide text
        return _problem(path, "binary file, not YAML or JSON")
    return parse_text(path, text.removeprefix("\ufeff"))


def parse_text(path: Path, text: str) -> ReadFile | Problem:
    if path.suffix.lower() == ".json":
        try:
            value = json.loads(text, object_pairs_hook=_unique_pairs)
        except _JSONDuplicateKey as error:
            return _problem(path, f"malformed JSON: duplicate key {error.args[0]!r}")
        except json.JSONDecodeError as error:
            return _problem(path, f"malformed JSON: {error.msg}", error.lineno, error.colno)
        except RecursionError:  # the standard library's decoder recurses once a level
            return _problem(path, _TOO_DEEP)
    else:
        loader = _UniqueKeyLoader(text)
        try:
            # what yaml.load does, measuring the nodes before they are built: each node carries its place
            node = loader.get_single_node()
            oversized = _oversized(node, _node_children) if node is not None else None
            if oversized is not None:
                what, where = oversized
                if what == _TOO_DEEP:  # as the composer's RecursionError is, placed nowhere
                    return _problem(path, what)
                return _problem(path, what, where.start_mark.line + 1, where.start_mark.column + 1)
            value = loader.construct_document(node) if node is not None else None
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark
            what = error.problem or "syntax error"
            started = error.context_mark
            if error.context and started is not None and mark and started.line != mark.line:
                what += f" ({error.context} started at line {started.line + 1}, column {started.column + 1})"
            elif error.context:
                what = f"{error.context}: {what}"
            line = mark.line + 1 if mark else None
            col = mark.column + 1 if mark else None
            return _problem(path, f"malformed YAML: {what}", line, col)
        except yaml.YAMLError as error:
            return _problem(path, f"malformed YAML: {error}")
        except RecursionError:  # PyYAML's composer recurses once a level
            return _problem(path, _TOO_DEEP)
        finally:
            loader.dispose()
        return ReadFile(path=path, text=text, value=value)
    oversized = _oversized(value, _value_children)
    if oversized is not None:
        return _problem(path, oversized[0])  # JSON values keep no place; the root is the one too big or deep
    return ReadFile(path=path, text=text, value=value)


_Node = TypeVar("_Node")


def _node_children(node: yaml.Node) -> Sequence[yaml.Node] | None:
    """A composed YAML node's keys and values, or None for a scalar. An alias is the node it names, so the
    nodes of `&a [...]` are shared by every `*a`."""
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    if isinstance(node, yaml.SequenceNode):
        return node.value  # type: ignore[no-any-return]
    return None


def _value_children(value: Any) -> Sequence[Any] | None:
    if isinstance(value, dict):
        return [*value, *value.values()]
    if isinstance(value, list):
        return value
    return None


def _oversized(root: _Node, children: Callable[[_Node], Sequence[_Node] | None]) -> tuple[str, _Node] | None:
    """`_TOO_DEEP` or `_TOO_MANY`, with the node that is, when mappings and lists nest more than `MAX_DEPTH`
    levels deep in `root`, loop back into themselves (a YAML alias inside its own anchor), or hold more than
    `MAX_VALUES` values once shared nodes are counted at each use; else None.

    Walked without recursion, and each shared node once: its height and its count of values do not depend on
    the path that reaches it, so they are kept by identity. Walking every path instead took time exponential
    in an alias bomb's 1.5 KB. The node said too big is the first to be, so none inside it is: the list whose
    aliases multiply, not the root."""
    first = children(root)
    if first is None:
        return None
    measured: dict[int, tuple[int, int]] = {}  # id -> (levels of mappings and lists, values)
    # the path from the root: each node, its children not yet seen, and [levels below it, values so far]
    path: list[tuple[_Node, Iterator[_Node], list[int]]] = [(root, iter(first), [0, 1])]
    on_path = {id(root)}
    while path:
        node, left, totals = path[-1]
        try:
            child = next(left)
        except StopIteration:
            path.pop()
            on_path.discard(id(node))
            levels, values = totals[0] + 1, totals[1]
            if values > MAX_VALUES:
                return _TOO_MANY, node
            measured[id(node)] = (levels, values)
            if path:
                above = path[-1][2]
                above[0] = max(above[0], levels)
                above[1] += values
            continue
        grandchildren = children(child)
        if grandchildren is None:
            totals[1] += 1
            continue
        known = measured.get(id(child))
        if known is not None:
            if len(path) + known[0] > MAX_DEPTH:
                return _TOO_DEEP, child
            totals[0] = max(totals[0], known[0])
            totals[1] += known[1]
        elif id(child) in on_path or len(path) >= MAX_DEPTH:
            return _TOO_DEEP, child
        else:
            path.append((child, iter(grandchildren), [0, 1]))
            on_path.add(id(child))
    return None
