"""Message recognition: the table built from payload schemas, and the stdlib-only matcher that reads it."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import generator
from generator.recognize import discriminator_table, message_rules
from generator.resources import bundled_document
from generator.runtime import recognition
from generator.runtime.recognition import closest, compile_table, explain, recognize

FIXTURES = Path(__file__).parent / "fixtures" / "check"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "events"
RUNTIME = Path(recognition.__file__)


def _doc(tmp_path: Path, schemas: dict[str, Any], messages: dict[str, Any] | None = None) -> Any:
    """A 3.0 document with one channel per message; `messages` maps name -> payload (default: the schema)."""
    messages = messages or {name: {"$ref": f"#/components/schemas/{name}"} for name in schemas}
    document = {
        "asyncapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "channels": {
            name: {"address": name, "messages": {name: {"$ref": f"#/components/messages/{name}"}}}
            for name in messages
        },
        "components": {
            "messages": {name: ({"payload": p} if p is not None else {}) for name, p in messages.items()},
            "schemas": schemas,
        },
    }
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(document))
    return generator.load(path)


@pytest.fixture(scope="module")
def mini() -> Any:
    return generator.load(FIXTURES / "mini-lambda.yaml")


# --- the table ---------------------------------------------------------------------------------------------


def test_table_of_the_mini_document(mini: Any) -> None:
    table = discriminator_table(mini.event_messages())
    by_name = {entry["message"]: entry for entry in table}
    assert [e["message"] for e in table] == [m.name for m in mini.event_messages()]
    # told by a constant: of the required members, only the top-level ones still say which message it is
    assert by_name["S3Event"]["rules"] == [
        [["Records", 0, "eventSource"], "const", "aws:s3"],
        [[], "type", "object"],
        [["Records"], "required", None],
    ]
    evidence = {e["message"]: e for e in discriminator_table(mini.event_messages(), evidence=True)}
    assert evidence["S3Event"]["rules"][3:] == [
        [["Records", 0, "eventName"], "required", None],
        [["Records", 0, "s3"], "required", None],
    ]
    # a single-value enum is a constant too
    assert [["Records", 0, "eventSource"], "const", "aws:sqs"] in by_name["SQSEvent"]["rules"]
    # allOf merges the $ref'd EventBridge schema with the constants: more rules, more specific
    scheduled = by_name["ScheduledEvent"]
    assert scheduled["rules"][:2] == [
        [["detail-type"], "const", "Scheduled Event"],
        [["source"], "const", "aws.events"],
    ]
    assert scheduled["specificity"] > by_name["EventBridgeEvent"]["specificity"]
    # required members deeper than two steps are left to validation
    assert [["awslogs", "data"], "required", None] in by_name["CloudWatchLogsEvent"]["rules"]
    assert not any(len([t for t in r[0] if isinstance(t, str)]) > 2 for e in table for r in e["rules"])


def test_table_is_plain_deterministic_data(mini: Any) -> None:
    first = discriminator_table(mini.event_messages())
    again = discriminator_table(generator.load(FIXTURES / "mini-lambda.yaml").event_messages())
    assert json.dumps(first) == json.dumps(again)
    assert json.loads(json.dumps(first)) == first


def test_optional_members_and_ref_siblings_give_no_rules(tmp_path: Path) -> None:
    document = _doc(
        tmp_path,
        {
            "Thing": {
                "type": "object",
                "required": ["kind", "inner"],
                "properties": {
                    "kind": {"enum": ["a", "b"]},
                    "optional": {"const": "x"},  # not required: says nothing about an event without it
                    "inner": {"$ref": "#/components/schemas/Inner", "const": "ignored"},  # draft-07
                },
            },
            "Inner": {"type": "object", "required": ["deep"], "properties": {"deep": {"const": 1}}},
        },
        {"Thing": {"$ref": "#/components/schemas/Thing"}},
    )
    rules = message_rules(document.messages["Thing"])
    assert ((), "type", "object") in rules
    assert (("kind",), "enum", ["a", "b"]) in rules
    assert (("inner", "deep"), "const", 1) in rules
    assert not any(pointer == ("optional",) for pointer, _, _ in rules)
    assert not any(value == "ignored" for _, _, value in rules)
    assert (("kind",), "required", None) not in rules  # implied by the enum rule


def test_any_of_keeps_the_rules_all_branches_share(tmp_path: Path) -> None:
    document = _doc(
        tmp_path,
        {
            "Either": {
                "anyOf": [
                    {"type": "object", "required": ["a", "kind"], "properties": {"kind": {"const": "k"}}},
                    {"type": "object", "required": ["b", "kind"], "properties": {"kind": {"const": "k"}}},
                ]
            }
        },
    )
    rules = message_rules(document.messages["Either"])
    assert (("kind",), "const", "k") in rules
    assert ((), "type", "object") in rules
    assert not any(pointer in (("a",), ("b",)) for pointer, _, _ in rules)


def test_recursive_schema_and_missing_payload(tmp_path: Path) -> None:
    document = _doc(
        tmp_path,
        {
            "Node": {
                "type": "object",
                "required": ["kind", "child"],
                "properties": {"kind": {"const": "node"}, "child": {"$ref": "#/components/schemas/Node"}},
            }
        },
        {"Node": {"$ref": "#/components/schemas/Node"}, "Anything": None},
    )
    table = discriminator_table(list(document.messages.values()))
    node, anything = table
    assert [["kind"], "const", "node"] in node["rules"]
    assert node["rules"] == [
        [["kind"], "const", "node"],
        [[], "type", "object"],
        [["child"], "required", None],
    ]
    assert anything == {"message": "Anything", "rules": [], "specificity": 0}
    # a message without a payload schema accepts any event, as the least specific match
    assert recognize({"kind": "node", "child": {"kind": "node"}}, table) == ["Node", "Anything"]
    assert recognize([1, 2], table) == ["Anything"]


# --- the matcher -------------------------------------------------------------------------------------------

TABLE: list[dict[str, Any]] = [
    {"message": "Base", "rules": [[[], "type", "object"], [["source"], "required", None]], "specificity": 2},
    {
        "message": "Special",
        "rules": [[["source"], "const", "aws.events"], [["detail-type"], "const", "Scheduled Event"]],
        "specificity": 8,
    },
    {"message": "Batch", "rules": [[["Records", 0, "eventSource"], "const", "aws:s3"]], "specificity": 4},
    {"message": "Flag", "rules": [[["on"], "const", True], [["n"], "type", "integer"]], "specificity": 5},
    {"message": "Pick", "rules": [[["kind"], "enum", ["a", 1]]], "specificity": 2},
    {"message": "Items", "rules": [[[], "type", "array"], [[0, "id"], "required", None]], "specificity": 2},
]


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ({"source": "aws.events", "detail-type": "Scheduled Event"}, ["Special", "Base"]),
        ({"source": "aws.events", "detail-type": "Other"}, ["Base"]),
        ({"Records": [{"eventSource": "aws:s3"}, {"eventSource": "aws:sqs"}]}, ["Batch"]),  # first record
        ({"Records": []}, []),
        ({"Records": {"0": {"eventSource": "aws:s3"}}}, []),  # an array step never enters an object
        ({"on": True, "n": 3}, ["Flag"]),
        ({"on": True, "n": 3.0}, ["Flag"]),  # an integral float is an integer, as in JSON Schema
        ({"on": 1, "n": 3}, []),  # true is not 1
        ({"on": True, "n": True}, []),  # nor is a boolean an integer
        ({"kind": 1.0}, ["Pick"]),
        ({"kind": True}, []),
        ([{"source": "x"}], []),
        ([{"id": 1}, {}], ["Items"]),  # an array meets rules on its (first) item
        ([{"x": 1}], []),
        ([], []),  # one with none is for validity to settle (gen check), not rules
        ("text", []),
    ],
)
def test_recognize(event: object, expected: list[str]) -> None:
    assert recognize(event, TABLE) == expected
    assert compile_table(TABLE).recognize(event) == expected


def test_equal_specificity_keeps_table_order() -> None:
    table = [
        {"message": name, "rules": [[["x"], "required", None]], "specificity": 1} for name in ("B", "A", "C")
    ]
    assert recognize({"x": 1}, table) == ["B", "A", "C"]


def test_unknown_operation_fails_closed() -> None:
    table = [{"message": "M", "rules": [[["x"], "matches-regex", "^a"]], "specificity": 1}]
    assert recognize({"x": "abc"}, table) == []
    assert explain({"x": "abc"}, [["x"], "matches-regex", "^a"]) == "/x has an unknown rule 'matches-regex'"


@pytest.mark.parametrize(
    ("value", "op", "expected", "held"),
    [
        ("a", "const", "a", True),
        ("a", "const", "b", False),
        ("1", "const", 1, False),  # a string equals only a string
        (1, "const", "1", False),
        (1, "const", 1.0, True),
        (True, "const", 1, False),  # nor is a boolean a number
        ({"k": ["a"]}, "const", {"k": ["a"]}, True),
        ("a", "enum", ["a", 1], True),
        ("1", "enum", [1, True], False),
        (1, "enum", ["1", 1.0], True),
        (True, "enum", [1, "true"], False),
        ("a", "enum", "a", False),  # an enum that is not a list holds for no value
        (None, "const", None, True),
    ],
)
def test_a_rule_holds_as_json_schema_compares(value: object, op: str, expected: object, held: bool) -> None:
    """`holds`, which tells whether a rule holds with no sentence made, and `explain` agree, and compare
    values as JSON Schema's `const` and `enum` do."""
    rule = [["v"], op, expected]
    assert recognition.holds({"v": value}, rule) is held
    assert (explain({"v": value}, rule) is None) is held
    assert recognition.holds({}, rule) is False  # a missing member meets no rule


