"""Every broken document gets exactly its one-line error and exit code: no traceback, nothing written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.cli import main

BAD = Path(__file__).parent / "bad_specs"


def _cases() -> list[tuple[str, int, str]]:
    rows = []
    for line in (BAD / "EXPECTED.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, code, expected = line.split("\t", 2)
            rows.append((name, int(code), expected))
    return rows


CASES = _cases()


def test_every_bad_document_has_an_expected_error() -> None:
    listed = {name for name, _, _ in CASES}
    present = {p.name for p in BAD.iterdir() if p.is_file() and p.name != "EXPECTED.tsv"}
    assert listed == present
    assert len(listed) >= 15


@pytest.mark.parametrize(("name", "code", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_document(
    name: str,
    code: int,
    expected: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(BAD)
    before = sorted(os.listdir(BAD))
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "--quiet", name])
    out, err = capsys.readouterr()
    assert exit_info.value.code == code
    assert err.splitlines() == [expected]
    assert "Traceback" not in out + err
    assert sorted(os.listdir(BAD)) == before  # nothing written


def test_debug_is_the_only_way_to_a_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("generator.validation.validate", explode)
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", str(BAD / "empty.yaml")])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.strip() == ("gen: internal error: RuntimeError: boom (run with --debug)")
    with pytest.raises(RuntimeError, match="boom"):
        main(["--debug", "validate", str(BAD / "empty.yaml")])
    with pytest.raises(RuntimeError, match="boom"):
        main(["validate", "--debug", str(BAD / "empty.yaml")])


def test_missing_file_and_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "does/not/exist.yaml"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.strip() == "does/not/exist.yaml: error: file not found"
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "--no-such-option", "x.yaml"])
    assert exit_info.value.code == 2


@pytest.mark.parametrize(
    ("command", "code"),
    [
        (["models", "-o", "out"], 1),
        (["handlers", "-o", "out"], 1),
        (["samples", "--count", "1", "-o", "out"], 1),
        (["docs", "-o", "out"], 1),
        (["check", "--examples"], 2),  # for check the document is its input, not what it checks
    ],
    ids=lambda value: value[0] if isinstance(value, list) else str(value),
)
def test_every_command_refuses_schemas_that_loop_in_place(
    command: list[str],
    code: int,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Before the loader refused them, `gen docs` died of RecursionError and `gen check` passed any event."""
    (expected,) = [line for name, _, line in CASES if name == "cyclic-schema-in-place.yaml"]
    monkeypatch.chdir(tmp_path)
    spec = tmp_path / "cyclic-schema-in-place.yaml"
    spec.write_bytes((BAD / spec.name).read_bytes())
    with pytest.raises(SystemExit) as exit_info:
        main([command[0], spec.name, *command[1:]])
    assert exit_info.value.code == code
    assert capsys.readouterr().err.splitlines() == [expected]
    assert sorted(os.listdir(tmp_path)) == [spec.name]  # nothing written
