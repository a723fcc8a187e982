"""A payload schema made ready for generation: no `$ref`s, bounded recursion, realistic values preferred.

Hypothesis' JSON Schema strategies (schemathesis') need a schema without references and cannot follow
recursive ones, so named schemas are inlined, each at most `depth` times on any path; past that the
reference becomes `false`, which drops an optional recursive branch (a property, an `anyOf` branch, the
items of an array that may be empty) and so makes generation terminate. A schema whose recursion is
*required* has no finite instance anyway, and is reported as unsatisfiable.

Four rewrites make values realistic rather than merely valid:

- arrays and free-form maps get at most `MAX_DRAWN_ITEMS` elements unless the schema asks for more;
- an object that declares `properties` but says nothing of others gets only declared ones (an open
  object would otherwise fill up with random keys no real event has), and a schema that describes an
  object's members (or an array's items) without saying `type: object` draws objects (or arrays), not the
  `null` or strings it also admits;
- where a schema gives `examples` or a `default` that it accepts, the value is drawn from them about half
  the time (`anyOf: [{enum: [...]}, <schema> and not one of them]`); a string schema that says nothing of
  what its strings look like draws, through a format of its own, the strings the message's examples have
  at its place (`/Records/*/awsRegion` -> `us-east-1`) or look-alikes of them (ARNs, UUIDs, hex digests),
  so events read like real ones and still vary;
- a string whose `contentEncoding`/`contentMediaType` says it carries an encoded document (see
  docs/extensions.md) gets a format of its own, whose strategy encodes a generated inner value (JSON from
  `contentSchema`, then gzip, then base64, as declared), so decoders accept what we generate.

The rewritten schema is only used to *draw* values; every value is then validated against the original.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.fast_validation import fast_validator
from generator.model import NamedSchema, Schema
from generator.schema_walk import ENCODED_CONTENT_KEYWORDS, map_subschemas

#: How often a named schema may appear on one path when inlined (the first level plus recursions).
DEFAULT_DEPTH = 3
#: Arrays (and maps) without a smaller bound get at most this many elements drawn (but `minItems` wins).
MAX_DRAWN_ITEMS = 6
#: Above this many schema nodes, inlining starts again with less recursion: big schemas stay fast.
NODE_BUDGET = 50_000

#: Keywords that only annotate: dropped so the schemas Hypothesis merges stay small.
_ANNOTATIONS = frozenset(
    {"title", "description", "$comment", "readOnly", "writeOnly", "deprecated", "$schema", "$id"}
)
_BASE64_ENCODINGS = frozenset({"base64", "base64url"})


@dataclass(frozen=True)
class ContentFormat:
    """How to produce one encoded string: the inner value's schema (prepared), media type and encodings."""

    inner: Any  # a prepared schema for the decoded document, or None for free text/bytes
    media_type: str | None
    compression: str | None
    encoding: str | None


@dataclass
class Prepared:
    """The schema to draw from, and the encoded-content formats it refers to by name."""

    schema: Any
    content_formats: dict[str, ContentFormat] = field(default_factory=dict)
    seen_formats: dict[str, SeenValues] = field(default_factory=dict)


#: How a string looks: literal text (`(text, None)`) and runs of `n` characters from an alphabet.
Shape = tuple[tuple[str, int | None], ...]


@dataclass(frozen=True)
class SeenValues:
    """The strings the message's examples have at one place: drawn as they are, or as look-alikes."""

    values: tuple[str, ...]
    shapes: tuple[Shape, ...]


