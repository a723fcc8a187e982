"""`gen docs`: an AsyncAPI document -> a MkDocs (mkdocs-material) documentation project, optionally built.

load -> model -> pages (`pages`, `fields`, `diagram`, templates under `templates/docs/`) -> files (`project`)
-> `mkdocs build --strict` (`site`). Everything taken from the document is made inert text (`text`).

The sample events of the message pages (`samples`) cost more than the build, so they are computed in
background processes from the start; the message pages are rendered last, and MkDocs reads them last.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from generator.docs.pages import PageRenderer, SampleEvent, docs_environment, plan_pages
from generator.docs.project import DOCS_DIR, SITE_DIR, ProjectWriter, project_files
from generator.docs.samples import SampleJob
from generator.docs.site import build_site
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
    job = SampleJob(document) if samples else None  # first: the samples take longest
    try:
        env = docs_environment(templates)
        plan = plan_pages(document)
        renderer = PageRenderer(
            document,
            pages=plan,
            env=env,
            spec_name=document.path.name,
            sample_for=job or (lambda _message: SampleEvent(unavailable="sample generation was turned off")),
        )
        # Message pages come last: their sample events are computed in the background meanwhile.
        files = project_files(pages=renderer.other_pages(), plan=plan, env=env, site_name=document.info.title)
        late = {f"{DOCS_DIR}/{path}": name for name, path in plan.messages.items()}
        writer = ProjectWriter(target, [*files, *late], reserved=(SITE_DIR,) if build else ())
        writer.write(files)

        def message_page(path: str) -> str:
            """Rendered and written once: when MkDocs reads it during the build, or after."""
            if path not in files:
                files[path] = renderer.message_page(late[path])
                writer.write({path: files[path]})
            return str(files[path])

        problems: list[Problem] = []
        if build:
            late_pages = {path.removeprefix(f"{DOCS_DIR}/"): partial(message_page, path) for path in late}
            problems = build_site(target, late_pages=late_pages)
        for path in late:
            message_page(path)
    finally:
        if job is not None:
            job.close()
    written = writer.finish()
    if problems:
        raise GenError(problems)
    site_dir = target / SITE_DIR if build else None
    return DocsResult(output_dir=target, written=written.written, removed=written.removed, site_dir=site_dir)
