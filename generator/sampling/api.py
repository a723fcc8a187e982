"""`samples` and `invalid_samples`: a message's examples, synthesized events and near misses, all checked.

One way through: load (or take) the document -> pick the message -> base events (its examples) ->
parameters and overrides -> synthesized events -> near misses -> every event validated before it is
returned. Nothing is printed or written here; `generator.sampling.output` writes files for the CLI.
"""

from __future__ import annotations

import copy
import functools
import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.model import Document, Example, Message, Schema
from generator.payload_check import PayloadChecker, python_unreadable_pattern
from generator.problems import GenError
from generator.sampling.errors import document_error, usage_error
from generator.sampling.mutations import InvalidSample, near_misses
from generator.sampling.parameters import (
    SampleParameter,
    apply_parameters,
    resolve_values,
    sample_parameters,
)
from generator.sampling.pointers import PointerError, parse_pointer, put

#: How many synthesized events near misses are made from, at most (beside the examples).
MAX_MUTATION_BASES = 16
#: Rounds of drawing before giving up on reaching `count` distinct valid events (then they repeat).
DRAW_ROUNDS = 4

Spec = str | Path | Document


@dataclass(frozen=True)
class SampleOptions:
    """What to produce for one message; the defaults give its examples, unchanged."""

    count: int = 0
    invalid: int = 0
    seed: int = 0
    overrides: Mapping[str, Any] = field(default_factory=dict)
    parameters: Mapping[str, str] = field(default_factory=dict)
    examples: bool = True
    example: str | None = None

    @property
    def customized(self) -> bool:
        return bool(self.overrides or self.parameters)


@dataclass(frozen=True)
class SampleSet:
    """The events made for one message: valid ones (examples first) and near misses."""

    message: Message
    events: list[Any]
    from_examples: int  # how many of `events` are the document's examples
    invalid: list[InvalidSample]


def load_spec(
    spec: Spec, *, allow_ref_outside: Sequence[str | Path] = (), allow_remote_refs: bool = False
) -> Document:
    if isinstance(spec, Document):
        return spec
    from generator.loader import load

    return load(spec, allow_ref_outside=allow_ref_outside, allow_remote_refs=allow_remote_refs)


def find_message(document: Document, name: str) -> Message:
    message = document.messages.get(name)
    if message is None:
        known = ", ".join(document.messages) or "none"
        raise usage_error(str(document.path), f"no message named {name!r} (the document has: {known})")
    return message


def samples(
    spec: Spec,
    message: str,
    *,
    count: int = 0,
    seed: int = 0,
    overrides: Mapping[str, Any] | None = None,
    parameters: Mapping[str, str] | None = None,
    examples: bool = True,
    example: str | None = None,
) -> list[Any]:
    """Valid events for `message`: its examples, then `count` events synthesized from its payload schema.

    `parameters` are the message's named parameters (`x-sample-parameters`, e.g. `{"bucket": "photos"}`)
    and `overrides` maps JSON pointers to values (`{"/Records/0/s3/object/size": 10}`); with either, the
    examples are narrowed to one base event (`example`, by name or 1-based number, else the first) and
    every synthesized event gets them too. Every event is validated against the payload schema; the same
    seed gives the same events. Raises `GenError` when something cannot be done.
    """
    options = SampleOptions(
        count=count,
        seed=seed,
        overrides=dict(overrides or {}),
        parameters=dict(parameters or {}),
        examples=examples,
        example=example,
    )
    return sample_set(load_spec(spec), message, options).events


def invalid_samples(
    spec: Spec,
    message: str,
    *,
    count: int,
    seed: int = 0,
    overrides: Mapping[str, Any] | None = None,
    parameters: Mapping[str, str] | None = None,
    example: str | None = None,
) -> list[InvalidSample]:
    """`count` near-miss events for `message`, each breaking exactly one rule, named in `.broken`.

    Fewer come back when the schema allows fewer distinct ones (`{}` allows none).
    """
    options = SampleOptions(
        invalid=count,
        seed=seed,
        overrides=dict(overrides or {}),
        parameters=dict(parameters or {}),
        example=example,
    )
    return sample_set(load_spec(spec), message, options).invalid


