"""The typed fast path (`generator.checker.typed`): msgspec decoders that prove lines valid straight from
their bytes must never pass what the full check refuses, nor name another message.

Differential: every line goes through a checker with the typed path and one without, which must return
equal results, over the recorded corpus, thousands of mutations of it (members dropped, retyped, added,
batches emptied) and byte-level edge cases (invalid UTF-8, numbers out of range, duplicate members).
"""

from __future__ import annotations

import base64
import csv
import dataclasses
import gzip
import io
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import orjson
import pytest
from documents import FAN_OUT, fan_out_event
from jsonschema import Draft7Validator

import generator
from generator.checker.engine import _HELD_LINES, Checker
from generator.checker.result import Summary
from generator.checker.sources import read
from generator.checker.typed import compile_typed
from generator.resources import bundled_document

EVENTS = Path(__file__).resolve().parents[2] / "shared" / "events"
MINI = Path(__file__).parent / "fixtures" / "check" / "mini-lambda.yaml"
#: Values a member is set to, one at a time: each kind of JSON value, and near misses of common ones.
REPLACEMENTS: list[Any] = [None, True, 0, -1, 1.5, 2**70, "", "x", "ObjectCreated:Put", "aws:sqs", [], {}]


def _accepts(compiled: Any, event: Any) -> bool:
    """Whether a typed decoder accepts `event`, written as JSON."""
    try:
        compiled.decode(json.dumps(event).encode())
    except msgspec.DecodeError:
        return False
    return True


def _corpus() -> list[Any]:
    with (EVENTS / "INDEX.tsv").open(newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [json.loads((EVENTS / row["file"]).read_text()) for row in rows]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, member in value.items():
            found += _paths(member, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:2]):
            found += _paths(item, (*prefix, index))
    return found


def _set(event: Any, path: tuple[Any, ...], value: Any, *, delete: bool = False) -> Any:
    copy = json.loads(json.dumps(event))
    node = copy
    for step in path[:-1]:
        node = node[step]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return copy


