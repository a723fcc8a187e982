"""`gen check`: reports (text, json, junit, github), exit codes, output files, standard input, pre-commit."""

from __future__ import annotations

import io
import json
import os
import re
import stat
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
import yaml

from generator.checker import EventResult
from generator.checker.reporters import REPORTERS
from generator.checker.sources import MAX_EVENT_BYTES as READER_LIMIT
from generator.cli import main
from generator.cli.check import FORMATS, MAX_EVENT_BYTES

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "check"
MINI = str(FIXTURES / "mini-lambda.yaml")
BUNDLED = str(ROOT / "asyncapi" / "aws-lambda-triggers.yaml")
POSITIVE = FIXTURES / "events" / "positive"
NEGATIVE = FIXTURES / "events" / "negative"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(["check", *args])
    out, err = capsys.readouterr()
    code = exit_info.value.code
    return int(code) if isinstance(code, int) else 2, out, err


def test_conforming_events_exit_0_with_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, MINI, str(POSITIVE))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["message", "events", "passed", "failed", "undeclared", "fields", "(events)"]
    assert lines[-2].split() == ["total", "9", "9", "0"]
    assert lines[-1] == f"all 9 events conform to {MINI}"


def test_text_report_one_line_per_violation(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys, MINI, str(NEGATIVE / "s3-size-string.json"), str(NEGATIVE / "sqs-from-elsewhere.json")
    )
    assert code == 1
    assert out.splitlines()[:2] == [
        f"{NEGATIVE}/s3-size-string.json: error: S3Event: /Records/0/s3/object/size: "
        'expected integer, got string "12" [type] '
        "(schema: components.schemas.S3Record.properties.s3.properties.object.properties.size.type)",
        f"{NEGATIVE}/sqs-from-elsewhere.json: error: no message matches (closest: SQSEvent): "
        '/Records/0/eventSource: is "aws:mq", expected "aws:sqs" [recognition] '
        "(schema: components.messages.SQSEvent.payload)",
    ]
    assert "(unrecognised)" in out
    assert out.splitlines()[-1] == f"2 of 2 events do not conform to {MINI}"


