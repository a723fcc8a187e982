"""`generator.testing`: the helpers and the `gen_samples` fixture, used the way a user's test suite would."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from generator.testing import invalid_events, parametrize_events, sample_events

SHOP = Path(__file__).parent / "fixtures" / "samples" / "shop-kafka.yaml"


def test_helpers_return_checked_events_and_cache_the_document() -> None:
    events = sample_events(SHOP, "OrderCancelled", count=5, seed=2)
    assert len(events) == 6 and events[0]["orderId"] == "ord-0001"
    assert sample_events(SHOP, "OrderCancelled", count=5, seed=2) == events
    bad = invalid_events(SHOP, "OrderCancelled", count=4, seed=2)
    assert len(bad) == 4 and all(b.broken.keyword for b in bad)
    mark = parametrize_events(SHOP, "OrderCancelled", count=2)
    assert mark.args[0] == "event" and len(mark.args[1]) == 3


def test_plugin_fixture_and_decorators_in_a_users_test_suite(tmp_path: Path) -> None:
    (tmp_path / "test_user.py").write_text(
        textwrap.dedent(
            f"""
            from generator.testing import parametrize_events, parametrize_invalid_events
            SPEC = {str(SHOP)!r}

            def handler(event):
                if set(event) - {{"orderId", "reason", "cancelledAt", "refund", "comment"}}:
                    raise ValueError("unexpected field")
                if not {{"orderId", "reason", "cancelledAt"}} <= set(event):
                    raise ValueError("missing field")
                return event["orderId"]

            @parametrize_events(SPEC, "OrderCancelled", count=4)
            def test_accepts(event):
                assert handler(event)

            @parametrize_invalid_events(SPEC, "OrderCancelled", count=12, seed=1)
            def test_names_the_rule(invalid):
                assert invalid.broken.keyword in {{"required", "additionalProperties", "type", "enum",
                                                  "pattern", "minimum", "exclusiveMaximum", "multipleOf",
                                                  "maxLength"}}

            def test_fixture(gen_samples):
                assert len(gen_samples.events(SPEC, "OrderCancelled", count=3)) == 4
                assert gen_samples.invalid(SPEC, "OrderCancelled", count=2)
            """
        )
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-v",
            "-p",
            "no:cacheprovider",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(Path(__file__).parents[1]), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "18 passed" in result.stdout
    assert "test_names_the_rule[OrderCancelled-required@/" in result.stdout, "ids name the broken rule"
