"""Where a value is: a file and a JSON pointer inside it. Shared by the loader, the model and every report."""

from __future__ import annotations

import re
from dataclasses import dataclass

Pointer = tuple[str | int, ...]


@dataclass(frozen=True)
class Source:
    """Where a value physically is: a file (path or URL) and a JSON pointer inside it."""

    file: str
    pointer: Pointer = ()

    def child(self, *keys: str | int) -> Source:
        return Source(self.file, (*self.pointer, *keys))


def escape_token(token: str | int) -> str:
    """One pointer token, escaped (RFC 6901: `~` -> `~0`, `/` -> `~1`)."""
    text = str(token)
    if "~" in text or "/" in text:  # rare: most tokens are returned as they are (the checker's hot path)
        return text.replace("~", "~0").replace("/", "~1")
    return text


def unescape_token(token: str) -> str:
    """One pointer token as the name it stands for: `escape_token` undone (`~1` -> `/`, `~0` -> `~`)."""
    return token.replace("~1", "/").replace("~0", "~")


def pointer_text(pointer: Pointer) -> str:
    """`("Records", 0, "s3")` -> `/Records/0/s3` (RFC 6901, with `~0`/`~1` escapes)."""
    return "".join("/" + escape_token(token) for token in pointer)


#: A place in another file (`traits.yaml#/Common`, `common#/User`): the file's name, `#`, a pointer; or a
#: whole file (`traits.yaml#`). Not a `#` alone, which a root document's keys hold too (MQTT's
#: `sensors/#`; MQTT allows `#` only last, so `#/` is not in a topic).
_IN_ANOTHER_FILE = re.compile(r"#/|\.(?:ya?ml|json)#$", re.IGNORECASE)


def below(where: str, *steps: str | int) -> str:
    """A place under `where`, written as `where` is: dotted in the root document (`channels.c.messages.M`),
    a JSON pointer in another file (`traits.yaml#/Common/examples/0`)."""
    if _IN_ANOTHER_FILE.search(where):
        return where + pointer_text(steps)
    return ".".join([where, *(str(step) for step in steps)])