def test_closest_explains_each_failing_rule() -> None:
    table = [
        {
            "message": "S3Event",
            "rules": [
                [["Records", 0, "eventSource"], "const", "aws:s3"],
                [["Records", 0, "s3"], "required", None],
            ],
            "specificity": 5,
        },
        {"message": "Other", "rules": [[["a/b"], "type", ["string", "null"]]], "specificity": 1},
    ]
    name, reasons = closest({"Records": [{"eventSource": "aws:sqs"}]}, table)
    assert name == "S3Event"
    assert reasons == ['/Records/0/eventSource is "aws:sqs", expected "aws:s3"', "/Records/0/s3 is missing"]
    assert closest({"a/b": 3}, table) == ("Other", ["/a~1b is integer, expected string or null"])
    assert closest({}, []) == ("", [])
    assert explain({"k": "z"}, [["k"], "enum", ["a", "b"]]) == '/k is "z", expected one of "a", "b"'


def test_a_member_that_is_not_the_container_a_rule_reads_is_what_is_wrong() -> None:
    """A record not wrapped in its array, or an item that is null: every rule below fails at that member,
    which is said once, not each member below it as missing; and the closest message is the one whose
    rules the record would meet as the array's item."""
    table = [
        {
            "message": message,
            "rules": [
                [["Records", 0, "eventSource"], "const", source],
                [["Records", 0, key], "required", None],
            ],
            "specificity": 5,
        }
        for message, source, key in (("S3Event", "aws:s3", "s3"), ("SQSEvent", "aws:sqs", "body"))
    ]
    unwrapped = {"Records": {"eventSource": "aws:sqs", "body": "{}"}}
    assert closest(unwrapped, table) == ("SQSEvent", ["/Records is object, expected array"])
    assert closest({"Records": [None]}, table)[1] == ["/Records/0 is null, expected object"]
    assert closest({"Records": "x"}, table)[1] == ["/Records is string, expected array"]
    assert closest({"Records": [{"eventSource": "aws:s3", "s3": 1}]}, table) == ("S3Event", [])
    assert recognition.failure({"Records": []}, table[0]["rules"][0]) == (
        ("Records", 0, "eventSource"),
        "is missing",
    )
    assert not recognition.holds(unwrapped, table[1]["rules"][0])
    assert recognition.holds(unwrapped, table[1]["rules"][0], as_items=True)


