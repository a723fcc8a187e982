"""`--build`: run MkDocs on the generated project, strictly, into `DIR/site`, replacing it only on success.

MkDocs is driven through its Python API (no subprocess, no second start-up). Strict mode turns every warning
(a broken link or anchor, a page missing from the navigation) into a failure; the warnings are collected and
returned as problems instead of being printed by MkDocs' own logging.

The build does not wait for the sample events (`generator.docs.samples`): message pages are given to MkDocs
with a placeholder for their sample section (`PendingPage`), and the section's HTML takes the placeholder's
place in the built pages at the very end. The section is left out of search (its heading says so), so nothing
else needs it: the site is the same as MkDocs makes from the finished pages (a test builds both).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.docs.project import MKDOCS_YML, SITE_DIR
from generator.problems import Kind, Problem


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(" ".join(record.getMessage().split()))


@dataclass(frozen=True)
class PendingPage:
    """A page not written yet, with a section to come: MkDocs reads `text`, and the HTML of `section()`
    (Markdown without headings, asked for once the rest of the site is built) replaces `placeholder` in the
    built page."""

    text: str
    placeholder: str
    section: Callable[[], str]


def build_site(
    project_dir: Path, *, pending: Mapping[str, PendingPage] | None = None, html_links: Iterable[str] = ()
) -> list[Problem]:
    """Build `project_dir/site`; the problems that stopped it (none on success, and the old site is kept).

    `pending` maps docs-folder paths of pages not written yet to their text so far: the whole site is built
    while their sections are still being prepared, and they are put in last. `html_links` are the pages and
    anchors the pages' HTML blocks link to (`messages/x.md`, `schemas.md#schema-y`), which MkDocs does not
    check: each must exist, as strictly as MkDocs checks Markdown links.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config_file = project_dir / MKDOCS_YML
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=project_dir))
    logger = logging.getLogger("mkdocs")
    collect, propagate, level = _Collect(), logger.propagate, logger.level
    logger.addHandler(collect)
    logger.propagate, logger.level = False, logging.WARNING  # quiet: we report what matters ourselves
    failure: str | None = None
    try:
        config = load_config(config_file=str(config_file), strict=True, site_dir=str(staging))
        config.plugins["gen-docs"] = _plugin(pending or {}, html_links)
        _skip_hidden_theme_folders(config.theme)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as error:
        failure = str(error)
    finally:
        logger.removeHandler(collect)
        logger.propagate, logger.level = propagate, level
    if failure is not None or collect.messages:
        shutil.rmtree(staging, ignore_errors=True)
        messages = collect.messages or [failure or "the MkDocs build failed"]
        return [
            Problem(file=str(config_file), what=f"mkdocs build --strict: {message}", kind=Kind.CONTRACT)
            for message in messages
        ]
    _replace(staging, project_dir / SITE_DIR)
    return []


def _plugin(pending: Mapping[str, PendingPage], html_links: Iterable[str]) -> Any:
    """A MkDocs plugin (public events only) that checks the links of HTML blocks, gives the pending pages
    their text, puts them last, and puts their sections in the finished pages."""
    import markdown  # type: ignore[import-untyped]  # no stubs installed
    from mkdocs.plugins import BasePlugin
    from mkdocs.structure.files import File, Files

    log = logging.getLogger("mkdocs.plugins.gen-docs")  # MkDocs' strict mode counts its warnings

    class GenDocs(BasePlugin):  # type: ignore[type-arg,no-untyped-call]  # a plugin with no options
        converter: Any = None  # a markdown.Markdown
        built: dict[str, tuple[str, Path]]

        def __init__(self) -> None:
            self.built = {}

        def on_files(self, files: Files, *, config: Any) -> Files:
            """The pending pages, with their text so far, last (their sections are awaited last)."""
            others = [f for f in files if f.src_uri not in pending]
            texts = [File.generated(config, uri, content=page.text) for uri, page in pending.items()]
            return Files([*others, *texts])

        def on_env(self, env: Any, *, config: Any, files: Files) -> Any:
            """Every page read: the targets of the HTML blocks' links must be there."""
            if html_links and not config["use_directory_urls"]:
                log.warning("HTML tables link to pages as `use_directory_urls: true` makes them: keep it")
            for link in sorted(set(html_links)):
                path, _, anchor = link.partition("#")
                file = files.get_file_from_path(path)
                anchors = file.page.present_anchor_ids if file is not None and file.page is not None else None
                if anchors is None:
                    log.warning(f"an HTML table links to '{link}', but there is no page '{path}'")
                elif anchor and anchor not in anchors:
                    log.warning(f"an HTML table links to '{link}', but '{path}' has no anchor '{anchor}'")
            return env

        def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
            """A pending page is written as it is for now, and kept: its section comes at the very end."""
            if page.file.src_uri in pending:
                self.built[page.file.src_uri] = (output, Path(page.file.abs_dest_path))
            return output

        def on_post_build(self, *, config: Any) -> None:
            """The pending pages' sections, awaited only now that every other part of the site is built."""
            for uri, (output, destination) in self.built.items():
                html = self.html(pending[uri].section(), config)
                # Python-Markdown writes an HTML comment block with a blank line after it: the section's
                # blocks take its place as they would have been written
                placeholder = pending[uri].placeholder
                finished = output.replace(f"{placeholder}\n", placeholder).replace(placeholder, html)
                destination.write_bytes(finished.encode("utf-8", errors="xmlcharrefreplace"))  # as MkDocs

        def html(self, text: str, config: Any) -> str:
            """`text` as MkDocs converts a page's Markdown (the same extensions and settings)."""
            if self.converter is None:
                self.converter = markdown.Markdown(
                    extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {}
                )
            return str(self.converter.reset().convert(text))

    return GenDocs()


def _skip_hidden_theme_folders(theme: Any) -> None:
    """Make MkDocs' search for the theme's assets skip hidden folders, which it would only leave out after
    listing them: mkdocs-material keeps about 10,000 icons in `.icons` (for its templates to include), and
    listing them costs the build about 5%. The site is the same (a test compares it with MkDocs' own)."""
    import jinja2

    class ThemeLoader(jinja2.FileSystemLoader):
        def list_templates(self) -> list[str]:
            found: set[str] = set()
            for folder in self.searchpath:
                for path, folders, files in os.walk(folder, followlinks=self.followlinks):
                    folders[:] = sorted(name for name in folders if not name.startswith("."))
                    relative = Path(path).relative_to(folder).as_posix()
                    found.update(name if relative == "." else f"{relative}/{name}" for name in files)
            return sorted(found)

    get_env = theme.get_env

    def get_env_listing_no_hidden_folder() -> jinja2.Environment:
        env: jinja2.Environment = get_env()
        if type(env.loader) is jinja2.FileSystemLoader:  # as MkDocs makes it (else: left as it is)
            env.loader = ThemeLoader(env.loader.searchpath, followlinks=env.loader.followlinks)
        return env

    theme.get_env = get_env_listing_no_hidden_folder


def _replace(new: Path, site: Path) -> None:
    """Swap the freshly built site in: readers see the old site or the new one, never a mix."""
    old = None
    if site.exists():
        old = Path(tempfile.mkdtemp(prefix=".site-old-", dir=site.parent))
        site.replace(old / SITE_DIR)
    new.replace(site)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
