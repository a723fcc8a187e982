"""Document + generated models -> what the handler package contains: one plan every template reads.

The plan holds names (already safe identifiers), Python expressions built from them, and prose made safe for
docstrings; templates only lay them out. Lambda documents (an operation with `x-lambda-invocation`) get stubs
shaped by the invocation model and a `handler(event, context)` entry point; any other document gets plain
typed stubs and a router keyed by channel and message.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.codegen.invocation import BatchAccess, Invocation, batch_access, read_invocation
from generator.codegen.models import GeneratedModels, ModelType
from generator.model import Channel, Document, Message, Operation
from generator.names import class_name, docstring_text, function_name, python_literal, unique
from generator.problems import Level, Problem

#: The name of an example made up from the schema (a message without examples).
SYNTHESIZED = "synthesized"
_VERBS = ("receive", "on", "handle", "consume", "process", "publish", "subscribe")


@dataclass(frozen=True)
class ChannelPlan:
    id: str
    address: str | None
    pattern: str | None  # a regular expression matching concrete addresses, parameters as groups
    parameters: tuple[str, ...]  # parameter names, as in the address
    parameters_class: str | None  # a TypedDict of the parameters, when there are any
    example_address: str | None  # the address with each parameter filled in, for the generated tests


@dataclass(frozen=True)
class RoutePlan:
    message: str  # the message name (the recognition table's key)
    model: str  # the annotation its payload parses into
    route: str  # the router's function for this (channel, message)
    handler: HandlerPlan


@dataclass
class HandlerPlan:
    operation: Operation
    module: str  # handlers/<module>.py
    function: str
    messages: list[tuple[Message, str]]  # each message with its model annotation
    channel: ChannelPlan
    invocation: Invocation | None
    kind: str  # synchronous | asynchronous | poll-based | batch | plain
    reply_model: str | None = None
    reply_is_event: bool = False
    reply_default: str | None = None  # a Python expression of a valid reply, for the fresh stub
    #: `reply_model` is a type alias: `parse` of it is typed Any (a union of replies, which mypy --strict
    #: refuses to return as the alias) or the aliased type (`str`, to which a cast would be redundant), so
    #: the stub returns it through a variable annotated with the alias, which takes either
    reply_alias: bool = False
    batch: BatchAccess | None = None
    record_function: str | None = None
    docstring: str = ""
    record_docstring: str = ""
    summary: str = ""

    @property
    def event_annotation(self) -> str:
        return " | ".join(dict.fromkeys(model for _, model in self.messages)) or "Any"

    @property
    def returns(self) -> str:
        batch = self.kind in ("poll-based", "batch")
        return self.reply_model or ("PartialBatchResponse" if batch else "None")


@dataclass
class PackagePlan:
    document: Document
    is_lambda: bool
    handlers: list[HandlerPlan] = field(default_factory=list)
    routes: list[RoutePlan] = field(default_factory=list)
    channels: list[ChannelPlan] = field(default_factory=list)
    table: list[dict[str, Any]] = field(default_factory=list)
    examples: dict[str, list[tuple[str, Any]]] = field(default_factory=dict)
    #: An event no message matches, for the generated test of the router's refusal (None: every event matches)
    unknown_event: dict[str, str] | None = None
    problems: list[Problem] = field(default_factory=list)

    def models_used(self, handler: HandlerPlan | None = None) -> list[str]:
        """Model names a module imports: those of one handler, or of every handler."""
        names: set[str] = set()
        for plan in [handler] if handler else self.handlers:
            names.update(_names_in(plan.event_annotation))
            if plan.reply_model:
                names.update(_names_in(plan.reply_model))
            if plan.batch:
                names.add(plan.batch.record_model)
        return sorted(names - {"Any", "None"})


def _names_in(annotation: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", annotation))


def _handler_stem(operation: Operation) -> str:
    words = function_name(operation.id).split("_")
    if len(words) > 1 and words[0] in _VERBS:
        words = words[1:]
    return "_".join(words)


def _channel_plan(channel: Channel, taken: set[str]) -> ChannelPlan:
    names = tuple(re.findall(r"{([^{}]+)}", channel.address or ""))
    if channel.address is None:
        return ChannelPlan(channel.id, None, None, (), None, None)
    pattern, example, position = "", "", 0
    values = {p.name: p for p in channel.parameters}
    for found in re.finditer(r"{([^{}]+)}", channel.address):
        literal = channel.address[position : found.start()]
        pattern += re.escape(literal) + "([^/]+)"
        parameter = values.get(found.group(1))
        sample = (
            (parameter.examples[0] if parameter and parameter.examples else None)
            or (parameter.default if parameter else None)
            or (parameter.enum[0] if parameter and parameter.enum else None)
            or "example"
        )
        example += literal + sample
        position = found.end()
    pattern = "^" + pattern + re.escape(channel.address[position:]) + "$"
    example += channel.address[position:]
    parameters_class = unique(class_name(f"{channel.id} Parameters"), taken) if names else None
    return ChannelPlan(channel.id, channel.address, pattern, names, parameters_class, example)


def _reply(operation: Operation) -> Message | None:
    if operation.reply is None or not operation.reply.messages:
        return None
    return operation.reply.messages[0]


def build_plan(
    document: Document,
    models: GeneratedModels,
    model_type: ModelType,
    examples: dict[str, list[tuple[str, Any]]],
) -> PackagePlan:
    """Everything the handler package's templates need, from the document and its generated models."""
    from generator.recognize import discriminator_table
    from generator.runtime.recognition import recognize

    problems: list[Problem] = []
    receive = document.receive_operations()
    invocations = {op.id: read_invocation(op, problems) for op in receive}
    plan = PackagePlan(document, is_lambda=any(invocations.values()), problems=problems)
    if not receive:
        problems.append(
            Problem(
                file=str(document.path),
                what="the document has no receive operations: the package has no handlers",
                level=Level.WARNING,
            )
        )
    taken_modules: set[str] = {"__init__"}
    taken_functions: set[str] = set()
    taken_classes: set[str] = set(models.fields) | set(models.message_models.values())
    channels: dict[str, ChannelPlan] = {}
    routed_by: dict[str, Operation] = {}
    for operation in receive:
        channel = channels.get(operation.channel.id)
        if channel is None:
            channel = channels[operation.channel.id] = _channel_plan(operation.channel, taken_classes)
        stem = _handler_stem(operation)
        messages = [(m, _model_of(models, m)) for m in operation.messages]
        invocation = invocations[operation.id]
        handler = HandlerPlan(
            operation=operation,
            module=unique(_not_a_test_module(stem), taken_modules, separator="_"),
            function=unique(f"handle_{stem}", taken_functions, separator="_"),
            messages=messages,
            channel=channel,
            invocation=invocation,
            kind=invocation.kind if invocation else ("plain" if not plan.is_lambda else "asynchronous"),
        )
        problems.extend(_plan_reply(handler, models, examples))
        if handler.kind == "poll-based" and invocation is not None:
            event_model = messages[0][1] if len(messages) == 1 else ""
            handler.batch, found = batch_access(models, model_type, event_model, invocation, operation)
            problems.extend(found)
            if handler.batch is None:
                handler.kind = "batch"
            else:
                handler.record_function = unique(f"{handler.function}_record", taken_functions, separator="_")
        handler.docstring, handler.record_docstring = _docstrings(handler)
        summary = operation.summary or operation.title or ""
        handler.summary = _wrap(
            [f"The handler of `{operation.id}`" + (f": {summary}" if summary else ".")], 110
        )
        plan.handlers.append(handler)
        for message, model in messages:
            # A Lambda router keys routes by message; any other, by channel and message.
            key = message.name if plan.is_lambda else f"{channel.id}\x00{message.name}"
            first = routed_by.setdefault(key, operation)
            if first is not operation:
                problems.append(_second_route(operation, message, first))
                continue
            route = unique(f"_{function_name(message.name)}", taken_functions, separator="_")
            plan.routes.append(RoutePlan(message.name, model, route, handler))
    plan.channels = list(channels.values())
    routed = list({m.name: m for h in plan.handlers for m, _ in h.messages}.values())
    plan.table = discriminator_table(routed)
    plan.examples = {m.name: examples.get(m.name, []) for m in routed}
    probe = {"gen-test": "none of the messages"}
    plan.unknown_event = None if recognize(probe, plan.table) else probe
    return plan


