"""Encoded inner payloads: the string fields that carry a document, found once per message, decoded per event.

A field's schema says how it is encoded with the JSON Schema content keywords and one extension
(`docs/extensions.md`): ``contentEncoding`` (``base64``, ``base64url``), ``x-contentCompression`` (``gzip``;
a zlib stream is accepted too, as CloudWatch Logs sends both), ``contentMediaType`` (JSON, or text) and
``contentSchema``. Decoding runs in that order; a step that fails is a violation at the field's pointer with
the keyword of that step, and the event is still checked otherwise. Fields are located by path patterns
(``Records/*/kinesis/data``) found when the checker starts, never by walking the schema per event. A content
schema may declare such fields of its own (an SQS ``body`` holding an SNS notification, whose ``Message``
holds the document sent): they are found by the same walk, inside it (`ContentField.inner`).
"""

from __future__ import annotations

import base64
import binascii
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cached_property, reduce
from typing import TYPE_CHECKING, Any

import msgspec
import orjson

from generator.checker.exact_json import loads
from generator.checker.views import Located, SchemaPath, applying, members, ref_name
from generator.location import escape_token
from generator.schema_walk import ENCODED_CONTENT_KEYWORDS

if TYPE_CHECKING:
    from generator.model import NamedSchema, Schema

#: A decompressed payload larger than this is refused (a small gzip can expand enormously).
MAX_DECODED_BYTES = 64 * 1024 * 1024
#: The most deflate (in gzip and zlib streams too) expands its data (zlib's technical notes): compressed
#: data no longer than `MAX_DECODED_BYTES` // this cannot inflate past the limit.
_MOST_DEFLATE_EXPANDS = 1032
_MAX_DEPTH = 12
#: How many payloads deep inner payloads are decoded (an SNS `Message` in an SQS `body` is two deep).
#: A content schema that declares itself as its own content, directly or through others (an envelope that
#: may carry an envelope), describes documents nested without end, while an event's are nested only so far:
#: the walk unrolls such a cycle this many levels and stops, as each level found costs compiled checks per
#: message. Below it, a field is checked as the string its schema declares, not decoded.
_MAX_NESTING = 6
_NO_STRUCTS: Mapping[type, Mapping[str, str]] = {}


@dataclass(frozen=True)
class ContentField:
    """A field holding an encoded document. `pattern` steps: member names, and None for any item/value."""

    pattern: tuple[str | None, ...]
    encoding: str | None
    compression: str | None
    media_type: str | None
    content_schema: Any | None  # refs inside point into the message's `$defs`
    where: SchemaPath  # the field's schema, inside the message's standalone schema
    #: The fields of this kind inside the document this one holds (patterns from that document's root).
    inner: tuple[ContentField, ...] = ()

    @cached_property
    def is_json(self) -> bool:
        base = (self.media_type or "").split(";", 1)[0].strip().lower()
        return (
            base == "application/json" or base.endswith("+json") or (not base and bool(self.content_schema))
        )

    @cached_property
    def is_text(self) -> bool:
        return (self.media_type or "").lower().startswith("text/")


def content_fields(schema: Schema) -> list[ContentField]:
    """Every field of `schema` declaring how its content is encoded, in schema order."""
    return list(_fields_of(schema.defs, (schema.root, ()), 0, {}))


#: The fields found in a document's schema, by the schema (its name, when it is a reference to one) and how
#: many payloads deep it lies.
_Documents = dict[tuple[str | int, int], tuple["ContentField", ...]]


def _fields_of(
    defs: Mapping[str, NamedSchema], located: Located, nesting: int, documents: _Documents
) -> tuple[ContentField, ...]:
    """The fields of the document `located` describes, `nesting` payloads deep (the event: 0). Each schema
    is walked once a level and its fields shared: a cycle through several fields (`a` and `b` each holding
    the schema they are in) would otherwise be walked as many more times each level down."""
    schema = located[0]
    key = (ref_name(schema, defs) or id(schema), nesting)
    if key not in documents:
        found: list[ContentField] = []
        _find(defs, [located], (), frozenset(), found, nesting, documents)
        documents[key] = tuple(found)
    return documents[key]


