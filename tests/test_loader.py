"""The loader: 2.x and 3.x, YAML and JSON, $refs (local, nested files, escapes, recursion), traits,
sandboxing."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

import generator
from generator.loader.traits import apply_traits, origin_at
from generator.location import Source
from generator.problems import GenError

FIXTURES = Path(__file__).parent / "fixtures" / "loader"
V2 = FIXTURES / "v2" / "streetlights.yaml"
V3 = FIXTURES / "v3" / "catalog.json"


@pytest.fixture(scope="module")
def v2() -> generator.Document:
    return generator.load(V2)


@pytest.fixture(scope="module")
def v3() -> generator.Document:
    return generator.load(V3)


def test_v2_publish_is_receive_and_subscribe_is_send(v2: generator.Document) -> None:
    # 2.x describes the client: clients *publish* what the application receives.
    assert v2.operations["receiveLightMeasurement"].action == "receive"
    assert v2.operations["turnOn"].action == "send"
    measured = "smartylighting/streetlights/1/0/event/{streetlightId}/lighting/measured"
    assert v2.operations["receiveLightMeasurement"].channel is v2.channels[measured]
    assert v2.channels[measured].address == measured
    assert [m.name for m in v2.operations["turnOn"].messages] == ["turnOnOff"]


def test_v2_operation_without_id_gets_a_stable_one(v2: generator.Document) -> None:
    assert v2.operations["publish_legacy_measured"].action == "receive"


def test_v2_names_made_for_operations_and_messages_are_names_unlike_any_other(tmp_path: Path) -> None:
    """Named after the channel as `--message` takes them and as `gen samples` names its folders
    (`subscribe_user_signedupMessage`, not `subscribe_/user/signedupMessage`); never an operationId the
    document gives, or one made before."""
    doc = tmp_path / "doc.yaml"
    doc.write_text(
        "asyncapi: 2.6.0\ninfo: {title: t, version: '1'}\nchannels:\n"
        "  /user/signedup: {subscribe: {message: {payload: {type: string}}}}\n"
        "  user.signedup: {subscribe: {message: {payload: {type: string}}}}\n"
        "  other: {publish: {operationId: subscribe_user_signedup3, message: {payload: {}}}}\n"
        "  /: {subscribe: {message: {payload: {}}}}\n"
    )
    assert generator.validate(doc) == []
    document = generator.load(doc)
    assert list(document.operations) == [
        "subscribe_user_signedup",
        "subscribe_user_signedup2",
        "subscribe_user_signedup3",
        "subscribe",
    ]
    assert list(document.messages) == [
        "subscribe_user_signedupMessage",
        "subscribe_user_signedup2Message",
        "subscribe_user_signedup3Message",
        "subscribeMessage",
    ]


def test_v2_parameters_servers_and_info(v2: generator.Document) -> None:
    channel = next(iter(v2.channels.values()))
    (param,) = channel.parameters
    assert param.name == "streetlightId"
    assert param.schema is not None and param.schema.root == {"type": "string"}
    (server,) = v2.servers
    assert server.url == "mqtt://test.mosquitto.org:{port}"
    assert server.variables[0].enum == ("1883", "8883")
    assert v2.info.title == "Streetlights"


def test_external_refs_in_nested_folders_become_named_schemas(v2: generator.Document) -> None:
    payload = v2.message("lightMeasured").payload
    assert payload is not None
    assert payload.ref_name == "LightMeasured"  # file stem of schemas/light-measured.yaml
    schema = payload.as_json_schema()
    # light-measured.yaml -> common/ids.yaml -> types/strings.json, and back into the root document
    assert schema["$defs"]["StreetlightId"] == {"$ref": "#/$defs/NonEmpty"}
    assert schema["$defs"]["NonEmpty"] == {"type": "string", "minLength": 1}
    assert schema["$defs"]["sentAt"] == {"type": "string", "format": "date-time"}
    validator = Draft7Validator(schema)
    assert validator.is_valid({"id": "lamp-1", "lumens": 3})
    assert not validator.is_valid({"id": "", "lumens": 3})  # minLength from the third file
    assert set(v2.files) >= {str(V2)}
    assert len(v2.files) == 4


def test_pointer_escapes(v2: generator.Document) -> None:
    # '~1' in the legacy channel's $ref, '~0' in the note property's $ref
    legacy = v2.operations["publish_legacy_measured"]
    assert legacy.messages[0] is v2.message("lightMeasured")
    body = v2.schemas["turnOnOffPayload"].body
    assert body["properties"]["note"] == {"$ref": "#/$defs/OddKey"}
    assert v2.schemas["OddKey"].body == {"type": "string", "maxLength": 20}


def test_v2_traits_win_over_the_message(v2: generator.Document) -> None:
    assert v2.message("turnOnOff").summary == "Summary from the trait"
    headers = v2.message("lightMeasured").headers
    assert headers is not None
    assert headers.root["properties"]["my-app-header"]["maximum"] == 100
    op = v2.operations["receiveLightMeasurement"]
    assert op.bindings == {"kafka": {"clientId": {"type": "string", "enum": ["my-app-id"]}}}


def test_traits_say_where_each_merged_value_is_written() -> None:
    own, trait = Source("doc.yaml", ("M",)), Source("doc.yaml", ("T",))
    merged, origin = apply_traits(
        {"headers": {"a": 1}, "title": "own", "traits": []}, own, [({"headers": {"b": 2}, "x": {}}, trait)], 3
    )
    assert merged == {"headers": {"a": 1, "b": 2}, "title": "own", "x": {}}
    assert [origin_at(origin, (key,)) for key in ("headers", "title", "x")] == [
        None,
        own.child("title"),
        trait.child("x"),
    ]
    assert origin_at(origin, ("headers", "b")) == trait.child("headers", "b")
    # 2.x: a merge patch, whose nulls remove what they name
    merged, origin = apply_traits(
        {"x": 1, "y": {"a": 1}}, own, [({"x": None, "z": {"b": 2, "c": None}}, trait)], 2
    )
    assert merged == {"y": {"a": 1}, "z": {"b": 2}}
    assert (origin_at(origin, ("y", "a")), origin_at(origin, ("z",))) == (own.child("y", "a"), None)
    assert origin_at(origin, ("z", "b")) == trait.child("z", "b")


def test_v3_target_wins_over_traits(v3: generator.Document) -> None:
    op = v3.operations["onCategoryUpdated"]
    assert op.summary == "Own summary wins over the trait's (3.x rule)"
    assert op.description == "Description from the trait"  # only in the trait: taken from it
    message = v3.message("CategoryUpdated")
    assert message.title == "Category updated"
    assert message.headers is not None and "traceId" in message.headers.root["properties"]
    assert message.correlation_id is not None
    assert message.correlation_id.location == "$message.header#/traceId"


def test_v3_json_channels_operations_reply(v3: generator.Document) -> None:
    assert v3.asyncapi == "3.0.0" and v3.major == 3
    channel = v3.channels["categoryUpdated"]
    assert channel.address == "catalog.{region}.category"
    assert channel.parameters[0].enum == ("eu", "us")
    op = v3.operations["onCategoryUpdated"]
    assert op.channel is channel
    assert op.messages == (v3.message("CategoryUpdated"),)
    assert op.reply is not None and op.reply.channel is v3.channels["categoryAck"]
    assert [m.name for m in op.reply.messages] == ["CategoryAck"]
    assert v3.channels["categoryAck"].address is None
    # reply-only messages are not events
    assert [m.name for m in v3.event_messages()] == ["CategoryUpdated"]
    assert v3.servers[0].url == "kafka://kafka.example.com:9092"


def test_recursive_schema_is_kept_as_a_reference(v3: generator.Document) -> None:
    payload = v3.message("CategoryUpdated").payload
    assert payload is not None
    schema = payload.as_json_schema()
    assert schema["$defs"]["Category"]["properties"]["children"]["items"] == {"$ref": "#/$defs/Category"}
    validator = Draft7Validator(schema)
    deep = {"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]}
    assert validator.is_valid(deep)
    assert not validator.is_valid({"name": "a", "children": [{"children": []}]})


def test_a_loop_through_members_is_recursion_and_a_loop_in_place_is_refused(tmp_path: Path) -> None:
    """A schema may reach itself through a member (`properties`, `items`): every value is finite, so
    validation ends. Reaching itself through `allOf`/`anyOf`/a bare `$ref` alone applies it to the same
    value again and again (jsonschema raises RecursionError; gen check used to pass any event)."""
    head = (
        "asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\nchannels:\n  c:\n    messages:\n"
        "      M:\n        payload: {$ref: '#/components/schemas/A'}\ncomponents:\n  schemas:\n"
    )
    recursive = tmp_path / "recursive.yaml"
    recursive.write_text(
        head + "    A: {type: object, properties: {next: {$ref: '#/components/schemas/A'}},"
        " allOf: [{$ref: '#/components/schemas/B'}]}\n"
        "    B: {properties: {up: {items: {$ref: '#/components/schemas/A'}}}}\n"
    )
    payload = generator.load(recursive).message("M").payload
    assert payload is not None
    validator = Draft7Validator(payload.as_json_schema())
    assert validator.is_valid({"next": {"up": [{"next": {}}]}})
    assert not validator.is_valid({"next": {"up": [[]]}})

    in_place = tmp_path / "in_place.yaml"
    in_place.write_text(
        head + "    A: {type: object, properties: {next: {$ref: '#/components/schemas/A'}},"
        " allOf: [{$ref: '#/components/schemas/B'}]}\n"
        "    B: {anyOf: [{type: object}, {not: {$ref: '#/components/schemas/A'}}]}\n"
    )
    with pytest.raises(GenError) as refused:
        generator.load(in_place)
    (problem,) = refused.value.problems
    assert (problem.line, problem.col, problem.where) == (10, 92, "components.schemas.A")
    assert problem.what.startswith(
        "cyclic $ref: components.schemas.A -> components.schemas.B -> components.schemas.A: "
    )


@pytest.mark.parametrize(
    ("schema_format", "json_schema"),
    [
        ("application/schema+yaml;version=draft-07", True),  # gitter-streaming, among the spec's examples
        ("application/schema+json;version=draft-07", True),
        ("application/vnd.aai.asyncapi+yaml;version=3.0.0", True),
        ("application/vnd.aai.asyncapi+json;version=3.0.0", True),
        ("Application/Schema+JSON; version=draft-07", True),
        ("application/vnd.apache.avro;version=1.9.0", False),
        ("application/raml+yaml;version=1.0", False),
    ],
)
def test_json_schema_is_json_schema_in_any_of_its_formats(
    tmp_path: Path, schema_format: str, json_schema: bool
) -> None:
    """Every `schemaFormat` the specification lists for JSON Schema and AsyncAPI schemas, in JSON or YAML,
    is checked and generated from (YAML ones were typed Any, their events passed unchecked)."""
    doc = tmp_path / "doc.yaml"
    doc.write_text(
        "asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\nchannels:\n  c:\n    messages:\n      M:\n"
        f"        payload:\n          schemaFormat: '{schema_format}'\n"
        "          schema: {type: object, required: [id], properties: {id: {type: integer}}}\n"
    )
    payload = generator.load(doc).message("M").payload
    assert payload is not None and payload.is_json_schema is json_schema
    if json_schema:
        assert not generator.check(doc, [{"id": "x"}], message="M").ok


def test_a_message_kept_in_another_file_is_named_by_its_key_there(tmp_path: Path) -> None:
    """As the AsyncAPI specification's social-media example keeps its messages in `common/messages.yaml`:
    `likeComment`, not `publish_like/commentMessage` (2.x) or the referring channel's key (3.x)."""
    (tmp_path / "messages.yaml").write_text(
        "likeComment: {payload: {type: object}}\ncomponents: {messages: {commentLiked: {payload: {}}}}\n"
    )
    (tmp_path / "v2.yaml").write_text(
        "asyncapi: 2.6.0\ninfo: {title: t, version: '1'}\nchannels:\n"
        "  like/comment: {publish: {message: {$ref: 'messages.yaml#/likeComment'}}}\n"
        "  comment/liked: {subscribe: {message: {$ref: 'messages.yaml#/components/messages/commentLiked'}}}\n"
        "  inline: {publish: {message: {payload: {type: string}}}}\n"
    )
    (tmp_path / "v3.yaml").write_text(
        "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nchannels:\n  like:\n    messages:\n"
        "      like: {$ref: 'messages.yaml#/likeComment'}\n"
        "      liked: {$ref: 'messages.yaml#/components/messages/commentLiked'}\n"
        "      plain: {payload: {type: string}}\n"
    )
    assert list(generator.load(tmp_path / "v2.yaml").messages) == [
        "likeComment",
        "commentLiked",
        "publish_inlineMessage",  # defined in place: named after where it is
    ]
    assert list(generator.load(tmp_path / "v3.yaml").messages) == ["likeComment", "commentLiked", "plain"]


