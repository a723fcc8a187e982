"""One message's compiled checks: its payload validator, its drift shape and its encoded inner payloads.

Built once per message (lazily, on its first event) and reused for every event. The verdict comes from
jsonschema-rs (compiled, Rust), which a test proves gives the same verdicts as the `jsonschema` package on
the recorded corpus. Formats are not asserted, as `jsonschema` does not by default and `gen validate` does
not for examples. The fast path is one Rust call on a schema combining the payload schema with the drift
shape (folded into it where it can be, `fold`): an event passing it is valid with no undeclared field, and
costs nothing more. Inner payloads are decoded once each on that path (`content.quick_steps`) and pass the
same kind of call. Only an event failing it is checked again to tell violations from drift, with every error
collected. Where valid events drifted (AWS adds fields to its events), the check learns it: a later event
that drifts only in those objects is told apart by one more Rust call, and the walk naming its undeclared
fields goes only there.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from generator.checker.content import (
    ContentField,
    DecodeFailure,
    as_is,
    content_fields,
    decode,
    occurrences,
    only_base64,
    quick_steps,
    values_at,
)
from generator.checker.fold import fold
from generator.checker.result import Violation
from generator.checker.sentences import Locate, violations
from generator.checker.shape import SHAPES_KEY, Shape, build_shape, opened, shape_schema, toward, undeclared
from generator.fast_validation import compile_stripped
from generator.fast_validation import without_content_keywords as strip_content
from generator.location import pointer_text
from generator.runtime.recognition import json_type

if TYPE_CHECKING:
    from generator.checker.typed import TypedSchema
    from generator.model import Message, Schema

_DRAFT7 = "http://json-schema.org/draft-07/schema#"


def without_content_keywords(schema: Any) -> Any:
    return strip_content(schema, (SHAPES_KEY,))  # our named shapes are schemas too


#: Objects per schema whose undeclared members `SchemaCheck` learns to check without the whole walk.
MAX_LEARNED = 32


def _combined(stripped: dict[str, Any], shape: Shape) -> dict[str, Any]:
    """The payload schema (content keywords left out) and its drift shape in one schema (`fold`)."""
    folded, names = fold(stripped, shape)
    shape_root, parts = shape_schema(shape, names)
    if shape_root is True:
        return folded
    body = {k: v for k, v in folded.items() if k not in ("$schema", "$defs")}
    combined = {"$schema": _DRAFT7, "allOf": [body, shape_root], SHAPES_KEY: parts}
    if "$defs" in folded:
        combined["$defs"] = folded["$defs"]
    return combined


@dataclass
class Outcome:
    """What checking one value found: violations, undeclared fields (pointer, pattern, where)."""

    errors: list[Violation] = field(default_factory=list)
    drift: list[Violation] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)


class SchemaCheck:
    """A standalone schema compiled for many values: verdict, every error, and undeclared members."""

    def __init__(self, standalone: dict[str, Any], locate: Locate, shape: Shape, *, drift: bool) -> None:
        # `standalone` is what `jsonschema` (the reference, and the fallback) sees, content keywords included.
        self.standalone = standalone
        self.locate = _remembered(locate)
        self.shape = shape
        self.drift = drift and shape.descends
        stripped = without_content_keywords(standalone)
        self._stripped = stripped
        self.combined = None
        #: The schema `passes` validates with jsonschema-rs, when it does (content keywords left out).
        self.fast_schema: dict[str, Any] | None = None
        if not self.drift and self.plain is not None:
            self.fast_schema = stripped
        if self.drift:
            combined = _combined(stripped, shape)
            self.combined = compile_stripped(combined)
            if self.combined is not None:
                self.fast_schema = combined
        self._reference: Any = None
        #: The objects of `shape` (ids) where valid values carried undeclared members, and what checks a
        #: value that drifts there only: the combined schema with those objects open, and the walk to them.
        self._learned: set[int] = set()
        self._drifting: tuple[Callable[[Any], bool], Shape] | None = None
        #: True when `check` would find nothing (no error, no undeclared field): one Rust call, mostly.
        self.passes: Callable[[Any], bool]
        if self.combined is not None:
            self.passes = self.combined.is_valid
        elif not self.drift and self.plain is not None:
            self.passes = self.plain.is_valid
        else:
            self.passes = self._passes

    # Built when first needed (an event that fails, or drifts), as most messages' events pass: a
    # compile costs a fifth of a millisecond, and a run checks most of a document's messages.
    @functools.cached_property
    def plain(self) -> Any:
        """The schema's jsonschema-rs validator, or None (then `jsonschema`'s is used)."""
        return compile_stripped(self._stripped)

    @functools.cached_property
    def declared(self) -> Callable[[Any], bool] | None:
        """True when a value has no undeclared member: the shape alone, as a schema (`shape_schema`). An
        invalid value that passes it is not walked for drift (a DynamoDB event's walk costs 25 µs)."""
        if not self.drift:
            return None
        shape_root, parts = shape_schema(self.shape)
        alone = compile_stripped({"$schema": _DRAFT7, SHAPES_KEY: parts, "allOf": [shape_root]})
        return alone.is_valid if alone is not None else None

    def _passes(self, value: Any) -> bool:
        return self.is_valid(value) and not (self.drift and undeclared(value, self.shape))

    def check(
        self,
        value: Any,
        outcome: Outcome,
        prefix: str = "",
        pattern_prefix: str = "",
        *,
        refused: bool = False,
    ) -> None:
        """Add what is wrong with `value` to `outcome`; pointers start with `prefix`. `refused`: `passes`
        refused `value` already."""
        if not refused and self.combined is not None and self.combined.is_valid(value):
            return
        drifting = self._drifting
        if drifting is not None and drifting[0](value):
            # valid, and undeclared members only where valid values had some before (AWS added a field):
            # the walk goes only there
            self._add_drift(undeclared(value, drifting[1], prefix, pattern_prefix), outcome)
            return
        nothing_undeclared = self.declared is not None and self.declared(value)
        if nothing_undeclared and self.combined is not None:
            # refused, with nothing undeclared: invalid, and only the errors are left to find
            outcome.errors.extend(self.errors(value, prefix))
            return
        valid = self.is_valid(value)
        if not valid:
            outcome.errors.extend(self.errors(value, prefix))
        if self.drift and not nothing_undeclared:
            found = undeclared(value, self.shape, prefix, pattern_prefix)
            self._add_drift(found, outcome)
            if valid and found:
                self._learn({id(shape) for _, _, shape in found})

    def _add_drift(self, found: list[tuple[str, str, Shape]], outcome: Outcome) -> None:
        for pointer, pattern, shape in found:
            where = self.locate(shape.where) if shape.where else ""
            outcome.drift.append(
                Violation(pointer, "undeclared", "field is not declared in the schema", where)
            )
            outcome.patterns.append(pattern)

    def _learn(self, objects: set[int]) -> None:
        """Check values that drift only in `objects` too (and where earlier ones did) without the whole walk.

        Each call that learns something compiles one schema, so learning stops after `MAX_LEARNED` objects.
        """
        if self.combined is None or objects <= self._learned or len(self._learned) >= MAX_LEARNED:
            return
        self._learned |= objects
        validator = compile_stripped(_combined(self._stripped, opened(self.shape, self._learned)))
        if validator is not None:  # it compiles when the closed one did; if not, what was learned stays
            self._drifting = (validator.is_valid, toward(self.shape, self._learned))

    def is_valid(self, value: Any) -> bool:
        if self.plain is not None:
            return bool(self.plain.is_valid(value))
        return bool(self.reference.is_valid(value))

    def errors(self, value: Any, prefix: str = "") -> list[Violation]:
        """Every error, in the order the validator finds them (deterministic for one schema and value)."""
        if self.plain is None:
            return self._reference_errors(value, prefix)
        found: list[Violation] = []
        for error in self.plain.iter_errors(value):
            found.extend(violations(error, self.locate, prefix))
        return found

    @property
    def reference(self) -> Any:
        """The `jsonschema` validator: the fallback when jsonschema-rs cannot compile a schema."""
        if self._reference is None:
            from jsonschema import Draft7Validator

            self._reference = Draft7Validator(self.standalone)
        return self._reference

    def _reference_errors(self, value: Any, prefix: str) -> list[Violation]:
        return [
            Violation(
                prefix + pointer_text(tuple(e.absolute_path)), str(e.validator), e.message, self.locate(())
            )
            for e in self.reference.iter_errors(value)
        ]


@dataclass
class _Content:
    field: ContentField
    check: SchemaCheck | None
    where: dict[str, str]  # content keyword -> its place in the document
    contents: list[_Content]  # the inner payloads of the document it holds (`ContentField.inner`)

    @functools.cached_property
    def passes(self) -> Callable[[Any], bool] | None:
        """True when a document it holds would pass `check` with nothing to say, its own inner payloads
        too (None: there is nothing to check)."""
        passes = self.check.passes if self.check is not None else None
        if not self.contents:
            return passes
        quick = [(inner.field.pattern, inner.quick) for inner in self.contents]

        def conforms(document: Any) -> bool:
            if passes is not None and not passes(document):
                return False
            return all(check(value) for pattern, check in quick for value in values_at(document, pattern))

        return conforms

    @functools.cached_property
    def quick(self) -> Callable[[Any], bool]:
        """The fast path's check of one value of the field: it decodes, and its document `passes`."""
        return _inner_check(quick_steps(self.field), self.passes)

    @functools.cached_property
    def typed(self) -> TypedSchema | None:
        """Its JSON document's typed decoder (`typed`), its own inner payloads' checks in it, when its schema
        compiles. Built once, as inner payloads are shared (`_content`)."""
        from generator.checker.typed import compile_typed

        if self.check is None or self.check.fast_schema is None or not self.field.is_json:
            return None
        return compile_typed(self.check.fast_schema, *_typed_contents(self.contents))


#: An inner payload on the fast path: where (`ContentField.pattern`), and the check of each value there.
_Quick = tuple[tuple[str | None, ...], Callable[[Any], bool]]


class MessageCheck:
    """Everything needed to check events against one message, compiled once."""

    def __init__(self, message: Message, *, decode: bool = True, drift: bool = True) -> None:
        self.message = message
        payload = message.payload
        self.payload: SchemaCheck | None = None
        self.contents: list[_Content] = []
        self._quick: list[_Quick] = []  # `contents` as the fast path reads them
        #: One call that, when it returns True, proves the event valid with no undeclared field: the
        #: checker's fast path. Only an event it refuses is checked again (`check`) to say what is wrong.
        self.conforms: Callable[[Any], bool] = _anything
        #: The last event `conforms` refused for its payload, not an inner payload (`check` need not ask
        #: the payload's one-call check again; kept by identity, as the checker passes the same object on).
        self._payload_refused: Any = None
        #: For a payload in a schema language other than JSON Schema (Avro...): the warning each event checked
        #: against it carries, as it passes unchecked (a failure with `--strict`).
        self.unchecked: Violation | None = None
        if payload is not None and not payload.is_json_schema:
            why = (
                f"not checked: {message.name}'s payload is in schemaFormat {payload.schema_format!r},"
                " which gen check cannot read"
            )
            self.unchecked = Violation("", "schemaFormat", why, payload.where)
            self.conforms = _nothing  # `check` says why
            return
        if payload is None:
            return  # nothing to check an event against: any event is a valid one
        standalone = payload.as_json_schema()
        shape = build_shape([(payload.root, ())], payload.defs)
        self.payload = SchemaCheck(standalone, lambda path: payload.where_of(list(path)), shape, drift=drift)
        if decode:
            built: dict[int, _Content] = {}
            self.contents = [self._content(payload, found, drift, built) for found in content_fields(payload)]
        self.conforms = self._conforms if self.contents else self.payload.passes
        self._quick = [(c.field.pattern, c.quick) for c in self.contents]

    def typed(self) -> TypedSchema | None:
        """`conforms` for an event's bytes, never parsed to dicts (`typed`), or None when it can't be built.

        An event its `decode` returns is one `conforms` would pass: one JSON object that passes the payload
        schema with no undeclared field, each inner payload decoding and passing its own check.
        """
        from generator.checker.typed import compile_typed  # `gen check`'s fast path only, not validate's

        if self.payload is None or self.payload.fast_schema is None:
            return None
        return compile_typed(self.payload.fast_schema, *_typed_contents(self.contents))

    def _conforms(self, event: Any) -> bool:
        """`conforms` for a message with inner payloads: each one decodes and passes its own check."""
        assert self.payload is not None
        if not self.payload.passes(event):
            self._payload_refused = event
            return False
        for pattern, check in self._quick:
            for value in values_at(event, pattern):
                if not check(value):
                    return False
        return True

    @staticmethod
    def _content(payload: Schema, found: ContentField, drift: bool, built: dict[int, _Content]) -> _Content:
        """The checks of the field `found`. `built`: those built already, by field; fields inside a content
        schema that several fields declare are shared (`content._fields_of`), and so are their checks."""
        if id(found) in built:
            return built[id(found)]
        # its inner payloads' places are in the message's schema too (`content_fields` walks on into it)
        contents = [MessageCheck._content(payload, inner, drift, built) for inner in found.inner]
        built[id(found)] = content = MessageCheck._one_content(payload, found, drift, contents)
        return content

    @staticmethod
    def _one_content(payload: Schema, found: ContentField, drift: bool, contents: list[_Content]) -> _Content:
        where = {k: payload.where_of([*found.where, k]) for k in ("contentEncoding", "x-contentCompression")}
        where["contentMediaType"] = payload.where_of([*found.where, "contentMediaType"])
        if found.content_schema is None or not found.is_json:
            return _Content(found, None, where, contents)
        inner_path = (*found.where, "contentSchema")
        body = found.content_schema if isinstance(found.content_schema, dict) else {}
        standalone: dict[str, Any] = {"$schema": _DRAFT7, **body}
        if payload.defs:
            standalone["$defs"] = {name: named.body for name, named in payload.defs.items()}

        def locate(path: Sequence[str | int]) -> str:
            """Paths inside the content schema continue its location; `$defs` ones are the named schemas."""
            steps = list(path)
            return payload.where_of(steps if steps[:1] == ["$defs"] else [*inner_path, *steps])

        shape = build_shape([(found.content_schema, inner_path)], payload.defs)
        return _Content(found, SchemaCheck(standalone, locate, shape, drift=drift), where, contents)

    def check(self, event: Any, *, refused: bool = False) -> Outcome:
        """What is wrong with `event`; `refused`: `conforms` refused it, so without inner payloads the
        payload check's one-call verdict is known."""
        outcome = Outcome()
        if self.payload is None:
            if self.unchecked is not None:
                outcome.drift.append(self.unchecked)
            return outcome
        # With inner payloads, `conforms` may have refused the event for one of them, not the payload.
        payload_refused = refused and (not self.contents or self._payload_refused is event)
        self._payload_refused = None
        self.payload.check(event, outcome, refused=payload_refused)
        for content in self.contents:
            self._check_content(event, content, outcome)
        return outcome

    def _check_content(
        self, event: Any, content: _Content, outcome: Outcome, prefix: str = "", pattern_prefix: str = ""
    ) -> None:
        """What is wrong with the inner payloads of `content`'s field in `event` (a document decoded from
        an outer one when `prefix` is its pointer, followed by `#`), theirs included."""
        found = content.field
        for pointer, value in occurrences(event, found.pattern, prefix):
            if not isinstance(value, str):
                continue  # not a string: the payload schema says so, if it cares
            decoded = decode(value, found)
            if isinstance(decoded, DecodeFailure):
                where = content.where.get(decoded.keyword, "")
                outcome.errors.append(Violation(pointer, decoded.keyword, decoded.message, where))
                continue
            pattern = "/".join("*" if step is None else step for step in found.pattern)
            inner_prefix, inner_pattern = f"{pointer}#", f"{pattern_prefix}/{pattern}#"
            if content.check is not None:
                content.check.check(decoded, outcome, inner_prefix, inner_pattern)
            for inner in content.contents:  # `/Records/0/body#/Message#/n`
                self._check_content(decoded, inner, outcome, inner_prefix, inner_pattern)


def _inner_check(
    steps: Callable[[Any], Any], passes: Callable[[Any], bool] | None, kind: type = str
) -> Callable[[Any], bool]:
    """An inner payload's fast check on one value of its field: it decodes (`content.quick_steps`) and
    passes its own check. A value not of `kind` is not checked here: the payload schema says what it must
    be."""

    def check(value: Any) -> bool:
        if not isinstance(value, kind):
            return True  # as in `_check_content`
        try:
            decoded = steps(value)
        except ValueError:  # binascii.Error, orjson.JSONDecodeError and UnicodeDecodeError are ValueErrors
            return False
        return passes is None or bool(passes(decoded))

    return check


_TypedChecks = tuple[
    dict[tuple[str | None, ...], Callable[[Any], bool]],  # checks of an inner payload's text
    dict[tuple[str | None, ...], Callable[[Any], bool] | None],  # ... of its bytes, if msgspec decodes base64
]


def _typed_contents(contents: list[_Content]) -> _TypedChecks:
    """The checks of `contents` a typed decoder runs (`compile_typed`'s `contents` and `base64`)."""
    inner: dict[tuple[str | None, ...], Callable[[Any], bool]] = {}
    base64: dict[tuple[str | None, ...], Callable[[Any], bool] | None] = {}
    for content in contents:
        pattern = content.field.pattern
        compiled = content.typed
        inner[pattern] = (
            _read_typed(compiled, quick_steps(content.field, parse=False)) if compiled else content.quick
        )
        if only_base64(content.field):
            base64[pattern] = None  # decoded by msgspec, that is all
        elif (content.field.encoding or "").lower() == "base64":  # msgspec decodes it, the rest here
            steps = quick_steps(content.field, parse=compiled is None, encoded=False)
            base64[pattern] = (
                _read_typed(compiled, steps) if compiled else _inner_check(steps, content.passes, bytes)
            )
    return inner, base64


def _read_typed(compiled: TypedSchema, steps: Callable[[Any], Any]) -> Callable[[Any], bool]:
    """An inner JSON payload's fast check that reads its text, decoded by `steps`, typed."""
    decode: Callable[[Any], Any] = compiled.decode  # msgspec reads text as str or bytes
    # a JSON text in a string, with nothing to decode first, is read as it is: no step to call
    read = decode if steps is as_is else lambda value: decode(steps(value))

    def check(value: Any) -> bool:
        if not isinstance(value, (str, bytes)):
            return True
        try:
            read(value)
        except ValueError:  # msgspec's DecodeError (and ValidationError) too
            return False
        return True

    return check


def _remembered(locate: Locate) -> Locate:
    """`locate`, each schema path's place computed once (the paths of one schema are few; its errors and
    undeclared fields are many)."""
    cached = functools.cache(locate)
    return lambda path: cached(tuple(path))


def _anything(_event: Any) -> bool:
    return True


def _nothing(_event: Any) -> bool:
    return False


def not_an_object(value: Any, kinds: Sequence[str] = ("object",)) -> Violation:
    """An event of a type no message's payload takes; `kinds`: the types they take."""
    if list(kinds) == ["object"]:
        return Violation("", "type", f"expected an event (a JSON object), got {json_type(value)}")
    taken = " or ".join(kinds) or "object"
    return Violation(
        "", "type", f"expected an event the messages' payloads take ({taken}), got {json_type(value)}"
    )


def header_check(message: Message) -> SchemaCheck:
    """The check of a message's headers schema (examples only: events carry no headers)."""
    assert message.headers is not None
    headers = message.headers
    standalone = headers.as_json_schema()
    return SchemaCheck(standalone, lambda path: headers.where_of(list(path)), Shape(), drift=False)
