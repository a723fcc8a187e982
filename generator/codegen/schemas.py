"""One JSON Schema for the whole document, as datamodel-code-generator reads it best.

Every named schema and every message payload becomes an entry under `$defs`, keyed by the class name it is to
have (`S3Event`; a message whose payload is a bare `$ref` shares that schema's class), so a single
datamodel-code-generator run names every class: nested inline objects get their owner's name as a prefix
(`S3EventRecord`), and nothing collides across messages. The copy differs from the document's schemas only in
ways that serve the generated code:

- `$ref`s follow the renamed keys;
- `format` is dropped, so strings stay strings (`"1970-01-01T00:00:00.000Z"` must come back byte for byte,
  and the package must not need extra libraries for e-mail or URL types);
- `$id` is dropped (references are all local by now, and a base URI would change what they mean);
- for dataclasses, a property whose JSON name is not already a Python name carries `metadata: {json: NAME}`,
  which datamodel-code-generator writes as `field(metadata={"json": NAME})` for the generated codec to read.
"""

from __future__ import annotations

import copy
import keyword
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from generator.model import Document, Message
from generator.names import class_name, split_words, unique
from generator.problems import Level, Problem
from generator.schema_walk import subschemas, walk
from generator.unfit_values import local_check

#: A JSON member name a dataclass field takes unchanged (datamodel-code-generator keeps these as they are).
_PLAIN_FIELD = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
_DRAFT_07 = "http://json-schema.org/draft-07/schema#"


@dataclass
class CombinedSchema:
    """The schema handed to datamodel-code-generator, and which `$defs` key holds which model."""

    schema: dict[str, Any]
    #: named schema name (as in the document) -> its `$defs` key (the class name asked for)
    schema_keys: dict[str, str] = field(default_factory=dict)
    #: message name -> the `$defs` key of its payload's model; absent when the message has no JSON payload
    message_keys: dict[str, str] = field(default_factory=dict)
    #: messages whose payload is not JSON Schema (Avro, RAML...): typed as any JSON value
    opaque_messages: list[Message] = field(default_factory=list)
    #: defaults left out of the models, as they do not fit their own schema (warnings)
    unfit_defaults: list[Problem] = field(default_factory=list)
    root_name: str = "AnyMessage"


def keeps_name(member: str) -> bool:
    """Whether datamodel-code-generator names the field of this JSON member exactly like the member."""
    return (
        bool(_PLAIN_FIELD.match(member))
        and not keyword.iskeyword(member)
        and not keyword.issoftkeyword(member)
    )


def _prepare(body: Any, keys: dict[str, str], *, json_names: str) -> Any:
    """A copy of one schema body: renamed `$ref`s, no `format`/`$id`, JSON names for dataclasses.

    `json_names`: "renamed" marks the members whose field name will differ, "all" every member, "none" none.
    """
    body = copy.deepcopy(body)
    if body is True:
        return {}
    if body is False:
        return {"not": {}}

    def visit(schema: dict[str, Any]) -> None:
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            name = ref.removeprefix("#/$defs/")
            schema["$ref"] = f"#/$defs/{keys.get(name, name)}"
        for name in ("format", "$id", "$schema", "id"):
            if isinstance(schema.get(name), str):
                del schema[name]
        properties = schema.get("properties")
        if json_names != "none" and isinstance(properties, dict):
            for name, member in list(properties.items()):
                if member is True:
                    member = properties[name] = {}
                if isinstance(member, dict) and (json_names == "all" or not keeps_name(name)):
                    member["metadata"] = {"json": name}

    walk(body, visit)
    return body


def _drop_unfit_defaults(body: Any, file: str, where: str, result: CombinedSchema) -> None:
    """Remove each `default` its own schema refuses (`default: 'false'` for a boolean): the model would give
    the field a value of the wrong type, which mypy refuses. Each is a warning in `result`."""

    def visit(node: Any, path: tuple[str, ...]) -> None:
        if not isinstance(node, dict):
            return
        if "default" in node:
            check = local_check(node)
            if check is not None and not check.is_valid(node["default"]):
                what = f"default {node.pop('default')!r} does not fit its schema: left out of the model"
                place = ".".join([where, *path])
                result.unfit_defaults.append(Problem(file=file, where=place, what=what, level=Level.WARNING))
        for steps, sub in subschemas(node):
            visit(sub, (*path, *map(str, steps)))

    visit(body, ())


