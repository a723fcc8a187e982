"""The dataclass codec copied into generated packages: exact JSON round trips, typed parsing, clear errors."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

import pytest

from generator.codegen.runtime.codec_dataclasses import JsonModel, ModelError, dump, extra_members, parse


@dataclass(kw_only=True)
class Bucket(JsonModel):
    name: str
    arn: str | None = None


@dataclass(kw_only=True)
class Record(JsonModel):
    event_source: Literal["aws:s3"] = field(metadata={"json": "eventSource"})
    size: int | None = None
    ratio: float | None = None
    bucket: Bucket
    request_id: str | None = field(metadata={"json": "x-amz-request-id"}, default=None)
    tags: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class Event(JsonModel):
    records: list[Record] = field(metadata={"json": "Records"})


@dataclass(kw_only=True)
class Card(JsonModel):
    kind: Literal["card"]
    last4: str


@dataclass(kw_only=True)
class Invoice(JsonModel):
    kind: Literal["invoice"]
    due_days: int = field(metadata={"json": "dueDays"})


@dataclass(kw_only=True)
class Node(JsonModel):
    value: str
    next: Node | None = None


Payment: TypeAlias = Card | Invoice


def test_round_trip_keeps_names_nulls_absence_extras_and_order() -> None:
    event = {
        "Records": [
            {
                "x-amz-request-id": None,
                "bucket": {"name": "b", "ownerIdentity": {"principalId": "p"}},
                "eventSource": "aws:s3",
                "glacierEventData": {"restore": 1},
                "ratio": 1,
            }
        ],
        "extra": [1, {"a": None}],
    }
    model = Event.from_dict(event)
    record = model.records[0]
    assert (record.event_source, record.request_id, record.size, record.tags) == ("aws:s3", None, None, [])
    assert record.bucket == Bucket(name="b")
    assert extra_members(record) == {"glacierEventData": {"restore": 1}}
    assert model.to_dict() == event
    assert json.dumps(model.to_dict()) == json.dumps(event)  # same members, same order, 1 stays 1


def test_changes_after_parsing_are_written_back() -> None:
    model = Event.from_dict({"Records": [{"eventSource": "aws:s3", "bucket": {"name": "b"}}]})
    record = model.records[0]
    record.size = 5
    record.bucket.arn = None  # absent before, and still the default: stays absent
    assert dump(model) == {"Records": [{"eventSource": "aws:s3", "bucket": {"name": "b"}, "size": 5}]}


def test_models_built_in_code_write_required_fields_and_values_set() -> None:
    record = Record(event_source="aws:s3", bucket=Bucket(name="b"), ratio=0.5)
    assert record.to_dict() == {"eventSource": "aws:s3", "bucket": {"name": "b"}, "ratio": 0.5}


def test_unions_pick_the_branch_that_fits() -> None:
    assert parse({"kind": "invoice", "dueDays": 30}, Payment) == Invoice(kind="invoice", due_days=30)
    assert parse({"kind": "card", "last4": "4242"}, Payment) == Card(kind="card", last4="4242")
    assert dump(parse([{"kind": "card", "last4": "1"}], list[Payment])) == [{"kind": "card", "last4": "1"}]


def test_recursive_models() -> None:
    data = {"value": "a", "next": {"value": "b", "next": None}}
    node = parse(data, Node)
    assert node.next is not None and node.next.value == "b" and node.next.next is None
    assert dump(node) == data


@pytest.mark.parametrize(
    ("data", "pointer", "what"),
    [
        (
            {"Records": [{"eventSource": "aws:s3", "bucket": {"name": 1}}]},
            "/Records/0/bucket/name",
            "expected str",
        ),
        (
            {"Records": [{"eventSource": "aws:sqs", "bucket": {"name": "b"}}]},
            "/Records/0/eventSource",
            "one of",
        ),
        ({"Records": [{"eventSource": "aws:s3"}]}, "/Records/0", "missing required member 'bucket'"),
        ({"Records": {}}, "/Records", "expected array"),
        (
            {"Records": [{"eventSource": "aws:s3", "bucket": {"name": "b"}, "size": True}]},
            "/Records/0/size",
            "int",
        ),
        ([], "/", "expected object"),
    ],
)
def test_data_that_does_not_fit_names_where(data: Any, pointer: str, what: str) -> None:
    with pytest.raises(ModelError) as error:
        parse(data, Event)
    assert error.value.pointer == pointer
    assert what in error.value.what
    assert isinstance(error.value, ValueError)
