"""`gen samples SPEC [MESSAGE...] [-o DIR] [--count N] [--invalid N] [--set P=V] [--<parameter> VALUE]`

A message's named parameters come from the document (`x-sample-parameters`), so they cannot be click
options: unknown `--name VALUE` / `--name=VALUE` arguments are collected and checked against the chosen
messages' parameters instead.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from generator.cli.common import document_options, load_options, print_problems
from generator.problems import GenError, Kind, Level, Problem, one_line


def _usage(what: str) -> click.UsageError:
    return click.UsageError(what)


def split_arguments(tokens: tuple[str, ...]) -> tuple[list[str], dict[str, str]]:
    """Message names and `--name VALUE` parameters, from the arguments click did not recognize."""
    messages: list[str] = []
    parameters: dict[str, str] = {}
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if not token.startswith("--") or token == "--":
            if token.startswith("-") and token != "-":
                raise _usage(f"no such option: {token}")
            messages.append(token)
            continue
        name, equals, value = token[2:].partition("=")
        if not equals:
            if index >= len(tokens):
                raise _usage(f"option --{name} requires a value")
            value = tokens[index]
            index += 1
        if name in parameters:
            raise _usage(f"--{name} is given twice")
        parameters[name] = value
    return messages, parameters


def parse_set(assignments: tuple[str, ...]) -> dict[str, Any]:
    """`--set POINTER=VALUE`: the value is JSON when it parses as JSON, else the string itself."""
    overrides: dict[str, Any] = {}
    for assignment in assignments:
        pointer, equals, text = assignment.partition("=")
        if not equals or not pointer.startswith("/"):
            raise _usage(
                f"--set {assignment!r}: expected POINTER=VALUE, e.g. /Records/0/s3/bucket/name=photos"
            )
        try:
            overrides[pointer] = json.loads(text)
        except ValueError:
            overrides[pointer] = text
    return overrides


@click.command(
    name="samples",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    epilog="Named parameters: a message's `x-sample-parameters` are options too, e.g. "
    "`gen samples asyncapi/aws-lambda-triggers.yaml S3Event --bucket photos --key 'my file.jpg'`; "
    "`--list-parameters` shows them.",
)
@click.argument("spec", type=click.Path(path_type=Path))
@click.argument("arguments", nargs=-1, type=click.UNPROCESSED, metavar="[MESSAGE]... [--PARAMETER VALUE]...")
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write DIR/<Message>/<n>.json (.jsonl for an array; near misses in invalid/, each with <n>.why)"
    " instead of printing JSON.",
)
@click.option(
    "--count",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Also synthesize N valid events per message from its payload schema.",
)
@click.option(
    "--invalid",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Also make N near-miss events per message, each breaking exactly one named rule.",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Seed: the same seed gives the same events."
)
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="POINTER=VALUE",
    help="Set a field by JSON pointer (VALUE is JSON if it parses, else a string). Repeatable.",
)
@click.option(
    "--example", metavar="NAME", help="Use only this example (by name or 1-based number) as the base."
)
@click.option(
    "--no-examples", is_flag=True, help="Leave the document's examples out (synthesized events only)."
)
@click.option(
    "--list-parameters", is_flag=True, help="List each message's named parameters and examples, then exit."
)
@document_options
def command(
    spec: Path,
    arguments: tuple[str, ...],
    output: Path | None,
    count: int,
    invalid: int,
    seed: int,
    assignments: tuple[str, ...],
    example: str | None,
    no_examples: bool,
    list_parameters: bool,
    allow_ref_outside: tuple[Path, ...],
    allow_remote_refs: bool,
) -> None:
    """Write sample events for MESSAGEs (all by default): the document's examples, synthesized events
    (--count) and near misses (--invalid), every one validated against its payload schema.

    One message prints its event (a list when there are several) as JSON; -o DIR writes files.
    """
    from generator.loader import load
    from generator.sampling import SampleOptions, sample_set
    from generator.sampling.output import EVENT_SUFFIXES, plan, render, stdout_value, write

    names, parameters = split_arguments(arguments)
    overrides = parse_set(assignments)
    document = load(spec, **load_options(allow_ref_outside, allow_remote_refs))
    for name in names:
        if name not in document.messages:
            known = ", ".join(document.messages) or "none"
            raise GenError(
                [
                    Problem(
                        file=str(spec),
                        what=f"no message named {name!r} (the document has: {known})",
                        kind=Kind.INPUT,
                    )
                ]
            )
    if parameters and not names:
        raise _usage("named parameters apply to one message: give its name, e.g. S3Event --bucket photos")
    chosen = names or list(document.messages)

    if list_parameters:
        _list_parameters(document, chosen)
        return

    options = SampleOptions(
        count=count,
        invalid=invalid,
        seed=seed,
        overrides=overrides,
        parameters=parameters,
        examples=not no_examples,
        example=example,
    )
    warnings: list[Problem] = []
    sets = []
    for name in chosen:
        if not names and _cannot_generate(document.messages[name]) and (count or invalid):
            warnings.append(_warning(document.messages[name], "has no JSON Schema payload: skipped"))
            continue
        made = sample_set(document, name, options)
        if not made.events and not made.invalid:
            hint = "use --count N to synthesize events" if not count else "nothing could be made"
            warnings.append(_warning(made.message, f"has no examples: {hint}"))
        sets.append(made)
    print_problems(warnings)
    if output is None:
        click.echo(render(stdout_value(sets)), nl=False)
    else:
        planned = plan([s for s in sets if s.events or s.invalid], output)
        write(planned)
        total = sum(1 for path in planned.files if path.suffix in EVENT_SUFFIXES)
        click.echo(f"wrote {total} event file{'s' if total != 1 else ''} to {output}", err=True)


def _cannot_generate(message: Any) -> bool:
    return message.payload is None or not message.payload.is_json_schema


def _warning(message: Any, what: str) -> Problem:
    return Problem(
        file=message.source.file,
        where=message.where,
        what=f"{message.name} {what}",
        level=Level.WARNING,
        kind=Kind.INPUT,
    )


def _list_parameters(document: Any, chosen: list[str]) -> None:
    from generator.sampling.parameters import sample_parameters

    for name in chosen:
        message = document.messages[name]
        examples = [e.name or str(n) for n, e in enumerate(message.examples, start=1) if e.has_payload]
        click.echo(one_line(f"{name}: examples: {', '.join(examples) or 'none'}"))
        parameters = sample_parameters(message)
        if not parameters:
            click.echo("  no named parameters (use --set POINTER=VALUE)")
        for parameter in parameters.values():
            default = f" (default: {parameter.default})" if parameter.default is not None else ""
            about = " ".join((parameter.description or "").split())  # a folded description, on its line
            click.echo(one_line(f"  --{parameter.name} VALUE  {about}{default}".rstrip()))
            for assignment in parameter.assignments:
                how = f" = {assignment.template}" if assignment.template != f"{{{parameter.name}}}" else ""
                transform = f" | {assignment.transform}" if assignment.transform else ""
                click.echo(one_line(f"      sets {assignment.pointer}{how}{transform}"))
