"""`gen`: argv -> options -> library call -> printed problems -> exit code.

Subcommands live in their own modules and are imported only when run, so `gen --help` stays fast.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from generator import __version__

# command name -> (module under generator.cli, one-line help shown by `gen --help`)
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": (
        "validate",
        "Check AsyncAPI documents against the specification, refs and examples.",
    ),
    "models": (
        "models",
        "Generate typed payload models (dataclasses, pydantic, TypedDict, msgspec).",
    ),
    "handlers": ("handlers", "Generate models, typed handler stubs, a router and tests."),
    "samples": ("samples", "Write sample events: the document's examples and synthesized ones."),
    "check": ("check", "Validate recorded events against the document (contract test)."),
    "docs": ("docs", "Write (and build) a MkDocs documentation site for the document."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module = importlib.import_module(f"generator.cli.{entry[0]}")
        command: click.Command = module.command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, help_) for name, (_, help_) in COMMANDS.items()])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="gen")
@click.option("--debug", is_flag=True, help="Show tracebacks of unexpected errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """gen: AsyncAPI code generator and contract tester for Python event-driven code."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def main(argv: list[str] | None = None) -> Any:
    from generator.cli.common import run_cli

    return run_cli(cli, sys.argv[1:] if argv is None else argv)