def _find(
    defs: Mapping[str, NamedSchema],
    located: list[Located],
    pattern: tuple[str | None, ...],
    entered: frozenset[str],
    found: list[ContentField],
    nesting: int,
    documents: _Documents,
) -> None:
    if len(pattern) > _MAX_DEPTH:
        return
    names = frozenset(n for s, _ in located if (n := ref_name(s, defs)) is not None)
    if names and names <= entered:
        return  # a recursive schema: its fields were found at its first level
    entered |= names
    views = list(applying(located, defs))
    keywords: dict[str, Any] = {}
    where: SchemaPath = ()
    for view, path in views:
        for keyword in ENCODED_CONTENT_KEYWORDS:
            if keyword in view and keyword not in keywords:
                keywords[keyword] = view[keyword]
                where = where or path
    if keywords:
        field = ContentField(
            pattern=pattern,
            encoding=_text(keywords.get("contentEncoding")),
            compression=_text(keywords.get("x-contentCompression")),
            media_type=_text(keywords.get("contentMediaType")),
            content_schema=keywords.get("contentSchema"),
            where=where,
        )
        if field.is_json and isinstance(field.content_schema, dict) and nesting + 1 < _MAX_NESTING:
            # a document of its own: its patterns start at its root
            inside = (field.content_schema, (*where, "contentSchema"))
            field = replace(field, inner=_fields_of(defs, inside, nesting + 1, documents))
        found.append(field)
    member_names: dict[str, None] = {}
    for view, _ in views:
        properties = view.get("properties")
        if isinstance(properties, dict):
            member_names.update(dict.fromkeys(properties))
    for name in member_names:
        _find(defs, members(views, name), (*pattern, name), entered, found, nesting, documents)
    nested: list[Located] = []
    for view, path in views:
        value = view.get("items")
        if isinstance(value, dict):
            nested.append((value, (*path, "items")))
        additional = view.get("additionalProperties")
        if isinstance(additional, dict):
            nested.append((additional, (*path, "additionalProperties")))
    if nested:
        _find(defs, nested, (*pattern, None), entered, found, nesting, documents)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def occurrences(event: Any, pattern: tuple[str | None, ...], pointer: str = "") -> Iterator[tuple[str, Any]]:
    """(pointer, value) for each place `pattern` reaches in `event`."""
    if not pattern:
        yield pointer, event
        return
    step, rest = pattern[0], pattern[1:]
    if step is None:
        if type(event) is list:
            for index, item in enumerate(event):
                yield from occurrences(item, rest, f"{pointer}/{index}")
        elif type(event) is dict:
            for key, item in event.items():
                yield from occurrences(item, rest, f"{pointer}/{escape_token(key)}")
    elif type(event) is dict and step in event:
        yield from occurrences(event[step], rest, f"{pointer}/{escape_token(step)}")


def values_at(
    event: Any, pattern: tuple[str | None, ...], structs: Mapping[type, Mapping[str, str]] = _NO_STRUCTS
) -> list[Any]:
    """The values `occurrences` reaches, in the same order, without their pointers (the fast path's form).

    `structs` reads typed events (`generator.checker.typed`): json member -> attribute, per struct class.
    """
    found = [event]
    for step in pattern:
        reached: list[Any] = []
        for value in found:
            kind = type(value)
            if step is None:
                if kind is list:
                    reached.extend(value)
                elif kind is dict:
                    reached.extend(value.values())
                elif kind in structs:
                    members = (getattr(value, a) for a in structs[kind].values())
                    reached.extend(m for m in members if m is not msgspec.UNSET)
            elif kind is dict:
                if step in value:
                    reached.append(value[step])
            elif kind in structs:
                attribute = structs[kind].get(step)
                if attribute is not None:
                    member = getattr(value, attribute)
                    if member is not msgspec.UNSET:
                        reached.append(member)
        if not reached:
            return reached
        found = reached
    return found


@dataclass(frozen=True, slots=True)
class DecodeFailure:
    keyword: str  # the content keyword of the step that failed
    message: str


