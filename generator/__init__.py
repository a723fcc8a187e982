"""gen: AsyncAPI code generator and contract tester for Python event-driven code.

The library API (keyword-only options, returns values, writes only when asked):

- `load(path) -> Document` and `validate(path) -> list[Problem]`
- `generate_models(spec, output_dir, ...)` and `generate_handlers(spec, output_dir, ...)`
- `samples(spec, message, count=..., seed=..., overrides=...) -> list[dict]`
- `check(spec, events, ...) -> CheckResult`
- `build_docs(spec, output_dir, ...)`

Heavy dependencies are imported on first use, so `import generator` (and `gen --help`) stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> "module:attribute"
_API = {
    "load": "generator.loader:load",
    "validate": "generator.validation:validate",
    "Document": "generator.model:Document",
    "Problem": "generator.problems:Problem",
    "GenError": "generator.problems:GenError",
    "generate_models": "generator.codegen.api:generate_models",
    "generate_handlers": "generator.codegen.api:generate_handlers",
    "samples": "generator.sampling:samples",
    "check": "generator.checker:check",
    "build_docs": "generator.docs:build_docs",
}

__all__ = ["__version__", *_API]

if TYPE_CHECKING:
    from generator.loader import load as load
    from generator.model import Document as Document
    from generator.problems import GenError as GenError
    from generator.problems import Problem as Problem
    from generator.validation import validate as validate


def __getattr__(name: str) -> Any:
    target = _API.get(name)
    if target is None:
        raise AttributeError(f"module 'generator' has no attribute {name!r}")
    module_name, _, attribute = target.partition(":")
    value = getattr(importlib.import_module(module_name), attribute)
    globals()[name] = value
    return value
