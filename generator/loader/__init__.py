"""Load an AsyncAPI document: read it, check it is AsyncAPI of a version we support, build the model."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.loader.build import Builder
from generator.loader.reader import ReadFile, read_file
from generator.loader.refs import RefPolicy, Resolver
from generator.model import Document
from generator.problems import GenError, Kind, Level, Problem

SUPPORTED_VERSIONS = re.compile(r"^(2\.[0-6]|3\.[01])\.\d+$")
SUPPORTED_TEXT = "2.0-2.6 and 3.0-3.1"


@dataclass
class Loaded:
    """Everything one load produced: the model (when it could be built), the raw root, and problems."""

    document: Document | None
    root: ReadFile | None
    resolver: Resolver | None
    problems: list[Problem]


def _input_problem(read: ReadFile, what: str, key: str | None = None) -> Problem:
    line, col = read.position((key,) if key else ())
    return Problem(file=str(read.path), what=what, line=line, col=col, kind=Kind.INPUT)


def check_kind(read: ReadFile) -> Problem | None:
    """A problem if the file is not an AsyncAPI document of a supported version."""
    root: Any = read.value
    if not isinstance(root, dict):
        kind = "list" if isinstance(root, list) else type(root).__name__
        return _input_problem(read, f"not an AsyncAPI document: the file holds a {kind}, not a mapping")
    if "asyncapi" not in root:
        for other, name in (("openapi", "an OpenAPI"), ("swagger", "a Swagger (OpenAPI 2)")):
            if other in root:
                return _input_problem(
                    read,
                    f"not an AsyncAPI document: this is {name} document ('{other}' field)",
                    other,
                )
        return _input_problem(read, "not an AsyncAPI document: the 'asyncapi' version field is missing")
    version = root["asyncapi"]
    if not isinstance(version, str):
        return _input_problem(
            read,
            f"'asyncapi' must be a version string such as \"3.0.0\", not {version!r}",
            "asyncapi",
        )
    if not SUPPORTED_VERSIONS.match(version):
        return _input_problem(
            read,
            f"unsupported AsyncAPI version {version!r} (supported: {SUPPORTED_TEXT})",
            "asyncapi",
        )
    return None


def load_all(
    path: str | Path,
    *,
    allow_ref_outside: Sequence[str | Path] = (),
    allow_remote_refs: bool = False,
) -> Loaded:
    """Read and build, collecting every problem instead of stopping at the first."""
    path = Path(path)
    read = read_file(path)
    if isinstance(read, Problem):
        return Loaded(None, None, None, [read])
    wrong_kind = check_kind(read)
    if wrong_kind is not None:
        return Loaded(None, read, None, [wrong_kind])
    policy = RefPolicy(
        root_dir=path.resolve().parent,
        allow_outside=tuple(Path(p) for p in allow_ref_outside),
        allow_remote=allow_remote_refs,
    )
    resolver = Resolver(read, policy)
    builder = Builder(resolver, major=int(read.value["asyncapi"][0]))
    document = builder.document(read.value, path)
    return Loaded(document, read, resolver, builder.problems)


def load(
    path: str | Path,
    *,
    allow_ref_outside: Sequence[str | Path] = (),
    allow_remote_refs: bool = False,
) -> Document:
    """Load an AsyncAPI 2.x/3.x document (YAML or JSON) into the intermediate model.

    Raises `GenError` with every problem when the file cannot be read, is not a supported AsyncAPI
    document, has references that cannot be resolved, or schemas that are not JSON Schema. Use
    `generator.validate` for a full check.
    """
    loaded = load_all(path, allow_ref_outside=allow_ref_outside, allow_remote_refs=allow_remote_refs)
    errors = [p for p in loaded.problems if p.level is Level.ERROR]
    if errors or loaded.document is None:
        raise GenError(errors)
    from generator.validation import invalid_schemas  # it reads what this package builds

    # a schema that is not JSON Schema breaks every command reading it (gen check's validators compared
    # a number with `maximum: "abc"` and ended the run; models and samples failed in their own words)
    errors = list(invalid_schemas(loaded))
    if errors:
        raise GenError(errors)
    return loaded.document
