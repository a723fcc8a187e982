"""`gen docs --build`: strict MkDocs builds of several documents, then the sites used as a person would, in
headless Chromium (Debian's `chromium`, driven by Playwright): the overview's channel list and rendered
diagram, a message page's field table and example, search, and hostile document text that must not run.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import threading
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from test_docs_text import active_content

from generator.docs import build_docs
from generator.loader import load
from generator.resources import bundled_document

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
DOCUMENTS = {
    "bundled": bundled_document(),
    "injection": FIXTURES / "docs" / "injection-2.6.yaml",
    "shop": FIXTURES / "docs" / "shop-3.0.yaml",
    "empty-3.0": FIXTURES / "docs" / "empty-3.0.yaml",
    "minimal-2.0": FIXTURES / "docs" / "minimal-2.0.yaml",
    "streetlights-mqtt-2.6": FIXTURES / "spec_examples" / "streetlights-mqtt-2.6.yml",
    "streetlights-kafka-3.0": FIXTURES / "spec_examples" / "streetlights-kafka-asyncapi-3.0.yml",
}
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# mkdocs-material renders Mermaid into a *closed* shadow root; open it so the test can see the drawn SVG.
OPEN_SHADOW_ROOTS = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) { return attach.call(this, {...init, mode: "open"}); };
"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Build a document's site once per module (lazily: each test builds only what it needs)."""
    root = tmp_path_factory.mktemp("sites")
    built: dict[str, Path] = {}

    def site(name: str) -> Path:
        if name not in built:
            result = build_docs(DOCUMENTS[name], root / name, build=True)
            assert result.site_dir is not None
            built[name] = result.site_dir
        return built[name]

    return site


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_strict_build_passes_and_nothing_can_run(name: str, sites: Callable[[str], Path]) -> None:
    site = sites(name)
    pages = sorted(site.rglob("*.html"))
    assert (site / "index.html").is_file() and (site / "search" / "search_index.json").is_file()
    assert (site / "assets" / "javascripts" / "mermaid.min.js").is_file()
    for page in pages:
        html_text = page.read_text(encoding="utf-8")
        assert [found for found in active_content(html_text) if not _theme(found)] == [], page
        assert "(being written)" not in html_text  # message pages, read last, got their real text
    for source in (site.parent / "docs").rglob("*.md"):
        assert "(being written)" not in source.read_text(encoding="utf-8"), source
        assert "<!-- gen-docs: sample event" not in source.read_text(encoding="utf-8"), source
    for page in pages:
        assert "<!-- gen-docs: sample event" not in page.read_text(encoding="utf-8"), page
    # the sample events are made-up data: left out of search, which has the rest of the message pages
    index = json.loads((site / "search" / "search_index.json").read_bytes())
    locations = {doc["location"] for doc in index["docs"]}
    assert not [location for location in locations if location.endswith("#sample-event")]
    assert any(location.endswith("#examples") for location in locations) or name not in ("bundled", "shop")


