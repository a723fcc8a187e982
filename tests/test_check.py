"""`generator.check`: recognition, every violation with its place, inner payloads, drift, examples, jobs."""

from __future__ import annotations

import base64
import gzip
import json
import os
from pathlib import Path
from typing import Any, cast

import orjson
import pytest
from documents import FAN_OUT, fan_out_event, messages_document, one_message_document

import generator
from generator.checker import CheckResult, EventResult, Summary, iter_check
from generator.problems import GenError
from generator.resources import bundled_document
from generator.runtime.recognition import closest_entry, in_common

FIXTURES = Path(__file__).parent / "fixtures" / "check"
MINI = FIXTURES / "mini-lambda.yaml"
POSITIVE = FIXTURES / "events" / "positive"
NEGATIVE = FIXTURES / "events" / "negative"

# negative file -> (message it is checked as, or None), and the (pointer, keyword) of its first error
NEGATIVE_REASONS: dict[str, tuple[str | None, str, str]] = {
    "s3-size-string.json": ("S3Event", "/Records/0/s3/object/size", "type"),
    "s3-missing-key.json": ("S3Event", "/Records/0/s3/object/key", "required"),
    "sqs-body-not-json.json": ("SQSEvent", "/Records/0/body", "contentMediaType"),
    "sqs-body-wrong.json": ("SQSEvent", "/Records/0/body#/amount", "required"),
    "logs-bad-base64.json": ("CloudWatchLogsEvent", "/awslogs/data", "contentEncoding"),
    "logs-not-gzip.json": ("CloudWatchLogsEvent", "/awslogs/data", "x-contentCompression"),
    "logs-inner-invalid.json": ("CloudWatchLogsEvent", "/awslogs/data#/logEvents/0/timestamp", "type"),
    "sqs-from-elsewhere.json": (None, "/Records/0/eventSource", "recognition"),
    "truncated.json": (None, "", "unreadable"),
    "not-an-object.json": (None, "", "type"),
    "invalid-utf8.json": (None, "", "unreadable"),
    "empty.json": (None, "", "unreadable"),
}


def _one(result: CheckResult) -> EventResult:
    assert len(result.events) == 1, result.report()
    return result.events[0]


@pytest.mark.parametrize("path", sorted(POSITIVE.iterdir()), ids=lambda p: p.name)
def test_positive_events_pass(path: Path) -> None:
    result = generator.check(MINI, [path])
    assert result.ok, result.report()
    assert all(event.message for event in result.events)


def test_one_path_or_one_event_alone_is_one_input() -> None:
    # not a sequence of characters (a folder '/' and its whole file system) or of a dict's keys
    path = POSITIVE / "s3-put.json"
    assert [e.source for e in generator.check(MINI, str(path)).events] == [str(path)]
    assert [e.source for e in generator.check(MINI, path).events] == [str(path)]
    event = json.loads(path.read_text())
    alone = generator.check(MINI, event)
    assert alone.ok and [(e.source, e.message) for e in alone.events] == [("<events>[0]", "S3Event")]


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_iterator_of_events_is_checked_as_it_comes(jobs: int) -> None:
    """A generator (a queue's consumer) is never listed whole: results come while it is still producing,
    and one that never ends can be checked as far as the caller wants."""
    event = json.loads((POSITIVE / "s3-put.json").read_text())
    produced = 0

    def endless() -> Any:
        nonlocal produced
        while True:
            produced += 1
            yield event

    requested: list[int] = []

    def paths() -> Any:  # files as they appear (a folder being watched)
        for index in range(3):
            requested.append(index)
            yield POSITIVE / "s3-put.json"

    from_paths = iter_check(MINI, paths(), jobs=jobs)
    assert next(from_paths).message == "S3Event"
    if jobs == 1:
        assert requested == [0]
    results = iter_check(MINI, endless(), jobs=jobs)
    first = [next(results) for _ in range(3)]
    assert [(r.source, r.message) for r in first] == [(f"<events>[{i}]", "S3Event") for i in range(3)]
    assert produced < 10_000  # read ahead by a chunk at most, for the worker processes
    results.close()


@pytest.mark.parametrize("name", sorted(NEGATIVE_REASONS))
def test_negative_events_fail_with_their_reason(name: str) -> None:
    message, pointer, keyword = NEGATIVE_REASONS[name]
    event = _one(generator.check(MINI, [NEGATIVE / name]))
    assert not event.valid
    assert event.message == message
    assert (event.errors[0].pointer, event.errors[0].keyword) == (pointer, keyword), event.errors


def test_every_negative_file_has_a_reason() -> None:
    assert {p.name for p in NEGATIVE.iterdir()} == {*NEGATIVE_REASONS, "corrupt.jsonl.gz"}


def test_violation_is_a_plain_sentence_with_its_schema_location() -> None:
    event = _one(generator.check(MINI, [NEGATIVE / "s3-size-string.json"]))
    (error,) = event.errors
    assert error.message == 'expected integer, got string "12"'
    assert error.schema == "components.schemas.S3Record.properties.s3.properties.object.properties.size.type"


def test_the_nearest_alternative_is_the_one_whose_constants_the_event_holds(tmp_path: Path) -> None:
    """An `update` event with a wrong timestamp is nearest the `update` alternative, not the `heartbeat` one
    it fails only by its type (fewer errors); as in the AsyncAPI specification's websocket-gemini example."""
    spec = tmp_path / "market.yaml"
    spec.write_text(
        "asyncapi: 3.0.0\ninfo: {title: Market, version: '1'}\nchannels:\n  market:\n    address: market\n"
        "    messages:\n      Market:\n        payload:\n          oneOf:\n"
        "            - {required: [type], properties: {type: {const: heartbeat}}}\n"
        "            - required: [type]\n"
        "              properties:\n"
        "                {type: {const: update}, timestamp: {type: string}, price: {type: number}}\n"
    )
    event = {"type": "update", "timestamp": 1619769673, "price": "54350.40"}
    (error,) = _one(generator.check(spec, [event], message="Market")).errors
    assert (error.pointer, error.keyword) == ("", "oneOf")
    assert error.message == (
        "matches none of the 2 alternatives; nearest: /timestamp: expected string, got integer 1619769673"
        " (and 1 more)"
    )


def test_a_null_where_another_type_is_expected_is_named_once() -> None:
    event = {
        "Records": [
            {
                "eventSource": "aws:s3",
                "eventName": None,
                "s3": {"bucket": {"name": "b"}, "object": {"key": "k"}},
            }
        ]
    }
    errors = [(e.pointer, e.message) for e in _one(generator.check(MINI, [event])).errors]
    assert errors == [("/Records/0/eventName", "expected string, got null")]


def test_every_violation_is_reported_not_only_the_first() -> None:
    event = {
        "Records": [
            {
                "eventSource": "aws:s3",
                "eventName": 7,
                "s3": {"bucket": {}, "object": {"key": 1, "size": "big", "eTag": None}},
            }
        ]
    }
    found = {(e.pointer, e.keyword) for e in _one(generator.check(MINI, [event])).errors}
    assert found == {
        ("/Records/0/eventName", "type"),
        ("/Records/0/s3/bucket/name", "required"),
        ("/Records/0/s3/object/key", "type"),
        ("/Records/0/s3/object/size", "type"),
        ("/Records/0/s3/object/eTag", "type"),
    }


def test_the_most_specific_message_wins_and_the_others_are_listed() -> None:
    event = _one(generator.check(MINI, [POSITIVE / "scheduled.json"]))
    assert (event.message, event.also) == ("ScheduledEvent", ("EventBridgeEvent",))


def test_an_event_valid_only_as_a_less_specific_message_passes_as_that_one(tmp_path: Path) -> None:
    """No constant or required member tells glee's flight-board messages apart: an event `updateFlight`
    refuses (it forbids `airportCode`) is a valid `getFlights`, and a line of it on the fast path too."""
    spec = tmp_path / "board.yaml"
    spec.write_text(
        "asyncapi: 2.4.0\ninfo: {title: Flight Board, version: '1'}\nchannels:\n  /:\n    publish:\n"
        "      message: {oneOf: [{$ref: '#/components/messages/updateFlight'},"
        " {$ref: '#/components/messages/getFlights'}]}\n"
        "components:\n  messages:\n"
        "    updateFlight: {payload: {type: object, additionalProperties: false,"
        " properties: {name: {type: string}, updatedFlight: {type: object}}}}\n"
        "    getFlights: {payload: {type: object, additionalProperties: false,"
        " properties: {name: {type: string}, airportCode: {type: string, maxLength: 3}}}}\n"
    )
    events = tmp_path / "events.jsonl"
    lines = [{"name": "x", "updatedFlight": {}}, {"name": "x", "airportCode": "BCN"}] * 2
    events.write_text(
        "".join(json.dumps(line) + "\n" for line in [*lines, {"name": "x", "airportCode": "LONG"}])
    )
    result = generator.check(spec, [events])
    assert [(e.message, e.valid, e.also) for e in result.events] == [
        ("updateFlight", True, ("getFlights",)),
        ("getFlights", True, ()),
        ("updateFlight", True, ("getFlights",)),
        ("getFlights", True, ()),
        # valid as neither: said against the most specific
        ("updateFlight", False, ("getFlights",)),
    ]


def test_unrecognised_event_names_the_closest_message_and_why() -> None:
    event = _one(generator.check(MINI, [NEGATIVE / "sqs-from-elsewhere.json"]))
    assert event.message is None
    assert event.closest == "SQSEvent"
    assert [(e.pointer, e.message) for e in event.errors] == [
        ("/Records/0/eventSource", 'is "aws:mq", expected "aws:sqs"')
    ]


NOTHING = (
    "has nothing in common with the messages it is checked against: "
    "none of the members their recognition rules test"
)


def test_a_record_not_in_its_array_is_told_so_as_the_message_it_means_to_be() -> None:
    """Rules read a record's members at /Records/0: a record given as /Records itself, or a null item,
    fails them all there, and is told so once (not as every member below missing, of whichever batch has
    the most rules); a record whose constants are SQS's is an SQS event with /Records of the wrong type."""
    record = json.loads((POSITIVE / "sqs-orders.jsonl").read_text().splitlines()[0])["Records"][0]
    result = generator.check(bundled_document(), [{"Records": record}, {"Records": [None]}])
    unwrapped, null = result.events
    assert unwrapped.closest == "SQSEvent"
    assert [(e.pointer, e.keyword) for e in unwrapped.errors] == [("/Records", "type")]
    assert unwrapped.errors[0].message.startswith("expected array, got object")
    assert [(e.pointer, e.message) for e in null.errors] == [("/Records/0", "is null, expected object")]


