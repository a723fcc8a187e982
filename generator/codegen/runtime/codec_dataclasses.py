"""JSON data in and out of the generated dataclasses: `parse(data, Model)`, `dump(model)`.

Standard library only. `dump(parse(event, Model)) == event` for every event that fits the model: members keep
their JSON names (`Records`, `x-amz-request-id`, from each field's `metadata["json"]`), a member that was null
stays null, one that was absent stays absent, and members the model does not declare are kept (AWS adds fields
over time) and written back in their place. `extra_members(model)` shows those.

A parsed model remembers which members it came with; a model built in code writes its required fields and
every optional field whose value is not the default.
"""

from __future__ import annotations

import dataclasses
import enum
import sys
import types
import typing
from collections.abc import Mapping
from typing import Any, Literal, Self, TypeVar, overload

__all__ = ["JsonModel", "ModelError", "dump", "extra_members", "parse"]

T = TypeVar("T")
_KEYS = "__json_keys__"  # the members a parsed model came with, in their order
_EXTRA = "__json_extra__"  # members the model does not declare, kept as they came
_NO_DEFAULT: Any = object()


class ModelError(ValueError):
    """The data does not fit the model; `pointer` (RFC 6901) says where."""

    def __init__(self, pointer: str, what: str) -> None:
        self.pointer = pointer or "/"
        self.what = what
        super().__init__(f"{self.pointer}: {what}")


class JsonModel:
    """Base of the generated dataclasses: `Model.from_dict(data)` and `model.to_dict()`."""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """The model for JSON data (a parsed event); raises `ModelError` when the data does not fit."""
        return parse(data, cls)

    def to_dict(self) -> dict[str, Any]:
        """The JSON data of this model: what `from_dict` read, with any changes made since."""
        data = dump(self)
        assert isinstance(data, dict)
        return data


@dataclasses.dataclass(frozen=True)
class _Field:
    name: str
    json: str
    hint: Any
    default: Any  # _NO_DEFAULT when the field is required


_FIELDS: dict[type, tuple[tuple[_Field, ...], dict[str, _Field]]] = {}


def _fields(cls: type) -> tuple[tuple[_Field, ...], dict[str, _Field]]:
    """A class's fields with their JSON names and resolved annotations (worked out once per class)."""
    cached = _FIELDS.get(cls)
    if cached is not None:
        return cached
    hints = typing.get_type_hints(cls, vars(sys.modules[cls.__module__]))
    found = []
    for field in dataclasses.fields(cls):
        if field.default is not dataclasses.MISSING:
            default = field.default
        elif field.default_factory is not dataclasses.MISSING:
            default = field.default_factory()
        else:
            default = _NO_DEFAULT
        found.append(_Field(field.name, field.metadata.get("json", field.name), hints[field.name], default))
    _FIELDS[cls] = result = (tuple(found), {f.json: f for f in found})
    return result


def _resolve(hint: Any, module: str) -> Any:
    """A forward reference (`"Tree"` inside a type alias) as the type it names in the models' module."""
    holder = types.new_class("_Resolve", exec_body=lambda ns: ns.update(__annotations__={"hint": hint}))
    holder.__module__ = module
    return typing.get_type_hints(holder, vars(sys.modules[module]))["hint"]


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    names = {bool: "boolean", int: "integer", float: "number", str: "string", list: "array", dict: "object"}
    return names.get(type(value), type(value).__name__)


def _convert(hint: Any, value: Any, pointer: str, module: str) -> Any:
    if isinstance(hint, typing.ForwardRef | str):
        hint = _resolve(hint, module)
    if hint is Any or hint is object:
        return value
    if hint is None or hint is type(None):
        if value is not None:
            raise ModelError(pointer, f"expected null, got {_json_type(value)}")
        return None
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        return _convert_union(typing.get_args(hint), value, pointer, module)
    if origin is Literal:
        options = typing.get_args(hint)
        if not any(value == option and type(value) is type(option) for option in options):
            raise ModelError(pointer, f"expected one of {list(options)!r}, got {value!r}")
        return value
    if origin is typing.Annotated:
        return _convert(typing.get_args(hint)[0], value, pointer, module)
    if origin in (list, tuple, typing.Sequence, set, frozenset) or hint in (list, tuple):
        if not isinstance(value, list):
            raise ModelError(pointer, f"expected array, got {_json_type(value)}")
        args = typing.get_args(hint)
        item = args[0] if args else Any
        items = [_convert(item, v, f"{pointer}/{i}", module) for i, v in enumerate(value)]
        return items if origin in (list, typing.Sequence) or hint is list else (origin or hint)(items)
    if origin in (dict, typing.Mapping) or hint is dict:
        if not isinstance(value, dict):
            raise ModelError(pointer, f"expected object, got {_json_type(value)}")
        args = typing.get_args(hint)
        item = args[1] if len(args) == 2 else Any
        return {k: _convert(item, v, f"{pointer}/{_escape(k)}", module) for k, v in value.items()}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _parse_dataclass(hint, value, pointer)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        try:
            return hint(value)
        except ValueError:
            raise ModelError(pointer, f"{value!r} is not a {hint.__name__}") from None
    return _convert_scalar(hint, value, pointer)


