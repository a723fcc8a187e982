"""Named sample parameters (`x-sample-parameters` on a message, see docs/extensions.md).

A parameter writes its value, through a template and an optional transform, at one or more JSON pointers,
so the fields derived from it (an ARN from a bucket name, an MD5 from a body) stay consistent. Nothing here
knows any AWS service: the document says what each parameter sets.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus

from generator.location import below
from generator.model import Message
from generator.problems import GenError, Problem
from generator.sampling.errors import document_error, usage_error
from generator.sampling.pointers import PointerError, expand, parse_pointer, put

EXTENSION = "x-sample-parameters"
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


def _query(value: str) -> list[tuple[str, str]]:
    return parse_qsl(value.lstrip("?"), keep_blank_values=True)


def _multi_value_query(value: str) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for key, item in _query(value):
        result.setdefault(key, []).append(item)
    return result


#: transform name -> function of the filled-in template. Each is plain data processing.
TRANSFORMS: dict[str, Callable[[str], Any]] = {
    "url-encode": lambda value: quote(value, safe="/"),
    "url-encode-plus": lambda value: quote_plus(value, safe="/"),
    "md5": lambda value: hashlib.md5(value.encode("utf-8"), usedforsecurity=False).hexdigest(),
    "base64": lambda value: base64.b64encode(value.encode("utf-8")).decode("ascii"),
    "json": json.loads,
    "query-string": lambda value: dict(_query(value)),
    "multi-value-query-string": _multi_value_query,
    "comma-joined-query-string": lambda value: {k: ",".join(v) for k, v in _multi_value_query(value).items()},
}


@dataclass(frozen=True)
class Assignment:
    """One field a parameter sets: `template` filled in, then `transform`ed, written at `pointer`."""

    pointer: str
    tokens: tuple[str, ...]
    template: str
    transform: str | None


@dataclass(frozen=True)
class SampleParameter:
    name: str
    description: str | None
    default: str | None
    assignments: tuple[Assignment, ...]

    @property
    def references(self) -> frozenset[str]:
        return frozenset(name for a in self.assignments for name in placeholders(a.template))


def placeholders(template: str) -> list[str]:
    """The parameter names a template refers to (`{{` and `}}` are literal braces)."""
    return [m.group(1) for m in _PLACEHOLDER.finditer(template) if m.group(1) is not None]


def fill(template: str, values: Mapping[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        return values[match.group(1)]

    return _PLACEHOLDER.sub(replace, template)


def _scalar_text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return json.dumps(value)  # a YAML number default: `1` -> "1"
    return None


class _Reader:
    """Reads the extension of one message, collecting problems with their document place."""

    def __init__(self, message: Message) -> None:
        self.message = message
        self.problems: list[Problem] = []

    def fault(self, path: tuple[str | int, ...], what: str) -> None:
        source, at = self.message.place_of(EXTENSION)
        where = below(at, *path)
        self.problems.extend(document_error(source.child(*path), where, what).problems)

    def parameters(self, raw: Any) -> dict[str, SampleParameter]:
        if not isinstance(raw, dict):
            self.fault((), "must be a mapping of parameter name -> {description, default, set}")
            return {}
        found: dict[str, SampleParameter] = {}
        for name, spec in raw.items():
            parameter = self.parameter(str(name), spec)
            if parameter is not None:
                found[parameter.name] = parameter
        for parameter in found.values():
            for index, assignment in enumerate(parameter.assignments):
                for ref in placeholders(assignment.template):
                    if ref not in found:
                        known = ", ".join(found)
                        self.fault(
                            (parameter.name, "set", index, "template"),
                            f"refers to {{{ref}}}, which is not a parameter of this message (known: {known})",
                        )
        return found

    def parameter(self, name: str, spec: Any) -> SampleParameter | None:
        if not _NAME.match(name):
            self.fault(
                (name,), "a parameter name must be letters, digits, '-' or '_', starting with a letter"
            )
            return None
        if not isinstance(spec, dict):
            self.fault((name,), "must be a mapping with `set` (and optionally `description`, `default`)")
            return None
        unknown = sorted(set(spec) - {"description", "default", "set"})
        if unknown:
            self.fault(
                (name, unknown[0]), f"unknown field {unknown[0]!r} (allowed: description, default, set)"
            )
        default = spec.get("default")
        if default is not None and _scalar_text(default) is None:
            self.fault((name, "default"), "must be a string or a number")
        description = spec.get("description")
        entries = spec.get("set")
        if not isinstance(entries, list) or not entries:
            self.fault((name, "set"), "must be a non-empty list of {pointer, template, transform}")
            return None
        assignments = [self.assignment(name, index, entry) for index, entry in enumerate(entries)]
        if any(a is None for a in assignments):
            return None
        return SampleParameter(
            name=name,
            description=description if isinstance(description, str) else None,
            default=_scalar_text(default) if default is not None else None,
            assignments=tuple(a for a in assignments if a is not None),
        )

    def assignment(self, name: str, index: int, entry: Any) -> Assignment | None:
        path: tuple[str | int, ...] = (name, "set", index)
        if not isinstance(entry, dict) or not isinstance(entry.get("pointer"), str):
            self.fault(path, "must be a mapping with a `pointer` (a JSON pointer such as /Records/0/body)")
            return None
        unknown = sorted(set(entry) - {"pointer", "template", "transform"})
        if unknown:
            self.fault(
                (*path, unknown[0]), f"unknown field {unknown[0]!r} (allowed: pointer, template, transform)"
            )
            return None
        try:
            tokens = parse_pointer(entry["pointer"])
        except PointerError as error:
            self.fault((*path, "pointer"), str(error))
            return None
        template = entry.get("template", f"{{{name}}}")
        if not isinstance(template, str):
            self.fault((*path, "template"), "must be a string such as 'arn:aws:s3:::{bucket}'")
            return None
        transform = entry.get("transform")
        if transform is not None and transform not in TRANSFORMS:
            self.fault(
                (*path, "transform"), f"unknown transform {transform!r} (known: {', '.join(TRANSFORMS)})"
            )
            return None
        return Assignment(entry["pointer"], tokens, template, transform)


def sample_parameters(message: Message) -> dict[str, SampleParameter]:
    """The message's named parameters, by name; `GenError` (exit 1) when the extension is malformed."""
    raw = message.extensions.get(EXTENSION)
    if raw is None:
        return {}
    reader = _Reader(message)
    found = reader.parameters(raw)
    if reader.problems:
        raise GenError(reader.problems)
    return found