def _second_route(operation: Operation, message: Message, first: Operation) -> Problem:
    return Problem(
        file=str(operation.source.file),
        where=operation.where,
        what=f"{message.name} is also received by {first.id}: "
        f"the router sends it to {first.id}'s handler only",
        level=Level.WARNING,
    )


def _not_a_test_module(stem: str) -> str:
    """A handler module's name that pytest does not collect as tests (`test_*.py`, `*_test.py`): an operation
    `testMessage` gets `handlers/handler_test_message.py`, not a test module importing its models."""
    name = f"handler_{stem}" if stem.startswith("test_") else stem
    return f"{name}_handler" if name.endswith("_test") else name


def _model_of(models: GeneratedModels, message: Message) -> str:
    return models.message_models.get(message.name, "Any")


def _plan_reply(
    handler: HandlerPlan, models: GeneratedModels, examples: dict[str, list[tuple[str, Any]]]
) -> list[Problem]:
    """The reply a handler returns, and what a fresh stub returns: the event, or an example of the reply."""
    reply = _reply(handler.operation)
    if reply is None:
        return []
    if reply.payload is None:  # a reply without a payload: nothing to return (a batch still reports failures)
        handler.reply_model = None if handler.kind in ("poll-based", "batch") else "None"
        return []
    handler.reply_model = _model_of(models, reply)
    # the event is the reply only when every message it can be is that reply (of several, the others are
    # no reply; with none, the event is Any, which mypy --strict will not return as the reply)
    if handler.messages and all(reply is message for message, _ in handler.messages):
        handler.reply_is_event = True
    elif handler.kind not in ("poll-based", "batch"):
        candidates = examples.get(reply.name) or []
        if candidates:
            handler.reply_default = f"parse({python_literal(candidates[0][1])}, {handler.reply_model})"
            handler.reply_alias = not models.is_class(handler.reply_model)
        else:
            what = (
                f"no example of the reply {reply.name}: the stub raises NotImplementedError until filled in"
            )
            return [Problem(file=str(reply.source.file), where=reply.where, what=what, level=Level.WARNING)]
    return []


