"""`gen models SPEC -o DIR [--model-type dataclass|pydantic|typeddict|msgspec] [--check]`"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.cli.common import F, document_options, finish, load_options, output_dir_option
from generator.problems import Exit, one_line

if TYPE_CHECKING:
    from generator.codegen.api import GenerationResult

MODEL_TYPES = ("dataclass", "pydantic", "typeddict", "msgspec")


def model_type_option(help_text: str) -> Callable[[F], F]:
    """`--model-type`, shared by `gen models` and `gen handlers`."""
    return click.option(
        "--model-type", type=click.Choice(MODEL_TYPES), default="dataclass", show_default=True, help=help_text
    )


def report(result: GenerationResult, *, check: bool) -> None:
    """One line per change (`create: models.py`), then a summary line."""
    sync = result.sync
    for change in sync.changes:
        click.echo(one_line(f"{'would ' if check else ''}{change}"))  # it names the operation
    for path in sync.kept_stubs:
        click.echo(f"kept: {path} (edited stub)")
    verb = "would change" if check else "changed"
    click.echo(
        f"{result.output_dir}: {len(sync.changes)} file{'s' if len(sync.changes) != 1 else ''} {verb}, "
        f"{len(sync.unchanged)} unchanged"
        + (
            f", {len(sync.kept_stubs)} edited stub{'s' if len(sync.kept_stubs) != 1 else ''} kept"
            if sync.kept_stubs
            else ""
        )
    )


@click.command(name="models")
@click.argument("spec", type=click.Path(path_type=Path))
@output_dir_option("The package folder to write (models.py, codec.py).")
@model_type_option("Standard-library dataclasses, pydantic models, TypedDicts or msgspec Structs.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 and list the files that would change.")
@document_options
def command(
    spec: Path,
    output_dir: Path,
    model_type: str,
    check: bool,
    allow_ref_outside: tuple[Path, ...],
    allow_remote_refs: bool,
) -> None:
    """Generate typed models of every message payload and named schema, with exact JSON round trips.

    Exit 0 when done (or, with --check, when nothing would change), 1 when --check finds drift, 2 when the
    document cannot be read or the folder holds files gen did not write.
    """
    from generator.codegen import dcg_run

    dcg_run.start_early()  # datamodel-code-generator imports in a child while the document loads
    from generator.codegen.api import generate_models

    result = generate_models(
        spec,
        output_dir,
        model_type=model_type,
        check=check,
        **load_options(allow_ref_outside, allow_remote_refs),
    )
    report(result, check=check)
    finish(result.problems, success=Exit.FAILED if check and result.changed else Exit.OK)
