"""Reporters: results -> text, JSON, JUnit XML or GitHub workflow annotations, streamed as results arrive.

Each reporter gets `event(result)` for every result in input order, then `finish(summary)`; the CLI picks
one from `REPORTERS` by name. Output is deterministic for a given input.
"""

from __future__ import annotations

import re
import tempfile
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

import orjson

from generator.checker.result import EventResult, Summary, Violation

UNRECOGNISED = "(unrecognised)"
UNREADABLE_ROW = "(unreadable)"
_MOST_UNDECLARED = 5


class Reporter:
    def __init__(self, out: TextIO, *, document: str) -> None:
        self.out = out
        self.document = document

    def event(self, result: EventResult) -> None:
        raise NotImplementedError

    def finish(self, summary: Summary) -> None:
        raise NotImplementedError


def _label(result: EventResult) -> str:
    if result.message is not None:
        return result.message
    if result.closest is not None:
        return f"no message matches (closest: {result.closest})"
    return "not an event" if result.errors and result.errors[0].keyword != "unreadable" else "unreadable"


def _line(result: EventResult, violation: Violation, level: str) -> str:
    where = f"{violation.pointer}: " if violation.pointer else ""
    schema = f" (schema: {violation.schema})" if violation.schema else ""
    text = f"{violation.message} [{violation.keyword}]{schema}"
    return f"{result.source}: {level}: {_label(result)}: {where}{text}"


def summary_table(summary: Summary, *, document: str) -> list[str]:
    """The summary as aligned text lines: per message, events seen, passed, failed, undeclared fields."""
    rows: list[tuple[str, int, int, int, str]] = []
    for name, counts in sorted(summary.messages.items()):
        most = counts.undeclared.most_common()
        fields = ", ".join(
            f"{path} ({n})" for path, n in sorted(most, key=lambda x: (-x[1], x[0]))[:_MOST_UNDECLARED]
        )
        if len(most) > _MOST_UNDECLARED:
            fields += f", and {len(most) - _MOST_UNDECLARED} more"
        rows.append((name, counts.seen, counts.passed, counts.failed, fields))
    if summary.unrecognized:
        rows.append((UNRECOGNISED, summary.unrecognized, 0, summary.unrecognized, ""))
    if summary.unreadable:
        rows.append((UNREADABLE_ROW, summary.unreadable, 0, summary.unreadable, ""))
    total = summary.events
    rows.append(("total", total, total - summary.failed, summary.failed, ""))
    header = ("message", "events", "passed", "failed", "undeclared fields (events)")
    width = max(len(header[0]), *(len(r[0]) for r in rows))
    lines = [f"{header[0]:<{width}}  {header[1]:>7}  {header[2]:>7}  {header[3]:>7}  {header[4]}"]
    lines += [f"{n:<{width}}  {s:>7}  {p:>7}  {f:>7}  {u}".rstrip() for n, s, p, f, u in rows]
    verdict = (
        f"all {total} events conform to {document}"
        if not summary.failed
        else f"{summary.failed} of {total} events do not conform to {document}"
    )
    return [*lines, verdict]


class TextReporter(Reporter):
    """One line per violation; each undeclared field once per message (the summary counts them)."""

    def __init__(self, out: TextIO, *, document: str) -> None:
        super().__init__(out, document=document)
        self.seen_drift: set[tuple[str | None, str]] = set()
        self.wrote = False

    def event(self, result: EventResult) -> None:
        for violation in result.errors:
            self.out.write(_line(result, violation, "error") + "\n")
            self.wrote = True
        for violation, pattern in zip(result.warnings, _patterns(result), strict=False):
            key = (result.message, pattern)
            if key not in self.seen_drift:
                self.seen_drift.add(key)
                self.out.write(_line(result, violation, "warning") + "\n")
                self.wrote = True

    def finish(self, summary: Summary) -> None:
        if self.wrote:
            self.out.write("\n")
        self.out.write("\n".join(summary_table(summary, document=self.document)) + "\n")


def _patterns(result: EventResult) -> list[str]:
    """The undeclared-field pattern of each warning (warnings that are not drift use their pointer)."""
    patterns = iter(result.undeclared)
    return [next(patterns, w.pointer) if w.keyword == "undeclared" else w.pointer for w in result.warnings]


