"""`gen docs SPEC -o DIR [--build]`"""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.common import document_options, load_options, output_dir_option


@click.command(name="docs")
@click.argument("spec", type=click.Path(path_type=Path))
@output_dir_option("Folder of the MkDocs project (created; only files gen docs wrote are replaced).")
@click.option("--build", is_flag=True, help="Also run `mkdocs build --strict` into DIR/site.")
@click.option(
    "--no-samples",
    is_flag=True,
    help="Leave the generated sample event out of the message pages (faster for very large documents).",
)
@click.option(
    "--templates",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    metavar="DIR",
    help="Use the templates found in DIR instead of ours (same names as templates/docs/).",
)
@document_options
def command(
    spec: Path,
    output_dir: Path,
    build: bool,
    no_samples: bool,
    templates: Path | None,
    allow_ref_outside: tuple[Path, ...],
    allow_remote_refs: bool,
) -> None:
    """Write a MkDocs (mkdocs-material) site documenting SPEC into DIR: an overview with a diagram, and a page
    per channel, message and named schema.

    Preview it with `mkdocs serve -f DIR/mkdocs.yml`, or pass --build to write the static site to DIR/site.
    Exit code 0 on success, 1 when the strict build fails, 2 when SPEC cannot be read or DIR holds files that
    gen docs did not write.
    """
    from generator.docs import build_docs

    result = build_docs(
        spec,
        output_dir,
        build=build,
        samples=not no_samples,
        templates=templates,
        **load_options(allow_ref_outside, allow_remote_refs),
    )
    pages = sum(1 for path in result.written if path.endswith(".md"))
    click.echo(f"{result.output_dir}: {pages} pages written", err=True)
    if result.site_dir is not None:
        click.echo(f"{result.site_dir}: site built", err=True)
