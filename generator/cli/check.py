"""`gen check SPEC EVENTS...`"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import click

from generator.cli.common import document_options, finish, load_options, print_problems
from generator.files import atomic_text_stream
from generator.problems import Exit, GenError, Kind, Problem

FORMATS = ("text", "json", "junit", "github")
_REDRAW_SECONDS = 0.1
MAX_EVENT_BYTES = (
    16 * 1024 * 1024
)  # generator.checker.sources.MAX_EVENT_BYTES, without importing it for --help


@click.command(name="check")
@click.argument("spec", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("events", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--message", metavar="NAME", help="Check every event against this message (no recognition).")
@click.option("--channel", metavar="ADDRESS", help="Recognise events among this channel's messages only.")
@click.option(
    "--decode/--no-decode",
    default=True,
    show_default=True,
    help="Decode encoded inner payloads (base64, gzip, JSON) and check them against their schemas.",
)
@click.option("--strict", is_flag=True, help="Fail on fields the schema does not declare (drift), too.")
@click.option(
    "--examples", is_flag=True, help="Also check every example in the document against its message."
)
@click.option("-f", "--format", "format_", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report here."
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes [default: 1, or every core for inputs over 50 MB].",
)
@click.option(
    "--max-event-size",
    type=click.IntRange(min=1),
    default=MAX_EVENT_BYTES,
    show_default=True,
    metavar="BYTES",
    help="Larger events are reported, not read.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar on standard error [default: on a terminal, outside CI].",
)
@document_options
def command(
    spec: Path,
    events: tuple[str, ...],
    message: str | None,
    channel: str | None,
    decode: bool,
    strict: bool,
    examples: bool,
    format_: str,
    output: Path | None,
    jobs: int | None,
    max_event_size: int,
    progress: bool | None,
    allow_ref_outside: tuple[Path, ...],
    allow_remote_refs: bool,
) -> None:
    """Check recorded events against the messages of the AsyncAPI document SPEC.

    EVENTS are files or folders (searched recursively): .json (one event, or an array of events),
    .jsonl/.ndjson (one event a line), any of them .gz, all streamed; - reads standard input. Each event's
    message is recognised from the payload schemas, unless --message pins one.

    Exit code 0 when every event conforms, 1 when one does not (or cannot be read), 2 on bad usage or a
    document that cannot be loaded.
    """
    if not events and not examples:
        raise click.UsageError("give EVENTS (files, folders, or - for standard input), or --examples")
    missing = [
        Problem(file=e, what="no such file or folder", kind=Kind.INPUT)
        for e in events
        if e != "-" and not os.path.lexists(e)
    ]

    from generator.checker import Summary, iter_check
    from generator.checker.reporters import REPORTERS

    summary = Summary()
    report = REPORTERS[format_]
    with _progress_bar(False if missing else progress, events) as advance:
        try:  # loads the document and checks the names: a fault is one line, before any report starts
            results = iter_check(
                spec,
                list(events),
                summary=summary,
                message=message,
                channel=channel,
                decode=decode,
                strict=strict,
                examples=examples,
                jobs=jobs,
                max_event_bytes=max_event_size,
                progress=advance,
                passes=report.passes,  # a report of what is wrong is not handed each passing event
                **load_options(allow_ref_outside, allow_remote_refs),
            )
        except GenError as error:  # a document that cannot be loaded is bad input here, whatever its fault
            print_problems([*error.problems, *missing])  # every fault of the command line at once
            raise SystemExit(int(Exit.ERROR)) from None
        if missing:  # named before any event is read
            finish(missing)
        with _report_stream(output) as out:
            reporter = report(out, document=str(spec))
            for result in results:
                reporter.event(result)
            reporter.finish(summary)
    raise SystemExit(int(Exit.FAILED if summary.failed else Exit.OK))


@contextlib.contextmanager
def _report_stream(output: Path | None) -> Iterator[TextIO]:
    """Standard output, or `output` written atomically: complete, or (on any error) not written at all."""
    if output is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    with atomic_text_stream(output) as handle:
        yield handle


@contextlib.contextmanager
def _progress_bar(wanted: bool | None, events: tuple[str, ...]) -> Iterator[Any]:
    """A callback advancing a progress bar by bytes read, shown only where someone watches it."""
    show = wanted if wanted is not None else sys.stderr.isatty() and not os.environ.get("CI")
    if not show:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    from generator.checker.sources import total_bytes

    total = total_bytes([e for e in events if e != "-"]) or None
    columns = (TextColumn("checking"), BarColumn(), DownloadColumn(), TimeRemainingColumn())
    # Redrawn from the callback, ten times a second at most: rich's refresh thread could hold a lock
    # (standard error's) when --jobs forks its workers, which would then wait for it forever.
    with Progress(*columns, console=Console(stderr=True), transient=True, auto_refresh=False) as bar:
        task = bar.add_task("check", total=total)
        drawn = 0.0

        def advance(read: int) -> None:
            nonlocal drawn
            bar.advance(task, read)
            now = time.monotonic()
            if now - drawn >= _REDRAW_SECONDS:
                bar.refresh()
                drawn = now

        yield advance
