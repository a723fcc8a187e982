"""`gen docs` building blocks: inert text, slugs, field tables, the diagram, cells."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml

from generator.docs import cells
from generator.docs.diagram import flowchart, label
from generator.docs.fields import MAX_ROWS, Field, Ref, field_table, named_field_table
from generator.docs.slugs import Pages, slugify
from generator.docs.text import (
    code,
    code_block,
    json_block,
    markdown_block,
    markdown_inline,
    page_title,
    plain,
)
from generator.loader import load
from generator.location import Source
from generator.model import Schema

FIXTURES = Path(__file__).parent / "fixtures" / "docs"
HOSTILE = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=2">',
    "a | b\nc",
    "```\ncode\n```",
    "~~~\nx\n~~~",
    "{{ config }} {% x %} {: .class } :smile:",
    "*em* _em_ `code` [link](javascript:alert(1)) ![img](x) <http://x> \\",
    "# heading",
]


class _ActiveContent(HTMLParser):
    """Collects what could run in a page: scripts (with the start of their code), event handler attributes,
    javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._script = f"<script {dict(attrs)}>"
        elif tag in ("iframe", "object", "embed"):
            self.found.append(f"<{tag} {attrs}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript"):
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.found.append(self._script)
            self._script = None


def active_content(html_text: str) -> list[str]:
    parser = _ActiveContent()
    parser.feed(html_text)
    return parser.found