class _Links(HTMLParser):
    """The ids of a page and where its links go."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag in ("a", "link") and found.get("href") is not None:
            self.links.append(str(found["href"]))
        if tag in ("script", "img") and found.get("src") is not None:
            self.links.append(str(found["src"]))


def _parsed(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_every_link_and_anchor_of_the_site_resolves(name: str, sites: Callable[[str], Path]) -> None:
    """What `mkdocs build --strict` checks of Markdown links, for every link of the built pages: the field
    tables are HTML, whose links MkDocs neither checks nor rewrites."""
    site = sites(name)
    pages = {page: _parsed(page) for page in sorted(site.rglob("*.html"))}
    broken = []
    checked = 0
    for page, parsed in pages.items():
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith("/"):
                continue  # another site's: not ours to check (absolute paths are refused by the build)
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            checked += 1
            if not target.is_file() or not target.is_relative_to(site.resolve()):
                broken.append(f"{page.relative_to(site)}: {link} (no such file)")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _parsed(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(site)}: {link} (no such anchor)")
    assert broken == []
    assert checked > 10 * len(pages)


@pytest.mark.parametrize("name", ["bundled", "shop", "injection"])
def test_the_site_is_what_mkdocs_builds_from_the_written_project(
    name: str, sites: Callable[[str], Path], tmp_path: Path
) -> None:
    """The build starts before the sample events exist and puts them in last: the result must not differ
    from building the finished project with MkDocs itself (but for the order of the search index)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site = sites(name)
    config = load_config(config_file=str(site.parent / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    ours, theirs = _site_files(site), _site_files(tmp_path / "site")
    assert sorted(ours) == sorted(theirs)
    for path, content in ours.items():
        assert content == theirs[path], path


def _site_files(site: Path) -> dict[str, object]:
    files: dict[str, object] = {}
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site).as_posix()
        if not path.is_file() or relative == "sitemap.xml.gz":  # gzip stamps the time it was written
            continue
        if relative == "search/search_index.json":  # message pages are indexed last
            index = json.loads(path.read_bytes())
            files[relative] = {**index, "docs": sorted(index["docs"], key=lambda doc: doc["location"])}
        else:
            files[relative] = path.read_bytes()
    return files


# mkdocs-material's own scripts: its bundle, its configuration, and three inline set-up snippets.
THEME_SCRIPTS = re.compile(
    r"^<script \{'src': '[./]*assets/javascripts/(bundle\.[0-9a-f]+\.min|mermaid\.min)\.js'\}>$"
    r"|^<script \{'id': '__config', 'type': 'application/json'\}>"
    r"|^<script \{\}>(__md_scope=new URL|var palette=__md_get\(|var target=document\.getElementById\()"
)


def _theme(found: str) -> bool:
    return THEME_SCRIPTS.match(found) is not None and "__pwned" not in found


@pytest.fixture(scope="module")
def server(sites: Callable[[str], Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the bundled and the injection sites on 127.0.0.1 (a free port), in a thread that stops itself."""
    root = tmp_path_factory.mktemp("served")
    for name in ("bundled", "injection"):
        (root / name).symlink_to(sites(name), target_is_directory=True)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium (see .ci/run)")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium chromium-driver)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=60_000
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: object, server: str) -> Iterator[object]:
    """A fresh page that records script errors, dialogs and any request leaving localhost (none may)."""
    from playwright.sync_api import Browser, Route

    assert isinstance(browser, Browser)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(20_000)
    tab = context.new_page()
    tab.add_init_script(OPEN_SHADOW_ROOTS)
    tab.errors = []  # type: ignore[attr-defined]
    tab.dialogs = []  # type: ignore[attr-defined]
    tab.outside = []  # type: ignore[attr-defined]
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))  # type: ignore[attr-defined]
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))  # type: ignore[attr-defined]

    def local_only(route: Route) -> None:
        if route.request.url.startswith(server):
            route.continue_()
        else:
            tab.outside.append(route.request.url)  # type: ignore[attr-defined]
            route.abort()

    tab.route("**/*", local_only)
    try:
        yield tab
    finally:
        context.close()


def test_overview_shows_channels_and_the_rendered_diagram(page: object, server: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{server}/bundled/")
    channels = page.locator("xpath=//h2[@id='channels']/following::table[1]")
    expect(channels).to_contain_text("S3Event")
    document = load(DOCUMENTS["bundled"])
    assert channels.locator("a[href*='channels/']").count() == len(document.channels)
    diagram = page.locator(".mermaid svg")
    expect(diagram.first).to_be_visible()
    drawn = len(document.servers) + len(document.channels) + len(document.operations)
    assert diagram.first.locator("g.node").count() == drawn
    expect(diagram.first).to_contain_text("S3Event")
    assert page.errors == [] and page.outside == []  # type: ignore[attr-defined]


def test_message_page_shows_field_table_and_example(page: object, server: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{server}/bundled/messages/s3-event/")
    expect(page.locator("h1")).to_have_text(re.compile(r"^S3Event¶?$"))
    table = page.locator("xpath=//h2[@id='payload']/following::table[1]")
    expect(table.locator("th").first).to_have_text("Field")
    expect(table).to_contain_text("Records[].s3.bucket.name")
    example = page.locator("xpath=//h2[@id='examples']/following::div[contains(@class, 'highlight')][1]")
    expect(example).to_contain_text('"eventSource": "aws:s3"')
    sample = page.locator("xpath=//h2[@id='sample-event']/following::div[contains(@class, 'highlight')][1]")
    expect(sample).to_contain_text("Records")
    if screenshot := os.environ.get("GEN_DOCS_SCREENSHOT"):  # how docs/screenshot-message-page.png is made
        page.evaluate("document.getElementById('invocation').scrollIntoView()")
        page.wait_for_timeout(1000)  # the header's title transition
        page.screenshot(path=screenshot)
    assert page.errors == [] and page.outside == []  # type: ignore[attr-defined]


def test_search_finds_a_message(page: object, server: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.goto(f"{server}/bundled/")
    page.locator("label.md-search__icon, input.md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially("S3Event", delay=20)
    expect(page.locator(".md-search-result__item").first).to_contain_text("S3Event")
    message = page.locator(".md-search-result__item a[href*='messages/s3-event']").first
    expect(message).to_contain_text("S3Event")
    message.click()
    expect(page).to_have_url(re.compile(re.escape(f"{server}/bundled/messages/s3-event/") + r"(\?h=.*)?$"))


def test_injected_document_text_shows_as_text_and_runs_nothing(page: object, server: str) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    for path in ["", "messages/evil-name-script/", "channels/etc-passwd-id-script/", "schemas/"]:
        page.goto(f"{server}/injection/{path}")
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)  # let the theme's scripts (and mermaid) run
        assert page.evaluate("window.__pwned") is None, path
    page.goto(f"{server}/injection/messages/evil-name-script/")
    expect(page.locator(".gen-description").first).to_contain_text(
        'Message description <script>window.__pwned="message"</script>'
    )
    expect(page.locator("h1")).to_have_text(re.compile(r"^\.\./evil name <script>¶?$"))
    assert "</title><script>" in page.title()
    cell = page.locator("td", has_text="Cell | pipe new line").first
    expect(cell).to_contain_text("<script>window.__pwned='cell'</script>")
    assert page.dialogs == [] and page.errors == [] and page.outside == []  # type: ignore[attr-defined]
