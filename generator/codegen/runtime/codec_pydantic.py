"""JSON data in and out of the generated pydantic models: `parse(data, Model)`, `dump(model)`.

`dump(parse(event, Model)) == event` for every event that fits the model: members keep their JSON names
(aliases), a member that was null stays null, one that was absent stays absent (`exclude_unset`), and members
the model does not declare are kept (`extra="allow"`; AWS adds fields over time).
"""

from __future__ import annotations

from functools import cache
from typing import Any, Self, TypeVar, overload

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

__all__ = ["JsonModel", "ModelError", "dump", "extra_members", "parse"]

T = TypeVar("T")
ModelError = ValidationError


class JsonModel(BaseModel):
    """Base of the generated models: `Model.from_dict(data)` and `model.to_dict()`."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    @classmethod
    def from_dict(cls, data: Any) -> Self:
        """The model for JSON data (a parsed event); raises `ModelError` when the data does not fit."""
        return cls.model_validate(data)

    def to_dict(self) -> dict[str, Any]:
        """The JSON data of this model: what `from_dict` read, with any changes made since."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


@cache
def _adapter(model: Any) -> TypeAdapter[Any]:
    return TypeAdapter(model)


@overload
def parse(data: Any, model: type[T]) -> T: ...
@overload
def parse(data: Any, model: Any) -> Any: ...
def parse(data: Any, model: Any) -> Any:
    """`data` (JSON data) as `model`, a generated class or type alias; `ModelError` if it does not fit."""
    return _adapter(model).validate_python(data)


def extra_members(model: BaseModel) -> dict[str, Any]:
    """The members a parsed model came with that its class does not declare."""
    return dict(model.model_extra or {})


def dump(value: Any) -> Any:
    """The JSON data of a model, or of any value holding models (lists, dicts)."""
    return _adapter(Any).dump_python(value, mode="json", by_alias=True, exclude_unset=True)