class _Inliner:
    def __init__(
        self, defs: Mapping[str, NamedSchema], depth: int, seen_values: Mapping[InstancePath, list[str]]
    ) -> None:
        self.defs = defs
        self.depth = depth
        self.seen_values = seen_values
        self.nodes = 0
        self.content_formats: dict[str, ContentFormat] = {}
        self.seen_formats: dict[str, SeenValues] = {}

    def inline(self, node: Any, stack: tuple[str, ...], at: InstancePath | None = None) -> Any:
        """`node` with references inlined; `at` is where its values sit in an event (None: not in one)."""
        self.nodes += 1
        if self.nodes > NODE_BUDGET:
            raise SchemaTooLarge(f"more than {NODE_BUDGET} schema nodes once references are inlined")
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str):
            # draft-07: the siblings of `$ref` are ignored, by validation and so here.
            name = ref.removeprefix("#/$defs/")
            if name not in self.defs:
                return {}  # the loader reported it; nothing better to draw from
            if stack.count(name) >= self.depth:
                return False
            return self.inline(self.defs[name].body, (*stack, name), at)
        kept = {
            key: value
            for key, value in node.items()
            # `definitions`/`$defs` are reached through `$ref`s only, which are inlined
            if key not in _ANNOTATIONS and not key.startswith("x-") and key not in ("definitions", "$defs")
        }
        result = map_subschemas(kept, lambda sub, steps: self.inline(sub, stack, _instance_path(at, steps)))
        seen = self.seen_values.get(at) if at is not None else None
        if seen and _is_plain_string_schema(result):
            result = self._seen(result, seen)
        if "x-contentCompression" in node:
            result["x-contentCompression"] = node["x-contentCompression"]
        return self._realistic(self._content(_bounded(result), stack))

    def _content(self, node: dict[str, Any], stack: tuple[str, ...]) -> dict[str, Any]:
        """A string carrying an encoded document: give it a format whose strategy encodes one."""
        encoding = node.get("contentEncoding")
        media_type = node.get("contentMediaType")
        is_json = isinstance(media_type, str) and (
            media_type.split(";")[0].strip().lower() == "application/json"
            or media_type.split(";")[0].strip().lower().endswith("+json")
        )
        encoded = isinstance(encoding, str) and encoding.lower() in _BASE64_ENCODINGS
        if not (encoded or is_json or "contentSchema" in node) or node.get("type", "string") != "string":
            return {k: v for k, v in node.items() if k not in ENCODED_CONTENT_KEYWORDS}
        inner = node.get("contentSchema")
        if inner is None and is_json:
            inner = {"type": "object", "additionalProperties": {"type": ["string", "integer", "boolean"]}}
        compression = node.get("x-contentCompression")
        name = f"x-gen-content-{len(self.content_formats)}"
        self.content_formats[name] = ContentFormat(
            inner=inner,
            media_type=media_type if isinstance(media_type, str) else ("application/json" if inner else None),
            compression=compression if isinstance(compression, str) else None,
            encoding=encoding.lower() if encoded and isinstance(encoding, str) else None,
        )
        kept = {k: v for k, v in node.items() if k not in ENCODED_CONTENT_KEYWORDS and k != "format"}
        return {**kept, "type": "string", "format": name}

    def _seen(self, node: dict[str, Any], seen: list[str]) -> dict[str, Any]:
        """A plain string schema drawing the strings seen at its place, or look-alikes, through a format
        of its own (a format is a plain strategy: far cheaper for Hypothesis than `anyOf`/`pattern`)."""
        check = fast_validator(node)
        values = tuple(v for v in seen if check.is_valid(v)) if check is not None else ()
        if not values:
            return node
        shapes = tuple(dict.fromkeys(shape for v in values if (shape := shape_of(v))))
        name = f"x-gen-seen-{len(self.seen_formats)}"
        self.seen_formats[name] = SeenValues(values, shapes)
        return {**node, "format": name}

    def _realistic(self, node: dict[str, Any]) -> Any:
        """Prefer the schema's own `examples`/`default` (those it accepts) about half the time."""
        examples = node.pop("examples", None)
        candidates: list[Any] = list(examples) if isinstance(examples, list) else []
        if "default" in node:
            candidates.append(node.pop("default"))
        if not candidates or "enum" in node or "const" in node:
            return node
        # judged as gen check judges events (jsonschema-rs: ECMA-262 patterns, `\\p{L}`, which `re` refuses)
        check = fast_validator(node)
        if check is None:
            return node
        accepted: list[Any] = []
        for value in candidates:
            # Arrays and objects are left out: the engine cannot draw "none of these" for them (schemathesis
            # refuses `not: {enum: [[4, 3]]}`), and with no such branch it drops the examples' one anyway.
            if value not in accepted and not isinstance(value, dict | list) and check.is_valid(value):
                accepted.append(value)
        if not accepted:
            return node
        # The branches are disjoint on purpose: were the second to admit the examples too, the engine would
        # see the first as redundant, drop it, and never prefer them.
        return {"anyOf": [{"enum": accepted}, {"allOf": [node, {"not": {"enum": accepted}}]}]}


