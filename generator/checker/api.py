"""`generator.check(spec, events, ...) -> CheckResult`, and the streaming form the CLI uses.

Readers yield `(source, event)` items, the checker turns each into an `EventResult` (in worker processes
with ``jobs > 1``, in input order), and the caller keeps them (`check`) or streams them to a reporter
(`iter_check`, with a `Summary` filled as results pass).
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain
from typing import IO, TYPE_CHECKING, Any

from generator.checker.engine import Checker, Options
from generator.checker.result import CheckResult, EventResult, Summary, Violation
from generator.checker.sources import (
    MAX_EVENT_BYTES,
    Item,
    Progress,
    Take,
    read,
    total_bytes,
    value_item,
)
from generator.location import pointer_text

if TYPE_CHECKING:
    from generator.model import Document

#: With `jobs=None`, inputs larger than this are spread over every core.
PARALLEL_FROM_BYTES = 50 * 1024 * 1024

EventInput = str | os.PathLike[str] | Any


def check(
    spec: str | os.PathLike[str] | Document,
    events: Iterable[EventInput] = (),
    *,
    message: str | None = None,
    channel: str | None = None,
    decode: bool = True,
    strict: bool = False,
    examples: bool = False,
    jobs: int | None = 1,
    max_event_bytes: int = MAX_EVENT_BYTES,
    allow_ref_outside: Iterable[str | os.PathLike[str]] = (),
    allow_remote_refs: bool = False,
) -> CheckResult:
    """Check recorded events (and, with `examples`, the document's examples) against the document.

    `events` holds paths (files, folders, ``"-"`` for standard input) and events given as Python values
    (dicts), in any mix; one path or one dict alone is taken as such, not as a sequence of characters or
    keys. An iterator (a generator, a queue's consumer) is read as its events come, never listed whole: in
    one process, unless `jobs` asks for more. Each event is recognised as one of the document's messages,
    unless `message` pins one or `channel` narrows the choice to a channel's messages. Raises `GenError`
    when the document cannot be loaded or names are unknown; bad events are results, never exceptions::

        result = generator.check("asyncapi.yaml", ["events/"])
        assert result.ok, result.report()
    """
    summary = Summary()
    collected = list(
        iter_check(
            spec,
            events,
            summary=summary,
            message=message,
            channel=channel,
            decode=decode,
            strict=strict,
            examples=examples,
            jobs=jobs,
            max_event_bytes=max_event_bytes,
            allow_ref_outside=allow_ref_outside,
            allow_remote_refs=allow_remote_refs,
        )
    )
    return CheckResult(events=collected, summary=summary, strict=strict)


def iter_check(
    spec: str | os.PathLike[str] | Document,
    events: Iterable[EventInput] = (),
    *,
    summary: Summary | None = None,
    message: str | None = None,
    channel: str | None = None,
    decode: bool = True,
    strict: bool = False,
    examples: bool = False,
    jobs: int | None = 1,
    max_event_bytes: int = MAX_EVENT_BYTES,
    stdin: IO[bytes] | None = None,
    progress: Progress | None = None,
    allow_ref_outside: Iterable[str | os.PathLike[str]] = (),
    allow_remote_refs: bool = False,
    passes: bool = True,
) -> Iterator[EventResult]:
    """`check`, streamed: results one at a time, in input order, counted into `summary` as they pass.

    The document is loaded and the names checked when this is called, so a `GenError` comes before any
    result (a report is not started for a run that cannot be made). Without `passes`, events that pass
    with nothing undeclared are only counted into `summary`: the others come, as a report of what is wrong
    needs them, and none is built for the rest (most, in a healthy archive).
    """
    from generator.loader import load

    if isinstance(spec, str | os.PathLike):
        document = load(
            os.fspath(spec),
            allow_ref_outside=tuple(os.fspath(p) for p in allow_ref_outside),
            allow_remote_refs=allow_remote_refs,
        )
    else:
        document = spec
    options = Options(message=message, channel=channel, decode=decode, strict=strict)
    checker = Checker(document, options)
    summary = summary if summary is not None else Summary()
    return _results(
        checker, _inputs(events), summary, examples, jobs, max_event_bytes, stdin, progress, passes
    )


def _inputs(events: Iterable[EventInput] | EventInput) -> Iterable[EventInput]:
    """`events` as an iterable of inputs: a lone path or event is one (a string is a sequence of
    characters, a dict an iterable of keys, and neither is meant as such)."""
    if isinstance(events, str | os.PathLike | Mapping):
        return [events]
    return events


def _results(
    checker: Checker,
    events: Iterable[EventInput],
    summary: Summary,
    examples: bool,
    jobs: int | None,
    max_event_bytes: int,
    stdin: IO[bytes] | None,
    progress: Progress | None,
    passes: bool,
) -> Iterator[EventResult]:
    """The results, lazily: nothing is read until the first is asked for. A sequence of inputs is looked
    over first (its files' sizes choose `jobs=None`'s processes); any other iterable (a generator, which
    may never end) is taken as it comes: `jobs=None` is one process, and no result is held back."""
    listed = events if isinstance(events, Sequence) else None
    paths = [e for e in listed if isinstance(e, str | os.PathLike)] if listed is not None else []
    workers = jobs
    if workers is None:
        large = total_bytes(paths, beyond=PARALLEL_FROM_BYTES) > PARALLEL_FROM_BYTES
        workers = (os.cpu_count() or 1) if large else 1
    if workers > 1:
        results = _parallel(checker, events, summary, workers, max_event_bytes, stdin, progress, passes)
    else:
        # a report of what is wrong: the reader's loop counts lines that pass (`Checker.taker`)
        take = None if passes else checker.taker(summary)
        only_paths = listed is not None and len(paths) == len(listed)  # no Python values to number
        if only_paths:
            items = read(paths, stdin=stdin, max_event_bytes=max_event_bytes, progress=progress, take=take)
        else:
            items = _items(events, stdin=stdin, max_event_bytes=max_event_bytes, progress=progress, take=take)
        live = listed is None or (any(os.fspath(path) == "-" for path in paths) and _live(stdin))
        # the checker's own generator, with none around it: every event passes here
        results = checker.check_all(items, summary, hold=not live, passes=passes)
    return chain(_examples(checker, summary, passes), results) if examples else results


def _live(stdin: IO[bytes] | None) -> bool:
    """Whether standard input may be a live stream (a pipe, a terminal), whose results come as its events
    do; one redirected from a file is read as files are (`< events.jsonl`)."""
    stream = stdin if stdin is not None else sys.stdin
    try:
        return not stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both
        return True


def _examples(checker: Checker, summary: Summary, passes: bool) -> Iterator[EventResult]:
    for result in check_examples(checker):
        summary.add(result)
        if passes or not result.clean:
            yield result


def _parallel(
    checker: Checker,
    events: Iterable[EventInput],
    summary: Summary,
    workers: int,
    max_event_bytes: int,
    stdin: IO[bytes] | None,
    progress: Progress | None,
    passes: bool,
) -> Iterator[EventResult]:
    from generator.checker.parallel import check_in_parallel, plan

    tasks = plan(events, stdin=stdin, max_event_bytes=max_event_bytes, progress=progress)
    yield from check_in_parallel(checker, tasks, workers, summary, passes=passes)


def _items(
    events: Iterable[EventInput],
    *,
    stdin: IO[bytes] | None,
    max_event_bytes: int,
    progress: Progress | None,
    take: Take | None,
) -> Iterator[Item]:
    """Read paths in order, each as it comes (a generator of paths may never end), and number the Python
    values among them as ``<events>[INDEX]``."""
    for index, event in enumerate(events):
        if isinstance(event, str | os.PathLike):
            yield from read(
                [event], stdin=stdin, max_event_bytes=max_event_bytes, progress=progress, take=take
            )
        else:
            yield value_item(index, event)


def check_examples(checker: Checker) -> Iterator[EventResult]:
    """Every example of every message, against its own message (payload, and headers when declared).

    An example of an event message that recognition would not route to its message gets a warning: the
    generated router would not recognise such an event either.
    """
    document = checker.document
    for message in document.messages.values():
        for example in message.examples:
            source = f"{example.source.file}#{pointer_text(example.source.pointer)}"
            if example.has_payload:
                result = checker.check_as(message.name, f"{source}/payload", example.payload)
                yield _with_recognition(checker, result, example.payload)
            if example.has_headers and message.headers is not None and message.headers.is_json_schema:
                yield _headers_result(checker, message.name, f"{source}/headers", example.headers)


def _with_recognition(checker: Checker, result: EventResult, payload: Any) -> EventResult:
    name = result.message
    if checker.pinned is not None or name not in {m.name for m in checker.candidates}:
        return result
    found = checker.table.route(payload)  # what the generated router does
    if found[:1] == [name]:
        return result
    what = f"it is recognised as {found[0]}" if found else "it matches no message"
    warning = Violation("", "recognition", f"the router would not recognise this example as {name}: {what}")
    errors, warnings = result.errors, (*result.warnings, warning)
    if checker.options.strict:
        errors, warnings = (*errors, warning), result.warnings
    return EventResult(
        source=result.source,
        message=name,
        valid=not errors,
        errors=errors,
        warnings=warnings,
        also=tuple(n for n in found if n != name),
        undeclared=result.undeclared,
    )


def _headers_result(checker: Checker, name: str, source: str, headers: Any) -> EventResult:
    from generator.checker.messages import header_check

    message = checker.document.messages[name]
    errors = tuple(header_check(message).errors(headers)) if message.headers is not None else ()
    return EventResult(source=source, message=name, valid=not errors, errors=errors)