def test_a_pointer_goes_on_through_a_ref_on_its_way(tmp_path: Path) -> None:
    """`#/channels/echo/messages/echo`, where channel `echo` is itself a `$ref` (to another file, or to
    `components`), names the message of the channel referred to, as asyncapi/generator's fixtures write it."""
    (tmp_path / "channels.yaml").write_text(
        "channels:\n  echo:\n    address: /\n    messages:\n"
        "      echo: {payload: {type: string}}\n      timestamp: {$ref: '#/components/messages/time'}\n"
        "components: {messages: {time: {payload: {type: integer}}}}\n"
    )
    (tmp_path / "doc.yaml").write_text(
        "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\n"
        "channels:\n  echo: {$ref: 'channels.yaml#/channels/echo'}\n"
        "  local: {$ref: '#/components/channels/c'}\n"
        "operations:\n"
        "  send: {action: send, channel: {$ref: '#/channels/echo'},"
        " messages: [{$ref: '#/channels/echo/messages/echo'}]}\n"
        "  tick: {action: receive, channel: {$ref: '#/channels/echo'},"
        " messages: [{$ref: '#/channels/echo/messages/timestamp'}]}\n"
        "  local: {action: receive, channel: {$ref: '#/channels/local'},"
        " messages: [{$ref: '#/channels/local/messages/m'}]}\n"
        "components: {channels: {c: {messages: {m: {payload: {type: boolean}}}}}}\n"
    )
    assert generator.validate(tmp_path / "doc.yaml") == []
    document = generator.load(tmp_path / "doc.yaml")
    sent = {op.id: [m.name for m in op.messages] for op in document.operations.values()}
    assert sent == {"send": ["echo"], "tick": ["time"], "local": ["m"]}
    (tmp_path / "loop.yaml").write_text(
        "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\n"
        "channels:\n  a: {$ref: '#/channels/b'}\n  b: {$ref: '#/channels/a'}\n"
        "operations:\n  send: {action: send, channel: {$ref: '#/channels/a'},"
        " messages: [{$ref: '#/channels/a/messages/m'}]}\n"
    )
    assert any("cyclic $ref" in problem.what for problem in generator.validate(tmp_path / "loop.yaml"))


