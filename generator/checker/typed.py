"""Typed decoders: an event's bytes proven valid against a message in one msgspec call, with no dicts built.

The checker's fast path parses each line with orjson, then validates the objects with jsonschema-rs: two
passes over every event, the second one converting each value for Rust. msgspec decodes JSON text straight
into typed objects, checking types, constants, lengths, bounds and patterns as it reads, in less time than
orjson takes to build dicts. So each message's schema (the one the fast path validates: payload schema with
drift folded in, `messages.SchemaCheck.fast_schema`) is compiled here into msgspec types, once.

Only the decoder's "accepted" is trusted, so the compiled type must never accept what orjson or the schema
refuses. The rules that keep it so:

- Every object is a closed struct (no unknown member is skipped: msgspec skips unread members without
  checking their UTF-8 or number ranges, as orjson does) or a mapping whose values are decoded.
- Where the schema says less than the type can (a member with no ``type`` but object keywords, integers
  beyond int64, ``enum`` values that fail the rest of their schema), the type is stricter: a refused event
  only costs the checker's usual path.
- ``if``/``then``/``else`` and ``not`` become checks in Python run on the decoded struct as it is built
  (`__post_init__`), exact under ``if`` and ``not``; when every ``if`` of an object tests one required
  member's value (Cognito's ``triggerSource``), the object becomes a tagged union of one struct per value.
- An open object with members is a closed struct too (stricter: an event with other members costs the
  usual path). How many members an object has (``minProperties``/``maxProperties``) is counted by its
  struct's function.
- What msgspec cannot say otherwise (``patternProperties``, overlapping ``anyOf`` branches, a schema
  reached again inside itself, a mapping of counted objects, ...) is an *island*: the member is decoded as
  plain values and its struct checks it with jsonschema-rs. A schema whose root is such is not compiled.

Each type comes with its `facts.Facts`: what an accepted event is known to hold, so the checker can tell from
an accepted event which other messages' recognition rules it meets (`facts.rule_status`) without looking at
the event.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, NamedTuple, Union

import msgspec
import orjson

from generator.checker.content import values_at
from generator.checker.facts import ABSENT, UNKNOWN, Facts, kind_of, type_names, typed_resolve
from generator.loader.refs import RefError, parse_pointer
from generator.runtime.recognition import json_equal

#: Keywords that only annotate (formats are annotations, as everywhere in the checker).
_ANNOTATIONS = frozenset(
    {
        "$schema", "$id", "$comment", "title", "description", "default", "examples", "format", "readOnly",
        "writeOnly", "deprecated", "definitions", "$defs", "contentEncoding", "contentMediaType",
        "contentSchema", "x-contentCompression",
    }
)  # fmt: skip
#: Draft-07 keywords compiled here; any other draft-07 keyword makes its schema an island.
_COMPILED = frozenset(
    {
        "type", "enum", "const", "properties", "required", "additionalProperties", "minProperties",
        "maxProperties", "items", "minItems", "maxItems", "minLength", "maxLength", "pattern", "minimum",
        "maximum", "exclusiveMinimum", "exclusiveMaximum", "anyOf", "oneOf", "_allowed",
    }
)  # fmt: skip
_DRAFT7_VALIDATION = frozenset(
    {
        "multipleOf", "additionalItems", "uniqueItems", "contains", "patternProperties", "dependencies",
        "propertyNames", "if", "then", "else", "allOf", "not", "$ref",
    }
) | _COMPILED  # fmt: skip
#: Integers outside int64 are refused: orjson reads those past 2**64 - 1 as floats (and msgspec's bounds
#: are int64), so the slow path decides them.
_INT_RANGE = (-(2**63), 2**63 - 1)
_OBJECT_KEYWORDS = frozenset(
    {"properties", "required", "additionalProperties", "minProperties", "maxProperties", "_allowed"}
)
_ARRAY_KEYWORDS = frozenset({"items", "minItems", "maxItems"})
_STRING_KEYWORDS = frozenset({"minLength", "maxLength", "pattern"})
_NUMBER_KEYWORDS = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"})
_ALL_KINDS = frozenset({"object", "array", "string", "integer", "number", "boolean", "null"})
_MAX_DEPTH = 64
_DRAFT7 = "http://json-schema.org/draft-07/schema#"


class Unsupported(Exception):
    """The schema says something msgspec cannot check exactly."""


@dataclass
class TypedSchema:
    """A schema compiled for msgspec: `decode(bytes)` returns the decoded value (structs and plain values),
    or raises `msgspec.DecodeError` (its `ValidationError` included)."""

    decode: Callable[[bytes], Any]
    facts: Facts  # what every value `decode` returns is known to hold
    #: json member -> attribute, per struct class the decoder builds (for reading decoded values).
    attributes: dict[type, dict[str, str]] = field(default_factory=dict)


def compile_typed(
    schema: Any,
    contents: Mapping[tuple[str | None, ...], Check] | None = None,
    base64: Mapping[tuple[str | None, ...], Check | None] | None = None,
) -> TypedSchema | None:
    """`schema` (a standalone draft-07 schema, content keywords left out) as a typed decoder, or None.

    `contents` are checks of encoded inner payloads' text by their place (`content.ContentField.pattern`),
    run by the struct holding them as it decodes. Those in `base64` are base64 text: where such a member is
    a plain string, msgspec reads it as `bytes`, checking the base64 itself, in C (it accepts none that
    `binascii.a2b_base64(strict_mode=True)` refuses), and its check there, if any, is given those bytes. Not
    in a schema with ``if`` or ``not``, whose checks read members as JSON values.
    """
    try:
        text = orjson.dumps(schema) if isinstance(schema, dict) else b'"$id"'
    except TypeError:  # an integer past 64 bits (a `maximum` of 2**70), which msgspec's types cannot hold
        return None
    if b'"$id"' in text:
        return None  # a base URI changes: references would resolve elsewhere than here
    if base64 is None or b'"if"' in text or b'"not"' in text:
        base64 = {}
    contents = contents or {}
    compiler = _Compiler(schema, contents, base64)
    try:
        kind, facts, check = compiler.node(schema, 0)
        decode: Callable[[bytes], Any] = msgspec.json.Decoder(kind).decode
    except (Unsupported, TypeError, ValueError, RecursionError):
        return None
    attributes = compiler.attributes
    for pattern in contents:
        if pattern not in compiler.attached:  # held by no struct (under an island): found after decoding
            check = _both(check, _walked(pattern, contents[pattern], attributes))
    if check is not None:
        decode = _checked(decode, check)
    return TypedSchema(decode, facts, attributes)


def _walked(pattern: tuple[str | None, ...], check: Check, attributes: dict[type, dict[str, str]]) -> Check:
    return lambda event: all(check(value) for value in values_at(event, pattern, attributes))


def _checked(decode: Callable[[bytes], Any], check: Check) -> Callable[[bytes], Any]:
    def checked(data: bytes) -> Any:
        value = decode(data)
        if not check(value):
            raise msgspec.ValidationError("does not conform")
        return value

    return checked


#: A check a value's type cannot say, run on the decoded value (structs, lists, plain values).
Check = Callable[[Any], bool]
#: A struct's members' attributes and types, for checks that read them directly.
Known = tuple[dict[str, str], dict[str, Any]]
#: What `_Compiler.node` builds: the type, what it accepts, and the check the type cannot say (or None).
_Node = tuple[Any, Facts, Check | None]


class _Compiler:
    """Builds msgspec types for one standalone schema; references resolve inside it."""

    def __init__(
        self,
        root: dict[str, Any],
        contents: Mapping[tuple[str | None, ...], Check],
        base64: Mapping[tuple[str | None, ...], Check | None] | None = None,
    ) -> None:
        self.root = root
        self.contents = contents
        self.base64 = base64 or {}  # the places of base64 `contents` -> the check of the bytes, if any
        self.attached: set[tuple[str | None, ...]] = set()  # the contents' places that structs check
        #: What an island's own validator needs to resolve the references it holds.
        self.containers = {k: v for k, v in root.items() if isinstance(v, dict) and k not in _COMPILED}
        self.attributes: dict[type, dict[str, str]] = {}
        self.member_types: dict[type, dict[str, Any]] = {}  # per struct: member -> its type
        self._structs = 0
        #: An island's schema (as canonical JSON) -> its validator: branches of a tagged union repeat many
        #: (Cognito's variants hold the same islands), and each compile costs a fraction of a millisecond.
        self._validators: dict[bytes, Check] = {}
        #: (id of a schema object, what of its place the type depends on: `_place`) -> the schema, kept
        #: alive so that its id is not reused, and `node`'s result. A schema referred to from many places
        #: is built once, as one type: a tagged union's variants share most members' (Cognito's), and one
        #: referred to twice a level, levels down, would be built twice as often each level.
        self._nodes: dict[tuple[int, Any], tuple[Any, _Node | Unsupported]] = {}
        #: The schemas that references lead to whose types are being built. One reached again inside itself
        #: is an island there: built level after level, a schema referring to itself twice (a tree) would
        #: take twice as long each level down.
        self._building: set[int] = set()

    # -- references and allOf, merged into one flat schema ------------------------------------------------

    def resolve(self, ref: Any) -> Any:
        tokens = _local_tokens(ref)
        if tokens is None:
            raise Unsupported(f"reference {ref!r}")
        node: Any = self.root
        for token in tokens:
            if not isinstance(node, dict) or token not in node:
                raise Unsupported(f"reference {ref!r}")
            node = node[token]
        return node

    def flat(self, schema: Any, depth: int) -> dict[str, Any]:
        """`schema` with its reference followed and its ``allOf`` merged in (`Unsupported` if it can't be)."""
        if depth > _MAX_DEPTH:
            raise Unsupported("too deep (a recursive schema)")
        if schema is True:
            return {}
        if not isinstance(schema, dict):
            raise Unsupported("a schema that is not an object")  # `false`: nothing passes, nothing to gain
        if "$ref" in schema:  # draft-07: the reference replaces its siblings
            return self.flat(self.resolve(schema["$ref"]), depth + 1)
        merged = _own(schema)
        for part in schema.get("allOf", []):
            merged = _merge(merged, self.flat(part, depth + 1))
        return merged

    # -- flat schemas to types ---------------------------------------------------------------------------

    def node(
        self,
        schema: Any,
        depth: int,
        outer: Any = None,
        tag: tuple[str, Any] | None = None,
        path: tuple[str | None, ...] = (),
    ) -> tuple[Any, Facts, Check | None]:
        """The msgspec type checking `schema`, what it accepts, and a check of what the type cannot say.

        `Unsupported` when it can't be exact. `outer` is the schema `schema` is a branch of, where constants
        are checked (see `literal`). The check, when not None, is run by whoever holds the value.
        """
        if outer is not None or tag is not None:
            with self._inside(schema, depth):
                return self._node(schema, depth, outer, tag, path)
        key = (id(schema), self._place(path))
        known = self._nodes.get(key)
        if known is None:
            built: _Node | Unsupported
            try:
                with self._inside(schema, depth):
                    built = self._node(schema, depth, outer, tag, path)
            except Unsupported as error:
                built = error
            known = self._nodes[key] = (schema, built)
        if isinstance(known[1], Unsupported):
            raise Unsupported(str(known[1]))
        return known[1]

    def _place(self, path: tuple[str | None, ...]) -> Any:
        """What a type built at `path` depends on of it: the whole path when an inner payload (`contents`)
        lies below it, else only `_in_container(path)`, which `object` reads."""
        if any(pattern[: len(path)] == path for pattern in self.contents):
            return path
        return _in_container(path)

    @contextmanager
    def _inside(self, schema: Any, depth: int) -> Iterator[None]:
        """While `schema`'s type is built: the schemas its references lead to are being built (`_building`),
        and `Unsupported` if one already is."""
        referred = {id(target) for target in self._referred_here(schema, depth)}
        if referred & self._building:
            raise Unsupported("a recursive schema")
        self._building |= referred
        try:
            yield
        finally:
            self._building -= referred

    def _referred_here(self, schema: Any, depth: int) -> list[Any]:
        """The schemas that `schema`'s references lead to, and its ``allOf`` parts' (its members' not)."""
        found: list[Any] = []
        stack = [(schema, depth)]
        while stack:
            node, level = stack.pop()
            if level > _MAX_DEPTH or not isinstance(node, dict):
                continue
            if "$ref" in node:  # draft-07: the reference replaces its siblings
                target = self.resolve(node["$ref"])
                found.append(target)
                stack.append((target, level + 1))
            else:
                stack.extend((part, level + 1) for part in node.get("allOf", ()) if isinstance(part, dict))
        return found

    def _node(
        self,
        schema: Any,
        depth: int,
        outer: Any,
        tag: tuple[str, Any] | None,
        path: tuple[str | None, ...],
    ) -> _Node:
        flat = self.flat(schema, depth)
        other = [k for k in flat if k in _DRAFT7_VALIDATION and k not in _COMPILED]
        if other:
            raise Unsupported(f"keywords {other}")
        found = flat.pop("_conditions", ())
        if found and tag is None and _kinds(flat) == {"object"} and "_allowed" in flat:
            split = self.variants(flat, found, depth, path)
            if split is not None:
                return split
        kinds = _kinds(flat)
        own_conditions = (
            bool(found)
            and kinds == {"object"}
            and "_allowed" in flat
            and not any(k in flat for k in ("anyOf", "oneOf", "enum", "const"))
        )
        conditions = None if own_conditions else self.conditions(found, depth)
        if not flat:
            return Any, Facts(_ALL_KINDS), conditions
        if "anyOf" in flat or "oneOf" in flat:
            union, union_facts = self.branches(flat, depth, schema if outer is None else outer, path)
            return union, union_facts, conditions
        if "enum" in flat or "const" in flat:
            literal, literal_facts = self.literal(schema if outer is None else outer, flat, kinds)
            return literal, literal_facts, conditions
        types: list[Any] = []
        facts: dict[str, Any] = {"kinds": kinds | {"integer"} if "number" in kinds else kinds}
        check = conditions
        if "object" in kinds:
            # A struct's own conditions run as it decodes, reading its members by their attributes.
            kind, members, object_check = self.object(flat, depth, tag, found if own_conditions else (), path)
            if object_check is not None:
                check = _both(check, object_check)
            types.append(kind)
            facts["members"] = members
        if "array" in kinds:
            items = flat.get("items", True)
            if not isinstance(items, dict | bool):
                raise Unsupported("tuple items")
            item, item_facts, item_check = self.node(items, depth + 1, path=(*path, None))
            array = list[item]  # type: ignore[valid-type]
            types.append(_annotated(array, min_length=flat.get("minItems"), max_length=flat.get("maxItems")))
            facts.update(item=item_facts, min_items=int(flat.get("minItems", 0)))
            if item_check is not None:
                check = _both(check, _each(item_check, list))
        if "string" in kinds:
            pattern, least = flat.get("pattern"), flat.get("minLength")
            test = _pattern_test(pattern)
            if test is not None and check is None:  # a prefix, digits: string methods, in line
                pattern, least = None, max(test.least, least or 0) or None
                check = _Written(test, strings_only=kinds == {"string"})
            elif pattern is not None:
                try:
                    re.compile(pattern)
                except (re.error, TypeError) as error:
                    raise Unsupported("pattern") from error
            types.append(_annotated(str, pattern=pattern, min_length=least, max_length=flat.get("maxLength")))
        if "number" in kinds:
            types.append(_annotated(float, **_bounds(flat)))
        elif "integer" in kinds:
            bounds = _bounds(flat)
            lowest, highest = _INT_RANGE
            bounds["ge"] = max(lowest, bounds.get("ge", lowest))
            bounds["le"] = min(highest, bounds.get("le", highest))
            types.append(_annotated(int, **bounds))
        if "boolean" in kinds:
            types.append(bool)
        if "null" in kinds:
            types.append(None)
        if not types:
            raise Unsupported("no type")
        return _union(types), Facts(**facts), check

    def literal(self, schema: Any, flat: dict[str, Any], kinds: frozenset[str]) -> tuple[Any, Facts]:
        values = [flat["const"]] if "const" in flat else list(flat.get("enum", []))
        if "const" in flat and "enum" in flat:
            values = [v for v in values if any(json_equal(v, e) for e in flat["enum"])]
        if not all(v is None or type(v) in (str, int) for v in values):
            raise Unsupported("constants other than strings, integers and null")
        # The literal alone is the type: each value must pass the rest of the schema too.
        check = self.validator(schema)
        kept = tuple(v for v in dict.fromkeys(values) if kind_of(v) & kinds and check(v))
        if not kept:
            raise Unsupported("no value passes")
        return Literal[kept], Facts(frozenset().union(*(kind_of(v) for v in kept)), values=kept)

    def branches(
        self, flat: dict[str, Any], depth: int, outer: Any, path: tuple[str | None, ...]
    ) -> tuple[Any, Facts]:
        """``anyOf``/``oneOf`` whose branches take distinct JSON types: a union, each branch exact."""
        if "anyOf" in flat and "oneOf" in flat:
            raise Unsupported("anyOf with oneOf")
        rest = {k: v for k, v in flat.items() if k not in ("anyOf", "oneOf")}
        types: list[Any] = []
        seen: set[str] = set()
        members: list[Facts] = []
        for branch in flat.get("anyOf", flat.get("oneOf")) or []:
            merged = _merge(rest, self.flat(branch, depth + 1))
            kind, facts, check = self.node(_Flat(merged), depth + 1, outer, path=path)
            numbers = {"integer", "number"}
            if (
                check is not None
                or facts.kinds is None
                or facts.kinds & seen
                or (numbers & facts.kinds and numbers & seen)
            ):
                raise Unsupported("branches that overlap")
            seen |= facts.kinds
            types.append(kind)
            members.append(facts)
        if not types:
            raise Unsupported("no branches")
        union = _union(types)
        msgspec.json.Decoder(union)  # msgspec refuses some unions (two structs): TypeError
        objects = [f for f in members if f.kinds and "object" in f.kinds]
        arrays = [f for f in members if f.kinds and "array" in f.kinds]
        values = None
        if all(f.values is not None for f in members):
            values = tuple(v for f in members for v in (f.values or ()))
        return union, Facts(
            frozenset(seen),
            values=values,
            members=objects[0].members if objects else None,
            item=arrays[0].item if arrays else None,
            min_items=arrays[0].min_items if arrays else 0,
        )

    def object(
        self,
        flat: dict[str, Any],
        depth: int,
        tag: tuple[str, Any] | None,
        conditions: Any,
        path: tuple[str | None, ...],
    ) -> tuple[Any, Mapping[str, tuple[Facts, bool]] | None, Check | None]:
        """A closed struct (its members' checks and `own` run when decoded), or a mapping and its values'
        check. A `tag` (member, value) makes the struct one variant of a tagged union (`variants`)."""
        properties = flat.get("properties", {})
        extra = flat.get("additionalProperties", True)
        if not isinstance(properties, dict):
            raise Unsupported("properties")
        if "_allowed" not in flat and (properties or flat.get("required")):
            # An open object with members (where the drift shape is open too: a member's schema chosen by
            # an ``if``, as Cognito's requests): closed here, stricter than the schema. msgspec would skip
            # other members unread, unchecked; closed, an event with one costs the checker's usual path.
            flat = {**flat, "_allowed": frozenset(properties)}
        if "_allowed" not in flat:
            value, _, value_check = self.node(extra, depth + 1, path=(*path, None))
            mapping = dict[str, value]  # type: ignore[valid-type]
            low, high = flat.get("minProperties"), flat.get("maxProperties")
            check = None if value_check is None else _each(value_check, dict)
            return _annotated(mapping, min_length=low, max_length=high), None, check
        allowed = flat["_allowed"]
        names = [k for k in properties if k in allowed]
        required = list(dict.fromkeys(flat.get("required", [])))
        if any(k not in names for k in required):
            raise Unsupported("a required member that may not be there")
        # How many members it has, where ``minProperties``/``maxProperties`` say more than its required and
        # allowed members do (a tagged union's tag is one), is counted by the struct's function: a Python
        # call per object. Not for a mapping's values or an array's items, where one jsonschema-rs call for
        # the whole container costs less (a DynamoDB item's attribute values).
        always, possible = len(required) + (tag is not None), len(names) + (tag is not None)
        least, most = flat.get("minProperties", 0), flat.get("maxProperties", possible)
        if not all(type(bound) is int for bound in (least, most)):
            raise Unsupported("minProperties/maxProperties")
        counted = least > always or most < possible
        if counted and (_in_container(path) or least > possible or most < always):
            raise Unsupported("minProperties/maxProperties")
        fields: list[tuple[Any, ...]] = []
        members: dict[str, tuple[Facts, bool]] = {}
        checks: list[tuple[str, Check]] = []
        attributes: dict[str, str] = {}
        member_types: dict[str, Any] = {}
        for index, key in enumerate(names):
            attribute = f"m{index}"
            attributes[key] = attribute
            try:
                kind, facts, check = self.node(properties[key], depth + 1, path=(*path, key))
            except Unsupported:  # an island: plain values, checked by jsonschema-rs
                kind, facts, check = Any, UNKNOWN, self.validator(properties[key])
            if check is not None:
                checks.append((attribute, check))
            inner = self.contents.get((*path, key))
            if inner is not None:  # an encoded inner payload: checked here, as its struct decodes
                if kind is str and (*path, key) in self.base64:
                    kind = bytes  # base64 text, which msgspec decodes and checks itself
                    decoded = self.base64[(*path, key)]
                    if decoded is not None:
                        checks.append((attribute, decoded))
                else:
                    checks.append((attribute, inner))
                self.attached.add((*path, key))
            members[key] = (facts, key in required)
            member_types[key] = kind
            fields.append((attribute, kind) if key in required else (attribute, kind, msgspec.UNSET))
        self._structs += 1
        namespace: dict[str, Any] = {}
        options: dict[str, Any] = {}
        if tag is not None:
            options = {"tag_field": tag[0], "tag": tag[1]}
            namespace["gen_tag"] = tag[1]  # the tag is no field: conditions and recognition read it here
            attributes = {**attributes, tag[0]: "gen_tag"}
        source = _Source()
        own = self.written_conditions(conditions, depth, (attributes, member_types), "self", source)
        if counted:
            optional = [f"self.{_attribute(attributes[k])}" for k in names if k not in required]
            count = f"{source.name(possible)} - ({', '.join(optional)},).count(UNSET)"
            bounded = f"{source.name(least)} <= {count} <= {source.name(most)}"
            own = bounded + (f" and {own}" if own is not None else "")
        post_init = _struct_checks(checks, own, source)
        if post_init is not None:
            namespace["__post_init__"] = post_init
        struct = msgspec.defstruct(
            f"Typed{self._structs}",
            fields,
            rename={attribute: key for key, attribute in attributes.items() if attribute != "gen_tag"},
            forbid_unknown_fields=True,
            kw_only=True,
            gc=False,
            namespace=namespace,
            **options,
        )
        self.attributes[struct] = attributes
        self.member_types[struct] = member_types
        return struct, members, None

    def variants(
        self, flat: dict[str, Any], conditions: Any, depth: int, path: tuple[str | None, ...]
    ) -> tuple[Any, Facts, None] | None:
        """An object whose ``if``s all test one required member's constants (Cognito's ``triggerSource``)
        as a tagged union: a closed struct per value, with the ``then``/``else`` that value selects."""
        key = None
        chosen: list[tuple[Check, Any, Any]] = []  # (the if's test of the member's value, then, else)
        for condition in conditions:
            found = _tested(condition.get("if"))
            if (
                found is None
                or (key is not None and found[0] != key)
                or set(condition) - {"if", "then", "else"}
            ):
                return None
            key = found[0]
            try:
                test = self.predicate(found[1], depth + 1, exact=True)
            except Unsupported:
                return None
            chosen.append((test, condition.get("then", True), condition.get("else", True)))
        properties = flat.get("properties", {})
        if key is None or key not in flat.get("required", []) or key not in properties:
            return None
        try:
            _, tag_facts, _ = self.node(properties[key], depth + 1)
        except Unsupported:
            return None
        if tag_facts.values is None or not all(type(v) is str for v in tag_facts.values):
            return None
        types: list[Any] = []
        seen: dict[str, list[tuple[Facts, bool]]] = {}
        for value in tag_facts.values:
            variant = dict(flat)
            for test, then, otherwise in chosen:
                picked = then if test(value) else otherwise
                variant = _merge(variant, self.flat(picked, depth + 1))
            if not self.validator(variant["properties"][key])(value):
                continue  # no event with this value passes
            variant["properties"] = {k: s for k, s in variant["properties"].items() if k != key}
            variant["required"] = [k for k in variant.get("required", []) if k != key]
            variant["_allowed"] = variant["_allowed"] - {key}
            kind, facts, _ = self.node(_Flat(variant), depth + 1, tag=(key, value), path=path)
            types.append(kind)
            for member, (member_facts, required) in (facts.members or {}).items():
                seen.setdefault(member, []).append((member_facts, required))
        if not types:
            return None
        count = len(types)
        members = {
            member: (
                found[0][0] if len(found) == count and all(f is found[0][0] for f, _ in found) else UNKNOWN,
                len(found) == count and all(r for _, r in found),
            )
            for member, found in seen.items()
        }
        members[key] = (Facts(frozenset({"string"}), values=tag_facts.values), True)
        union = _union(types)
        msgspec.json.Decoder(union)
        return union, Facts(frozenset({"object"}), members=members), None

    def validator(self, schema: Any) -> Check:
        """jsonschema-rs's verdict on `schema` in place (references resolve in the root), compiled once."""
        try:
            key: bytes | None = orjson.dumps(schema, option=orjson.OPT_SORT_KEYS)
        except TypeError:  # not JSON (a member name that is no string): compiled, not kept
            key = None
        cached = self._validators.get(key) if key is not None else None
        if cached is not None:
            return cached
        import jsonschema_rs

        standalone = {"$schema": _DRAFT7, "allOf": [schema], **self.referred(schema)}
        try:  # the root's content keywords are left out already (`compile_typed`)
            compiled = jsonschema_rs.Draft7Validator(standalone, validate_formats=False)
        except (jsonschema_rs.ValidationError, ValueError) as error:
            raise Unsupported("no jsonschema-rs validator") from error
        check: Check = compiled.is_valid
        if key is not None:
            self._validators[key] = check
        return check

    def referred(self, schema: Any) -> dict[str, Any]:
        """The named schemas of `containers` that `schema` refers to, directly or through others: an island
        compiled with every named schema of a document costs twenty times one compiled with those it needs.
        All of them when a reference is not to a named schema or inside one (``#/$defs/Name/...``)."""
        named: dict[str, dict[str, Any]] = {}
        stack, seen = [schema], set()
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, list):
                stack.extend(node)
                continue
            if not isinstance(node, dict):
                continue
            stack.extend(node.values())
            ref = node.get("$ref")
            if not isinstance(ref, str):
                continue
            tokens = _local_tokens(ref)
            container = self.containers.get(tokens[0]) if tokens else None
            if tokens is None or container is None or len(tokens) < 2 or tokens[1] not in container:
                return self.containers
            named.setdefault(tokens[0], {})[tokens[1]] = container[tokens[1]]
            stack.append(container[tokens[1]])
        return named

    # -- conditions: if/then/else and not, as exact checks on decoded values ---------------------------

    def conditions(self, found: Any, depth: int) -> Check | None:
        """One check of all `found` conditions, on a value that is no struct, or None."""
        source = _Source()
        expression = self.written_conditions(found, depth, None, "value", source)
        return source.function(expression) if expression is not None else None

    def written_conditions(
        self, found: Any, depth: int, known: Known | None, var: str, source: _Source
    ) -> str | None:
        """All `found` conditions as one Python expression on `var` (`written`), or None; `known`: the
        members' attributes and types of the struct checked, when the value is always that struct."""
        parts = [self.written(condition, depth + 1, False, known, var, source) for condition in found]
        return " and ".join(parts) if parts else None

    def written(
        self, schema: Any, depth: int, exact: bool, known: Known | None, var: str, source: _Source
    ) -> str:
        """The check of `schema` on `var`, for the few keywords conditions use, as a Python expression: what
        a known struct's members hold written out (attributes read, constants and patterns compared); any
        other part a call of `keyword`'s check, named in `source`.

        Under ``if`` and ``not`` it must be exact both ways (`exact`); elsewhere only its True must be right,
        so what it cannot say is left to jsonschema-rs, on the value turned back into plain JSON values.
        """
        try:
            return self._written(schema, depth, exact, known, var, source)
        except Unsupported:
            if exact:
                raise
            is_valid = self.validator(schema)
            fallback: Check = lambda value: bool(is_valid(msgspec.to_builtins(value)))  # noqa: E731
            return f"{source.name(fallback)}({var})"

    def _written(
        self, schema: Any, depth: int, exact: bool, known: Known | None, var: str, source: _Source
    ) -> str:
        schema, depth = self._condition(schema, depth)
        parts = [
            self.written_keyword(key, value, schema, depth, exact, known, var, source)
            for key, value in _validating(schema)
        ]
        return f"({' and '.join(parts)})" if parts else "True"

    def written_keyword(
        self,
        key: str,
        value: Any,
        schema: dict[str, Any],
        depth: int,
        exact: bool,
        known: Known | None,
        var: str,
        source: _Source,
    ) -> str:
        """`keyword`'s check as an expression on `var` (`written`)."""
        if known is not None and key == "required" and isinstance(value, list):
            if any(k not in known[0] for k in value):
                return "False"  # a closed struct without that member
            present = [f"{var}.{_attribute(known[0][k])} is not UNSET" for k in value]
            return f"({' and '.join(present)})" if present else "True"
        if known is not None and key == "properties" and isinstance(value, dict):
            parts = []
            for k, sub in value.items():
                if k not in known[0]:
                    continue
                found = source.temporary()
                inner = self.written(sub, depth + 1, exact, self.known(known, k), found, source)
                parts.append(f"(({found} := {var}.{_attribute(known[0][k])}) is UNSET or {inner})")
            return f"({' and '.join(parts)})" if parts else "True"
        options = [value] if key == "const" else value
        if key in ("const", "enum") and isinstance(options, list) and all(type(o) is str for o in options):
            return f"(type({var}) is str and {var} in {source.name(frozenset(options))})"
        if key == "pattern" and isinstance(value, str):
            try:
                search = re.compile(value).search
            except re.error as error:
                raise Unsupported("pattern") from error
            test = _pattern_test(value)
            if test is not None and (test.exact or not exact):  # stricter only where True alone must be
                return f"(type({var}) is not str or {source.written(test, var)})"
            return f"(type({var}) is not str or {source.name(search)}({var}) is not None)"
        if key == "not":
            return f"(not {self.written(value, depth + 1, True, known, var, source)})"
        if key == "if":
            condition = self.written(value, depth + 1, True, known, var, source)
            then = self.written(schema.get("then", True), depth + 1, exact, known, var, source)
            otherwise = self.written(schema.get("else", True), depth + 1, exact, known, var, source)
            if otherwise == "True":  # the usual case: no else
                return f"(not {condition} or {then})"
            return f"({then} if {condition} else {otherwise})"
        if key == "allOf" and isinstance(value, list):
            parts = [self.written(sub, depth + 1, exact, known, var, source) for sub in value]
            return f"({' and '.join(parts)})" if parts else "True"
        return f"{source.name(self.keyword(key, value, depth, exact))}({var})"

    def predicate(self, schema: Any, depth: int, *, exact: bool) -> Check:
        """`written`'s check of `schema`, as a function (for a value no struct's function reads)."""
        source = _Source()
        return source.function(self.written(schema, depth, exact, None, "value", source))

    def _condition(self, schema: Any, depth: int) -> tuple[dict[str, Any], int]:
        """`schema` as a condition reads it: its references followed, each a level deeper; `Unsupported`
        too deep, or for anything but an object (True and {} are the empty one)."""
        while True:
            if depth > _MAX_DEPTH:
                raise Unsupported("too deep")
            if schema is True:
                return {}, depth
            if not isinstance(schema, dict):
                raise Unsupported("schema")
            if "$ref" not in schema:
                return schema, depth
            schema, depth = self.resolve(schema["$ref"]), depth + 1

    def keyword(self, key: str, value: Any, depth: int, exact: bool) -> Check:
        """The check of a keyword `written_keyword` does not write out: members of a value that is not
        always a struct, constants other than strings, types; `Unsupported` for any other."""
        member = self.member
        if key == "required" and isinstance(value, list):
            wanted = list(value)
            return lambda v: not self.is_object(v) or all(member(v, k) is not ABSENT for k in wanted)
        if key == "properties" and isinstance(value, dict):
            subs = [(k, self.predicate(s, depth + 1, exact=exact)) for k, s in value.items()]

            def properties(v: Any) -> bool:
                if not self.is_object(v):
                    return True
                for k, p in subs:
                    found = member(v, k)
                    if found is not ABSENT and not p(found):
                        return False
                return True

            return properties
        if key in ("const", "enum"):
            options = [value] if key == "const" else value
            if not isinstance(options, list) or any(isinstance(o, dict | list) for o in options):
                raise Unsupported("constants that are containers")
            return lambda v: any(json_equal(v, o) for o in options)
        if key == "type":
            names = type_names(value)
            return lambda v: bool(self.kinds_of(v) & names)
        raise Unsupported(f"{key} in a condition")

    def known(self, parent: Known, key: str) -> Known | None:
        """What is known of member `key` of a known struct: its own members, when it is always a struct."""
        kind = parent[1].get(key)
        if kind not in self.attributes:
            return None
        return self.attributes[kind], self.member_types[kind]

    def member(self, value: Any, key: str) -> Any:
        return typed_resolve(value, (key,), self.attributes)

    def is_object(self, value: Any) -> bool:
        return type(value) is dict or type(value) in self.attributes

    def kinds_of(self, value: Any) -> frozenset[str]:
        return frozenset({"object"}) if self.is_object(value) else kind_of(value)