def test_unknown_says_why_in_one_sentence_closest_or_nothing_in_common() -> None:
    """The sentence generated routers raise for an event that is none of their messages: the closest
    message and its failing rules when the event has a member one tests; when it has none (an Alexa event
    at an S3 function), no message is named, only the event's fields."""
    table = [
        {
            "message": "S3Event",
            "rules": [[[], "type", "object"], [["Records", 0, "eventSource"], "const", "aws:s3"]],
            "specificity": 5,
        },
        {
            "message": "Other",
            "rules": [[[], "type", "object"], [["kind"], "const", "other"]],
            "specificity": 1,
        },
    ]
    assert recognition.in_common({"Records": [{"eventSource": "aws:sqs"}]}, table)  # there, another value
    assert not recognition.in_common({"Records": [{"source": "aws:s3"}]}, table)
    assert recognition.unknown({"kind": "another"}, table) == (
        "the event is none of the known messages; "
        'the closest is Other, but /kind is "another", expected "other"'
    )
    stranger = {"session": {}, 'x"</script>': 1, **{f"k{n}": n for n in range(9)}}
    said = recognition.unknown(stranger, table, "expected messages")
    assert said == (
        "the event is none of the expected messages and has nothing in common with them (its fields are "
        '"session", "x\\"</script>", "k0", "k1", "k2", "k3", "k4", "k5", ...)'
    )
    assert recognition.unknown({}, table).endswith("has nothing in common with them (it is an empty object)")
    assert recognition.unknown([1], table).endswith(
        "but / is array, expected object"  # where every other rule fails too: said once
    )
    assert recognition.unknown({"kind": 1}, []) == "the event is none of the known messages (there are none)"


