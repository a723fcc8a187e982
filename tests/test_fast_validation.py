"""The jsonschema-rs fast path agrees with `jsonschema`: it may only ever shorten the way to "valid"."""

from __future__ import annotations

import base64
import gzip

from jsonschema import Draft7Validator

from generator.fast_validation import fast_validator, without_content_keywords

ENCODED = {
    "type": "object",
    "required": ["data"],
    "properties": {
        "data": {
            "type": "string",
            "contentEncoding": "base64",
            "contentMediaType": "application/json",
            "contentSchema": {"type": "object", "required": ["logEvents"]},
        },
        "when": {"type": "string", "format": "date-time"},
    },
}
GZIPPED = {"data": base64.b64encode(gzip.compress(b'{"logEvents": []}')).decode()}


def test_content_keywords_and_formats_are_annotations_as_in_jsonschema() -> None:
    for event in (GZIPPED, {**GZIPPED, "when": "yesterday"}):
        assert Draft7Validator(ENCODED).is_valid(event)
        assert fast_validator(ENCODED).is_valid(event)


def test_what_jsonschema_refuses_it_refuses_too() -> None:
    for event in ({}, {"data": 3}, {"data": "x", "when": 5}):
        assert not Draft7Validator(ENCODED).is_valid(event)
        assert not fast_validator(ENCODED).is_valid(event)


def test_content_keywords_go_everywhere_even_in_named_extra_maps() -> None:
    schema = {"allOf": [ENCODED], "shapes": {"a": ENCODED}}
    stripped = without_content_keywords(schema, ("shapes",))
    assert "contentSchema" not in str(stripped) and "contentEncoding" not in str(stripped)
    assert stripped["allOf"][0]["properties"]["when"] == ENCODED["properties"]["when"]
    assert ENCODED["properties"]["data"]["contentEncoding"] == "base64", "the input is not changed"


def test_an_uncompilable_schema_means_no_fast_path() -> None:
    assert fast_validator({"pattern": "(?<=unclosed"}) is None