def _local_tokens(ref: Any) -> list[str] | None:
    """The tokens of a reference into the schema itself (``#/$defs/Name``), as the loader reads them; else
    None."""
    if not isinstance(ref, str) or not ref.startswith("#"):
        return None
    try:
        return parse_pointer(ref[1:])
    except RefError:
        return None


def _in_container(path: tuple[str | None, ...]) -> bool:
    """Whether `path` is an array's item or a mapping's value (``None`` stands for any index or key)."""
    return path[-1:] == (None,)


def _validating(schema: dict[str, Any]) -> list[tuple[str, Any]]:
    """The keywords of a condition's schema that validate (``then`` and ``else`` are read with ``if``)."""
    return [
        (key, value)
        for key, value in schema.items()
        if key not in _ANNOTATIONS and key not in ("then", "else") and key in _DRAFT7_VALIDATION
    ]


def _both(first: Check | None, second: Check) -> Check:
    return second if first is None else (lambda value: first(value) and second(value))


def _each(check: Check, container: type) -> Check:
    if container is dict:
        return lambda value: type(value) is not dict or _each_passes(check, value.values())
    return lambda value: type(value) is not list or _each_passes(check, value)


def _each_passes(check: Check, values: Any) -> bool:
    for value in values:  # noqa: SIM110 - a loop: all() over a generator costs more, per event
        if not check(value):
            return False
    return True


