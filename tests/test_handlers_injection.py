"""Bad input: names and prose written to break out of generated code stay data; names come out safe.

The document names a message `x\"\"\"; import os; os.system("touch /tmp/pwned") #` and fills titles,
summaries, descriptions, enum values, examples and a channel address with quotes, newlines and escapes.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from test_codegen_support import FIXTURES, generated_tests, handlers_package, import_package

from generator.codegen.api import generate_handlers
from generator.problems import Exit, GenError

INJECTION = FIXTURES / "injection-3.0.yaml"
MARKER = Path("/tmp/pwned")


def _calls_and_imports(package: Path) -> tuple[set[str], set[str]]:
    calls, imports = set(), set()
    for source in package.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imports.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                imports.add("." * node.level + (node.module or ""))
            elif isinstance(node, ast.Call):
                calls.add(ast.unparse(node.func))
    return calls, imports


@pytest.mark.parametrize("model_type", ["dataclass", "pydantic", "typeddict"])
def test_injected_names_produce_valid_code_that_runs_nothing(model_type: str) -> None:
    existed = MARKER.exists()
    package = handlers_package(INJECTION, model_type)
    calls, imports = _calls_and_imports(package)
    assert "os" not in imports and not any(name.endswith("system") for name in calls)
    router = import_package(package, "router")
    assert list(router.ROUTES) == ['x"""; import os; os.system("touch /tmp/pwned") #']  # the name, as data
    stub = package / "handlers" / "import_os_os_system_touch_tmp_pwned.py"
    assert "def handle_import_os_os_system_touch_tmp_pwned(event: EvilSchema" in stub.read_text(
        encoding="utf-8"
    )
    tested = generated_tests(package)
    assert tested.returncode == 0, tested.stdout[-3000:]
    assert MARKER.exists() == existed


def test_msgspec_refuses_member_names_it_cannot_hold(tmp_path: Path) -> None:
    with pytest.raises(GenError) as error:
        generate_handlers(INJECTION, tmp_path / "app", model_type="msgspec")
    assert error.value.exit_code == Exit.ERROR
    assert 'msgspec Structs cannot have a member named \'a"""b\'' in error.value.problems[0].what
    assert not (tmp_path / "app").exists()