def _mutations(event: Any, per_event: int) -> list[Any]:
    """`event`, and copies with one member dropped, retyped or added, spread over its members."""
    found = [event]
    paths = _paths(event)
    stride = max(1, len(paths) // per_event)
    for number, path in enumerate(paths[::stride]):
        if isinstance(path[-1], str):
            found.append(_set(event, path, None, delete=True))
            found.append(_set(event, (*path[:-1], "zzUndeclared"), 1))
        found.append(_set(event, path, REPLACEMENTS[number % len(REPLACEMENTS)]))
        found.append(_set(event, path, REPLACEMENTS[(number * 7 + 3) % len(REPLACEMENTS)]))
    if isinstance(event, dict) and isinstance(event.get("Records"), list):
        found.append({**event, "Records": []})
    return found


def _edge_lines(line: bytes) -> list[bytes]:
    """Byte-level variants of a valid line that orjson, and so the full check, refuses or reads apart."""
    inner = line[1:-1]
    return [
        line.replace(b'":"', b'":"\xff', 1),  # invalid UTF-8 in the first string value
        line.replace(b'":"', b'":"\\ud800', 1),  # a lone surrogate
        b'{"zzUndeclared":1e400,' + inner + b"}",  # a number orjson refuses
        b'{"zzUndeclared":"\xc3",' + inner + b"}",  # invalid UTF-8 in an unknown member
        line[:-1] + b',"zzUndeclared":NaN}',
        line + b" x",  # trailing garbage
        line[: len(line) // 2],  # truncated
        b"\xef\xbb\xbf" + line,  # a byte order mark inside a line
        line[:-1] + b"," + inner + b"}",  # every member twice: the last one counts
    ]


def _lines(events: list[Any], per_event: int) -> list[bytes]:
    lines: list[bytes] = []
    for event in events:
        for variant in _mutations(event, per_event):
            lines.append(json.dumps(variant, separators=(",", ":")).encode())
        if isinstance(event, dict):
            lines += _edge_lines(orjson.dumps(event))
    return lines


@pytest.mark.parametrize(
    ("document_path", "typed_share"), [(MINI, 0.2), (bundled_document(), 0.2)], ids=["mini", "bundled"]
)
def test_typed_path_gives_the_full_check_s_results(document_path: Path, typed_share: float) -> None:
    document = generator.load(document_path)
    corpus = _corpus()
    lines = _lines(corpus, per_event=10)
    typed, plain = Checker(document), Checker(document, typed=False)
    for event in corpus:  # every message's checks (and typed decoders) built first
        typed.check("warm-up", orjson.dumps(event))
    assert typed._typed, "no typed decoder was built"
    taken = 0
    for number, line in enumerate(lines):
        source = f"mutations.jsonl:{number + 1}"
        taken += typed.typed(line) is not None
        assert typed.check(source, line) == plain.check(source, line), (source, line[:300])
    assert taken >= typed_share * len(corpus), f"the typed path took only {taken} of {len(lines)} lines"


def _corpus_by_message() -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    with (EVENTS / "INDEX.tsv").open(newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            found.setdefault(row["message type"], []).append(json.loads((EVENTS / row["file"]).read_text()))
    return found


def test_the_loop_over_events_gives_check_s_results(tmp_path: Path) -> None:
    """`Checker.check_all`, which decodes and counts lines of a settled start itself, against `check`
    without the typed path, item by item and in the summary, over the corpus mutations twice over (the
    second time most starts are settled): interleaved as in a mixed archive, and one message at a time as
    in a queue's archive (its recorded events and the document's examples, as they are, then mutated).
    Then as a file, whose reader hands the lines it can settle to the checker (`Checker.taker`)."""
    document = generator.load(bundled_document())
    runs = [_lines(_corpus(), per_event=6)]
    recorded = _corpus_by_message()
    for message in document.event_messages():
        examples = [e.payload for e in message.examples if e.has_payload]
        events = recorded.get(message.name, []) + examples
        runs += [[orjson.dumps(event) for event in events], _lines(events, per_event=6)]
    settled = taken = 0
    for lines in runs:
        items = [(f"mutations.jsonl:{n + 1}", line) for n, line in enumerate(lines * 2)]
        checker, plain = Checker(document), Checker(document, typed=False)
        counted, expected = Summary(), Summary()
        results = [plain.check(source, line) for source, line in items]
        for result in results:
            expected.add(result)
        assert list(checker.check_all(items, counted)) == results
        _assert_same_counts(counted, expected)
        settled += len(checker._settled)
        # a report of what is wrong gets all of that and no clean pass, held for the slow path or not
        # (by a new checker, and by this one, whose typed checks now see each message's first events)
        for hold, lean_checker in ((True, Checker(document)), (False, Checker(document)), (True, checker)):
            lean = Summary()
            found = list(lean_checker.check_all(items, lean, hold=hold, passes=False))
            assert found == [result for result in results if not result.clean]
            _assert_same_counts(lean, expected)
        path = tmp_path / "mutations.jsonl"
        path.write_bytes(b"\n".join(lines * 2))  # some mutations hold a line end: more lines
        file_results, expected = [plain.check(*item) for item in read([path])], Summary()
        for result in file_results:
            expected.add(result)
        for taker in (Checker(document), checker):
            lean, made = Summary(), []
            read_items = read([path], take=taker.taker(lean))
            found = list(taker.check_all((made.append(1) or i for i in read_items), lean, passes=False))
            assert found == [result for result in file_results if not result.clean]
            _assert_same_counts(lean, expected)
            taken += len(file_results) - len(made)
    assert settled >= 20, "few starts were settled: the test would not reach the loop's path"
    assert taken >= sum(len(lines) for lines in runs) // 4, "the reader's loop took few lines"


def _assert_same_counts(counted: Summary, expected: Summary) -> None:
    assert counted == expected  # passes of the loop's own path are counted as `Summary.add` would
    # in the same order too: lines held for the slow path are counted in input order
    assert list(counted.messages) == list(expected.messages)
    assert [list(c.undeclared) for c in counted.messages.values()] == [
        list(c.undeclared) for c in expected.messages.values()
    ]


def _counting_decodes(checker: Checker) -> dict[str, int]:
    tries: dict[str, int] = {}
    for typed in checker._typed:

        def counted(line: bytes, decode: Any = typed.decode, name: str = typed.name) -> Any:
            tries[name] = tries.get(name, 0) + 1
            return decode(line)

        typed.decode = counted
    checker._settled = {start: checker._typed[hints[0]] for start, hints in checker._hints.items() if hints}
    return tries


@pytest.mark.parametrize("dumps", [orjson.dumps, lambda e: json.dumps(e).encode()], ids=["compact", "spaced"])
def test_scheduled_and_other_eventbridge_events_in_one_archive_are_not_decoded_in_vain(
    dumps: Callable[[Any], bytes],
) -> None:
    """A scheduled event is an EventBridge event whose lines start alike. Alone, scheduled lines take one
    decode (its own). Mixed with other EventBridge lines, the general check stays first, and a line holding
    the scheduled constant (``"Scheduled Event"``) tries the scheduled check first: every line takes one
    decode, whether written compact (as AWS sends events) or with spaces (as Python's `json.dumps` records
    them). A line holding it elsewhere (in ``detail``) is still an EventBridge event, and an archive with
    no scheduled event never looks for the constant."""
    document = generator.load(bundled_document())
    scheduled = next(e.payload for e in document.messages["ScheduledEvent"].examples if e.has_payload)
    other = next(e.payload for e in document.messages["EventBridgeEvent"].examples if e.has_payload)
    assert other["detail-type"] != "Scheduled Event"
    alone, mixed = [dumps(scheduled)] * 4, [dumps(e) for e in [other, scheduled] * 4]

    checker = Checker(document)
    list(checker.check_all([("warm-up", line) for line in alone]))
    tries = _counting_decodes(checker)
    results = list(checker.check_all([("scheduled.jsonl", line) for line in alone]))
    assert [r.message for r in results] == ["ScheduledEvent"] * 4
    assert tries == {"ScheduledEvent": 4}

    checker = Checker(document)
    list(checker.check_all([("warm-up", line) for line in mixed]))
    tries = _counting_decodes(checker)
    results = list(checker.check_all([("mixed.jsonl", line) for line in mixed]))
    assert [(r.message, r.also) for r in results] == [
        ("EventBridgeEvent", ()), ("ScheduledEvent", ("EventBridgeEvent",))
    ] * 4  # fmt: skip
    assert tries == {"EventBridgeEvent": 4, "ScheduledEvent": 4}
    mentioning = dumps({**other, "detail": {"note": "Scheduled Event"}})
    (result,) = checker.check_all([("mentioning.jsonl", mentioning)])
    assert (result.message, result.valid) == ("EventBridgeEvent", True)

    checker = Checker(document)
    list(checker.check_all([("others.jsonl", dumps(other))] * 3))
    assert [typed.needles for typed in checker._typed] == [[]]


def test_lines_one_check_accepts_as_different_messages_are_counted_each_as_its_own(tmp_path: Path) -> None:
    """The EventBridge check accepts scheduled events too, whose verdict is another message's. Written so
    that no line is sent to the scheduled check first (two spaces after each colon), the reader's loop
    still counts each line as the message it is, as the plain checker does: only a check whose verdict is
    the same for every line it accepts is counted without asking."""
    document = generator.load(bundled_document())
    scheduled = next(e.payload for e in document.messages["ScheduledEvent"].examples if e.has_payload)
    other = next(e.payload for e in document.messages["EventBridgeEvent"].examples if e.has_payload)
    events = [other, scheduled, other, other, scheduled] * 60
    path = tmp_path / "spaced.jsonl"
    path.write_bytes(b"\n".join(json.dumps(e, separators=(",", ":  ")).encode() for e in events))
    expected = Summary()
    for result in Checker(document, typed=False).check_all(read([path]), expected):
        assert result.valid
    checker, counted = Checker(document), Summary()
    assert list(checker.check_all(read([path], take=checker.taker(counted)), counted, passes=False)) == []
    _assert_same_counts(counted, expected)
    assert counted.messages["ScheduledEvent"].passed == 120


def test_member_checks_are_written_out_with_the_compiler_s_names_only() -> None:
    """A struct's checks run as a function written for it (`typed._struct_checks`), whose source holds only
    attribute names the compiler made: member names from the document, however they read, are data."""
    from generator.checker.typed import Unsupported, _Source, _struct_checks

    hostile = "m0 or __import__('os').system('exit 3')"
    schema = {
        "type": "object",
        "required": [hostile, "b"],
        "properties": {
            hostile: {"type": "object", "minProperties": 1},  # an island: checked by the function
            "b": {"type": "object", "additionalProperties": {"type": "string"}, "minProperties": 1},
        },
        "additionalProperties": False,
    }
    compiled = compile_typed(schema)
    assert compiled is not None
    key = json.dumps(hostile)
    compiled.decode(f'{{{key}:{{"a":1}},"b":{{"c":"d"}}}}'.encode())
    for wrong in (f'{{{key}:{{}},"b":{{"c":"d"}}}}', f'{{{key}:{{"a":1}},"b":{{"c":1}}}}'):
        with pytest.raises(msgspec.DecodeError):
            compiled.decode(wrong.encode())
    with pytest.raises(Unsupported):
        _struct_checks([("m0 or True", bool)], None, _Source())


def test_conditions_written_out_give_jsonschema_s_verdicts() -> None:
    """A struct's conditions run as one expression written for it (`_Compiler.written`): if/then/else, not,
    allOf, required, properties of members that are structs in turn, constants and patterns written out,
    other keywords (a bound, a type, the members of a plain object) called as their checks. Over every
    combination of members, a value is accepted exactly when `jsonschema` says it is valid."""
    import itertools

    inner = {
        "type": "object",
        "properties": {"d": {"type": ["string", "integer"]}},
        "additionalProperties": False,
    }
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "properties": {
            "a": {"type": "string"},
            "b": {"type": "integer"},
            "c": inner,
            "g": {"type": "object", "additionalProperties": {"type": "integer"}},  # a dict, not a struct
        },
        "additionalProperties": False,
        "allOf": [
            {
                "if": {"required": ["g"], "properties": {"g": {"required": ["h"]}}},
                "then": {"required": ["a"]},
            },
            {
                "if": {"required": ["a"], "properties": {"a": {"const": "x"}}},
                "then": {"required": ["b"]},
                "else": {"properties": {"c": {"required": ["d"]}}},
            },
            {"not": {"required": ["a"], "properties": {"a": {"enum": ["bad", "worse"]}}}},
            {"if": {"properties": {"b": {"const": 3}}}, "then": {"properties": {"a": {"pattern": "^z"}}}},
            {
                "if": {"properties": {"b": {"minimum": 10}}},
                "then": {"properties": {"c": {"properties": {"d": {"type": "integer"}}}}},
            },
            {"if": {"required": ["e"]}, "then": False},  # a member the struct cannot have
            {"if": {"required": ["a"], "properties": {"a": {"pattern": "^ba"}}}, "then": {"required": ["c"]}},
            {  # exact under `if`: "12\n" matches (``$`` before a final line feed), as in `re`
                "if": {"required": ["a"], "properties": {"a": {"pattern": "^[0-9]+$"}}},
                "then": {"required": ["c"]},
            },
        ],
    }
    compiled = compile_typed(schema)
    assert compiled is not None
    reference = Draft7Validator(schema)
    choices = {
        "a": [None, "x", "bad", "zed", "y", "12", "12\n"],
        "b": [None, 3, 12, 1],
        "c": [None, {}, {"d": "s"}, {"d": 4}],
        "g": [None, {}, {"h": 1}],
    }
    verdicts = set()
    for values in itertools.product(*choices.values()):
        event = {k: v for k, v in zip(choices, values, strict=True) if v is not None}
        accepted = _accepts(compiled, event)
        assert accepted == reference.is_valid(event), event
        verdicts.add(accepted)
    assert verdicts == {True, False}


@pytest.mark.parametrize(
    "pattern", ["^[0-9]+$", "^[0-9]*$", "^\\d+$", "^\\d*$", "^2\\.[0-9]+$", "^12", "^a\\.[0-9]*$"]
)
def test_prefixes_and_digits_are_checked_in_line_as_jsonschema_checks_them(pattern: str) -> None:
    """A pattern that only says a string starts with given text, or is made of digits, or both, is checked
    by slices and string methods written into the struct's function (a member), or called (an item of a
    list), not by a regular expression: a value is
    accepted only where `jsonschema` finds it valid, and every ASCII one where it does, but for a final
    line feed (which ``$`` lets through) and digits of other scripts (``\\d`` takes them): those are left
    to the full check."""
    digits = {"type": "string", "pattern": pattern}
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "properties": {
            "count": digits,
            "maybe": {"type": ["string", "null"], "pattern": pattern},
            "all": {"type": "array", "items": digits},
        },
        "additionalProperties": False,
    }
    compiled = compile_typed(schema)
    assert compiled is not None
    reference = Draft7Validator(schema)
    values = ["1", "8975425451911", "", "12a", "a12", " 12", "1.5", "-1", "\u0663\u0664", "12\n", "\u00b2"]
    values += ["2.1", "2.", "2.x", "2x1", "a.", "a.5", "a.5\n", "12\u0663"]
    events = [{"count": v} for v in values] + [{"maybe": v} for v in [*values, None]]
    events += [{"all": [v]} for v in values] + [{"all": ["1", v]} for v in values]
    for event in events:
        accepted = _accepts(compiled, event)
        text = json.dumps(event)
        left_to_the_full_check = "\\n" in text or "\\u" in text
        assert accepted == reference.is_valid(event) or (left_to_the_full_check and not accepted), event


#: Objects whose members are counted (minProperties/maxProperties), one a tagged union's variant (its tag
#: counts), an open object with members (closed by the compiler: stricter), a list referring to itself and
#: a tree referring to itself twice (each built once, the inner reference an island), and counted objects
#: as a mapping's values (an island).
_KIND_TAG = {
    "type": "object",
    "required": ["kind"],
    "additionalProperties": False,
    "maxProperties": 2,
    "properties": {"kind": {"enum": ["a", "b"]}, "x": {}, "y": {}},
    "if": {"properties": {"kind": {"const": "a"}}},
    "then": {"required": ["x"]},
}
_TREE = {
    "$defs": {
        "T": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "v": {"type": "integer"},
                "left": {"$ref": "#/$defs/T"},
                "right": {"$ref": "#/$defs/T"},
            },
        }
    },
    "$ref": "#/$defs/T",
}
_ONE_OF = {
    "type": "object",
    "additionalProperties": False,
    "minProperties": 1,
    "maxProperties": 1,
    "properties": {"S": {"type": "string"}, "N": {"type": "string"}, "BOOL": {"type": "boolean"}},
}
COUNTED: list[tuple[dict[str, Any], list[Any]]] = [
    (
        {
            "type": "object",
            "properties": {"auth": _ONE_OF, "n": {"type": "integer"}},
            "additionalProperties": False,
        },
        [{}, {"auth": {}}, {"auth": {"S": "a"}}, {"auth": {"S": "a", "N": "1"}}, {"auth": {"BOOL": 1}}],
    ),
    (
        {
            "type": "object",
            "properties": {"a": {}, "b": {}},
            "additionalProperties": False,
            "minProperties": 1,
        },
        [{}, {"a": 1}, {"a": 1, "b": None}],
    ),
    (_KIND_TAG, [{"kind": "a", "x": 1}, {"kind": "b", "x": 1}, {"kind": "b", "x": 1, "y": 2}, {"kind": "a"}]),
    (
        {
            "type": "object",
            "properties": {"a": {"type": "string"}, "b": {"type": "object", "properties": {"c": {}}}},
        },
        [{"a": "x"}, {"a": 1}, {"b": {}}, {"b": {"c": [1]}}, {"a": "x", "z": 1}, {"b": {"z": 1}}],
    ),
    (
        {
            "$defs": {
                "L": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"v": {"type": "integer"}, "next": {"$ref": "#/$defs/L"}},
                }
            },
            "$ref": "#/$defs/L",
        },
        [{}, {"next": {"next": {"v": 1}}}, {"next": {"next": {"v": "1"}}}],
    ),
    (
        _TREE,
        [{}, {"v": 1}, {"left": {"v": 2}}, {"left": {"right": {"v": 3}}}, {"left": {"right": {"v": "3"}}}],
    ),
    (
        {
            "type": "object",
            "properties": {"m": {"type": "object", "additionalProperties": _ONE_OF}},
            "additionalProperties": False,
        },
        [
            {"m": {}},
            {"m": {"k": {"S": "a"}}},
            {"m": {"k": {"S": "a"}, "j": {}}},
            {"m": {"k": {"N": "1", "S": "a"}}},
        ],
    ),
]


