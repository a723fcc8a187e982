"""`validate` reports every problem, in 2.x and 3.x alike, examples included."""

from __future__ import annotations

from pathlib import Path

import pytest

import generator
from generator.cli import main

V2_BAD_EXAMPLES = """\
asyncapi: 2.6.0
info: {title: Orders, version: '1.0'}
channels:
  orders:
    publish:
      message:
        messageId: OrderPlaced
        headers:
          type: object
          properties:
            retries: {type: integer}
        payload:
          type: object
          required: [id]
          properties:
            id: {type: string}
            status: {type: string, enum: [new, paid]}
        examples:
          - headers: {retries: many}
            payload: {status: lost}
"""


def test_v2_examples_are_validated_payload_and_headers(tmp_path: Path) -> None:
    doc = tmp_path / "orders.yaml"
    doc.write_text(V2_BAD_EXAMPLES)
    problems = generator.validate(doc)
    whats = sorted(p.what.split(" (schema:")[0] for p in problems)
    # the sentences `gen check` writes
    assert whats == [
        'example does not match the headers schema at /retries: expected integer, got string "many"',
        "example does not match the payload schema at /id: required field is missing",
        'example does not match the payload schema at /status: expected one of "new", "paid", got "lost"',
    ]
    by_what = {p.what.split(" at ")[1].split(":")[0]: p for p in problems}
    assert by_what["/status"].line == 20  # points at the offending value in the file
    assert (by_what["/id"].line, by_what["/id"].col) == (20, 22)  # a missing member: at its object
    assert by_what["/retries"].where == "channels.orders.publish.message.examples.0.headers"


def test_every_problem_is_reported_not_only_the_first(tmp_path: Path) -> None:
    doc = tmp_path / "many.yaml"
    doc.write_text(
        "asyncapi: 3.0.0\n"
        "info: {version: '1'}\n"  # missing title
        "channels:\n"
        "  a:\n"
        "    messages:\n"
        "      M: {$ref: '#/components/messages/Nope'}\n"  # dangling
        "operations:\n"
        "  op:\n"
        "    action: receive\n"
        "    channel: {$ref: '#/channels/b'}\n"  # missing channel
    )
    problems = generator.validate(doc)
    assert len(problems) == 3
    assert {p.where for p in problems} == {"info", "channels.a.messages.M", "operations.op.channel"}


SCHEMA_MISTAKES = """\
asyncapi: 3.0.0
info: {title: Prices, version: '1.0'}
components:
  schemas:
    Price:
      type: object
      properties:
        amount: {type: number, minimum: 0, exclusiveMinimum: true}
        currency: {type: [string, string]}
    Tick:
      additionalProperties: [false]
      properties: {code: {pattern: '(', enum: [a]}}
channels:
  orders: {}
operations:
  submit:
    action: send
    channel: {$ref: '#/channels/orders'}
    reply:
      channel: {messages: {}}
"""


def test_schema_mistakes_are_said_in_json_terms_and_in_reading_order(tmp_path: Path) -> None:
    doc = tmp_path / "prices.yaml"
    doc.write_text(SCHEMA_MISTAKES)
    problems = generator.validate(doc)
    assert [(p.line, p.where, p.what) for p in problems] == [
        (
            8,
            "components.schemas.Price.properties.amount.exclusiveMinimum",
            # `true`, not Python's `True`; and how draft-07 says what OpenAPI 3.0 does
            "invalid schema: expected number, got boolean true (the boolean form is draft-04's, as OpenAPI"
            " 3.0 writes it; in draft-07, write exclusiveMinimum: 0 in place of minimum: 0 and"
            " exclusiveMinimum: true)",
        ),
        # through the alternatives (a type name, or a list of them) to what is wrong with the list
        (
            9,
            "components.schemas.Price.properties.currency.type",
            "invalid schema: expected unique items, found duplicates",
        ),
        (
            11,
            "components.schemas.Tick.additionalProperties",
            "invalid schema: expected boolean or object, got array [false]",
        ),
        # no regular expression: gen check's run ended on it (and the enum beside it is not judged by it)
        (
            12,
            "components.schemas.Tick.properties.code.pattern",
            'invalid schema: expected a regular expression, got "("',
        ),
        # once: the model built from the structure does not say it again ("must be a $ref to a channel")
        (
            20,
            "operations.submit.reply.channel",
            "expected a Reference Object (a mapping with '$ref'), got an inline object",
        ),
    ]


