"""Plan -> the files of the generated package (before formatting), through `templates/handlers`.

Runtime modules that are real, tested Python in `generator` (the codecs, the Lambda types, message
recognition) are copied as they are, under the header every generated file starts with.
"""

from __future__ import annotations

import keyword
from pathlib import Path
from typing import Any

import jinja2

from generator.codegen.models import GeneratedModels, ModelType
from generator.codegen.output import OWNED_HEADER, STUB_HEADER, Ownership, PlannedFile
from generator.codegen.plan import SYNTHESIZED, PackagePlan
from generator.model import Document
from generator.names import comment_text, docstring_text, python_literal
from generator.render import environment

_RUNTIME = Path(__file__).resolve().parent / "runtime"
_RECOGNITION = Path(__file__).resolve().parents[1] / "runtime" / "recognition.py"
_CODECS = {
    ModelType.DATACLASS: "codec_dataclasses.py",
    ModelType.PYDANTIC: "codec_pydantic.py",
    ModelType.TYPEDDICT: "codec_typeddict.py",
    ModelType.MSGSPEC: "codec_msgspec.py",
}


def source_label(document: Document) -> str:
    """How headers name the document: its file name, title and version (never a machine-specific path)."""
    return comment_text(f"{document.path.name} ({document.info.title} {document.info.version})", limit=160)


def header(document: Document, ownership: Ownership) -> str:
    mark = OWNED_HEADER if ownership is Ownership.OWNED else STUB_HEADER
    return f"# {mark}.\n# Source: {source_label(document)}."


def manifest_note(document: Document) -> str:
    source = source_label(document)
    return f"{OWNED_HEADER}. Source: {source}. What gen wrote, to tell your edits from its files."


def _valid_identifier(text: str) -> bool:
    return text.isidentifier() and not keyword.iskeyword(text)


def _environment(user_templates: Path | None) -> jinja2.Environment:
    env = environment(
        "handlers",
        user_templates=user_templates,
        filters={"pyrepr": python_literal, "docstring": docstring_text},
    )
    env.tests["valid_identifier"] = _valid_identifier
    return env


def _copy(document: Document, source: Path) -> str:
    return header(document, Ownership.OWNED) + "\n" + source.read_text(encoding="utf-8")


def model_files(document: Document, models: GeneratedModels, model_type: ModelType) -> list[PlannedFile]:
    """`models.py` and `codec.py` (shared by `gen models` and `gen handlers`)."""
    return [
        PlannedFile("models.py", models.source),
        PlannedFile("codec.py", _copy(document, _RUNTIME / _CODECS[model_type])),
    ]


def package_files(
    plan: PackagePlan | None,
    document: Document,
    models: GeneratedModels,
    model_type: ModelType,
    *,
    user_templates: Path | None = None,
) -> list[PlannedFile]:
    """Every file of the package: the models alone (`plan` None, `gen models`), or the handler package."""
    env = _environment(user_templates)
    owned = header(document, Ownership.OWNED)
    common: dict[str, Any] = {"header": owned, "plan": plan, "title": document.info.title}

    def render(template: str, **context: Any) -> str:
        return env.get_template(template).render(**(common | context))

    files = [
        PlannedFile(
            "__init__.py",
            render("package_init.py.j2", handlers=plan is not None, requirement=model_type.requirement),
        ),
        *model_files(document, models, model_type),
    ]
    if plan is None:
        return files
    files.append(PlannedFile("_recognition.py", _copy(document, _RECOGNITION)))
    if plan.is_lambda:
        files.append(PlannedFile("lambda_types.py", _copy(document, _RUNTIME / "lambda_types.py")))
        files.append(
            PlannedFile("router.py", render("router_lambda.py.j2", table=python_literal(plan.table)))
        )
    else:
        if any(channel.parameters_class for channel in plan.channels):
            files.append(PlannedFile("channels.py", render("channels.py.j2")))
        files.append(PlannedFile("router.py", render("router.py.j2", table=python_literal(plan.table))))
    files.append(PlannedFile("handlers/__init__.py", render("handlers_init.py.j2")))
    stub_header = header(document, Ownership.STUB)
    for handler in plan.handlers:
        files.append(
            PlannedFile(
                f"handlers/{handler.module}.py",
                render("stub.py.j2", handler=handler, header=stub_header),
                Ownership.STUB,
                origin=f"operation {handler.operation.id}",
            )
        )
    reply_models = sorted(
        {
            h.reply_model
            for h in plan.handlers
            if h.reply_model
            and h.reply_model not in ("None", "Any")
            and not h.reply_is_event
            and h.kind not in ("poll-based", "batch")
        }
    )
    files += [
        PlannedFile("tests/__init__.py", render("tests_init.py.j2")),
        PlannedFile(
            "tests/examples.py",
            render("examples.py.j2", examples=python_literal(plan.examples), synthesized=SYNTHESIZED),
        ),
        PlannedFile("tests/test_handlers.py", render("test_handlers.py.j2", reply_models=reply_models)),
    ]
    return files