def combined_schema(document: Document, *, json_names: str) -> CombinedSchema:
    """Every named schema and message payload of `document` under `$defs`, keyed by class name."""
    taken: set[str] = set()
    result = CombinedSchema(schema={})
    named = dict(document.schemas)
    for message in document.messages.values():
        if message.payload is not None:
            for name, schema in message.payload.defs.items():
                named.setdefault(name, schema)
    for name in named:
        result.schema_keys[name] = unique(class_name(name), taken)

    defs: dict[str, Any] = {}
    for name, schema in named.items():
        defs[result.schema_keys[name]] = _prepare(schema.body, result.schema_keys, json_names=json_names)
        _drop_unfit_defaults(defs[result.schema_keys[name]], str(schema.source.file), schema.where, result)
    for message in document.messages.values():
        payload = message.payload
        if payload is None:
            continue
        if not payload.is_json_schema:
            result.opaque_messages.append(message)
            continue
        if payload.ref_name is not None and payload.ref_name in result.schema_keys:
            result.message_keys[message.name] = result.schema_keys[payload.ref_name]
            continue
        key = class_name(message.name)
        key = unique(key if key not in taken else class_name(f"{message.name} Payload"), taken)
        result.message_keys[message.name] = key
        defs[key] = _prepare(payload.root, result.schema_keys, json_names=json_names)
        _drop_unfit_defaults(defs[key], str(payload.source.file), payload.where, result)

    _name_union_branches(defs, taken)
    _read_discriminators(defs)
    result.root_name = unique("AnyMessage", taken)
    events = _unique_in_order(
        result.message_keys[m.name] for m in document.event_messages() if m.name in result.message_keys
    )
    result.schema = {"$schema": _DRAFT_07, "$defs": defs}
    if events:
        result.schema["anyOf"] = [{"$ref": f"#/$defs/{key}"} for key in events]
    return result


def tag_unions(schema: dict[str, Any]) -> None:
    """Give each union of named objects that differ by a required constant member (`type: heartbeat` /
    `type: update`) an OpenAPI-style `discriminator`, from which datamodel-code-generator tags their msgspec
    Structs: msgspec decodes a union of Structs only when they are tagged. Any other union is left as it is
    (and refused for msgspec: `models._UNTAGGED_UNION`)."""
    defs: dict[str, Any] = schema.get("$defs", {})

    def visit(node: dict[str, Any]) -> None:
        for union in ("oneOf", "anyOf"):
            branches = node.get(union)
            if isinstance(branches, list) and len(branches) > 1 and "discriminator" not in node:
                tag = _tag_of(branches, defs)
                if tag is not None:
                    node["discriminator"] = tag

    for body in defs.values():
        walk(body, visit)


def _read_discriminators(defs: dict[str, Any]) -> None:
    """AsyncAPI's `discriminator` (the name of the member that tells a union's branches apart) as the
    OpenAPI-style object datamodel-code-generator reads, where each branch requires that member to hold a
    string of its own; else left out, since the models cannot use it: pydantic refuses at import a
    discriminator a branch may lack (asyncapi/cli's kotlin-polymorphism: `kind` not required). It is no
    validation keyword, so checks are the same without it."""

    def visit(node: dict[str, Any]) -> None:
        member = node.get("discriminator")
        if not isinstance(member, str):
            return
        del node["discriminator"]
        for union in ("oneOf", "anyOf"):
            branches = node.get(union)
            tag = (
                _tag_of(branches, defs, member) if isinstance(branches, list) and len(branches) > 1 else None
            )
            if tag is not None:
                node["discriminator"] = tag

    for body in defs.values():
        walk(body, visit)


