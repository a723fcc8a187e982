"""The generated router: recognition (the checker's table and code), dispatch, replies, errors."""

from __future__ import annotations

import copy
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from test_codegen_support import FIXTURES, handlers_package, import_package, mypy_strict

import generator
from generator.recognize import discriminator_table

LAMBDA = FIXTURES / "lambda-mini.yaml"
SHOP = FIXTURES / "shop-3.0.yaml"
CONTEXT = SimpleNamespace(aws_request_id="req-1")


def _lambda(module: str) -> Any:
    return import_package(handlers_package(LAMBDA), module)


def _example(name: str) -> Any:
    return copy.deepcopy(_lambda("tests.examples").EXAMPLES[name][0][1])


def test_the_router_uses_the_checkers_table_and_recognition_code() -> None:
    package = handlers_package(LAMBDA)
    document = generator.load(LAMBDA)
    routed = [m for op in document.receive_operations() for m in op.messages]
    assert discriminator_table(routed) == _lambda("router").TABLE
    copied = (package / "_recognition.py").read_text(encoding="utf-8")
    original = Path(generator.__file__).parent / "runtime" / "recognition.py"
    assert copied.split("\n", 2)[2] == original.read_text(encoding="utf-8")  # verbatim, under the header


def test_poll_based_handlers_report_the_failed_records(monkeypatch: pytest.MonkeyPatch) -> None:
    router, stub = _lambda("router"), _lambda("handlers.sqs_event")
    event = _example("SQSEvent")
    assert router.handler(event, CONTEXT) == {"batchItemFailures": []}
    failing = event["Records"][1]["messageId"]

    def process(record: Any, context: Any) -> None:
        if record.message_id == failing:
            raise RuntimeError("cannot process")

    monkeypatch.setattr(stub, "handle_sqs_event_record", process)
    assert router.handler(event, CONTEXT) == {"batchItemFailures": [{"itemIdentifier": failing}]}


def test_nested_record_ids_are_reached_through_the_models() -> None:
    stub = (handlers_package(LAMBDA) / "handlers" / "kinesis_event.py").read_text(encoding="utf-8")
    assert "failed.append(record.kinesis.sequence_number)" in stub


def test_synchronous_handlers_return_their_serialised_reply() -> None:
    router = _lambda("router")
    reply = router.handler(_example("APIGatewayProxyEvent"), CONTEXT)
    assert reply == {
        "statusCode": 200,
        "headers": {"Content-Type": "text/plain"},
        "body": "Hello from Lambda",
    }
    cognito = _example("CognitoEvent")
    assert router.handler(cognito, CONTEXT) == cognito  # Cognito's reply is the event itself


def test_the_most_specific_message_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    router = _lambda("router")
    called: list[str] = []
    monkeypatch.setattr(router, "handle_scheduled_event", lambda event, context: called.append("scheduled"))
    monkeypatch.setattr(router, "handle_event_bridge_event", lambda event, context: called.append("bridge"))
    scheduled = _example("ScheduledEvent")
    assert router.recognize(scheduled) == ["ScheduledEvent", "EventBridgeEvent"]
    assert router.handler(scheduled, CONTEXT) is None
    router.handler(_example("EventBridgeEvent"), CONTEXT)
    assert called == ["scheduled", "bridge"]


def test_an_unknown_event_names_the_closest_message_and_what_differs() -> None:
    router = _lambda("router")
    event = _example("CognitoEvent")
    event["triggerSource"] = "CustomMessage_SignUp"
    with pytest.raises(router.UnknownEventError) as error:
        router.handler(event, CONTEXT)
    message = str(error.value)
    assert message.startswith("the event is none of the known messages; the closest is CognitoEvent, but ")
    assert '/triggerSource is "CustomMessage_SignUp", expected one of "PreSignUp_SignUp"' in message


def test_an_event_with_nothing_in_common_names_its_fields_not_a_closest_message() -> None:
    """A Lex event at a function for the twelve triggers: no member any message tests. Naming the first
    message in rank as closest, with its every rule, would send the reader the wrong way."""
    router = _lambda("router")
    lex = {"currentIntent": {"name": "BookHotel"}, "bot": {"name": "BookTrip"}, "userId": "u-1"}
    with pytest.raises(router.UnknownEventError) as error:
        router.handler(lex, CONTEXT)
    assert str(error.value) == (
        "the event is none of the known messages and has nothing in common with them "
        '(its fields are "currentIntent", "bot", "userId")'
    )