def _count(node: dict[str, Any], keyword: str) -> int:
    value = node.get(keyword)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _bounded(node: dict[str, Any]) -> dict[str, Any]:
    """Arrays and free-form maps of at most a few elements: real events are small, and small is fast."""
    is_array = node.get("type") == "array" or "items" in node
    if is_array and not (isinstance(node.get("maxItems"), int) and node["maxItems"] <= MAX_DRAWN_ITEMS):
        node["maxItems"] = max(_count(node, "minItems"), MAX_DRAWN_ITEMS)
    is_map = isinstance(node.get("additionalProperties"), dict) or "patternProperties" in node
    if is_map and not (
        isinstance(node.get("maxProperties"), int) and node["maxProperties"] <= MAX_DRAWN_ITEMS
    ):
        declared = len(node["properties"]) if isinstance(node.get("properties"), dict) else 0
        node["maxProperties"] = max(_count(node, "minProperties"), declared + MAX_DRAWN_ITEMS)
    return node


#: Where a value sits in an instance: member names, with `*` for any array item or map member.
InstancePath = tuple[str, ...]
#: How many distinct values seen at one place are kept as its examples.
MAX_SEEN_VALUES = 20
#: Keywords whose subschemas describe the instance the owner describes (the same place).
_SAME_PLACE = frozenset({"allOf", "anyOf", "oneOf", "then", "else"})
#: Keywords whose subschemas describe the items or members of the instance.
_ANY_MEMBER = frozenset(
    {"items", "additionalItems", "prefixItems", "additionalProperties", "patternProperties"}
)
_LOWER, _UPPER, _DIGITS = "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"
_SHAPE_CLASSES = ((str.islower, _LOWER), (str.isupper, _UPPER), (str.isdigit, _DIGITS))
_HEX_LOWER, _HEX_UPPER = "0123456789abcdef", "0123456789ABCDEF"
_TOKEN = re.compile(r"[A-Za-z0-9]+|[^A-Za-z0-9]+")
#: Lowercase words this short are kept as they are: they name things (`arn`, `aws`, `s3`, `us`).
MAX_KEPT_WORD = 3
#: Example strings longer than this are not imitated (bodies, documents: not identifiers).
MAX_SHAPED_LENGTH = 80


def look_alike(shapes: tuple[Shape, ...], number: int) -> str:
    """A string shaped like one of `shapes`, chosen and filled in by `number` (the same number, the same
    string)."""
    rng = random.Random(number)
    shape = shapes[rng.randrange(len(shapes))]
    return "".join(text if size is None else "".join(rng.choices(text, k=size)) for text, size in shape)


def shape_of(value: str) -> Shape | None:
    """How strings like `value` look, so identifiers, ARNs and timestamps vary but still read like real
    ones: each run of lowercase letters, capitals or digits becomes a run of as many such characters (hex
    digits stay hex), short lowercase words (`arn`, `aws`, `s3`) and punctuation stay as they are
    (`arn:aws:sqs:us-east-1:123` -> `arn:aws:sqs:us-` 4 lowercase `-` 1 digit `:` 3 digits). None for
    values with no letters or digits, or too long to be an identifier."""
    if len(value) > MAX_SHAPED_LENGTH or not value.isascii() or not any(c.isalnum() for c in value):
        return None
    letters = {c for c in value if c.isalpha()}
    hex_alphabet = None
    if any(c.isdigit() for c in value) and letters:
        if letters <= set(_HEX_LOWER):
            hex_alphabet = _HEX_LOWER
        elif letters <= set(_HEX_UPPER):
            hex_alphabet = _HEX_UPPER
    parts: list[tuple[str, int | None]] = []
    for token in _TOKEN.findall(value):
        if not token.isalnum() or (hex_alphabet is None and len(token) <= MAX_KEPT_WORD and token.islower()):
            parts.append((token, None))
        elif hex_alphabet is not None:
            parts.append((hex_alphabet, len(token)))
        else:
            parts.extend(_class_runs(token))
    return tuple(parts)


