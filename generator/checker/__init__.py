"""`gen check`: recorded events against the document's messages, every violation with its place.

Pipeline: `sources` (files, folders, stdin -> events) -> `engine.Checker` (recognition, then the message's
compiled checks in `messages`, `content`, `shape`) -> `result` -> `reporters` (text, json, junit, github).
The package is `checker`, not `check`, so that `generator.check` can be the function.
"""

from __future__ import annotations

from generator.checker.api import check, iter_check
from generator.checker.result import CheckResult, EventResult, Summary, Violation

__all__ = ["CheckResult", "EventResult", "Summary", "Violation", "check", "iter_check"]
