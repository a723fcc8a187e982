"""The datamodel-code-generator run done by a child forked early: the same result, and never a hang."""

from __future__ import annotations

import sys

import pytest

from generator.codegen import dcg_run

JOB = dcg_run.Job(
    schema={
        "$defs": {"Order": {"type": "object", "properties": {"order-id": {"type": "string"}}}},
        "$ref": "#/$defs/Order",
    },
    model_type="dataclass",
    header="# test",
    class_name="AnyMessage",
)


@pytest.fixture
def needs_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork even if the test runner left a thread running in this process (the child never touches it)."""
    if sys.platform != "linux":
        pytest.skip("the early child is forked on Linux only")
    monkeypatch.setattr("generator.forked.can_fork", lambda: True)


@pytest.mark.usefixtures("needs_fork")
def test_the_early_child_gives_what_a_run_here_gives() -> None:
    dcg_run.start_early()
    assert dcg_run._early is not None, "a child was forked"
    assert dcg_run.run(JOB) == dcg_run.generate(JOB)
    assert dcg_run._early is None, "it serves one job"


@pytest.mark.usefixtures("needs_fork")
def test_a_dead_child_means_the_run_happens_here() -> None:
    dcg_run.start_early()
    assert dcg_run._early is not None
    child = dcg_run._early._process
    child.kill()
    child.join()
    outcome = dcg_run.run(JOB)
    assert outcome.error is None and "order_id" in outcome.source


def test_its_warnings_come_back_as_text() -> None:
    dangling = dcg_run.Job({"$ref": "#/$defs/Missing"}, "dataclass", "#", "AnyMessage")
    outcome = dcg_run.generate(dangling)
    assert outcome.error is None
    assert any(not about_options and "Missing" in text for about_options, text in outcome.warnings)
