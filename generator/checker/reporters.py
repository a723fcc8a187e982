"""Reporters: results -> text, JSON, JUnit XML or GitHub workflow annotations, streamed as results arrive.

Each reporter gets `event(result)` for every result in input order, then `finish(summary)`; the CLI picks
one from `REPORTERS` by name. Output is deterministic for a given input.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

import orjson

from generator.checker.result import UNREADABLE, EventResult, Summary, Violation
from generator.problems import one_line

UNRECOGNISED = "(unrecognised)"
UNREADABLE_ROW = "(unreadable)"
_MOST_UNDECLARED = 5


class Reporter:
    #: Whether the report lists events that pass with nothing undeclared (else only their count shows, and
    #: `gen check` does not hand them over: `iter_check(passes=False)`).
    passes = True

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
    keyword = result.errors[0].keyword if result.errors else UNREADABLE
    return {UNREADABLE: "unreadable", "recognition": "no message matches"}.get(keyword, "not an event")


def _line(result: EventResult, violation: Violation, level: str) -> str:
    return one_line(f"{result.source}: {level}: {_label(result)}: {_violation_text(violation)}")


def _violation_text(violation: Violation) -> str:
    where = f"{violation.pointer}: " if violation.pointer else ""
    schema = f" (schema: {violation.schema})" if violation.schema else ""
    return f"{where}{violation.message} [{violation.keyword}]{schema}"


def _summary_rows(summary: Summary, *, document: str) -> tuple[list[tuple[str, int, int, int, str]], str]:
    """Per message: name, events seen, passed, failed, its most seen undeclared fields; and the verdict."""
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
    verdict = (
        f"all {total} events conform to {document}"
        if not summary.failed
        else f"{summary.failed} of {total} events do not conform to {document}"
    )
    return rows, verdict


_HEADER = ("message", "events", "passed", "failed", "undeclared fields (events)")


def summary_table(summary: Summary, *, document: str) -> list[str]:
    """The summary as aligned text lines: per message, events seen, passed, failed, undeclared fields."""
    rows, verdict = _summary_rows(summary, document=document)
    width = max(len(_HEADER[0]), *(len(r[0]) for r in rows))
    lines = [f"{n:<{width}}  {s:>7}  {p:>7}  {f:>7}  {u}".rstrip() for n, s, p, f, u in [_HEADER, *rows]]
    return [one_line(line) for line in [*lines, verdict]]


def summary_markdown(summary: Summary, *, document: str) -> str:
    """The summary as a Markdown table (GitHub's job summary). Names and field paths come from the document
    and the events: every punctuation character is escaped, so none of them is read as Markdown or HTML."""
    rows, verdict = _summary_rows(summary, document=document)
    lines = [
        "### gen check",
        "",
        "| " + " | ".join(_HEADER) + " |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    lines += [f"| {_md(n)} | {s} | {p} | {f} | {_md(u)} |" for n, s, p, f, u in rows]
    return "\n".join([*lines, "", _md(verdict), ""]) + "\n"


_MARKDOWN_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")


def _md(text: str) -> str:
    """Plain text as Markdown that shows it as it is (CommonMark: any ASCII punctuation may be escaped)."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(text.split()))


class TextReporter(Reporter):
    """One line per violation; each undeclared field once per message (the summary counts them)."""

    passes = False

    def __init__(self, out: TextIO, *, document: str) -> None:
        super().__init__(out, document=document)
        self.seen_drift: set[tuple[str | None, str]] = set()
        self.wrote = False

    def event(self, result: EventResult) -> None:
        for violation in _shown_errors(result):
            self.out.write(_line(result, violation, "error") + "\n")
            self.wrote = True
        for violation in _first_seen(result, self.seen_drift):
            self.out.write(_line(result, violation, "warning") + "\n")
            self.wrote = True

    def finish(self, summary: Summary) -> None:
        if self.wrote:
            self.out.write("\n")
        self.out.write("\n".join(summary_table(summary, document=self.document)) + "\n")


#: What a missing member is said to be: by a recognition rule (`recognition.explain`, pointer apart), and
#: by validation against the closest message (`sentences.violations`).
_MISSING = {("recognition", "is missing"), ("required", "required field is missing")}
#: An unrecognised event missing more of its closest message's members than this gets one line for them.
_MISSING_LISTED = 3
_MISSING_NAMED = 5


def _shown_errors(result: EventResult) -> Sequence[Violation]:
    """The errors of `result` as text lists them. A foreign event that shares a member with a message lacks
    most of that message's members: one line names them, after the errors that say more (a wrong constant),
    rather than a line each (JSON and JUnit keep every one)."""
    errors = result.errors
    if result.closest is None:
        return errors
    missing = [e for e in errors if (e.keyword, e.message) in _MISSING and e.pointer]
    if len(missing) <= _MISSING_LISTED:
        return errors
    named = ", ".join(e.pointer for e in missing[:_MISSING_NAMED])
    more = f", and {len(missing) - _MISSING_NAMED} more" if len(missing) > _MISSING_NAMED else ""
    first = missing[0]
    grouped = Violation("", first.keyword, f"{len(missing)} members are missing: {named}{more}", first.schema)
    return [*(e for e in errors if e not in missing), grouped]


def _first_seen(result: EventResult, seen: set[tuple[str | None, str]]) -> list[Violation]:
    """The warnings of `result` not seen before for its message (an undeclared field by its pattern, so
    each is shown once, not once an event), now seen."""
    new: list[Violation] = []
    if not result.warnings:  # most events
        return new
    for violation, pattern in zip(result.warnings, _patterns(result), strict=False):
        if (result.message, pattern) not in seen:
            seen.add((result.message, pattern))
            new.append(violation)
    return new


def _patterns(result: EventResult) -> list[str]:
    """The undeclared-field pattern of each warning (warnings that are not drift use their pointer)."""
    patterns = iter(result.undeclared)
    return [next(patterns, w.pointer) if w.keyword == "undeclared" else w.pointer for w in result.warnings]


class JsonReporter(Reporter):
    """One JSON object: ``{"document", "events": [...], "summary": {...}, "ok"}``, written as results come."""

    def __init__(self, out: TextIO, *, document: str) -> None:
        super().__init__(out, document=document)
        self.count = 0
        #: (message, also) of clean passes -> what follows the source in their JSON, written once
        self.rests: dict[tuple[str | None, tuple[str, ...]], str] = {}
        self.out.write('{"document":' + orjson.dumps(document).decode() + ',"events":[')

    def event(self, result: EventResult) -> None:
        separator = ",\n" if self.count else "\n"
        self.count += 1
        if result.clean and result.closest is None:  # most: only the source differs from one to the next
            key = (result.message, result.also)
            rest = self.rests.get(key)
            if rest is None:
                whole = orjson.dumps(result._replace(source="").as_json()).decode()
                rest = self.rests[key] = whole.removeprefix('{"source":""')
            self.out.write(f'{separator}{{"source":{orjson.dumps(result.source).decode()}{rest}')
            return
        self.out.write(separator + orjson.dumps(result.as_json()).decode())

    def finish(self, summary: Summary) -> None:
        tail = {"summary": summary.as_json(), "ok": not summary.failed}
        self.out.write("\n]," + orjson.dumps(tail).decode()[1:] + "\n")


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    return escape(_NOT_XML.sub("\ufffd", text))


#: Text that an XML attribute holds as it is (most events' sources: paths, line numbers, indexes).
_PLAIN_ATTRIBUTE = re.compile(r"[\w./:\[\]#@+=, -]*")


def _attr(text: str) -> str:
    if _PLAIN_ATTRIBUTE.fullmatch(text):  # nothing to escape: quoted at once, as most sources are
        return f'"{text}"'
    return quoteattr(_NOT_XML.sub("\ufffd", text))


def _headline(errors: Sequence[Violation], first: Violation) -> str:
    """A failure's message, what CI test tabs show of it on one line: the first violation, where it is
    (\"is missing\" alone names no member), and how many more the failure's text holds."""
    where = f"{first.pointer}: " if first.pointer else ""
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return one_line(f"{where}{first.message}{more}")


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
        self.classnames: dict[str, str] = {}  # a message -> its attribute, escaped once
        self.spooling: list[str] = []  # clean passes' test cases, written to `cases` a batch at a time

    def event(self, result: EventResult) -> None:
        self.tests += 1
        classname = result.message or (UNRECOGNISED if result.closest or result.errors else UNREADABLE_ROW)
        if result.message is None and result.errors and result.errors[0].keyword == "unreadable":
            classname = UNREADABLE_ROW
        attribute = self.classnames.get(classname)
        if attribute is None:
            attribute = self.classnames[classname] = _attr(classname)
        case = f"  <testcase classname={attribute} name={_attr(result.source)}"
        if result.clean:  # most: kept, and written with others (a write to the spool costs a microsecond)
            self.spooling.append(case + "/>\n")
            if len(self.spooling) >= 1024:
                self._spool()
            return
        self._spool()
        self.cases.write(case + ">\n")
        if not result.valid:
            self.failures += 1
            first = result.errors[0] if result.errors else Violation("", "", "invalid")
            body = "\n".join(_line(result, v, "error") for v in result.errors)
            attributes = f"message={_attr(_headline(result.errors, first))} type={_attr(first.keyword)}"
            self.cases.write(f"    <failure {attributes}>{_xml(body)}</failure>\n")
        if result.warnings:
            body = "\n".join(_line(result, v, "warning") for v in result.warnings)
            self.cases.write(f"    <system-out>{_xml(body)}</system-out>\n")
        self.cases.write("  </testcase>\n")

    def _spool(self) -> None:
        if self.spooling:
            self.cases.write("".join(self.spooling))
            self.spooling.clear()

    def finish(self, summary: Summary) -> None:
        self._spool()
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


#: Annotations of one kind GitHub shows for a step (and 50 a job); the rest are dropped without a word.
ANNOTATIONS_SHOWN = 10


class GitHubReporter(Reporter):
    """GitHub Actions workflow commands (``::error file=...,line=...::``), then the summary table.

    GitHub shows ten error and ten warning annotations a step, so each is worth an event, not a violation:
    one error annotation per failing event, holding every violation (one line each), and one warning
    annotation per event that shows undeclared fields not seen before. When more were written than GitHub
    shows, a notice says so. With ``$GITHUB_STEP_SUMMARY`` set (in a workflow), the summary table is added
    to the job summary too, as Markdown.
    """

    passes = False

    def __init__(self, out: TextIO, *, document: str) -> None:
        super().__init__(out, document=document)
        self.seen_drift: set[tuple[str | None, str]] = set()
        self.written = {"error": 0, "warning": 0}

    def _annotate(self, level: str, result: EventResult, violations: list[Violation]) -> None:
        match = _SOURCE.match(result.source)
        place = ""
        if match and match["file"] != "-":
            place = f"file={_annotation_property(match['file'])}"
            if match["line"]:
                place += f",line={match['line']}"
        title = f"title={_annotation_property('gen check: ' + _label(result))}"
        lines = [one_line(_violation_text(violation)) for violation in violations]
        if len(lines) > 1:
            count = f"{len(lines)} {'violations' if level == 'error' else 'undeclared fields'}"
            lines.insert(0, count)
        text = f"{one_line(result.source)}: " + "\n".join(lines)
        properties = ",".join(p for p in (place, title) if p)
        self.out.write(f"::{level} {properties}::{_annotation_data(text)}\n")
        self.written[level] += 1

    def event(self, result: EventResult) -> None:
        if result.errors:
            self._annotate("error", result, list(result.errors))
        new = _first_seen(result, self.seen_drift)
        if new:
            self._annotate("warning", result, new)

    def finish(self, summary: Summary) -> None:
        over = [f"{n} {level}s" for level, n in self.written.items() if n > ANNOTATIONS_SHOWN]
        if over:
            text = (
                f"GitHub shows {ANNOTATIONS_SHOWN} annotations of a kind per step, and this step wrote "
                f"{' and '.join(over)}: all are in its log, and the summary counts every event"
            )
            self.out.write(f"::notice title=gen check::{_annotation_data(text)}\n")
        self.out.write("\n".join(summary_table(summary, document=self.document)) + "\n")
        job_summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if job_summary:
            try:
                with open(job_summary, "a", encoding="utf-8") as handle:
                    handle.write(summary_markdown(summary, document=self.document))
            except OSError as error:
                why = _annotation_data(
                    f"cannot add to the job summary {job_summary}: {error.strerror or error}"
                )
                self.out.write(f"::warning title=gen check::{why}\n")


REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "junit": JUnitReporter,
    "github": GitHubReporter,
}
