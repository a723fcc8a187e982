"""Generated packages type-check (`mypy --strict`), lint, import, and their own generated tests pass.

For the bundled document with every model type, our small Lambda document, the documents beyond Lambda
(several messages on a channel, a string payload, recursion, allOf/oneOf/anyOf, enums, keyword and dotted
names, channel parameters, a union msgspec decodes only tagged), and the document whose names try to break
out of the code. One mypy run and one pytest run cover them all: starting those tools is most of what they
cost.
"""

from __future__ import annotations

from pathlib import Path

from test_codegen_support import (
    BUNDLED,
    FIXTURES,
    GENERIC,
    GOLDEN,
    generated_tests,
    handlers_package,
    mypy_strict,
    ruff_check,
    ruff_format_check,
    third_party_imports,
)

PACKAGES: list[tuple[Path, str]] = [
    *((BUNDLED, model_type) for model_type in ("dataclass", "pydantic", "typeddict", "msgspec")),
    *((FIXTURES / "lambda-mini.yaml", model_type) for model_type in ("dataclass", "pydantic", "typeddict")),
    *((FIXTURES / name, "dataclass") for name in GENERIC),
    (FIXTURES / "shop-3.0.yaml", "pydantic"),
    (FIXTURES / "tagged-3.0.yaml", "msgspec"),
    *((FIXTURES / "injection-3.0.yaml", model_type) for model_type in ("dataclass", "pydantic", "typeddict")),
]
ALLOWED = {"dataclass": set(), "typeddict": set(), "pydantic": {"pydantic"}, "msgspec": {"msgspec"}}


def _packages() -> list[Path]:
    return [handlers_package(document, model_type) for document, model_type in PACKAGES]


def test_generated_packages_pass_mypy_strict_ruff_and_their_own_tests() -> None:
    packages = _packages()
    for (_, model_type), package in zip(PACKAGES, packages, strict=True):
        assert third_party_imports(package) <= ALLOWED[model_type], package.name
    checked = ruff_check(*packages)
    assert checked.returncode == 0, checked.stdout
    formatted = ruff_format_check(*packages)
    assert formatted.returncode == 0, formatted.stdout
    typed = mypy_strict(*packages, GOLDEN)
    assert typed.returncode == 0, typed.stdout + typed.stderr
    tested = generated_tests(*packages)
    assert tested.returncode == 0, tested.stdout[-4000:] + tested.stderr[-2000:]
    assert " passed" in tested.stdout and "failed" not in tested.stdout
