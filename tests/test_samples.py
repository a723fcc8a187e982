"""`generator.samples` / `invalid_samples` on our own documents (AsyncAPI 2.4, 2.6, 3.0): validity, variety,
determinism, near misses, parameters and overrides, and the errors users get."""

from __future__ import annotations

import base64
import gzip
import json
import os
import re
import subprocess
import sys
import textwrap
import time
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from documents import one_message_document
from jsonschema import Draft7Validator

import generator
from generator.model import Document
from generator.payload_check import PayloadChecker
from generator.problems import Exit, GenError
from generator.resources import bundled_document
from generator.sampling import invalid_samples, message_parameters, samples

FIXTURES = Path(__file__).parent / "fixtures" / "samples"
DOCUMENTS = ["shop-kafka.yaml", "iot-mqtt.yaml", "streetlights.yaml"]
PER_MESSAGE = 150
INVALID_PER_MESSAGE = 40


@cache
def document(name: str) -> Document:
    return generator.load(FIXTURES / name)


@cache
def synthesized(name: str, message: str, seed: int = 7) -> tuple[Any, ...]:
    return tuple(samples(document(name), message, count=PER_MESSAGE, seed=seed, examples=False))


def validator(name: str, message: str) -> Draft7Validator:
    payload = document(name).messages[message].payload
    assert payload is not None
    return Draft7Validator(payload.as_json_schema())


ALL_MESSAGES = [(doc, message) for doc in DOCUMENTS for message in document(doc).messages]


@pytest.mark.parametrize(("doc", "message"), ALL_MESSAGES, ids=[f"{d}:{m}" for d, m in ALL_MESSAGES])
def test_examples_and_synthesized_events_validate(doc: str, message: str) -> None:
    check = validator(doc, message)
    examples = samples(document(doc), message)
    assert len(examples) == sum(e.has_payload for e in document(doc).messages[message].examples)
    events = synthesized(doc, message)
    assert len(events) == PER_MESSAGE
    for event in [*examples, *events]:
        errors = list(check.iter_errors(event))
        assert not errors, (event, errors[0].message)


@pytest.mark.parametrize(("doc", "message"), ALL_MESSAGES, ids=[f"{d}:{m}" for d, m in ALL_MESSAGES])
def test_every_near_miss_breaks_exactly_the_named_rule(doc: str, message: str) -> None:
    checker = PayloadChecker(document(doc).messages[message].payload)  # type: ignore[arg-type]
    found = invalid_samples(document(doc), message, count=INVALID_PER_MESSAGE, seed=3)
    assert found, "every payload schema here has rules to break"
    for sample in found:
        errors = list(checker.plain.iter_errors(sample.event))
        assert len(errors) == 1, (sample.broken, [e.message for e in errors])
        error = errors[0]
        assert error.validator == sample.broken.keyword
        assert [str(p) for p in error.absolute_path] == [
            p.replace("~1", "/").replace("~0", "~") for p in sample.broken.pointer.split("/")[1:]
        ]
        assert sample.broken.message == error.message
    assert len({json.dumps(s.event, sort_keys=True) for s in found}) == len(found), "near misses are distinct"


def test_near_misses_cover_the_rule_kinds_the_issue_names() -> None:
    kinds = Counter(
        s.broken.keyword for s in invalid_samples(document("shop-kafka.yaml"), "OrderCancelled", count=60)
    )
    assert {"required", "type", "enum", "additionalProperties"} <= set(kinds)
    kinds = Counter(
        s.broken.keyword for s in invalid_samples(document("shop-kafka.yaml"), "OrderPlaced", count=80)
    )
    assert {"required", "type", "enum", "pattern", "minimum", "maxItems", "uniqueItems", "oneOf"} <= set(
        kinds
    )


def test_near_miss_explains_where_and_what() -> None:
    found = invalid_samples(document("shop-kafka.yaml"), "OrderCancelled", count=60, seed=1)
    required = next(s for s in found if s.broken.keyword == "required")
    assert required.broken.schema == "components.messages.OrderCancelled.payload.required"
    assert required.broken.change.startswith("removed the required property")
    extra = next(s for s in found if s.broken.keyword == "additionalProperties")
    assert "unexpected" in extra.event
    assert str(extra.broken).startswith("additionalProperties at /: ")
    # A rule inside a named schema is placed there, not where the reference was made.
    lines = invalid_samples(document("shop-kafka.yaml"), "OrderPlaced", count=80, seed=1)
    quantity = next(
        s for s in lines if s.broken.pointer.endswith("/quantity") and s.broken.keyword == "maximum"
    )
    assert quantity.broken.schema == "components.schemas.OrderLine.properties.quantity.maximum"


