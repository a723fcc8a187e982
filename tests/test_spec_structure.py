"""`generator.spec.check_structure`: AsyncAPI documents checked against the spec's object models."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.spec import StructureIssue, check_structure

EXAMPLES = Path(__file__).parent / "fixtures" / "spec_examples"

INFO = {"title": "Orders", "version": "1.0.0"}

MINIMAL_20: dict[str, Any] = {"asyncapi": "2.0.0", "info": INFO, "channels": {}}
MINIMAL_26: dict[str, Any] = {"asyncapi": "2.6.0", "info": INFO, "channels": {}}
MINIMAL_30: dict[str, Any] = {"asyncapi": "3.0.0", "info": INFO}

RICH_20: dict[str, Any] = {
    "asyncapi": "2.0.0",
    "id": "urn:example:orders",
    "x-owner": "team-a",
    "info": {
        **INFO,
        "description": "Orders API",
        "termsOfService": "https://example.com/terms",
        "contact": {"name": "Team", "url": "https://example.com", "email": "a@example.com"},
        "license": {"name": "MIT", "url": "https://opensource.org/licenses/MIT"},
        "x-audience": ["internal"],
    },
    "servers": {
        "prod": {
            "url": "{host}:{port}",
            "protocol": "kafka",
            "protocolVersion": "3.5",
            "description": "Production",
            "variables": {"host": {"default": "kafka"}, "port": {"enum": ["9092"], "default": "9092"}},
            "security": [{"sasl": []}, {"oauth": ["orders:read"]}],
            "bindings": {"kafka": {"schemaRegistryUrl": "https://registry"}},
        }
    },
    "defaultContentType": "application/json",
    "channels": {
        "orders/{orderId}": {
            "description": "Order events",
            "parameters": {
                "orderId": {
                    "description": "Id",
                    "schema": {"type": "string"},
                    "location": "$message.payload#/id",
                },
            },
            "subscribe": {
                "operationId": "onOrder",
                "summary": "Order placed",
                "tags": [{"name": "orders", "externalDocs": {"url": "https://example.com"}}],
                "bindings": {"kafka": {"groupId": {"type": "string"}}},
                "traits": [{"$ref": "#/components/operationTraits/kafka"}, {"description": "inline"}],
                "message": {
                    "oneOf": [
                        {"$ref": "#/components/messages/orderPlaced"},
                        {
                            "headers": {"type": "object"},
                            "payload": True,
                            "correlationId": {"location": "$message.header#/cid"},
                            # 2.0 examples are free-form maps.
                            "examples": [{"id": 1}, {"headers": {"cid": "1"}}],
                            "x-internal": True,
                        },
                    ]
                },
            },
            "publish": {"message": {"$ref": "#/components/messages/orderPlaced"}},
            "bindings": {"amqp": {"is": "queue"}},
        },
        "shared": {"$ref": "shared.yaml#/channels/shared"},
    },
    "components": {
        "schemas": {"Order": {"type": "object"}, "Anything": True, "Ref": {"$ref": "other.yaml#/Order"}},
        "messages": {
            "orderPlaced": {
                "name": "orderPlaced",
                "title": "Order placed",
                "contentType": "application/json",
                "payload": {"$ref": "#/components/schemas/Order"},
                "traits": [{"$ref": "#/components/messageTraits/common"}],
                "bindings": {"kafka": {"key": {"type": "string"}}},
                "externalDocs": {"url": "https://example.com"},
            }
        },
        "securitySchemes": {
            "sasl": {"type": "scramSha256"},
            "oauth": {
                "type": "oauth2",
                "flows": {
                    "clientCredentials": {"tokenUrl": "https://auth/token", "scopes": {"orders:read": "read"}}
                },
            },
        },
        "parameters": {"orderId": {"schema": {"type": "string"}}},
        "correlationIds": {"default": {"description": "id", "location": "$message.header#/cid"}},
        "operationTraits": {"kafka": {"bindings": {"kafka": {"clientId": "orders"}}}},
        "messageTraits": {"common": {"headers": {"type": "object"}, "schemaFormat": "application/json"}},
        "serverBindings": {"kafka": {"kafka": {}}},
        "channelBindings": {"kafka": {"kafka": {}}},
        "operationBindings": {"kafka": {"kafka": {}}},
        "messageBindings": {"kafka": {"kafka": {}}},
        "x-extra": {"anything": 1},
    },
    "tags": [{"name": "orders", "description": "Orders"}],
    "externalDocs": {"description": "More", "url": "https://example.com"},
}

RICH_26: dict[str, Any] = {
    **copy.deepcopy(RICH_20),
    "asyncapi": "2.6.0",
    "servers": {
        "prod": {
            "url": "kafka:9092",
            "protocol": "kafka",
            "tags": [{"name": "env:prod"}],
            "variables": {"port": {"$ref": "#/components/serverVariables/port"}},
            "bindings": {"$ref": "#/components/serverBindings/kafka"},
        },
        "shared": {"$ref": "#/components/servers/shared"},
    },
    "channels": {
        "orders": {
            "servers": ["prod"],
            "parameters": {"orderId": {"$ref": "#/components/parameters/orderId"}},
            "publish": {
                "operationId": "placeOrder",
                "security": [{"oauth": ["orders:write"]}],
                "bindings": {"$ref": "#/components/operationBindings/kafka"},
                "message": {
                    "messageId": "orderPlaced",
                    "schemaFormat": "application/vnd.google.protobuf;version=3",
                    "payload": "message Order { string id = 1; }",
                    "examples": [{"name": "one", "summary": "An order", "payload": "raw", "x-note": 1}],
                },
            },
            "bindings": {"$ref": "#/components/channelBindings/kafka"},
        }
    },
    "components": {
        **copy.deepcopy(RICH_20["components"]),
        "servers": {"shared": {"url": "shared:9092", "protocol": "kafka"}},
        "serverVariables": {"port": {"default": "9092", "examples": ["9092"]}},
        # Channels in 2.x components are keyed by channel name, slashes included.
        "channels": {"user/signedup": {"subscribe": {"message": {"payload": {"type": "object"}}}}},
        "securitySchemes": {
            "sasl": {"type": "scramSha256"},
            "oauth": {"$ref": "shared.yaml#/oauth"},
            "key": {"type": "httpApiKey", "name": "X-Key", "in": "header"},
            "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://auth/.well-known"},
        },
    },
}

RICH_30: dict[str, Any] = {
    "asyncapi": "3.0.0",
    "id": "urn:example:orders",
    "x-owner": "team-a",
    "info": {
        **INFO,
        "contact": {"name": "Team"},
        "license": {"name": "MIT"},
        "tags": [{"name": "orders"}, {"$ref": "#/components/tags/shared"}],
        "externalDocs": {"$ref": "#/components/externalDocs/wiki"},
    },
    "servers": {
        "prod": {
            "host": "{cluster}.example.com:9092",
            "protocol": "kafka",
            "protocolVersion": "3.5",
            "pathname": "/v1",
            "title": "Production",
            "summary": "Prod",
            "description": "Production cluster",
            "variables": {"cluster": {"$ref": "#/components/serverVariables/cluster"}},
            "security": [
                {"$ref": "#/components/securitySchemes/sasl"},
                {
                    "type": "oauth2",
                    "flows": {"implicit": {"authorizationUrl": "https://a", "availableScopes": {}}},
                    "scopes": [],
                },
            ],
            "tags": [{"name": "env:prod", "externalDocs": {"url": "https://example.com"}}],
            "externalDocs": {"url": "https://example.com"},
            "bindings": {"kafka": {"schemaRegistryUrl": "https://registry"}},
            "x-region": "eu",
        },
        "shared": {"$ref": "#/components/servers/shared"},
    },
    "defaultContentType": "application/json",
    "channels": {
        "orders": {
            "address": "orders.{orderId}",
            "title": "Orders",
            "summary": "Orders",
            "description": "Order events",
            "servers": [{"$ref": "#/servers/prod"}],
            "parameters": {
                "orderId": {
                    "enum": ["a", "b"],
                    "default": "a",
                    "description": "Id",
                    "examples": ["a"],
                    "location": "$message.payload#/id",
                },
            },
            "messages": {
                "placed": {
                    "name": "OrderPlaced",
                    "title": "Order placed",
                    "summary": "An order was placed",
                    "description": "Details",
                    "contentType": "application/json",
                    "headers": {"type": "object", "properties": {"cid": {"type": "string"}}},
                    "payload": {"$ref": "#/components/schemas/Order"},
                    "correlationId": {"$ref": "#/components/correlationIds/default"},
                    "tags": [{"name": "orders"}],
                    "externalDocs": {"url": "https://example.com"},
                    "bindings": {"kafka": {"key": {"type": "string"}}},
                    "examples": [
                        {"name": "one", "summary": "One", "headers": {"cid": "1"}, "payload": {"id": "1"}}
                    ],
                    "traits": [
                        {"$ref": "#/components/messageTraits/common"},
                        {"contentType": "application/json"},
                    ],
                },
                "avro": {
                    "payload": {
                        "schemaFormat": "application/vnd.apache.avro;version=1.9.0",
                        "schema": "string",
                    },
                },
                "shared": {"$ref": "#/components/messages/shared"},
            },
            "tags": [{"$ref": "#/components/tags/shared"}],
            "externalDocs": {"$ref": "#/components/externalDocs/wiki"},
            "bindings": {"$ref": "#/components/channelBindings/kafka"},
        },
        "replies": {"address": None, "messages": {"done": {"payload": False}}},
        "shared": {"$ref": "#/components/channels/shared"},
    },
    "operations": {
        "placeOrder": {
            "action": "send",
            "channel": {"$ref": "#/channels/orders"},
            "title": "Place",
            "summary": "Place an order",
            "description": "Places",
            "security": [{"$ref": "#/components/securitySchemes/sasl"}],
            "tags": [{"name": "orders"}],
            "externalDocs": {"url": "https://example.com"},
            "bindings": {"kafka": {"clientId": {"type": "string"}}},
            "traits": [{"$ref": "#/components/operationTraits/kafka"}, {"summary": "inline trait"}],
            "messages": [{"$ref": "#/channels/orders/messages/placed"}],
            "reply": {
                "address": {"description": "Inbox", "location": "$message.header#/replyTo"},
                "channel": {"$ref": "#/channels/replies"},
                "messages": [{"$ref": "#/channels/replies/messages/done"}],
            },
            "x-lambda-invocation": {"type": "asynchronous"},
        },
        "onReply": {
            "action": "receive",
            "channel": {"$ref": "#/channels/replies"},
            "reply": {"$ref": "#/components/replies/ack"},
        },
        "shared": {"$ref": "#/components/operations/shared"},
    },
    "components": {
        "schemas": {
            "Order": {"type": "object", "properties": {"id": {"type": "string"}}},
            "Anything": True,
            "Avro": {
                "schemaFormat": "application/vnd.apache.avro+json;version=1.9.0",
                "schema": {"type": "record"},
            },
            "Ref": {"$ref": "other.yaml#/Order"},
        },
        "servers": {"shared": {"host": "shared:9092", "protocol": "kafka"}},
        "channels": {
            "shared": {"address": "shared", "messages": {"m": {"$ref": "#/components/messages/shared"}}}
        },
        "operations": {"shared": {"action": "receive", "channel": {"$ref": "#/components/channels/shared"}}},
        "messages": {"shared": {"payload": {"type": "string"}}},
        "securitySchemes": {
            "sasl": {"type": "scramSha512", "description": "SASL"},
            "user": {"type": "userPassword"},
            "key": {"type": "apiKey", "in": "password"},
            "cert": {"type": "X509"},
            "oauth": {
                "type": "oauth2",
                "flows": {
                    "password": {"tokenUrl": "https://t", "availableScopes": {"a": "A"}},
                    "authorizationCode": {
                        "authorizationUrl": "https://a",
                        "tokenUrl": "https://t",
                        "refreshUrl": "https://r",
                        "availableScopes": {},
                    },
                },
                "scopes": ["a"],
            },
        },
        "serverVariables": {"cluster": {"enum": ["a", "b"], "default": "a"}},
        "parameters": {"orderId": {"description": "Id"}},
        "correlationIds": {"default": {"location": "$message.header#/cid"}},
        "replies": {"ack": {"channel": {"$ref": "#/channels/replies"}}},
        "replyAddresses": {"inbox": {"location": "$message.header#/replyTo"}},
        "externalDocs": {"wiki": {"url": "https://wiki.example.com"}},
        "tags": {"shared": {"name": "shared", "description": "Shared"}},
        "operationTraits": {"kafka": {"bindings": {"kafka": {"groupId": {"type": "string"}}}}},
        "messageTraits": {"common": {"headers": {"type": "object"}, "examples": [{"payload": 1}]}},
        "serverBindings": {"kafka": {"kafka": {}}},
        "channelBindings": {"kafka": {"kafka": {"partitions": 3}}},
        "operationBindings": {"kafka": {"kafka": {}}},
        "messageBindings": {"kafka": {"kafka": {}}},
    },
}


def only_issue(document: dict[str, Any], version: str) -> StructureIssue:
    issues = check_structure(document, version)
    assert len(issues) == 1, issues
    return issues[0]


@pytest.mark.parametrize(
    ("document", "version"),
    [
        (MINIMAL_20, "2.0.0"),
        (MINIMAL_26, "2.6.0"),
        (MINIMAL_30, "3.0.0"),
        (RICH_20, "2.0.0"),
        (RICH_26, "2.6.0"),
        (RICH_30, "3.0.0"),
        ({**RICH_30, "asyncapi": "3.1.0"}, "3.1.0"),
    ],
    ids=["min-2.0", "min-2.6", "min-3.0", "rich-2.0", "rich-2.6", "rich-3.0", "rich-3.1"],
)
def test_valid_documents_have_no_issues(document: dict[str, Any], version: str) -> None:
    assert check_structure(document, version) == []


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yml")), ids=lambda p: p.name)
def test_official_examples_have_no_issues(path: Path) -> None:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert check_structure(document, str(document["asyncapi"])) == []


def test_a_3_0_example_is_valid_3_1() -> None:
    document = yaml.safe_load((EXAMPLES / "streetlights-kafka-asyncapi-3.0.yml").read_text(encoding="utf-8"))
    assert check_structure({**document, "asyncapi": "3.1.0"}, "3.1.0") == []


def channel_26(channel: Any) -> dict[str, Any]:
    return {**MINIMAL_26, "channels": {"s3/event": channel}}


def operation_30(operation: dict[str, Any]) -> dict[str, Any]:
    return {**MINIMAL_30, "operations": {"put": operation}}


def components(version_doc: dict[str, Any], **maps: Any) -> dict[str, Any]:
    return {**version_doc, "components": maps}


SEND = {"action": "send", "channel": {"$ref": "#/channels/c"}}

BROKEN = [
    pytest.param(
        {**MINIMAL_26, "info": {"version": "1"}},
        "2.6.0",
        ("info",),
        "required field 'title' is missing",
        id="2.6-info-title-missing",
    ),
    pytest.param(
        {**MINIMAL_30, "info": {"version": "1"}},
        "3.0.0",
        ("info",),
        "required field 'title' is missing",
        id="3.0-info-title-missing",
    ),
    pytest.param(
        {**MINIMAL_26, "info": {"title": "t", "version": 12}},
        "2.6.0",
        ("info", "version"),
        "expected a string, got an integer (12)",
        id="info-version-not-string",
    ),
    pytest.param(
        {**MINIMAL_30, "info": {**INFO, "description": None}},
        "3.0.0",
        ("info", "description"),
        "expected a string, got null",
        id="explicit-null",
    ),
    pytest.param(
        {"asyncapi": "2.6.0", "info": INFO},
        "2.6.0",
        (),
        "required field 'channels' is missing",
        id="2.x-channels-missing",
    ),
    pytest.param(
        channel_26({"publish": {"message": {"payload": {}, "foo": 1}}}),
        "2.6.0",
        ("channels", "s3/event", "publish", "message"),
        "unknown field 'foo' (extensions must start with 'x-')",
        id="2.6-message-unknown-field",
    ),
    pytest.param(
        components(MINIMAL_30, messages={"m": {"payload": {}, "messageId": "m"}}),
        "3.0.0",
        ("components", "messages", "m"),
        "unknown field 'messageId'",
        id="3.0-message-unknown-field",
    ),
    pytest.param(
        channel_26({"subscribe": {"message": {"oneOf": [{"$ref": "#/m"}, {"payload": {}, "bogus": 1}]}}}),
        "2.6.0",
        ("channels", "s3/event", "subscribe", "message", "oneOf", 1),
        "unknown field 'bogus'",
        id="2.6-oneOf-item-unknown-field",
    ),
    pytest.param(
        channel_26({"publish": {"message": {"examples": [{"user": "x"}]}}}),
        "2.6.0",
        ("channels", "s3/event", "publish", "message", "examples", 0),
        "unknown field 'user'",
        id="2.6-example-unknown-field",
    ),
    pytest.param(
        channel_26({"publish": {"message": {"payload": 3}}}),
        "2.6.0",
        ("channels", "s3/event", "publish", "message", "payload"),
        "expected a schema (a mapping or a boolean), got an integer (3)",
        id="2.6-payload-not-schema",
    ),
    pytest.param(
        operation_30({**SEND, "action": "publish"}),
        "3.0.0",
        ("operations", "put", "action"),
        "expected 'send' or 'receive', got a string ('publish')",
        id="3.0-bad-action",
    ),
    pytest.param(
        operation_30({"action": "send"}),
        "3.0.0",
        ("operations", "put"),
        "required field 'channel' is missing",
        id="3.0-operation-channel-missing",
    ),
    pytest.param(
        operation_30({**SEND, "messages": [{"$ref": "#/m"}, {"payload": {}}]}),
        "3.0.0",
        ("operations", "put", "messages", 1),
        "expected a Reference Object (a mapping with '$ref'), got an inline",
        id="3.0-inline-operation-message",
    ),
    pytest.param(
        operation_30({"action": "send", "channel": {"address": "c"}}),
        "3.0.0",
        ("operations", "put", "channel"),
        "expected a Reference Object",
        id="3.0-inline-operation-channel",
    ),
    pytest.param(
        operation_30({**SEND, "traits": [{"action": "send"}]}),
        "3.0.0",
        ("operations", "put", "traits", 0),
        "unknown field 'action'",
        id="3.0-trait-with-action",
    ),
    pytest.param(
        {**MINIMAL_26, "servers": {"prod": {"protocol": "kafka"}}},
        "2.6.0",
        ("servers", "prod"),
        "required field 'url' is missing",
        id="2.x-server-url-missing",
    ),
    pytest.param(
        {**MINIMAL_30, "servers": {"prod": {"url": "kafka:9092", "host": "kafka:9092", "protocol": "kafka"}}},
        "3.0.0",
        ("servers", "prod"),
        "unknown field 'url'",
        id="3.0-server-url-unknown",
    ),
    pytest.param(
        {**MINIMAL_30, "servers": {"prod": {"protocol": "kafka"}}},
        "3.0.0",
        ("servers", "prod"),
        "required field 'host' is missing",
        id="3.0-server-host-missing",
    ),
    pytest.param(
        components(MINIMAL_26, schemas={"bad key": {}}),
        "2.6.0",
        ("components", "schemas", "bad key"),
        "component name 'bad key' does not match",
        id="2.6-bad-component-key",
    ),
    pytest.param(
        components(MINIMAL_30, messages={"a/b": {}}),
        "3.0.0",
        ("components", "messages", "a/b"),
        "component name 'a/b' does not match",
        id="3.0-bad-component-key",
    ),
    pytest.param(
        channel_26("not a channel"),
        "2.6.0",
        ("channels", "s3/event"),
        "expected a mapping, got a string",
        id="2.6-non-mapping-channel",
    ),
    pytest.param(
        {**MINIMAL_30, "channels": {"c": ["a"]}},
        "3.0.0",
        ("channels", "c"),
        "expected a mapping, got a list",
        id="3.0-non-mapping-channel",
    ),
    pytest.param(
        {**MINIMAL_30, "channels": {"c": {"$ref": 7}}},
        "3.0.0",
        ("channels", "c", "$ref"),
        "expected a string, got an integer (7)",
        id="3.0-ref-not-string",
    ),
    pytest.param(
        {**MINIMAL_30, "channels": {"c": {"servers": [{"host": "h", "protocol": "p"}]}}},
        "3.0.0",
        ("channels", "c", "servers", 0),
        "expected a Reference Object",
        id="3.0-inline-channel-server",
    ),
    pytest.param(
        {**MINIMAL_30, "channels": {"c": {"messages": {"m": {"payload": "text"}}}}},
        "3.0.0",
        ("channels", "c", "messages", "m", "payload"),
        "expected a schema",
        id="3.0-payload-not-schema",
    ),
    pytest.param(
        {
            **MINIMAL_30,
            "channels": {"c": {"messages": {"m": {"payload": {"schemaFormat": "application/x"}}}}},
        },
        "3.0.0",
        ("channels", "c", "messages", "m", "payload"),
        "required field 'schema' is missing",
        id="3.0-multi-format-schema-missing",
    ),
    pytest.param(
        components(MINIMAL_26, securitySchemes={"o": {"type": "oauth2"}}),
        "2.6.0",
        ("components", "securitySchemes", "o"),
        "required field 'flows' is missing",
        id="oauth2-without-flows",
    ),
    pytest.param(
        components(
            MINIMAL_30,
            securitySchemes={"o": {"type": "oauth2", "flows": {"password": {"availableScopes": {}}}}},
        ),
        "3.0.0",
        ("components", "securitySchemes", "o", "flows", "password"),
        "required field 'tokenUrl' is missing",
        id="password-flow-without-token-url",
    ),
    pytest.param(
        components(MINIMAL_30, securitySchemes={"k": {"type": "apiKey", "in": "header"}}),
        "3.0.0",
        ("components", "securitySchemes", "k"),
        "field 'in' must be 'user' or 'password'",
        id="api-key-in-header",
    ),
    pytest.param(
        components(MINIMAL_30, securitySchemes={"k": {"type": "basic"}}),
        "3.0.0",
        ("components", "securitySchemes", "k", "type"),
        "expected one of 'userPassword', 'apiKey'",
        id="unknown-security-scheme-type",
    ),
    pytest.param(
        components(MINIMAL_30, messages={"m": {"examples": [{"name": "empty"}]}}),
        "3.0.0",
        ("components", "messages", "m", "examples", 0),
        "must have 'headers' or 'payload'",
        id="empty-example",
    ),
    pytest.param(
        channel_26({"publish": {"message": {"name": "orders", "oneOf": [{"payload": {}}]}}}),
        "2.6.0",
        ("channels", "s3/event", "publish", "message"),
        "unknown field 'name' beside oneOf (a oneOf message holds only its list of messages: give each of"
        " them its 'name')",
        id="2.6-field-beside-oneOf",
    ),
    pytest.param(
        channel_26({"publish": {"tags": [{"name": "a"}, {"name": "b"}, {"name": "a"}], "message": {}}}),
        "2.6.0",
        ("channels", "s3/event", "publish", "tags", 2, "name"),
        "tag 'a' is listed twice (also item 0): tag names must be unique",
        id="2.6-duplicate-tag",
    ),
    pytest.param(
        # references are not compared: they name no tag until resolved
        {**MINIMAL_30, "info": {**INFO, "tags": [{"$ref": "#/t"}, {"name": "{x}"}, {"name": "{x}"}]}},
        "3.0.0",
        ("info", "tags", 2, "name"),
        "tag '{x}' is listed twice (also item 1): tag names must be unique",
        id="3.0-duplicate-tag",
    ),
]


@pytest.mark.parametrize(("document", "version", "path", "message"), BROKEN)
def test_each_fault_is_one_clear_issue(
    document: dict[str, Any], version: str, path: tuple[str | int, ...], message: str
) -> None:
    issue = only_issue(document, version)
    assert issue.path == path
    assert message in issue.message


def test_2_0_examples_are_free_form_maps() -> None:
    free_form = channel_26({"publish": {"message": {"examples": [{"user": "x"}]}}})
    assert check_structure({**free_form, "asyncapi": "2.0.0"}, "2.0.0") == []
    not_a_map = channel_26({"publish": {"message": {"examples": [3]}}})
    assert only_issue({**not_a_map, "asyncapi": "2.0.0"}, "2.0.0") == StructureIssue(
        ("channels", "s3/event", "publish", "message", "examples", 0),
        "expected a mapping, got an integer (3)",
    )


def test_every_fault_is_reported() -> None:
    document: dict[str, Any] = {
        "asyncapi": "3.0.0",
        "info": {"version": 1, "x-ok": True, "colour": "blue"},
        "operations": {"put": {"action": "push", "channel": {"$ref": "#/channels/c"}}},
        "components": {"schemas": {"a b": {}}},
    }
    assert check_structure(document, "3.0.0") == [
        StructureIssue(("info",), "required field 'title' is missing"),
        StructureIssue(("info", "version"), "expected a string, got an integer (1)"),
        StructureIssue(("info",), "unknown field 'colour' (extensions must start with 'x-')"),
        StructureIssue(
            ("operations", "put", "action"), "expected 'send' or 'receive', got a string ('push')"
        ),
        StructureIssue(
            ("components", "schemas", "a b"), r"component name 'a b' does not match ^[a-zA-Z0-9\.\-_]+$"
        ),
    ]


def test_non_mapping_document() -> None:
    assert check_structure([], "2.6.0") == [StructureIssue((), "expected a mapping, got a list")]  # type: ignore[arg-type]


def test_non_string_map_key() -> None:
    issue = only_issue({**MINIMAL_30, "channels": {200: {}}}, "3.0.0")
    assert issue == StructureIssue(("channels", 200), "keys must be strings, got an integer (200)")


def test_unsupported_version_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported AsyncAPI version"):
        check_structure(MINIMAL_30, "4.0.0")