def test_an_event_with_nothing_in_common_with_any_message_is_said_so_in_one_violation() -> None:
    """Not one recognition rule of any message holds (a config file among recorded events, an event of a
    trigger the document does not cover): no message is named closest, which would only be the first in
    rank, and its every rule is not listed; an event sharing one member still gets its closest message."""
    stranger = {"currentIntent": {"name": "BookHotel"}, "bot": {"name": "BookTrip"}}
    result = generator.check(bundled_document(), [stranger, {"Records": [{"x": 1}]}, {}])
    alone, shared, empty = result.events
    for event in (alone, empty):
        assert (event.message, event.closest, event.valid) == (None, None, False)
        assert [(e.pointer, e.keyword, e.message) for e in event.errors] == [("", "recognition", NOTHING)]
    assert shared.closest is not None and len(shared.errors) > 1
    assert result.summary.unrecognized == 3
    text = result.report("text").splitlines()
    assert text[0] == f"<events>[0]: error: no message matches: {NOTHING} [recognition]"
    # decided over every message's rules, not only the nearest's
    from generator.checker.engine import Checker

    checker = Checker(generator.load(bundled_document()))
    assert closest_entry(stranger, checker.evidence()) is not None
    evidence = checker.evidence()
    assert not in_common(stranger, evidence)
    assert in_common({"detail-type": 1}, evidence) and in_common({"Records": []}, evidence)


_AVRO_AND_JSON = """\
asyncapi: 3.0.0
info: {title: Mixed, version: '1'}
channels:
  users:
    address: users
    messages:
      UserAvro:
        payload:
          schemaFormat: application/vnd.apache.avro;version=1.9.0
          schema: {type: record, name: User, fields: [{name: name, type: string}]}
        examples: [{payload: {name: ada}}]
      UserJson:
        payload: {type: object, required: [userId], properties: {userId: {type: string}}}
"""


def test_a_payload_gen_check_cannot_read_is_never_a_silent_pass(tmp_path: Path) -> None:
    """An Avro payload has no recognition rules: as a candidate it matched every event no other message
    matched, and passed it unchecked. It is left out of recognition, and says so; pinned, its events pass
    with a warning that they were not checked (a failure with `strict`)."""
    spec = tmp_path / "mixed.yaml"
    spec.write_text(_AVRO_AND_JSON)
    stranger, json_user = {"zzz": 1}, {"userId": 7}
    result = generator.check(spec, [stranger, json_user])
    unknown, wrong = result.events
    assert (unknown.message, unknown.valid) == (None, False)
    assert [e.message for e in unknown.errors] == [
        f"{NOTHING}; UserAvro: left out of recognition, as gen check cannot read its payload's schemaFormat"
        " (--message NAME passes an event as one, unchecked)"
    ]
    assert (wrong.message, wrong.valid, wrong.errors[0].pointer) == ("UserJson", False, "/userId")

    unchecked = (
        "not checked: UserAvro's payload is in schemaFormat 'application/vnd.apache.avro;version=1.9.0', "
        "which gen check cannot read"
    )
    pinned = _one(generator.check(spec, [stranger], message="UserAvro"))
    assert (pinned.message, pinned.valid, pinned.errors) == ("UserAvro", True, ())
    assert [(w.keyword, w.message, w.schema) for w in pinned.warnings] == [
        ("schemaFormat", unchecked, "channels.users.messages.UserAvro.payload")
    ]
    strict = _one(generator.check(spec, [stranger], message="UserAvro", strict=True))
    assert not strict.valid and [e.message for e in strict.errors] == [unchecked]
    (example,) = generator.check(spec, examples=True).events
    assert (example.message, example.valid, [w.message for w in example.warnings]) == (
        "UserAvro",
        True,
        [unchecked],
    )


def test_message_pins_the_check_and_skips_recognition() -> None:
    event = _one(generator.check(MINI, [NEGATIVE / "sqs-from-elsewhere.json"], message="SQSEvent"))
    assert event.message == "SQSEvent"
    assert (event.errors[0].pointer, event.errors[0].keyword) == ("/Records/0/eventSource", "enum")


def test_channel_narrows_recognition_to_its_messages() -> None:
    scheduled = json.loads((POSITIVE / "scheduled.json").read_text())
    assert _one(generator.check(MINI, [scheduled], channel="eventbridge")).message == "ScheduledEvent"
    s3 = _one(generator.check(MINI, [POSITIVE / "s3-put.json"], channel="eventbridge"))
    assert (s3.message, s3.closest) == (None, None)  # nothing in common with that channel's messages
    assert s3.errors[0].message == NOTHING


@pytest.mark.parametrize(
    ("options", "what"),
    [
        ({"message": "Nope"}, "no message named 'Nope'"),
        ({"channel": "nowhere"}, "no channel with address or id 'nowhere'"),
        ({"channel": "s3", "message": "SQSEvent"}, "message 'SQSEvent' is not one of channel 's3'"),
    ],
)
def test_unknown_names_are_errors(options: dict[str, Any], what: str) -> None:
    with pytest.raises(GenError) as error:
        generator.check(MINI, [], **options)
    assert what in str(error.value)
    assert error.value.exit_code == 2


def test_decoding_can_be_turned_off() -> None:
    assert not generator.check(MINI, [NEGATIVE / "logs-bad-base64.json"]).ok
    assert generator.check(MINI, [NEGATIVE / "logs-bad-base64.json"], decode=False).ok


def test_kinesis_data_that_is_not_base64_is_a_violation() -> None:
    event = {"Records": [{"eventSource": "aws:kinesis", "kinesis": {"partitionKey": "p", "data": "%%%"}}]}
    (error,) = _one(generator.check(MINI, [event])).errors
    assert (error.pointer, error.keyword) == ("/Records/0/kinesis/data", "contentEncoding")
    assert "not valid base64" in error.message
    assert error.schema.endswith("properties.data.contentEncoding")


def test_the_payload_schema_refused_by_the_one_call_check_is_not_asked_again() -> None:
    """With inner payloads, the one-call check (`conforms`) refuses an event for its payload or for an
    inner payload; only in the first case is the payload's answer known. Then the full check does not ask
    it again (an invalid event's second Rust call), and asks it in the second case."""
    from generator.checker.messages import MessageCheck

    check = MessageCheck(generator.load(MINI).messages["KinesisEvent"])
    assert check.payload is not None and check.payload.combined is not None and check.contents
    combined, asked = check.payload.combined, []

    class Counting:
        def is_valid(self, value: Any) -> bool:
            asked.append(value)
            return bool(combined.is_valid(value))

    check.payload.combined = Counting()
    record = {"eventSource": "aws:kinesis", "kinesis": {"partitionKey": "p", "data": "aGk="}}
    wrong_payload = {"Records": [{**record, "eventSource": 7}]}
    wrong_inner = {"Records": [{**record, "kinesis": {"partitionKey": "p", "data": "%%%"}}]}
    for event, asked_again in ((wrong_payload, 0), (wrong_inner, 1)):
        asked.clear()
        assert not check.conforms(event)
        errors = check.check(event, refused=True).errors
        assert len(asked) == asked_again, event
        assert errors and errors == check.check(event).errors  # the same answer as asking afresh