def test_schema_locations_map_back_to_the_document(v3: generator.Document) -> None:
    payload = v3.message("CategoryUpdated").payload
    assert payload is not None
    where = payload.where_of(["$defs", "Category", "properties", "name", "type"])
    assert where.endswith("schemas/category.json#/properties/name/type")
    message_where = v3.message("CategoryUpdated").payload.where_of(["$ref"])  # type: ignore[union-attr]
    assert message_where == "components.messages.CategoryUpdated.payload.$ref"


def test_ref_outside_the_folder_is_refused_unless_allowed(tmp_path: Path) -> None:
    doc = tmp_path / "api" / "doc.yaml"
    doc.parent.mkdir()
    shutil.copy(Path(__file__).parent / "bad_specs" / "ref-outside-folder.yaml", doc)
    (tmp_path / "outside").mkdir()
    shutil.copy(Path(__file__).parent / "fixtures" / "outside" / "order.yaml", tmp_path / "outside")
    with pytest.raises(GenError) as refused:
        generator.load(doc)
    assert "leaves the document's folder" in str(refused.value)
    document = generator.load(doc, allow_ref_outside=[tmp_path / "outside"])
    payload = document.message("OrderPlaced").payload
    assert payload is not None and payload.ref_name == "Order"


def test_remote_refs_are_not_fetched_unless_allowed(tmp_path: Path) -> None:
    doc = tmp_path / "doc.yaml"
    doc.write_text(
        "asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\nchannels:\n  c:\n    messages:\n"
        "      M:\n        payload: {$ref: 'https://example.com/schema.json'}\n"
    )
    with pytest.raises(GenError) as refused:
        generator.load(doc)
    assert "remote reference 'https://example.com/schema.json' refused" in str(refused.value)