@pytest.mark.parametrize(("schema", "events"), COUNTED, ids=[str(n) for n in range(len(COUNTED))])
def test_counted_open_and_recursive_objects_are_accepted_as_jsonschema_finds_them(
    schema: dict[str, Any], events: list[Any]
) -> None:
    """How many members an object has is counted by its struct's function; an open object with members is
    a closed struct (an event with other members is left to the full check); a schema that refers to
    itself is built once, the reference inside it an island (a tree's two references built level after
    level never ended). Each event is accepted exactly when `jsonschema` finds it valid, but for members
    the closed struct refuses, and no struct is built twice."""
    compiled = compile_typed(schema)
    assert compiled is not None
    names = [struct.__name__ for struct in compiled.attributes]
    reference = Draft7Validator(schema)
    for event in events:
        accepted = _accepts(compiled, event)
        closed_here = '"z"' in json.dumps(event)  # a member the open object does not declare
        assert accepted == (reference.is_valid(event) and not closed_here), event
    assert len(names) <= 2, names


def test_a_schema_referred_to_from_many_places_is_built_once() -> None:
    """A named schema referred to twice a level, twelve levels down (an order's billing and shipping
    addresses, each holding...): its type is built once per level, not once per path to it (4,096 paths
    to the deepest; fifty levels would never end)."""
    levels = 12
    defs: dict[str, Any] = {
        f"T{i}": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"a": {"$ref": f"#/$defs/T{i + 1}"}, "b": {"$ref": f"#/$defs/T{i + 1}"}},
        }
        for i in range(levels)
    }
    defs[f"T{levels}"] = {"type": "string", "minLength": 2}
    compiled = compile_typed({"$defs": defs, "$ref": "#/$defs/T0"})
    assert compiled is not None
    assert len(compiled.attributes) <= 2 * levels + 1
    deep: Any = "ok"
    for _ in range(levels):
        deep = {"a": deep, "b": deep}
    assert _accepts(compiled, deep)
    last = deep
    for _ in range(levels - 1):
        last = last["a"]
    last["b"] = "x"  # shorter than the deepest schema allows
    assert not _accepts(compiled, deep)