def test_an_invalid_event_is_walked_for_undeclared_fields_only_when_it_has_some(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The walk naming undeclared fields is the dearest part of an invalid event's check. The shape alone,
    as a schema, tells first whether there is any: an invalid event with none is not walked; one with some
    still gets each as a warning."""
    from generator.checker import messages

    walks: list[Any] = []
    walk = messages.undeclared
    monkeypatch.setattr(messages, "undeclared", lambda *a, **k: walks.append(a[0]) or walk(*a, **k))
    s3 = json.loads((POSITIVE / "s3-put.json").read_text())
    s3["Records"][0]["s3"]["object"]["size"] = "12"
    drifted = json.loads(json.dumps(s3))
    drifted["Records"][0]["s3"]["object"]["storageClass"] = "STANDARD"
    check = messages.MessageCheck(generator.load(MINI).messages["S3Event"])
    assert check.payload is not None and check.payload.declared is not None
    plain = check.check(s3)
    assert [e.keyword for e in plain.errors] == ["type"] and not plain.drift and walks == []
    found = check.check(drifted)
    assert [e.keyword for e in found.errors] == ["type"] and walks == [drifted]
    assert [w.pointer for w in found.drift] == ["/Records/0/s3/object/storageClass"]


def test_a_decompression_bomb_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.checker import content

    monkeypatch.setattr(content, "MAX_DECODED_BYTES", 1000)
    big = base64.b64encode(gzip.compress(b" " * 100_000)).decode()
    (error,) = _one(generator.check(MINI, [{"awslogs": {"data": big}}])).errors
    assert error.keyword == "x-contentCompression"
    assert "more than 1000 bytes" in error.message


def test_small_payloads_inflate_in_one_call_as_a_stream_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """A payload too small to inflate past the limit is inflated in one call (`zlib.decompress`), others as a
    stream held to the limit: both give the same bytes, or fail with the same words, whatever the data."""
    import zlib

    from generator.checker import content

    bound = content._MOST_DEFLATE_EXPANDS  # the bound the one call relies on, checked at the end
    text = json.dumps({"logEvents": [{"id": str(i), "message": "x" * i} for i in range(40)]}).encode()
    raw = zlib.compressobj(wbits=-15)
    deflated = raw.compress(text) + raw.flush()
    payloads = {
        "gzip": gzip.compress(text),
        "zlib": zlib.compress(text),
        "gzip, then more": gzip.compress(text) + b"more",
        "two gzip members": gzip.compress(text) + gzip.compress(text),
        "truncated gzip": gzip.compress(text)[:-9],
        "truncated zlib": zlib.compress(text)[:40],
        "not compressed": text,
        "empty": b"",
        "deflate": deflated,
        "truncated deflate": deflated[:30],
    }
    outcomes = []
    for method in ("gzip", "zlib", "deflate"):
        for name, data in payloads.items():
            found = []
            for one_call in (True, False):
                monkeypatch.setattr(content, "_MOST_DEFLATE_EXPANDS", 1 if one_call else 10**12)
                try:
                    found.append(content._inflater(method)(data))
                except ValueError as error:
                    found.append(str(error))
            assert found[0] == found[1], (method, name)
            outcomes.append(type(found[0]))
    assert bytes in outcomes and str in outcomes
    # deflate's best case stays within the bound (and not far within it)
    zeros = zlib.compress(bytes(4_000_000), 9)
    assert len(zeros) * bound >= 4_000_000 > len(zeros) * 1000


def _drifting() -> dict[str, Any]:
    event = json.loads((POSITIVE / "s3-put.json").read_text())
    event["Records"][0]["awsRegion"] = "eu-west-1"
    event["Records"][0]["s3"]["object"]["versionId"] = "v1"
    return event


def test_undeclared_fields_are_warnings_counted_per_message() -> None:
    result = generator.check(MINI, [_drifting(), _drifting(), POSITIVE / "s3-put.json"])
    assert result.ok
    first = result.events[0]
    assert [(w.pointer, w.keyword, w.schema) for w in first.warnings] == [  # in the event's order
        (
            "/Records/0/s3/object/versionId",
            "undeclared",
            "components.schemas.S3Record.properties.s3.properties.object",
        ),
        ("/Records/0/awsRegion", "undeclared", "components.schemas.S3Record"),
    ]
    counts = result.summary.messages["S3Event"]
    assert (counts.seen, counts.passed, counts.failed) == (3, 3, 0)
    assert dict(counts.undeclared) == {"/Records/*/awsRegion": 2, "/Records/*/s3/object/versionId": 2}
    assert [w.pointer for w in result.events[1].warnings] == [w.pointer for w in first.warnings]


def test_a_field_undeclared_in_every_record_of_a_batch_counts_once_for_the_event() -> None:
    # the summary says in how many events a field was seen: a batch of three records that all carry a new
    # field is one event carrying it (a warning for each record, though)
    event = _drifting()
    event["Records"] *= 3
    result = generator.check(MINI, [event, _drifting()])
    assert len(result.events[0].warnings) == 6
    counts = result.summary.messages["S3Event"]
    assert dict(counts.undeclared) == {"/Records/*/awsRegion": 2, "/Records/*/s3/object/versionId": 2}


def test_strict_makes_undeclared_fields_failures() -> None:
    event = _one(generator.check(MINI, [_drifting()], strict=True))
    assert not event.valid
    assert [e.keyword for e in event.errors] == ["undeclared", "undeclared"]


def test_drift_inside_a_decoded_payload_and_in_maps() -> None:
    logs = {
        "messageType": "DATA_MESSAGE",
        "owner": "1",
        "logGroup": "g",
        "logStream": "s",
        "policyLevel": "ACCOUNT_LEVEL_POLICY",
        "logEvents": [],
    }
    data = base64.b64encode(gzip.compress(json.dumps(logs).encode())).decode()
    event = _one(generator.check(MINI, [{"awslogs": {"data": data}}]))
    assert event.valid
    assert [w.pointer for w in event.warnings] == ["/awslogs/data#/policyLevel"]
    assert event.undeclared == ("/awslogs/data#/policyLevel",)
    sqs = json.loads((POSITIVE / "sqs-orders.jsonl").read_text().splitlines()[0])
    sqs["Records"][0]["messageAttributes"] = {"a": {"dataType": "String", "stringValue": "x", "extra": 1}}
    assert _one(generator.check(MINI, [sqs])).undeclared == ("/Records/*/messageAttributes/*/extra",)


def _gzipped(document: Any) -> str:
    return base64.b64encode(gzip.compress(json.dumps(document).encode())).decode()


def test_a_payload_inside_a_decoded_payload_is_decoded_and_checked(tmp_path: Path) -> None:
    """SNS -> SQS fan-out: the SNS `Message` inside the SQS `body` declares its own content, and so does a
    member of the document it holds. Each is decoded and checked as the first level is, its pointers and
    undeclared fields continuing after one more `#`; one that does not decode is a violation at its
    pointer. Read typed from JSON Lines, the events get the same results."""
    events = [
        fan_out_event({"n": 1, "blob": _gzipped({"z": "a"})}),
        fan_out_event({"n": "1"}),
        fan_out_event("not json"),
        fan_out_event({"n": 1, "blob": "%%"}),
        fan_out_event({"n": 1, "blob": _gzipped({"z": 1})}),
        fan_out_event({"n": 1, "extra": True}),
        fan_out_event({"n": 1}, kind="X"),
    ]
    results = generator.check(FAN_OUT, events).events
    assert [([(e.pointer, e.keyword) for e in r.errors], r.undeclared) for r in results] == [
        ([], ()),
        ([("/Records/0/body#/Message#/n", "type")], ()),
        ([("/Records/0/body#/Message", "contentMediaType")], ()),
        ([("/Records/0/body#/Message#/blob", "contentEncoding")], ()),
        ([("/Records/0/body#/Message#/blob#/z", "type")], ()),
        ([], ("/Records/*/body#/Message#/extra",)),
        ([("/Records/0/body#/Type", "const")], ()),
    ]
    assert results[5].warnings[0].pointer == "/Records/0/body#/Message#/extra"
    assert [r.errors[0].schema for r in results[1:5]] == [
        "components.schemas.Order.properties.n.type",
        "components.schemas.SNSEnvelope.properties.Message.contentMediaType",
        "components.schemas.Order.properties.blob.contentEncoding",
        "components.schemas.Order.properties.blob.contentSchema.properties.z.type",
    ]
    lines = tmp_path / "events.jsonl"
    lines.write_text("".join(json.dumps(event) + "\n" for event in events))
    typed = generator.check(FAN_OUT, [lines]).events
    assert [r._replace(source="") for r in typed] == [r._replace(source="") for r in results]


def test_a_content_schema_that_declares_itself_is_decoded_to_a_bound(tmp_path: Path) -> None:
    """An envelope whose `inner` (and `other`) holds an envelope describes documents nested without end: the
    walk that finds inner payloads unrolls it to `_MAX_NESTING` levels, not for ever, walking each level once
    for both fields (not twice as often each level down), and events are checked that deep."""
    from generator.checker.content import _MAX_NESTING, content_fields

    envelope_text = {
        "type": "string",
        "contentMediaType": "application/json",
        "contentSchema": {"$ref": "#/components/schemas/E"},
    }
    envelope = {
        "type": "object",
        "required": ["v"],
        "properties": {"v": {"type": "integer"}, "inner": envelope_text, "other": dict(envelope_text)},
    }
    path = one_message_document(tmp_path, {"$ref": "#/components/schemas/E"}, schemas={"E": envelope})
    found, other = content_fields(generator.load(path).messages["M"].payload)
    levels = 1
    while found.inner:
        assert found.inner is other.inner
        found, other = found.inner
        levels += 1
    assert levels == _MAX_NESTING

    def nested(depth: int, v: Any) -> dict[str, Any]:
        event: dict[str, Any] = {"v": v}
        for _ in range(depth):
            event = {"v": 1, "inner": json.dumps(event)}
        return event

    events = [nested(3, 1), nested(3, "x"), nested(_MAX_NESTING, "x")]
    results = generator.check(path, events, message="M").events
    assert [[e.pointer for e in r.errors] for r in results[:2]] == [[], ["/inner#/inner#/inner#/v"]]
    assert [e.pointer for e in results[2].errors] == ["/inner" + "#/inner" * (_MAX_NESTING - 1) + "#/v"]
    # below the bound, a payload is the string its schema declares, not decoded
    assert generator.check(path, [nested(_MAX_NESTING + 1, "x")], message="M").ok


def test_examples_are_checked_against_their_message() -> None:
    result = generator.check(MINI, examples=True)
    assert [(e.source.rsplit("#", 1)[1], e.valid) for e in result.events] == [
        ("/components/messages/S3Event/examples/0/payload", True),
        ("/components/messages/S3Event/examples/1/payload", False),
    ]
    assert result.events[1].errors[0].pointer == "/Records/0/s3/object/size"


def test_an_example_the_router_would_not_recognise_gets_a_warning(tmp_path: Path) -> None:
    # An EventBridgeEvent example that is a scheduled event: the router would route it to ScheduledEvent.
    scheduled = json.loads((POSITIVE / "scheduled.json").read_text())
    document = MINI.read_text().replace(
        "    EventBridgeEvent:\n      payload: {$ref: '#/components/schemas/EventBridgeEvent'}\n",
        "    EventBridgeEvent:\n      payload: {$ref: '#/components/schemas/EventBridgeEvent'}\n"
        f"      examples: [{{payload: {json.dumps(scheduled)}}}]\n",
    )
    path = tmp_path / "doc.yaml"
    path.write_text(document)
    result = generator.check(path, examples=True)
    example = result.events[-1]
    assert (example.message, example.valid, example.also) == ("EventBridgeEvent", True, ("ScheduledEvent",))
    assert [w.message for w in example.warnings] == [
        "the router would not recognise this example as EventBridgeEvent: it is recognised as ScheduledEvent"
    ]
    assert not generator.check(path, examples=True, strict=True).events[-1].valid


#: An order whose items (none, or each with a `productID`) its schema allows to be none.
_ORDER_OF_ITEMS = {
    "type": "object",
    "required": ["orderId", "items"],
    "properties": {
        "orderId": {"type": "string"},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["productID"],
                "properties": {"productID": {"type": "string"}},
            },
        },
    },
}


def test_an_example_of_an_empty_array_is_what_the_router_routes(tmp_path: Path) -> None:
    """An order of no items, as its schema allows: the router routes it (`CompiledTable.route`), so the
    example gets no warning that it would not, with `--strict` either."""
    path = one_message_document(tmp_path, _ORDER_OF_ITEMS)
    document = json.loads(path.read_text())
    document["channels"]["c"]["messages"]["M"]["examples"] = [{"payload": {"orderId": "o1", "items": []}}]
    path.write_text(json.dumps(document))
    (example,) = generator.check(path, examples=True, strict=True).events
    assert (example.message, example.valid, example.warnings) == ("M", True, ())


def test_an_event_valid_as_a_later_guess_but_for_undeclared_members_is_that_message(tmp_path: Path) -> None:
    """Lines of no items, tagged as X's are: X says there is at least one line, Y allows none and does not
    declare the tag. The event is Y's, with the tag undeclared (as the router routes it), not an invalid X."""
    lines = {"type": "array", "items": {"type": "object", "required": ["kind"], "properties": {"kind": {}}}}
    x_lines = {**lines, "minItems": 1, "items": {**lines["items"], "properties": {"kind": {"const": "x"}}}}
    y_lines = {**lines, "items": {**lines["items"], "properties": {"kind": {"const": "y"}}}}
    path = messages_document(
        tmp_path,
        {
            "X": {
                "type": "object",
                "required": ["lines", "tag"],
                "properties": {"tag": {"const": "T"}, "lines": x_lines},
            },
            "Y": {"type": "object", "required": ["lines"], "properties": {"lines": y_lines}},
        },
    )
    (event,) = generator.check(path, [{"lines": [], "tag": "T"}]).events
    assert (event.message, event.valid, [w.pointer for w in event.warnings]) == ("Y", True, ["/tag"])


def test_python_values_and_paths_mix_in_input_order() -> None:
    result = generator.check(MINI, [{"awslogs": {"data": 1}}, POSITIVE / "batch.json", {"x": 1}])
    assert [e.source for e in result.events] == [
        "<events>[0]",
        f"{POSITIVE / 'batch.json'}[0]",
        f"{POSITIVE / 'batch.json'}[1]",
        "<events>[2]",
    ]
    assert [e.message for e in result.events] == ["CloudWatchLogsEvent", "S3Event", "EventBridgeEvent", None]


def test_a_document_object_is_accepted() -> None:
    assert generator.check(generator.load(MINI), [POSITIVE / "s3-put.json"]).ok


@pytest.mark.parametrize("codes", [255, 1], ids=["verdict-codes", "few-codes"])
def test_jobs_give_the_same_results_in_the_same_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, codes: int
) -> None:
    """Workers send a pass back as its verdict's code (a byte); with `codes` lowered to 1, a task's second
    verdict is past them and its passes come back whole, as more than 254 verdicts in a task would."""
    from generator.checker import parallel

    monkeypatch.setattr(parallel, "WHOLE", codes)
    lines = [json.dumps(json.loads((POSITIVE / "s3-put.json").read_text()))] * 2500
    lines[1::7] = [json.dumps(json.loads((POSITIVE / "scheduled.json").read_text()))] * len(lines[1::7])
    lines[1234] = json.dumps(json.loads((NEGATIVE / "s3-size-string.json").read_text()))
    lines[2000] = "{truncated"
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(lines) + "\n")
    alone = generator.check(MINI, [path, NEGATIVE], jobs=1)
    spread = generator.check(MINI, [path, NEGATIVE], jobs=2)
    assert spread.events == alone.events
    assert [e.source for e in spread.events if not e.valid][:2] == [f"{path}:1235", f"{path}:2001"]
    assert spread.summary.as_json() == alone.summary.as_json()


