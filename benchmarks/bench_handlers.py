"""Time `gen handlers` against the AsyncAPI CLI's `asyncapi generate models python` (Modelina), in one run.

    python benchmarks/bench_handlers.py [--runs 5]

Both generate from the bundled document into a fresh scratch folder on every run, each run a fresh process
(cold start included, as a user or CI sees it). `gen handlers` writes more than Modelina does: the models
and also the stubs, router, tests, formatted with ruff. Prints the medians and the speed-up ratio (theirs /
ours). Goal: at least 3x. Also times `gen models` and `gen handlers --check` (the pre-commit hook).
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from _anchor import BUNDLED, SCRATCH, asyncapi_cli, gen_command, report, time_command


def fresh(name: str) -> Path:
    folder = SCRATCH / "out" / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    return folder


def timed_into_fresh_folder(command: list[str], folder: Path, runs: int) -> float:
    total = 0.0
    for _ in range(runs):
        shutil.rmtree(folder, ignore_errors=True)
        total += time_command([*command, "-o", str(folder)], runs=1)
    return total / runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not BUNDLED.exists():
        raise SystemExit(f"{BUNDLED} is missing")
    theirs = [*asyncapi_cli(), "generate", "models", "python", str(BUNDLED)]
    ours = gen_command()
    modelina = timed_into_fresh_folder(theirs, fresh("modelina"), args.runs)
    handlers_dir = fresh("gen-handlers")
    rows = [
        (
            "gen handlers (models, stubs, router, tests)",
            timed_into_fresh_folder([*ours, "handlers", str(BUNDLED)], handlers_dir, args.runs),
            modelina,
        ),
        (
            "gen models (dataclasses)",
            timed_into_fresh_folder([*ours, "models", str(BUNDLED)], fresh("gen-models"), args.runs),
            modelina,
        ),
        (
            "gen models --model-type pydantic",
            timed_into_fresh_folder(
                [*ours, "models", str(BUNDLED), "--model-type", "pydantic"], fresh("gen-pydantic"), args.runs
            ),
            modelina,
        ),
    ]
    check = [*ours, "handlers", str(BUNDLED), "-o", str(handlers_dir), "--check"]
    time_command([*ours, "handlers", str(BUNDLED), "-o", str(handlers_dir)], runs=1)
    rows.append(("gen handlers --check (up to date)", time_command(check, runs=args.runs), modelina))
    report(rows, "gen", "modelina")


if __name__ == "__main__":
    main()