def _class_runs(token: str) -> Iterator[tuple[str, int]]:
    index = 0
    while index < len(token):
        test, alphabet = next((t, a) for t, a in _SHAPE_CLASSES if t(token[index]))
        end = index + 1
        while end < len(token) and test(token[end]):
            end += 1
        yield alphabet, end - index
        index = end


def values_by_place(instances: Sequence[Any]) -> dict[InstancePath, list[str]]:
    """The distinct strings of `instances`, by their place in them."""
    found: dict[InstancePath, list[str]] = {}
    for instance in instances:
        for at, value in strings(instance):
            seen = found.setdefault(at, [])
            if len(seen) < MAX_SEEN_VALUES and value not in seen:
                seen.append(value)
    return found


def strings(value: Any, at: InstancePath = ()) -> Iterator[tuple[InstancePath, str]]:
    """Every string in `value`, with its place (array items as ``*``)."""
    if isinstance(value, dict):
        for key, member in value.items():
            yield from strings(member, (*at, key))
    elif isinstance(value, list):
        for item in value:
            yield from strings(item, (*at, "*"))
    elif isinstance(value, str):
        yield at, value


def _instance_path(at: InstancePath | None, steps: tuple[str | int, ...]) -> InstancePath | None:
    """Where the values of the subschema at `steps` sit, given where its owner's sit (None: unknown)."""
    if at is None:
        return None
    keyword = steps[0]
    if keyword == "properties":
        return (*at, str(steps[1]))
    if keyword in _ANY_MEMBER:
        return (*at, "*")
    if keyword in _SAME_PLACE:
        return at
    return None  # `not`, `if`, `propertyNames`, `contains`, `contentSchema`...: not the values found there


def _is_plain_string_schema(node: dict[str, Any]) -> bool:
    """A schema of strings only, that says nothing of what they look like (no enum, format, pattern...)."""
    if node.get("type") != "string":
        return False
    return not any(key in node for key in ("enum", "const", "format", "pattern", "examples", "default"))


class SchemaTooLarge(Exception):
    """The schema expands to more than `NODE_BUDGET` nodes even without recursion."""


def prepare(schema: Schema, *, depth: int = DEFAULT_DEPTH, examples: Sequence[Any] = ()) -> Prepared:
    """`schema` rewritten for drawing values (see the module docstring); `examples` are whole instances
    (the message's examples) whose scalar values become the `examples` of the schemas at their places.

    Raises `SchemaTooLarge` when even one level of inlining exceeds the node budget.
    """
    seen_values = values_by_place(examples)
    for allowed in range(depth, 0, -1):
        inliner = _Inliner(schema.defs, allowed, seen_values)
        try:
            body = inliner.inline(schema.root, (), ())
        except SchemaTooLarge:
            if allowed == 1:
                raise
            continue
        formats = {
            name: ContentFormat(_closed(f.inner), f.media_type, f.compression, f.encoding)
            for name, f in inliner.content_formats.items()
        }
        return Prepared(schema=_closed(body), content_formats=formats, seen_formats=inliner.seen_formats)
    raise AssertionError("depth must be at least 1")


#: Keywords that say only what an object holds: a schema with one of them and no `type` describes objects.
_OBJECT_KEYWORDS = frozenset(
    {"properties", "required", "additionalProperties", "patternProperties", "minProperties", "maxProperties"}
)
#: And those that say only what an array holds.
_ARRAY_KEYWORDS = frozenset({"items", "additionalItems", "minItems", "maxItems", "uniqueItems", "contains"})
_PARTS = ("allOf", "then", "else")  # describe the same object as their owner: closed with it
_ALTERNATIVES = ("oneOf", "anyOf")  # each is one shape the object may take: closed one by one