def test_jobs_read_json_lines_files_in_blocks_numbered_as_one_reader_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers read plain JSON Lines files themselves, a block of whole lines each (small blocks here, so
    that lines fall on every side of their edges): the same results, sources and order as one process,
    also for blank lines, a byte order mark, a line longer than a block and than the event limit, no last
    newline, a file of blank lines, and the inputs read in the main process (gzip, arrays, Python values)."""
    from generator.checker import parallel, sources

    monkeypatch.setattr(parallel, "BLOCK_BYTES", 2048)
    monkeypatch.setattr(sources, "_WHOLE_BLOCK_BYTES", 4096)  # the long line's blocks: read a line at a time
    event = json.dumps(json.loads((POSITIVE / "s3-put.json").read_text()))
    scheduled = json.dumps(json.loads((POSITIVE / "scheduled.json").read_text()))
    wrong = json.dumps(json.loads((NEGATIVE / "s3-size-string.json").read_text()))
    lines = [event, scheduled, "", "  ", wrong, "{truncated", "[1]"] * 40
    lines[100] = '{"long": "' + "x" * 9000 + '"}'  # over four blocks, and over the limit below
    lines[101] = '{"long": "' + "y" * 3000 + '"}'  # over a block, under the limit
    big = tmp_path / "big.jsonl"
    big.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode())  # no newline at the end
    blank = tmp_path / "blank.ndjson"
    blank.write_text("\n \n\n" * 1000)
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    exact = tmp_path / "exact.jsonl"  # blocks that end exactly at line ends, and blank lines at their edges
    exact.write_text(((event.ljust(1023) + "\n") * 2 + "\n" * 1024 + (wrong.ljust(1023) + "\n")) * 5)
    zipped = tmp_path / "more.jsonl.gz"
    zipped.write_bytes(gzip.compress("\n".join([event, wrong] * 600).encode()))
    array = tmp_path / "array.json"
    array.write_text(f"[{event}, {wrong}]")
    compressed = []  # the plain files again, gzip-compressed: decompressed by the main process, in blocks
    for plain in (big, blank, empty, exact):
        packed = tmp_path / f"{plain.stem}-z{plain.suffix}.gz"
        packed.write_bytes(gzip.compress(plain.read_bytes()))
        compressed.append(packed)
    cut = tmp_path / "cut.jsonl.gz"  # corrupt after many blocks' worth of lines, the long ones among them
    whole = gzip.compress(big.read_bytes(), compresslevel=1)
    cut.write_bytes(whole[:-64])
    inputs: list[Any] = [big, json.loads(event), blank, empty, exact, zipped, array, {"x": 1}, NEGATIVE]
    inputs += [*compressed, cut]
    alone = generator.check(MINI, inputs, jobs=1, max_event_bytes=5000)
    spread = generator.check(MINI, inputs, jobs=2, max_event_bytes=5000)
    assert spread.events == alone.events
    assert spread.summary.as_json() == alone.summary.as_json()
    # as `gen check` runs for a report of what is wrong: workers send counts and the other results only
    lean = Summary()
    shown = list(iter_check(MINI, inputs, summary=lean, jobs=2, max_event_bytes=5000, passes=False))
    assert shown == [e for e in alone.events if not e.clean]
    assert lean.as_json() == alone.summary.as_json()
    assert list(lean.messages) == list(alone.summary.messages)  # in the order first seen
    by_source = {e.source: e for e in alone.events}
    assert by_source[f"{big}:1"].valid and f"{big}:3" not in by_source  # a BOM; a blank line
    assert by_source[f"{big}:101"].errors[0].message == "event is larger than the limit of 5000 bytes"
    assert by_source[f"{big}:102"].errors[0].keyword == "recognition"  # read whole, then not recognised
    assert (by_source[f"{big}:103"].message, by_source[f"{big}:103"].valid) == ("S3Event", False)
    assert by_source[str(blank)].errors[0].message == "empty: no events"
    assert by_source[str(empty)].errors[0].message == "empty: no events"
    assert [e.source for e in alone.events if e.source.startswith(str(exact))][:4] == [
        f"{exact}:1",
        f"{exact}:2",
        f"{exact}:1027",
        f"{exact}:1028",
    ]
    assert len(alone.events) > 1200 + 200
    assert by_source[f"{compressed[0]}:101"].errors[0].message == by_source[f"{big}:101"].errors[0].message
    assert by_source[str(compressed[2])].errors[0].message == "empty: no events"
    broken = [e for e in alone.events if e.source.startswith(str(cut))]
    assert len(broken) > 150 and broken[-1].errors[0].message.startswith("corrupt gzip data")


def test_jobs_without_fork_rebuild_the_checker_in_each_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where processes cannot fork (Windows), workers start afresh and load the document from its path."""
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    event = json.dumps(json.loads((POSITIVE / "s3-put.json").read_text()))
    wrong = json.dumps(json.loads((NEGATIVE / "s3-size-string.json").read_text()))
    plain = tmp_path / "events.jsonl"
    plain.write_text("\n".join([event, wrong] * 50) + "\n")
    zipped = tmp_path / "events.jsonl.gz"
    zipped.write_bytes(gzip.compress(plain.read_bytes()))
    alone = generator.check(MINI, [plain, zipped], jobs=1)
    spread = generator.check(MINI, [plain, zipped], jobs=2)
    assert spread.events == alone.events and len(alone.events) == 200
    assert spread.summary.as_json() == alone.summary.as_json()


def _die(_task: Any, _passes: bool = True) -> None:
    os._exit(3)  # as a worker killed for want of memory ends