def test_generic_router_is_keyed_by_channel_and_message(monkeypatch: pytest.MonkeyPatch) -> None:
    package = handlers_package(SHOP)
    router = import_package(package, "router")
    seen: list[tuple[str, Any]] = []
    monkeypatch.setattr(
        router, "handle_order_event", lambda message, parameters: seen.append((message, parameters))
    )
    event = copy.deepcopy(import_package(package, "tests.examples").EXAMPLES["OrderCancelled"][0][1])
    assert router.handle(event, channel="shop/us/orders") is None
    assert type(seen[0][0]).__name__ == "OrderCancelled" and seen[0][1] == {"region": "us"}
    with pytest.raises(router.RoutingError, match="pass its concrete address"):
        router.handle(event)  # the handler needs the channel's parameters
    with pytest.raises(router.RoutingError, match="no channel has the address"):
        router.handle(event, channel="shop/orders")
    assert router.handle({"sku": "A-1"}, channel="shop/quotes") == {"sku": "A-1", "price": 9.5}
    with pytest.raises(router.UnknownEventError) as error:
        router.handle({"greeting": "hello"})
    assert str(error.value) == (
        "the event is none of the expected messages and has nothing in common with them "
        '(its fields are "greeting")'
    )


def test_a_message_received_twice_is_routed_once_with_a_warning(tmp_path: Path) -> None:
    spec = tmp_path / "twice.yaml"
    spec.write_text(
        "asyncapi: 3.0.0\ninfo: {title: twice, version: '1'}\n"
        "channels: {a: {address: a, messages: {M: {payload: {type: object, required: [k]}}}}}\n"
        "operations:\n  one: {action: receive, channel: {$ref: '#/channels/a'}}\n"
        "  two: {action: receive, channel: {$ref: '#/channels/a'}}\n",
        encoding="utf-8",
    )
    result = generator.generate_handlers(spec, tmp_path / "twice_app")
    assert [p.what for p in result.problems] == [
        "M is also received by one: the router sends it to one's handler only"
    ]
    router = import_package(tmp_path / "twice_app", "router")
    assert list(router.ROUTES) == [("a", "M")]


SHARED = FIXTURES / "shared-address-3.0.yaml"


def test_channels_sharing_an_address_are_all_routed_to() -> None:
    """Several channels at one address (the kraken-websocket example of the AsyncAPI specification): the
    router looked at the first such channel only, so `subscribe` on `/` had no handler."""
    router = import_package(handlers_package(SHARED), "router")
    reply = router.handle({"event": "subscribe", "pair": ["XBT/EUR"]}, channel="/")
    assert reply == {"event": "subscriptionStatus", "channelID": 42}  # the document's example reply
    assert router.handle({"event": "ping"}, channel="/", message="ping") == {"event": "pong"}
    # `pong` is a message of channel `ping` only (handled by test_echo, which replies nothing)
    assert router.handle({"event": "pong"}, channel="/") is None
    with pytest.raises(router.RoutingError, match="no channel has the address"):
        router.handle({"event": "ping"}, channel="/other")


def test_what_cannot_go_into_the_package_as_written_is_warned_about(tmp_path: Path) -> None:
    """A default of the wrong type is left out of the model (mypy would refuse it); an example that does not
    fit its schema is left out of the generated tests (its handler could not parse it); a reply that is one of
    several schemas is cast (`parse` of a type alias returns Any); a handler module is never `test_*.py`."""
    result = generator.generate_handlers(SHARED, tmp_path / "app")
    assert [(p.where, p.what) for p in result.problems] == [
        (
            "components.messages.ping.payload.properties.verbose",
            "default 'false' does not fit its schema: left out of the model",
        ),
        (
            "components.messages.subscribe.examples.1",
            "example 'pair as a string' does not match the payload schema: left out of the generated tests",
        ),
    ]
    examples = import_package(tmp_path / "app", "tests.examples").EXAMPLES
    assert [name for name, _ in examples["subscribe"]] == ["one pair"]
    stub = (tmp_path / "app" / "handlers" / "subscribe.py").read_text()
    # `parse` of a union alias is typed Any, which mypy --strict will not return as the alias (and casting
    # an alias of `str` would be redundant): an annotated variable takes either
    assert "    reply: Status = parse(" in stub and "cast" not in stub
    assert sorted(p.name for p in (tmp_path / "app" / "handlers").glob("*.py")) == [
        "__init__.py",
        "echo.py",
        "handler_test_echo.py",
        "ping.py",
        "subscribe.py",
    ]


