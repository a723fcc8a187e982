"""`gen samples` on Lambda events: every message of the bundled document, and SAM CLI parity.

For the events `sam local generate-event` also renders (its default renderings are in
../shared/events/aws-sam-cli), ours, made with the same parameters, must have the same keys at every
level, and the fields derived from a parameter must follow it. Nothing extra is installed for this.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

import pytest
from jsonschema import Draft7Validator

import generator
from generator.location import pointer_text
from generator.model import Document
from generator.resources import bundled_document
from generator.sampling import invalid_samples, samples

SAM_EVENTS = Path(__file__).resolve().parents[2] / "shared" / "events" / "aws-sam-cli"
STAND_IN = Path(__file__).parent / "fixtures" / "samples" / "lambda-sam.yaml"
DOCUMENTS = {"bundled": bundled_document(), "stand-in": STAND_IN}
PER_MESSAGE = 200
INVALID_PER_MESSAGE = 40


@cache
def document(which: str) -> Document:
    return generator.load(DOCUMENTS[which])


def bundled_messages() -> list[str]:
    return list(document("bundled").messages)


#: SAM event file -> (message, SAM's default parameters, non-default ones to check derivations with)
SAM_CASES: dict[str, tuple[str, dict[str, str], dict[str, str]]] = {
    "S3Event/S3Put.json": (
        "S3Event",
        {"bucket": "example-bucket", "key": "test/key", "region": "us-east-1"},
        {"bucket": "photos", "key": "holiday 2024/me & you.jpg", "region": "eu-west-1"},
    ),
    "S3Event/S3Delete.json": (
        "S3Event",
        {"bucket": "example-bucket", "key": "test/key", "region": "us-east-1"},
        {"bucket": "archive", "key": "old/report (final).pdf", "region": "eu-west-1"},
    ),
    "SQSEvent/Sqs.json": (
        "SQSEvent",
        {"queue-name": "MyQueue", "body": "Hello from SQS!"},
        {"queue-name": "orders-dlq", "body": '{"orderId": 42}'},
    ),
    "SNSEvent/Sns.json": (
        "SNSEvent",
        {"topic": "ExampleTopic", "subject": "example subject", "message": "example message"},
        {"topic": "alerts", "subject": "Disk full", "message": "95% used"},
    ),
    "KinesisEvent/Kinesis.json": (
        "KinesisEvent",
        {"data": "Hello, this is a test 123.", "partition-key": "partitionKey-03"},
        {"data": '{"reading": 21.5}', "partition-key": "sensor-7"},
    ),
    "DynamoDBStreamEvent/DynamoDBUpdate.json": (
        "DynamoDBStreamEvent",
        {"table": "ExampleTableWithStream"},
        {"table": "Orders"},
    ),
    "APIGatewayProxyEvent/AwsProxy.json": (
        "APIGatewayProxyEvent",
        {
            "method": "POST",
            "path": "/path/to/resource",
            "body": '{"test":"body"}',
            "stage": "prod",
            "querystringparameters": "foo=bar",
        },
        {
            "method": "PUT",
            "path": "/orders/42",
            "body": '{"qty": 2}',
            "stage": "staging",
            "querystringparameters": "a=1&a=2&b=x y",
        },
    ),
    "APIGatewayV2ProxyEvent/HttpApi.json": (
        "APIGatewayV2ProxyEvent",
        {
            "method": "POST",
            "path": "/path/to/resource",
            "body": '{"test":"body"}',
            "stage": "$default",
            "querystringparameters": "parameter1=value1&parameter1=value2&parameter2=value",
        },
        {
            "method": "GET",
            "path": "/items",
            "body": "plain",
            "stage": "v1",
            "querystringparameters": "q=1&q=2",
        },
    ),
    "ScheduledEvent/ScheduledEvent.json": (
        "ScheduledEvent",
        {"rule": "ExampleRule"},
        {"rule": "nightly-backup"},
    ),
    "CloudWatchLogsEvent/CloudwatchLogs.json": ("CloudWatchLogsEvent", {}, {}),
}


#: Keys SAM's templates leave out although AWS sends them: ours follow the real deliveries.
SAM_TEMPLATE_OMISSIONS: dict[str, list[str]] = {
    # EventBridge delivers scheduled events with `version: "0"`, like every other event it sends.
    "ScheduledEvent/ScheduledEvent.json": ["/version: only in ours"],
}


def key_structure_differences(ours: Any, sam: Any, at: str = "") -> list[str]:
    """Where the two events differ in keys (recursively, item by item in arrays), not in values."""
    if isinstance(ours, dict) and isinstance(sam, dict):
        problems = [f"{at}/{k}: only in ours" for k in sorted(set(ours) - set(sam))]
        problems += [f"{at}/{k}: only in SAM's" for k in sorted(set(sam) - set(ours))]
        for key in sorted(set(ours) & set(sam)):
            problems += key_structure_differences(ours[key], sam[key], f"{at}/{key}")
        return problems
    if isinstance(ours, list) and isinstance(sam, list):
        if bool(ours) != bool(sam):
            return [f"{at}: one list is empty"]
        problems = []
        for index, (mine, theirs) in enumerate(zip(ours, sam, strict=False)):
            problems += key_structure_differences(mine, theirs, f"{at}/{index}")
        return problems
    if isinstance(ours, dict | list) != isinstance(sam, dict | list):
        return [f"{at}: {type(ours).__name__} in ours, {type(sam).__name__} in SAM's"]
    return []


def closest_example(which: str, message: str, sam: Any) -> str:
    """The example to start from: the one whose keys are closest to SAM's (S3 put vs delete)."""
    examples = document(which).messages[message].examples
    scored = [
        (len(key_structure_differences(e.payload, sam)), n)
        for n, e in enumerate(examples, start=1)
        if e.has_payload
    ]
    best = min(scored)[1]
    return examples[best - 1].name or str(best)