def _closest_rule_by_rule(event: Any, table: Any) -> tuple[str, list[str]]:
    """`closest` as its docstring says it, every rule of every entry tested: the reference for its bound."""
    compiled = compile_table(table)
    best: tuple[tuple[int, float], Any] | None = None
    for entry in compiled.entries:
        rules = entry.get("rules", [])
        held = [recognition.holds(event, rule, as_items=True) for rule in rules]
        reach = sum(
            recognition._reach(event, rule[0]) for rule, ok in zip(rules, held, strict=True) if not ok
        )
        if best is None or (sum(held), reach) > best[0]:
            best = ((sum(held), reach), entry)
    if best is None:
        return "", []
    reasons = [explain(event, rule) for rule in best[1].get("rules", [])]
    return str(best[1]["message"]), list(dict.fromkeys(r for r in reasons if r is not None))


def test_closest_tests_few_entries_and_names_what_testing_every_rule_names() -> None:
    """`closest` skips entries whose rules, under the members an event has, are fewer than another entry
    met: over the corpus (foreign events included), with members dropped and the events wrapped, against the
    bundled document's tables, it names what testing every rule of every entry names, with the same
    sentences."""
    document = generator.load(bundled_document())
    events = [json.loads(path.read_text()) for path in sorted(CORPUS.rglob("*.json"))]
    assert len(events) > 150
    variants: list[Any] = []
    for event in events:
        variants += [event, {"detail": event}, [event], "text", None]
        if isinstance(event, dict):
            variants += [{k: v for k, v in event.items() if k != key} for key in event]
            if isinstance(event.get("Records"), list) and event["Records"]:  # a record not in its array
                variants += [{"Records": event["Records"][0]}, {"Records": [None]}]
    for evidence in (False, True):
        table = compile_table(discriminator_table(document.event_messages(), evidence=evidence))
        for event in variants:
            assert closest(event, table) == _closest_rule_by_rule(event, table), event
    # rules on the event itself, and on the items of an event that is an array, count towards the bound
    by_rank = [
        ("Records", [[["Records"], "required", None]]),
        ("Array", [[[], "type", "array"]]),
        ("Numbers", [[[0], "type", "integer"], [[1], "type", "integer"]]),
    ]
    table = compile_table(
        [
            {"message": name, "rules": rules, "specificity": 3 - rank}
            for rank, (name, rules) in enumerate(by_rank)
        ]
    )
    for event in ([1, 2], ["a"], ["a", 1], {"Records": []}, {}, 3):
        assert closest(event, table) == _closest_rule_by_rule(event, table), event
    assert [closest(event, table)[0] for event in (["a"], [1, 2])] == ["Array", "Numbers"]
    # an object is not weighed as an item of an array payload (below the event, an object where an item is
    # read is): the bound, which counts the members an event has, agrees
    batch_or_single = compile_table(
        [
            {"message": "Batch", "rules": [[[0, "kind"], "const", "order"], [[0, "qty"], "required", None]]},
            {"message": "Single", "rules": [[["kind"], "const", "refund"], [["extra"], "required", None]]},
        ]
    )
    for event in ({"kind": "order", "qty": 2}, [{"kind": "order"}], {"kind": "refund"}, {"extra": 1}):
        assert closest(event, batch_or_single) == _closest_rule_by_rule(event, batch_or_single), event
    assert closest({"kind": "order", "qty": 2}, batch_or_single)[0] == "Single"