def test_text_report_names_the_missing_members_of_a_foreign_event_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An Application Load Balancer event shares members with API Gateway's, and lacks 17 of them: one
    line names them after the error that says more; three or fewer keep a line each; JSON keeps all."""
    alb = json.loads(
        (ROOT.parent / "shared/events/powertools-lambda-python/_negative/albEvent.json").read_text()
    )
    wrong = {**alb, "resource": 7}  # an error that is not a missing member, listed on its own
    few = {k: v for k, v in alb.items() if k != "requestContext"}
    few.update({"multiValueHeaders": {}, "multiValueQueryStringParameters": None, "pathParameters": None})
    path = tmp_path / "events.jsonl"
    path.write_text("".join(json.dumps(event) + "\n" for event in (wrong, few)))
    code, out, _ = _run(capsys, BUNDLED, str(path))
    assert code == 1
    first, second = ([line for line in out.splitlines() if line.startswith(f"{path}:{n}:")] for n in (1, 2))
    label = f"{path}:1: error: no message matches (closest: APIGatewayProxyEvent): "
    assert first[0].startswith(label + "/resource: expected string, got integer 7 [type]")
    assert first[1].startswith(
        label + "16 members are missing: /multiValueHeaders, /multiValueQueryStringParameters, "
        "/pathParameters, /stageVariables, /requestContext/accountId, and 11 more [required] (schema: "
    )
    assert len(first) == 2
    assert [line.split(": ")[4] for line in second] == ["/resource", "/stageVariables", "/requestContext"]
    _, out, _ = _run(capsys, BUNDLED, "--format", "json", str(path))
    assert len(json.loads(out)["events"][0]["errors"]) == 17


def test_json_report_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys, MINI, "--format", "json", str(POSITIVE / "batch.json"), str(NEGATIVE / "empty.json")
    )
    assert code == 1
    report = json.loads(out)
    assert set(report) == {"document", "events", "summary", "ok"}
    assert report["document"] == MINI
    assert report["ok"] is False
    assert [(e["source"], e["message"], e["valid"]) for e in report["events"]] == [
        (f"{POSITIVE}/batch.json[0]", "S3Event", True),
        (f"{POSITIVE}/batch.json[1]", "EventBridgeEvent", True),
        (f"{NEGATIVE}/empty.json", None, False),
    ]
    assert report["events"][2]["errors"] == [
        {"pointer": "", "keyword": "unreadable", "message": "empty: no events", "schema": ""}
    ]
    assert report["summary"]["unreadable"] == 1
    assert set(report["events"][0]) == {"source", "message", "valid", "also", "closest", "errors", "warnings"}


def test_junit_report_parses_as_junit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    weird = tmp_path / "weird.json"
    weird.write_text(json.dumps({"Records": [{"eventSource": 'aws:s3\u0001<&>"', "s3": {}}]}))
    output = tmp_path / "reports" / "junit.xml"
    code, out, _ = _run(
        capsys, MINI, "-f", "junit", "-o", str(output), str(POSITIVE), str(NEGATIVE), str(weird)
    )
    assert (code, out) == (1, "")
    assert [p.name for p in output.parent.iterdir()] == ["junit.xml"]  # no temporary file left behind
    root = ElementTree.parse(output).getroot()
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    failures = [case for case in cases if case.find("failure") is not None]
    assert int(suite.get("tests", "")) == len(cases) == int(root.get("tests", "")) > 20
    assert int(suite.get("failures", "")) == len(failures) > 10
    size = next(c for c in cases if c.get("name") == f"{NEGATIVE}/s3-size-string.json")
    assert size.get("classname") == "S3Event"
    failure = size.find("failure")
    assert failure is not None and failure.get("type") == "type"
    # the headline CI tabs show: where, what, and how many more the text holds
    assert failure.get("message") == '/Records/0/s3/object/size: expected integer, got string "12"'
    assert "/Records/0/s3/object/size" in (failure.text or "")
    odd = next(c for c in cases if c.get("name") == str(weird))
    assert odd.get("classname") == "(unrecognised)"


def test_github_annotations(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One error annotation per failing event with every violation, one warning per event with undeclared
    fields not seen before (GitHub shows ten of a kind per step), a notice when more were written, and the
    summary added to the job summary as Markdown whose punctuation is escaped."""
    valid = json.loads((POSITIVE / "s3-put.json").read_text())
    drifted = json.loads(json.dumps(valid))
    drifted["Records"][0]["zz_new"] = 1
    drifted["Records"][0]["zz_other"] = 2
    lines = [valid, {"Records": [{"eventSource": 1}]}, drifted, drifted] + [
        {"Records": [{"eventSource": 1}]}
    ] * 11
    path = tmp_path / "events.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    job_summary = tmp_path / "summary.md"
    job_summary.write_text("before\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(job_summary))
    code, out, _ = _run(capsys, MINI, "--format", "github", str(path))
    assert code == 1
    annotations = [line for line in out.splitlines() if line.startswith("::")]
    errors = [a for a in annotations if a.startswith("::error ")]
    assert len(errors) == 12  # one per failing event
    first = errors[0]
    assert first.startswith(f"::error file={path},line=2,title=gen check%3A no message matches (closest%3A ")
    text = first.split("::", 2)[2].split("%0A")
    assert text[0] == f"{path}:2: {len(text) - 1} violations"
    assert '/Records/0/eventSource: is 1, expected "aws:s3" [recognition] ' in text[1]
    assert text[1].endswith("(schema: components.messages.S3Event.payload)")
    warnings = [a for a in annotations if a.startswith("::warning ")]
    assert (
        len(warnings) == 1
        and f"line=3,title=gen check%3A S3Event::{path}:3: 2 undeclared fields%0A" in warnings[0]
    )
    assert annotations[-1] == (
        "::notice title=gen check::GitHub shows 10 annotations of a kind per step, and this step wrote 12 "
        "errors: all are in its log, and the summary counts every event"
    )
    assert out.splitlines()[-1] == f"12 of 15 events do not conform to {MINI}"
    markdown = job_summary.read_text().splitlines()
    assert markdown[:4] == [
        "before",
        "### gen check",
        "",
        "| message | events | passed | failed | undeclared fields (events) |",
    ]
    assert (
        r"| S3Event | 3 | 3 | 0 | \/Records\/\*\/zz\_new \(2\)\, \/Records\/\*\/zz\_other \(2\) |" in markdown
    )
    assert r"| \(unrecognised\) | 12 | 0 | 12 |  |" in markdown

    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path))  # a folder: not writable as a file
    code, out, _ = _run(capsys, MINI, "--format", "github", str(POSITIVE / "s3-put.json"))
    assert code == 0
    assert out.splitlines()[-1].startswith(
        f"::warning title=gen check::cannot add to the job summary {tmp_path}: "
    )


