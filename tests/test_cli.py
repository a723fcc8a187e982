"""The CLI shell every command shares: version, help, exit codes, and staying light to start."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import generator
from generator.cli import main
from generator.resources import bundled_document

FIXTURES = Path(__file__).parent / "fixtures" / "loader"
HEAVY = ("pydantic", "jsonschema", "datamodel_code_generator", "hypothesis", "schemathesis", "mkdocs", "rich")


def _modules_after(code: str, *, whole_names: bool = False) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys; print(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.split()) if whole_names else {name.split(".")[0] for name in out.split()}


def test_help_and_version_import_nothing_heavy() -> None:
    loaded = _modules_after(
        "from generator.cli import cli\n"
        "try:\n    cli.main(['--help'], standalone_mode=False)\nexcept SystemExit:\n    pass"
    )
    assert not loaded & set(HEAVY)


def test_loading_a_document_imports_no_generator_machinery() -> None:
    loaded = _modules_after(f"import generator; generator.load({str(FIXTURES / 'v3' / 'catalog.json')!r})")
    assert not loaded & {"datamodel_code_generator", "hypothesis", "schemathesis", "mkdocs", "pydantic"}


def test_validating_examples_does_not_start_the_checkers_engine() -> None:
    """`gen validate` checks examples with the checker's message checks, not its engine, readers, typed
    fast path or parallel runner (importing those cost it about 70 ms a run)."""
    bundled = bundled_document()
    loaded = _modules_after(
        f"import generator; assert generator.validate({str(bundled)!r}) == []", whole_names=True
    )
    assert "generator.checker.messages" in loaded
    heavy = {f"generator.checker.{name}" for name in ("engine", "api", "typed", "sources", "parallel")}
    assert not loaded & heavy


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"gen, version {generator.__version__}"


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for name in ("validate", "models", "handlers", "samples", "check", "docs"):
        assert f"  {name} " in out


def test_validate_several_documents(capsys: pytest.CaptureFixture[str]) -> None:
    good = [str(FIXTURES / "v2" / "streetlights.yaml"), str(FIXTURES / "v3" / "catalog.json")]
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", *good])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.splitlines() == [f"{good[0]}: valid", f"{good[1]}: valid"]
    bad = str(Path(__file__).parent / "bad_specs" / "bad-example.yaml")
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", *good, bad])
    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines()[-1] == f"{bad}: 1 problem"
    assert "example does not match the payload schema at /quantity" in captured.err


def test_unreadable_input_wins_over_invalid(capsys: pytest.CaptureFixture[str]) -> None:
    bad_specs = Path(__file__).parent / "bad_specs"
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", str(bad_specs / "bad-example.yaml"), str(bad_specs / "empty.yaml")])
    assert exit_info.value.code == 2


def test_python_api_returns_problems_without_printing(capsys: pytest.CaptureFixture[str]) -> None:
    problems = generator.validate(Path(__file__).parent / "bad_specs" / "missing-channel.yaml")
    assert [p.where for p in problems] == ["operations.onShipment.channel"]
    assert problems[0].line == 15
    assert capsys.readouterr() == ("", "")


def test_ctrl_c_exits_130_with_one_word(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """130, as shells report an interrupted command; no traceback."""
    import generator.validation

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(generator.validation, "validate", interrupted)
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", str(FIXTURES / "v3" / "catalog.json")])
    assert exit_info.value.code == 130
    assert capsys.readouterr().err.strip() == "aborted"