class JsonReporter(Reporter):
    """One JSON object: ``{"document", "events": [...], "summary": {...}, "ok"}``, written as results come."""

    def __init__(self, out: TextIO, *, document: str) -> None:
        super().__init__(out, document=document)
        self.count = 0
        self.out.write('{"document":' + orjson.dumps(document).decode() + ',"events":[')

    def event(self, result: EventResult) -> None:
        self.out.write(("," if self.count else "") + "\n" + orjson.dumps(result.as_json()).decode())
        self.count += 1

    def finish(self, summary: Summary) -> None:
        tail = {"summary": summary.as_json(), "ok": not summary.failed}
        self.out.write("\n]," + orjson.dumps(tail).decode()[1:] + "\n")


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    return escape(_NOT_XML.sub("\ufffd", text))


def _attr(text: str) -> str:
    return quoteattr(_NOT_XML.sub("\ufffd", text))


class JUnitReporter(Reporter):
    """JUnit XML: one test case per event (class: its message), failures with every violation."""

    def __init__(self, out: TextIO, *, document: str) -> None:
        super().__init__(out, document=document)
        # Test cases are spooled: the suite's opening tag carries the counts, known only at the end.
        # (closed in `finish`; a context manager cannot span the calls)
        self.cases = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=8 * 1024 * 1024, mode="w+", encoding="utf-8"
        )
        self.tests = 0
        self.failures = 0

    def event(self, result: EventResult) -> None:
        self.tests += 1
        classname = result.message or (UNRECOGNISED if result.closest or result.errors else UNREADABLE_ROW)
        if result.message is None and result.errors and result.errors[0].keyword == "unreadable":
            classname = UNREADABLE_ROW
        case = f"  <testcase classname={_attr(classname)} name={_attr(result.source)}"
        if result.valid and not result.warnings:
            self.cases.write(case + "/>\n")
            return
        self.cases.write(case + ">\n")
        if not result.valid:
            self.failures += 1
            first = result.errors[0] if result.errors else Violation("", "", "invalid")
            body = "\n".join(_line(result, v, "error") for v in result.errors)
            attributes = f"message={_attr(first.message)} type={_attr(first.keyword)}"
            self.cases.write(f"    <failure {attributes}>{_xml(body)}</failure>\n")
        if result.warnings:
            body = "\n".join(_line(result, v, "warning") for v in result.warnings)
            self.cases.write(f"    <system-out>{_xml(body)}</system-out>\n")
        self.cases.write("  </testcase>\n")

    def finish(self, summary: Summary) -> None:
        counts = f'tests="{self.tests}" failures="{self.failures}" errors="0" skipped="0"'
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.out.write(f'<testsuites name="gen check" {counts}>\n')
        self.out.write(f"<testsuite name={_attr(self.document)} {counts}>\n")
        self.cases.seek(0)
        while chunk := self.cases.read(1024 * 1024):
            self.out.write(chunk)
        self.cases.close()
        self.out.write("</testsuite>\n</testsuites>\n")


_SOURCE = re.compile(r"^(?P<file>.+?)(?::(?P<line>\d+)|\[\d+\]|#.*)?$")


def _annotation_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _annotation_property(text: str) -> str:
    return _annotation_data(text).replace(":", "%3A").replace(",", "%2C")


class GitHubReporter(Reporter):
    """GitHub Actions workflow commands (``::error file=...,line=...::``), then the summary table."""

    def __init__(self, out: TextIO, *, document: str) -> None:
        super().__init__(out, document=document)
        self.seen_drift: set[tuple[str | None, str]] = set()

    def _annotate(self, level: str, result: EventResult, violation: Violation) -> None:
        match = _SOURCE.match(result.source)
        place = ""
        if match and match["file"] != "-":
            place = f"file={_annotation_property(match['file'])}"
            if match["line"]:
                place += f",line={match['line']}"
        title = f"title={_annotation_property('gen check: ' + _label(result))}"
        where = f"{violation.pointer}: " if violation.pointer else ""
        schema = f" (schema: {violation.schema})" if violation.schema else ""
        text = f"{result.source}: {where}{violation.message} [{violation.keyword}]{schema}"
        properties = ",".join(p for p in (place, title) if p)
        self.out.write(f"::{level} {properties}::{_annotation_data(text)}\n")

    def event(self, result: EventResult) -> None:
        for violation in result.errors:
            self._annotate("error", result, violation)
        for violation, pattern in zip(result.warnings, _patterns(result), strict=False):
            if (result.message, pattern) not in self.seen_drift:
                self.seen_drift.add((result.message, pattern))
                self._annotate("warning", result, violation)

    def finish(self, summary: Summary) -> None:
        self.out.write("\n".join(summary_table(summary, document=self.document)) + "\n")


REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "junit": JUnitReporter,
    "github": GitHubReporter,
}