def test_a_name_with_control_characters_keeps_its_problem_on_one_line(tmp_path: Path) -> None:
    doc = tmp_path / "names.yaml"
    doc.write_text(
        'asyncapi: 3.0.0\ninfo: {title: t, version: "1"}\n'
        'channels:\n  "a\\nb\\e[31m": {messages: {m: {payload: {type: integr}}}}\n'
    )
    (problem,) = generator.validate(doc)
    assert str(problem).startswith(f"{doc}:4:49: error: channels.a\\nb\\x1b[31m.messages.m.payload.type: ")


def test_official_style_documents_are_valid() -> None:
    fixtures = Path(__file__).parent / "fixtures" / "loader"
    assert generator.validate(fixtures / "v2" / "streetlights.yaml") == []
    assert generator.validate(fixtures / "v3" / "catalog.json") == []


def test_official_examples_validate() -> None:
    examples = Path(__file__).parent / "fixtures" / "spec_examples"
    assert generator.validate(examples / "streetlights-kafka-asyncapi-3.0.yml") == []
    assert generator.validate(examples / "streetlights-mqtt-2.6.yml") == []
    # Adeo's example points at Avro schemas on the web: refused, since nothing is fetched unless asked
    problems = generator.validate(examples / "adeo-kafka-request-reply-asyncapi-3.0.yml")
    errors = [p for p in problems if p.level == "error"]
    assert len(errors) == 2
    assert all("remote reference" in p.what and "--allow-remote-refs" in p.what for p in errors)


TRAITS_30 = """\
asyncapi: 3.0.0
info: {title: t, version: '1'}
channels:
  c:
    messages:
      M: {$ref: '#/components/messages/M'}
      N: {$ref: '#/components/messages/N'}
components:
  messages:
    M:
      payload: {type: object, properties: {n: {type: integer}}}
      traits: [{$ref: '#/components/messageTraits/Common'}]
      examples:
        - headers: {traceId: 5}
          payload: {n: 1}
    N:
      payload: {type: object, properties: {n: {type: integer}}}
      headers: {type: object, properties: {traceId: {type: string}}}
      traits: [{$ref: '#/components/messageTraits/Common'}]
  messageTraits:
    Common:
      headers: {type: object, properties: {traceId: {type: string}}}
      examples:
        - headers: {traceId: 6}
          payload: {n: 1}
"""

TRAITS_26 = """\
asyncapi: 2.6.0
info: {title: t, version: '1'}
channels:
  c:
    publish:
      message:
        $ref: '#/components/messages/M'
components:
  messages:
    M:
      payload: {type: object}
      traits: [{$ref: '#/components/messageTraits/Common'}]
      examples:
        - headers: {n: one}
  messageTraits:
    Common:
      headers: {type: object, properties: {n: {type: integer}}}
"""