#: How a pattern may end after a literal prefix, for `_pattern_test`: nothing more, or a run of digits.
_DIGIT_RUNS = {"": None, "[0-9]+$": 1, "[0-9]*$": 0, "\\d+$": 1, "\\d*$": 0}
_ESCAPED = re.compile(r"\\(.)")


class _PatternTest(NamedTuple):
    """`_pattern_test`'s finding: `template` tests ``{value}`` against ``{prefix}``, the text `prefix`."""

    template: str
    prefix: str
    least: int  # the least length a string passing it has
    exact: bool  # it says what the pattern says (a prefix alone); else it is stricter (`_pattern_test`)


def _pattern_test(pattern: Any) -> _PatternTest | None:
    """For a pattern that says a string starts with given text (``^ObjectCreated:``), is made of digits
    (``^[0-9]+$``: an SQS record has three), or both (``^2\\.[0-9]+$``): its test, written with a slice and
    `str.isascii` and `str.isdigit`; else None. msgspec asks a regular expression of each value (3,400
    instructions), the test written into a struct's function a tenth of that. Digits are stricter than
    ``$``, which lets a final line feed through, and than ``\\d`` (any script's digits): such a value is
    left to the full check."""
    if not isinstance(pattern, str) or not pattern.startswith("^"):
        return None
    for ending, least in _DIGIT_RUNS.items():
        if not pattern.endswith(ending) or (least is None and pattern.endswith("$")):
            continue
        escaped = pattern[1 : len(pattern) - len(ending)]
        prefix = _ESCAPED.sub(r"\1", escaped)
        if re.escape(prefix) != escaped or not (prefix or ending):
            continue  # more than plain text
        size = len(prefix)
        tests = [f"{{value}}[:{size}] == {{prefix}}"] if prefix else []
        if least is not None:
            rest = f"{{value}}[{size}:]" if prefix else "{value}"
            digits = f"({rest}.isascii() and {rest}.isdigit())"
            tests.append(digits if least else f"(not {rest} or {digits})")
        return _PatternTest(f"({' and '.join(tests)})", prefix, size + (least or 0), least is None)
    return None


