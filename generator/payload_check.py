"""Validating values against a message's payload (or headers) schema: `gen validate` checks examples with it,
`gen samples` what it emits. jsonschema-rs proves "valid" quickly; `jsonschema` gives the errors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from generator.fast_validation import fast_validator
from generator.location import pointer_text
from generator.model import Schema

if TYPE_CHECKING:
    from jsonschema import ValidationError
    from jsonschema.protocols import Validator


@dataclass
class PayloadChecker:
    """jsonschema validators for one payload schema (draft-07, as AsyncAPI's Schema Object)."""

    schema: Schema
    _plain: Validator | None = field(default=None, repr=False)
    _with_formats: Validator | None = field(default=None, repr=False)
    _standalone: dict[str, Any] | None = field(default=None, repr=False)
    _branches: dict[int, tuple[Any, Validator]] = field(default_factory=dict, repr=False)
    _fast: Any = field(default=None, repr=False)
    _fast_built: bool = field(default=False, repr=False)

    def _passes_fast(self, event: Any) -> bool:
        """jsonschema-rs's "valid", trusted; its "invalid" is not (jsonschema gives the errors)."""
        if not self._fast_built:
            self._fast, self._fast_built = fast_validator(self.standalone), True
        return self._fast is not None and bool(self._fast.is_valid(event))

    @property
    def standalone(self) -> dict[str, Any]:
        if self._standalone is None:
            self._standalone = self.schema.as_json_schema()
        return self._standalone

    def accepts(self, part: Any, value: Any) -> bool:
        """Whether `value` is valid against `part`, a subschema of this schema (its `$ref`s resolved here)."""
        cached = self._branches.get(id(part))
        if cached is None or cached[0] is not part:
            from jsonschema import Draft7Validator

            body = {**part, "$defs": self.standalone.get("$defs", {})} if isinstance(part, dict) else part
            cached = (part, Draft7Validator(body))
            self._branches[id(part)] = cached
        return bool(cached[1].is_valid(value))

    @property
    def plain(self) -> Validator:
        """`format` as an annotation, as `gen validate` and the contract checker treat it."""
        if self._plain is None:
            from jsonschema import Draft7Validator

            self._plain = Draft7Validator(self.standalone)
        return self._plain

    @property
    def with_formats(self) -> Validator:
        """`format` asserted too: what we synthesize must also look right."""
        if self._with_formats is None:
            from jsonschema import Draft7Validator

            self._with_formats = Draft7Validator(
                self.standalone, format_checker=Draft7Validator.FORMAT_CHECKER
            )
        return self._with_formats

    def errors(self, event: Any) -> list[ValidationError]:
        if self._passes_fast(event):
            return []
        return sorted(self.plain.iter_errors(event), key=lambda e: [str(p) for p in e.absolute_path])

    def is_valid(self, event: Any, *, formats: bool = False) -> bool:
        if not formats and self._passes_fast(event):
            return True
        return (self.with_formats if formats else self.plain).is_valid(event)

    def describe(self, error: ValidationError) -> str:
        """`/Records/0/s3: 'bucket' is a required property (schema: components.schemas.S3.required)`."""
        pointer = pointer_text(tuple(error.absolute_path)) or "/"
        return f"{pointer}: {error.message} (schema: {self.where(error)})"

    def where(self, error: ValidationError) -> str:
        """The document location of the keyword that failed."""
        return self.schema.where_of(
            keyword_path(self.schema, list(error.absolute_schema_path), self.standalone)
        )


def keyword_path(
    schema: Schema, schema_path: list[str | int], standalone: dict[str, Any] | None = None
) -> list[str | int]:
    """A failing keyword's path inside the standalone schema, in the named schema where it is written.

    jsonschema leaves `$ref` out of schema paths and goes on inside the target (`properties/lines/items/
    properties/quantity/type`, where `items` is a reference to `OrderLine`); following the references
    gives the keyword's real home (`$defs/OrderLine/properties/quantity/type`).
    """
    node: Any = standalone if standalone is not None else schema.as_json_schema()
    path: list[str | int] = []
    for step in schema_path:
        node, path = _through_refs(schema, node, path)
        path.append(step)
        if isinstance(node, dict):
            node = node.get(step) if isinstance(step, str) else None
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            node = None
    return path


def _through_refs(schema: Schema, node: Any, path: list[str | int]) -> tuple[Any, list[str | int]]:
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        name = node["$ref"].removeprefix("#/$defs/")
        if name not in schema.defs or name in seen:
            break
        seen.add(name)
        node, path = schema.defs[name].body, ["$defs", name]
    return node, path


def python_unreadable_pattern(schema: Any) -> tuple[str, str] | None:
    """The first `pattern` (or `patternProperties` key) in `schema` that Python's `re` cannot read, and why:
    an ECMA-262 one such as `\\p{L}` (a letter), which jsonschema-rs, and so gen check, reads. This checker's
    `jsonschema` and the sampler's Hypothesis use `re`; None when every pattern reads."""
    from generator.schema_walk import walk

    patterns: list[str] = []

    def visit(node: dict[str, Any]) -> None:
        if isinstance(node.get("pattern"), str):
            patterns.append(node["pattern"])
        if isinstance(node.get("patternProperties"), dict):
            patterns.extend(str(key) for key in node["patternProperties"])

    walk(schema, visit)
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as error:
            return pattern, str(error)
    return None
