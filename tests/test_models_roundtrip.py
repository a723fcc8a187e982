"""Acceptance: every valid recorded event round-trips through its message's model to an equal dict.

For the default model type (dataclasses) and for pydantic, on the bundled document; TypedDicts trivially.
The dataclasses keep even the order of members, so the JSON text comes back byte for byte.
"""

from __future__ import annotations

import csv
import json
from typing import Any

import pytest
from test_codegen_support import BUNDLED, EVENTS, import_package, models_package


def _valid_events() -> list[tuple[str, str]]:
    with (EVENTS / "INDEX.tsv").open(encoding="utf-8") as index:
        rows = list(csv.DictReader(index, delimiter="\t"))
    return [(row["file"], row["message type"]) for row in rows if row["valid"] == "yes"]


VALID = _valid_events()


def test_the_corpus_has_valid_events_of_every_message() -> None:
    assert len(VALID) >= 40
    assert {message for _, message in VALID} >= {"S3Event", "SQSEvent", "CognitoEvent", "CloudWatchLogsEvent"}


def _round_trips(model_type: str) -> list[str]:
    package = models_package(BUNDLED, model_type)
    models, codec = import_package(package, "models"), import_package(package, "codec")
    failures = []
    for path, message in VALID:
        event: Any = json.loads((EVENTS / path).read_text(encoding="utf-8"))
        try:
            back = codec.dump(codec.parse(event, getattr(models, message)))
        except Exception as error:
            failures.append(f"{path}: {type(error).__name__}: {error}")
            continue
        if back != event:
            failures.append(f"{path}: came back different")
        elif model_type == "dataclass" and json.dumps(back) != json.dumps(event):
            failures.append(f"{path}: members came back in another order")
    return failures


@pytest.mark.parametrize("model_type", ["dataclass", "pydantic", "typeddict"])
def test_every_valid_event_round_trips(model_type: str) -> None:
    assert _round_trips(model_type) == []


def test_from_dict_and_to_dict_on_the_message_classes() -> None:
    package = models_package(BUNDLED, "dataclass")
    models = import_package(package, "models")
    path = next(p for p, message in VALID if message == "S3Event")
    event = json.loads((EVENTS / path).read_text(encoding="utf-8"))
    s3 = models.S3Event.from_dict(event)
    assert type(s3.records[0]).__name__.startswith("S3")  # a nested model, not a dict
    assert isinstance(s3.records[0].s3.bucket.name, str)
    assert s3.to_dict() == event
