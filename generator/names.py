"""Names from a document made safe for Python: identifiers, and prose that cannot leave its docstring.

Document content is data, never code. Every name a generator writes into code goes through `class_name`,
`function_name` or `module_name` (an ASCII identifier that is not a keyword, built from the words of the
original), and every piece of prose goes through `docstring_text` or `comment_text`. Strings written as Python
literals go through `repr` (see `python_literal`), never through string formatting.
"""

from __future__ import annotations

import builtins
import keyword
import math
import re
import unicodedata
from collections.abc import Collection

__all__ = [
    "class_name",
    "comment_text",
    "docstring_text",
    "function_name",
    "module_name",
    "python_literal",
    "split_words",
    "unique",
]

# A word is a run of capitals followed by a capitalised word's start (`HTTPServer` -> HTTP, Server), a
# capitalised or lower-case word, each with the digits that follow it (`S3`, `V2`), or a number.
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*|[0-9]+")
#: Names a module-level function or module must not take: they would shadow what generated code uses.
_RESERVED_LOWER = frozenset(dir(builtins)) | {"self", "cls", "typing", "json", "dataclasses"}
_RESERVED_CLASSES = frozenset(dir(builtins)) | {"Any", "Literal", "TypeAlias", "Mapping", "Self"}


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def split_words(text: str) -> list[str]:
    """The words of a name, whatever its style: `x-amz-request-id`, `APIGatewayV2ProxyEvent`, `a.b c`."""
    return _WORD.findall(_ascii(text))


def _safe(name: str, fallback: str, reserved: Collection[str]) -> str:
    if not name:
        name = fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}" if fallback.islower() else f"{fallback}{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in reserved:
        name += "_"
    return name


def class_name(text: str, *, fallback: str = "Model") -> str:
    """A PascalCase class name: `s3-event` -> `S3Event`; words already capitalised keep their capitals."""
    words = split_words(text)
    name = "".join(word if word[0].isupper() else word.capitalize() for word in words)
    return _safe(name, fallback, _RESERVED_CLASSES)


def function_name(text: str, *, fallback: str = "handle") -> str:
    """A snake_case name for a function or variable: `receiveS3Event` -> `receive_s3_event`."""
    name = "_".join(word.lower() for word in split_words(text))
    return _safe(name, fallback, _RESERVED_LOWER)


def module_name(text: str, *, fallback: str = "module") -> str:
    """A snake_case module name (also a valid identifier, so it can be imported)."""
    return function_name(text, fallback=fallback)


def unique(name: str, taken: set[str], *, separator: str = "") -> str:
    """`name`, or `name2`, `name3`... (with `separator` between), the first not in `taken`; then taken."""
    # Compared without case: two modules `Order.py` and `order.py` are one file on some file systems.
    lowered = {t.lower() for t in taken}
    candidate, number = name, 1
    while candidate.lower() in lowered:
        number += 1
        candidate = f"{name}{separator}{number}"
    taken.add(candidate)
    return candidate


def docstring_text(text: str | None) -> str:
    """Prose that is safe inside a triple-double-quoted docstring: no closing quotes, no stray escapes."""
    if not text:
        return ""
    cleaned = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in text.replace("\r\n", "\n"))
    cleaned = cleaned.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    cleaned = cleaned.strip()
    return cleaned + " " if cleaned.endswith('"') else cleaned  # `"` right before the closing `"""`


def comment_text(text: str | None, *, limit: int = 100) -> str:
    """One line of prose, safe after a `#`: no line breaks, shortened to `limit` characters."""
    if not text:
        return ""
    line = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return line if len(line) <= limit else line[: limit - 3].rstrip() + "..."


def python_literal(value: object) -> str:
    """A Python expression for JSON data (`true` -> `True`), built with `repr` so no text can escape."""
    if isinstance(value, float) and not math.isfinite(value):
        return f"float({str(value)!r})"
    if value is None or isinstance(value, bool | int | float | str):
        return repr(value)
    if isinstance(value, tuple):
        return "(" + "".join(f"{python_literal(item)}, " for item in value).rstrip(" ") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(python_literal(item) for item in value) + "]"
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{python_literal(str(k))}: {python_literal(v)}" for k, v in value.items()) + "}"
        )
    raise TypeError(f"not JSON data: {type(value).__name__}")