def test_a_schema_built_once_is_built_apart_where_an_inner_payload_lies_below() -> None:
    """The same list schema under two members, an inner payload's check below the first only: that one's
    items are a type of their own, which checks it (shared, the other member's would check it too)."""
    box = {"type": "object", "additionalProperties": False, "properties": {"data": {"type": "string"}}}
    schema = {
        "$defs": {"L": {"type": "array", "items": {"$ref": "#/$defs/Box"}}, "Box": box},
        "type": "object",
        "additionalProperties": False,
        "properties": {"x": {"$ref": "#/$defs/L"}, "y": {"$ref": "#/$defs/L"}},
    }
    compiled = compile_typed(schema, {("x", None, "data"): lambda value: value != "bad"})
    assert compiled is not None
    assert _accepts(compiled, {"x": [{"data": "good"}], "y": [{"data": "bad"}]})
    assert not _accepts(compiled, {"x": [{"data": "bad"}], "y": [{"data": "good"}]})


def test_a_recursive_schema_s_fast_path_gives_the_full_check_s_results(tmp_path: Path) -> None:
    """`gen check` on a document whose payload refers to itself twice: compiled at once (it used to take
    twice as long each level down, for ever), and every event gets the full check's verdict."""
    document = tmp_path / "tree.yaml"
    document.write_text(
        json.dumps(
            {
                "asyncapi": "3.0.0",
                "info": {"title": "trees", "version": "1"},
                "channels": {
                    "trees": {
                        "address": "trees",
                        "messages": {"Tree": {"$ref": "#/components/messages/Tree"}},
                    }
                },
                "operations": {"take": {"action": "receive", "channel": {"$ref": "#/channels/trees"}}},
                "components": {
                    "messages": {"Tree": {"payload": {"$ref": "#/components/schemas/T"}}},
                    "schemas": {
                        "T": _TREE["$defs"]["T"]
                        | {
                            "required": ["v"],
                            "properties": {
                                "v": {"type": "integer"},
                                "left": {"$ref": "#/components/schemas/T"},
                                "right": {"$ref": "#/components/schemas/T"},
                            },
                        }
                    },
                },
            }
        )
    )
    loaded = generator.load(document)
    typed, plain = Checker(loaded), Checker(loaded, typed=False)
    lines = [
        b'{"v":1}',
        b'{"v":1,"left":{"v":2,"right":{"v":3}}}',
        b'{"v":1,"left":{"v":2,"right":{"v":"3"}}}',
        b'{"v":1,"left":{"right":{"v":3}}}',
        b'{"v":1,"left":{"v":2,"extra":{"v":3}}}',
    ]
    for number, line in enumerate(lines):
        source = f"trees.jsonl:{number + 1}"
        assert typed.check(source, line) == plain.check(source, line), line
    assert typed.typed(lines[1]) is not None, "the typed path took no tree"


def test_a_line_the_settled_check_refuses_is_not_decoded_by_it_again() -> None:
    """An invalid line starting like valid ones: the loop's typed check refuses it once, and the slow path
    says what is wrong, as a checker without the typed path does."""
    document = generator.load(bundled_document())
    event = next(e.payload for e in document.messages["SQSEvent"].examples if e.has_payload)
    wrong = json.loads(json.dumps(event))
    wrong["Records"][0]["awsRegion"] = 7
    valid, invalid = orjson.dumps(event), orjson.dumps(wrong)
    checker = Checker(document)
    list(checker.check_all([("warm-up", valid)] * 2))
    tries = _counting_decodes(checker)
    results = list(checker.check_all([("events.jsonl:1", valid), ("events.jsonl:2", invalid)]))
    assert tries == {"SQSEvent": 2}  # one decode a line
    assert results == [Checker(document, typed=False).check(s, line) for s, line in [
        ("events.jsonl:1", valid), ("events.jsonl:2", invalid)
    ]]  # fmt: skip
    assert not results[1].valid and results[1].errors[0].pointer == "/Records/0/awsRegion"