def decode(value: str, field: ContentField) -> Any:
    """The document `value` carries (bytes, text or parsed JSON), or a `DecodeFailure`."""
    data: bytes | str = value
    encoding = (field.encoding or "").lower()
    if encoding in ("base64", "base64url"):
        try:
            altchars = b"-_" if encoding == "base64url" else None
            data = base64.b64decode(value, altchars=altchars, validate=True)
        except (binascii.Error, ValueError) as error:
            return DecodeFailure(
                "contentEncoding", f"not valid {encoding} ({str(error).rstrip('.').lower()})"
            )
    if field.compression:
        raw = data.encode() if isinstance(data, str) else data
        inflated = _decompress(raw, field.compression.lower())
        if isinstance(inflated, DecodeFailure):
            return inflated
        data = inflated
    if field.is_json:
        try:
            return loads(data)  # integers past 64 bits kept whole
        except orjson.JSONDecodeError as error:
            return DecodeFailure("contentMediaType", f"not valid JSON: {error}")
    if field.is_text and isinstance(data, bytes):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            return DecodeFailure(
                "contentMediaType", f"not valid UTF-8 text: {error.reason} at byte {error.start}"
            )
    return data


def only_base64(field: ContentField) -> bool:
    """Whether a value of `field` only has to be base64 text (standard alphabet, padded): what it carries
    is neither compressed, nor text, nor JSON, nor given a schema."""
    return (
        (field.encoding or "").lower() == "base64"
        and not field.compression
        and not field.is_json
        and not field.is_text
        and field.content_schema is None
    )


def quick_steps(field: ContentField, *, parse: bool = True, encoded: bool = True) -> Callable[[Any], Any]:
    """`decode` for the checker's fast path: its steps chosen once per field, not per value, as one function.

    Returns the same document as `decode`, or raises `ValueError` without saying why (binascii.Error,
    orjson.JSONDecodeError and UnicodeDecodeError are ValueErrors): the value is then decoded again by
    `decode`, whose failure message the report shows. With `parse` False, a JSON document is returned as its
    text (bytes or str), for a typed decoder to read. With `encoded` False, the value is given decoded from
    base64 already (the bytes msgspec read).
    """
    steps: list[Callable[[Any], Any]] = []
    encoding = (field.encoding or "").lower()
    if encoding == "base64" and encoded:
        steps.append(_base64)  # what `base64.b64decode(validate=True)` does, less its Python wrapper
    elif encoding == "base64url" and encoded:
        steps.append(_base64url)
    if field.compression:
        steps.append(_inflater(field.compression.lower()))
    if field.is_json and parse:
        steps.append(loads)  # integers past 64 bits kept whole, as `decode` reads them
    elif field.is_text:
        steps.append(_utf8)
    if not steps:
        return as_is
    if len(steps) == 1:
        return steps[0]
    if len(steps) == 2:  # base64 and gzip (CloudWatch Logs), or base64 and JSON: no loop per value
        first, second = steps
        return lambda value: second(first(value))
    return lambda value: reduce(lambda data, step: step(data), steps, value)


def as_is(value: Any) -> Any:
    """`quick_steps` of a field whose text is its document (a JSON text in a string)."""
    return value


def _inflater(method: str) -> Callable[[bytes | str], bytes]:
    """Inflating by `method`, raising `ValueError` for data that does not inflate whole, saying why in the
    report's words (`_decompress`)."""
    # gzip and zlib headers are told apart by zlib itself (wbits 32+15); "deflate" is a raw stream.
    wbits = -15 if method == "deflate" else 47

    def inflate(data: bytes | str) -> bytes:
        if isinstance(data, str):
            data = data.encode()
        if len(data) * _MOST_DEFLATE_EXPANDS <= MAX_DECODED_BYTES:  # one call, no stream: within the limit
            try:
                return zlib.decompress(data, wbits)
            except zlib.error:
                pass  # below, to say why in the report's words
        inflater = zlib.decompressobj(wbits)
        try:
            output = inflater.decompress(data, MAX_DECODED_BYTES)
        except zlib.error as error:
            raise ValueError(f"not valid {method} (or zlib) data: {error}") from error
        if inflater.unconsumed_tail:
            raise ValueError(f"decompresses to more than {MAX_DECODED_BYTES} bytes")
        if not inflater.eof:
            raise ValueError(f"truncated {method} data: the stream ends early")
        return output

    return inflate


def _base64(value: str) -> bytes:
    return binascii.a2b_base64(value, strict_mode=True)


def _base64url(value: str) -> bytes:
    return base64.b64decode(value, altchars=b"-_", validate=True)


def _utf8(data: bytes | str) -> str:
    return data.decode("utf-8") if isinstance(data, bytes) else data


def _decompress(data: bytes, method: str) -> bytes | DecodeFailure:
    try:
        return _inflater(method)(data)
    except ValueError as error:
        return DecodeFailure("x-contentCompression", str(error))
