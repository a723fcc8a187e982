"""Small AsyncAPI documents that tests write for themselves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def one_message_document(folder: Path, payload: Any, *, schemas: dict[str, Any] | None = None) -> Path:
    """`folder/doc.json`: AsyncAPI 3.0 with one channel `c` carrying one message `M` of `payload`, and the
    named `schemas` under `components` (for `$ref: '#/components/schemas/...'`)."""
    return messages_document(folder, {"M": payload}, schemas=schemas)


def messages_document(
    folder: Path, payloads: dict[str, Any], *, schemas: dict[str, Any] | None = None
) -> Path:
    """`folder/doc.json`: AsyncAPI 3.0 with one channel `c` carrying a message of each payload, by name."""
    messages = {name: {"payload": payload} for name, payload in payloads.items()}
    document: dict[str, Any] = {
        "asyncapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "channels": {"c": {"address": "c", "messages": messages}},
    }
    if schemas is not None:
        document["components"] = {"schemas": schemas}
    path = folder / "doc.json"
    path.write_text(json.dumps(document))
    return path