def test_a_line_the_reader_s_loop_gave_back_is_not_decoded_again(tmp_path: Path) -> None:
    """JSON Lines read with the checker's own loop (`taker`): invalid lines among valid ones are decoded
    once, by the loop, which hands them on; neither `check_all` nor the slow path, which checks them later
    in a batch, tries the same typed check again; the results are a plain checker's."""
    document = generator.load(bundled_document())
    event = next(e.payload for e in document.messages["SQSEvent"].examples if e.has_payload)
    wrong = json.loads(json.dumps(event))
    wrong["Records"][0]["awsRegion"] = 7
    lines = [orjson.dumps(event), orjson.dumps(wrong), orjson.dumps(wrong), orjson.dumps(event)]
    path = tmp_path / "events.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    checker, summary = Checker(document), Summary()
    list(checker.check_all([("warm-up", lines[0])] * 2))
    tries = _counting_decodes(checker)
    results = list(checker.check_all(read([path], take=checker.taker(summary)), summary, passes=False))
    assert tries == {"SQSEvent": 4}  # one decode a line
    plain = Checker(document, typed=False)
    assert results == [plain.check(f"{path}:{number}", lines[1]) for number in (2, 3)]
    assert (summary.messages["SQSEvent"].passed, summary.messages["SQSEvent"].failed) == (2, 2)


def test_drift_learned_from_earlier_events_changes_no_result(monkeypatch: pytest.MonkeyPatch) -> None:
    """The corpus mutations through a checker that learns where valid events drift (and then checks such
    events without the whole walk) and through one that never does: equal results, line by line."""
    from generator.checker import messages

    document = generator.load(bundled_document())
    lines = _lines(_corpus(), per_event=10)

    def results() -> tuple[list[Any], Checker]:
        checker = Checker(document, typed=False)
        return [checker.check(f"mutations.jsonl:{n + 1}", line) for n, line in enumerate(lines)], checker

    with monkeypatch.context() as patched:
        patched.setattr(messages, "MAX_LEARNED", 0)
        never, _ = results()
    learning, checker = results()
    assert learning == never
    learned = [c.payload for c in checker._checks.values() if c.payload and c.payload._drifting]
    assert len(learned) >= 6, "too few messages learned where their events drift: the test would be vacuous"


def test_lines_no_typed_check_accepts_are_decoded_once_and_valid_ones_still_get_the_typed_path() -> None:
    """Drifted lines (a field AWS added) fail every typed decoder: a start of line none accepted is not
    decoded by all of them again, and a valid line starting alike, once the slow path found it valid, is
    back on the typed path."""
    document = generator.load(bundled_document())
    checker = Checker(document)
    for message in document.event_messages():
        checker.message_check(message.name)
    event = next(e.payload for e in document.messages["SQSEvent"].examples if e.has_payload)
    valid, drifted = orjson.dumps(event), orjson.dumps({**event, "addedByAws": 1})
    tries = 0

    def counting(decode: Any) -> Any:
        def counted(line: bytes) -> Any:
            nonlocal tries
            tries += 1
            return decode(line)

        return counted

    for typed in checker._typed:
        typed.decode = counting(typed.decode)
    first = checker.check("events.jsonl:1", drifted)
    assert (first.message, first.valid) == ("SQSEvent", True)
    assert [w.pointer for w in first.warnings] == ["/addedByAws"]
    assert tries == len(checker._typed)  # a new start: every typed decoder tried once
    assert checker.check("events.jsonl:2", valid).valid
    assert checker.typed(valid) == ("SQSEvent", ())
    tries = 0
    assert checker.check("events.jsonl:3", drifted) == first._replace(source="events.jsonl:3")
    assert tries == 1  # only SQS's, which accepted such lines


def test_a_typed_accept_is_valid_for_jsonschema() -> None:
    """Soundness against the reference itself: whatever a message's typed decoder accepts parses with
    orjson and is valid for `jsonschema` against that message's payload schema."""
    document = generator.load(bundled_document())
    checker = Checker(document)
    lines = _lines(_corpus(), per_event=6)
    accepted = 0
    for message in document.event_messages():
        compiled = checker.message_check(message.name).typed()
        assert compiled is not None, f"{message.name} has no typed decoder"
        decode = compiled.decode
        assert message.payload is not None
        reference = Draft7Validator(message.payload.as_json_schema())
        for line in lines:
            try:
                decode(line)
            except msgspec.DecodeError:
                continue
            accepted += 1
            assert reference.is_valid(orjson.loads(line)), (message.name, line[:300])
    assert accepted >= 100


#: (schema, instance): the full check decides; the typed decoder may refuse more, never accept more.
EDGES: list[tuple[dict[str, Any], bytes]] = [
    ({"type": "integer"}, b"1.0"),  # an integer for JSON Schema; msgspec refuses it: the slow path decides
    ({"type": "integer"}, b"123456789012345678901234567890"),
    ({"type": "integer", "maximum": 3}, b"4"),
    ({"type": "number"}, b"true"),
    ({"type": "string", "pattern": "^a"}, b'"ba"'),
    ({"type": "string", "maxLength": 1}, b'"\\ud83d\\ude00"'),
    ({"enum": ["a", 1, None]}, b"true"),
    ({"type": "string", "enum": ["a", 1]}, b"1"),
    ({"const": 1}, b"1.0"),
    (
        {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False},
        b'{"a":"x","b":1}',
    ),
    (
        {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False},
        b'{"a":1,"a":"x"}',
    ),
    (
        {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False},
        b'{"a":"x","a":1}',
    ),
    (
        {"type": "object", "properties": {"a": {}}, "required": ["a"], "additionalProperties": False},
        b'{"a":1e400}',
    ),
    ({"type": "object", "additionalProperties": {"type": "integer"}, "minProperties": 1}, b"{}"),
    (
        {
            "allOf": [
                {
                    "type": "object",
                    "properties": {"a": {"type": "string"}, "b": {}},
                    "additionalProperties": False,
                },
                {"properties": {"a": {"const": "x"}, "c": {}}, "additionalProperties": False},
            ]
        },
        b'{"a":"x","b":1}',  # "b" is not one of the second schema's members
    ),
    (
        {
            "type": "object",
            "properties": {"kind": {"enum": ["a", "b"]}, "n": {"type": "integer"}},
            "required": ["kind"],
            "additionalProperties": False,
            "allOf": [{"if": {"properties": {"kind": {"const": "a"}}}, "then": {"required": ["n"]}}],
        },
        b'{"kind":"a"}',
    ),
    (
        {
            "type": "object",
            "properties": {"d": {"type": "string", "not": {"pattern": "x$"}}},
            "additionalProperties": False,
        },
        b'{"d":"ax"}',
    ),
    ({"anyOf": [{"type": "integer"}, {"type": "number", "minimum": 5}]}, b"3"),
    ({"oneOf": [{"type": "integer"}, {"type": "number"}]}, b"3"),
    ({"anyOf": [{"type": "string", "minLength": 2}, {"type": "null"}]}, b'"a"'),
    ({"type": "array", "items": {"type": "string"}, "minItems": 2}, b'["a"]'),
]