class _Written:
    """A member's check that `_struct_checks` writes into the struct's function (`_Source.written`) rather
    than call; elsewhere (an item of a list) it is called."""

    def __init__(self, test: _PatternTest, *, strings_only: bool) -> None:
        template = test.template if strings_only else f"(type({{value}}) is not str or {test.template})"
        self.test = test._replace(template=template)
        source = _Source()
        self._check = source.function(source.written(self.test, "value"))

    def __call__(self, value: Any) -> bool:
        return self._check(value)


def _struct_checks(
    members: list[tuple[str, Check]], own: str | None, source: _Source
) -> Callable[[Any], None] | None:
    """A struct's `__post_init__` (msgspec calls it as it decodes): its members' checks, then its own
    conditions (`own`: an expression on ``self`` that `_Compiler.written` wrote into `source`).

    Written out for the struct, each member read as an attribute (``self.m3``) in a line of its own: a third
    less per member than a loop with `getattr`, and conditions with no call per keyword. The source holds
    nothing from the document: the attributes are the compiler's own names (``m0``, ``m1``...), and every
    value (constants, patterns, checks) is given by name."""
    if not members and own is None:
        return None
    lines = ["def __post_init__(self):"]
    for attribute, check in members:
        test = (
            source.written(check.test, "value")
            if isinstance(check, _Written)
            else f"{source.name(check)}(value)"
        )
        lines += [
            f"    value = self.{_attribute(attribute)}",
            f"    if value is not UNSET and not {test}:",
            "        raise ValueError('does not conform')",
        ]
    if own is not None:
        lines += [f"    if not ({own}):", "        raise ValueError('does not conform')"]
    post_init: Callable[[Any], None] = source.run("\n".join(lines))["__post_init__"]
    return post_init