def _convert_scalar(hint: Any, value: Any, pointer: str) -> Any:
    kind = type(value)
    if hint is bool:
        ok = kind is bool
    elif hint is int:
        ok = (kind is int) or (kind is float and float(value).is_integer())
    elif hint is float:
        ok = kind is int or kind is float  # kept as given: 1 stays 1, so the JSON comes back the same
    elif hint is str:
        ok = kind is str
    else:
        ok = isinstance(value, hint) if isinstance(hint, type) else True
    if not ok:
        name = getattr(hint, "__name__", str(hint))
        raise ModelError(pointer, f"expected {name}, got {_json_type(value)} {value!r}"[:200])
    return value


def _unknown_members(hint: Any, value: dict[str, Any]) -> int:
    """How many members of `value` a union branch does not declare: the best-fitting branch wins."""
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return sum(key not in _fields(hint)[1] for key in value)
    return 0


def _convert_union(options: tuple[Any, ...], value: Any, pointer: str, module: str) -> Any:
    if value is None and type(None) in options:
        return None
    candidates = [option for option in options if option is not type(None)]
    if isinstance(value, dict):
        candidates.sort(key=lambda option: _unknown_members(option, value))
    errors = []
    for option in candidates:
        try:
            return _convert(option, value, pointer, module)
        except ModelError as error:
            errors.append(error)
    if len(errors) == 1:
        raise errors[0]
    raise ModelError(pointer, "fits none of the allowed types: " + "; ".join(e.what for e in errors)[:300])


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _parse_dataclass(cls: type[T], value: Any, pointer: str) -> T:
    if not isinstance(value, dict):
        raise ModelError(pointer, f"expected object ({cls.__name__}), got {_json_type(value)}")
    fields, by_json = _fields(cls)
    arguments: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, item in value.items():
        field = by_json.get(key)
        if field is None:
            extra[key] = item
        else:
            arguments[field.name] = _convert(field.hint, item, f"{pointer}/{_escape(key)}", cls.__module__)
    missing = [f.json for f in fields if f.default is _NO_DEFAULT and f.name not in arguments]
    if missing:
        raise ModelError(pointer, f"{cls.__name__}: missing required member {', '.join(map(repr, missing))}")
    model = cls(**arguments)
    try:
        object.__setattr__(model, _KEYS, tuple(value))
        object.__setattr__(model, _EXTRA, extra)
    except AttributeError:  # a dataclass with __slots__ cannot remember; it is written as if built in code
        pass
    return model


@overload
def parse(data: Any, model: type[T]) -> T: ...
@overload
def parse(data: Any, model: Any) -> Any: ...
def parse(data: Any, model: Any) -> Any:
    """`data` (JSON data: dicts, lists, strings, numbers...) as `model`, a generated class or type alias.

    Raises `ModelError` (a `ValueError`) naming the JSON pointer of the first member that does not fit.
    """
    module = getattr(model, "__module__", __name__)
    return _convert(model, data, "", module)


def extra_members(model: object) -> dict[str, Any]:
    """The members a parsed model came with that its class does not declare."""
    extra: dict[str, Any] = getattr(model, _EXTRA, {})
    return extra


def dump(value: Any) -> Any:
    """The JSON data of a model, or of any value holding models (lists, dicts)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _dump_dataclass(value)
    if isinstance(value, enum.Enum):
        return dump(value.value)
    if isinstance(value, list | tuple | set | frozenset):
        return [dump(item) for item in value]
    if isinstance(value, dict):
        return {key: dump(item) for key, item in value.items()}
    return value


def _dump_dataclass(model: Any) -> dict[str, Any]:
    fields, by_json = _fields(type(model))
    came_with: tuple[str, ...] = getattr(model, _KEYS, ())
    extra = extra_members(model)
    data: dict[str, Any] = {}
    for key in came_with:  # first the members it came with, in their order
        field = by_json.get(key)
        if field is not None:
            data[key] = dump(getattr(model, field.name))
        elif key in extra:
            data[key] = dump(extra[key])
    for field in fields:  # then fields set since, or built in code
        if field.json not in data:
            current = getattr(model, field.name)
            if field.default is _NO_DEFAULT or current != field.default:
                data[field.json] = dump(current)
    for key, item in extra.items():
        data.setdefault(key, dump(item))
    return data
