"""`--build`: run MkDocs on the generated project, strictly, into `DIR/site`, replacing it only on success.

MkDocs is driven through its Python API (no subprocess, no second start-up). Strict mode turns every warning
(a broken link or anchor, a page missing from the navigation) into a failure; the warnings are collected and
returned as problems instead of being printed by MkDocs' own logging.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable, Mapping
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


def build_site(
    project_dir: Path, *, late_pages: Mapping[str, Callable[[], str]] | None = None
) -> list[Problem]:
    """Build `project_dir/site`; the problems that stopped it (none on success, and the old site is kept).

    `late_pages` maps docs-folder paths of pages not written yet to what produces their text: MkDocs reads
    them last, so the build starts (and reads every other page) while they are still being prepared.
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
        if late_pages:
            config.plugins["gen-docs-late-pages"] = _late_pages_plugin(late_pages)
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


def _late_pages_plugin(late_pages: Mapping[str, Callable[[], str]]) -> Any:
    """A MkDocs plugin (public events only) that puts the late pages last and gives them their text."""
    from mkdocs.plugins import BasePlugin
    from mkdocs.structure.files import File, Files
    from mkdocs.utils.meta import get_data

    class LatePages(BasePlugin):  # type: ignore[type-arg,no-untyped-call]  # a plugin with no options
        def on_files(self, files: Files, *, config: Any) -> Files:
            """Stand-ins for now, read after every other page (the text comes in `on_page_markdown`)."""
            others = [f for f in files if f.src_uri not in late_pages]
            stand_ins = [File.generated(config, uri, content=_STAND_IN) for uri in late_pages]
            return Files([*others, *stand_ins])

        def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Files) -> str | None:
            produce = late_pages.get(page.file.src_uri)
            if produce is None:
                return None
            body, meta = get_data(produce())
            page.meta = meta
            return str(body)

    return LatePages()


_STAND_IN = "# (being written)\n"


def _replace(new: Path, site: Path) -> None:
    """Swap the freshly built site in: readers see the old site or the new one, never a mix."""
    old = None
    if site.exists():
        old = Path(tempfile.mkdtemp(prefix=".site-old-", dir=site.parent))
        site.replace(old / SITE_DIR)
    new.replace(site)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