def test_reports_show_control_characters_of_names_escaped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A member named with a control character (an escape sequence, a bell) is shown escaped in every
    report a terminal or a CI page shows, as the text report shows it; JUnit's headline says where and how
    many violations there are."""
    event = json.loads((POSITIVE / "s3-put.json").read_text())
    event["Records"][0]["s3"]["object"]["size"] = "12"
    event["Records"][0]["s3"]["object"]["\u001b[31mred"] = 1
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(event))
    code, out, _ = _run(capsys, MINI, "--strict", "--format", "github", str(path))
    assert code == 1 and "\x1b" not in out
    assert "/Records/0/s3/object/\\x1b[31mred" in out
    output = tmp_path / "junit.xml"
    code, _, _ = _run(capsys, MINI, "--strict", "--format", "junit", "-o", str(output), str(path))
    failure = ElementTree.parse(output).getroot().find("testsuite/testcase/failure")
    assert failure is not None
    assert (
        failure.get("message") == '/Records/0/s3/object/size: expected integer, got string "12" (and 1 more)'
    )


def test_output_to_a_device_or_an_unwritable_place(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`-o /dev/null` writes to the device (renaming a file over it would replace it, as root); a place
    that cannot be written is one line naming it, exit 2, not an internal error about a temporary file."""
    code, out, err = _run(capsys, MINI, "-o", os.devnull, str(POSITIVE / "s3-put.json"))
    assert (code, out, err) == (0, "", "")
    assert stat.S_ISCHR(Path(os.devnull).stat().st_mode)
    (tmp_path / "reports").write_text("a file, where a folder should be")
    target = tmp_path / "reports" / "report.txt"
    code, out, err = _run(capsys, MINI, "-o", str(target), str(POSITIVE / "s3-put.json"))
    assert (code, out) == (2, "")
    assert err.startswith(f"{target}: error: cannot write: ") and err.count("\n") == 1