def test_yaml_and_json_give_the_same_model(tmp_path: Path) -> None:
    import json

    import yaml

    as_json = tmp_path / "catalog.json"
    as_yaml = tmp_path / "catalog.yaml"
    shutil.copytree(FIXTURES / "v3" / "schemas", tmp_path / "schemas")
    raw = json.loads(V3.read_text())
    as_json.write_text(json.dumps(raw))
    as_yaml.write_text(yaml.safe_dump(raw, sort_keys=False))
    a, b = generator.load(as_json), generator.load(as_yaml)
    assert list(a.messages) == list(b.messages)
    assert a.message("CategoryUpdated").payload.as_json_schema() == (  # type: ignore[union-attr]
        b.message("CategoryUpdated").payload.as_json_schema()  # type: ignore[union-attr]
    )


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32", "utf-8-sig"])
def test_documents_in_any_unicode_encoding_give_the_same_model(tmp_path: Path, encoding: str) -> None:
    # Windows PowerShell's `>` writes UTF-16; YAML and JSON allow it, told by a mark or by the zero bytes
    shutil.copytree(FIXTURES / "v3" / "schemas", tmp_path / "schemas")
    (tmp_path / "catalog.json").write_bytes(V3.read_text(encoding="utf-8").encode(encoding))
    loaded, expected = generator.load(tmp_path / "catalog.json"), generator.load(V3)
    assert list(loaded.messages) == list(expected.messages)
    assert loaded.message("CategoryUpdated").payload.as_json_schema() == (  # type: ignore[union-attr]
        expected.message("CategoryUpdated").payload.as_json_schema()  # type: ignore[union-attr]
    )


