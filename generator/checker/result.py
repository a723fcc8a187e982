"""What a check produces: per event a verdict with its violations, and a summary per message."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from generator.problems import Exit

#: `EventResult.message` when no message matched, `Violation.keyword` for what made the event unreadable.
UNREADABLE = "unreadable"


class Violation(NamedTuple):
    """One thing wrong with an event (or, for drift, one undeclared field).

    `pointer` is a JSON pointer into the event ("" is the event itself). Inside a decoded inner payload it
    continues after a ``#``: ``/awslogs/data#/logEvents/0/id`` is ``/logEvents/0/id`` inside the document
    that ``/awslogs/data`` decodes to. `keyword` is the JSON Schema keyword that failed (``type``,
    ``required``...), or ``contentEncoding``/``contentMediaType`` for a payload that does not decode,
    ``recognition`` for an event no message matches, ``unreadable`` for input that is not JSON, and
    ``undeclared`` for drift, ``schemaFormat`` (a warning) for an event of a message whose payload is in a
    schema language gen check cannot read. `schema` is where the failing schema is in the document.
    """

    pointer: str
    keyword: str
    message: str
    schema: str = ""

    def as_json(self) -> dict[str, str]:
        return {
            "pointer": self.pointer,
            "keyword": self.keyword,
            "message": self.message,
            "schema": self.schema,
        }


class EventResult(NamedTuple):
    """The verdict on one event, identified by its source: `path`, `path:LINE`, `path[INDEX]`."""

    source: str
    message: str | None  # the message it was checked against; None when unreadable or unrecognised
    valid: bool
    errors: tuple[Violation, ...] = ()
    #: Undeclared fields (drift); failures only with `strict`.
    warnings: tuple[Violation, ...] = ()
    #: Other messages the event also matches, less specific than `message`.
    also: tuple[str, ...] = ()
    #: For an unrecognised event, the message it came closest to (its `errors` say why it failed).
    closest: str | None = None
    #: The undeclared field paths of `warnings`, array items and map keys as ``*``, for the summary.
    undeclared: tuple[str, ...] = ()

    @property
    def clean(self) -> bool:
        """A pass with nothing undeclared: what a report of what is wrong leaves out."""
        return self.valid and not self.warnings

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "message": self.message,
            "valid": self.valid,
            "also": list(self.also),
            "closest": self.closest,
            "errors": [v.as_json() for v in self.errors],
            "warnings": [v.as_json() for v in self.warnings],
        }


@dataclass(slots=True)
class MessageSummary:
    passed: int = 0
    failed: int = 0
    #: Undeclared field paths (array items and map keys as ``*``) -> in how many events they were seen.
    undeclared: Counter[str] = field(default_factory=Counter)

    @property
    def seen(self) -> int:
        # derived, not counted: the fast path counts each pass with one increment
        return self.passed + self.failed

    def as_json(self) -> dict[str, Any]:
        return {
            "seen": self.seen,
            "passed": self.passed,
            "failed": self.failed,
            "undeclared": dict(sorted(self.undeclared.items())),
        }


@dataclass(slots=True)
class Summary:
    """Counts per message; unrecognised and unreadable events are counted under their own keys."""

    messages: dict[str, MessageSummary] = field(default_factory=dict)
    unrecognized: int = 0
    unreadable: int = 0

    @property
    def events(self) -> int:
        return sum(m.seen for m in self.messages.values()) + self.unrecognized + self.unreadable

    @property
    def failed(self) -> int:
        return sum(m.failed for m in self.messages.values()) + self.unrecognized + self.unreadable

    def merge(self, later: Summary) -> None:
        """Add the counts of events that came after this summary's (messages first seen there are listed
        after those seen here, as one summary of all the events would list them)."""
        for name, theirs in later.messages.items():
            counts = self.messages.get(name)
            if counts is None:
                counts = self.messages[name] = MessageSummary()
            counts.passed += theirs.passed
            counts.failed += theirs.failed
            counts.undeclared.update(theirs.undeclared)
        self.unrecognized += later.unrecognized
        self.unreadable += later.unreadable

    def add(self, result: EventResult) -> None:
        counts = self.messages.get(result.message) if result.message is not None else None
        if counts is not None and result.valid and not result.undeclared:  # the common case, kept cheap
            counts.passed += 1
            return
        if result.message is None:
            if result.errors and result.errors[0].keyword == UNREADABLE:
                self.unreadable += 1
            else:
                self.unrecognized += 1
            return
        if counts is None:
            counts = self.messages[result.message] = MessageSummary()
        if result.valid:
            counts.passed += 1
        else:
            counts.failed += 1
        # once an event: a field new in every record of a batch of ten is one event's drift, not ten
        counts.undeclared.update(dict.fromkeys(result.undeclared, 1))

    def as_json(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "passed": self.events - self.failed,
            "failed": self.failed,
            "unrecognized": self.unrecognized,
            "unreadable": self.unreadable,
            "messages": {name: counts.as_json() for name, counts in self.messages.items()},
        }


@dataclass
class CheckResult:
    """Everything one check found: the events (in input order) and the summary."""

    events: list[EventResult]
    summary: Summary
    strict: bool = False

    @property
    def ok(self) -> bool:
        """True when every event conforms (warnings count only with `strict`)."""
        return all(event.valid for event in self.events) and self.summary.failed == 0

    @property
    def exit_code(self) -> Exit:
        return Exit.OK if self.ok else Exit.FAILED

    @property
    def failures(self) -> list[EventResult]:
        return [event for event in self.events if not event.valid]

    def __bool__(self) -> bool:
        return self.ok

    def as_json(self) -> dict[str, Any]:
        """The shape of `gen check --format json` (see the README), without the document's path."""
        return {
            "events": [event.as_json() for event in self.events],
            "summary": self.summary.as_json(),
            "ok": self.ok,
        }

    def report(self, format: str = "text", *, document: str = "the document") -> str:
        """The report `gen check --format FORMAT` would print: for assertion messages in tests."""
        import io

        from generator.checker.reporters import REPORTERS

        out = io.StringIO()
        reporter = REPORTERS[format](out, document=document)
        for event in self.events:
            reporter.event(event)
        reporter.finish(self.summary)
        return out.getvalue()
