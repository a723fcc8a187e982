"""Raw AsyncAPI 2.x / 3.x documents -> the one intermediate model (`generator.model`).

The builder walks the document the way the specification defines it, following `$ref`s as it goes (with cycle
detection), applying traits, and turning every schema into a `Schema` whose references are named schemas. It
never stops at the first fault: each is recorded as a `Problem` at the place it was found, and the part that
failed is left out so the rest can still be checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.loader.refs import RefError, Resolver
from generator.loader.schemas import SchemaRegistry, describe_source
from generator.loader.traits import Origin, apply_traits, origin_at
from generator.location import Source, below
from generator.model import (
    Channel,
    CorrelationId,
    Document,
    Example,
    Info,
    Message,
    Operation,
    Parameter,
    Reply,
    Schema,
    Server,
    ServerVariable,
    field_place,
)
from generator.names import unique
from generator.problems import Problem


def _named_after(kind: str, address: str) -> str:
    """`subscribe_user_signedup` for `subscribe` of `/user/signedup`: a name to type after `--message`, which
    `gen samples` keeps as its folder's name (`sampling.output.folder_name` changes only non-ASCII
    letters)."""
    words = re.sub(r"\W+", "_", address).strip("_")
    return f"{kind}_{words}" if words else kind


def _named_by_key(pointer: tuple[str | int, ...], *, external: bool) -> bool:
    """Whether a message's place names it: `#/components/messages/OrderPlaced`, or, in another file, a key
    at its top (`messages.yaml#/likeComment`, named as components are rather than after the channel that
    refers to it); not `#/channels/orders/publish/message`."""
    if not pointer or not isinstance(pointer[-1], str):
        return False
    return (len(pointer) == 3 and pointer[:2] == ("components", "messages")) or (
        external and len(pointer) == 1
    )


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _extensions(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in raw.items() if isinstance(k, str) and k.startswith("x-")}


def _rebase_refs(value: Any, origin: str, target: str) -> Any:
    """Make `$ref`s copied from file `origin` into an object of file `target` still point where they did."""
    if origin == target:
        return value
    if isinstance(value, list):
        return [_rebase_refs(v, origin, target) for v in value]
    if not isinstance(value, dict):
        return value
    result = {k: _rebase_refs(v, origin, target) for k, v in value.items()}
    ref = value.get("$ref")
    if isinstance(ref, str) and "://" not in ref:
        location, _, fragment = ref.partition("#")
        path = Path(origin).parent / location if location else Path(origin)
        result["$ref"] = f"{path.resolve()}#{fragment}"
    return result


@dataclass
class Builder:
    resolver: Resolver
    major: int
    problems: list[Problem] = field(default_factory=list)
    messages: dict[str, Message] = field(default_factory=dict)
    _message_by_source: dict[Source, Message] = field(default_factory=dict)
    _channel_by_source: dict[Source, Channel] = field(default_factory=dict)
    registry: SchemaRegistry = field(init=False)

    def __post_init__(self) -> None:
        self.registry = SchemaRegistry(self.resolver, self.where, self.problem)

    @property
    def root_name(self) -> str:
        return str(self.resolver.root.path)

    # -- problems and references --------------------------------------------------------------

    def where(self, source: Source) -> str:
        return describe_source(source, self.root_name)

    def problem(self, source: Source, where: str, what: str) -> None:
        line: int | None = None
        col: int | None = None
        read = self.resolver.files.get(source.file)
        if read is not None:
            line, col = read.position(source.pointer)
        self.problems.append(Problem(file=source.file, what=what, where=where, line=line, col=col))

    def deref(self, value: Any, source: Source, where: str) -> tuple[Any, Source] | None:
        """Follow a chain of `$ref`s to a value; None (and a problem) when it dangles or cycles."""
        seen = [source]
        while isinstance(value, dict) and "$ref" in value:
            ref = value["$ref"]
            try:
                value, target = self.resolver.follow(ref, source)
            except RefError as error:
                self.problem(source.child("$ref"), where, f"$ref {ref!r}: {error}")
                return None
            if target in seen:
                chain = " -> ".join(self.where(s) or "#" for s in [*seen, target])
                self.problem(source.child("$ref"), where, f"cyclic $ref: {chain}")
                return None
            seen.append(target)
            source = target
        return value, source

    def inline(self, value: Any, source: Source, where: str, _stack: tuple[Source, ...] = ()) -> Any:
        """Resolve every `$ref` inside opaque content (bindings), refusing cycles."""
        if isinstance(value, dict) and "$ref" in value:
            found = self.deref(value, source, where)
            if found is None:
                return None
            value, target = found
            if target in _stack:
                self.problem(source.child("$ref"), where, "cyclic $ref")
                return None
            return self.inline(value, target, where, (*_stack, target))
        if isinstance(value, dict):
            return {k: self.inline(v, source.child(k), below(where, k), _stack) for k, v in value.items()}
        if isinstance(value, list):
            return [self.inline(v, source.child(i), where, _stack) for i, v in enumerate(value)]
        return value

    def entries(self, raw: Any, source: Source, where: str) -> Iterator[tuple[str, Any, Source, str]]:
        """Each (key, dereferenced value, its source, where) of a map of possibly-referenced objects."""
        for key, value in _map(raw).items():
            found = self.deref(value, source.child(key), below(where, key))
            if found is not None and isinstance(found[0], dict):
                yield key, found[0], found[1], below(where, key)

    # -- common pieces ---------------------------------------------------------------------------

    def with_traits(self, raw: dict[str, Any], source: Source, where: str) -> tuple[dict[str, Any], Origin]:
        """`raw` with its traits merged in, and where each of its values is written (`Origin`)."""
        traits: list[tuple[dict[str, Any], Source]] = []
        raw_traits = raw.get("traits")
        for index, trait in enumerate(raw_traits if isinstance(raw_traits, list) else []):
            # 2.x allows a trait to be given as [trait, bindings-of-trait] pairs; the first item is the trait
            if self.major == 2 and isinstance(trait, list) and trait:
                trait = trait[0]
            found = self.deref(trait, source.child("traits", index), below(where, "traits", index))
            if found is not None and isinstance(found[0], dict):
                traits.append((_rebase_refs(found[0], found[1].file, source.file), found[1]))
        return apply_traits(raw, source, traits, self.major) if traits else (raw, source)

    def from_traits(
        self, raw: dict[str, Any], origin: Origin, source: Source
    ) -> dict[str, tuple[Source, str]]:
        """The fields of `raw`, the object at `source` with its traits merged in, written in a trait: where
        each is (`Message.from_traits`). A mapping merged from the object's and a trait's is the object's."""
        placed: dict[str, tuple[Source, str]] = {}
        for key in raw:
            found = origin_at(origin, (key,))
            if found is not None and found != source.child(key):
                placed[key] = (found, self.where(found))
        return placed

    def schema(self, raw: Any, source: Source, where: str, schema_format: str = "") -> Schema:
        return self.registry.schema(raw, source, where, schema_format)

    def register_components(self, root: dict[str, Any]) -> None:
        source = Source(self.root_name, ("components", "schemas"))
        for name, value in _map(_map(root.get("components")).get("schemas")).items():
            self.registry.register(str(name), value, source.child(name))

    def message(self, raw: dict[str, Any], source: Source, where: str, fallback: str) -> Message:
        if source in self._message_by_source:
            return self._message_by_source[source]
        raw, origin = self.with_traits(raw, source, where)
        from_traits = self.from_traits(raw, origin, source)

        def place(key: str) -> tuple[Source, str]:
            return field_place(from_traits, source, where, key)

        declared = _str(raw.get("messageId")) or _str(raw.get("name"))
        name = self._message_name(source, declared if self.major == 2 else None, fallback)
        payload_raw = raw.get("payload")
        schema_format = _str(raw.get("schemaFormat")) or ""
        payload_source, payload_where = place("payload")
        if self.major == 3 and isinstance(payload_raw, dict) and "schemaFormat" in payload_raw:
            schema_format = _str(payload_raw.get("schemaFormat")) or ""
            payload_raw = payload_raw.get("schema")
            payload_source = payload_source.child("schema")
        payload = (
            self.schema(payload_raw, payload_source, payload_where, schema_format)
            if "payload" in raw
            else None
        )
        headers = None
        if "headers" in raw:
            headers_raw = raw["headers"]
            headers_source, headers_where = place("headers")
            if self.major == 3 and isinstance(headers_raw, dict) and "schemaFormat" in headers_raw:
                headers_raw = headers_raw.get("schema")
                headers_source = headers_source.child("schema")
            headers = self.schema(headers_raw, headers_source, headers_where)
        correlation = None
        found = self.deref(raw.get("correlationId"), place("correlationId")[0], where)
        if found is not None and isinstance(found[0], dict):
            correlation = CorrelationId(
                location=_str(found[0].get("location")) or "",
                description=_str(found[0].get("description")),
            )
        message = Message(
            name=name,
            title=_str(raw.get("title")),
            summary=_str(raw.get("summary")),
            description=_str(raw.get("description")),
            content_type=_str(raw.get("contentType")),
            payload=payload,
            headers=headers,
            examples=tuple(self.examples(raw.get("examples"), *place("examples"))),
            correlation_id=correlation,
            bindings=self.inline(_map(raw.get("bindings")), place("bindings")[0], where),
            extensions=_extensions(raw),
            tags=tuple(t["name"] for t in raw.get("tags") or [] if isinstance(t, dict) and "name" in t),
            declared_name=declared,
            where=where,
            source=source,
            from_traits=from_traits,
        )
        self._message_by_source[source] = message
        self.messages[name] = message
        return message

    def _message_name(self, source: Source, declared: str | None, fallback: str) -> str:
        pointer = source.pointer
        if declared:
            name = declared
        elif _named_by_key(pointer, external=source.file != self.root_name):
            name = str(pointer[-1])
        else:
            name = fallback
        if name in self.messages:
            if declared and self.messages[name].declared_name == declared:
                self.problem(
                    source.child("name"),
                    self.where(source),
                    f"duplicate message name {name!r} (also {self.messages[name].where})",
                )
            number = 2
            while f"{name}{number}" in self.messages:
                number += 1
            name = f"{name}{number}"
        return name

    def examples(self, raw: Any, source: Source, where: str) -> Iterator[Example]:
        """The examples of the list at `source`, placed at `where`."""
        for index, item in enumerate(raw if isinstance(raw, list) else []):
            found = self.deref(item, source.child(index), below(where, index))
            if found is None or not isinstance(found[0], dict):
                continue
            example, example_source = found
            yield Example(
                name=_str(example.get("name")),
                summary=_str(example.get("summary")),
                payload=example.get("payload"),
                headers=example.get("headers"),
                has_payload="payload" in example,
                has_headers="headers" in example,
                where=below(where, index),
                source=example_source,
            )

    def info(self, root: dict[str, Any]) -> Info:
        info = _map(root.get("info"))
        return Info(
            title=_str(info.get("title")) or "",
            version=_str(info.get("version")) or "",
            description=_str(info.get("description")),
        )

    def servers(self, root: dict[str, Any]) -> tuple[Server, ...]:
        servers = []
        for name, raw, source, where in self.entries(
            root.get("servers"), Source(self.root_name, ("servers",)), "servers"
        ):
            protocol = _str(raw.get("protocol")) or ""
            if self.major == 2:
                url = _str(raw.get("url")) or ""
            else:
                url = (_str(raw.get("host")) or "") + (_str(raw.get("pathname")) or "")
                if protocol and "://" not in url:
                    url = f"{protocol}://{url}"
            variables = tuple(
                ServerVariable(
                    name=var_name,
                    default=_str(var.get("default")),
                    enum=tuple(str(v) for v in var.get("enum") or []),
                    description=_str(var.get("description")),
                )
                for var_name, var, _, _ in self.entries(raw.get("variables"), source, where)
            )
            servers.append(Server(name, url, protocol, _str(raw.get("description")), variables))
        return tuple(servers)

    def parameters(self, raw: Any, source: Source, where: str) -> tuple[Parameter, ...]:
        params = []
        for name, param, param_source, param_where in self.entries(raw, source, where):
            schema = None
            if "schema" in param:
                schema = self.schema(param["schema"], param_source.child("schema"), f"{param_where}.schema")
            params.append(
                Parameter(
                    name=name,
                    description=_str(param.get("description")),
                    schema=schema,
                    enum=tuple(str(v) for v in param.get("enum") or []),
                    default=_str(param.get("default")),
                    examples=tuple(str(v) for v in param.get("examples") or []),
                    location=_str(param.get("location")),
                )
            )
        return tuple(params)

    def channel(
        self,
        channel_id: str,
        address: str | None,
        raw: dict[str, Any],
        source: Source,
        where: str,
        messages: dict[str, Message],
    ) -> Channel:
        return Channel(
            id=channel_id,
            address=address,
            title=_str(raw.get("title")),  # 3.x only, like summary; absent in 2.x
            summary=_str(raw.get("summary")),
            description=_str(raw.get("description")),
            parameters=self.parameters(
                raw.get("parameters"), source.child("parameters"), below(where, "parameters")
            ),
            messages=messages,
            bindings=self.inline(_map(raw.get("bindings")), source.child("bindings"), where),
            extensions=_extensions(raw),
            where=where,
            source=source,
        )

    def document(self, root: dict[str, Any], path: Path) -> Document:
        self.register_components(root)
        channels, operations = self.v2(root) if self.major == 2 else self.v3(root)
        self.registry.report_cycles()
        return Document(
            path=path,
            asyncapi=str(root.get("asyncapi")),
            info=self.info(root),
            servers=self.servers(root),
            channels=channels,
            operations=operations,
            messages=dict(self.messages),
            schemas=dict(self.registry.named),
            default_content_type=_str(root.get("defaultContentType")),
            extensions=_extensions(root),
            files=tuple(self.resolver.files),
        )

    # -- AsyncAPI 2.x ----------------------------------------------------------------------------

    def v2(self, root: dict[str, Any]) -> tuple[dict[str, Channel], dict[str, Operation]]:
        channels: dict[str, Channel] = {}
        operations: dict[str, Operation] = {}
        base = Source(self.root_name, ("channels",))
        # an operation without an operationId is named after its channel, as a name (`subscribe_user_signedup`
        # for `user/signedup`), unlike any operationId of the document
        taken = {
            op["operationId"]
            for channel in _map(root.get("channels")).values()
            if isinstance(channel, dict)
            for op in (channel.get("publish"), channel.get("subscribe"))
            if isinstance(op, dict) and isinstance(op.get("operationId"), str)
        }
        for address, raw, source, where in self.entries(root.get("channels"), base, "channels"):
            channel_messages: dict[str, Message] = {}
            pending: list[tuple[str, str, dict[str, Any], Source, str, list[Message]]] = []
            for kind, action in (("publish", "receive"), ("subscribe", "send")):
                if not isinstance(raw.get(kind), dict):
                    continue
                op_where = below(where, kind)
                op_source = source.child(kind)
                op_raw = self.with_traits(raw[kind], op_source, op_where)[0]
                op_id = _str(op_raw.get("operationId")) or unique(_named_after(kind, address), taken)
                messages = list(self.v2_messages(op_raw, op_source, op_where, op_id))
                for message in messages:
                    channel_messages.setdefault(message.name, message)
                pending.append((op_id, action, op_raw, op_source, op_where, messages))
            channel = self.channel(address, address, raw, source, where, channel_messages)
            channels[address] = channel
            for op_id, action, op_raw, op_source, op_where, messages in pending:
                if op_id in operations:
                    self.problem(
                        op_source.child("operationId"),
                        op_where,
                        f"duplicate operationId {op_id!r} (also {operations[op_id].where})",
                    )
                    continue
                operations[op_id] = Operation(
                    id=op_id,
                    action="receive" if action == "receive" else "send",
                    channel=channel,
                    messages=tuple(messages),
                    reply=None,
                    title=None,
                    summary=_str(op_raw.get("summary")),
                    description=_str(op_raw.get("description")),
                    bindings=self.inline(_map(op_raw.get("bindings")), op_source, op_where),
                    extensions=_extensions(op_raw),
                    where=op_where,
                    source=op_source,
                )
        return channels, operations

    def v2_messages(
        self, op_raw: dict[str, Any], source: Source, where: str, op_id: str
    ) -> Iterator[Message]:
        if "message" not in op_raw:
            return
        found = self.deref(op_raw["message"], source.child("message"), below(where, "message"))
        if found is None or not isinstance(found[0], dict):
            return
        raw, message_source = found
        if isinstance(raw.get("oneOf"), list):
            for index, item in enumerate(raw["oneOf"]):
                item_where = below(where, "message", "oneOf", index)
                item_found = self.deref(item, message_source.child("oneOf", index), item_where)
                if item_found is not None and isinstance(item_found[0], dict):
                    fallback = f"{op_id}Message{index + 1}"
                    yield self.message(item_found[0], item_found[1], item_where, fallback)
        else:
            yield self.message(raw, message_source, below(where, "message"), f"{op_id}Message")

    # -- AsyncAPI 3.x ----------------------------------------------------------------------------

    def v3(self, root: dict[str, Any]) -> tuple[dict[str, Channel], dict[str, Operation]]:
        channels: dict[str, Channel] = {}
        base = Source(self.root_name, ("channels",))
        # messages reached through a channel, by the source of the channel's entry *and* of the message
        entry_messages: dict[Source, Message] = {}
        for channel_id, raw, source, where in self.entries(root.get("channels"), base, "channels"):
            channel_messages: dict[str, Message] = {}
            messages_source = source.child("messages")
            for key, value in _map(raw.get("messages")).items():
                entry = messages_source.child(key)
                found = self.deref(value, entry, below(where, "messages", key))
                if found is None or not isinstance(found[0], dict):
                    continue
                message = self.message(found[0], found[1], self.where(found[1]), str(key))
                channel_messages[str(key)] = message
                entry_messages[entry] = message
            address = raw.get("address", channel_id)
            channel = self.channel(
                channel_id,
                address if isinstance(address, str) else None,
                raw,
                source,
                where,
                channel_messages,
            )
            channels[channel_id] = channel
            self._channel_by_source[source] = channel
            self._channel_by_source[base.child(channel_id)] = channel
        operations: dict[str, Operation] = {}
        op_base = Source(self.root_name, ("operations",))
        for op_id, raw, source, where in self.entries(root.get("operations"), op_base, "operations"):
            raw = self.with_traits(raw, source, where)[0]
            op_channel = self.v3_channel(raw.get("channel"), source.child("channel"), below(where, "channel"))
            if op_channel is None:
                continue
            messages = self.v3_operation_messages(
                raw.get("messages"), source.child("messages"), where, op_channel, entry_messages
            )
            operations[op_id] = Operation(
                id=op_id,
                action="send" if raw.get("action") == "send" else "receive",
                channel=op_channel,
                messages=messages if "messages" in raw else tuple(op_channel.messages.values()),
                reply=self.v3_reply(raw.get("reply"), source.child("reply"), where, entry_messages),
                title=_str(raw.get("title")),
                summary=_str(raw.get("summary")),
                description=_str(raw.get("description")),
                bindings=self.inline(_map(raw.get("bindings")), source.child("bindings"), where),
                extensions=_extensions(raw),
                where=where,
                source=source,
            )
        return channels, operations

    def v3_channel(self, ref: Any, source: Source, where: str) -> Channel | None:
        if not isinstance(ref, dict) or "$ref" not in ref:
            self.problem(source, where, "must be a $ref to a channel ('#/channels/<id>')")
            return None
        try:
            target = self.resolver.target(ref["$ref"], source)
        except RefError as error:
            self.problem(source.child("$ref"), where, f"$ref {ref['$ref']!r}: {error}")
            return None
        channel = self._channel_by_source.get(target)
        if channel is None:
            self.problem(
                source.child("$ref"),
                where,
                f"channel {ref['$ref']!r} does not exist in this document",
            )
        return channel

    def v3_operation_messages(
        self,
        raw: Any,
        source: Source,
        where: str,
        channel: Channel,
        entry_messages: dict[Source, Message],
    ) -> tuple[Message, ...]:
        result = []
        for index, ref in enumerate(raw if isinstance(raw, list) else []):
            item_source, item_where = source.child(index), below(where, "messages", index)
            message = self.v3_message_ref(ref, item_source, item_where, entry_messages)
            if message is None:
                continue
            if not any(m is message for m in channel.messages.values()):
                self.problem(
                    item_source.child("$ref"),
                    item_where,
                    f"message {message.name!r} is not a message of channel {channel.id!r}",
                )
                continue
            result.append(message)
        return tuple(result)

    def v3_message_ref(
        self, ref: Any, source: Source, where: str, entry_messages: dict[Source, Message]
    ) -> Message | None:
        if not isinstance(ref, dict) or "$ref" not in ref:
            self.problem(source, where, "must be a $ref to a message of the channel")
            return None
        try:
            target = self.resolver.target(ref["$ref"], source)
        except RefError as error:
            self.problem(source.child("$ref"), where, f"$ref {ref['$ref']!r}: {error}")
            return None
        if target in entry_messages:
            return entry_messages[target]
        found = self.deref(ref, source, where)
        if found is None:
            return None
        message = self._message_by_source.get(found[1])
        if message is None:
            self.problem(source.child("$ref"), where, f"$ref {ref['$ref']!r} is not a message")
        return message

    def v3_reply(
        self, raw: Any, source: Source, where: str, entry_messages: dict[Source, Message]
    ) -> Reply | None:
        found = self.deref(raw, source, below(where, "reply"))
        if found is None or not isinstance(found[0], dict):
            return None
        reply, reply_source = found
        channel = None
        if "channel" in reply:
            channel = self.v3_channel(
                reply["channel"], reply_source.child("channel"), below(where, "reply", "channel")
            )
        address = None
        address_found = self.deref(reply.get("address"), reply_source.child("address"), where)
        if address_found is not None and isinstance(address_found[0], dict):
            address = _str(address_found[0].get("location"))
        messages = []
        for index, ref in enumerate(reply.get("messages") or []):
            message = self.v3_message_ref(
                ref,
                reply_source.child("messages", index),
                below(where, "reply", "messages", index),
                entry_messages,
            )
            if message is not None:
                messages.append(message)
        if channel is not None and not messages:
            messages = list(channel.messages.values())
        return Reply(channel=channel, address=address, messages=tuple(messages))