def test_a_problem_in_a_utf16_document_is_placed_by_line_and_column(tmp_path: Path) -> None:
    doc = tmp_path / "doc.yaml"
    doc.write_bytes("asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\nchannels: [\n".encode("utf-16"))
    with pytest.raises(GenError) as refused:
        generator.load(doc)
    assert str(refused.value).startswith(f"{doc}:4:1: error: malformed YAML")


def test_text_in_another_encoding_is_refused_with_its_first_wrong_byte(tmp_path: Path) -> None:
    doc = tmp_path / "doc.yaml"
    doc.write_bytes("asyncapi: 3.0.0\ninfo: {title: Café, version: '1'}\n".encode("latin-1"))
    with pytest.raises(GenError) as refused:
        generator.load(doc)
    assert str(refused.value) == (
        f"{doc}:2:18: error: not UTF-8 text: byte 0xe9 (binary, or in another encoding?)"
    )
    doc.write_bytes(b"\xff\xfea\x00s")  # UTF-16 by its mark, cut in the middle of a character
    with pytest.raises(GenError) as refused:
        generator.load(doc)
    assert str(refused.value) == f"{doc}: error: not valid UTF-16 text at byte 4"
    doc.write_bytes(b"a\x00b\x00c\x00d\x00" + bytes(8))  # starts like UTF-16, holds NUL characters
    with pytest.raises(GenError) as refused:
        generator.load(doc)
    assert str(refused.value) == f"{doc}: error: binary file, not YAML or JSON"


@pytest.mark.parametrize("version", ["2.0.0", "2.3.0", "2.6.0", "3.0.0", "3.1.0"])
def test_supported_versions_load(tmp_path: Path, version: str) -> None:
    doc = tmp_path / "doc.yaml"
    doc.write_text(f"asyncapi: {version}\ninfo: {{title: T, version: '1'}}\nchannels: {{}}\n")
    assert generator.load(doc).asyncapi == version


def _valid_members(doc: Path) -> dict[str, Any]:
    """The payload members of message `m` of `doc`, a document `gen validate` finds nothing wrong with."""
    assert generator.validate(doc) == []
    payload = generator.load(doc).message("m").payload
    assert payload is not None
    members: dict[str, Any] = payload.root["properties"]
    return members


def test_plain_scalars_are_read_as_yaml_1_2_reads_them(tmp_path: Path) -> None:
    """As js-yaml (the AsyncAPI tools) reads them, not as PyYAML's YAML 1.1: the spec's streetlights example
    writes `enum: [on, off]`, which 1.1 read as booleans, so every `"command": "on"` event failed."""
    doc = tmp_path / "doc.yaml"
    doc.write_text(
        "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nchannels:\n  c:\n    messages:\n      m:\n"
        "        payload:\n          properties:\n"
        "            command: {type: string, enum: [on, off, yes, no]}\n"
        "            at: {type: string, examples: [2021-01-01T10:00:00Z, 2021-01-01]}\n"
        "            n: {type: number, maximum: 1e3, minimum: -1.5E-3, multipleOf: .5}\n"
        "            code: {type: integer, enum: [0777, 0o17, 0x1f, +12]}\n"
        "            clock: {type: string, enum: [1:20, 1_000]}\n"
        "            flag: {type: boolean, enum: [true, False, TRUE]}\n"
        "        x-defaults: &defaults {a: 1, b: 2}\n        x-merged: {<<: *defaults, b: 3}\n"
    )
    members = _valid_members(doc)
    assert members["command"]["enum"] == ["on", "off", "yes", "no"]
    assert members["at"]["examples"] == ["2021-01-01T10:00:00Z", "2021-01-01"]
    assert (members["n"]["maximum"], members["n"]["minimum"], members["n"]["multipleOf"]) == (
        1000.0,
        -0.0015,
        0.5,
    )
    assert members["code"]["enum"] == [777, 15, 31, 12]
    assert members["clock"]["enum"] == ["1:20", "1_000"]
    assert members["flag"]["enum"] == [True, False, True]
    assert generator.load(doc).message("m").extensions["x-merged"] == {"a": 1, "b": 3}


