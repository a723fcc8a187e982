"""Table cells and links of the docs pages, as inert Markdown or HTML (see `generator.docs.text`).

Templates lay pages out; these functions turn model values into the text of one cell or link, so that the
escaping rules live in Python, where they are tested, and not in every template.

The big tables (payload fields, the schema list) are HTML blocks, which Python-Markdown sets aside as they
are instead of running its inline patterns over every cell (most of a build's Markdown time otherwise). Links
in them are therefore written as MkDocs would rewrite them, relative to the *built* pages' URLs
(`html_link`), since MkDocs neither checks nor rewrites links inside HTML; a test checks every link and anchor
of built sites instead.
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


def page_url(page: str) -> str:
    """The URL of a page of the built site, relative to the site's root (`messages/s3-event.md` ->
    `messages/s3-event/`, `index.md` -> `./`): `mkdocs.yml.j2` sets `use_directory_urls: true`."""
    folder, _, name = page.removesuffix(".md").rpartition("/")
    if name == "index":
        return f"{folder}/" if folder else "./"
    return f"{page.removesuffix('.md')}/"


def site_relative(here: str, target: str) -> str:
    """A link from page `here` to page `target` (which may end in `#anchor`), both docs-folder paths, as
    it is in the built site (`../../schemas/#schema-x`): what MkDocs makes of the link `relative` gives."""
    page, hash_mark, anchor = target.partition("#")
    if page == here and hash_mark:
        return f"#{anchor}"
    url = posixpath.relpath(page_url(page), page_url(here).removesuffix("/") or ".")
    return f"{url}/{hash_mark}{anchor}"


def html_link(here: str, target: str, text: str) -> Markup:
    """A link for an HTML block (a table): to the built page, with inert text (slugs need no escaping)."""
    return Markup(f'<a href="{site_relative(here, target)}">{plain(text)}</a>')


def segments(parts: tuple[Segment, ...], here: str, schemas: Mapping[str, str]) -> Markup:
    """A type (`array of ` + Ref(S3Record)) with its named schemas linked, for an HTML table."""
    out = []
    for part in parts:
        if isinstance(part, Ref):
            target = schemas.get(part.name)
            out.append(html_link(here, target, part.name) if target else plain(part.name))
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
