"""Shared by the code generation tests: generated packages (made once per test process) and ways to run them.

No tests here; the other `test_codegen*`/`test_handlers*`/`test_models*` modules import these helpers.
"""

from __future__ import annotations

import ast
import atexit
import functools
import importlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

from generator.codegen.api import generate_handlers, generate_models
from generator.codegen.formatting import CHECKED_RULES, IGNORED_RULES, ruff_binary, ruff_options

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "codegen"
BUNDLED = ROOT / "asyncapi" / "aws-lambda-triggers.yaml"
GOLDEN = ROOT / "output"
EVENTS = Path(__file__).resolve().parents[2] / "shared" / "events"
#: Our own documents beyond Lambda, each covering what generation must survive (see their first lines).
GENERIC = (
    "shop-3.0.yaml",
    "telemetry-2.6.yaml",
    "tree-3.0.yaml",
    "keywords-2.0.yaml",
    "shared-address-3.0.yaml",
)


@functools.cache
def scratch() -> Path:
    """One folder per test process for generated packages (removed at exit)."""
    folder = Path(tempfile.mkdtemp(prefix="gen-codegen-tests-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def package_name(document: Path, model_type: str, kind: str) -> str:
    stem = document.stem.replace("-", "_").replace(".", "_")
    return f"{kind}_{stem}_{model_type}"


@functools.cache
def handlers_package(document: Path, model_type: str = "dataclass") -> Path:
    """`gen handlers` output for `document`, as an importable package under `scratch()`."""
    target = scratch() / package_name(document, model_type, "handlers")
    generate_handlers(document, target, model_type=model_type)
    return target


@functools.cache
def models_package(document: Path, model_type: str = "dataclass") -> Path:
    target = scratch() / package_name(document, model_type, "models")
    generate_models(document, target, model_type=model_type)
    return target


def import_package(package: Path, module: str) -> ModuleType:
    """Import `<package>.<module>` from a generated package (its folder's parent goes on `sys.path`)."""
    parent = str(package.parent)
    if parent not in sys.path:
        sys.path.insert(0, parent)
    return importlib.import_module(f"{package.name}.{module}")


def third_party_imports(package: Path) -> set[str]:
    """Top-level modules a package imports that are neither its own nor the standard library's."""
    found: set[str] = set()
    for source in package.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names)


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def ruff_check(*paths: Path) -> subprocess.CompletedProcess[str]:
    """`ruff check` with the rules generated code is held to, whatever configuration surrounds it."""
    select = ["--select", CHECKED_RULES, "--ignore", IGNORED_RULES]
    return run([ruff_binary(), "check", *ruff_options(), *select, *map(str, paths)], ROOT)


def ruff_format_check(*paths: Path) -> subprocess.CompletedProcess[str]:
    return run([ruff_binary(), "format", *ruff_options(), "--check", *map(str, paths)], ROOT)


def mypy_strict(*packages: Path) -> subprocess.CompletedProcess[str]:
    """`mypy --strict` over packages (in one run: mypy's start-up is most of its cost)."""
    cache = scratch() / ".mypy_cache"
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), "--no-error-summary"]
    return run([*command, *(str(p) for p in packages)], packages[0].parent)


def generated_tests(*packages: Path) -> subprocess.CompletedProcess[str]:
    """Run the tests generated inside packages, in a fresh interpreter, as a user would."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"]
    return run([*command, *(str(p / "tests") for p in packages)], packages[0].parent)
