"""`validate`: everything wrong with a document, each fault one `Problem` at its place.

Checks, in the order a reader would fix them: the file can be read and is AsyncAPI of a supported version;
its structure follows the specification of that version (`generator.spec`); every `$ref` resolves, without
cycles, inside the allowed folders; operations name channels and messages that exist; ids and message
names are unique; schemas are valid JSON Schema; and, once every `$ref` resolves, every message example
validates against its payload and headers schemas, in 2.x and in 3.x alike (as `gen check --examples` checks
them).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.closed_members import closed_members
from generator.endless_schemas import endless_loops
from generator.loader import Loaded, load_all
from generator.loader.reader import ReadFile
from generator.loader.refs import RefError, walk_pointer
from generator.location import Source, below, unescape_token
from generator.model import Document, Example, Schema
from generator.problems import Level, Problem
from generator.unfit_values import unfit_values

if TYPE_CHECKING:
    from generator.checker.result import Violation


def validate(
    path: str | Path,
    *,
    allow_ref_outside: Sequence[str | Path] = (),
    allow_remote_refs: bool = False,
) -> list[Problem]:
    """Every problem of the document at `path`; an empty list means it is valid."""
    loaded = load_all(path, allow_ref_outside=allow_ref_outside, allow_remote_refs=allow_remote_refs)
    if loaded.document is None or loaded.root is None:
        return loaded.problems
    problems = list(structure_problems(loaded.root))
    # what the structure check said at a place, the model built from it need not say again there (an inline
    # reply channel: "expected a Reference Object", then "must be a $ref to a channel")
    said = {(p.file, p.line, p.col) for p in problems if p.line is not None}
    problems.extend(p for p in loaded.problems if (p.file, p.line, p.col) not in said)
    problems.extend(schema_problems(loaded))
    if not any(problem.level is Level.ERROR for problem in loaded.problems):
        # examples are checked against the schemas once every `$ref` resolves (a loop of them in place has
        # no end to check against)
        problems.extend(example_problems(loaded))
    root = str(loaded.root.path)  # its problems first, then those of the files it refers to
    return sorted(problems, key=lambda p: (p.file != root, p.file, p.line or 0, p.col or 0))


def _at(loaded: Loaded, source: Source, where: str, what: str, level: Level = Level.ERROR) -> Problem:
    line: int | None = None
    col: int | None = None
    read = loaded.resolver.files.get(source.file) if loaded.resolver else None
    if read is not None:
        line, col = read.position(source.pointer)
    return Problem(file=source.file, what=what, where=where, line=line, col=col, level=level)


def structure_problems(root: ReadFile) -> Iterator[Problem]:
    from generator.spec import check_structure

    for issue in check_structure(root.value, str(root.value["asyncapi"])):
        line, col = root.position(issue.path)
        where = ".".join(str(p) for p in issue.path)
        yield Problem(file=str(root.path), what=issue.message, where=where, line=line, col=col)


def _document_schemas(document: Document) -> Iterator[Schema]:
    for message in document.messages.values():
        for schema in (message.payload, message.headers):
            if schema is not None and schema.is_json_schema:
                yield schema
    for channel in document.channels.values():
        yield from (p.schema for p in channel.parameters if p.schema is not None)


def schema_problems(loaded: Loaded) -> Iterator[Problem]:
    """Schemas that are not valid JSON Schema (draft-07, the AsyncAPI Schema Object's base), schemas that
    declare what they can never hold, and payloads in a schema language gen cannot read."""
    assert loaded.document is not None
    checked = _checked(loaded.document)
    yield from invalid_schemas(loaded, checked)
    yield from _impossible(loaded, checked)
    for message in loaded.document.messages.values():
        if message.payload is not None and not message.payload.is_json_schema:
            yield _at(
                loaded,
                message.payload.source,
                message.payload.where,
                f"schemaFormat {message.payload.schema_format!r} is not supported: "
                "payload and examples not checked",
                Level.WARNING,
            )


def _checked(document: Document) -> list[tuple[Any, Source, str]]:
    """(body, source, place) of every JSON Schema of `document`: named ones, payloads, headers, parameters."""
    checked: list[tuple[Any, Source, str]] = [
        (named.body, named.source, named.where) for named in document.schemas.values()
    ]
    checked += [(s.root, s.source, s.where) for s in _document_schemas(document)]
    return checked


_DRAFT_07 = "http://json-schema.org/draft-07/schema#"


def invalid_schemas(
    loaded: Loaded, checked: list[tuple[Any, Source, str]] | None = None
) -> Iterator[Problem]:
    """Schemas that are not valid JSON Schema (draft-07): an error at each fault. Every command refuses such
    a document (`loader.load`), so this first asks jsonschema-rs's metaschema check, a microsecond a schema
    and no import of jsonschema, which the fault's sentences need."""
    import jsonschema_rs

    assert loaded.document is not None
    checked = _checked(loaded.document) if checked is None else checked
    faulty = [
        entry
        for entry in checked
        if isinstance(entry[0], dict) and not jsonschema_rs.meta.is_valid({**entry[0], "$schema": _DRAFT_07})
    ]
    if not faulty:
        return
    from jsonschema import Draft7Validator

    from generator.checker.sentences import innermost, violations

    # with the formats the metaschema asks for, as `meta.is_valid` checks them: a `pattern` that is no
    # regular expression (`(`) ended gen check's run
    meta = jsonschema_rs.Draft7Validator(Draft7Validator.META_SCHEMA, validate_formats=True)
    for body, source, where in faulty:
        # said as gen check says an event's errors (JSON values, not Python's: `true`, not `True`), and
        # through failed alternatives to what is wrong (`type: integr` is no type name)
        for error in map(innermost, meta.iter_errors(body)):
            if error.kind.name == "format" and error.kind.format != "regex":
                continue  # `$ref`s as gen names schemas (`#/$defs/Evil"Name`) are no URIs, and need not be
            for violation in violations(error, lambda _path: ""):
                path = _steps(body, violation.pointer)
                place = ".".join([where, *(str(p) for p in path)])
                what = f"invalid schema: {violation.message}{_draft4_hint(body, path)}"
                yield _at(loaded, source.child(*path), place, what)


def _impossible(loaded: Loaded, checked: list[tuple[Any, Source, str]]) -> Iterator[Problem]:
    """A warning where a schema declares what it can never hold: members a closed part of its `allOf`
    forbids, values its `enum` or `const` lists that the keywords beside them refuse, members it requires
    round a loop of schemas."""
    assert loaded.document is not None
    schemas = loaded.document.schemas
    bodies = {name: named.body for name, named in schemas.items()}  # what `#/$defs/<name>` names
    for loop in endless_loops(bodies):
        named = schemas[loop[0][0]]
        steps = ", which requires ".join(
            f"{member} ({loop[(index + 1) % len(loop)][0]})" for index, (_, member) in enumerate(loop)
        )
        what = f"no finite value matches: {loop[0][0]} requires {steps}, and so on forever"
        yield _at(loaded, named.source, named.where, what, Level.WARNING)
    for body, source, where in checked:
        for found in closed_members(body, bodies):
            place = ".".join([where, *(str(p) for p in found.path)])
            yield _at(loaded, source.child(*found.path), place, found.sentence(), Level.WARNING)
        for unfit in unfit_values(body):
            place = ".".join([where, *(str(p) for p in unfit.path)])
            yield _at(loaded, source.child(*unfit.path), place, unfit.sentence(), Level.WARNING)


def _draft4_hint(body: Any, path: tuple[str | int, ...]) -> str:
    """How to write a draft-04 boolean `exclusiveMinimum`/`exclusiveMaximum` (OpenAPI 3.0's, which schemas
    copied into AsyncAPI documents often carry) in draft-07, where it is the bound itself."""
    if not path or path[-1] not in ("exclusiveMinimum", "exclusiveMaximum"):
        return ""
    keyword = str(path[-1])
    parent = walk_pointer(body, [str(step) for step in path[:-1]])[0]
    if not isinstance(parent.get(keyword), bool):
        return ""
    bound = "minimum" if keyword == "exclusiveMinimum" else "maximum"
    if parent[keyword] and isinstance(parent.get(bound), int | float):
        fix = f"write {keyword}: {parent[bound]} in place of {bound}: {parent[bound]} and {keyword}: true"
    else:
        fix = f"{keyword} takes the bound itself"
    return f" (the boolean form is draft-04's, as OpenAPI 3.0 writes it; in draft-07, {fix})"


def _example_errors(
    loaded: Loaded, example: Example, part: str, value: Any, errors: Sequence[Violation]
) -> Iterator[Problem]:
    for error in errors:
        outside = error.pointer.split("#", 1)[0]  # an inner payload's error stands at the field that holds it
        yield _at(
            loaded,
            example.source.child(part, *_steps(value, outside)),
            below(example.where, part),
            f"example does not match the {part} schema at {error.pointer or '/'}: {error.message}"
            f" (schema: {error.schema})",
        )


def _steps(value: Any, pointer: str) -> tuple[str | int, ...]:
    """The steps of a JSON pointer into `value`, list indexes as numbers (as the document's positions are
    keyed): to a missing required member, those to the object that lacks it."""
    tokens = [unescape_token(token) for token in pointer.split("/")[1:]]
    try:
        return walk_pointer(value, tokens)[1]
    except RefError:
        return walk_pointer(value, tokens[:-1])[1]


def example_problems(loaded: Loaded) -> Iterator[Problem]:
    """Examples that do not validate, checked as `gen check --examples` checks them: the same verdicts,
    inner payloads included, and the same sentences."""
    from generator.checker.messages import MessageCheck, header_check

    assert loaded.document is not None
    for message in loaded.document.messages.values():
        if not message.examples:
            continue  # nothing to compile checks for
        payload, headers = message.payload, message.headers
        payload_check = (
            MessageCheck(message, drift=False) if payload is not None and payload.is_json_schema else None
        )
        headers_check = header_check(message) if headers is not None and headers.is_json_schema else None
        for example in message.examples:
            if example.has_payload and payload_check is not None:
                errors = payload_check.check(example.payload).errors
                yield from _example_errors(loaded, example, "payload", example.payload, errors)
            if example.has_headers and headers_check is not None:
                errors = headers_check.errors(example.headers)
                yield from _example_errors(loaded, example, "headers", example.headers, errors)