@pytest.mark.parametrize(("schema", "instance"), EDGES, ids=[str(n) for n in range(len(EDGES))])
def test_typed_decoders_never_accept_what_jsonschema_refuses(schema: dict[str, Any], instance: bytes) -> None:
    compiled = compile_typed(schema)
    try:
        parsed = orjson.loads(instance)
        valid = Draft7Validator(schema).is_valid(parsed)
    except orjson.JSONDecodeError:
        valid = False
    if compiled is None:
        return
    try:
        compiled.decode(instance)
    except msgspec.DecodeError:
        return
    assert valid, "the typed decoder accepted what the full check refuses"


@pytest.mark.parametrize(("schema", "instance"), EDGES, ids=[str(n) for n in range(len(EDGES))])
def test_typed_decoders_accept_the_valid_neighbours(schema: dict[str, Any], instance: bytes) -> None:
    """The edge schemas compile, and accept a valid instance (so the test above is not vacuous)."""
    compiled = compile_typed(schema)
    if compiled is None:  # overlapping branches: msgspec cannot say which one matched, the slow path does
        assert {"anyOf", "oneOf"} & set(schema)
        return
    valid = [
        b"1",
        b'"ab"',
        b'"a"',
        b"null",
        b'{"a":"x"}',
        b'{"a":"x","b":null}',
        b'{"kind":"a","n":1}',
        b'{"kind":"b"}',
        b'{"d":"ay"}',
        b'{"k":1}',
        b"[]",
        b'["a","b"]',
        b"6.5",
        b"2",
    ]
    reference = Draft7Validator(schema)
    accepted = 0
    for candidate in valid:
        if not reference.is_valid(orjson.loads(candidate)):
            continue
        try:
            compiled.decode(candidate)
        except msgspec.DecodeError:
            continue
        accepted += 1
    assert accepted, "no valid instance is accepted"


def test_an_island_is_compiled_once_with_the_named_schemas_it_refers_to() -> None:
    """Islands (what msgspec cannot say, checked by jsonschema-rs) carry the named schemas they refer to,
    through others too, not the document's every one (twenty times the compile); one that refers elsewhere
    than to a named schema carries them all. Islands alike are compiled once (Cognito's variants repeat
    theirs)."""
    from generator.checker import typed

    names = {"A": {"$ref": "#/$defs/B"}, "B": {"type": "string"}, "C": {"type": "integer"}}
    root = {"$defs": names, "gen-shapes": {"s0": {"type": "object"}}}
    compiler = typed._Compiler(root, {})
    assert compiler.referred({"items": {"$ref": "#/$defs/A"}}) == {
        "$defs": {"A": names["A"], "B": names["B"]}
    }
    assert compiler.referred({"$ref": "#/gen-shapes/s0"}) == {"gen-shapes": root["gen-shapes"]}
    assert compiler.referred({"$ref": "#/$defs/A/type"}) == {"$defs": {"A": names["A"], "B": names["B"]}}
    assert compiler.referred({"type": "array"}) == {}
    for elsewhere in ("#/properties/x", "other.json#/A", "#/$defs/Missing"):
        assert compiler.referred({"$ref": elsewhere}) == compiler.containers
    first = compiler.validator({"patternProperties": {"^a": {"$ref": "#/$defs/A"}}})
    assert compiler.validator({"patternProperties": {"^a": {"$ref": "#/$defs/A"}}}) is first
    assert first({"ab": "text"}) and not first({"ab": 1})


def test_a_tagged_union_s_variants_share_the_types_of_the_members_they_share() -> None:
    """Cognito's variants (one per trigger source) hold the same members but two: each such member is built
    once, as one type (the variants' compile halved, and half as many types in the CPU's caches)."""
    document = generator.load(bundled_document())
    compiled = Checker(document).message_check("CognitoEvent").typed()
    assert compiled is not None
    variants = [struct for struct in compiled.attributes if "gen_tag" in vars(struct)]
    assert len(variants) > 10
    for member in ("callerContext", "region", "userPoolId"):
        types = {
            field.type
            for struct in variants
            for field in msgspec.structs.fields(struct)
            if field.encode_name == member
        }
        assert len(types) == 1, (member, types)


def test_the_shape_alone_as_a_schema_passes_only_values_with_nothing_undeclared() -> None:
    """An invalid event is walked for undeclared fields only when the shape's schema refuses it: over the
    corpus and its mutations (fields added, dropped, retyped), against each message of the bundled
    document, its verdict agrees with the walk, for payloads and decoded inner payloads alike."""
    from generator.checker.content import decode, occurrences
    from generator.checker.messages import MessageCheck
    from generator.checker.shape import undeclared

    document = generator.load(bundled_document())
    events = []
    for line in _lines(_corpus(), per_event=8):
        try:
            events.append(orjson.loads(line))
        except orjson.JSONDecodeError:
            continue  # the edge lines that are not JSON
    compared = drifting = 0
    for message in document.event_messages():
        check = MessageCheck(message)
        checks = [(check.payload, lambda event: [event])] if check.payload is not None else []
        for content in check.contents:

            def inner(event: Any, field: Any = content.field) -> list[Any]:
                found = [decode(v, field) for _, v in occurrences(event, field.pattern) if isinstance(v, str)]
                return [value for value in found if not hasattr(value, "keyword")]

            checks += [(content.check, inner)] if content.check is not None else []
        for schema_check, values in checks:
            assert schema_check is not None
            if schema_check.declared is None:
                continue
            for event in events:
                for value in values(event):
                    walked = bool(undeclared(value, schema_check.shape))
                    assert schema_check.declared(value) is not walked, (message.name, value)
                    compared += 1
                    drifting += walked
    assert compared > 5000 and drifting > 100, (compared, drifting)