def _subschemas(node: dict[str, Any], keys: tuple[str, ...]) -> list[Any]:
    found: list[Any] = []
    for key in keys:
        value = node.get(key)
        found.extend(value if isinstance(value, list) else [value] if isinstance(value, dict) else [])
    return found


def _own_names(node: Any) -> set[str] | None:
    """Names `node` declares itself or through its parts; None when it allows others."""
    if not isinstance(node, dict):
        return set()
    if "additionalProperties" in node or "patternProperties" in node:
        return None
    names = set(node["properties"]) if isinstance(node.get("properties"), dict) else set()
    # a member required but not described is declared too (Solace's `required: [orderID]` beside
    # `properties: {orderId}`): closing the object without it left no value to draw
    names |= {name for name in node.get("required") or [] if isinstance(name, str)}
    for part in _subschemas(node, _PARTS):
        more = _own_names(part)
        if more is None:
            return None
        names |= more
    return names


def _all_names(node: Any) -> set[str] | None:
    """Names declared by `node`, its parts and all of its alternatives."""
    names = _own_names(node)
    if names is None or not isinstance(node, dict):
        return names
    for alternative in _subschemas(node, _ALTERNATIVES) + [
        a
        for part in _subschemas(node, _PARTS)
        if isinstance(part, dict)
        for a in _subschemas(part, _ALTERNATIVES)
    ]:
        more = _all_names(alternative)
        if more is None:
            return None
        names |= more
    return names


def _closed(node: Any, *, inherited: frozenset[str] | None = None, role: str = "value") -> Any:
    """Objects that declare their properties get only those drawn (see the module docstring).

    The schema where a value starts is closed to the names it, its parts (`allOf`, `then`, `else`) and its
    alternatives (`oneOf`, `anyOf`) declare; each alternative is closed to its own names plus those the
    object declares whatever the alternative (`inherited`), so a card payment gets no IBAN. Parts are not
    closed on their own: they describe only some of the object's fields.
    """
    if not isinstance(node, dict):
        return node
    result = dict(node)
    if "type" not in node and not {"enum", "const"} & node.keys():
        # Ballerina's trigger documents: `required` and `properties`, or `items`, and no type
        objects, arrays = not _OBJECT_KEYWORDS.isdisjoint(node), not _ARRAY_KEYWORDS.isdisjoint(node)
        if objects != arrays:
            result["type"] = "object" if objects else "array"
    for key in ("properties", "patternProperties"):
        if isinstance(result.get(key), dict):
            result[key] = {name: _closed(value) for name, value in result[key].items()}
    for key in ("additionalProperties", "items", "additionalItems", "contains", "contentSchema"):
        if isinstance(result.get(key), dict):
            result[key] = _closed(result[key])
    if isinstance(result.get("items"), list):
        result["items"] = [_closed(value) for value in result["items"]]
    own = _own_names(node)
    shared = (
        None if own is None or (role == "alternative" and inherited is None) else own | (inherited or set())
    )
    for key in _PARTS:
        if isinstance(result.get(key), list):
            result[key] = [
                _closed(v, inherited=frozenset(shared) if shared is not None else None, role="part")
                for v in result[key]
            ]
        elif isinstance(result.get(key), dict):
            result[key] = _closed(
                result[key], inherited=frozenset(shared) if shared is not None else None, role="part"
            )
    for key in _ALTERNATIVES:
        if isinstance(result.get(key), list):
            result[key] = [
                _closed(v, inherited=frozenset(shared) if shared is not None else None, role="alternative")
                for v in result[key]
            ]
    if role == "part" or shared is None:
        return result
    if role == "alternative":
        names: set[str] | None = shared
        has_alternatives = True
    else:
        names = _all_names(node)
        has_alternatives = any(key in node for key in (*_PARTS, *_ALTERNATIVES))
    if names:
        described = result.get("properties")
        if has_alternatives or not names <= set(described if isinstance(described, dict) else ()):
            result["propertyNames"] = {"enum": sorted(names)}
        else:
            result["additionalProperties"] = False
    return result
