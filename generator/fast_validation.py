"""jsonschema-rs validators that give the `jsonschema` package's verdicts, to prove validity quickly.

`jsonschema` is the reference: its error messages and paths are the ones reported. jsonschema-rs is many
times faster (and quicker to import), so a value it passes needs no other check; a value it refuses goes
through `jsonschema` for the errors. For the two to agree, formats are annotations (as `gen validate` and
the checker treat them) and the draft-07 content keywords are left out: jsonschema-rs asserts them, and
`jsonschema` does not (encoded inner payloads are checked after decoding, by `generator.checker.content`).
"""

from __future__ import annotations

from typing import Any

import orjson

from generator.schema_walk import CONTENT_KEYWORDS, map_subschemas


def without_content_keywords(schema: Any, schema_maps: tuple[str, ...] = ()) -> Any:
    """`schema` without the content keywords anywhere; `schema_maps` name extra members holding schemas.
    A schema that holds none (most) is returned as it is: it is not copied."""
    try:
        text = orjson.dumps(schema)
    except TypeError:  # not JSON (a member name that is no string): walked
        return _without(schema, schema_maps)
    if any(b'"' + keyword.encode() + b'"' in text for keyword in CONTENT_KEYWORDS):
        return _without(schema, schema_maps)
    return schema


def _without(schema: Any, schema_maps: tuple[str, ...]) -> Any:
    if not isinstance(schema, dict):
        return schema
    stripped = {key: value for key, value in schema.items() if key not in CONTENT_KEYWORDS}
    for key in schema_maps:
        if isinstance(stripped.get(key), dict):
            stripped[key] = {name: _without(s, schema_maps) for name, s in stripped[key].items()}
    return map_subschemas(stripped, lambda sub, _: _without(sub, schema_maps))


def fast_validator(schema: Any, schema_maps: tuple[str, ...] = ()) -> Any:
    """A jsonschema-rs draft-07 validator of `schema`, or None when it cannot compile it."""
    return compile_stripped(without_content_keywords(schema, schema_maps))


def compile_stripped(schema: Any) -> Any:
    """`fast_validator` of a schema with no content keyword left (`without_content_keywords`'s result)."""
    import jsonschema_rs

    try:
        return jsonschema_rs.Draft7Validator(schema, validate_formats=False)
    except (jsonschema_rs.ValidationError, ValueError):
        return None