def test_schemas_and_examples_a_trait_brings_are_placed_in_the_trait(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Problems in headers that only a trait declares named the message's headers, which it does not have; an
    example a trait brings is placed in the trait. A field of the message's own, merged with a trait's, is
    the message's."""
    doc = tmp_path / "traits30.yaml"
    doc.write_text(TRAITS_30)
    problems = [str(p) for p in generator.validate(doc)]
    assert problems == [
        f"{doc}:14:30: error: components.messages.M.examples.0.headers: example does not match the headers"
        " schema at /traceId: expected string, got integer 5 (schema:"
        " components.messageTraits.Common.headers.properties.traceId.type)",
        f"{doc}:24:30: error: components.messageTraits.Common.examples.0.headers: example does not match the"
        " headers schema at /traceId: expected string, got integer 6 (schema:"
        " components.messages.N.headers.properties.traceId.type)",
    ]
    with pytest.raises(SystemExit):
        main(["check", str(doc), "--examples"])
    assert (
        "(schema: components.messageTraits.Common.headers.properties.traceId.type)" in capsys.readouterr().out
    )
    document = generator.load(doc)
    headers = document.message("M").headers
    assert headers is not None and headers.where == "components.messageTraits.Common.headers"
    assert headers.source.pointer == ("components", "messageTraits", "Common", "headers")
    assert document.message("M").place_of("payload")[1] == "components.messages.M.payload"
    doc = tmp_path / "traits26.yaml"
    doc.write_text(TRAITS_26)
    problems = [str(p) for p in generator.validate(doc)]
    assert problems == [
        f"{doc}:14:24: error: channels.c.publish.message.examples.0.headers: example does not match the"
        ' headers schema at /n: expected integer, got string "one" (schema:'
        " components.messageTraits.Common.headers.properties.n.type)"
    ]


def _message_m(folder: Path, *fields: str) -> Path:
    """`folder/doc.yaml`: AsyncAPI 3.0, channel `c` carrying message `M` of these YAML fields."""
    doc = folder / "doc.yaml"
    lines = [
        "asyncapi: 3.0.0",
        "info: {title: t, version: '1'}",
        "channels:",
        "  c:",
        "    messages:",
        "      M:",
    ]
    doc.write_text("\n".join([*lines, *(f"        {field}" for field in fields)]) + "\n")
    return doc


def test_a_place_in_another_file_is_written_as_a_pointer_to_its_end(tmp_path: Path) -> None:
    """An example a trait in another file brings is placed there as `file#/pointer`, every step of it a
    pointer's (not `#/Common/examples.0.headers`, half pointer, half dotted path)."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "traits.yaml").write_text(
        "Common:\n"
        "  headers: {type: object, properties: {traceId: {type: string}}}\n"
        "  examples:\n"
        "    - headers: {traceId: 5}\n"
    )
    doc = _message_m(tmp_path, "payload: {type: object}", "traits: [{$ref: 'sub/traits.yaml#/Common'}]")
    (problem,) = generator.validate(doc)
    assert problem.where == f"{tmp_path}/sub/traits.yaml#/Common/examples/0/headers"


def test_a_key_holding_a_hash_stays_a_dotted_place_of_the_root_document(tmp_path: Path) -> None:
    # MQTT's wildcard channel `sensors/#`: a `#` alone does not make a place another file's
    doc = tmp_path / "doc.yaml"
    doc.write_text(
        "asyncapi: 2.6.0\n"
        "info: {title: t, version: '1'}\n"
        "channels:\n"
        "  sensors/#:\n"
        "    publish:\n"
        "      message:\n"
        "        payload: {type: object, properties: {temp: {type: number}}}\n"
        "        examples: [{payload: {temp: hot}}]\n"
    )
    (problem,) = generator.validate(doc)
    assert problem.where == "channels.sensors/#.publish.message.examples.0.payload"
    assert "(schema: channels.sensors/#.publish.message.payload.properties.temp.type)" in problem.what


def test_a_schema_in_a_file_of_no_suffix_is_placed_by_a_pointer(tmp_path: Path) -> None:
    (tmp_path / "common").write_text("User:\n  type: object\n  properties:\n    age: {type: integer}\n")
    doc = _message_m(tmp_path, "payload: {$ref: 'common#/User'}", "examples: [{payload: {age: x}}]")
    (problem,) = generator.validate(doc)
    assert problem.what.endswith(f"(schema: {tmp_path}/common#/User/properties/age/type)")