def _attribute(name: str) -> str:
    """`name`, a struct attribute the compiler made, checked to be one before it is written into source."""
    if _ATTRIBUTE.fullmatch(name) is None:
        raise Unsupported(f"attribute {name!r}")  # never: `object` names them
    return name


class _Source:
    """What the source `_Compiler.written` writes for one struct refers to: values by name, and names of
    its own for the members it reads."""

    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {}
        self._temporaries = 0

    def name(self, value: Any) -> str:
        name = f"given{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def temporary(self) -> str:
        self._temporaries += 1
        return f"found{self._temporaries}"

    def written(self, test: _PatternTest, var: str) -> str:
        """`test` on `var`, its prefix given by name."""
        return test.template.format(value=var, prefix=self.name(test.prefix))

    def function(self, expression: str) -> Check:
        """`expression`, on ``value``, as a function."""
        check: Check = self.run(f"check = lambda value: {expression}")["check"]
        return check

    def run(self, code: str) -> dict[str, Any]:
        """The names `code` (written by this module, naming only what this source gives) defines. Compiled
        for each struct, not shared: the interpreter specializes a function's code for the one struct class
        it reads and the checks it calls, and code shared by many would keep losing that."""
        namespace = {**self.namespace, "UNSET": msgspec.UNSET}
        exec(code, namespace)
        return namespace


