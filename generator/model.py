"""The one intermediate model: Document -> Channel -> Operation -> Message, the same for AsyncAPI 2.x and 3.x.

Everything downstream (validation, code generation, samples, the checker, docs) reads these objects, never the
raw document. All `$ref`s are resolved; schemas keep their references to *named* schemas (so recursive schemas
stay finite) and are made standalone by `Schema.as_json_schema()`.

How AsyncAPI 2.x maps onto this (3.x) model
-------------------------------------------
AsyncAPI 2.x describes operations from the point of view of a *client* of the application: a channel's
``publish`` operation means "clients publish messages here", i.e. **the application receives** them, and
``subscribe`` means "clients subscribe to messages here", i.e. **the application sends** them. AsyncAPI 3.x
describes the application itself. So:

=====================  ==================================================================
AsyncAPI 2.x           this model (3.x semantics)
=====================  ==================================================================
channel key            `Channel.id` and `Channel.address` (2.x keys *are* addresses)
``publish``            `Operation(action="receive")`
``subscribe``          `Operation(action="send")`
``operationId``        `Operation.id` (else ``"<publish|subscribe>_<channel>"``)
``message`` / oneOf    `Operation.messages`, also listed in `Channel.messages`
message name           `messageId` (2.4+), else ``name``, else the components key, else
                       ``"<operation id>Message"``
traits                 merged by JSON Merge Patch, trait values win (2.x rule); in 3.x the
                       object's own values win (see `generator.loader.traits`)
=====================  ==================================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from generator.location import Source, below

JSON = Any
Action = Literal["send", "receive"]
#: `schemaFormat`s (before any `;version=...`) whose schemas are JSON Schema: AsyncAPI's Schema Object (a
#: superset of draft-07) in JSON or YAML alike, since the loader reads both into the same values: these
#: can be validated and generated from.
JSON_SCHEMA_FORMATS = frozenset(
    {
        "",
        "application/vnd.aai.asyncapi",
        "application/vnd.aai.asyncapi+json",
        "application/vnd.aai.asyncapi+yaml",
        "application/schema+json",
        "application/schema+yaml",
    }
)


def is_json_schema_format(schema_format: str) -> bool:
    """Whether a `schemaFormat` is one of `JSON_SCHEMA_FORMATS` (media types are case-insensitive)."""
    return schema_format.split(";", 1)[0].strip().lower() in JSON_SCHEMA_FORMATS


@dataclass(frozen=True, eq=False)
class NamedSchema:
    """A schema that others refer to by name (`components.schemas.X`, or any `$ref` target)."""

    name: str
    body: JSON  # refs inside rewritten to '#/$defs/<name>'
    where: str
    source: Source


@dataclass(frozen=True, eq=False)
class Schema:
    """A JSON Schema (draft-07, AsyncAPI's dialect) declared somewhere in the document.

    `root` is the schema as written, with every `$ref` rewritten to `#/$defs/<Name>`; `defs` holds the named
    schemas it reaches, transitively, so `as_json_schema()` is standalone.
    """

    root: JSON
    defs: Mapping[str, NamedSchema]
    where: str
    source: Source
    schema_format: str = ""

    @property
    def ref_name(self) -> str | None:
        """The named schema this schema is a bare reference to (`payload: {$ref: ...}`), if it is one."""
        if isinstance(self.root, dict) and set(self.root) == {"$ref"}:
            ref = self.root["$ref"]
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return ref.removeprefix("#/$defs/")
        return None

    @property
    def is_json_schema(self) -> bool:
        return is_json_schema_format(self.schema_format)

    def resolved_root(self) -> JSON:
        """The schema body itself, looking through a bare reference to a named schema."""
        name = self.ref_name
        return self.defs[name].body if name else self.root

    def as_json_schema(self) -> dict[str, Any]:
        """A standalone draft-07 schema: the root with its named schemas under `$defs`."""
        root = self.root if isinstance(self.root, dict) else ({} if self.root else {"not": {}})
        schema: dict[str, Any] = {"$schema": "http://json-schema.org/draft-07/schema#", **root}
        if self.defs:
            schema["$defs"] = {name: named.body for name, named in self.defs.items()}
        return schema

    def where_of(self, schema_path: list[str | int] | tuple[str | int, ...]) -> str:
        """Translate a path inside `as_json_schema()` (as jsonschema reports it) into a document location."""
        parts = list(schema_path)
        if len(parts) >= 2 and parts[0] == "$defs" and parts[1] in self.defs:
            base, rest = self.defs[str(parts[1])].where, parts[2:]
        else:
            base, rest = self.where, parts
        return below(base, *rest) if rest else base


@dataclass(frozen=True, eq=False)
class Example:
    name: str | None
    summary: str | None
    payload: JSON
    headers: JSON
    has_payload: bool
    has_headers: bool
    where: str
    source: Source


@dataclass(frozen=True)
class CorrelationId:
    location: str
    description: str | None


@dataclass(frozen=True, eq=False)
class Message:
    name: str  # unique within the document; see the module docstring for how it is chosen
    title: str | None
    summary: str | None
    description: str | None
    content_type: str | None
    payload: Schema | None
    headers: Schema | None
    examples: tuple[Example, ...]
    correlation_id: CorrelationId | None
    bindings: Mapping[str, JSON]
    extensions: Mapping[str, JSON]  # the `x-` fields, keys as written
    tags: tuple[str, ...]
    declared_name: str | None  # the `name` (or 2.x `messageId`) field as written, if any
    where: str
    source: Source
    #: The fields written in a trait (that the message does not override, 3.x, or that the trait patches in
    #: whole, 2.x), by key: (source, where) of each. The others are written in the message.
    from_traits: Mapping[str, tuple[Source, str]] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"Message({self.name!r})"

    def place_of(self, key: str) -> tuple[Source, str]:
        """Where the message's field `key` is written: in the message, or in the trait that brought it."""
        return field_place(self.from_traits, self.source, self.where, key)


def field_place(
    from_traits: Mapping[str, tuple[Source, str]], source: Source, where: str, key: str
) -> tuple[Source, str]:
    """Where field `key` of the object at `source` (`where`) is written: there, or in the trait that
    brought it (`from_traits`: `Message.from_traits`)."""
    return from_traits.get(key) or (source.child(key), below(where, key))


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str | None
    schema: Schema | None  # 2.x parameters carry a schema; 3.x ones enum/default/examples only
    enum: tuple[str, ...] = ()
    default: str | None = None
    examples: tuple[str, ...] = ()
    location: str | None = None


@dataclass(frozen=True, eq=False)
class Channel:
    id: str
    address: str | None  # None: the address is unknown or dynamic (3.x `address: null`)
    title: str | None
    summary: str | None
    description: str | None
    parameters: tuple[Parameter, ...]
    messages: Mapping[str, Message]  # key as in the channel (3.x) or the message name (2.x)
    bindings: Mapping[str, JSON]
    extensions: Mapping[str, JSON]
    where: str
    source: Source

    def __repr__(self) -> str:
        return f"Channel({self.id!r}, address={self.address!r})"


@dataclass(frozen=True, eq=False)
class Reply:
    channel: Channel | None
    address: str | None
    messages: tuple[Message, ...]


@dataclass(frozen=True, eq=False)
class Operation:
    id: str
    action: Action
    channel: Channel
    messages: tuple[Message, ...]  # the channel's messages when the operation names none
    reply: Reply | None
    title: str | None
    summary: str | None
    description: str | None
    bindings: Mapping[str, JSON]
    extensions: Mapping[str, JSON]
    where: str
    source: Source

    def __repr__(self) -> str:
        return f"Operation({self.id!r}, action={self.action!r}, channel={self.channel.id!r})"


@dataclass(frozen=True)
class ServerVariable:
    name: str
    default: str | None
    enum: tuple[str, ...]
    description: str | None


@dataclass(frozen=True)
class Server:
    name: str
    url: str  # 2.x `url`; 3.x `host` + `pathname`, prefixed with the protocol when it has no scheme
    protocol: str
    description: str | None
    variables: tuple[ServerVariable, ...]


@dataclass(frozen=True)
class Info:
    title: str
    version: str
    description: str | None


@dataclass(frozen=True, eq=False)
class Document:
    path: Path
    asyncapi: str  # the version as written, e.g. "2.6.0"
    info: Info
    servers: tuple[Server, ...]
    channels: Mapping[str, Channel]
    operations: Mapping[str, Operation]
    messages: Mapping[str, Message]  # every message, by name, in document order
    schemas: Mapping[str, NamedSchema]  # every named schema, by name
    default_content_type: str | None
    extensions: Mapping[str, JSON]
    files: tuple[str, ...] = field(default=())  # every file read, the root first

    def __repr__(self) -> str:
        return f"Document({str(self.path)!r}, asyncapi={self.asyncapi!r})"

    @property
    def major(self) -> int:
        return int(self.asyncapi.split(".", 1)[0])

    def message(self, name: str) -> Message:
        try:
            return self.messages[name]
        except KeyError:
            known = ", ".join(self.messages) or "none"
            raise KeyError(f"no message named {name!r} (the document has: {known})") from None

    def receive_operations(self) -> list[Operation]:
        return [op for op in self.operations.values() if op.action == "receive"]

    def event_messages(self) -> list[Message]:
        """The messages events can be: those of operations (not replies), else of channels, no duplicates.

        Reply-only messages (an API Gateway response) are not events an application receives or sends
        on its own, so recognition and checking leave them out.
        """
        seen: dict[str, Message] = {}
        for op in self.operations.values():
            for message in op.messages:
                seen.setdefault(message.name, message)
        reply_only = {m.name for op in self.operations.values() if op.reply for m in op.reply.messages} - set(
            seen
        )
        for channel in self.channels.values():
            for message in channel.messages.values():
                if message.name not in reply_only:
                    seen.setdefault(message.name, message)
        return list(seen.values())

    def reply_messages(self) -> list[Message]:
        """The messages only ever replies, which `event_messages` leaves out, in the order met."""
        events = {m.name for m in self.event_messages()}
        found: dict[str, Message] = {}
        for op in self.operations.values():
            for message in op.reply.messages if op.reply else []:
                if message.name not in events:
                    found.setdefault(message.name, message)
        return list(found.values())

    def operations_for(self, message: Message) -> list[Operation]:
        return [op for op in self.operations.values() if any(m is message for m in op.messages)]
