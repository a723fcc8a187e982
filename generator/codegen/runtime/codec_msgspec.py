"""JSON data in and out of the generated msgspec Structs: `parse(data, Model)`, `dump(model)`.

Members keep their JSON names (`field(name=...)`), a member that was null stays null and one that was absent
stays absent (`UNSET`). Structs have no place for members they do not declare: those are dropped, so an event
carrying undeclared members does not come back whole (use dataclasses or pydantic for that).
"""

from __future__ import annotations

from typing import Any, Self, TypeVar, overload

import msgspec

__all__ = ["JsonModel", "ModelError", "dump", "extra_members", "parse"]

T = TypeVar("T")
ModelError = msgspec.ValidationError


class JsonModel(msgspec.Struct):
    """Base of the generated Structs: `Model.from_dict(data)` and `model.to_dict()`."""

    @classmethod
    def from_dict(cls, data: Any) -> Self:
        """The model for JSON data (a parsed event); raises `ModelError` when the data does not fit."""
        return msgspec.convert(data, cls)

    def to_dict(self) -> dict[str, Any]:
        """The JSON data of this model."""
        data: dict[str, Any] = msgspec.to_builtins(self)
        return data


@overload
def parse(data: Any, model: type[T]) -> T: ...
@overload
def parse(data: Any, model: Any) -> Any: ...
def parse(data: Any, model: Any) -> Any:
    """`data` (JSON data) as `model`, a generated class or type alias; `ModelError` if it does not fit."""
    return msgspec.convert(data, model)


def extra_members(model: object) -> dict[str, Any]:
    """Always empty: Structs drop the members they do not declare."""
    return {}


def dump(value: Any) -> Any:
    """The JSON data of a model, or of any value holding models (lists, dicts)."""
    return msgspec.to_builtins(value)