_ATTRIBUTE = re.compile(r"m[0-9]+|gen_tag")


def _tested(condition: Any) -> tuple[str, Any] | None:
    """(member, the schema its value is tested with) for an ``if`` that only tests one member, else None."""
    if not isinstance(condition, dict):
        return None
    rest = {k: v for k, v in condition.items() if k not in _ANNOTATIONS}
    properties = rest.pop("properties", None)
    required = rest.pop("required", None)
    if rest or not isinstance(properties, dict) or len(properties) != 1:
        return None
    ((key, schema),) = properties.items()
    if required not in (None, [key]):
        return None
    return key, schema


class _Flat(dict[str, Any]):
    """A schema already merged (`_Compiler.flat` returns it as is): a union branch."""


def _own(schema: dict[str, Any]) -> dict[str, Any]:
    """A schema's own keywords, less annotations; a closed object's members noted as ``_allowed``, and its
    conditions (``if``/``then``/``else``, ``not``) gathered in ``_conditions``."""
    if isinstance(schema, _Flat):
        return dict(schema)
    own = {
        k: v
        for k, v in schema.items()
        if k != "allOf" and k not in _ANNOTATIONS and (k in _DRAFT7_VALIDATION and not k.startswith("_"))
    }
    conditions: list[dict[str, Any]] = []
    if "if" in own:
        conditions.append({k: own[k] for k in ("if", "then", "else") if k in own})
    if "not" in own:
        conditions.append({"not": own["not"]})
    for key in ("if", "then", "else", "not"):
        own.pop(key, None)
    if conditions:
        own["_conditions"] = conditions
    extra = own.get("additionalProperties")
    if extra is False:
        own["_allowed"] = frozenset(own.get("properties") or {})
        del own["additionalProperties"]
    elif extra is True or extra == {}:
        del own["additionalProperties"]
    return own