def test_variety_optional_fields_enums_branches_and_lengths() -> None:
    events = synthesized("shop-kafka.yaml", "OrderPlaced")
    for optional in ("currency", "note", "links", "tags"):
        present = sum(optional in e for e in events)
        assert 0 < present < len(events), f"{optional} present in {present} of {len(events)}"
    assert {e["status"] for e in events} == {"placed", "paid", "shipped"}
    assert {e["payment"]["method"] for e in events} == {"card", "paypal", "bank-transfer"}
    assert len({len(e["lines"]) for e in events}) >= 3
    assert all(1 <= len(e["lines"]) <= 5 for e in events)
    assert len({json.dumps(e, sort_keys=True) for e in events}) == len(events), "distinct events"


def test_realistic_values_from_formats_patterns_examples_and_defaults() -> None:
    events = synthesized("shop-kafka.yaml", "OrderPlaced")
    checker = Draft7Validator(
        document("shop-kafka.yaml").messages["OrderPlaced"].payload.as_json_schema(),  # type: ignore[union-attr]
        format_checker=Draft7Validator.FORMAT_CHECKER,
    )
    assert all(checker.is_valid(e) for e in events), "formats (email, uuid, ipv4, date-time) hold too"
    years = {int(e["placedAt"][:4]) for e in events}
    assert min(years) >= 2015 and max(years) <= 2030, years
    order_ids = Counter(e["orderId"] for e in events)
    assert order_ids["ord-0001"] + order_ids["ord-0042"] >= len(events) // 5, "examples are preferred often"
    assert sum(e["status"] == "placed" for e in events) > len(events) // 4, "the default too"
    for event in events:
        assert event["lines"][0]["sku"].startswith("SKU-")
        assert all(ch.isprintable() for ch in event.get("note", "")), "no control characters in plain text"
        assert set(event["customer"]) <= {"id", "email", "website", "ip"}, "no undeclared random keys"


def test_examples_of_arrays_and_objects_do_not_stop_synthesis(tmp_path: Path) -> None:
    """Schemathesis cannot draw "none of these" for arrays or objects, so their examples are not preferred
    (before, every event of the AsyncAPI specification's rpc-client example failed to synthesize)."""
    path = tmp_path / "rpc.yaml"
    path.write_text(
        "asyncapi: 3.0.0\ninfo: {title: RPC, version: '1'}\nchannels:\n  rpc:\n    messages:\n"
        "      requestSum:\n        payload:\n          type: object\n          properties:\n"
        "            numbers: {type: array, items: {type: number}, examples: [[4, 3]]}\n"
        "            options: {type: object, examples: [{fast: true}]}\n"
        "            mode: {type: string, examples: [sum]}\n"
    )
    events = samples(path, "requestSum", count=30, seed=2, examples=False)
    assert len(events) == 30
    assert sum(e.get("mode") == "sum" for e in events) >= 3, "scalar examples are still preferred"


def test_a_member_required_but_not_described_is_drawn(tmp_path: Path) -> None:
    """Objects are closed to the members they declare: one only `required` (Solace's `required: [orderID]`
    beside `properties: {orderId}`) is declared too, where closing without it left no value to draw."""
    payload = {
        "type": "object",
        "required": ["requestId", "orderID"],
        "properties": {"requestId": {"type": "number"}, "orderId": {"type": "number"}},
    }
    events = samples(one_message_document(tmp_path, payload), "M", count=10, examples=False)
    assert len(events) == 10 and all({"requestId", "orderID"} <= set(event) for event in events)
    assert all(set(event) <= {"requestId", "orderID", "orderId"} for event in events), "still closed"


def test_a_schema_of_members_without_a_type_draws_objects(tmp_path: Path) -> None:
    """`required` and `properties` with no `type` (Ballerina's trigger documents) admit `null` and strings
    too, which no event is: objects are drawn."""
    payload = {
        "additionalProperties": True,
        "required": ["to"],
        "properties": {"to": {"type": "string"}, "attachments": {"items": {"required": ["name"]}}},
    }
    events = samples(one_message_document(tmp_path, payload), "M", count=20, examples=False)
    assert all(isinstance(event, dict) and "to" in event for event in events)
    assert all(isinstance(item, dict) for event in events for item in event.get("attachments", []))


