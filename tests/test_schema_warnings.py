"""What a schema declares but can never hold, which `gen validate` warns of: members an `allOf` declares that
a closed part of it forbids (`closed_members`), values an `enum` or `const` lists that the keywords beside
them refuse (`unfit_values`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

import generator
from generator.closed_members import closed_members
from generator.endless_schemas import endless_loops
from generator.problems import Level
from generator.unfit_values import unfit_values

BASE = {"type": "object", "additionalProperties": False, "required": ["id"], "properties": {"id": {}}}


def _found(schema: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(f.path, f.closed, f.never, f.required) for f in closed_members(schema, {"Base": BASE})]


@pytest.mark.parametrize(
    ("schema", "found"),
    [
        # extending a closed schema: what the extension adds is forbidden by the base
        (
            {"allOf": [{"$ref": "#/$defs/Base"}, {"properties": {"size": {}}}]},
            [((), "allOf part 0 (Base)", ("size",), ())],
        ),
        # and required: no value matches (modelina's operation_with_reply)
        (
            {"required": ["size"], "allOf": [{"$ref": "#/$defs/Base"}]},
            [((), "allOf part 0 (Base)", ("size",), ("size",))],
        ),
        # closing the combination: the base's members are forbidden by the schema beside them
        (
            {"allOf": [{"$ref": "#/$defs/Open"}], "properties": {"size": {}}, "additionalProperties": False},
            [],  # an unknown reference says nothing
        ),
        (
            {
                "allOf": [{"properties": {"id": {}}}],
                "properties": {"size": {}},
                "additionalProperties": False,
            },
            [((), "this schema", ("id",), ())],
        ),
        # inside a member
        (
            {"properties": {"order": {"allOf": [{"$ref": "#/$defs/Base"}, {"required": ["size"]}]}}},
            [(("properties", "order"), "allOf part 0 (Base)", ("size",), ("size",))],
        ),
        # nothing to say: open, the same members, or names allowed by pattern
        ({"allOf": [{"properties": {"id": {}}}, {"properties": {"size": {}}}]}, []),
        ({"allOf": [{"$ref": "#/$defs/Base"}, {"required": ["id"]}]}, []),
        ({"required": 5, "allOf": [{"additionalProperties": False, "required": 3}]}, []),  # not lists
        (
            {
                "allOf": [
                    {"additionalProperties": False, "patternProperties": {"^s": {}}},
                    {"properties": {"s": {}}},
                ]
            },
            [],
        ),
    ],
)
def test_closed_parts_and_the_members_they_forbid(
    schema: dict[str, Any], found: list[tuple[Any, ...]]
) -> None:
    assert _found(schema) == found
    if any(required for path, *_, required in found if path == ()):  # said to match nothing: it does not
        validator = Draft7Validator({**schema, "$defs": {"Base": BASE}})
        assert not validator.is_valid({"id": "a", "size": 1}) and not validator.is_valid({"id": "a"})


def test_gen_validate_warns_where_the_all_of_is(tmp_path: Path) -> None:
    doc = tmp_path / "params.yaml"
    doc.write_text(
        "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\n"
        "channels: {c: {messages: {m: {payload: {$ref: '#/components/schemas/SetParam'}}}}}\n"
        "components:\n  schemas:\n"
        "    Correlated: {type: object, additionalProperties: false, required: [id], properties: {id: {}}}\n"
        "    SetParam:\n      required: [parameterList]\n"
        "      allOf: [{$ref: '#/components/schemas/Correlated'}]\n"
    )
    (problem,) = generator.validate(doc)
    assert (problem.level, problem.line, problem.where) == (Level.WARNING, 8, "components.schemas.SetParam")
    assert problem.what == (
        "allOf part 0 (Correlated) allows only id (additionalProperties: false), so parameterList can never"
        " be present; as parameterList is required, no value matches this schema"
    )


@pytest.mark.parametrize(
    ("schema", "found"),
    [
        # HDI's case study: none of the strings is an object
        (
            {"properties": {"eventType": {"type": "object", "enum": ["create", "update"]}}},
            [
                (
                    ("properties", "eventType", "enum"),
                    'enum ["create","update"]: none fits type: "object" beside it, so no value can be valid'
                    " here",
                )
            ],
        ),
        (
            {"type": "integer", "minimum": 0, "enum": [1, "2", -3]},
            [
                (
                    ("enum",),
                    'enum values "2", -3 do not fit type: "integer", minimum: 0 beside them, so they can'
                    " never be valid",
                )
            ],
        ),
        (
            {"type": "string", "maxLength": 2, "const": "abc"},
            [
                (
                    ("const",),
                    'const "abc": none fits type: "string", maxLength: 2 beside it, so no value can be'
                    " valid here",
                )
            ],
        ),
        # patterns are ECMA-262's, as gen check reads them: `\p{L}` (letters), which Python's `re` refuses
        (
            {"type": "string", "pattern": "^\\p{L}+$", "enum": ["abc", "1"]},
            [
                (
                    ("enum",),
                    'enum value "1" does not fit type: "string", pattern: "^\\\\p{L}+$" beside it, so it can'
                    " never be valid",
                )
            ],
        ),
        # nothing beside them, or everything fits
        ({"enum": [1, "a", None]}, []),
        # keywords beside them that are not JSON Schema (gen validate's errors) judge nothing: this crashed
        ({"maximum": "abc", "enum": [1]}, []),
        ({"type": "integr", "enum": [1]}, []),
        ({"type": "string", "pattern": "(", "enum": ["a"]}, []),
        ({"type": ["string", "null"], "enum": ["a", None]}, []),
    ],
)
def test_listed_values_the_keywords_beside_them_refuse(schema: dict[str, Any], found: list[Any]) -> None:
    assert [(u.path, u.sentence()) for u in unfit_values(schema)] == found


def _loops(schemas: dict[str, Any]) -> list[list[tuple[str, str]]]:
    return list(endless_loops({name: body for name, body in schemas.items()}))


def _requires(member: str, target: str, kind: Any = "object") -> dict[str, Any]:
    return {"type": kind, "required": [member], "properties": {member: {"$ref": f"#/$defs/{target}"}}}


def test_schemas_that_require_each_other_round_a_loop_are_found_once() -> None:
    # evryfs' interoperability contract: a parent requires a child, which requires its parent
    schemas = {"ParentNode": _requires("child", "ChildNode"), "ChildNode": _requires("parent", "ParentNode")}
    assert _loops(schemas) == [[("ChildNode", "parent"), ("ParentNode", "child")]]
    assert _loops({"Self": _requires("me", "Self")}) == [[("Self", "me")]]
    # a loop reached from another schema is the loop alone
    assert _loops({"A": _requires("b", "B"), "B": _requires("c", "C"), "C": _requires("b", "B")}) == [
        [("B", "c"), ("C", "b")]
    ]


ME = {"$ref": "#/$defs/X"}


@pytest.mark.parametrize(
    ("schema", "finite"),
    [
        ({"type": "object", "properties": {"me": ME}}, {}),  # optional
        (_requires("me", "X", ["object", "null"]), {"me": None}),
        ({"required": ["me"], "properties": {"me": ME}}, {"me": "a string"}),  # no type: not objects alone
        (
            {"type": "object", "required": ["me"], "properties": {"me": {"type": "array", "items": ME}}},
            {"me": []},
        ),
        (
            {"type": "object", "required": ["me"], "properties": {"me": {"anyOf": [ME, {"type": "null"}]}}},
            {"me": None},
        ),
    ],
)
def test_loops_that_a_value_can_end_are_not_said(schema: dict[str, Any], finite: Any) -> None:
    assert _loops({"X": schema}) == []
    assert Draft7Validator({**schema, "$defs": {"X": schema}}).is_valid(finite)  # a finite value matches


def test_gen_validate_warns_of_the_loop_at_its_first_schema(tmp_path: Path) -> None:
    doc = tmp_path / "tree.yaml"
    doc.write_text(
        "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\n"
        "channels: {c: {messages: {m: {payload: {$ref: '#/components/schemas/Parent'}}}}}\n"
        "components:\n  schemas:\n"
        "    Parent: {type: object, required: [child],"
        " properties: {child: {$ref: '#/components/schemas/Child'}}}\n"
        "    Child: {type: object, required: [parent],"
        " properties: {parent: {$ref: '#/components/schemas/Parent'}}}\n"
    )
    (problem,) = generator.validate(doc)
    assert (problem.level, problem.where) == (Level.WARNING, "components.schemas.Child")
    assert problem.what == (
        "no finite value matches: Child requires parent (Parent), which requires child (Child), and so on"
        " forever"
    )