_LOWER = ("minItems", "minLength", "minProperties", "minimum", "exclusiveMinimum")
_UPPER = ("maxItems", "maxLength", "maxProperties", "maximum", "exclusiveMaximum")


def _merge(left: dict[str, Any], right: dict[str, Any]) -> dict[str, Any]:
    """Two flat schemas an instance must both pass, as one (`Unsupported` where that can't be said)."""
    merged = dict(left)
    for key, value in right.items():
        if key not in merged:
            merged[key] = value
            continue
        mine = merged[key]
        if key == "type":
            merged[key] = sorted(type_names(mine) & type_names(value))
        elif key == "properties":
            merged[key] = {
                **mine,
                **{k: ({"allOf": [mine[k], s]} if k in mine else s) for k, s in value.items()},
            }
        elif key in ("required", "_conditions"):
            merged[key] = [*mine, *value]
        elif key == "_allowed":
            merged[key] = mine & value
        elif key in _LOWER:
            merged[key] = max(mine, value)
        elif key in _UPPER:
            merged[key] = min(mine, value)
        elif key == "items" and isinstance(mine, dict) and isinstance(value, dict):
            merged[key] = {"allOf": [mine, value]}
        elif key == "enum":
            merged[key] = [v for v in mine if any(json_equal(v, w) for w in value)]
        elif not json_equal(mine, value):
            raise Unsupported(f"two different {key!r}")
    return merged


