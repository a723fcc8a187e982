"""One file -> one Python value, or a problem that names the file and the place.

YAML is read with the C-accelerated *safe* loader only; JSON with the standard library (which, unlike orjson,
lets us refuse duplicate keys). Positions (line, column) of every value are only computed when a problem needs
one (`Positions`), so a valid document is read in a single fast pass.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
        try:
            value = yaml.load(text, Loader=_UniqueKeyLoader)
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
    if _deeper_than(value, MAX_DEPTH):
        return _problem(path, _TOO_DEEP)
    return ReadFile(path=path, text=text, value=value)


def _deeper_than(value: Any, most: int) -> bool:
    """Whether mappings and lists nest more than `most` levels deep in `value` (walked without recursion)."""
    stack = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        node, depth = stack.pop()
        if depth > most:
            return True
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False