def test_a_worker_that_dies_is_an_error_not_a_wait_forever(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.checker import parallel

    monkeypatch.setattr(parallel, "_run", _die)
    path = tmp_path / "events.jsonl"
    path.write_text(json.dumps(json.loads((POSITIVE / "s3-put.json").read_text())) + "\n")
    with pytest.raises(RuntimeError, match="a worker process ended abruptly"):
        generator.check(MINI, [path], jobs=2)


def test_a_worker_that_cannot_build_its_checker_fails_its_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not a pool starting workers forever, which a failing initializer makes: each task raises why."""
    from generator.checker import engine, parallel

    monkeypatch.setattr(parallel, "_checker", None)
    monkeypatch.setattr(parallel, "_failed", None)
    parallel._start(None, cast(Any, "not a document"), engine.Options())
    with pytest.raises(RuntimeError, match="a worker could not build its checker: AttributeError"):
        parallel._run([])


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_counts_every_byte_of_the_inputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """The progress bar's callback is given the bytes read, on disk (compressed for `.gz`): all of them by
    the end, whether one process reads the lines or workers read them in blocks."""
    from generator.checker import iter_check, parallel

    monkeypatch.setattr(parallel, "BLOCK_BYTES", 4096)
    event = json.dumps(json.loads((POSITIVE / "s3-put.json").read_text()))
    plain = tmp_path / "events.jsonl"
    plain.write_text((event + "\n") * 1200)
    zipped = tmp_path / "events.jsonl.gz"
    zipped.write_bytes(gzip.compress(((event + "\n") * 300).encode()))
    read: list[int] = []
    results = list(iter_check(MINI, [plain, zipped], jobs=jobs, progress=read.append))
    assert len(results) == 1500
    assert sum(read) == plain.stat().st_size + zipped.stat().st_size
    assert len(read) > 2  # as reading goes, not once at the end


def test_without_jobs_large_inputs_are_spread_over_every_core_and_small_ones_are_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`jobs=None` (the CLI's default): one process for small inputs, every core past the threshold, which
    is found without reading every file's size (the sizes stop being added once past it)."""
    from generator.checker import api, parallel, sources

    event = json.dumps(json.loads((POSITIVE / "s3-put.json").read_text()))
    for number in range(6):
        (tmp_path / f"{number}.jsonl").write_text((event + "\n") * 10)
    size = (tmp_path / "0.jsonl").stat().st_size
    sized: list[Path] = []
    stat = Path.stat

    def counted(path: Path, **kwargs: Any) -> Any:
        sized.append(path)
        return stat(path, **kwargs)

    spread: list[int] = []
    run = parallel.check_in_parallel
    monkeypatch.setattr(
        parallel,
        "check_in_parallel",
        lambda c, t, workers, s, **options: spread.append(workers) or run(c, t, 1, s, **options),
    )
    monkeypatch.setattr(Path, "stat", counted)
    monkeypatch.setattr(api, "PARALLEL_FROM_BYTES", size * 10)
    small = generator.check(MINI, [tmp_path], jobs=None)
    monkeypatch.setattr(api, "PARALLEL_FROM_BYTES", size * 2)
    sized.clear()
    assert sources.total_bytes([tmp_path], beyond=size * 2) == size * 3
    # three of six files: past the threshold, the rest are not looked at
    assert len([p for p in sized if p.suffix == ".jsonl"]) == 3
    large = generator.check(MINI, [tmp_path], jobs=None)
    assert spread == [os.cpu_count() or 1]  # the large run only
    assert small.events == large.events and len(small.events) == 60 and small.ok


def test_result_json_shape() -> None:
    result = generator.check(MINI, [NEGATIVE / "s3-size-string.json", POSITIVE / "scheduled.json"])
    shape = result.as_json()
    assert set(shape) == {"events", "summary", "ok"}
    assert shape["ok"] is False
    assert shape["events"][1] == {
        "source": str(POSITIVE / "scheduled.json"),
        "message": "ScheduledEvent",
        "valid": True,
        "also": ["EventBridgeEvent"],
        "closest": None,
        "errors": [],
        "warnings": [],
    }
    assert shape["events"][0]["errors"][0] == {
        "pointer": "/Records/0/s3/object/size",
        "keyword": "type",
        "message": 'expected integer, got string "12"',
        "schema": "components.schemas.S3Record.properties.s3.properties.object.properties.size.type",
    }
    assert shape["summary"] == {
        "events": 2,
        "passed": 1,
        "failed": 1,
        "unrecognized": 0,
        "unreadable": 0,
        "messages": {
            "S3Event": {"seen": 1, "passed": 0, "failed": 1, "undeclared": {}},
            "ScheduledEvent": {"seen": 1, "passed": 1, "failed": 0, "undeclared": {}},
        },
    }


def test_recursive_schemas_and_deep_events(tmp_path: Path) -> None:
    node = {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"const": "node"}, "child": {"$ref": "#/components/schemas/Node"}},
    }
    document = {
        "asyncapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "channels": {
            "c": {"address": "c", "messages": {"Node": {"payload": {"$ref": "#/components/schemas/Node"}}}}
        },
        "components": {"schemas": {"Node": node}},
    }
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(document))
    event: dict[str, Any] = {"kind": "node", "extra": 1}
    for _ in range(600):
        event = {"kind": "node", "child": event}
    event["surprise"] = True
    (result,) = generator.check(path, [event]).events
    assert (result.message, result.valid) == ("Node", True)
    assert [w.pointer for w in result.warnings] == ["/surprise"]  # drift is looked for 200 levels deep
    event["child"]["child"]["kind"] = "leaf"
    (result,) = generator.check(path, [event]).events
    assert [(e.pointer, e.keyword) for e in result.errors] == [("/child/child/kind", "const")]


@pytest.mark.parametrize(
    ("schema", "event", "undeclared", "errors"),
    [
        ({"properties": {"a": {}}}, {"a": 1, "b": 2}, ["/b"], []),
        ({"properties": {"a": {}}, "additionalProperties": True}, {"a": 1, "b": 2}, [], []),
        ({"properties": {"a": {}}, "additionalProperties": False}, {"a": 1, "b": 2}, [], ["/b"]),
        ({"type": "object"}, {"a": 1}, [], []),  # free-form: declares no field
        (
            {"properties": {"m": {"additionalProperties": {"properties": {"x": {}}}}}},
            {"m": {"k": {"x": 1, "y": 2}}},
            ["/m/k/y"],
            [],
        ),
        (
            {"properties": {"m": {"patternProperties": {"^x-": {"properties": {"v": {}}}}}}},
            {"m": {"x-a": {"v": 1, "w": 2}, "z": 1}},
            ["/m/x-a/w"],
            [],
        ),
        (
            {"anyOf": [{"properties": {"a": {}}}, {"properties": {"b": {}}}]},
            {"a": 1, "b": 2, "c": 3},
            ["/c"],
            [],
        ),
        ({"anyOf": [{"properties": {"a": {}}}, {"type": "object"}]}, {"a": 1, "c": 3}, [], []),
        (
            {"allOf": [{"properties": {"a": {}}}, {"properties": {"b": {}}}]},
            {"a": 1, "b": 2, "c": 3},
            ["/c"],
            [],
        ),
        (
            {"properties": {"l": {"items": {"properties": {"a": {}}}}}},
            {"l": [{"a": 1}, {"b": 1}]},
            ["/l/1/b"],
            [],
        ),
        (  # a free-form object is entered for the closed one it declares
            {
                "properties": {
                    "f": {"properties": {"c": {"properties": {"x": {}}}}, "additionalProperties": True}
                }
            },
            {"f": {"other": {"y": 1}, "c": {"x": 1, "y": 2}}},
            ["/f/c/y"],
            [],
        ),
        (  # every member declared at the top: the members are still entered in the event's order
            {"properties": {"a": {"properties": {"x": {}}}, "b": {"properties": {"x": {}}}, "s": {}}},
            {"s": {"y": 1}, "b": {"y": 1}, "a": {"y": 1, "x": {"y": 1}}},
            ["/b/y", "/a/y"],
            [],
        ),
        (  # undeclared members at two depths, in the event's order
            {"properties": {"a": {"properties": {"x": {}}}}},
            {"q": 1, "a": {"y": 1}, "r": 2},
            ["/q", "/a/y", "/r"],
            [],
        ),
    ],
)
def test_drift_follows_what_the_schema_declares(
    tmp_path: Path, schema: dict[str, Any], event: dict[str, Any], undeclared: list[str], errors: list[str]
) -> None:
    (result,) = generator.check(one_message_document(tmp_path, schema), [event], message="M").events
    assert [w.pointer for w in result.warnings] == undeclared
    assert [e.pointer for e in result.errors] == errors


def test_a_missing_deep_field_is_a_violation_not_a_recognition_failure() -> None:
    # eventSource says it is an S3 event; a missing /Records/0/eventName is for validation to report.
    event = json.loads((NEGATIVE / "s3-size-string.json").read_text())
    del event["Records"][0]["eventName"]
    (result,) = generator.check(MINI, [event]).events
    assert (result.message, result.valid) == ("S3Event", False)
    assert [(e.pointer, e.keyword) for e in result.errors] == [
        ("/Records/0/eventName", "required"),
        ("/Records/0/s3/object/size", "type"),
    ]


def test_an_event_whose_constants_match_is_validated_against_that_message() -> None:
    # A scheduled event without its (top-level, so recognition) "version": its constants say what it means
    # to be, so every violation against ScheduledEvent says more than "not recognised".
    event = json.loads((POSITIVE / "scheduled.json").read_text())
    del event["version"]
    event["time"] = 0
    (result,) = generator.check(MINI, [event]).events
    assert (result.message, result.closest, result.valid) == (None, "ScheduledEvent", False)
    assert [(e.pointer, e.keyword) for e in result.errors] == [("/version", "required"), ("/time", "type")]


_CLOSED = {"type": "object", "properties": {"x": {}}}


@pytest.mark.parametrize(
    ("payload", "event", "undeclared", "valid"),
    [
        ({"properties": {"a": {"$ref": "#/components/schemas/A"}}}, {"a": {"x": 1, "y": 2}}, ["/a/y"], True),
        (  # under anyOf, A must not close itself: the other branch passes, drift is still reported
            {
                "anyOf": [
                    {"properties": {"a": {"$ref": "#/components/schemas/A"}}, "required": ["a"]},
                    {"required": ["b"]},
                ]
            },
            {"b": 1, "a": {"x": 1, "y": 2}},
            ["/a/y"],
            True,
        ),
        (  # under not, closing A (as where c holds it) would make the event pass
            {
                "properties": {
                    "a": {"not": {"$ref": "#/components/schemas/A"}},
                    "c": {"$ref": "#/components/schemas/A"},
                }
            },
            {"a": {"x": 1, "y": 2}, "c": {"x": 1}},
            [],
            False,
        ),
        (  # A alone, and merged with more members: both pass
            {
                "properties": {
                    "a": {"$ref": "#/components/schemas/A"},
                    "b": {"allOf": [{"$ref": "#/components/schemas/A"}, {"properties": {"z": {}}}]},
                }
            },
            {"a": {"x": 1}, "b": {"x": 1, "z": 2}},
            [],
            True,
        ),
    ],
)
def test_drift_through_named_schemas(
    tmp_path: Path, payload: dict[str, Any], event: dict[str, Any], undeclared: list[str], valid: bool
) -> None:
    path = one_message_document(tmp_path, payload, schemas={"A": _CLOSED})
    (result,) = generator.check(path, [event], message="M").events
    assert [w.pointer for w in result.warnings] == undeclared
    assert result.valid is valid


def test_drift_seen_in_earlier_events_is_reported_as_in_each_event_alone(tmp_path: Path) -> None:
    """Once valid events drifted in some objects, events drifting only there are checked without the
    whole walk (`SchemaCheck._learn`): every event must still get what it gets checked alone, wherever
    the learned object's schema is used (three places here) and whatever else is wrong with it."""
    from generator.checker.engine import Checker

    a = {"$ref": "#/components/schemas/A"}
    b = {"$ref": "#/components/schemas/B"}
    payload = {"properties": {"a": a, "b": a, "l": {"items": a}, "n": {"type": "integer"}, "c": b}}
    path = one_message_document(
        tmp_path, payload, schemas={"A": _CLOSED, "B": {"type": "object", "properties": {"k": {}}}}
    )
    events: list[tuple[dict[str, Any], list[str], bool]] = [
        ({"a": {"x": 1, "y": 1}}, ["/a/y"], True),  # A drifts: learned
        ({"b": {"x": 1, "y": 2}, "a": {"y": 3}}, ["/b/y", "/a/y"], True),  # A, in two places
        ({"c": {"k": 1, "j": 2}, "a": {"y": 1}}, ["/c/j", "/a/y"], True),  # and B, not learned yet
        ({"l": [{"x": 1}, {"y": 1}], "z": 1}, ["/l/1/y", "/z"], True),  # and the top: learned too
        ({"n": "12", "a": {"y": 1}}, ["/a/y"], False),  # invalid: the whole check
        ({"z": 2, "l": [{"y": 1, "w": 2}], "a": {"x": 1}}, ["/z", "/l/0/y", "/l/0/w"], True),
        ({"a": {"x": 1}, "b": {}}, [], True),  # no drift at all
        ({"a": {"x": 1}, "q": {"y": 1}}, ["/q"], True),
    ]
    loaded = generator.load(path)
    checker = Checker(loaded, typed=False)
    for number, (event, undeclared, valid) in enumerate(events):
        source = f"events.jsonl:{number + 1}"
        alone = Checker(loaded, typed=False).check(source, orjson.dumps(event))
        result = checker.check(source, orjson.dumps(event))
        assert result == alone, number
        assert ([w.pointer for w in result.warnings], result.valid) == (undeclared, valid), number
    payload_check = checker.message_check("M").payload
    assert payload_check is not None and payload_check._drifting is not None, "nothing was learned"


