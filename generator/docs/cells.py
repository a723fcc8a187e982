"""Table cells and links of the docs pages, as inert Markdown (see `generator.docs.text`).

Templates lay pages out; these functions turn model values into the text of one cell or link, so that the
escaping rules live in Python, where they are tested, and not in every template.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from generator.docs.fields import Field, Ref, Segment
from generator.docs.text import code, inert, json_inline, markdown_inline, plain
from generator.model import Parameter

MAX_ENUM_SHOWN = 25
# Constraints whose value is always a string, shown as written rather than as JSON.
_STRING_KEYWORDS = frozenset({"pattern", "contentEncoding", "contentMediaType", "x-contentCompression"})

# What each `x-lambda-invocation` type means for a handler (docs/extensions.md).
INVOCATION_MEANINGS = {
    "synchronous": "The caller waits for the function's result: the handler returns the operation's reply.",
    "asynchronous": (
        "Lambda queues the event and retries a failed invocation (`retries` times, 2 by default): the "
        "handler returns nothing and must be idempotent."
    ),
    "poll-based": (
        "An event source mapping polls the stream or queue and invokes the function with batches of records: "
        "the handler reports the records that failed as a partial batch response "
        '(`{"batchItemFailures": [{"itemIdentifier": ...}]}`).'
    ),
}
_INVOCATION_LABELS = {
    "type": "Type",
    "records": "Records (JSON pointer)",
    "itemIdentifier": "Item identifier (JSON pointer in a record)",
    "batchSize": "Batch size",
    "retries": "Retries",
}


def relative(here: str, target: str) -> str:
    """A link from page `here` to page `target` (which may end in `#anchor`), both relative to the docs folder
    (`../schemas.md#schema-x`)."""
    page, hash_mark, anchor = target.partition("#")
    if page == here and hash_mark:
        return f"#{anchor}"
    return posixpath.relpath(target, posixpath.dirname(here) or ".")


def link(here: str, target: str, text: str) -> Markup:
    return Markup(f"[{plain(text)}]({relative(here, target)})")


def segments(parts: tuple[Segment, ...], here: str, schemas: Mapping[str, str]) -> Markup:
    """A type (`array of ` + Ref(S3Record)) with its named schemas linked."""
    out = []
    for part in parts:
        if isinstance(part, Ref):
            target = schemas.get(part.name)
            out.append(link(here, target, part.name) if target else plain(part.name))
        else:
            out.append(inert(part))
    return Markup("").join(out)


def path_cell(row: Field) -> Markup:
    """The field's path as code that wraps only after a dot or before a bracket (`Records<wbr>[].<wbr>s3`)."""
    inert_path = str(plain(row.path))  # a str: Markup.replace would escape the `<wbr>`s
    path = inert_path.replace(".", ".<wbr>").replace("&#91;", "<wbr>&#91;") if row.path else "(root)"
    cell = Markup(f'<code class="gen-path">{path}</code>')
    return cell + Markup(f"<br><small>{plain(row.note)}</small>") if row.note else cell


def required_cell(row: Field) -> str:
    return {True: "yes", False: "no", None: ""}[row.required]


def constraints_cell(row: Field, here: str, schemas: Mapping[str, str]) -> Markup:
    parts = []
    for keyword, value in row.constraints:
        if isinstance(value, Ref):
            shown = segments((value,), here, schemas)
        elif keyword in _STRING_KEYWORDS and isinstance(value, str):
            shown = code(value)  # a pattern reads better without JSON's quotes and doubled backslashes
        else:
            shown = json_inline(value)
        parts.append(Markup(f"{plain(keyword)}: {shown}"))
    return Markup("<br>").join(parts)


def enum_cell(row: Field) -> Markup:
    shown = [json_inline(value) for value in row.enum[:MAX_ENUM_SHOWN]]
    more = len(row.enum) - MAX_ENUM_SHOWN
    if more > 0:
        shown.append(Markup(f"… and {more} more"))
    return Markup(", ").join(shown)


def description_cell(row: Field) -> Markup:
    return markdown_inline(row.description)


def parameter_values(parameter: Parameter) -> Markup:
    """A channel parameter's allowed values (3.x `enum`, or its 2.x schema's), else its schema's type."""
    schema = parameter.schema
    root = schema.resolved_root() if schema is not None and schema.is_json_schema else None
    values: list[Any] = list(parameter.enum)
    if not values and isinstance(root, dict) and isinstance(root.get("enum"), list):
        values = root["enum"]
    if values:
        return Markup(", ").join(_value(v) for v in values)
    if isinstance(root, dict) and isinstance(root.get("type"), str):
        return plain(root["type"])
    return Markup("")


def invocation_rows(invocation: Any) -> list[tuple[Markup, Markup]]:
    """The `x-lambda-invocation` of an operation as (label, value) rows, known keys first."""
    if not isinstance(invocation, dict):
        return [(Markup("Value"), json_inline(invocation))]
    order = list(_INVOCATION_LABELS)

    def position(key: str) -> tuple[int, str]:
        return (order.index(key) if key in order else len(order), key)

    rows = []
    for key in sorted(map(str, invocation), key=position):
        value = invocation[key]
        if isinstance(value, dict):  # batchSize: {default: 10, maximum: 10000}
            shown = Markup(", ").join(Markup(f"{plain(k)} {_value(v)}") for k, v in value.items())
        else:
            shown = _value(value)
        rows.append((plain(_INVOCATION_LABELS.get(key, key)), shown))
    return rows


def _value(value: Any) -> Markup:
    """A string as code as it is, anything else as JSON."""
    return code(value) if isinstance(value, str) else json_inline(value)


def invocation_meaning(invocation: Any) -> Markup:
    kind = invocation.get("type") if isinstance(invocation, dict) else None
    meaning = INVOCATION_MEANINGS.get(kind) if isinstance(kind, str) else None
    return markdown_inline(meaning) if meaning else Markup("")
