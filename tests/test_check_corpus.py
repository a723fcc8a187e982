"""The recorded corpus (`../shared/events`) against the bundled Lambda document: recognition and verdicts.

Every event labelled `yes` is recognised as its labelled message and passes; `no` events fail; no event of
another source (`_negative/`) is recognised as one of the twelve messages, except those listed in
`NEGATIVE_EXCEPTIONS` with the reason. `unsure` events get the verdict decided in `UNSURE`. The fast
validator (jsonschema-rs) gives the same verdict as the `jsonschema` package on every event and message.
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

import generator
from generator.checker import EventResult
from generator.checker.engine import Checker
from generator.checker.messages import MessageCheck
from generator.checker.sources import Parsed
from generator.recognize import discriminator_table
from generator.resources import bundled_document
from generator.runtime.recognition import recognize

EVENTS = Path(__file__).resolve().parents[2] / "shared" / "events"
MINI = Path(__file__).parent / "fixtures" / "check" / "mini-lambda.yaml"
TWELVE = {
    "S3Event",
    "DynamoDBStreamEvent",
    "KinesisEvent",
    "SQSEvent",
    "SNSEvent",
    "APIGatewayProxyEvent",
    "APIGatewayV2ProxyEvent",
    "EventBridgeEvent",
    "ScheduledEvent",
    "CognitoEvent",
    "CloudWatchAlarmEvent",
    "CloudWatchLogsEvent",
}
_URL = (
    "Lambda function URLs send the HTTP API v2 payload format itself: recognised as such, they fail on the "
)
_URL += "document's rule that a function URL domain is not an API Gateway one (/requestContext/domainName)"
#: `_negative/` events recognised as one of the twelve, and why: file -> (message, reason). Each still fails.
NEGATIVE_EXCEPTIONS: dict[str, tuple[str, str]] = {
    "powertools-lambda-python/_negative/lambdaFunctionUrlEvent.json": ("APIGatewayV2ProxyEvent", _URL),
    "powertools-lambda-python/_negative/lambdaFunctionUrlEventPathTrailingSlash.json": (
        "APIGatewayV2ProxyEvent",
        _URL,
    ),
    "powertools-lambda-python/_negative/lambdaFunctionUrlEventWithHeaders.json": (
        "APIGatewayV2ProxyEvent",
        _URL,
    ),
    "powertools-lambda-python/_negative/lambdaFunctionUrlIAMEvent.json": ("APIGatewayV2ProxyEvent", _URL),
}
#: `unsure` events: file -> (whether the bundled document accepts them as their labelled message, why).
UNSURE: dict[str, tuple[bool, str]] = {
    "powertools-lambda-python/S3Event/s3EventDecodedKey.json": (
        True,
        "the Go-only s3.object.urlDecodedKey is drift: a warning (a failure with --strict)",
    ),
    "powertools-lambda-python/S3Event/s3EventGlacier.json": (
        False,
        "glacierEventData comes with ObjectRestore:Completed events only, not ObjectCreated:Put",
    ),
    "powertools-lambda-python/APIGatewayV2ProxyEvent/apiGatewayProxyV2LambdaAuthorizerEvent.json": (
        False,
        "an authorizer context holds one authorizer (jwt, lambda or iam), not two",
    ),
    "aws-sam-cli/ScheduledEvent/ScheduledEvent.json": (
        False,
        'EventBridge always sends version "0"; SAM omits it',
    ),
    "powertools-lambda-python/CognitoEvent/cognitoCustomEmailSenderEvent.json": (
        False,
        "callerContext carries awsSdkVersion; awsSdk is a fixture artefact",
    ),
    "powertools-lambda-python/CognitoEvent/cognitoCustomMessageEvent.json": (
        False,
        "callerContext carries awsSdkVersion; awsSdk is a fixture artefact",
    ),
    "powertools-lambda-python/CognitoEvent/cognitoCustomSMSSenderEvent.json": (
        False,
        "callerContext carries awsSdkVersion; awsSdk is a fixture artefact",
    ),
    "powertools-lambda-python/CognitoEvent/cognitoPostConfirmationEvent.json": (
        False,
        'user attributes are strings: email_verified is "true", not true',
    ),
    "powertools-lambda-python/CognitoEvent/cognitoPreSignUpEvent.json": (
        True,
        'version is a string; its placeholder value "string" is still one',
    ),
    "powertools-lambda-python/CognitoEvent/cognitoUserMigrationEvent.json": (
        True,
        'version is a string; its placeholder value "string" is still one',
    ),
    "powertools-lambda-python/CloudWatchLogsEvent/cloudWatchLogEventWithPolicyLevel.json": (
        True,
        "CloudWatch Logs sends zlib as well as gzip streams; both are accepted, and policyLevel is declared",
    ),
}


def _index() -> list[dict[str, str]]:
    with (EVENTS / "INDEX.tsv").open(newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.fixture(scope="module")
def corpus() -> list[tuple[dict[str, str], Any]]:
    return [(row, json.loads((EVENTS / row["file"]).read_text())) for row in _index()]


def test_the_bundled_document_over_the_corpus(corpus: list[tuple[dict[str, str], Any]]) -> None:
    document = generator.load(bundled_document())
    assert {m.name for m in document.event_messages()} >= TWELVE
    rows = [row for row, _ in corpus]
    result = generator.check(document, [EVENTS / row["file"] for row in rows])
    by_file: dict[str, list[Any]] = defaultdict(list)  # a file holding an array holds several events
    for checked in result.events:
        by_file[checked.source.split("[", 1)[0]].append(checked)
    assert set(by_file) == {str(EVENTS / row["file"]) for row in rows}
    table: dict[str, Counter[str]] = defaultdict(Counter)
    wrong: list[str] = []
    pairs = [(row, checked) for row in rows for checked in by_file[str(EVENTS / row["file"])]]
    for row, event in pairs:
        label, valid, name = row["message type"], row["valid"], row["file"]
        got = event.message or f"none (closest {event.closest})"
        if label == "NEGATIVE":
            expected_message = NEGATIVE_EXCEPTIONS.get(name, (None, ""))[0]
            table[got if event.message else "(none)"]["negative"] += 1
            if event.message != expected_message:
                wrong.append(f"{name}: a {row['variant']!r} event recognised as {got}")
            if event.valid:
                wrong.append(f"{name}: a {row['variant']!r} event passes as {got}")
            continue
        table[label][f"{valid}"] += 1
        accepted = event.message == label and event.valid
        table[label][f"{valid} passed" if accepted else f"{valid} failed"] += 1
        if valid == "yes" and not accepted:
            wrong.append(f"{name}: labelled {label}, got {got}: {[str(e) for e in event.errors[:3]]}")
        if valid == "no" and event.valid and event.message == label:
            wrong.append(f"{name}: labelled not valid, but it passes as {label}")
        if valid == "unsure" and accepted != UNSURE[name][0]:
            wrong.append(f"{name}: unsure, decided {UNSURE[name]}, got {accepted} ({got})")
    print("\nmessage                  " + "  ".join(f"{k:>11}" for k in _COLUMNS))
    for message in sorted(table):
        print(f"{message:<24} " + "  ".join(f"{table[message][k]:>11}" for k in _COLUMNS))
    assert not wrong, "\n".join(wrong)
    assert set(UNSURE) == {row["file"] for row in rows if row["valid"] == "unsure"}


_COLUMNS = ("yes", "yes passed", "no", "no failed", "unsure", "unsure passed", "negative")


@pytest.mark.parametrize("document_path", [MINI, bundled_document()], ids=["mini", "bundled"])
def test_fast_verdicts_equal_jsonschema_verdicts(
    document_path: Path, corpus: list[tuple[dict[str, str], Any]]
) -> None:
    document = generator.load(document_path)
    compared = 0
    for message in document.messages.values():
        if message.payload is None or not message.payload.is_json_schema:
            continue
        reference = Draft7Validator(message.payload.as_json_schema())
        fast = MessageCheck(message).payload
        assert fast is not None and fast.plain is not None, message.name  # compiled by jsonschema-rs
        for row, event in corpus:
            assert fast.is_valid(event) == reference.is_valid(event), (message.name, row["file"])
            compared += 1
    assert compared >= len(corpus) * 6


def test_recognition_alone_matches_the_labels(corpus: list[tuple[dict[str, str], Any]]) -> None:
    """The table the generated router embeds recognises every `yes` event as its label, first."""
    document = generator.load(bundled_document())
    table = discriminator_table(document.event_messages())
    misses = [
        (row["file"], row["message type"], recognize(event, table))
        for row, event in corpus
        if row["valid"] == "yes" and recognize(event, table)[:1] != [row["message type"]]
    ]
    assert not misses


def _variants(event: Any) -> list[Any]:
    """`event`, and copies the fast path must not wave through: an empty batch, one undeclared field."""
    found = [event]
    if isinstance(event, dict):
        found.append({**event, "surpriseField": 1})
        if isinstance(event.get("Records"), list):
            found.append({**event, "Records": []})
            if event["Records"] and isinstance(event["Records"][0], dict):
                found.append({**event, "Records": [{**event["Records"][0], "surpriseField": 1}]})
    return found


@pytest.mark.parametrize(
    ("document_path", "passing"), [(MINI, 5), (bundled_document(), 50)], ids=["mini", "bundled"]
)
def test_the_fast_path_gives_the_full_check_s_results(
    document_path: Path, passing: int, corpus: list[tuple[dict[str, str], Any]]
) -> None:
    """One Rust call (drift folded into the schema, recognition settled by validity) says what the full
    check says: every event it passes, recognised in full and checked in full, passes as the same message."""
    checker = Checker(generator.load(document_path))
    fast_passes = 0
    for row, recorded in corpus:
        for event in _variants(recorded):
            result = checker.check(row["file"], Parsed(event))
            names = checker.table.recognize(event)
            if not names:  # none, or one it is valid as whose rules read items of its empty arrays
                if result.message is not None:
                    assert result.valid and checker.check_as(result.message, row["file"], event).valid
                continue
            full = checker.check_as(names[0], row["file"], event, also=tuple(names[1:]))
            assert result == full and type(result) is EventResult, row["file"]
            fast_passes += result.valid and not result.warnings
    assert fast_passes >= passing  # the comparison covers events that pass, not only failures