def test_yaml_tags_that_run_code_are_refused(tmp_path: Path) -> None:
    doc = tmp_path / "doc.yaml"
    doc.write_text("asyncapi: !!python/object/apply:os.system ['echo pwned']\n")
    with pytest.raises(GenError) as refused:
        generator.load(doc)
    assert "malformed YAML" in str(refused.value)


def _alias_bomb(levels: int) -> str:
    """A document whose `x-bomb.a{levels}` is nine aliases of nine aliases... of nine scalars: 9^(levels+1)
    values in a few hundred bytes."""
    lines = ["asyncapi: 3.0.0", "info: {title: t, version: '1'}", "channels: {}", "x-bomb:"]
    lines.append("  a0: &a0 [x, x, x, x, x, x, x, x, x]")
    lines += [f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def test_a_yaml_alias_bomb_is_refused_where_it_multiplies(tmp_path: Path) -> None:
    """Walked once per alias, a document of 25 such levels (1.5 KB) hung every command; each shared node is
    now measured once, and the first list past the budget is named."""
    doc = tmp_path / "doc.yaml"
    doc.write_text(_alias_bomb(6))  # a6 holds 9^7 = 4,782,969 scalars
    with pytest.raises(GenError) as refused:
        generator.load(doc)
    assert str(refused.value) == (
        f"{doc}:11:7: error: holds more than 1,000,000 values, each use of a YAML alias counted as a copy "
        "(gen reads documents of 1,000,000 values at most)"
    )
    doc.write_text(_alias_bomb(5))  # 664,300 values: under the budget, read as before
    assert generator.validate(doc) == []


def test_shared_and_looping_yaml_nodes_are_measured_as_the_values_they_stand_for(tmp_path: Path) -> None:
    """A schema used through an alias counts at each use, toward the depth limit too; an alias inside its own
    anchor nests without end. Real documents' aliases and merge keys load as before."""
    doc = tmp_path / "doc.yaml"
    deep = "[" * 250 + "]" * 250
    head = "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\n"
    doc.write_text(f"{head}x-a: &a {deep}\nx-b: [[[[[[*a]]]]]]\n")
    too_deep = "error: nested more than 256 levels deep (gen reads documents 256 levels deep at most)"
    with pytest.raises(GenError) as refused:
        generator.load(doc)
    assert str(refused.value) == f"{doc}: {too_deep}"
    doc.write_text(f"{head}x-loop: &loop [1, *loop]\n")
    with pytest.raises(GenError) as refused:
        generator.load(doc)
    assert str(refused.value) == f"{doc}: {too_deep}"
    doc = tmp_path / "doc.json"
    json_head = '{"asyncapi": "3.0.0", "info": {"title": "t", "version": "1"}, "x-a": '
    doc.write_text(f"{json_head}{deep}}}")
    assert generator.validate(doc) == []
    doc.write_text(f"{json_head}[[[[[[{deep}]]]]]]}}")
    with pytest.raises(GenError) as refused:
        generator.load(doc)
    assert str(refused.value) == f"{doc}: {too_deep}"
    doc = tmp_path / "shared.yaml"
    doc.write_text(
        "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nchannels:\n  c:\n    messages:\n      m:\n"
        "        payload:\n          properties:\n"
        "            home: &address {type: object, properties: {street: {type: string}}}\n"
        "            work: *address\n            old: {type: array, items: *address}\n"
    )
    members = _valid_members(doc)
    assert members["home"] == members["work"] == members["old"]["items"]
