"""The overview diagram: sources (servers) -> channels -> operations, as Mermaid flowchart source.

mkdocs-material draws ```` ```mermaid ```` blocks in the browser. Node ids are ours (`s0`, `c0`, `o0`), never
document text; every label is reduced to letters, digits and a few safe characters, the rest written as
Mermaid's numeric entity codes (`#60;` for `<`), so a name can neither end a label nor add markup to it.
"""

from __future__ import annotations

import re

from generator.model import Document, Operation

_LABEL_SAFE = re.compile(r"[A-Za-z0-9 ._/-]")
_MAX_MESSAGES_IN_LABEL = 3
_MAX_SOURCE_NODES = 3


def label(*lines: str) -> str:
    """A quoted Mermaid node label of one or more lines."""
    encoded = ["".join(c if _LABEL_SAFE.fullmatch(c) else f"#{ord(c)};" for c in line) for line in lines]
    return '"' + "<br/>".join(encoded) + '"'


def _operation_lines(operation: Operation) -> tuple[str, str]:
    names = [m.name for m in operation.messages]
    shown = ", ".join(names[:_MAX_MESSAGES_IN_LABEL]) + (" …" if len(names) > _MAX_MESSAGES_IN_LABEL else "")
    return operation.id, f"{operation.action}: {shown}" if shown else operation.action


def _source_nodes(document: Document) -> list[tuple[str, str]]:
    """A node per server, or one node naming them all when there are too many to draw edges from each."""
    servers = document.servers
    if len(servers) <= _MAX_SOURCE_NODES:
        return [(f"s{index}", label(server.name, server.protocol)) for index, server in enumerate(servers)]
    names = ", ".join(server.name for server in servers[:_MAX_SOURCE_NODES]) + ", …"
    return [("s0", label(f"{len(servers)} servers", names))]


def _is_reply_only(document: Document, channel_id: str) -> bool:
    return any(
        op.reply is not None and op.reply.channel is not None and op.reply.channel.id == channel_id
        for op in document.operations.values()
    )


def flowchart(document: Document) -> str:
    """Mermaid source of the document's sources -> channels -> operations, deterministic for a document.

    Servers are cylinders, channels rounded boxes, operations boxes. Edges follow the data: into a channel
    from its servers, out of it to the operations receiving from it; an operation sending to a channel is
    drawn to its left, and a reply as a dotted edge. No subgraphs: they defeat Mermaid's left-to-right layout.
    """
    lines = ["flowchart LR"]
    sources = _source_nodes(document)
    lines.extend(f"  {node}[({text})]" for node, text in sources)
    channel_ids = {channel_id: f"c{index}" for index, channel_id in enumerate(document.channels)}
    for channel_id, channel in document.channels.items():
        shown = dict.fromkeys([channel.title or channel.id, channel.address or "(dynamic address)"])
        lines.append(f"  {channel_ids[channel_id]}([{label(*shown)}])")
    operations = list(document.operations.values())
    lines.extend(f"  o{index}[{label(*_operation_lines(op))}]" for index, op in enumerate(operations))
    # AsyncAPI: a channel that names no servers is available on all of them. Channels only replies go to
    # (an API Gateway response) are not fed by the servers: their edges come from the operations.
    used = {op.channel.id for op in operations}
    fed = [
        node
        for channel_id, node in channel_ids.items()
        if channel_id in used or not _is_reply_only(document, channel_id)
    ]
    lines.extend(f"  {source} --> {channel}" for source, _ in sources for channel in fed)
    for index, operation in enumerate(operations):
        node = channel_ids.get(operation.channel.id)
        if node is not None:
            edge = (
                f"{node} -->|receive| o{index}"
                if operation.action == "receive"
                else f"o{index} -->|send| {node}"
            )
            lines.append(f"  {edge}")
        reply = operation.reply
        if reply is not None and reply.channel is not None and reply.channel.id in channel_ids:
            reply_node = channel_ids[reply.channel.id]
            # the application sends the reply to what it receives, and receives the reply to what it sends
            if operation.action == "receive":
                lines.append(f"  o{index} -.->|reply| {reply_node}")
            else:
                lines.append(f"  {reply_node} -.->|reply| o{index}")
    return "\n".join(lines)
