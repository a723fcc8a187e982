"""Document text -> fragments of a MkDocs Markdown page that show as text and run nothing.

A document is untrusted data. Its text reaches a page through three layers that each interpret it: our Jinja
templates, Python-Markdown (with pymdown's superfences, which runs on the raw page *before* HTML blocks are
set aside), and the theme's HTML templates (mkdocs-material inserts page titles without escaping them). So
every helper here returns text in which nothing is left for any of those layers to act on:

- `plain`: a name, title or summary on one line. HTML-escaped, and every character Python-Markdown or one of
  its extensions treats as syntax (emphasis, code spans, links, tables, attribute lists, headings...) becomes
  a numeric character reference, which all three layers pass through and the browser shows as the character.
- `markdown_block`: a description (CommonMark, per the AsyncAPI specification), rendered by markdown-it-py
  with raw HTML *off* (so `<script>` is text), links limited to safe schemes, headings moved below the page's
  own, and placed in a `<div>`: Python-Markdown keeps such an HTML block as it is. Backticks and tildes inside
  it are character references too, so no line can open a fenced block for superfences.
- `markdown_inline`: the same for one table cell or line: no block structure, no newline, no `|`.
- `code_block`: a fenced block whose fence is longer than any backtick run inside, so no content closes it.
- `page_title`: the title mkdocs-material writes raw into `<title>`, the navigation and the header.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

# Raw HTML off: tags in the source are escaped text. Tables and strikethrough as GitHub writes them.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)
# Characters some layer after us treats as syntax: Python-Markdown inline patterns (`*_[]!\``), tables (`|`),
# attr_list (`{}`), headings (`#`), pymdown extensions (`~^=:$`), Jinja-looking text (`{}` again, `%`).
_PLAIN_SPECIALS = re.compile(r"[\\`*_{}\[\]()#+!|~^=:$%<>&\"']")
# In markdown-it's HTML output, tags use only letters, `/`, `=`, `"`, `-` and spaces, so these can be replaced
# everywhere (text and attribute values alike: a browser decodes references in attributes too).
_HTML_SPECIALS = re.compile(r"[\\`*_{}\[\]!|~^:$%]")
_WHITESPACE = re.compile(r"\s+")
# Headings inside a description sit below the page's `#` title and its `##` sections.
_HEADING_SHIFT = 2


def _reference(match: re.Match[str]) -> str:
    return f"&#{ord(match.group(0))};"


def plain(text: object) -> Markup:
    """Any value as inert text on one line (whitespace collapsed, ends trimmed)."""
    return inert(str(text).strip())


def inert(text: str) -> Markup:
    """Text as inert Markdown, keeping its spaces (runs of whitespace become one space)."""
    return Markup(_PLAIN_SPECIALS.sub(_reference, _WHITESPACE.sub(" ", text)))


def code(text: object) -> Markup:
    """Inert text as inline code (an HTML `<code>`, since a Markdown code span cannot hold every backtick)."""
    return Markup(f"<code>{plain(text)}</code>")


def json_inline(value: Any) -> Markup:
    """A JSON value as compact inline code (`"a|b"`, `10`, `null`)."""
    return code(json.dumps(value, ensure_ascii=False))


def _shift_headings(tokens: list[Token]) -> None:
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(6, int(token.tag[1:]) + _HEADING_SHIFT)
            token.tag = f"h{level}"


# A description shows on several pages (a named schema's fields on each message using it).
@lru_cache(maxsize=4096)
def markdown_block(text: str | None) -> Markup:
    """A CommonMark description as an HTML block Python-Markdown leaves alone (empty for no text)."""
    if not text or not text.strip():
        return Markup("")
    tokens = _MARKDOWN.parse(text)
    _shift_headings(tokens)
    rendered = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {})
    inert = _HTML_SPECIALS.sub(_reference, rendered.strip())
    return Markup(f'<div class="gen-description">\n{inert}\n</div>')


@lru_cache(maxsize=4096)
def markdown_inline(text: str | None) -> Markup:
    """CommonMark text (a schema's description) for one table cell: inline markup only, on one line."""
    if not text or not text.strip():
        return Markup("")
    rendered = _MARKDOWN.renderInline(_WHITESPACE.sub(" ", text).strip())
    return Markup(_HTML_SPECIALS.sub(_reference, rendered))


def code_block(text: str, language: str = "") -> Markup:
    """A fenced code block no line of `text` can close or break out of."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return Markup(f"{fence}{language}\n{text}\n{fence}")


def json_block(value: Any) -> Markup:
    """A JSON value, pretty-printed in document order, as a fenced `json` block."""
    return code_block(json.dumps(value, indent=2, ensure_ascii=False), "json")


def page_title(text: str) -> Markup:
    """A page's title for its front matter (and an mkdocs.yml value): a JSON-quoted string, which YAML reads
    as a plain string (never a tag such as `!!python/name`), holding the title HTML-escaped on one line, since
    the theme inserts titles into its HTML unescaped."""
    return Markup(json.dumps(html.escape(_WHITESPACE.sub(" ", text).strip())))