def test_standard_input(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    data = (POSITIVE / "s3-put.json").read_text().replace("\n", "") + "\n{oops\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data.encode()))))
    code, out, _ = _run(capsys, MINI, "-")
    assert code == 1
    assert out.splitlines()[0].startswith("-:2: error: unreadable: invalid JSON: ")


def test_examples_alone(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, MINI, "--examples")
    assert code == 1  # the mini document's second S3 example is wrong on purpose
    assert (
        "#/components/messages/S3Event/examples/1/payload: error: S3Event: /Records/0/s3/object/size" in out
    )


def test_strict_fails_on_drift(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    event = json.loads((POSITIVE / "s3-put.json").read_text())
    event["Records"][0]["awsRegion"] = "eu-west-1"
    path = tmp_path / "drift.json"
    path.write_text(json.dumps(event))
    code, out, _ = _run(capsys, MINI, str(path))
    assert code == 0
    assert (
        f"{path}: warning: S3Event: /Records/0/awsRegion: field is not declared in the schema [undeclared]"
        in out
    )
    assert "/Records/*/awsRegion (1)" in out
    code, out, _ = _run(capsys, MINI, "--strict", str(path))
    assert code == 1
    assert f"{path}: error: S3Event: /Records/0/awsRegion" in out


def test_control_characters_in_names_are_shown_escaped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # a member named with a newline kept its violation on two lines; a terminal escape was sent, not shown
    event = json.loads((POSITIVE / "s3-put.json").read_text())
    event["Records"][0]["x\n\x1b[31mé"] = 1
    path = tmp_path / "drift.json"
    path.write_text(json.dumps(event))
    code, out, _ = _run(capsys, MINI, str(path))
    assert code == 0
    assert out.splitlines()[0] == (
        f"{path}: warning: S3Event: /Records/0/x\\n\\x1b[31mé: field is not declared in the schema"
        " [undeclared] (schema: components.schemas.S3Record)"
    )
    assert "/Records/*/x\\n\\x1b[31mé (1)" in out
    assert "\x1b" not in out


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ([MINI], "give EVENTS"),
        ([MINI, "no-such-events"], "no-such-events: error: no such file or folder"),
        (["no-such-spec.yaml", str(POSITIVE)], "no-such-spec.yaml"),
        (
            ["no-such-spec.yaml", "no-such-events"],
            "no-such-spec.yaml: error: file not found\nno-such-events: error: no such file or folder",
        ),
        ([MINI, "--message", "Nope", str(POSITIVE)], "no message named 'Nope'"),
        ([MINI, "--format", "xml", str(POSITIVE)], "'xml' is not one of"),
        ([str(NEGATIVE / "s3-size-string.json"), str(POSITIVE)], "not an AsyncAPI document"),
        # a schema that is not JSON Schema: said as gen validate says it, before any event is read (its
        # `maximum: "abc"` ended the run with an internal error)
        (
            [str(FIXTURES / "invalid-maximum.yaml"), str(POSITIVE)],
            "invalid-maximum.yaml:5:56: error: channels.c.messages.m.payload.properties.n.maximum: invalid"
            ' schema: expected number, got string "abc"',
        ),
    ],
)
def test_usage_and_bad_documents_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], error: str
) -> None:
    code, out, err = _run(capsys, *args)
    assert code == 2
    assert error in err
    assert "Traceback" not in err + out


@pytest.mark.parametrize("name", [["--message", "Nope"], ["--channel", "nowhere"]])
@pytest.mark.parametrize("format_", ["json", "junit", "text"])
def test_an_unknown_name_starts_no_report(
    capsys: pytest.CaptureFixture[str], name: list[str], format_: str
) -> None:
    """A usage error is one line on stderr: nothing of a report (no half-written JSON or XML) on stdout."""
    code, out, err = _run(capsys, MINI, *name, "--format", format_, str(POSITIVE))
    assert (code, out) == (2, "")
    assert len(err.strip().splitlines()) == 1 and name[1] in err


def test_progress_bar_is_off_when_piped_and_harmless_when_forced(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, MINI, str(POSITIVE))
    assert (code, err) == (0, "")
    forced = _run(capsys, MINI, "--progress", str(POSITIVE))
    assert forced[:2] == (0, out)


def test_progress_bar_runs_no_thread_that_a_fork_of_workers_could_catch(tmp_path: Path) -> None:
    import threading

    from generator.cli.check import _progress_bar

    (tmp_path / "a.jsonl").write_text("{}\n")
    with _progress_bar(True, (str(tmp_path),)) as advance:
        advance(1)
        advance(2)
        assert threading.active_count() == 1


def test_cli_tables_match_the_library() -> None:
    assert set(FORMATS) == set(REPORTERS)
    assert MAX_EVENT_BYTES == READER_LIMIT


def test_pre_commit_hooks() -> None:
    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"gen-check", "gen-check-examples", "gen-handlers-check"}
    for hook in hooks.values():
        assert hook["entry"].startswith("gen ")
        assert hook["language"] == "python"
    assert hooks["gen-check"]["entry"] == "gen check"
    pattern = re.compile(hooks["gen-check"]["files"])
    assert all(pattern.search(name) for name in ("a.json", "b.jsonl", "c.ndjson.gz", "d.json.gz"))
    assert not pattern.search("asyncapi.yaml")
    assert hooks["gen-check-examples"]["entry"] == "gen check --examples"
    assert hooks["gen-handlers-check"]["entry"] == "gen handlers --check"
    assert not hooks["gen-handlers-check"]["pass_filenames"]