def _usage(message: Message, what: str) -> GenError:
    return usage_error(message.source.file, what, message.where)


def resolve_values(
    message: Message, parameters: Mapping[str, SampleParameter], given: Mapping[str, str]
) -> dict[str, str]:
    """The values templates are filled with: the given ones, then defaults; errors name what is wrong."""
    unknown = [name for name in given if name not in parameters]
    if unknown:
        known = ", ".join(f"--{n}" for n in parameters) or "none"
        raise _usage(message, f"unknown parameter --{unknown[0]} for {message.name} (known: {known})")
    values = {name: p.default for name, p in parameters.items() if p.default is not None}
    values.update(given)
    for name in given:
        missing = sorted(ref for ref in parameters[name].references if ref not in values)
        if missing:
            raise _usage(
                message,
                f"--{name} also sets fields that use --{missing[0]}, which has no default: "
                f"give --{missing[0]} too",
            )
    return values


def apply_parameters(
    event: Any, message: Message, parameters: Mapping[str, SampleParameter], given: Mapping[str, str]
) -> Any:
    """`event` (changed in place when it is a container) with every field the given parameters set."""
    values = resolve_values(message, parameters, given)
    for name in given:
        for assignment in parameters[name].assignments:
            text = fill(assignment.template, values)
            value: Any = text
            if assignment.transform is not None:
                try:
                    value = TRANSFORMS[assignment.transform](text)
                except ValueError as error:
                    raise _usage(
                        message,
                        f"--{name}: {text!r} cannot be transformed by {assignment.transform}: {error}",
                    ) from None
            try:
                for tokens in expand(event, assignment.tokens):
                    event = put(event, tokens, copy.deepcopy(value))
            except PointerError as error:
                raise _usage(
                    message, f"--{name} sets {assignment.pointer}, which this event lacks: {error}"
                ) from None
    return event