def test_base64_text_is_checked_by_msgspec_where_no_condition_reads_it() -> None:
    """An inner payload that only has to be base64 (Kinesis ``data``) is read by msgspec as bytes, which
    checks the base64 in C: no Python call per record. One with more to it (CloudWatch Logs' gzip) is read
    so too, and its check given those bytes. Where conditions read members (``if``), and for recognition
    rules on it, its text is still there to read."""
    from generator.checker.content import ContentField, only_base64
    from generator.checker.engine import _rules_met

    kinesis = ContentField(("Records", None, "kinesis", "data"), "base64", None, None, None, ())
    assert only_base64(kinesis)
    for other in ({"compression": "gzip"}, {"media_type": "text/plain"}, {"encoding": "base64url"}):
        assert not only_base64(dataclasses.replace(kinesis, **other))
    record = {
        "type": "object",
        "properties": {"data": {"type": "string"}, "kind": {"type": "string"}},
        "required": ["data"],
        "additionalProperties": False,
    }
    asked: list[Any] = []

    def check(value: Any) -> bool:
        asked.append(value)
        return True

    compiled = compile_typed(record, {("data",): check}, {("data",): None})
    assert compiled is not None
    event = compiled.decode(b'{"data":"aGk=","kind":"k"}')
    for wrong in (b'{"data":"%%%"}', b'{"data":"aGk"}', b'{"data":"aG k="}'):
        with pytest.raises(msgspec.DecodeError):
            compiled.decode(wrong)
    assert asked == []
    assert (
        _rules_met(event, [(("data",), "const", "aGk=")], compiled.attributes) is None
    )  # the slow path says
    assert _rules_met(event, [(("kind",), "const", "k")], compiled.attributes) is True
    conditional = {
        **record,
        "if": {"properties": {"data": {"const": "aGk="}}},
        "then": {"required": ["kind"]},
    }
    compiled = compile_typed(conditional, {("data",): check}, {("data",): None})
    assert compiled is not None
    compiled.decode(b'{"data":"aGk=","kind":"k"}')
    assert asked == ["aGk="]
    decoded: list[Any] = []  # a check of the bytes: given them, not the text
    compiled = compile_typed(
        record, {("data",): check}, {("data",): lambda b: decoded.append(b) or b == b"hi"}
    )
    assert compiled is not None
    compiled.decode(b'{"data":"aGk="}')
    with pytest.raises(msgspec.DecodeError):
        compiled.decode(b'{"data":"aG8="}')  # "ho"
    assert decoded == [b"hi", b"ho"] and asked == ["aGk="]


def test_msgspec_accepts_no_base64_that_the_full_check_refuses() -> None:
    """What reading base64 text as bytes relies on, for the msgspec installed: over random strings of the
    base64 alphabet, padding and strays (escapes, spaces, the URL-safe alphabet), every one msgspec decodes
    is one `binascii.a2b_base64(strict_mode=True)` (the full check's decoder) decodes the same."""
    import binascii
    import random

    decode = msgspec.json.Decoder(bytes).decode
    generator_ = random.Random(7)
    alphabet, strays = "ABCQRYZabz019+/=", '-_ \n\\"é'
    accepted = 0
    for _ in range(30000):
        chars = alphabet + (strays if generator_.random() < 0.2 else "")
        text = "".join(generator_.choice(chars) for _ in range(generator_.randint(0, 13)))
        try:
            data = decode(json.dumps(text).encode())
        except msgspec.DecodeError:
            continue
        assert binascii.a2b_base64(text, strict_mode=True) == data, text
        accepted += 1
    assert accepted > 3000


