"""Reading JSON text as Python's `json` and `jsonschema` read it, as fast as the fast path's parser."""

from __future__ import annotations

from typing import Any

import msgspec
import orjson


def loads(data: bytes | str) -> Any:
    """A JSON text's value, with integers past 64 bits kept whole, as Python's `json` and `jsonschema` read
    them: orjson makes them floats (2**70 would be told as 1.1805916207174113e+21, and compared as one),
    msgspec does not. orjson has the last word on what is valid JSON and says what is wrong, and it reads
    what msgspec's depth limit (the interpreter's recursion limit, under orjson's 1024) refuses. Raises
    `orjson.JSONDecodeError`. For events off the fast path, whose line msgspec's typed decoders refused."""
    try:
        return msgspec.json.decode(data)
    except (msgspec.DecodeError, RecursionError):
        return orjson.loads(data)
