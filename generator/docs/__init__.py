"""`gen docs`: an AsyncAPI document -> a MkDocs (mkdocs-material) documentation project, optionally built.

load -> model -> pages (`pages`, `fields`, `diagram`, templates under `templates/docs/`) -> files (`project`)
-> `mkdocs build --strict` (`site`). Everything taken from the document is made inert text (`text`).

The sample events of the message pages (`samples`) cost about as much as the build, so they are computed in
background processes from the start; the build puts them in last (`site`), and message pages are written last.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from generator.model import Document
from generator.problems import GenError, Problem

__all__ = ["DocsResult", "build_docs"]


@dataclass(frozen=True)
class DocsResult:
    output_dir: Path
    written: tuple[str, ...]  # output-folder-relative paths of the project's files
    removed: tuple[str, ...]  # pages an earlier run wrote that the document no longer has
    site_dir: Path | None  # the built site, with `build=True`


def build_docs(
    spec: str | Path | Document,
    output_dir: str | Path,
    *,
    build: bool = False,
    samples: bool = True,
    templates: Path | None = None,
    allow_ref_outside: Sequence[Path] = (),
    allow_remote_refs: bool = False,
) -> DocsResult:
    """Write the MkDocs project for `spec` into `output_dir` (and build it into `output_dir/site`).

    Raises `GenError` when the document cannot be loaded, the folder holds files that are not ours, or the
    strict build fails (the previous site is then kept).
    """
    if isinstance(spec, Document):
        document = spec
    else:
        from generator.loader import load

        document = load(
            Path(spec), allow_ref_outside=tuple(allow_ref_outside), allow_remote_refs=allow_remote_refs
        )
    target = Path(output_dir)
    # The sample events take longest: their children start first, before the imports below (which a fork
    # would only copy).
    from generator.docs.samples import SampleEvent, SampleJob

    job = SampleJob(document) if samples else None
    try:
        from generator.docs.pages import PageRenderer, docs_environment, plan_pages
        from generator.docs.project import DOCS_DIR, SITE_DIR, ProjectWriter, project_files
        from generator.docs.site import PendingPage, build_site

        env = docs_environment(templates)
        plan = plan_pages(document)
        renderer = PageRenderer(
            document,
            pages=plan,
            env=env,
            spec_name=document.path.name,
            sample_for=job or (lambda _message: SampleEvent(unavailable="sample generation was turned off")),
        )
        files = project_files(pages=renderer.other_pages(), plan=plan, env=env, site_name=document.info.title)
        # Message pages wait for their sample events, computed in the background meanwhile: they are
        # written last, and the build puts their sample sections in last.
        names = {f"{DOCS_DIR}/{path}": name for name, path in plan.messages.items()}
        drafts = {path: renderer.message_page(name) for path, name in names.items()}
        writer = ProjectWriter(target, [*files, *drafts], reserved=(SITE_DIR,) if build else ())
        writer.write(files)
        sections: dict[str, str] = {}

        def sample_section(path: str) -> str:
            if path not in sections:
                sections[path] = renderer.sample_section(names[path])
            return sections[path]

        problems: list[Problem] = []
        if build:
            pending = {
                path.removeprefix(f"{DOCS_DIR}/"): PendingPage(
                    text=draft.text, placeholder=draft.placeholder, section=partial(sample_section, path)
                )
                for path, draft in drafts.items()
            }
            problems = build_site(target, pending=pending, html_links=plan.all())
        for path, draft in drafts.items():
            files[path] = draft.complete(sample_section(path))
            writer.write({path: files[path]})
    finally:
        if job is not None:
            job.close()
    written = writer.finish()
    if problems:
        raise GenError(problems)
    site_dir = target / SITE_DIR if build else None
    return DocsResult(output_dir=target, written=written.written, removed=written.removed, site_dir=site_dir)