def test_lines_left_to_the_slow_path_are_held_a_batch_at_a_time_and_never_from_a_live_stream() -> None:
    """`check_all` checks the lines its typed path leaves a batch at a time, holding the results of the
    lines between: results still come in input order, and at most `_HELD_LINES` such lines (or
    `_HELD_BYTES` of them) are read ahead. Without `hold` (standard input, maybe a live stream), each
    result comes before the next event is read; `iter_check` holds nothing for ``-``."""
    from generator.checker import engine, iter_check

    document = generator.load(bundled_document())
    event = next(e.payload for e in document.messages["SQSEvent"].examples if e.has_payload)
    wrong = json.loads(json.dumps(event))
    wrong["Records"][0]["awsRegion"] = 7
    valid, invalid = orjson.dumps(event), orjson.dumps(wrong)
    lines = [valid, invalid, valid] * 100
    read: list[int] = []

    def items() -> Any:
        for number, line in enumerate(lines, 1):
            read.append(number)
            yield f"events.jsonl:{number}", line

    checker = Checker(document)
    list(checker.check_all([("warm-up", valid)] * 2))
    expected = [
        Checker(document, typed=False).check(f"events.jsonl:{n}", line) for n, line in enumerate(lines, 1)
    ]
    results = checker.check_all(items())
    assert next(results) == expected[0] and len(read) == 1  # nothing held yet: it came at once
    assert next(results) == expected[1]
    assert len(read) == 3 * (engine._HELD_LINES - 1) + 2  # the invalid line waited for a batch
    assert [expected[0], expected[1], *results] == expected
    read.clear()
    results = checker.check_all(items(), hold=False)
    assert [next(results) for _ in range(2)] == expected[:2] and len(read) == 2
    big = orjson.dumps({**wrong, "padding": "x" * (engine._HELD_BYTES // 2)})
    lines = [big] * 5
    read.clear()
    results = checker.check_all(items())
    assert next(results).valid is False and len(read) == 2  # two such lines are as much as is held

    stdin = io.BytesIO(b"".join(line + b"\n" for line in [invalid] * 100))
    first = next(iter_check(document, ["-"], stdin=stdin))
    assert first.source == "-:1" and stdin.tell() < 4 * len(invalid)
    # redirected from a file (`< events.jsonl`), standard input is no live stream: held as files are
    with tempfile.TemporaryFile() as redirected:
        redirected.write(stdin.getvalue())
        redirected.seek(0)
        first = next(iter_check(document, ["-"], stdin=redirected))
        assert first.source == "-:1" and redirected.tell() > 50 * len(invalid)


def test_rules_on_top_level_strings_read_by_attribute_as_the_general_rules_say() -> None:
    """`engine._rules_test`: recognition rules an accepted event is tested against (a scheduled event's, on
    an EventBridge event) read the struct's members by attribute when they all compare a top-level member
    with a string; each member counts, an absent one fails, and a plain object takes the general path."""
    from generator.checker.engine import _rules_met, _rules_test

    document = generator.load(bundled_document())
    checker = Checker(document)
    recorded = json.loads(
        (EVENTS / "powertools-lambda-python/EventBridgeEvent/eventBridgeEvent.json").read_text()
    )
    assert checker.check("x", orjson.dumps(recorded)).message == "EventBridgeEvent"
    typed = checker._typed[checker._typed_index["EventBridgeEvent"]]
    scheduled = [(("detail-type",), "const", "Scheduled Event"), (("source",), "const", "aws.events")]
    replayed = [(("replay-name",), "const", "replay")]
    undeclared = [(("detail-type",), "const", "Scheduled Event"), (("not-a-member",), "const", "x")]
    cases = 0
    for detail_type in ("Scheduled Event", "Order Placed"):
        for source in ("aws.events", "shop"):
            for replay in ("replay", "other", None):
                event = {**recorded, "detail-type": detail_type, "source": source, "replay-name": replay}
                if replay is None:
                    del event["replay-name"]
                decoded = typed.decode(orjson.dumps(event))
                for rules in (scheduled, scheduled[1:], replayed, [*replayed, *scheduled], undeclared):
                    expected = _rules_met(decoded, rules, typed.attributes)
                    assert _rules_test(rules, typed.attributes)(decoded) is expected, (event, rules)
                    cases += expected is True
    assert cases == 3 + 6 + 4 + 1  # of 12 events each: every rule set holds for some, fails for others
    plain = {"detail-type": "Scheduled Event", "source": "aws.events"}
    assert _rules_test(scheduled, typed.attributes)(plain) is True
    assert _rules_test(scheduled, typed.attributes)({**plain, "source": "shop"}) is False


def test_lines_whose_start_differs_every_time_are_decoded_once(tmp_path: Path) -> None:
    """Lines are told apart by how they start, up to their second member name. Where the first member's
    value differs line to line (keys sorted: an EventBridge event's ``account`` first), every line starts
    anew: the typed check that took the last such line is tried first, so each is decoded once, and the
    reader's loop counts them as it does lines of a known start."""
    document = generator.load(bundled_document())
    examples = {
        name: next(e.payload for e in document.messages[name].examples if e.has_payload)
        for name in ("S3Event", "SQSEvent", "EventBridgeEvent")
    }
    accounts = [f"{100_000_000_000 + 7919 * n}" for n in range(300)]
    lines = [
        json.dumps({**examples["EventBridgeEvent"], "account": account}, sort_keys=True).encode()
        for account in accounts
    ]
    items = [(f"sorted.jsonl:{n + 1}", line) for n, line in enumerate(lines)]
    plain = Checker(document, typed=False)
    checker = Checker(document)
    list(checker.check_all([("warm-up", orjson.dumps(example)) for example in examples.values()]))
    tries = _counting_decodes(checker)
    assert list(checker.check_all(items)) == [plain.check(*item) for item in items]
    # the S3 and SQS checks, built before, refuse the first line only
    assert tries == {"S3Event": 1, "SQSEvent": 1, "EventBridgeEvent": 300}

    path = tmp_path / "sorted.jsonl"
    path.write_bytes(b"\n".join(lines))
    checker, counted, made = Checker(document), Summary(), []
    read_items = read([path], take=checker.taker(counted))
    assert list(checker.check_all((made.append(1) or i for i in read_items), counted, passes=False)) == []
    assert counted.messages["EventBridgeEvent"].passed == 300
    # items are made only of the lines held for the slow path until the first is counted
    assert len(made) <= _HELD_LINES < len(lines) / 4


def test_a_line_s_start_is_its_first_two_member_names() -> None:
    """Lines are told apart by what precedes their second member name (the `":` after the first left out);
    a line with fewer than two members has none, and is checked as any other."""
    from generator.checker.engine import _start

    assert _start(b'{"version":"0","id":"1","source":"aws.events"}') == b'{"version"0","id'
    assert _start(b'{"Records":[{"eventVersion":"2.1"}]}') == b'{"Records[{"eventVersion'
    assert _start(b'{"Records": [{"eventVersion": "2.1"}]}') == b'{"Records [{"eventVersion'
    assert _start(b'{"a":1}') == _start(b"{}") == _start(b"[1]") == b""
    document = generator.load(bundled_document())
    lines = [b'{"a":1}', b"{}", b'{"Records":[]}', b'{"awslogs":{}}']
    plain, typed = Checker(document, typed=False), Checker(document)
    items = [(f"x:{n}", line) for n, line in enumerate(lines, 1)]
    assert list(typed.check_all(iter(items))) == list(plain.check_all(iter(items)))


def test_lines_of_messages_that_start_alike_are_counted_by_the_reader_s_loop(tmp_path: Path) -> None:
    """With keys sorted, S3, DynamoDB and Kinesis records all start alike (``{"Records": [{"awsRegion"``),
    so the typed check tried first for that start refuses two lines in three. The reader's loop then tries
    the start's other checks itself: each line is counted there, as the plain checker would count it, and
    none is made an item but those held before the first of each message is counted."""
    from generator.checker.engine import _start

    document = generator.load(bundled_document())
    names = ["S3Event", "DynamoDBStreamEvent", "KinesisEvent"]
    examples = [next(e.payload for e in document.messages[n].examples if e.has_payload) for n in names]
    lines = [json.dumps(example, sort_keys=True).encode() for example in examples] * 100
    assert len({_start(line) for line in lines}) == 1
    path = tmp_path / "sorted.jsonl"
    path.write_bytes(b"\n".join(lines))
    plain, expected = Checker(document, typed=False), Summary()
    for result in (plain.check(*item) for item in read([path])):
        expected.add(result)
    checker, counted, made = Checker(document), Summary(), []
    read_items = read([path], take=checker.taker(counted))
    assert list(checker.check_all((made.append(1) or i for i in read_items), counted, passes=False)) == []
    _assert_same_counts(counted, expected)
    assert [counted.messages[n].passed for n in names] == [100, 100, 100]
    assert len(made) <= _HELD_LINES


def test_references_are_read_as_the_loader_reads_them() -> None:
    """A reference's pointer is unescaped as the loader unescapes it (percent-escapes, then ``~1``, ``~0``),
    so a schema named with a space or a slash is compiled into the typed decoder like any other."""
    schema = {
        "type": "object",
        "properties": {"a": {"$ref": "#/$defs/My%20Name"}, "b": {"$ref": "#/$defs/x~1y"}},
        "required": ["a", "b"],
        "additionalProperties": False,
        "$defs": {"My Name": {"type": "string"}, "x/y": {"type": "integer"}},
    }
    compiled = compile_typed(schema)
    assert compiled is not None and compiled.facts.members is not None
    # typed, not left to jsonschema-rs (an island, of which nothing is known)
    assert [compiled.facts.members[m][0].kinds for m in "ab"] == [{"string"}, {"integer"}]
    compiled.decode(b'{"a": "text", "b": 1}')
    for wrong in (b'{"a": 1, "b": 1}', b'{"a": "text", "b": "1"}'):
        with pytest.raises(msgspec.DecodeError):
            compiled.decode(wrong)


def test_payloads_inside_decoded_payloads_are_checked_on_the_typed_path() -> None:
    """The typed decoder of an SQS `body` holding an SNS notification reads the notification's `Message`,
    and the gzipped `blob` inside that, typed too: a line whose innermost payload is wrong is refused, and
    every line gets the full check's result."""
    blob = base64.b64encode(gzip.compress(b'{"z": "a"}')).decode()
    bad_blob = base64.b64encode(gzip.compress(b'{"z": 1}')).decode()
    lines = [
        orjson.dumps(event)
        for event in (
            fan_out_event({"n": 1, "blob": blob}),
            fan_out_event({"n": "1"}),
            fan_out_event("not json"),
            fan_out_event({"n": 1, "blob": "%%"}),
            fan_out_event({"n": 1, "blob": bad_blob}),
            fan_out_event({"n": 1, "extra": True}),
        )
    ]
    loaded = generator.load(FAN_OUT)
    typed, plain = Checker(loaded), Checker(loaded, typed=False)
    for number, line in enumerate(lines):
        source = f"fan-out.jsonl:{number + 1}"
        assert typed.check(source, line) == plain.check(source, line), line
    assert typed.typed(lines[0]) is not None, "the typed path took no valid line"
    assert [typed.typed(line) for line in lines[1:]] == [None] * 5