def test_jobs_run_ends_cleanly_as_a_process(tmp_path: Path) -> None:
    """A whole `gen check --jobs 2` process: its workers and their executor end with it, and nothing is
    printed on standard error (no traceback from an exit handler racing a closing pipe)."""
    import subprocess

    event = json.dumps(json.loads((POSITIVE / "s3-put.json").read_text()))
    events = tmp_path / "events.jsonl"
    events.write_text((event + "\n") * 3000)
    done = subprocess.run(
        [sys.executable, "-m", "generator", "check", MINI, str(events), "--jobs", "2"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert "all 3000 events conform" in done.stdout


@pytest.mark.parametrize("format_", FORMATS)
def test_a_report_that_leaves_out_clean_passes_is_not_given_them(format_: str) -> None:
    """`gen check` hands a report the clean passes only when it lists them (`Reporter.passes`): for the
    others, the report written from every result and the one written without those are the same."""
    import generator

    drifting = json.loads((POSITIVE / "s3-put.json").read_text()) | {"addedByAws": 1}
    results = list(generator.check(MINI, [POSITIVE, NEGATIVE, drifting, drifting]).events)
    assert any(r.clean for r in results) and any(r.valid and not r.clean for r in results)
    lean = _written(format_, [r for r in results if not r.clean], counted=results)
    assert (_written(format_, results) == lean) is not REPORTERS[format_].passes


def test_junit_test_cases_come_in_input_order_with_every_name_escaped(tmp_path: Path) -> None:
    """Clean passes are written a batch at a time, failures at once: the cases keep the events' order,
    and names that need escaping (a `"`, `<`, `&`, a control character) are escaped, the others not."""
    import generator

    valid = json.loads((POSITIVE / "s3-put.json").read_text())
    wrong = json.loads((NEGATIVE / "s3-size-string.json").read_text())
    events = [valid, wrong] + [valid] * 1500 + [wrong, valid]
    results = [
        result._replace(source=f'odd "name" <&>\x01 {n}' if n % 500 == 7 else f"dir/events.jsonl:{n}")
        for n, result in enumerate(generator.check(MINI, events).events)
    ]
    cases = ElementTree.fromstring(_written("junit", results)).findall("testsuite/testcase")
    assert [case.get("name") for case in cases] == [r.source.replace("\x01", "\ufffd") for r in results]
    assert [case.find("failure") is not None for case in cases] == [not r.valid for r in results]


def test_json_report_events_are_the_results_as_json() -> None:
    """Clean passes are written from a template per verdict (only their source differs): every event of
    the report is still its result's `as_json()`, in order."""
    import generator

    valid = json.loads((POSITIVE / "s3-put.json").read_text())
    scheduled = json.loads((POSITIVE / "scheduled.json").read_text())  # an EventBridge event too: `also`
    events = [valid, scheduled, valid | {"addedByAws": 1}, {"x": 1}, valid, "text", scheduled]
    checked = generator.check(MINI, events).events
    results = [result._replace(source=f'dir/"{n}".json') for n, result in enumerate(checked)]
    results.append(results[0]._replace(also=("Other",)))  # one message, another verdict
    assert json.loads(_written("json", results))["events"] == [result.as_json() for result in results]
    assert results[1].also and any(not r.clean for r in results)


def _written(format_: str, results: list[EventResult], counted: list[EventResult] | None = None) -> str:
    """The report in `format_` of `results`, its summary counting `counted` (by default, those)."""
    from generator.checker import Summary

    summary = Summary()
    for result in results if counted is None else counted:
        summary.add(result)
    out = io.StringIO()
    reporter = REPORTERS[format_](out, document=MINI)
    for result in results:
        reporter.event(result)
    reporter.finish(summary)
    return out.getvalue()
