"""`generate_models` and `generate_handlers`: a document in, a Python package out.

One way through: load -> models (datamodel-code-generator, one run) -> plan -> templates -> ruff -> write
(owned files rewritten, stubs kept, `check` writes nothing). Both return a `GenerationResult` saying what
changed; problems that stop generation are raised as `GenError`, warnings ride along in the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.codegen.formatting import format_python
from generator.codegen.models import ModelType, generate_models_source
from generator.codegen.output import Ownership, PlannedFile, SyncResult, sync
from generator.codegen.package_name import package_name_problem
from generator.codegen.plan import SYNTHESIZED, build_plan
from generator.codegen.render import header, manifest_note, package_files
from generator.model import Document, Message
from generator.problems import GenError, Level, Problem

__all__ = ["GenerationResult", "ModelType", "generate_handlers", "generate_models"]

#: Files copied from `generator` as they are: already formatted (the golden test checks it), so not again.
VERBATIM = frozenset({"_recognition.py", "codec.py", "lambda_types.py"})


@dataclass
class GenerationResult:
    """What `generate_*` did to the output folder (with `check`: would do), and the warnings met."""

    output_dir: Path
    sync: SyncResult
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # every file of the package, relative paths

    @property
    def changed(self) -> bool:
        return self.sync.changed


def _document(
    spec: str | Path | Document, allow_ref_outside: Sequence[str | Path], allow_remote_refs: bool
) -> Document:
    if isinstance(spec, Document):
        return spec
    from generator.loader import load

    return load(spec, allow_ref_outside=allow_ref_outside, allow_remote_refs=allow_remote_refs)


def _model_type(value: str | ModelType) -> ModelType:
    try:
        return ModelType(value)
    except ValueError:
        choices = ", ".join(t.value for t in ModelType)
        raise GenError(
            [Problem(file="<options>", what=f"unknown model type {value!r} (one of: {choices})")]
        ) from None


def _check_package_name(output_dir: Path) -> None:
    problem = package_name_problem(output_dir)
    if problem is not None:
        raise GenError([problem])


def _write(
    document: Document, output_dir: Path, files: list[PlannedFile], problems: list[Problem], check: bool
) -> GenerationResult:
    python = {f.path: f.content for f in files if f.path.endswith(".py") and f.path not in VERBATIM}
    formatted = format_python(python)
    final = [PlannedFile(f.path, formatted.get(f.path, f.content), f.ownership, f.origin) for f in files]
    result = sync(output_dir, final, manifest_note=manifest_note(document), check=check)
    return GenerationResult(output_dir, result, problems + result.problems, [f.path for f in final])


def generate_models(
    spec: str | Path | Document,
    output_dir: str | Path,
    *,
    model_type: str | ModelType = ModelType.DATACLASS,
    check: bool = False,
    allow_ref_outside: Sequence[str | Path] = (),
    allow_remote_refs: bool = False,
) -> GenerationResult:
    """Write a package of payload models (`models.py`, `codec.py`) for every message and named schema."""
    kind = _model_type(model_type)
    _check_package_name(Path(output_dir))
    document = _document(spec, allow_ref_outside, allow_remote_refs)
    models = generate_models_source(document, model_type=kind, header=_models_header(document, kind))
    files = package_files(None, document, models, kind)
    return _write(document, Path(output_dir), files, list(models.problems), check)


def generate_handlers(
    spec: str | Path | Document,
    output_dir: str | Path,
    *,
    model_type: str | ModelType = ModelType.DATACLASS,
    check: bool = False,
    templates: str | Path | None = None,
    allow_ref_outside: Sequence[str | Path] = (),
    allow_remote_refs: bool = False,
) -> GenerationResult:
    """Write the handler package: models, a stub per receive operation, the router, and tests."""
    kind = _model_type(model_type)
    _check_package_name(Path(output_dir))
    document = _document(spec, allow_ref_outside, allow_remote_refs)
    models = generate_models_source(document, model_type=kind, header=_models_header(document, kind))
    problems = list(models.problems)
    examples = message_examples(document, problems)
    plan = build_plan(document, models, kind, examples)
    problems += plan.problems
    errors = [p for p in problems if p.level is Level.ERROR]
    if errors:
        raise GenError(errors)
    user_templates = Path(templates) if templates is not None else None
    files = package_files(plan, document, models, kind, user_templates=user_templates)
    return _write(document, Path(output_dir), files, problems, check)


def _models_header(document: Document, model_type: ModelType) -> str:
    how = (
        "Convert with `Model.from_dict(data)` and `model.to_dict()`, or with `codec.parse(data, Model)` and\n"
        "`codec.dump(value)`, which also take type aliases and containers of models."
        if model_type.has_methods
        else "TypedDicts are the JSON data itself, typed: `codec.parse(data, Model)` only types it."
    )
    return (
        header(document, Ownership.OWNED)
        + f'\n"""Payload models: one per message payload and per named schema of the document.\n\n{how}\n"""'
    )


def message_examples(document: Document, problems: list[Problem]) -> dict[str, list[tuple[str, Any]]]:
    """The examples of every message handlers receive or reply with, synthesized for those without any.

    A synthesized example is named `SYNTHESIZED`: tests call handlers with it, but do not expect the router to
    recognise it (a random but valid event may leave out what tells messages apart, such as an empty batch).
    """
    wanted: dict[str, Message] = {}
    for operation in document.receive_operations():
        for message in operation.messages:
            wanted.setdefault(message.name, message)
        if operation.reply:
            for message in operation.reply.messages:
                wanted.setdefault(message.name, message)
    examples: dict[str, list[tuple[str, Any]]] = {}
    for name, message in wanted.items():
        found = _valid_examples(message, problems)
        if not found and message.payload is not None and message.payload.is_json_schema:
            found = _synthesized(document, message, problems)
        examples[name] = found
    return examples


def _valid_examples(message: Message, problems: list[Problem]) -> list[tuple[str, Any]]:
    """The examples of `message` that fit its payload schema (checked as `gen validate` checks them), named;
    each that does not is left out of the generated tests (its handler would fail to parse it) with a
    warning (`gen validate` says why)."""
    from generator.checker.messages import MessageCheck

    check = MessageCheck(message, drift=False)
    found: list[tuple[str, Any]] = []
    for number, example in enumerate(message.examples, start=1):
        if not example.has_payload:
            continue
        if not check.check(example.payload).errors:
            found.append((example.name or example.summary or f"example {number}", example.payload))
            continue
        label = repr(example.name or example.summary) if example.name or example.summary else str(number)
        what = f"example {label} does not match the payload schema: left out of the generated tests"
        problems.append(
            Problem(file=str(example.source.file), where=example.where, what=what, level=Level.WARNING)
        )
    return found


def _synthesized(document: Document, message: Message, problems: list[Problem]) -> list[tuple[str, Any]]:
    from generator.sampling import samples

    try:
        events = samples(document, message.name, count=1, seed=0, examples=False)
    except GenError as error:
        problems.append(
            Problem(
                file=str(message.source.file),
                where=message.where,
                what=f"no example, and none could be synthesized ({error.problems[0].what}): "
                "the generated tests do not call its handler",
                level=Level.WARNING,
            )
        )
        return []
    return [(SYNTHESIZED, event) for event in events[:1]]