@pytest.mark.parametrize("names", [{"message": "Nope"}, {"channel": "nowhere"}])
def test_iter_check_refuses_unknown_names_when_called(names: dict[str, str]) -> None:
    """Before any result is asked for: a caller streaming a report has not started it yet."""
    from generator.checker import iter_check

    with pytest.raises(GenError):
        iter_check(MINI, [POSITIVE], **names)  # not iterated


@pytest.mark.parametrize(
    ("jobs", "codes"), [(1, 255), (2, 255), (2, 1)], ids=["one-process", "jobs", "jobs-whole-passes"]
)
def test_without_passes_every_other_result_comes_and_every_event_is_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int, codes: int
) -> None:
    """`iter_check(passes=False)`, as `gen check` runs for reports of what is wrong: the same results less
    the clean passes (drift warnings are not clean), in order, and the same summary."""
    from generator.checker import parallel

    monkeypatch.setattr(parallel, "WHOLE", codes)
    s3 = json.loads((POSITIVE / "s3-put.json").read_text())
    lines = [json.dumps(s3)] * 1500
    lines[1::7] = [json.dumps(json.loads((POSITIVE / "scheduled.json").read_text()))] * len(lines[1::7])
    lines[700] = json.dumps(json.loads((NEGATIVE / "s3-size-string.json").read_text()))
    lines[900] = json.dumps({**s3, "addedByAws": 1})  # valid, with an undeclared field
    lines[1000] = "{truncated"
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(lines) + "\n")
    events = [path, NEGATIVE, {"x": 1}, POSITIVE / "batch.json"]
    every, lean = Summary(), Summary()
    results = list(iter_check(MINI, events, summary=every, jobs=jobs, examples=True))
    shown = list(iter_check(MINI, events, summary=lean, jobs=jobs, examples=True, passes=False))
    assert shown == [result for result in results if not result.clean]
    assert f"{path}:901" in {result.source for result in shown}
    assert len(shown) < len(results) / 10
    assert lean.as_json() == every.as_json()