def _tag_of(branches: list[Any], defs: dict[str, Any], member: str | None = None) -> dict[str, Any] | None:
    """The member whose constant tells `branches` apart (`member`, when given), all of them references to
    named schemas."""
    refs = [
        branch.get("$ref") if isinstance(branch, dict) and len(branch) == 1 else None for branch in branches
    ]
    if not all(isinstance(ref, str) and ref.startswith("#/$defs/") for ref in refs):
        return None
    tags = [_required_constants(defs.get(str(ref).removeprefix("#/$defs/")), defs) for ref in refs]
    for name in [member] if member is not None else tags[0]:  # in the first branch's order: the same tag
        values = [tag.get(name) for tag in tags]  # on every run
        if all(isinstance(value, str) for value in values) and len(set(values)) == len(values):
            return {"propertyName": name, "mapping": dict(zip(values, refs, strict=True))}
    return None


def _required_constants(body: Any, defs: dict[str, Any]) -> dict[str, str]:
    """The members an object schema requires to hold one string (`const`, or a one-value `enum`), through
    its `allOf` parts and references."""
    constants: dict[str, str] = {}
    required: set[str] = set()

    def gather(node: Any, seen: frozenset[str]) -> None:
        if not isinstance(node, dict):
            return
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/") and ref not in seen:
            gather(defs.get(ref.removeprefix("#/$defs/")), seen | {ref})
        for part in node.get("allOf") or []:
            gather(part, seen)
        required.update(name for name in node.get("required") or [] if isinstance(name, str))
        for name, member in (node.get("properties") or {}).items():
            value = _only_value(member) if isinstance(member, dict) else None
            if isinstance(value, str):
                constants.setdefault(name, value)

    gather(body, frozenset())
    return {name: value for name, value in constants.items() if name in required}


def _only_value(member: dict[str, Any]) -> Any:
    """The one value a member's schema allows (`const`, or an `enum` of one), else None."""
    enum = member.get("enum")
    return member.get("const", enum[0] if isinstance(enum, list) and len(enum) == 1 else None)


def _branch_suffix(branch: dict[str, Any], number: int) -> str:
    """What sets a union branch apart, for its class name: its title, a constant member, its required ones."""
    if isinstance(branch.get("title"), str):
        return class_name(branch["title"])
    for member in (branch.get("properties") or {}).values():
        if isinstance(member, dict):
            value = _only_value(member)
            if isinstance(value, str) and split_words(value):
                return class_name(value)
    required = [name for name in branch.get("required") or [] if isinstance(name, str)]
    words = " ".join(required[:2])
    return class_name(words) if split_words(words) else f"Option{number}"


def _name_union_branches(defs: dict[str, Any], taken: set[str]) -> None:
    """Move inline object branches of `oneOf`/`anyOf` into `$defs`, each named after what sets it apart.

    datamodel-code-generator would number them (`OrderPlacedContact1`); `OrderPlacedContactEmail` and
    `OrderPlacedContactPhone` say which is which.
    """
    pending = list(defs.items())

    def hoist(holder: dict[str, Any], prefix: str) -> None:
        for union in ("oneOf", "anyOf"):
            branches = holder.get(union)
            if not isinstance(branches, list):
                continue
            for number, branch in enumerate(branches, start=1):
                if isinstance(branch, dict) and "$ref" not in branch and _is_object(branch):
                    key = unique(prefix + _branch_suffix(branch, number), taken)
                    defs[key] = branch
                    branches[number - 1] = {"$ref": f"#/$defs/{key}"}
                    pending.append((key, branch))

    while pending:
        owner, body = pending.pop(0)
        if isinstance(body, dict):
            hoist(body, owner)

        def visit(schema: dict[str, Any], owner: str = owner) -> None:
            for member, member_schema in list((schema.get("properties") or {}).items()):
                if isinstance(member_schema, dict):
                    hoist(member_schema, owner + class_name(member))

        walk(body, visit)


def _is_object(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "object" or isinstance(schema.get("properties"), dict)


def _unique_in_order(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
