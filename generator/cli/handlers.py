"""`gen handlers SPEC -o DIR [--model-type TYPE] [--check]`"""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.common import document_options, finish, load_options, output_dir_option
from generator.cli.models import model_type_option, report
from generator.problems import Exit


@click.command(name="handlers")
@click.argument("spec", type=click.Path(path_type=Path))
@output_dir_option("The package folder to write (created if needed; your edited stubs in it are kept).")
@model_type_option("What the payload models are.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 and list the files that would change.")
@click.option(
    "--templates",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="A folder of templates overriding ours, file by file (see templates/handlers).",
)
@document_options
def command(
    spec: Path,
    output_dir: Path,
    model_type: str,
    check: bool,
    templates: Path | None,
    allow_ref_outside: tuple[Path, ...],
    allow_remote_refs: bool,
) -> None:
    """Generate a Lambda-ready package: models, one handler stub per receive operation, a router, and tests.

    Models, router and tests are owned by gen and rewritten on every run; a stub is written once and never
    overwritten after you edit it. Exit 0 when done (or, with --check, when nothing would change), 1 when
    --check finds drift, 2 when the document cannot be read or the folder holds files gen did not write.
    """
    from generator.codegen import dcg_run

    dcg_run.start_early()  # datamodel-code-generator imports in a child while the document loads
    from generator.codegen.api import generate_handlers

    result = generate_handlers(
        spec,
        output_dir,
        model_type=model_type,
        check=check,
        templates=templates,
        **load_options(allow_ref_outside, allow_remote_refs),
    )
    report(result, check=check)
    finish(result.problems, success=Exit.FAILED if check and result.changed else Exit.OK)