CASES = [(which, sam_file) for which in DOCUMENTS for sam_file in SAM_CASES]


@pytest.mark.parametrize(("which", "sam_file"), CASES, ids=[f"{w}:{f}" for w, f in CASES])
def test_same_keys_as_sam_with_sams_default_parameters(which: str, sam_file: str) -> None:
    message, defaults, _ = SAM_CASES[sam_file]
    sam = json.loads((SAM_EVENTS / sam_file).read_text())
    example = closest_example(which, message, sam)
    [ours] = samples(document(which), message, parameters=defaults or None, example=example)
    # The stand-in document copies SAM's templates key for key; the bundled one follows AWS.
    omitted_by_sam = SAM_TEMPLATE_OMISSIONS.get(sam_file, []) if which == "bundled" else []
    assert key_structure_differences(ours, sam) == omitted_by_sam
    offered = document(which).messages[message].extensions.get("x-sample-parameters", {})
    assert set(defaults) <= set(offered), "SAM's parameters are named options with the same names"


@pytest.mark.parametrize(("which", "sam_file"), CASES, ids=[f"{w}:{f}" for w, f in CASES])
def test_derived_fields_follow_the_parameters(which: str, sam_file: str) -> None:
    message, _, given = SAM_CASES[sam_file]
    sam = json.loads((SAM_EVENTS / sam_file).read_text())
    [event] = samples(
        document(which), message, parameters=given or None, example=closest_example(which, message, sam)
    )
    check_derived(message, given, event)
    # Synthesized events get the parameters too, and stay valid.
    payload = document(which).messages[message].payload
    assert payload is not None
    more = samples(document(which), message, count=3, seed=2, parameters=given or None, examples=False)
    assert len(more) == 3 and all(Draft7Validator(payload.as_json_schema()).is_valid(e) for e in more)
    if given:
        for synthesized in more:
            check_derived(message, given, synthesized)


def check_derived(message: str, given: dict[str, str], event: dict[str, Any]) -> None:
    def b64(text: str) -> str:
        return base64.b64encode(text.encode()).decode()

    if message == "S3Event":
        record = event["Records"][0]
        assert record["s3"]["bucket"]["name"] == given["bucket"]
        assert record["s3"]["bucket"]["arn"] == f"arn:aws:s3:::{given['bucket']}"
        assert record["s3"]["object"]["key"] == quote_plus(given["key"], safe="/")
        assert record["awsRegion"] == given["region"]
    elif message == "SQSEvent":
        record = event["Records"][0]
        assert record["body"] == given["body"]
        assert record["md5OfBody"] == hashlib.md5(given["body"].encode()).hexdigest()
        assert record["eventSourceARN"].startswith("arn:aws:sqs:")
        assert record["eventSourceARN"].endswith(f":{given['queue-name']}")
    elif message == "SNSEvent":
        sns = event["Records"][0]["Sns"]
        assert sns["TopicArn"].startswith("arn:aws:sns:") and sns["TopicArn"].endswith(f":{given['topic']}")
        assert (sns["Subject"], sns["Message"]) == (given["subject"], given["message"])
    elif message == "KinesisEvent":
        kinesis = event["Records"][0]["kinesis"]
        assert kinesis["data"] == b64(given["data"])
        assert kinesis["partitionKey"] == given["partition-key"]
    elif message == "DynamoDBStreamEvent":
        assert event["Records"]
        assert all(f":table/{given['table']}/stream/" in r["eventSourceARN"] for r in event["Records"])
    elif message == "APIGatewayProxyEvent":
        assert event["httpMethod"] == event["requestContext"]["httpMethod"] == given["method"]
        assert event["path"] == given["path"]
        assert event["requestContext"]["stage"] == given["stage"]
        assert event["body"] == (b64(given["body"]) if event["isBase64Encoded"] else given["body"])
        assert event["queryStringParameters"] == {"a": "2", "b": "x y"}
        assert event["multiValueQueryStringParameters"] == {"a": ["1", "2"], "b": ["x y"]}
    elif message == "APIGatewayV2ProxyEvent":
        assert event["requestContext"]["http"]["method"] == given["method"]
        assert event["rawPath"] == event["requestContext"]["http"]["path"] == given["path"]
        assert event["requestContext"]["stage"] == given["stage"]
        assert event["body"] == (b64(given["body"]) if event["isBase64Encoded"] else given["body"])
        assert event["rawQueryString"] == given["querystringparameters"]
        assert event["queryStringParameters"] == {"q": "1,2"}
    elif message == "ScheduledEvent":
        assert event["resources"][0].endswith(f":rule/{given['rule']}")