def test_the_reader_s_loop_counts_passing_lines_as_the_checker_s_loop_would(tmp_path: Path) -> None:
    """`Checker.taker`: for a report of what is wrong, the JSON Lines reader hands the lines it can settle
    to the checker's `take`, which counts those that pass and stops at any other line. The results (their
    line numbers after runs of taken lines), the summary and its order, over-long lines, blank lines, a byte
    order mark, a gzip stream that ends mid-run and progress are as without it; most lines make no item."""
    from generator.checker.engine import Checker
    from generator.checker.sources import Item, read

    document = generator.load(MINI)

    def compact(value: Any) -> str:  # as AWS writes events (scheduled ones are then told apart cheaply)
        return json.dumps(value, separators=(",", ":"))

    s3 = compact(json.loads((POSITIVE / "s3-put.json").read_text()))
    scheduled = compact(json.loads((POSITIVE / "scheduled.json").read_text()))
    ordered = compact({**json.loads(scheduled), "detail-type": "Order Placed", "source": "shop"})
    lines = [s3] * 1400
    lines[200:400] = [ordered] * 200  # EventBridge events, some scheduled ones among them (below)
    lines[1::9] = [scheduled] * len(lines[1::9])
    lines[3] = compact(json.loads((NEGATIVE / "s3-size-string.json").read_text()))
    lines[600] = lines[3]  # one failure in a long run of passes
    lines[700:703] = ["", "   ", "{truncated"]
    lines[800] = '{"long": "' + "x" * 6000 + '"}'  # over the limit below
    lines[900] = s3 + " " * 6000  # over the limit, though what is read of it is a whole event
    lines[1100] = compact({**json.loads(s3), "addedByAws": 1})  # valid, with an undeclared field
    text = "\ufeff" + "\n".join(lines)  # no newline at the end
    plain = tmp_path / "events.jsonl"
    plain.write_text(text)
    zipped = tmp_path / "events.jsonl.gz"
    zipped.write_bytes(gzip.compress(text.encode()))
    cut = tmp_path / "cut.jsonl.gz"  # ends in the middle of the lines, most likely of a run of passes
    packed = gzip.compress(text.encode(), compresslevel=1)
    cut.write_bytes(packed[: len(packed) * 3 // 4])
    for path in (plain, zipped, cut):
        expected, counted = Summary(), Summary()
        want = list(Checker(document).check_all(read([path], max_event_bytes=5000), expected, passes=False))
        checker = Checker(document)
        progress: list[int] = []
        items: list[Item] = []  # what the reader made items of, as the checker read them
        read_items = read([path], max_event_bytes=5000, progress=progress.append, take=checker.taker(counted))
        found = list(checker.check_all((items.append(i) or i for i in read_items), counted, passes=False))
        assert found == want, path.name
        assert counted == expected and list(counted.messages) == list(expected.messages), path.name
        assert counted.as_json() == expected.as_json(), path.name
        assert len(items) < len(lines) / 10, f"{path.name}: the reader's loop took only a few lines"
        assert sum(progress) == path.stat().st_size, path.name
        if path == plain:  # as it is read (every 512 lines), not only at its end
            assert len(progress) >= 3
        by_line = {int(result.source.rpartition(":")[2]): result for result in want}
        assert by_line[4].message == "S3Event" and not by_line[4].valid
        assert list(counted.messages) == ["S3Event", "ScheduledEvent", "EventBridgeEvent"]
        assert counted.messages["EventBridgeEvent"].passed == 178, path.name
        assert by_line[601].message == "S3Event" and not by_line[601].valid
        if path != cut:
            assert "larger than the limit" in by_line[801].errors[0].message
            assert "larger than the limit" in by_line[901].errors[0].message
            assert by_line[1101].valid and by_line[1101].warnings
            assert max(by_line) == 1101
    assert 801 < max(by_line) < 1400 and "ends early" in by_line[max(by_line)].errors[0].message


def test_inner_payloads_decode_on_the_fast_path_as_the_full_check_decodes_them() -> None:
    """`content.quick_steps` (the fast path's steps, chosen once per field) against `content.decode` (the
    full check's): a value fails the one exactly when it fails the other, and decodes to the same document;
    the steps after base64, given the bytes msgspec decoded, go on as from the text; and the full check
    says in words why a payload does not inflate."""
    import binascii
    import zlib

    from generator.checker.content import (
        ContentField,
        DecodeFailure,
        decode,
        quick_steps,
    )

    document = {"logEvents": [{"id": "1", "message": "héllo"}]}
    text = json.dumps(document).encode()
    packed = {"gzip": gzip.compress(text), "zlib": zlib.compress(text)}
    fields = {
        "base64": ContentField(("d",), "base64", None, None, None, ()),
        "base64, gzip, JSON": ContentField(("d",), "base64", "gzip", "application/json", {}, ()),
        "base64, gzip": ContentField(("d",), "base64", "gzip", None, None, ()),
        "base64url, text": ContentField(("d",), "base64url", None, "text/plain", None, ()),
        "base64, JSON": ContentField(("d",), "base64", None, "application/json", None, ()),
        "JSON text": ContentField(("d",), None, None, "application/json", None, ()),
        "gzip, no encoding": ContentField(("d",), None, "gzip", None, None, ()),
    }
    values = [
        base64.b64encode(packed["gzip"]).decode(),
        base64.b64encode(packed["zlib"]).decode(),
        base64.b64encode(packed["gzip"][:-9]).decode(),  # truncated
        base64.b64encode(b"not gzip").decode(),
        base64.b64encode(text).decode(),
        base64.urlsafe_b64encode(text).decode(),
        base64.b64encode(b"\xff\xfe").decode(),  # not UTF-8
        "%%%",
        "aGk",
        text.decode(),
        "{truncated",
        "",
    ]
    outcomes: set[tuple[str, bool]] = set()
    for name, field in fields.items():
        quick = quick_steps(field)
        for value in values:
            expected = decode(value, field)
            try:
                found = quick(value)
            except ValueError:
                assert isinstance(expected, DecodeFailure), (name, value)
                outcomes.add((name, True))
                continue
            assert found == expected, (name, value)  # a `DecodeFailure` it is not
            outcomes.add((name, False))
            if field.encoding == "base64":
                after = quick_steps(field, encoded=False)(binascii.a2b_base64(value, strict_mode=True))
                assert after == expected, (name, value)
    # the full check says why a payload does not inflate, where the fast path only refuses it
    gzipped = fields["base64, gzip"]
    truncated, not_gzip = (decode(values[index], gzipped) for index in (2, 3))
    assert truncated == DecodeFailure("x-contentCompression", "truncated gzip data: the stream ends early")
    assert isinstance(not_gzip, DecodeFailure) and not_gzip.keyword == "x-contentCompression"
    assert not_gzip.message.startswith("not valid gzip (or zlib) data: ")
    # each field refuses some values, and decodes others (text never holds a gzip stream whole)
    assert {name for name, failed in outcomes if failed} == set(fields)
    assert {name for name, failed in outcomes if not failed} == set(fields) - {"gzip, no encoding"}


def test_a_schema_reached_again_through_a_union_is_checked_for_drift_at_every_level() -> None:
    """`PathNode.next` is `oneOf: [{$ref: PathNode}, {type: null}]`: the drift shape met it again inside
    itself through the union, not a bare reference, and building it never ended (RecursionError: gen check,
    gen validate and gen handlers died on this document)."""
    tree = Path(__file__).parent / "fixtures" / "codegen" / "tree-3.0.yaml"
    deep = {"segment": "c", "zz": 1}
    events = [
        {"root": {"name": "all"}, "path": {"segment": "a", "next": {"segment": "b", "next": deep}}},
        {"root": {"name": "all"}, "path": {"segment": "a", "next": {"segment": 5}}},
    ]
    drifted, wrong = generator.check(tree, events).events
    assert (drifted.valid, [w.pointer for w in drifted.warnings]) == (True, ["/path/next/next/zz"])
    assert not wrong.valid
    assert generator.validate(tree) == []


def test_events_that_are_arrays_are_recognised_as_messages_of_array_payloads(tmp_path: Path) -> None:
    """A document whose message carries a JSON array (a batch): array events are recognised without
    `--message`, by the rules on their items (`/0/id`), and an empty array by its schema alone, which the
    item rules cannot test; an array of wrong items is told against that message, and a string, which no
    message takes, is said to be of the wrong type with the types that are taken."""
    batch = {
        "type": "array",
        "items": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
    }
    path = messages_document(tmp_path, {"Batch": batch, "Order": {"type": "object", "required": ["order"]}})
    events = tmp_path / "events.jsonl"
    events.write_text('[{"id":1},{"id":2}]\n[]\n[1]\n"s"\n{"order":1}\n')
    results = {r.source.rsplit(":", 1)[1]: r for r in generator.check(path, [events]).events}
    assert [(r.message, r.valid) for r in results.values()] == [
        ("Batch", True), ("Batch", True), (None, False), (None, False), ("Order", True)
    ]  # fmt: skip
    assert results["3"].closest == "Batch"
    assert [(e.pointer, e.keyword) for e in results["3"].errors] == [("/0", "type")]
    assert (
        results["4"].errors[0].message
        == "expected an event the messages' payloads take (array or object), got string"
    )


def test_an_event_with_an_empty_array_is_checked_against_the_message_whose_rules_read_its_items(
    tmp_path: Path,
) -> None:
    """Recognition rules read off an array's `items` test its first item (`/items/0/productID`), which an
    order of no items lacks: such an order passes when valid (as the Solace coffee shop's `gen samples`
    draws one), and when invalid it is told what is wrong as that message, not that its first item's members
    are missing. Lambda's `Records` may not be empty, and says so in one sentence."""
    path = one_message_document(tmp_path, _ORDER_OF_ITEMS)
    valid, invalid, full = generator.check(
        path, [{"orderId": "o1", "items": []}, {"orderId": 7, "items": []}, {"orderId": "o2", "items": [{}]}]
    ).events
    assert (valid.message, valid.valid) == ("M", True)
    assert (invalid.message, invalid.closest) == (None, "M")
    assert [(e.pointer, e.message) for e in invalid.errors] == [
        ("/orderId", "expected string, got integer 7")
    ]
    assert (full.message, [e.pointer for e in full.errors]) == (None, ["/items/0/productID"])
    # an undeclared member is drift, no reason to call it another message
    (drifted,) = generator.check(path, [{"orderId": "o3", "items": [], "note": "x"}]).events
    assert (drifted.message, drifted.valid, [w.pointer for w in drifted.warnings]) == ("M", True, ["/note"])
    (strict,) = generator.check(path, [{"orderId": "o3", "items": [], "note": "x"}], strict=True).events
    assert (strict.message, strict.valid, [e.keyword for e in strict.errors]) == ("M", False, ["undeclared"])
    (records,) = _one(generator.check(bundled_document(), [{"Records": []}])).errors
    assert (records.pointer, records.message) == ("/Records", "expected at least 1 item, got 0")


@pytest.mark.parametrize("required", ["[event]", "[]"], ids=["required", "optional"])
def test_a_capture_of_both_directions_passes_replies_as_their_messages(tmp_path: Path, required: str) -> None:
    """A websocket ping answered by a pong (AsyncAPI 3 `reply`): replies are not recognised among events,
    but an event valid as no other message passes as the reply it is valid as, so a capture of both
    directions conforms; with a message pinned, the pong is still told against it. With `event` optional
    (lerenn's example), no rule tells them apart and a pong is recognised as a ping: it holds the value
    the pong's schema pins, and fits it exactly."""
    spec = tmp_path / "ping.yaml"
    spec.write_text(
        "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\n"
        "channels:\n  ping:\n    address: ping\n    messages:\n"
        "      ping: {$ref: '#/components/messages/ping'}\n"
        "  pong:\n    address: pong\n    messages:\n      pong: {$ref: '#/components/messages/pong'}\n"
        "operations:\n  pingPong:\n    action: send\n    channel: {$ref: '#/channels/ping'}\n"
        "    messages: [{$ref: '#/channels/ping/messages/ping'}]\n"
        "    reply:\n      channel: {$ref: '#/channels/pong'}\n"
        "      messages: [{$ref: '#/channels/pong/messages/pong'}]\n"
        "components:\n  messages:\n"
        + "".join(
            f"    {name}: {{payload: {{type: object, required: {required},"
            f" properties: {{event: {{const: {name}}}}}}}}}\n"
            for name in ("ping", "pong")
        )
    )
    events = [{"event": "ping"}, {"event": "pong"}, {"event": "pang"}]
    ping, pong, pang = generator.check(spec, events).events
    assert [(r.message, r.valid) for r in (ping, pong)] == [("ping", True), ("pong", True)]
    assert not pang.valid and pang.message in (None, "ping")
    if required != "[]":  # drift: a pong still (with no rule to tell it, only an exact fit is one)
        (drifted,) = generator.check(spec, [{"event": "pong", "at": 1}]).events
        assert (drifted.message, drifted.valid, [w.pointer for w in drifted.warnings]) == (
            "pong",
            True,
            ["/at"],
        )
    (pinned,) = generator.check(spec, [{"event": "pong"}], message="ping").events
    assert (pinned.message, pinned.valid) == ("ping", False)
    # Lambda: a handler's reply recorded among the events conforms as that reply
    (response,) = generator.check(bundled_document(), [{"statusCode": 200, "body": "ok"}]).events
    assert (response.message, response.valid) == ("APIGatewayProxyResponse", True)


@pytest.mark.parametrize("reply", ["{}", "{payload: {type: object}}"], ids=["no payload", "any object"])
def test_a_reply_that_tells_nothing_apart_passes_no_failing_event(tmp_path: Path, reply: str) -> None:
    """A reply of no payload (or of any object) is valid for everything: an invalid event is still told
    what is wrong, not passed as that reply."""
    spec = tmp_path / "ack.yaml"
    spec.write_text(
        "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\n"
        "channels:\n  orders:\n    address: orders\n    messages:\n"
        "      order: {payload: {type: object, required: [id], properties: {id: {type: string}}}}\n"
        f"  acks:\n    address: acks\n    messages:\n      ack: {reply}\n"
        "operations:\n  place:\n    action: send\n    channel: {$ref: '#/channels/orders'}\n"
        "    reply: {channel: {$ref: '#/channels/acks'}}\n"
    )
    (result,) = generator.check(spec, [{"id": 7}]).events
    assert (result.message, result.valid) == ("order", False)
    assert [(e.pointer, e.keyword) for e in result.errors] == [("/id", "type")]


def test_a_loose_reply_never_hides_what_is_wrong_with_a_recognised_event(tmp_path: Path) -> None:
    """An order that holds `OrderPlaced`'s constant but lacks its `total` is told so, though its reply `Ack`
    (any object with an `id`) would take it; a valid order with a new field is an order that drifts. An
    event that means no message (none of their constants) is asked of the replies."""
    spec = tmp_path / "orders.yaml"
    spec.write_text(
        "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\n"
        "channels:\n  orders:\n    address: orders\n    messages:\n      OrderPlaced:\n        payload:\n"
        "          type: object\n          required: [type, id, total]\n          properties:\n"
        "            {type: {const: order}, id: {type: integer}, total: {type: number}}\n"
        "  acks:\n    address: acks\n    messages:\n"
        "      Ack: {payload: {type: object, required: [id], properties: {id: {type: integer}}}}\n"
        "operations:\n  place:\n    action: send\n    channel: {$ref: '#/channels/orders'}\n"
        "    reply: {channel: {$ref: '#/channels/acks'}}\n"
    )
    events = [{"type": "order", "id": 1}, {"type": "order", "id": 1, "total": 2, "x": 1}, {"id": 5}]
    missing, drifted, ack = generator.check(spec, events).events
    assert (missing.message, missing.closest, [e.pointer for e in missing.errors]) == (
        None, "OrderPlaced", ["/total"]
    )  # fmt: skip
    assert (drifted.message, drifted.valid, [w.pointer for w in drifted.warnings]) == (
        "OrderPlaced",
        True,
        ["/x"],
    )
    assert (ack.message, ack.valid) == ("Ack", True)


def test_a_reply_that_fits_exactly_comes_before_one_it_drifts_from() -> None:
    """An HTTP API (v2) response with `cookies` is valid for v1 too, but for an undeclared member: it is the
    v2 response, with `--strict` as well."""
    event = {"statusCode": 200, "body": "x", "cookies": ["a=b"]}
    (result,) = generator.check(bundled_document(), [event], strict=True).events
    assert (result.message, result.valid) == ("APIGatewayV2ProxyResponse", True)


def test_a_broken_reply_is_told_what_is_wrong_with_it_as_that_reply() -> None:
    """A handler's response recorded among the events, with a wrong status code or body, is told what is
    wrong with it as the response: not that it has nothing in common with the requests, nor that it lacks
    the 23 members of a request that has a `body` too."""
    events = [
        {"statusCode": 99},
        {"statusCode": 200, "body": 5},
        {"statusCode": "200"},
        {"batchItemFailures": [{"id": "m1"}]},
    ]
    results = generator.check(bundled_document(), events).events
    assert [(r.message, r.valid, r.closest, [(e.pointer, e.keyword) for e in r.errors]) for r in results] == [
        (None, False, "APIGatewayProxyResponse", [("/statusCode", "minimum")]),
        (None, False, "APIGatewayProxyResponse", [("/body", "type")]),
        (None, False, "APIGatewayProxyResponse", [("/statusCode", "type")]),
        (None, False, "BatchItemFailuresResponse", [("/batchItemFailures/0/itemIdentifier", "required")]),
    ]


def test_a_reply_is_named_closest_only_when_no_message_is_closer(tmp_path: Path) -> None:
    """An order with no constant to tell it by, lacking `items`, meets more of `Order`'s rules than of its
    reply `Ack`'s (which its `id` alone lets recognise it): it is told as the order. An event that meets no
    more of the order's rules than of the reply's is told as the reply."""
    spec = tmp_path / "orders.yaml"
    spec.write_text(
        "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\n"
        "channels:\n  orders:\n    address: orders\n    messages:\n      Order:\n        payload:\n"
        "          type: object\n          required: [id, total, items]\n          properties:\n"
        "            {id: {type: string}, total: {type: number}, items: {type: array}}\n"
        "  acks:\n    address: acks\n    messages:\n"
        "      Ack: {payload: {type: object, required: [id], properties: {id: {type: integer}}}}\n"
        "operations:\n  place:\n    action: send\n    channel: {$ref: '#/channels/orders'}\n"
        "    reply: {channel: {$ref: '#/channels/acks'}}\n"
    )
    order, ack = generator.check(spec, [{"id": "a", "total": 2}, {"id": "b"}]).events
    assert (order.message, order.closest) == (None, "Order")
    assert (ack.message, ack.closest, [(e.pointer, e.keyword) for e in ack.errors]) == (
        None, "Ack", [("/id", "type")]
    )  # fmt: skip


def _request_reply_document(folder: Path, request: str, replies: dict[str, str]) -> Path:
    """An AsyncAPI 3.0 document: message `Request` (its payload in flow YAML) answered by `replies`."""
    spec = folder / "request-reply.yaml"
    spec.write_text(
        "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\n"
        f"channels:\n  req:\n    address: req\n    messages:\n      Request: {{payload: {request}}}\n"
        "  rep:\n    address: rep\n    messages:\n"
        + "".join(f"      {name}: {{payload: {payload}}}\n" for name, payload in replies.items())
        + "operations:\n  op:\n    action: receive\n    channel: {$ref: '#/channels/req'}\n"
        "    reply: {channel: {$ref: '#/channels/rep'}}\n"
    )
    return spec


def test_a_request_that_got_a_value_wrong_is_never_told_as_a_reply(tmp_path: Path) -> None:
    """A job of an unknown `kind` meets fewer of the job's rules than of its reply `Result` (any object with
    a `priority`), but the wrong value says it means to be a job: it is told so, not that `kind` is not
    allowed in a result."""
    spec = _request_reply_document(
        tmp_path,
        "{type: object, required: [kind],"
        " properties: {kind: {enum: [build, test]}, priority: {type: integer}}}",
        {
            "Result": "{type: object, additionalProperties: false, required: [priority],"
            " properties: {priority: {type: integer}, ok: {type: boolean}}}"
        },
    )
    (job,) = generator.check(spec, [{"kind": "deploy", "priority": 1}]).events
    assert (job.message, job.closest, [e.pointer for e in job.errors]) == (None, "Request", ["/kind"])


def test_replies_are_asked_whether_their_rules_hold_or_fail_only_on_an_empty_array(tmp_path: Path) -> None:
    """`Cleared`'s rules hold for a basket of no items (and it meets more of them), and `Basket`'s fail only
    on its first item: it is valid as `Basket`, and passes as it. An event that has only a reply's member in
    common with the messages is told what is wrong with it as that reply, not that it has nothing in
    common."""
    request = "{type: object, required: [orderId], properties: {orderId: {type: string}}}"
    baskets = _request_reply_document(
        tmp_path,
        request,
        {
            "Cleared": "{type: object, required: [items, total], properties: {items: {type: 'null'}}}",
            "Basket": "{type: object, required: [items], properties: {items: {type: array, items:"
            " {type: object, required: [sku]}}, total: {type: number}}}",
        },
    )
    (basket,) = generator.check(baskets, [{"items": [], "total": 3}]).events
    assert (basket.message, basket.valid) == ("Basket", True)
    (folder := tmp_path / "pong").mkdir()
    pongs = _request_reply_document(
        folder, request, {"Pong": "{required: [id], properties: {id: {const: pong}}}"}
    )
    (pong,) = generator.check(pongs, [{"id": True}]).events
    assert (pong.message, pong.closest, [(e.pointer, e.keyword) for e in pong.errors]) == (
        None, "Pong", [("/id", "const")]
    )  # fmt: skip


def test_text_breaking_a_reply_of_text_is_told_so_as_that_reply(tmp_path: Path) -> None:
    """A reply whose payload is a string (litestar's websocket reply): text too long is told so as that
    reply, not that an event must be an object; a number, of no message's type, still is."""
    spec = _request_reply_document(
        tmp_path,
        "{type: object, required: [text], properties: {text: {type: string}}}",
        {"Reply": "{type: string, maxLength: 3}"},
    )
    events = tmp_path / "events.jsonl"
    events.write_text('"hello"\n42\n"hi"\n')
    long, number, short = generator.check(spec, [events]).events
    assert (long.message, long.closest, [e.keyword for e in long.errors]) == (None, "Reply", ["maxLength"])
    assert (number.message, number.closest, [e.keyword for e in number.errors]) == (None, None, ["type"])
    assert (short.message, short.valid) == ("Reply", True)


def test_an_empty_array_is_checked_against_the_message_whose_items_it_lacks_after_a_stricter_match(
    tmp_path: Path,
) -> None:
    """`OrderCancelled` (an `orderId`, nothing else) matches an order of no items by its rules, and refuses
    it (`items` is not allowed there); `Order`, whose rules read `/items/0/productId`, is then asked, and
    takes it. An array of arrays whose inner array is empty is settled alike."""
    item = {"type": "object", "required": ["productId"], "properties": {"productId": {"type": "string"}}}
    cancelled = {
        "type": "object",
        "required": ["orderId"],
        "properties": {"orderId": {"type": "string"}},
        "additionalProperties": False,
    }
    order = {
        "type": "object",
        "required": ["orderId", "items"],
        "properties": {"orderId": {"type": "string"}, "items": {"type": "array", "items": item}},
    }
    matrix = {"type": "array", "items": {"type": "array", "items": item}}
    path = messages_document(tmp_path, {"OrderCancelled": cancelled, "Order": order, "Matrix": matrix})
    order, matrix = generator.check(path, [{"orderId": "a", "items": []}, [[]]]).events
    assert (order.message, order.valid) == ("Order", True)
    assert (matrix.message, matrix.valid) == ("Matrix", True)


def test_a_payload_of_no_type_is_meant_for_objects(tmp_path: Path) -> None:
    """A payload schema without `type` (common in AsyncAPI documents) accepts 42 by JSON Schema's letter;
    recognition, like the generated router, takes it as meant for objects."""
    payload = {"required": ["id"], "properties": {"id": {"type": "string"}}}
    path = one_message_document(tmp_path, payload)
    results = generator.check(path, [42, None, [1], {"id": "a"}]).events
    assert [(r.message, r.valid) for r in results] == [(None, False)] * 3 + [("M", True)]
    assert results[0].errors[0].message == "expected an event (a JSON object), got integer"


def test_values_nested_too_deep_are_a_violation_on_every_path(tmp_path: Path) -> None:
    """A value nested 300 deep, where recognition only guesses (an empty array beside it, an array event)
    or where a reply is asked: a violation at its source, never an internal error."""
    item = {"type": "object", "required": ["sku"]}
    order = {
        "type": "object",
        "required": ["orderId", "items"],
        "properties": {"orderId": {"type": "string"}, "items": {"type": "array", "items": item}},
    }
    path = one_message_document(tmp_path, order)
    deep = "[" * 300 + "]" * 300
    events = tmp_path / "deep.jsonl"
    events.write_text(f'{{"orderId":{deep},"items":[]}}\n')
    (result,) = generator.check(path, [events]).events
    assert not result.valid and result.errors


def test_a_reply_of_text_takes_text_no_request_is(tmp_path: Path) -> None:
    """litestar's websocket document: requests are objects or arrays, the reply is a string. A string event
    passes as the reply; an object that is no request is still told what is wrong."""
    spec = tmp_path / "ws.yaml"
    spec.write_text(
        "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\n"
        "channels:\n  events:\n    address: events\n    messages:\n"
        "      text: {payload: {type: object, required: [text], properties: {text: {type: string}}}}\n"
        "  replies:\n    address: replies\n    messages:\n      reply: {payload: {type: string}}\n"
        "operations:\n  listen:\n    action: receive\n    channel: {$ref: '#/channels/events'}\n"
        "    reply: {channel: {$ref: '#/channels/replies'}}\n"
    )
    events = tmp_path / "events.jsonl"
    events.write_text('"hello"\n{"txt": "x"}\n')
    text, other = generator.check(spec, [events]).events
    assert (text.message, text.valid) == ("reply", True)
    assert (other.message, other.valid) == (None, False)


def test_integers_past_64_bits_are_kept_whole_from_every_source(tmp_path: Path) -> None:
    # orjson reads 2**70 + 1 as the float 2**70: within a maximum of 2**70, and told as 1.18e+21
    big = 2**70 + 1
    path = one_message_document(
        tmp_path, {"type": "object", "properties": {"n": {"type": "integer", "maximum": 2**70}}}
    )
    text = f'{{"n": {big}}}'
    (tmp_path / "one.json").write_text(text)
    (tmp_path / "lines.jsonl").write_text(text + "\n")
    (tmp_path / "array.json").write_text(f"[{text}]")
    result = generator.check(path, [tmp_path / "one.json", tmp_path / "lines.jsonl", tmp_path / "array.json"])
    python = generator.check(path, [{"n": big}])
    assert [e.message for e in python.events[0].errors] == [f"expected a number <= {2**70}, got {big}"]
    for event in result.events:
        assert [e.message for e in event.errors] == [e.message for e in python.events[0].errors], event.source
    # and inside a payload decoded from JSON text, on the fast path as on the full check
    (tmp_path / "inner").mkdir()
    inner = one_message_document(
        tmp_path / "inner",
        {
            "type": "object",
            "properties": {
                "body": {
                    "type": "string",
                    "contentMediaType": "application/json",
                    "contentSchema": {
                        "type": "object",
                        "properties": {"n": {"type": "integer", "maximum": 2**70}},
                    },
                }
            },
        },
    )
    (tmp_path / "inner.jsonl").write_text(json.dumps({"body": text}) + "\n")
    for events in ([{"body": text}], [tmp_path / "inner.jsonl"]):
        (found,) = generator.check(inner, events).events
        assert [(e.pointer, e.message) for e in found.errors] == [
            ("/body#/n", python.events[0].errors[0].message)
        ]
