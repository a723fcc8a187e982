"""JSON data as the generated TypedDicts: `parse(data, Model)`, `dump(model)`.

A TypedDict *is* the JSON data, typed: `parse` checks nothing and copies nothing (the router has recognised
the message already), and `dump` gives the data back as it is, so the round trip is exact.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast, overload

__all__ = ["ModelError", "dump", "extra_members", "parse"]

T = TypeVar("T")


class ModelError(ValueError):
    """Never raised for TypedDicts; defined so that code handling it works with every model type."""


@overload
def parse(data: Any, model: type[T]) -> T: ...
@overload
def parse(data: Any, model: Any) -> Any: ...
def parse(data: Any, model: Any) -> Any:
    """`data` typed as `model`: TypedDicts are plain dicts, so this is the data itself."""
    return cast(Any, data)


def extra_members(model: object) -> dict[str, Any]:
    """Always empty: a TypedDict keeps every member in the dict itself."""
    return {}


def dump(value: Any) -> Any:
    """The JSON data of a model: for TypedDicts, the value itself."""
    return value
