"""`gen validate SPEC...`"""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.common import document_options, finish, load_options
from generator.problems import Level, Problem


@click.command(name="validate")
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-q", "--quiet", is_flag=True, help="Print problems only, no summary line per document.")
@document_options
def command(
    specs: tuple[Path, ...],
    quiet: bool,
    allow_ref_outside: tuple[Path, ...],
    allow_remote_refs: bool,
) -> None:
    """Check AsyncAPI documents: specification structure, $refs, ids, schemas and examples.

    Exit code 0 when every document is valid, 1 when one is invalid, 2 when one cannot be read.
    """
    from generator.validation import validate

    everything: list[Problem] = []
    for spec in specs:
        problems = validate(spec, **load_options(allow_ref_outside, allow_remote_refs))
        everything.extend(problems)
        errors = sum(p.level is Level.ERROR for p in problems)
        if not quiet and not errors:
            click.echo(f"{spec}: valid")
        elif not quiet:
            click.echo(f"{spec}: {errors} problem{'s' if errors != 1 else ''}")
    finish(everything)