def python_markdown(text: str) -> str:
    """Render a page fragment the way MkDocs does with our `mkdocs.yml` extensions."""
    return markdown.markdown(
        text,
        extensions=["tables", "admonition", "toc", "attr_list", "pymdownx.superfences", "pymdownx.highlight"],
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_plain_text_is_inert_for_markdown_and_html(text: str) -> None:
    fragment = plain(text)
    assert "<" not in fragment and "|" not in fragment and "`" not in fragment and "\n" not in fragment
    rendered = python_markdown(f"| a |\n| --- |\n| {fragment} |")
    assert active_content(rendered) == []
    assert "<script" not in rendered and "<img" not in rendered and "<em>" not in rendered
    assert "<a " not in rendered and "<code>" not in rendered and "<h1" not in rendered
    assert rendered.count("<td>") == 1  # the pipe did not split the cell


def test_plain_shows_the_text_itself_once_the_browser_decodes_it() -> None:
    import html

    text = "a <b> & `c` | *d* {e} é"
    assert html.unescape(plain(text)) == text


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_block_renders_commonmark_without_raw_html(text: str) -> None:
    block = markdown_block(f"Intro\n\n{text}\n\nOutro")
    assert block.startswith('<div class="gen-description">') and block.endswith("</div>")
    assert not any(line.startswith(("```", "~~~")) for line in block.splitlines())
    rendered = python_markdown(f"# Page\n\n{block}\n\n## After\n")
    assert active_content(rendered) == []
    assert rendered.count("<h1") == 1 and "<h2" in rendered  # the page's own structure survives


def test_markdown_block_keeps_markdown_formatting_and_shifts_headings() -> None:
    block = markdown_block(
        "# Title\n\nSome **bold** and a [link](https://example.com).\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    rendered = python_markdown(block)
    assert "<h3>Title</h3>" in rendered
    assert "<strong>bold</strong>" in rendered
    assert 'href="https&#58;//example.com"' in rendered  # a reference the browser decodes to https://
    assert "<table>" in rendered
    assert markdown_block(None) == "" and markdown_block("  \n") == ""


def test_markdown_inline_is_one_cell() -> None:
    cell = markdown_inline("first *line*\nsecond | line\n\n<script>x</script>")
    assert "\n" not in cell and "|" not in cell
    rendered = python_markdown(f"| a | b |\n| --- | --- |\n| {cell} | end |")
    assert rendered.count("<td>") == 2 and "<em>line</em>" in rendered and "<script" not in rendered


def test_code_block_fence_outlasts_any_backtick_run() -> None:
    text = "a ``` b\n````\nc"
    block = code_block(text, "json")
    fence = block.splitlines()[0].removesuffix("json")
    assert set(fence) == {"`"} and len(fence) == 5
    rendered = python_markdown(block)
    assert rendered.count("<code") == 1 and "c" in rendered and "````" in rendered


def test_json_block_keeps_document_order_and_unicode() -> None:
    block = json_block({"z": 1, "a": "é"})
    assert block.splitlines()[1:5] == ["{", '  "z": 1,', '  "a": "é"', "}"]


def test_page_title_is_a_plain_yaml_string_even_for_yaml_tags() -> None:
    from mkdocs.utils.yaml import get_yaml_loader

    hostile = '!!python/object/apply:os.system ["touch /tmp/x"]\n</title><script>'
    value = yaml.load(f"title: {page_title(hostile)}", Loader=get_yaml_loader())
    assert value == {
        "title": "!!python/object/apply:os.system [&quot;touch /tmp/x&quot;] &lt;/title&gt;&lt;script&gt;"
    }


def test_code_is_html_code_with_inert_content() -> None:
    assert code("a`b|c") == "<code>a&#96;b&#124;c</code>"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("S3Event", "s3-event"),
        ("SQSEvent", "sqs-event"),
        ("APIGatewayV2ProxyEvent", "api-gateway-v2-proxy-event"),
        ("DynamoDBStreamEvent", "dynamo-db-stream-event"),
        ("../evil name <script>", "evil-name-script"),
        ("..", "item"),
        ("", "item"),
        ("index", "index-page"),
        ("Café Crème", "cafe-creme"),
        ("orders.{region}", "orders-region"),
        ("x" * 200, "x" * 60),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_pages_are_unique_and_stable() -> None:
    plan = Pages.plan(channels=["a"], messages=["Order", "order", "ORDER", "order-2"], schemas=[".."])
    assert plan.messages == {
        "Order": "messages/order.md",
        "order": "messages/order-2.md",
        "ORDER": "messages/order-3.md",
        "order-2": "messages/order-2-2.md",
    }
    assert plan.schemas == {"..": "schemas.md#schema-schema"}  # a section of the Schemas page
    assert len(set(plan.all())) == len(plan.all())


def rows_by_path(rows: list[Field]) -> dict[str, Field]:
    return {row.path + (f" ({row.note})" if row.note and "option" in row.note else ""): row for row in rows}


def test_field_table_flattens_objects_arrays_maps_and_all_of() -> None:
    document = load(FIXTURES / "shop-3.0.yaml")
    payload = document.messages["OrderPlaced"].payload
    assert payload is not None
    rows = rows_by_path(field_table(payload).rows)
    assert rows["orderId"].required is True  # from the allOf'd OrderRef
    assert rows["orderId"].constraints == (("minLength", 1), ("maxLength", 64))
    assert rows["status"].enum == ("placed", "paid", "shipped")
    assert rows["items"].type == ("array of ", "object")
    assert "items[]" not in rows  # an item row that says no more than "array of object" is left out
    assert rows["items[].sku"].type == ("string", " · ", Ref("Sku"))
    assert rows["items[].sku"].description == "Stock keeping unit"
    assert rows["items[].price.currency"].constraints == (("default", "EUR"),)
    assert rows["items[].price"].constraints == (("additionalProperties", False),)
    assert rows["attributes.*"].required is None
    assert rows["payment"].type == ("one of: ", "object", ", ", "object")
    assert rows["payment.method (option 1 of oneOf)"].enum == ("card",)
    assert rows["payment.method (option 2 of oneOf)"].enum == ("invoice",)
    assert rows["payment.dueDays (option 2 of oneOf)"].type == ("integer or null",)
    assert rows["note"].constraints == (
        ("contentEncoding", "base64"),
        ("contentMediaType", "application/json"),
    )


def test_schema_page_table_links_named_schemas_instead_of_expanding_them() -> None:
    document = load(FIXTURES / "shop-3.0.yaml")
    rows = rows_by_path(named_field_table(document.schemas["Order"], document.schemas).rows)
    assert rows["orderId"].required is True  # allOf'd named parts are still this schema's own fields
    assert rows["items[].price"].type == ("object", " · ", Ref("Money"))
    assert "items[].price.amount" not in rows  # Money's fields are on Money's page


def test_field_table_stops_at_recursion_and_marks_it() -> None:
    document = load(FIXTURES / "shop-3.0.yaml")
    rows = rows_by_path(named_field_table(document.schemas["Category"], document.schemas).rows)
    assert rows["parent"].type == ("object", " · ", Ref("Category"))
    assert rows["parent"].note == "recursive: expanded above"
    assert "parent.id" not in rows
    assert rows["children"].type == ("array of ", Ref("Category"))
    assert rows["labels.*"].note == "keys matching ^[a-z]{2}$"


def test_field_table_of_a_bare_value_is_one_root_row() -> None:
    document = load(FIXTURES / "injection-2.6.yaml")
    payload = document.messages["plain"].payload
    assert payload is not None
    (row,) = field_table(payload).rows
    assert row.path == "" and row.type == ("string",) and row.description == "A bare string payload"


def test_field_table_of_a_huge_schema_is_truncated() -> None:
    properties = {f"f{i}": {"type": "object", "properties": {"a": {"type": "string"}}} for i in range(400)}
    schema = Schema(
        root={"type": "object", "properties": properties}, defs={}, where="x", source=Source("x", ())
    )
    table = field_table(schema)
    assert table.truncated and len(table.rows) == MAX_ROWS


def test_field_keys_that_are_not_words_are_quoted() -> None:
    document = load(FIXTURES / "injection-2.6.yaml")
    payload = document.messages["../evil name <script>"].payload
    assert payload is not None
    paths = [row.path for row in field_table(payload).rows]
    assert paths[0] == '["field | with pipe"]'
    assert "nested.*" in paths


def test_diagram_labels_cannot_break_out() -> None:
    assert label('a"]; click x "javascript:y', "<b>") == (
        '"a#34;#93;#59; click x #34;javascript#58;y<br/>#60;b#62;"'
    )
    source = flowchart(load(FIXTURES / "injection-2.6.yaml"))
    for line in source.splitlines()[1:]:
        assert line.count('"') in (0, 2)
        assert "<script" not in line


def test_diagram_draws_sources_channels_operations_and_replies() -> None:
    source = flowchart(load(FIXTURES / "shop-3.0.yaml"))
    assert source.startswith("flowchart LR\n")
    assert '  s0[("production<br/>kafka")]' in source  # a server: a cylinder
    assert '  c0(["Orders<br/>orders.#123;region#125;"])' in source  # a channel: a rounded box
    assert '  o0["onOrder<br/>receive#58; OrderPlaced#44; OrderCancelled"]' in source
    assert "  s0 --> c0" in source and "  s1 --> c3" in source  # every server feeds every channel
    assert "  s0 --> c2" not in source  # but for the one replies go to, which the operations feed
    assert "  c0 -->|receive| o0" in source  # the application receives orders
    assert "  o1 -->|send| c1" in source  # and sends price requests
    assert "  c2 -.->|reply| o1" in source  # whose replies it receives


def test_cells_link_named_schemas_relative_to_the_page() -> None:
    row = Field(
        path="a",
        type=("array of ", Ref("S3Record")),
        required=True,
        description=None,
        constraints=(("pattern", "^a|b$"), ("contentSchema", Ref("Inner")), ("default", "x")),
        enum=tuple(range(30)),
    )
    schemas = {"S3Record": "schemas.md#schema-s3-record", "Inner": "schemas.md#schema-inner"}
    # HTML links, to the pages' URLs in the built site (`use_directory_urls`): MkDocs rewrites none in HTML
    assert cells.segments(row.type, "messages/s3-event.md", schemas) == (
        'array of <a href="../../schemas/#schema-s3-record">S3Record</a>'
    )
    constraints = cells.constraints_cell(row, "index.md", schemas)
    assert constraints == (
        "pattern: <code>&#94;a&#124;b&#36;</code><br>"
        'contentSchema: <a href="schemas/#schema-inner">Inner</a><br>'
        "default: <code>&#34;x&#34;</code>"
    )
    assert cells.segments(row.type, "schemas.md", schemas) == (
        'array of <a href="#schema-s3-record">S3Record</a>'
    )
    assert cells.enum_cell(row).endswith("<code>24</code>, … and 5 more")
    assert cells.required_cell(row) == "yes"
    assert cells.path_cell(Field("a[].b|c", ("string",), None, None, (), ())) == (
        '<code class="gen-path">a<wbr>&#91;&#93;.<wbr>b&#124;c</code>'
    )


@pytest.mark.parametrize(
    ("here", "target", "markdown_link", "site_link"),
    [
        ("messages/s3-event.md", "schemas.md#schema-x", "../schemas.md#schema-x", "../../schemas/#schema-x"),
        ("schemas.md", "schemas.md#schema-x", "#schema-x", "#schema-x"),
        ("index.md", "schemas.md#schema-x", "schemas.md#schema-x", "schemas/#schema-x"),
        ("index.md", "messages/a.md", "messages/a.md", "messages/a/"),
        ("messages/a.md", "index.md", "../index.md", "../../"),
        ("messages/a.md", "messages/b.md", "b.md", "../b/"),
        ("channels/c.md", "messages/b.md#x", "../messages/b.md#x", "../../messages/b/#x"),
        ("index.md", "index.md", "index.md", "./"),
    ],
)
def test_links_in_markdown_and_in_the_built_site(
    here: str, target: str, markdown_link: str, site_link: str
) -> None:
    assert cells.relative(here, target) == markdown_link
    assert cells.site_relative(here, target) == site_link
    assert cells.html_link(here, target, "a <b>") == f'<a href="{site_link}">a &#60;b&#62;</a>'


def test_invocation_rows_follow_the_documented_extension() -> None:
    rows = cells.invocation_rows(
        {"retries": 2, "type": "asynchronous", "x-other": "<b>", "batchSize": {"default": 10}}
    )
    assert [str(label) for label, _ in rows] == ["Type", "Batch size", "Retries", "x-other"]
    assert json.loads(json.dumps(str(rows[0][1]))) == "<code>asynchronous</code>"
    assert str(rows[3][1]) == "<code>&#60;b&#62;</code>"
    assert "idempotent" in cells.invocation_meaning({"type": "asynchronous"})
    assert cells.invocation_meaning({"type": "<unknown>"}) == ""


def test_parameter_values_come_from_enum_or_schema() -> None:
    from generator.model import Parameter

    def schema(root: object) -> Schema:
        return Schema(root=root, defs={}, where="x", source=Source("x", ()))

    assert cells.parameter_values(Parameter("p", None, None, enum=("eu", "us"))) == (
        "<code>eu</code>, <code>us</code>"
    )
    assert cells.parameter_values(Parameter("p", None, schema({"enum": [1, "a|b"]}))) == (
        "<code>1</code>, <code>a&#124;b</code>"
    )
    assert cells.parameter_values(Parameter("p", None, schema({"type": "string"}))) == "string"
    assert cells.parameter_values(Parameter("p", None, None)) == ""
