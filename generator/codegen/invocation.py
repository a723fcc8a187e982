"""How Lambda invokes a handler (`x-lambda-invocation`, docs/extensions.md), and typed access to its records.

A poll-based trigger names its batch (`records: /Records`) and each record's id (`itemIdentifier:
/messageId`) as JSON pointers into the event; the stub reaches them through the generated models instead, as
`event.records` and `record.message_id` (or `event["Records"]` with TypedDicts), found from the model fields'
JSON names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from generator.codegen.models import GeneratedModels, ModelType
from generator.location import below, unescape_token
from generator.model import Operation
from generator.problems import Level, Problem

KEY = "x-lambda-invocation"
KINDS = ("synchronous", "asynchronous", "poll-based")
DEFAULT_RETRIES = 2
_LIST_OF = re.compile(r"^list\[(\w+)\]$")


@dataclass(frozen=True)
class Invocation:
    kind: str  # one of KINDS
    retries: int = DEFAULT_RETRIES
    records: tuple[str, ...] = ()
    item_identifier: tuple[str, ...] = ()


def _pointer(value: Any) -> tuple[str, ...] | None:
    if not isinstance(value, str) or not value.startswith("/"):
        return None
    return tuple(unescape_token(token) for token in value[1:].split("/"))


def read_invocation(operation: Operation, problems: list[Problem]) -> Invocation | None:
    """The operation's invocation model, or None without the extension; a malformed one is a problem."""
    raw = operation.extensions.get(KEY)
    if raw is None:
        return None
    where = below(operation.where, KEY)

    def bad(what: str) -> None:
        problems.append(Problem(file=str(operation.source.file), where=where, what=what))

    if not isinstance(raw, dict) or raw.get("type") not in KINDS:
        bad(f"'type' must be one of {', '.join(KINDS)}")
        return None
    kind = str(raw["type"])
    retries = raw.get("retries", DEFAULT_RETRIES)
    if not isinstance(retries, int) or isinstance(retries, bool) or retries < 0:
        bad(f"'retries' must be a whole number of retries, not {retries!r}")
        retries = DEFAULT_RETRIES
    if kind != "poll-based":
        return Invocation(kind, retries)
    records, item = _pointer(raw.get("records")), _pointer(raw.get("itemIdentifier"))
    if records is None or item is None:
        bad("a poll-based trigger needs 'records' and 'itemIdentifier', JSON pointers such as /Records")
        return Invocation(kind, retries)
    return Invocation(kind, retries, records, item)


@dataclass(frozen=True)
class BatchAccess:
    """Python expressions for a batch's records and one record's id."""

    records: str  # e.g. `event.records`
    record_model: str  # e.g. `SQSEventRecord`
    item_identifier: str  # e.g. `record.message_id`


def access(
    models: GeneratedModels, model_type: ModelType, variable: str, model: str, tokens: tuple[str, ...]
) -> tuple[str, str] | None:
    """(`variable.a.b`, the annotation of `b`) for a pointer through required fields, else None."""
    expression, current, annotation = variable, model, model
    for token in tokens:
        field = models.field_at(current, token)
        if field is None or not field.required:
            return None
        if model_type is ModelType.TYPEDDICT:
            expression += f"[{token!r}]"
        else:
            expression += f".{field.name}"
        annotation = field.type
        current = field.type
    return expression, annotation


def batch_access(
    models: GeneratedModels,
    model_type: ModelType,
    event_model: str,
    invocation: Invocation,
    operation: Operation,
) -> tuple[BatchAccess | None, list[Problem]]:
    """How the stub reaches the records and their ids, or None (with a warning) when the models do not say."""
    records = access(models, model_type, "event", event_model, invocation.records)
    found = _LIST_OF.match(records[1]) if records else None
    if records is None or found is None:
        where = below(operation.where, KEY, "records")
        what = f"'/{'/'.join(invocation.records)}' is not a required array of objects in {event_model}"
        return None, [_warning(operation, where, what)]
    record_model = found.group(1)
    item = access(models, model_type, "record", record_model, invocation.item_identifier)
    if item is None or item[1] not in ("str", "int"):
        where = below(operation.where, KEY, "itemIdentifier")
        what = f"'/{'/'.join(invocation.item_identifier)}' is not a required string in {record_model}"
        return None, [_warning(operation, where, what)]
    identifier = item[0] if item[1] == "str" else f"str({item[0]})"
    return BatchAccess(records[0], record_model, identifier), []


def _warning(operation: Operation, where: str, what: str) -> Problem:
    return Problem(
        file=str(operation.source.file),
        where=where,
        what=f"{what}: the stub handles the batch as a whole",
        level=Level.WARNING,
    )
