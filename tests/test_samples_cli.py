"""`gen samples` on the command line: output shapes and files, parameters as options, errors, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import generator
from generator.cli import cli
from generator.problems import Exit

FIXTURES = Path(__file__).parent / "fixtures" / "samples"
SHOP = str(FIXTURES / "shop-kafka.yaml")
IOT = str(FIXTURES / "iot-mqtt.yaml")


def gen(*args: str) -> subprocess.CompletedProcess[str]:
    """The real entry point, in a subprocess: exit codes and stderr exactly as users see them."""
    env_path = str(Path(__file__).parents[1])
    return subprocess.run(
        [sys.executable, "-c", "from generator.cli import main; main()", "samples", *args],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"},
    )


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["samples", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_one_example_prints_the_event_itself() -> None:
    code, out, _ = run(SHOP, "OrderCancelled")
    assert code == 0
    assert json.loads(out) == {
        "orderId": "ord-0001",
        "reason": "customer-request",
        "cancelledAt": "2024-05-01T12:00:00Z",
    }
    assert out.startswith('{\n  "orderId"'), "pretty JSON"


def test_several_events_print_a_list_and_several_messages_an_object() -> None:
    code, out, _ = run(SHOP, "OrderPlaced", "--count", "3", "--seed", "4")
    assert code == 0
    events = json.loads(out)
    assert isinstance(events, list) and len(events) == 5
    code, out, _ = run(SHOP, "OrderPlaced", "OrderCancelled")
    assert set(json.loads(out)) == {"OrderPlaced", "OrderCancelled"}


def test_named_parameters_as_options_both_spellings() -> None:
    code, out, err = run(
        SHOP, "OrderPlaced", "--order-id", "ord-5", "--note=ring twice", "--set", "/currency=GBP"
    )
    assert code == 0, err
    event = json.loads(out)
    assert event["orderId"] == "ord-5" and event["links"]["self"].endswith("/ord-5")
    assert event["links"]["noteParam"] == "ring%20twice"
    assert event["currency"] == "GBP"


def test_set_parses_json_values_else_strings() -> None:
    code, out, _ = run(
        SHOP,
        "OrderPlaced",
        "--set",
        "/lines/0/quantity=7",
        "--set",
        "/note=007",
        "--set",
        '/tags=["gift"]',
        "--set",
        "/orderId=ord 1",
    )
    assert code == 0
    event = json.loads(out)
    assert event["lines"][0]["quantity"] == 7
    assert event["note"] == "007", "not JSON (a leading zero), so a string"
    assert event["tags"] == ["gift"] and event["orderId"] == "ord 1"


def test_errors_are_one_line_with_file_and_exit_2() -> None:
    for args, expected in (
        (
            (SHOP, "OrderPlaced", "--colour", "red"),
            "unknown parameter --colour for OrderPlaced (known: --order-id",
        ),
        ((SHOP, "Nope"), "no message named 'Nope'"),
        (
            (SHOP, "OrderPlaced", "--set", "/lines/0/quantity=500"),
            "/lines/0/quantity: 500 is greater than the maximum of 99",
        ),
        ((str(FIXTURES / "missing.yaml"), "X"), "missing.yaml"),
    ):
        result = gen(*args)
        assert result.returncode == Exit.ERROR, (args, result.stderr)
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and expected in lines[0], result.stderr
        assert "Traceback" not in result.stderr


def test_invalid_example_in_the_document_exits_1() -> None:
    result = gen(str(Path(__file__).parent / "fixtures" / "check" / "mini-lambda.yaml"), "S3Event")
    assert result.returncode == Exit.FAILED
    assert "mini-lambda.yaml:65:" in result.stderr and "wrong-size" in result.stderr


def test_output_dir_layout_why_files_and_stale_files(tmp_path: Path) -> None:
    out = tmp_path / "events"
    code, _, err = run(
        SHOP, "OrderPlaced", "OrderCancelled", "--count", "4", "--invalid", "3", "-o", str(out)
    )
    assert code == 0, err
    assert sorted(p.name for p in (out / "OrderPlaced").glob("*.json")) == [f"{n}.json" for n in range(1, 7)]
    invalid = out / "OrderCancelled" / "invalid"
    assert sorted(p.name for p in invalid.iterdir()) == [
        "1.json",
        "1.why",
        "2.json",
        "2.why",
        "3.json",
        "3.why",
    ]
    why = (invalid / "1.why").read_text()
    assert why.count("\n") == 1 and " at /" in why and "(schema: components." in why
    # A smaller run leaves no stale numbered file behind, and keeps the user's own files.
    (out / "OrderPlaced" / "notes.txt").write_text("mine")
    code, _, _ = run(SHOP, "OrderPlaced", "--count", "1", "-o", str(out))
    assert sorted(p.name for p in (out / "OrderPlaced").iterdir()) == [
        "1.json",
        "2.json",
        "3.json",
        "notes.txt",
    ]


def test_array_events_are_written_as_json_lines_that_gen_check_reads_back(tmp_path: Path) -> None:
    """A message whose payload is an array (a batch): `-o` writes each event as a one-line `.jsonl`, since
    gen check reads a `.json` array as the events it holds. `gen check DOC DIR` then passes the valid ones
    and fails every near miss; a `.json` an earlier run wrote in its place is removed."""
    document = tmp_path / "batch.yaml"
    document.write_text(
        "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nchannels:\n  c:\n    address: c\n    messages:\n"
        "      Batch:\n        payload:\n          type: array\n          minItems: 1\n"
        "          items: {type: object, required: [id], properties: {id: {type: integer}}}\n"
    )
    out = tmp_path / "events"
    (out / "Batch").mkdir(parents=True)
    (out / "Batch" / "1.json").write_text("[]\n")  # as runs before this one wrote it
    code, _, err = run(str(document), "--count", "3", "--invalid", "2", "-o", str(out))
    assert code == 0, err
    assert "wrote 5 event files" in err
    assert sorted(p.name for p in (out / "Batch").iterdir()) == ["1.jsonl", "2.jsonl", "3.jsonl", "invalid"]
    assert all(len(p.read_text().splitlines()) == 1 for p in (out / "Batch").glob("*.jsonl"))
    valid = generator.check(document, sorted((out / "Batch").glob("*.jsonl")))
    assert (valid.summary.events, valid.summary.failed) == (3, 0)
    near_misses = generator.check(document, [out / "Batch" / "invalid"], strict=True)
    assert (near_misses.summary.events, near_misses.summary.failed) == (2, 2)


def test_output_is_byte_identical_on_rerun(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        assert gen(SHOP, "--count", "3", "--invalid", "2", "--seed", "9", "-o", str(folder)).returncode == 0
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files and files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for relative in files:
        assert (first / relative).read_bytes() == (second / relative).read_bytes()


def test_nothing_is_written_when_a_message_fails(tmp_path: Path) -> None:
    out = tmp_path / "events"
    result = gen(SHOP, "OrderCancelled", "OrderPlaced", "--set", "/lines/0/quantity=0", "-o", str(out))
    assert result.returncode == Exit.ERROR
    assert not out.exists()


def test_invalid_on_stdout_names_the_broken_rule() -> None:
    code, out, _ = run(IOT, "Humidity", "--no-examples", "--invalid", "3", "--seed", "1")
    assert code == 0
    value = json.loads(out)
    assert value["valid"] == []
    assert len(value["invalid"]) == 3
    for item in value["invalid"]:
        assert set(item["broken"]) == {"keyword", "pointer", "message", "schema", "change"}
        assert item["broken"]["keyword"] in {"type", "minimum", "maximum"}


def test_list_parameters_and_message_without_examples_warns() -> None:
    code, out, _ = run(SHOP, "OrderPlaced", "--list-parameters")
    assert code == 0
    assert "OrderPlaced: examples: card, paypal" in out
    assert "--order-id VALUE  The order's id; the order URL follows it (default: ord-0001)" in out
    assert "sets /links/self = https://shop.example/orders/{order-id}" in out
    result = gen(IOT, "DoorOpen")
    assert result.returncode == 0 and json.loads(result.stdout) == []
    assert "warning:" in result.stderr and "--count" in result.stderr


@pytest.mark.parametrize("args", [("OrderPlaced", "--order-id"), ("--set", "no-pointer")])
def test_malformed_options_are_usage_errors(args: tuple[str, ...]) -> None:
    result = gen(SHOP, *args)
    assert result.returncode == Exit.ERROR
    assert "Traceback" not in result.stderr


def test_message_names_cannot_escape_the_output_folder(tmp_path: Path) -> None:
    spec = tmp_path / "evil.yaml"
    spec.write_text(
        "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nchannels:\n  c:\n    address: c\n    messages:\n"
        "      m: {name: '../../escape', payload: {type: integer}, examples: [{payload: 1}]}\n"
    )
    out = tmp_path / "out"
    code, _, err = run(str(spec), "-o", str(out))
    assert code == 0, err
    written = [p for p in tmp_path.rglob("*.json")]
    assert written and all(out in p.parents for p in written)
