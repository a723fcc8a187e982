"""One datamodel-code-generator run, in this process or in a child that imported it ahead of time.

Importing datamodel-code-generator takes about as long as loading a large document and planning the
package (a third of a second each on the bundled document). `start_early()`, called by the CLI before it
loads anything, forks a child (`generator.forked`) that does the import meanwhile, on the second core; the
first run is then sent to it. Where forking is not safe, or the child is gone, the run happens here: same
result.

Only plain data crosses the pipe (the schema, option values, the source and metadata, warning texts),
so nothing here imports datamodel-code-generator unless it runs in this process.
"""

from __future__ import annotations

import json
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.forked import Forked


@dataclass(frozen=True)
class Job:
    schema: dict[str, Any]
    model_type: str  # a `ModelType` value
    header: str
    class_name: str


@dataclass(frozen=True)
class Outcome:
    source: Any  # the module's text (a dict of modules if datamodel-code-generator split it)
    metadata: dict[str, Any]
    #: (whether it is about datamodel-code-generator's own options, the text) of each warning it gave
    warnings: list[tuple[bool, str]]
    error: str | None = None


_early: Forked | None = None  # the child forked by `start_early`, until it is given its job


def start_early() -> None:
    """Fork the child that imports datamodel-code-generator, where forking is safe."""
    global _early
    if _early is None:
        _early = Forked.start(_import_then_generate, inbox=True)


def run(job: Job) -> Outcome:
    """The run of `job`: by the early child when there is one (it serves one job), else here."""
    global _early
    child, _early = _early, None
    if child is not None:
        child.send(job)
        outcome = child.result()
        if isinstance(outcome, Outcome):
            return outcome
    return generate(job)  # no child, or it died


def _import_then_generate(receive: Callable[[], Job]) -> Outcome:
    import datamodel_code_generator  # noqa: F401  (the point of this child: import while the parent loads)
    from datamodel_code_generator import config  # noqa: F401  (imported lazily by generate(): now instead)

    return generate(receive())


def generate(job: Job) -> Outcome:
    import datamodel_code_generator as dcg
    from datamodel_code_generator.enums import DataModelType

    output_type = {
        "dataclass": DataModelType.DataclassesDataclass,
        "pydantic": DataModelType.PydanticV2BaseModel,
        "typeddict": DataModelType.TypingTypedDict,
        "msgspec": DataModelType.MsgspecStruct,
    }[job.model_type]
    options: dict[str, Any] = {
        "input_file_type": dcg.InputFileType.JsonSchema,
        "output_model_type": output_type,
        "target_python_version": dcg.PythonVersion.PY_311,
        "class_name": job.class_name,
        "naming_strategy": "full-path",
        # TypedDict keys are the JSON names; classes get snake_case fields that know their JSON name
        "snake_case_field": job.model_type != "typeddict",
        "enum_field_as_literal": "all",
        "use_schema_description": True,
        "use_field_description": True,
        "disable_timestamp": True,
        "formatters": [],  # formatted with ruff afterwards, with every other generated file
        "custom_file_header": job.header,
    }
    if job.model_type != "typeddict":  # classes with from_dict/to_dict
        options |= {"base_class": "codec.JsonModel", "import_overrides": {"JsonModel": ".codec"}}
    if job.model_type == "msgspec":
        options["use_msgspec_tagged_unions"] = True  # the unions `schemas.tag_unions` gave a discriminator
    if job.model_type == "pydantic":
        # `Field(ge=1)`, not `conint(ge=1)`, which mypy refuses; in `Annotated`, so that a dict key of
        # patternProperties is `Annotated[str, StringConstraints(pattern=...)]`, not `constr(pattern=...)`
        options |= {"field_constraints": True, "use_annotated": True}
    if job.model_type == "dataclass":
        # keyword-only: fields keep the schema's order whatever their defaults, and calls name every argument
        options |= {"field_extra_keys": {"metadata"}, "keyword_only": True}
    with (
        tempfile.TemporaryDirectory(prefix="gen-models-") as scratch,
        warnings.catch_warnings(record=True) as seen,
    ):
        warnings.simplefilter("always")
        metadata_path = Path(scratch) / "models.json"
        try:
            source = dcg.generate(job.schema, emit_model_metadata=metadata_path, **options)
        except dcg.Error as error:
            return Outcome(source=None, metadata={}, warnings=[], error=str(error))
        metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    about_options = [issubclass(w.category, FutureWarning | DeprecationWarning) for w in seen]
    return Outcome(source, metadata, [(a, str(w.message)) for a, w in zip(about_options, seen, strict=True)])