def test_an_ecma_pattern_python_cannot_read_gives_examples_and_refuses_to_draw(tmp_path: Path) -> None:
    """`\\p{L}` (a letter) is ECMA-262, read by gen check (jsonschema-rs) and refused by Python's `re`, which
    drawing and the near misses' checks use: the run ended with an internal error. Examples are still given;
    drawing says why it cannot, in one line; the docs build without a sample."""
    path = tmp_path / "names.yaml"
    path.write_text(
        "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nchannels:\n  c:\n    messages:\n      M:\n"
        "        payload: {type: object, properties: {n: {type: string, pattern: '^\\p{L}+$'}}}\n"
        "        examples: [{payload: {n: abc}}]\n"
    )
    assert samples(path, "M") == [{"n": "abc"}]
    for make in (samples, invalid_samples):
        with pytest.raises(GenError) as refused:
            make(path, "M", count=1)
        assert "pattern '^\\\\p{L}+$' is ECMA-262 that Python's re cannot read" in str(refused.value)
    generator.build_docs(path, tmp_path / "site")  # no exception: the page says no sample is available


def test_primitive_and_array_payloads() -> None:
    temperatures = synthesized("iot-mqtt.yaml", "Temperature")
    assert all(isinstance(t, int | float) and -40 <= t <= 85 for t in temperatures)
    assert samples(document("iot-mqtt.yaml"), "DoorOpen", count=5, examples=False) in (
        [False, True, False, True, False],
        [True, False, True, False, True],
    ), "a schema with fewer values than asked for repeats them, in order"
    modes = samples(document("iot-mqtt.yaml"), "Mode", count=40, examples=False)
    assert set(modes) == {"auto", "manual", "off", "holiday mode"}
    batches = synthesized("iot-mqtt.yaml", "ReadingBatch")
    assert any(r["value"] is None for b in batches for r in b) and any(
        r["value"] is not None for b in batches for r in b
    )
    assert all(isinstance(r["at"], int) for b in batches for r in b), "integers are never drawn as 1.0"


def test_recursive_schema_terminates_and_nests() -> None:
    started = time.perf_counter()
    trees = synthesized("shop-kafka.yaml", "CategoryTreeChanged")
    assert time.perf_counter() - started < 30

    def depth(node: dict[str, Any]) -> int:
        return 1 + max((depth(c) for c in node.get("children", [])), default=0)

    depths = {depth(t) for t in trees}
    assert max(depths) >= 2, "recursion is explored"
    assert max(depths) <= 4, "and bounded"


def test_large_and_mutually_recursive_schema_terminates_quickly(tmp_path: Path) -> None:
    properties = {f"field{n}": {"$ref": f"#/components/schemas/Leaf{n % 7}"} for n in range(300)}
    schemas: dict[str, Any] = {f"Leaf{n}": {"type": "string", "maxLength": 5 + n} for n in range(7)}
    schemas["Big"] = {
        "type": "object",
        "required": ["field0", "node"],
        "properties": {**properties, "node": {"$ref": "#/components/schemas/A"}},
    }
    schemas["A"] = {
        "type": "object",
        "properties": {"b": {"$ref": "#/components/schemas/B"}, "name": {"type": "string"}},
    }
    schemas["B"] = {
        "type": "object",
        "properties": {
            "a": {"$ref": "#/components/schemas/A"},
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/A"}},
        },
    }
    spec = {
        "asyncapi": "3.0.0",
        "info": {"title": "big", "version": "1"},
        "channels": {
            "c": {"address": "c", "messages": {"Big": {"payload": {"$ref": "#/components/schemas/Big"}}}}
        },
        "components": {"schemas": schemas},
    }
    path = tmp_path / "big.json"
    path.write_text(json.dumps(spec))
    started = time.perf_counter()
    events = samples(path, "Big", count=30, seed=1, examples=False)
    assert time.perf_counter() - started < 30
    check = validator_for(path, "Big")
    assert len(events) == 30 and all(check.is_valid(e) for e in events)


def validator_for(path: Path, message: str) -> Draft7Validator:
    payload = generator.load(path).messages[message].payload
    assert payload is not None
    return Draft7Validator(payload.as_json_schema())


def test_same_seed_same_events_other_seed_other_events() -> None:
    first = samples(document("shop-kafka.yaml"), "OrderPlaced", count=20, seed=11, examples=False)
    again = samples(FIXTURES / "shop-kafka.yaml", "OrderPlaced", count=20, seed=11, examples=False)
    other = samples(document("shop-kafka.yaml"), "OrderPlaced", count=20, seed=12, examples=False)
    assert first == again
    assert first != other


