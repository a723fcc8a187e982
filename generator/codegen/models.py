"""Payload models through datamodel-code-generator: one run per document, every class named by `schemas`.

Besides the source of `models.py`, the run reports (`emit_model_metadata`) each class's fields with their JSON
names; handler stubs use it to reach a batch's records (`event.records`) and a record's id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from generator.codegen import dcg_run
from generator.codegen.msgspec_unions import undecodable_unions
from generator.codegen.schemas import CombinedSchema, combined_schema, keeps_name, tag_unions
from generator.model import Document
from generator.problems import GenError, Kind, Level, Problem


class ModelType(StrEnum):
    DATACLASS = "dataclass"
    PYDANTIC = "pydantic"
    TYPEDDICT = "typeddict"
    MSGSPEC = "msgspec"

    @property
    def requirement(self) -> str | None:
        """The package the generated code needs besides the standard library."""
        return {"pydantic": "pydantic>=2.7", "msgspec": "msgspec>=0.18"}.get(self.value)

    @property
    def has_methods(self) -> bool:
        """Classes with `from_dict`/`to_dict` (TypedDicts are plain dicts and cannot have methods)."""
        return self is not ModelType.TYPEDDICT


@dataclass(frozen=True)
class ModelField:
    name: str  # the Python name
    json: str  # the member name in JSON
    type: str  # the annotation as written
    required: bool


@dataclass(frozen=True)
class GeneratedModels:
    source: str  # models.py, before formatting
    #: message name -> the class (or type alias) its payload parses into; absent: no payload
    message_models: dict[str, str]
    #: class name -> its fields (classes only, not type aliases)
    fields: dict[str, list[ModelField]]
    combined: CombinedSchema
    problems: list[Problem]

    def field_at(self, model: str, member: str) -> ModelField | None:
        return next((f for f in self.fields.get(model, []) if f.json == member), None)

    def is_class(self, name: str) -> bool:
        """Whether `name` is a class of the models' module, not a type alias (`A | B`, a list...) or Any."""
        return re.search(rf"^class {re.escape(name)}\b", self.source, re.MULTILINE) is not None


#: datamodel-code-generator's warning that msgspec cannot decode a named union it wrote (it tags only the
#: variants of an OpenAPI-style discriminated union); `msgspec_unions` finds these and the rest.
_UNTAGGED_UNION = re.compile(r"msgspec cannot decode the union \w+: its Struct types")


def _run(
    document: Document, model_type: ModelType, header: str, json_names: str
) -> tuple[CombinedSchema, Any, dict[str, Any], list[tuple[bool, str]]]:
    """One datamodel-code-generator run: the combined schema, the source, the models' metadata, warnings."""
    combined = combined_schema(document, json_names=json_names)
    if model_type is ModelType.MSGSPEC:
        tag_unions(combined.schema)
    outcome = dcg_run.run(dcg_run.Job(combined.schema, model_type.value, header, combined.root_name))
    if outcome.error is not None:
        problem = Problem(file=str(document.path), what=f"cannot generate models: {outcome.error}")
        raise GenError([problem])
    return combined, outcome.source, outcome.metadata, outcome.warnings


def _renamed_unmarked(metadata: dict[str, Any]) -> bool:
    """Whether a field was renamed although its JSON member was expected to keep its name (so is unmarked)."""
    return any(
        f["name"]
        and f.get("original_name")
        and f["name"] != f["original_name"]
        and keeps_name(f["original_name"])
        for model in metadata["models"]
        for f in model["fields"]
    )


def generate_models_source(document: Document, *, model_type: ModelType, header: str) -> GeneratedModels:
    """Run datamodel-code-generator once on the whole document; raise `GenError` when it cannot."""
    if model_type is ModelType.DATACLASS:
        # Fields named unlike their JSON member carry it in `metadata`; should datamodel-code-generator rename
        # one we expected it to keep, a second run marks every field.
        combined, source, metadata, seen = _run(document, model_type, header, "renamed")
        if _renamed_unmarked(metadata):
            combined, source, metadata, seen = _run(document, model_type, header, "all")
    else:
        combined, source, metadata, seen = _run(document, model_type, header, "none")
    problems: list[Problem] = []
    for about_options, text in seen:
        if about_options or combined.root_name in text:
            continue  # about datamodel-code-generator's own options, or the AnyMessage union no one decodes
        if _UNTAGGED_UNION.match(text):
            continue  # said with every other union msgspec cannot decode (`_check_msgspec_unions`)
        problems.append(Problem(file=str(document.path), what=f"models: {text}", level=Level.WARNING))
    problems.extend(combined.unfit_defaults)
    for message in combined.opaque_messages:
        assert message.payload is not None  # opaque: a payload in another schema language
        problems.append(
            Problem(
                file=str(message.payload.source.file),
                where=message.payload.where,
                what=f"schemaFormat {message.payload.schema_format!r} is not supported:"
                f" {message.name}'s payload is typed as any JSON value (Any)",
                level=Level.WARNING,
            )
        )
    if not isinstance(source, str):
        names = ", ".join(sorted(".".join(key) for key in source)) if isinstance(source, dict) else "?"
        raise GenError(
            [Problem(file=str(document.path), what=f"models came out as several modules ({names})")]
        )
    classes: dict[str, str] = {}
    fields: dict[str, list[ModelField]] = {}
    for model in metadata["models"]:
        path = model.get("source_path") or []
        if len(path) == 2 and path[0] == "$defs":
            classes[path[1]] = model["class_name"]
        if any(f["name"] for f in model["fields"]):
            fields[model["class_name"]] = [
                ModelField(f["name"], f["original_name"] or f["alias"] or f["name"], f["type"], f["required"])
                for f in model["fields"]
            ]
    if model_type is ModelType.MSGSPEC:
        _check_msgspec_names(document, fields)
        _check_msgspec_unions(document, source, combined.root_name)
    message_models = {message: classes.get(key, key) for message, key in combined.message_keys.items()}
    return GeneratedModels(source, message_models, fields, combined, problems)


def _check_msgspec_unions(document: Document, source: str, root_name: str) -> None:
    """msgspec raises TypeError on the first event of a union it cannot decode: the package would not work."""
    found = undecodable_unions(source, ignored=frozenset({root_name}))  # the AnyMessage union no one decodes
    if found:
        advice = "choose another --model-type (dataclass, pydantic or typeddict)"
        raise GenError(
            [Problem(file=str(document.path), what=f"{union}: {advice}", kind=Kind.INPUT) for union in found]
        )


def _check_msgspec_names(document: Document, fields: dict[str, list[ModelField]]) -> None:
    """msgspec refuses (at import) to name a field with a quote, a backslash or a control character."""
    for model, model_fields in fields.items():
        for f in model_fields:
            if any(ch in f.json for ch in '"\\') or any(ord(ch) < 0x20 for ch in f.json):
                what = (
                    f"msgspec Structs cannot have a member named {f.json!r} ({model}); "
                    "choose another --model-type"
                )
                raise GenError([Problem(file=str(document.path), what=what, kind=Kind.INPUT)])
