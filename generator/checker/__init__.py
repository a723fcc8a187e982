"""`gen check`: recorded events against the document's messages, every violation with its place.

Pipeline: `sources` (files, folders, stdin -> events) -> `engine.Checker` (recognition, then the message's
compiled checks in `messages`, `content`, `shape`) -> `result` -> `reporters` (text, json, junit, github).
The package is `checker`, not `check`, so that `generator.check` can be the function.

The API is imported on first use, as `generator`'s is: `gen validate` checks examples with `messages`
alone, without starting the engine, the readers and the parallel runner.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# public name -> its module
_API = {
    "check": "generator.checker.api",
    "iter_check": "generator.checker.api",
    "CheckResult": "generator.checker.result",
    "EventResult": "generator.checker.result",
    "Summary": "generator.checker.result",
    "Violation": "generator.checker.result",
}

__all__ = ["CheckResult", "EventResult", "Summary", "Violation", "check", "iter_check"]

if TYPE_CHECKING:
    from generator.checker.api import check as check
    from generator.checker.api import iter_check as iter_check
    from generator.checker.result import CheckResult as CheckResult
    from generator.checker.result import EventResult as EventResult
    from generator.checker.result import Summary as Summary
    from generator.checker.result import Violation as Violation


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'generator.checker' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