def test_a_message_received_by_two_channels_at_one_address_is_not_guessed(tmp_path: Path) -> None:
    spec = tmp_path / "twins.yaml"
    spec.write_text(
        "asyncapi: 3.0.0\ninfo: {title: twins, version: '1'}\n"
        "channels:\n  left: {address: a, messages: {M: {$ref: '#/components/messages/M'}}}\n"
        "  right: {address: a, messages: {M: {$ref: '#/components/messages/M'}}}\n"
        "operations:\n  one: {action: receive, channel: {$ref: '#/channels/left'}}\n"
        "  two: {action: receive, channel: {$ref: '#/channels/right'}}\n"
        "components: {messages: {M: {payload: {type: object, required: [k]}}}}\n",
        encoding="utf-8",
    )
    generator.generate_handlers(spec, tmp_path / "twins_app")
    router = import_package(tmp_path / "twins_app", "router")
    with pytest.raises(router.RoutingError, match=r"several channels at 'a' \(left, right\)"):
        router.handle({"k": 1}, channel="a")
    assert router.ROUTES[("right", "M")]({"k": 1}, {}) is None  # the way round it the error names


def test_an_operation_of_no_message_returns_an_example_reply_not_its_event(tmp_path: Path) -> None:
    """A channel with no messages: the event is typed Any, so returning it as the reply failed mypy
    --strict."""
    spec = tmp_path / "silent.yaml"
    spec.write_text(
        "asyncapi: 3.0.0\ninfo: {title: silent, version: '1'}\n"
        "channels:\n  c: {address: c}\n  r:\n    address: r\n    messages:\n"
        "      pong: {payload: {type: object, properties: {a: {type: string}}},"
        " examples: [{payload: {a: x}}]}\n"
        "operations:\n  op: {action: receive, channel: {$ref: '#/channels/c'},"
        " reply: {channel: {$ref: '#/channels/r'}}}\n"
    )
    out = tmp_path / "silent_app"
    generator.generate_handlers(spec, out)
    stub = (out / "handlers" / "op.py").read_text()
    assert '    return parse({"a": "x"}, Pong)' in stub and "return message" not in stub
    checked = mypy_strict(out)
    assert checked.returncode == 0, checked.stdout


def test_an_event_whose_array_is_empty_is_routed_where_its_schema_allows_one(tmp_path: Path) -> None:
    """An order of no items: the rules read off `items` test its first item, which it lacks, but the schema
    allows none, so the router takes it as the message whose other rules hold, rather than calling it
    unknown, and as `gen check` does, before a refund (more specific, by a constant on its items) whose
    other rules it meets fewer of. A batch of no records, whose schema says `minItems: 1`, is unknown
    still."""
    spec = tmp_path / "orders.yaml"
    spec.write_text(
        "asyncapi: 3.0.0\ninfo: {title: orders, version: '1'}\n"
        "channels:\n  orders:\n    address: orders\n    messages:\n      Order:\n        payload:\n"
        "          type: object\n          required: [orderId, items]\n"
        "          properties:\n            orderId: {type: string}\n"
        "            items: {type: array, items: {type: object, required: [sku]}}\n"
        "      Refund:\n        payload:\n          type: object\n          additionalProperties: false\n"
        "          required: [items]\n          properties:\n"
        "            items: {type: array, items: {required: [kind], properties: {kind: {const: r}}}}\n"
        "      Batch:\n        payload:\n          type: object\n          required: [records]\n"
        "          properties:\n            records:\n              type: array\n              minItems: 1\n"
        "              items: {type: object, required: [id], properties: {id: {const: batch}}}\n"
        "operations:\n  takeOrder: {action: receive, channel: {$ref: '#/channels/orders'}}\n"
    )
    router = import_package(handlers_package(spec), "router")
    # a refund's rules fail on its items too, but an order of no items meets more of the order's
    assert router.recognize({"orderId": "o1", "items": []}) == ["Order", "Refund"]
    assert generator.check(spec, [{"orderId": "o1", "items": []}]).events[0].message == "Order"
    assert router.recognize({"orderId": "o1", "items": [{"sku": "A"}]}) == ["Order"]
    assert router.recognize({"orderId": "o1", "items": [{"name": "A"}]}) == []  # an item, and not an order's
    assert router.recognize({"records": [{"id": "batch"}]}) == ["Batch"]
    assert router.recognize({"records": []}) == []
    with pytest.raises(router.UnknownEventError):
        router.handle({"records": []})
