"""Structural check of an AsyncAPI document against the specification of its version.

`check_structure` validates the raw document (before `$ref` resolution) against typed models written
from the field tables of the AsyncAPI specification: 2.0-2.6 share the 2.x models, 3.0 and 3.1 the 3.x
ones. It reports every fault as one `StructureIssue`; it does not look inside Schema Objects (their
JSON Schema keywords are another component's job).

The pydantic models are imported on first use, and only for the major version asked for, so importing
this package stays cheap.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

__all__ = ["StructureIssue", "check_structure"]


@dataclass(frozen=True)
class StructureIssue:
    """One structural fault: where it is in the raw document, and one plain sentence about it."""

    path: tuple[str | int, ...]
    message: str


def check_structure(document: dict[str, object], version: str) -> list[StructureIssue]:
    """Every structural fault of `document`, an AsyncAPI document of the (supported) `version`."""
    major, _, rest = version.partition(".")
    if major not in _MODELS:
        raise ValueError(f"unsupported AsyncAPI version {version!r}")
    minor = int(rest.partition(".")[0] or 0)
    module = importlib.import_module(_MODELS[major], __name__)
    issues: list[StructureIssue] = module.check(document, minor)
    return issues


# major version -> module holding its models (imported on first use: it builds pydantic models)
_MODELS = {"2": ".v2", "3": ".v3"}