@pytest.mark.parametrize(
    "message", bundled_messages() if bundled_document().exists() else ["<bundled document missing>"]
)
def test_bundled_messages_examples_synthesized_and_near_misses(message: str) -> None:
    doc = document("bundled")
    payload = doc.messages[message].payload
    assert payload is not None and payload.is_json_schema
    check = Draft7Validator(payload.as_json_schema())
    events = samples(doc, message, count=PER_MESSAGE, seed=1)
    assert len(events) >= PER_MESSAGE
    for event in events:
        assert not list(check.iter_errors(event))
    for sample in invalid_samples(doc, message, count=INVALID_PER_MESSAGE, seed=1):
        errors = list(check.iter_errors(sample.event))
        assert [(e.validator, pointer_text(tuple(e.absolute_path))) for e in errors] == [
            (sample.broken.keyword, sample.broken.pointer)
        ]


def test_sam_events_are_where_ci_has_them() -> None:
    assert set(SAM_CASES) <= {f"{p.parent.name}/{p.name}" for p in SAM_EVENTS.glob("*/*.json")}


#: Per message: where its records keep ids (unique in every batch and run), and where they share values.
BATCH_IDS = {
    "SQSEvent": ("messageId", "awsRegion"),
    "KinesisEvent": ("eventID", "eventSourceARN"),
    "DynamoDBStreamEvent": ("eventID", "eventSource"),
}


def test_one_example_record_holds_ids_where_members_are_named_like_ids() -> None:
    """With one record in the examples nothing repeats or not: a member named like an id whose value reads
    like one is taken for an identifier; values named otherwise, or not reading like ids, are not."""
    from generator.sampling.identifiers import batch_identifiers

    record = {
        "messageId": "059f36b4-87a3-44ab-83d2-661975830a7d",
        "eventID": "c4ca4238a0b923820dcc509a6f75849b",
        "SequenceNumber": "18849496460467696128",
        "record_id": "000000012345",
        "requestUuid": "7d1b6c0e-93a2-4c4e-9d1f-2f8a6b1e4c55",
        "orderId": "order-7",  # named like one, does not read like one
        "receiptHandle": "0123456789abcdef0123456789abcdef",  # reads like one, named otherwise
        "awsRegion": "us-east-2",
    }
    found = {place[-1] for place in batch_identifiers([{"Records": [record]}])}
    assert found == {"messageId", "eventID", "SequenceNumber", "record_id", "requestUuid"}
    assert batch_identifiers([record]) == {}  # not inside an array's items: no batch to repeat in


def test_batches_from_a_one_record_example_never_repeat_its_id(tmp_path: Path) -> None:
    """A user's queue message whose example holds one record: synthesized batches give each record its
    own `messageId` (named and shaped like an id), and repeat the region, as real batches do."""
    spec = tmp_path / "orders.yaml"
    spec.write_text(
        """asyncapi: 3.0.0
info: {title: Orders, version: 1.0.0}
channels:
  orders:
    address: orders
    messages:
      OrderBatch:
        payload:
          type: object
          required: [Records]
          properties:
            Records:
              type: array
              minItems: 1
              maxItems: 5
              items:
                type: object
                required: [messageId, awsRegion]
                properties:
                  messageId: {type: string}
                  awsRegion: {type: string}
        examples:
          - payload:
              Records:
                - {messageId: 059f36b4-87a3-44ab-83d2-661975830a7d, awsRegion: us-east-2}
"""
    )
    events = samples(generator.load(spec), "OrderBatch", count=30, seed=5)
    records = [record for event in events for record in event["Records"]]
    assert len(records) > 40
    ids = [record["messageId"] for record in records]
    assert len(set(ids)) == len(ids)
    assert len({record["awsRegion"] for record in records}) < len(records)


@pytest.mark.parametrize("message", sorted(BATCH_IDS))
def test_synthesized_batches_never_repeat_a_record_id(message: str) -> None:
    """A partial batch response names failed records by their id: two records with one id in a batch
    make a handler test meaningless. Ids are unique over a whole run, examples included; what records
    share (the region, the source) still repeats as it does in real batches."""
    from generator.sampling.identifiers import batch_identifiers

    doc = document("bundled")
    unique, shared = BATCH_IDS[message]
    examples = [e.payload for e in doc.messages[message].examples if e.has_payload]
    assert ("Records", "*", unique) in batch_identifiers(examples)
    assert ("Records", "*", shared) not in batch_identifiers(examples)
    events = samples(doc, message, count=40, seed=3)
    ids = [record[unique] for event in events for record in event["Records"] if unique in record]
    assert len(ids) > 40 and len(set(ids)) == len(ids)
    values = [record[shared] for event in events[len(examples) :] for record in event["Records"]]
    assert len(set(values)) < len(values)
