"""What every command shares: document options, problem printing, exit codes, and the no-traceback rule."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from generator.files import WriteError
from generator.problems import Exit, GenError, Kind, Level, Problem, exit_code

F = TypeVar("F", bound=Callable[..., Any])


def document_options(func: F) -> F:
    """`--allow-ref-outside DIR` and `--allow-remote-refs`, for every command that reads a document."""
    func = click.option(
        "--allow-remote-refs",
        is_flag=True,
        help="Fetch $refs to http(s) URLs (off by default: nothing is fetched over the network).",
    )(func)
    func = click.option(
        "--allow-ref-outside",
        "allow_ref_outside",
        multiple=True,
        type=click.Path(file_okay=False, path_type=Path),
        metavar="DIR",
        help="Also allow $refs into DIR (by default they must stay inside the document's folder).",
    )(func)
    return debug_option(func)


def output_dir_option(help_text: str) -> Callable[[F], F]:
    """`-o/--output DIR`, required, for the commands that write a folder."""
    return click.option(
        "-o",
        "--output",
        "output_dir",
        required=True,
        metavar="DIR",
        type=click.Path(file_okay=False, path_type=Path),
        help=help_text,
    )


def debug_option(func: F) -> F:
    def remember(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
        if value:
            ctx.ensure_object(dict)
            root = ctx.find_root()
            root.ensure_object(dict)
            root.obj["debug"] = True
        return value

    return click.option(
        "--debug",
        is_flag=True,
        expose_value=False,
        callback=remember,
        is_eager=True,
        help="Show tracebacks of unexpected errors.",
    )(func)


def load_options(allow_ref_outside: tuple[Path, ...], allow_remote_refs: bool) -> dict[str, Any]:
    """Keyword arguments for `generator.load` from the shared options."""
    return {"allow_ref_outside": tuple(allow_ref_outside), "allow_remote_refs": allow_remote_refs}


def print_problems(problems: Iterable[Problem], *, quiet_warnings: bool = False) -> None:
    for problem in problems:
        if quiet_warnings and problem.level is Level.WARNING:
            continue
        click.echo(str(problem), err=True)


def finish(problems: list[Problem], *, success: Exit = Exit.OK) -> NoReturn:
    """Print problems and exit with the code they call for."""
    print_problems(problems)
    raise SystemExit(int(exit_code(problems) or success))


def _refused(path: str, what: str) -> NoReturn:
    """A path the command could not use, in one line: bad input or usage (exit 2)."""
    print_problems([Problem(file=path, what=what, kind=Kind.INPUT)])
    raise SystemExit(int(Exit.ERROR)) from None


def run_cli(group: click.Group, argv: list[str]) -> NoReturn:
    """Run the CLI; turn errors into one-line messages and exit codes, tracebacks only with --debug."""
    debug = "--debug" in argv
    try:
        group.main(args=argv, prog_name="gen", standalone_mode=False)
    except GenError as error:
        print_problems(error.problems)
        raise SystemExit(int(error.exit_code)) from None
    except click.exceptions.Exit as done:
        raise SystemExit(done.exit_code) from None
    except click.ClickException as error:
        error.show()
        raise SystemExit(int(Exit.ERROR)) from None
    except click.exceptions.Abort:  # what click makes of Ctrl-C (no command prompts)
        click.echo("aborted", err=True)
        raise SystemExit(int(Exit.INTERRUPTED)) from None
    except KeyboardInterrupt:
        raise SystemExit(int(Exit.INTERRUPTED)) from None
    except SystemExit:
        raise
    except WriteError as error:  # an output that cannot be written: bad usage, said in one line
        _refused(str(error.path), f"cannot write: {error.reason}")
    except BrokenPipeError:
        sys.stderr.close()
        raise SystemExit(int(Exit.OK)) from None
    except Exception as error:
        if debug:
            raise
        if isinstance(error, OSError) and error.filename and error.strerror:
            # the file system refused a path that inputs are not read from (an output folder, its manifest)
            _refused(str(error.filename), f"cannot access: {error.strerror}")
        click.echo(f"gen: internal error: {type(error).__name__}: {error} (run with --debug)", err=True)
        raise SystemExit(int(Exit.ERROR)) from None
    raise SystemExit(int(Exit.OK))
