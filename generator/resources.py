"""Files shipped with the package: Jinja templates and the bundled AsyncAPI documents.

In a wheel they live inside the package (`generator/_templates`, `generator/_asyncapi`); in a source
checkout or
an editable install they are the top-level `templates/` and `asyncapi/` folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(packaged: str, in_checkout: str) -> Path:
    inside = _PACKAGE / packaged
    return inside if inside.is_dir() else _PACKAGE.parent / in_checkout


def templates_dir() -> Path:
    return _shipped("_templates", "templates")


def bundled_dir() -> Path:
    return _shipped("_asyncapi", "asyncapi")


def bundled_document(name: str = "aws-lambda-triggers") -> Path:
    """The path of a bundled document, by file stem (`aws-lambda-triggers`)."""
    return bundled_dir() / f"{name}.yaml"