def test_same_seed_same_events_in_other_processes() -> None:
    """Hash randomization and the modules a process happens to import must not change the events."""
    script = textwrap.dedent(
        f"""
        import json, generator
        from generator.sampling import samples, invalid_samples
        spec = {str(FIXTURES / "shop-kafka.yaml")!r}
        events = samples(spec, "OrderPlaced", count=15, seed=5, examples=False)
        bad = invalid_samples(spec, "OrderPlaced", count=10, seed=5)
        print(json.dumps([events, [[s.event, s.broken.as_json()] for s in bad]], sort_keys=True))
        """
    )
    outputs = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(Path(__file__).parents[1])}
        run = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
        )
        outputs.add(run.stdout)
    events = samples(document("shop-kafka.yaml"), "OrderPlaced", count=15, seed=5, examples=False)
    bad = invalid_samples(document("shop-kafka.yaml"), "OrderPlaced", count=10, seed=5)
    here = json.dumps([events, [[s.event, s.broken.as_json()] for s in bad]], sort_keys=True) + "\n"
    assert outputs == {here}


def test_parameters_fill_templates_and_transforms() -> None:
    [event] = samples(
        document("shop-kafka.yaml"),
        "OrderPlaced",
        parameters={"order-id": "ord-7777", "note": "ring twice & wait", "quantity": "3"},
    )
    assert event["orderId"] == "ord-7777"
    assert event["links"]["self"] == "https://shop.example/orders/ord-7777"
    assert event["links"]["tracking"] == "https://track.example/?order=ord-7777"
    assert event["links"]["noteParam"] == "ring%20twice%20%26%20wait"
    assert event["lines"][0]["quantity"] == 3, "the json transform gives a number"
    # Only the first example is the base once parameters are given; --example picks another.
    [paypal] = samples(
        document("shop-kafka.yaml"), "OrderPlaced", parameters={"order-id": "ord-1"}, example="paypal"
    )
    assert paypal["payment"]["method"] == "paypal" and paypal["orderId"] == "ord-1"
    [second] = samples(document("shop-kafka.yaml"), "OrderPlaced", example="2")
    assert second["payment"]["method"] == "paypal" and second["orderId"] == "ord-0002"


def test_parameters_apply_to_synthesized_events_too() -> None:
    events = samples(
        document("shop-kafka.yaml"), "OrderPlaced", count=25, seed=2, parameters={"order-id": "ord-4242"}
    )
    assert len(events) == 26
    assert all(e["orderId"] == "ord-4242" and e["links"]["self"].endswith("/ord-4242") for e in events)


def test_overrides_set_fields_and_are_checked() -> None:
    [event] = samples(
        document("streetlights.yaml"),
        "lightMeasured",
        overrides={"/lumens": 900, "/sentAt": "2024-02-02T02:02:02Z"},
    )
    assert event == {"lumens": 900, "sentAt": "2024-02-02T02:02:02Z"}
    with pytest.raises(GenError) as raised:
        samples(document("streetlights.yaml"), "lightMeasured", overrides={"/lumens": -1})
    assert raised.value.exit_code == Exit.ERROR
    assert "/lumens: -1 is less than the minimum of 0" in str(raised.value)
    assert "streetlights.yaml" in str(raised.value)


def test_unknown_message_parameter_and_example_are_usage_errors() -> None:
    for call in (
        lambda: samples(document("shop-kafka.yaml"), "Nope"),
        lambda: samples(document("shop-kafka.yaml"), "OrderPlaced", parameters={"colour": "red"}),
        lambda: samples(document("shop-kafka.yaml"), "OrderPlaced", example="cash"),
        lambda: samples(document("shop-kafka.yaml"), "OrderPlaced", overrides={"no-slash": 1}),
    ):
        with pytest.raises(GenError) as raised:
            call()
        assert raised.value.exit_code == Exit.ERROR
        assert len(str(raised.value).splitlines()) == 1
    with pytest.raises(GenError, match=r"known: --order-id, --customer-email, --note, --quantity"):
        samples(document("shop-kafka.yaml"), "OrderPlaced", parameters={"colour": "red"})


