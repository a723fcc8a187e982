"""Building blocks of the 2.x and 3.x models: base object, references, schemas, error sentences.

Conventions every model follows:

- A spec object is a `SpecObject`: unknown fixed fields are errors, `x-` fields (Specification
  Extensions) are dropped before validation, and types are strict (no "1" -> 1 coercion).
- An optional field is written `name: T = OPTIONAL`: absent is fine, but an explicit `null` is still
  checked against `T` and reported, as the spec has no null values except where it says so.
- "X | Reference Object" is `RefOr[X]`: a mapping with `$ref` is a Reference, anything else is an X, so a
  fault yields one error from the branch the author meant instead of one per union member.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PlainValidator,
    Tag,
    model_validator,
)
from pydantic_core import PydanticCustomError

from generator.model import is_json_schema_format

#: Default of optional fields. Typed Any so that `title: str = OPTIONAL` type-checks while the field's
#: own type stays exact (a `null` in the document is validated, and reported, like any other value).
OPTIONAL: Any = None

# Union tags name the branch a value was validated against. Pydantic puts them in error locations;
# errors.py drops them, so they are spelled in a way no document key plausibly is.
REF_TAG = "<reference>"
OBJECT_TAG = "<object>"
ONE_OF_TAG = "<oneOf>"
MULTI_FORMAT_TAG = "<multi-format schema>"
SCHEMA_TAG = "<schema>"
UNION_TAGS = frozenset({REF_TAG, OBJECT_TAG, ONE_OF_TAG, MULTI_FORMAT_TAG, SCHEMA_TAG})

#: Prefix of the custom error types raised here; errors.py uses their message as the sentence.
ERROR_PREFIX = "asyncapi_"


def fault(kind: str, sentence: str, at: tuple[str | int, ...] = ()) -> PydanticCustomError:
    """A validation error carrying a finished sentence (pydantic fills in only the context's own keys, and
    this one has no {at}), placed `at` a path below the value validated (one item of a list)."""
    return PydanticCustomError(ERROR_PREFIX + kind, sentence, {"at": at} if at else None)


class SpecObject(BaseModel):
    """An AsyncAPI object: fixed fields only, plus any `x-` Specification Extension."""

    model_config = ConfigDict(extra="forbid", strict=True)

    @model_validator(mode="before")
    @classmethod
    def _drop_extensions(cls, data: Any) -> Any:
        # Extensions may hold any value, so they are removed rather than declared; whatever else is
        # left over is then an unknown fixed field and `extra="forbid"` reports each one by name.
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not (isinstance(k, str) and k.startswith("x-"))}
        return data


class Reference(BaseModel):
    """Reference Object: `$ref` is required; the spec says other properties SHALL be ignored."""

    model_config = ConfigDict(extra="ignore", strict=True)

    ref: str = Field(alias="$ref")


def is_reference(value: Any) -> bool:
    return isinstance(value, dict) and "$ref" in value


def _pick_ref_or_object(value: Any) -> str:
    return REF_TAG if is_reference(value) else OBJECT_TAG


_T = TypeVar("_T")

# Type checkers see the plain union; at run time pydantic gets the discriminated one.
if TYPE_CHECKING:
    RefOr: TypeAlias = Reference | _T
else:

    class RefOr:
        """`RefOr[X]`: the spec's "X | Reference Object", discriminated on the presence of `$ref`."""

        def __class_getitem__(cls, item: Any) -> Any:
            return Annotated[
                Annotated[Reference, Tag(REF_TAG)] | Annotated[item, Tag(OBJECT_TAG)],
                Discriminator(_pick_ref_or_object),
            ]


def describe(value: Any) -> str:
    """`value` as a sentence fragment: its kind, and itself when short."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int):
        return f"an integer ({value})"
    if isinstance(value, float):
        return f"a number ({value})"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"a string ({shown!r})"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return f"a {type(value).__name__} ({value})"


def _require_reference(value: Any) -> Any:
    if not is_reference(value):
        got = "an inline object" if isinstance(value, dict) else describe(value)
        raise fault("reference", f"expected a Reference Object (a mapping with '$ref'), got {got}")
    return value


#: A field the spec types as Reference Object only (3.x `channel`, `messages`, `servers`).
RefOnly = Annotated[Reference, BeforeValidator(_require_reference)]


def _check_schema(value: Any) -> Any:
    if not isinstance(value, dict | bool):
        raise fault("schema", f"expected a schema (a mapping or a boolean), got {describe(value)}")
    return value


#: Schema Object or Reference Object: only its shape is checked here (a `$ref` is a mapping too); the
#: JSON Schema keywords are validated elsewhere, against the metaschema.
Schema = Annotated[Any, PlainValidator(_check_schema)]

#: Bindings objects are protocol-specific: any mapping is accepted (a Reference is one too).
Bindings = dict[str, Any]


def check_schema_for_format(value: Any, schema_format: Any) -> Any:
    """A payload in `schema_format`: AsyncAPI and JSON Schema ones are schemas; others may be anything
    (an Avro or Protobuf definition), so they are left to their own parsers."""
    if schema_format is None or (isinstance(schema_format, str) and is_json_schema_format(schema_format)):
        return _check_schema(value)
    return value


def _unique_tag_names(tags: list[Any]) -> list[Any]:
    seen: dict[str, int] = {}
    for index, tag in enumerate(tags):
        name = getattr(tag, "name", None)  # a Reference Object has none
        if isinstance(name, str):
            if name in seen:
                sentence = f"tag {name!r} is listed twice (also item {seen[name]}): tag names must be unique"
                raise fault("tags", sentence, at=(index, "name"))
            seen[name] = index
    return tags


#: A list of Tag Objects (or, in 3.x, references to them): "each tag name in the list MUST be unique".
UniqueTags = AfterValidator(_unique_tag_names)


_COMPONENT_KEY = re.compile(r"^[a-zA-Z0-9\.\-_]+$")


def _check_component_key(key: str) -> str:
    if not _COMPONENT_KEY.match(key):
        raise fault("component_key", rf"component name {key!r} does not match ^[a-zA-Z0-9\.\-_]+$")
    return key


#: Key of a Components Object map; the spec says they MUST match `^[a-zA-Z0-9\.\-_]+$`.
ComponentKey = Annotated[str, AfterValidator(_check_component_key)]
