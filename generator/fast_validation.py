"""jsonschema-rs validators that give the `jsonschema` package's verdicts, to prove validity quickly.

`jsonschema` is the reference: its error messages and paths are the ones reported. jsonschema-rs is many
times faster (and quicker to import), so a value it passes needs no other check; a value it refuses goes
through `jsonschema` for the errors. For the two to agree, formats are annotations (as `gen validate` and
the checker treat them) and the draft-07 content keywords are left out: jsonschema-rs asserts them, and
`jsonschema` does not (encoded inner payloads are checked after decoding, by `generator.checker.content`).
"""

from __future__ import annotations

from typing import Any

from generator.schema_walk import CONTENT_KEYWORDS, map_subschemas


def without_content_keywords(schema: Any, schema_maps: tuple[str, ...] = ()) -> Any:
    """`schema` without the content keywords anywhere; `schema_maps` name extra members holding schemas."""
    if not isinstance(schema, dict):
        return schema
    stripped = {key: value for key, value in schema.items() if key not in CONTENT_KEYWORDS}
    for key in schema_maps:
        if isinstance(stripped.get(key), dict):
            stripped[key] = {
                name: without_content_keywords(s, schema_maps) for name, s in stripped[key].items()
            }
    return map_subschemas(stripped, lambda sub, _: without_content_keywords(sub, schema_maps))


def fast_validator(schema: Any, schema_maps: tuple[str, ...] = ()) -> Any:
    """A jsonschema-rs draft-07 validator of `schema`, or None when it cannot compile it."""
    import jsonschema_rs

    try:
        return jsonschema_rs.Draft7Validator(
            without_content_keywords(schema, schema_maps), validate_formats=False
        )
    except (jsonschema_rs.ValidationError, ValueError):
        return None