def test_closest_breaks_ties_by_how_far_the_failing_rules_reach() -> None:
    """Equal rules met: the message whose failing rule's path exists furthest into the event wins."""
    table = [
        {"message": "Shallow", "rules": [[["detail", "kind"], "const", "x"]], "specificity": 9},
        {"message": "Half", "rules": [[["Records", 0, "s3", "bucket"], "required", None]], "specificity": 1},
        {"message": "Deep", "rules": [[["Records", 0, "eventSource"], "const", "aws:s3"]], "specificity": 1},
    ]
    assert closest({"Records": [{"eventSource": "aws:sqs"}]}, table)[0] == "Deep"  # all of it exists
    assert closest({"Records": [{"s3": {}}]}, table)[0] == "Half"  # 3 of its 4 steps exist
    assert closest({"Records": [{}]}, table)[0] == "Deep"  # 2 of its 3 steps exist, 2 of Half's 4
    assert closest({"other": 1}, table)[0] == "Shallow"  # nothing reaches: table order


# --- the runtime module stays copyable into generated packages ---------------------------------------------


def test_runtime_imports_only_the_standard_library() -> None:
    tree = ast.parse(RUNTIME.read_text())
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 0
    }
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}, imported


def test_runtime_copy_runs_alone_and_passes_ruff_and_mypy(tmp_path: Path) -> None:
    package = tmp_path / "app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    shutil.copy(RUNTIME, package / "_recognition.py")
    script = (
        "import json, sys; sys.path.insert(0, '.'); from app._recognition import recognize; "
        "print(json.dumps(recognize(*json.load(sys.stdin))))"
    )
    run = subprocess.run(
        [sys.executable, "-I", "-c", script],
        input=json.dumps([{"Records": [{"eventSource": "aws:s3"}]}, TABLE]),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    assert json.loads(run.stdout) == ["Batch"]
    bin_dir = Path(sys.executable).parent
    ruff = subprocess.run(
        [
            str(bin_dir / "ruff"),
            "check",
            "--isolated",
            "--select",
            "E,F,W,I,UP,B,SIM,RUF",
            "--line-length",
            "110",
            "app",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert ruff.returncode == 0, ruff.stdout
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-version", "3.11", "app"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert mypy.returncode == 0, mypy.stdout


# --- the recorded corpus -----------------------------------------------------------------------------------

EVENTS = Path(__file__).resolve().parents[2] / "shared" / "events"
#: With the reduced document, these events of other sources carry every field it asks for. Lambda function
#: URLs send the HTTP API v2 payload format itself (AWS documents it so), so no schema can tell them apart;
#: authorizer requests share the proxy envelope, and only the full schemas' required fields (`body`,
#: `isBase64Encoded`) exclude them.
_POWERTOOLS = "powertools-lambda-python/_negative/"
REDUCED_COLLISIONS = {
    f"{_POWERTOOLS}apiGatewayAuthorizerRequestEvent.json": "APIGatewayProxyEvent",
    "aws-sam-cli/_negative/ApiGatewayRestRequestAuthorizer.json": "APIGatewayProxyEvent",
    f"{_POWERTOOLS}apiGatewayAuthorizerV2Event.json": "APIGatewayV2ProxyEvent",
    f"{_POWERTOOLS}lambdaFunctionUrlEvent.json": "APIGatewayV2ProxyEvent",
    f"{_POWERTOOLS}lambdaFunctionUrlEventPathTrailingSlash.json": "APIGatewayV2ProxyEvent",
    f"{_POWERTOOLS}lambdaFunctionUrlEventWithHeaders.json": "APIGatewayV2ProxyEvent",
    f"{_POWERTOOLS}lambdaFunctionUrlIAMEvent.json": "APIGatewayV2ProxyEvent",
}


def test_the_twelve_lambda_messages_are_told_apart_on_the_corpus() -> None:
    """A document reduced to the twelve messages' constants and required fields, over every recorded event."""
    import csv

    document = generator.load(FIXTURES / "lambda-recognition.yaml")
    table = compile_table(discriminator_table(document.event_messages()))
    with (EVENTS / "INDEX.tsv").open(newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    wrong = []
    for row in rows:
        found = table.recognize(json.loads((EVENTS / row["file"]).read_text()))
        label = row["message type"]
        if label == "NEGATIVE":
            expected = [REDUCED_COLLISIONS[row["file"]]] if row["file"] in REDUCED_COLLISIONS else []
            if found != expected:
                wrong.append(f"{row['file']}: negative, recognised as {found}")
        elif row["valid"] == "yes" and found[:1] != [label]:
            wrong.append(f"{row['file']}: {label}, recognised as {found}")
    assert not wrong, "\n".join(wrong)
    assert sum(row["valid"] == "yes" for row in rows) >= 50


def test_the_table_lists_the_arrays_a_schema_forbids_to_be_empty(tmp_path: Path) -> None:
    """`nonempty`: the arrays an entry's rules read an item of whose schema says `minItems` of 1 or more
    (1.0 too), `contains`, or every `anyOf` branch so, in any view (a `$ref`, an `allOf` branch); none for
    an array that may be empty, or whose items no rule reads. The bundled document's five batches of
    `Records` are such arrays."""
    item = {"type": "object", "required": ["id"], "properties": {"id": {"const": "x"}}}
    document = _doc(
        tmp_path,
        {
            "Batch": {
                "type": "object",
                "required": ["records", "tags", "notes", "pairs", "floats", "found", "either", "maybe"],
                "properties": {
                    "records": {"$ref": "#/components/schemas/Records"},
                    "tags": {"type": "array", "items": item},  # may be empty
                    "notes": {"type": "array", "minItems": 3},  # no rule reads its items
                    "pairs": {"allOf": [{"type": "array", "items": item}, {"minItems": 1}]},
                    "floats": {"type": "array", "items": item, "minItems": 1.0},
                    "found": {"type": "array", "items": item, "contains": {"type": "object"}},
                    "either": {"items": item, "anyOf": [{"minItems": 1}, {"minItems": 2}]},
                    "maybe": {"items": item, "anyOf": [{"minItems": 1}, {"maxItems": 2}]},  # one may be empty
                },
            },
            "Records": {"type": "array", "minItems": 1, "items": item},
        },
        {"Batch": {"$ref": "#/components/schemas/Batch"}},
    )
    (entry,) = discriminator_table([document.messages["Batch"]])
    assert entry["nonempty"] == [["records"], ["pairs"], ["floats"], ["found"], ["either"]]
    lambda_document = generator.load(bundled_document())
    listed = {e["message"]: e.get("nonempty") for e in discriminator_table(lambda_document.event_messages())}
    batches = ("S3Event", "SQSEvent", "SNSEvent", "DynamoDBStreamEvent", "KinesisEvent")
    assert all(listed[name] == [["Records"]] for name in batches), listed


def test_a_router_takes_an_empty_array_only_where_the_schema_allows_one() -> None:
    """`route` falls back on `hollow`: entries whose rules fail only on the first item of an array the event
    has empty, and that allow it empty. `hollow(even_nonempty=True)`, for the checker, which validates,
    takes those that do not too. An item present but wrong is no such failure."""
    table = compile_table(
        [
            {"message": "Refund", "rules": [[["items", 0, "kind"], "const", "refund"]], "specificity": 4},
            {
                "message": "Order",
                "rules": [[["orderId"], "required", None], [["items", 0, "sku"], "required", None]],
                "specificity": 2,
            },
            {
                "message": "Batch",
                "rules": [[["Records", 0, "eventSource"], "const", "aws:s3"]],
                "specificity": 4,
                "nonempty": [["Records"]],
            },
        ]
    )
    # the most rules met first: the refund's constant on an item it lacks makes it no closer
    assert table.route({"orderId": "o1", "items": []}) == ["Order", "Refund"]
    assert table.route({"items": []}) == ["Refund"]
    assert table.recognize({"orderId": "o1", "items": []}) == []
    assert table.route({"items": [{"name": "x"}]}) == []
    assert table.route({"Records": []}) == []
    assert table.hollow({"Records": []}, even_nonempty=True) == ["Batch"]
    assert table.route({"Records": [{"eventSource": "aws:s3"}]}) == ["Batch"]
    assert table.route({"source": "x"}) == []  # no array at all
    lambda_table = compile_table(discriminator_table(generator.load(bundled_document()).event_messages()))
    assert lambda_table.route({"Records": []}) == []
