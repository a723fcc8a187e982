"""Unions in the models: those msgspec would refuse (TypeError at its first event), found in the source, and
AsyncAPI's `discriminator`, which tags a union only where every branch holds it."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest
from test_codegen_support import import_package

from generator.codegen.api import generate_models
from generator.codegen.models import ModelType
from generator.codegen.msgspec_unions import undecodable_unions
from generator.problems import GenError

SOURCE = """\
from typing import Annotated, Any, Optional, TypeAlias, Union
from msgspec import Meta, Struct, UNSET, UnsetType
class JsonModel(Struct): pass
class A(JsonModel):
    x: int
class B(JsonModel):
    y: int
class T(JsonModel, tag_field="t", tag="t"):
    z: int
class U(JsonModel, tag_field="t", tag="u"):
    z: int
X: TypeAlias = A | B
Y: TypeAlias = T | U
class M(JsonModel):
    a: list[X] | None = None
    b: Y | UnsetType = UNSET
    c: Optional[Union[A, dict[str, Any]]] = None
    d: list[int] | list[str] | None = None
    e: Annotated[A | B, Meta(description="x")] | None = None
    f: A | None = None
    g: list[A] | dict[str, int] | None = None
"""


def test_each_union_msgspec_refuses_is_found_once_where_it_is_written() -> None:
    found = {union.where: (union.kind, union.members) for union in undecodable_unions(SOURCE)}
    assert found == {
        "X": ("Structs without a tag", ("A", "B")),  # `a: list[X]` is not said again
        "M.c": ("objects it cannot tell apart", ("A", "dict[str, Any]")),
        "M.d": ("arrays it cannot tell apart", ("list[int]", "list[str]")),
        "M.e": ("Structs without a tag", ("A", "B")),
    }
    # what msgspec itself says of each: the finder holds to its rules (tagged Structs, one object, one array)
    namespace: dict[str, object] = {}
    exec(compile(SOURCE, "models", "exec"), namespace)
    for name in ("X", "Y"):
        refused = name in found
        try:
            msgspec.json.Decoder(namespace[name])
        except TypeError:
            assert refused, name
        else:
            assert not refused, name
    model = namespace["M"]
    for member, annotation in model.__annotations__.items():  # type: ignore[attr-defined]
        field = type("Field", (msgspec.Struct,), {"__annotations__": {"v": eval(annotation, namespace)}})
        refused = f"M.{member}" in found or "X" in annotation  # `a` holds the alias found refused
        try:
            msgspec.json.Decoder(field)
        except TypeError:
            assert refused, member
        else:
            assert not refused, member


def test_ignored_aliases_are_passed_over() -> None:
    assert "X" not in {u.where for u in undecodable_unions(SOURCE, ignored=frozenset({"X"}))}


def test_a_field_union_of_structs_stops_generation_before_anything_is_written(tmp_path: Path) -> None:
    # parser-js's asyncapi-very-complex-schema: `socket: oneOf [$ref Manufactor, {...}]` in a member, which
    # datamodel-code-generator does not warn of; the package's tests failed with TypeError
    spec = tmp_path / "lights.yaml"
    spec.write_text(
        "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\n"
        "channels: {c: {messages: {m: {payload: {$ref: '#/components/schemas/Light'}}}}}\n"
        "components:\n  schemas:\n"
        "    Maker: {type: object, properties: {name: {type: string}}}\n"
        "    Light:\n      type: object\n      properties:\n"
        "        socket: {oneOf: [{$ref: '#/components/schemas/Maker'},"
        " {type: object, properties: {kind: {type: string}}}]}\n"
    )
    with pytest.raises(GenError) as refused:
        generate_models(spec, tmp_path / "app", model_type=ModelType.MSGSPEC)
    (problem,) = refused.value.problems
    assert problem.what == (
        "msgspec cannot decode Light.socket, a union of Structs without a tag (Maker, LightSocketOption2):"
        " choose another --model-type (dataclass, pydantic or typeddict)"
    )
    assert not (tmp_path / "app").exists()
    generate_models(spec, tmp_path / "app", model_type=ModelType.DATACLASS)  # the others decode it


ANIMALS = """\
asyncapi: 2.2.0
info: {title: Kotlin polymorphism, version: 1.0.0}
channels:
  animals: {publish: {message: {payload: {$ref: '#/components/schemas/Animal'}}}}
components:
  schemas:
    Animal:
      discriminator: kind
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
    Cat: {type: object, REQUIRED properties: {kind: {const: cat}, name: {type: string}}}
    Dog: {type: object, REQUIRED properties: {kind: {const: dog}, barks: {type: boolean}}}
"""


@pytest.mark.parametrize("required", [True, False], ids=["kind-required", "kind-optional"])
@pytest.mark.parametrize("model_type", [ModelType.PYDANTIC, ModelType.MSGSPEC, ModelType.DATACLASS])
def test_an_asyncapi_discriminator_tags_the_union_only_where_every_branch_holds_it(
    tmp_path: Path, model_type: ModelType, required: bool
) -> None:
    """AsyncAPI's `discriminator: kind` (asyncapi/cli's kotlin-polymorphism): pydantic refused at import a
    discriminator a branch may lack; where each branch requires its constant, models tag the union by it."""
    spec = tmp_path / "animals.yaml"
    spec.write_text(ANIMALS.replace("REQUIRED ", "required: [kind], " if required else ""))
    out = tmp_path / f"animals_{model_type.value}_{required}"
    if model_type is ModelType.MSGSPEC and not required:
        with pytest.raises(GenError, match="msgspec cannot decode Animal, a union of Structs without a tag"):
            generate_models(spec, out, model_type=model_type)
        return
    generate_models(spec, out, model_type=model_type)
    codec, models = import_package(out, "codec"), import_package(out, "models")
    for data, kind in [({"kind": "dog", "barks": True}, "Dog"), ({"kind": "cat", "name": "Tom"}, "Cat")]:
        parsed = codec.parse(data, models.Animal)
        animal = getattr(parsed, "root", parsed)  # pydantic: a RootModel
        assert type(animal).__name__ == kind
        assert codec.dump(parsed) == data
