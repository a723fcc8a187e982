"""Shared by the benchmarks: install the anchor tools into a scratch folder, time whole commands."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

SCRATCH = Path(os.environ.get("GEN_BENCH_DIR", "/tmp/gen-bench"))
REPO = Path(__file__).resolve().parents[1]
BUNDLED = REPO / "asyncapi" / "aws-lambda-triggers.yaml"


def gen_command() -> list[str]:
    """`gen` from the environment running the benchmark (a fresh process each run: cold)."""
    found = shutil.which("gen", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "generator"]


def npm_install(folder: Path, package: str, installed: Path) -> Path:
    """`npm install package` into its own scratch folder, unless `installed` (a path in it) exists."""
    if not installed.exists():
        folder.mkdir(parents=True, exist_ok=True)
        print(f"installing {package} into {folder} ...", file=sys.stderr)
        subprocess.run(["npm", "init", "-y"], cwd=folder, check=True, capture_output=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", package],
            cwd=folder,
            check=True,
            capture_output=True,
        )
    return installed


def asyncapi_cli() -> list[str]:
    """The AsyncAPI CLI (npm `@asyncapi/cli`), installed into the scratch folder when absent."""
    node_dir = SCRATCH / "node"
    binary = node_dir / "node_modules" / ".bin" / "asyncapi"
    if not binary.exists():
        npm_install(node_dir, "@asyncapi/cli", binary)
        # no analytics prompt or upload during timing
        subprocess.run([str(binary), "config", "analytics", "--disable"], capture_output=True)
    return [str(binary)]


def npm_package(name: str) -> Path:
    """An npm package (e.g. a generator template) installed into the AsyncAPI CLI's scratch folder."""
    node_dir = SCRATCH / "node"
    return npm_install(node_dir, name, node_dir / "node_modules" / name)


def time_command(command: Sequence[str], *, runs: int, cwd: Path | None = None) -> float:
    """Median wall-clock seconds of `runs` fresh runs of a command (its exit code is not judged)."""
    times = []
    env = {**os.environ, "NO_COLOR": "1", "ASYNCAPI_METRICS": "false"}
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(list(command), cwd=cwd, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(rows: list[tuple[str, float, float]], ours: str, theirs: str) -> None:
    """Print a table of (case, our seconds, their seconds) with the ratio, and the overall ratio."""
    width = max(len(case) for case, _, _ in rows)
    print(f"{'case':<{width}}  {ours:>10}  {theirs:>10}  {'speed-up':>8}")
    for case, a, b in rows:
        print(f"{case:<{width}}  {a:>9.3f}s  {b:>9.3f}s  {b / a:>7.1f}x")
    total_a = sum(a for _, a, _ in rows)
    total_b = sum(b for _, _, b in rows)
    print(f"{'total':<{width}}  {total_a:>9.3f}s  {total_b:>9.3f}s  {total_b / total_a:>7.1f}x")