def _kinds(flat: dict[str, Any]) -> frozenset[str]:
    """The JSON types a flat schema's type accepts; with no ``type``, those its keywords are about."""
    if "type" in flat:
        names = type_names(flat["type"])
        if "number" in names:
            names.discard("integer")
        return frozenset(names & _ALL_KINDS)
    about: set[str] = set()
    keys = set(flat)
    if keys & _OBJECT_KEYWORDS:
        about.add("object")
    if keys & _ARRAY_KEYWORDS:
        about.add("array")
    if keys & _STRING_KEYWORDS:
        about.add("string")
    if keys & _NUMBER_KEYWORDS:
        about.add("number")
    return frozenset(about) if about else _ALL_KINDS


def _bounds(flat: dict[str, Any]) -> dict[str, Any]:
    bounds = {"ge": flat.get("minimum"), "le": flat.get("maximum")}
    bounds |= {"gt": flat.get("exclusiveMinimum"), "lt": flat.get("exclusiveMaximum")}
    for name, bound in bounds.items():
        if bound is not None and (isinstance(bound, bool) or not isinstance(bound, int | float)):
            raise Unsupported(name)
    return {k: v for k, v in bounds.items() if v is not None}


def _annotated(kind: Any, **constraints: Any) -> Any:
    given = {k: v for k, v in constraints.items() if v is not None}
    return Annotated[kind, msgspec.Meta(**given)] if given else kind


def _union(types: list[Any]) -> Any:
    return types[0] if len(types) == 1 else Union[tuple(types)]  # noqa: UP007 - built at run time
