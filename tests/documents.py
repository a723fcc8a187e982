"""Small AsyncAPI documents that tests write for themselves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

#: An SQS queue subscribed to an SNS topic: payloads inside decoded payloads, three deep.
FAN_OUT = Path(__file__).parent / "fixtures" / "check" / "fan-out.yaml"


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


def fan_out_event(sent: Any, *, kind: str = "Notification") -> dict[str, Any]:
    """An event of `FAN_OUT`: an SQS record whose `body` is the SNS notification of `sent` (a document, or
    the text of its `Message`)."""
    message = sent if isinstance(sent, str) else json.dumps(sent)
    return {"Records": [{"body": json.dumps({"Type": kind, "Message": message})}]}