def _docstrings(handler: HandlerPlan) -> tuple[str, str]:
    """The stub's docstring (and its per-record function's): when it is invoked and what it must return."""
    operation = handler.operation
    names = " or ".join(f"`{m.name}`" for m, _ in handler.messages) or "an event"
    about = [operation.summary or operation.title or ""]
    for message, _ in handler.messages:
        text = message.summary or message.title or ""
        if text and text not in about:
            about.append(text)
    lines = [f"Handle {names} (operation `{operation.id}`)."]
    lines += [text for text in about if text]
    retries = handler.invocation.retries if handler.invocation else 2
    kind = handler.kind
    if kind == "synchronous":
        lines.append(
            "Invoked synchronously: the caller waits for the reply, so keep it fast. "
            + (
                "Return the event, with its response members filled in: that is the reply."
                if handler.reply_is_event
                else f"Return the reply (`{handler.reply_model}`); the router serialises it."
                if handler.reply_model and handler.reply_model != "None"
                else "Return nothing."
            )
        )
        if handler.reply_default:
            lines.append("As generated, it returns the document's example reply.")
        elif handler.reply_is_event:
            lines.append("As generated, it returns the event unchanged.")
    elif kind == "asynchronous":
        times = "once" if retries == 1 else "twice" if retries == 2 else f"{retries} times"
        lines.append(
            f"Invoked asynchronously: Lambda queues the event and, when this function raises, retries it "
            f"{times} ({retries} retries). The handler must therefore be idempotent: handling the same event "
            "again must do no harm. Return nothing (the return value is discarded)."
            if retries
            else "Invoked asynchronously, without retries. Return nothing (the return value is discarded)."
        )
    elif kind in ("poll-based", "batch"):
        lines.append(
            "Invoked with a batch of records polled from a stream or queue. Return the partial batch "
            "response: the ids of the records that failed (`batchItemFailures`); a queue delivers them "
            "again, a stream resumes from the first of them. An empty list means the whole batch "
            "succeeded. Raising fails the whole batch. Lambda reads the response only when the event "
            "source mapping's `FunctionResponseTypes` lists `ReportBatchItemFailures`; otherwise a "
            "batch with failures is not retried record by record."
        )
        if kind == "batch":
            lines.append("As generated, it reports no failures.")
    else:
        lines.append(
            f"Return the reply (`{handler.reply_model}`); the router serialises it."
            if handler.reply_model and handler.reply_model != "None"
            else "Return nothing."
        )
    record = ""
    if handler.batch is not None:
        record = (
            f"Handle one record of a batch. Raise to report it as failed: its id "
            f"(`{handler.batch.item_identifier}`) "
            "goes into `batchItemFailures` and the record is delivered again, so this must be idempotent."
        )
    return _wrap(lines), _wrap([record]) if record else ""


def _wrap(paragraphs: Sequence[str], width: int = 104) -> str:
    """Paragraphs of document prose, made safe for a docstring and filled to the generated code's line length.

    Each paragraph is one line of prose (line breaks in the document become spaces); the result is
    docstring-safe (`names.docstring_text`), so templates insert it as it is.
    """
    safe = (docstring_text(" ".join(p.split())) for p in paragraphs)
    text = "\n\n".join(
        textwrap.fill(p, width=width, break_long_words=False, break_on_hyphens=False) for p in safe if p
    )
    return text + " " if text.endswith('"') else text  # a quote right before the closing `"""` would end it