def message_parameters(spec: Spec, message: str) -> dict[str, SampleParameter]:
    """The named parameters a message offers (`x-sample-parameters`), by name."""
    return sample_parameters(find_message(load_spec(spec), message))


def sample_set(document: Document, message_name: str, options: SampleOptions) -> SampleSet:
    message = find_message(document, message_name)
    maker = _Maker(document, message, options)
    events = maker.examples()
    from_examples = len(events)
    synthesized = maker.synthesize(options.count, options.seed) if options.count else []
    invalid: list[InvalidSample] = []
    if options.invalid:
        unmakeable = maker.unmakeable
        if unmakeable is not None:
            raise unmakeable
        bases = events + synthesized
        if len(synthesized) < MAX_MUTATION_BASES:
            more = maker.synthesize(MAX_MUTATION_BASES, options.seed + 1, required=not bases)
            bases += more
        invalid = near_misses(maker.checker(), bases, count=options.invalid, seed=options.seed)
    return SampleSet(
        message=message, events=events + synthesized, from_examples=from_examples, invalid=invalid
    )


class _Maker:
    """Makes the events of one message under one set of options."""

    def __init__(self, document: Document, message: Message, options: SampleOptions) -> None:
        self.document = document
        self.message = message
        self.options = options
        self.parameters = sample_parameters(message)
        if options.parameters:
            resolve_values(message, self.parameters, options.parameters)  # unknown names fail here, early
        self.overrides = {self._pointer(p): (p, v) for p, v in options.overrides.items()}
        self._checker: PayloadChecker | None = None

    def _pointer(self, pointer: str) -> tuple[str, ...]:
        try:
            return parse_pointer(pointer)
        except PointerError as error:
            raise usage_error(
                self.message.source.file, f"--set {pointer}: {error}", self.message.where
            ) from None

    def schema(self) -> Schema:
        schema = self.message.payload
        if schema is None:
            raise usage_error(
                self.message.source.file,
                f"{self.message.name} has no payload schema to generate events from",
                self.message.where,
            )
        if not schema.is_json_schema:
            raise usage_error(
                schema.source.file,
                f"{self.message.name}: schemaFormat {schema.schema_format!r} is not supported for generation",
                schema.where,
            )
        return schema

    def checker(self) -> PayloadChecker:
        if self._checker is None:
            self._checker = PayloadChecker(self.schema())
        return self._checker

    @functools.cached_property  # asked before each drawing and mutating: the schema is walked once
    def unmakeable(self) -> GenError | None:
        """Why no event can be drawn or mutated here: a pattern Python's `re` cannot read, which drawing from
        or checking against would end the run with (examples are still given: jsonschema-rs passes them)."""
        schema = self.schema()
        unreadable = python_unreadable_pattern(schema.as_json_schema())
        if unreadable is None:
            return None
        pattern, why = unreadable
        return document_error(
            schema.source,
            schema.where,
            f"cannot generate events: pattern {pattern!r} is ECMA-262 that Python's re cannot read ({why}),"
            " so gen samples can neither draw nor check its events (gen check reads it)",
        )

    def _can_check(self) -> bool:
        return self.message.payload is not None and self.message.payload.is_json_schema

    # -- examples ---------------------------------------------------------------------------------------
    def example_payloads(self) -> list[Any]:
        """Every example payload of the message (whatever is emitted): where realistic values come from."""
        return [e.payload for e in self.message.examples if e.has_payload]

    def chosen_examples(self) -> list[Example]:
        available = [e for e in self.message.examples if e.has_payload]
        wanted = self.options.example
        if wanted is not None:
            for number, example in enumerate(available, start=1):
                if wanted in (example.name, str(number)):
                    return [example]
            names = ", ".join(e.name or str(n) for n, e in enumerate(available, start=1)) or "none"
            raise usage_error(
                self.message.source.file,
                f"{self.message.name} has no example {wanted!r} (its examples: {names})",
                self.message.where,
            )
        if not self.options.examples:
            return []
        return available[:1] if self.options.customized else available

    def examples(self) -> list[Any]:
        events: list[Any] = []
        for example in self.chosen_examples():
            label = example.name or example.where
            if self._can_check():
                errors = self.checker().errors(example.payload)
                if errors:
                    raise document_error(
                        example.source.child("payload"),
                        example.where,
                        f"example {label!r} does not match the payload schema at "
                        f"{self.checker().describe(errors[0])}",
                    )
            event = self.customize(example.payload)
            if self.options.customized and self._can_check():
                errors = self.checker().errors(event)
                if errors:
                    raise usage_error(
                        self.message.source.file,
                        f"with {self._asked()}, {self.message.name} (example {label!r}) is invalid: "
                        f"{self.checker().describe(errors[0])}",
                        self.message.where,
                    )
            events.append(event)
        return events

    def _asked(self) -> str:
        asked = [f"--{name} {value!r}" for name, value in self.options.parameters.items()]
        asked += [f"--set {pointer}={json.dumps(value)}" for pointer, value in self.options.overrides.items()]
        return " ".join(asked)

    def customize(self, payload: Any) -> Any:
        event = copy.deepcopy(payload)
        if self.options.parameters:
            event = apply_parameters(event, self.message, self.parameters, self.options.parameters)
        for tokens, (pointer, value) in self.overrides.items():
            try:
                event = put(event, tokens, copy.deepcopy(value))
            except PointerError as error:
                raise usage_error(
                    self.message.source.file, f"--set {pointer}: {error}", self.message.where
                ) from None
        return event

    # -- synthesis --------------------------------------------------------------------------------------
    def synthesize(self, count: int, seed: int, *, required: bool = True) -> list[Any]:
        """`count` valid events drawn from the payload schema (repeating when it allows fewer)."""
        from generator.sampling.identifiers import UniqueIdentifiers, batch_identifiers
        from generator.sampling.prepare import SchemaTooLarge, prepare
        from generator.sampling.synthesis import CannotDraw, draw, strategy_for

        unmakeable = self.unmakeable
        if unmakeable is not None:
            if not required:
                return []
            raise unmakeable
        schema = self.schema()
        checker = self.checker()
        examples = self.example_payloads()
        identifiers = UniqueIdentifiers(batch_identifiers(examples), examples, seed)
        try:
            strategy = strategy_for(prepare(schema, examples=examples))
        except (CannotDraw, SchemaTooLarge) as error:
            if not required:
                return []
            raise document_error(schema.source, schema.where, f"cannot generate events: {error}") from None
        events: list[Any] = []
        seen: set[str] = set()
        rejected: Any = None
        for round_ in range(DRAW_ROUNDS):
            wanted = (count - len(events)) * (1 + round_)
            try:
                drawn = draw(strategy, count=wanted, seed=seed + round_ * 1_000_003)
            except CannotDraw as error:
                if not required:
                    return events
                raise document_error(
                    schema.source, schema.where, f"cannot generate events: {error}"
                ) from None
            for value in drawn:
                event = self.customize(identifiers.apply(value))
                if not checker.is_valid(event, formats=True):
                    rejected = event
                    continue
                key = json.dumps(event, sort_keys=True)
                if key not in seen:
                    seen.add(key)
                    events.append(event)
                    if len(events) == count:
                        return events
            if len(drawn) < wanted:
                break  # the schema has no more distinct values
        if not events:
            if not required:
                return []
            reason = "no value drawn from the schema was valid"
            if rejected is not None and self.options.customized:
                errors = checker.errors(rejected)
                detail = checker.describe(errors[0]) if errors else "a format check failed"
                reason = f"with {self._asked()}, every synthesized event is invalid: {detail}"
                raise usage_error(self.message.source.file, reason, self.message.where)
            raise document_error(schema.source, schema.where, f"cannot generate events: {reason}")
        return [copy.deepcopy(e) for e in itertools.islice(itertools.cycle(events), count)]