def test_malformed_parameter_extension_is_a_document_error(tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(
        textwrap.dedent(
            """\
            asyncapi: 3.0.0
            info: {title: t, version: '1'}
            channels:
              c:
                address: c
                messages:
                  M:
                    payload: {type: object}
                    examples: [{payload: {}}]
                    x-sample-parameters:
                      name:
                        set:
                          - pointer: /a
                            template: '{name}-{other}'
                          - pointer: b
                          - pointer: /c
                            transform: rot13
            """
        )
    )
    with pytest.raises(GenError) as raised:
        samples(spec, "M")
    assert raised.value.exit_code == Exit.FAILED
    text = str(raised.value)
    assert f"{spec}:17:" in text and "unknown transform 'rot13'" in text
    assert "must start with '/'" in text


def test_a_parameter_extension_a_trait_brings_is_placed_in_the_trait(tmp_path: Path) -> None:
    spec = tmp_path / "trait.yaml"
    spec.write_text(
        "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nchannels:\n  c:\n    messages:\n      M:\n"
        "        payload: {type: object}\n        examples: [{payload: {}}]\n"
        "        traits: [{$ref: '#/components/messageTraits/T'}]\n"
        "components:\n  messageTraits:\n    T:\n      x-sample-parameters:\n"
        "        name: {set: [{pointer: /c, transform: rot13}]}\n"
    )
    with pytest.raises(GenError) as raised:
        samples(spec, "M")
    assert str(raised.value).startswith(
        f"{spec}:14:47: error: components.messageTraits.T.x-sample-parameters.name.set.0.transform: "
        "unknown transform 'rot13'"
    )
    # a trait in another file: placed there by a pointer to its end, as every place in another file is
    (tmp_path / "traits.yaml").write_text(
        "T:\n  x-sample-parameters:\n    name: {set: [{pointer: /c, transform: rot13}]}\n"
    )
    spec.write_text(
        spec.read_text().split("components:")[0].replace("#/components/messageTraits/T", "traits.yaml#/T")
    )
    with pytest.raises(GenError) as raised:
        samples(spec, "M")
    assert "traits.yaml#/T/x-sample-parameters/name/set/0/transform: unknown transform 'rot13'" in str(
        raised.value
    )


def test_encoded_content_is_really_encoded() -> None:
    spec = Path(__file__).parent / "fixtures" / "check" / "mini-lambda.yaml"
    for event in samples(spec, "CloudWatchLogsEvent", count=15, seed=4, examples=False):
        inner = json.loads(gzip.decompress(base64.b64decode(event["awslogs"]["data"], validate=True)))
        assert {"messageType", "owner", "logGroup", "logStream", "logEvents"} <= set(inner)
    for event in samples(spec, "SQSEvent", count=15, seed=4, examples=False):
        for record in event["Records"]:
            body = json.loads(record["body"])
            assert isinstance(body["orderId"], str) and body["amount"] >= 0
    for event in samples(spec, "KinesisEvent", count=15, seed=4, examples=False):
        for record in event["Records"]:
            base64.b64decode(record["kinesis"]["data"], validate=True)


def test_invalid_document_example_is_reported_with_its_place() -> None:
    spec = Path(__file__).parent / "fixtures" / "check" / "mini-lambda.yaml"
    with pytest.raises(GenError) as raised:
        samples(spec, "S3Event")
    assert raised.value.exit_code == Exit.FAILED
    assert "mini-lambda.yaml:65:" in str(raised.value)
    assert "example 'wrong-size' does not match" in str(raised.value)
    assert len(samples(spec, "S3Event", example="put")) == 1


def test_message_parameters_lists_the_extension() -> None:
    parameters = message_parameters(document("shop-kafka.yaml"), "OrderPlaced")
    assert list(parameters) == ["order-id", "customer-email", "note", "quantity"]
    assert parameters["order-id"].default == "ord-0001"
    assert [a.pointer for a in parameters["order-id"].assignments] == [
        "/orderId",
        "/links/self",
        "/links/tracking",
    ]


def test_public_api_table_exposes_samples() -> None:
    assert generator.samples is samples


def test_synthesized_values_read_like_the_examples_at_their_place() -> None:
    """Plain strings take the example values seen at their place, or strings shaped like them."""
    from generator.sampling.prepare import values_by_place

    doc = generator.load(bundled_document())
    seen = values_by_place([e.payload for e in doc.messages["SQSEvent"].examples if e.has_payload])
    events = samples(doc, "SQSEvent", count=30, seed=4, examples=False)
    records = [r for e in events for r in e["Records"]]
    assert all(r["eventSourceARN"].startswith("arn:aws:sqs:") for r in records)
    assert all(re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", r["messageId"]) for r in records)
    regions = {r["awsRegion"] for r in records}
    assert regions & set(seen[("Records", "*", "awsRegion")]), "example values are drawn"
    assert len({r["messageId"] for r in records}) >= 20, "and still vary"
