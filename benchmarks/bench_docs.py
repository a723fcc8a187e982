"""Time `gen docs --build` against the AsyncAPI CLI's `asyncapi generate fromTemplate` with
`@asyncapi/markdown-template`, on the same documents, in one run.

    python benchmarks/bench_docs.py [--runs 5]

Each run is a fresh process writing into an empty folder (cold start included, as in CI). Ours writes the
MkDocs project *and* builds the HTML site (strict); theirs writes one Markdown file. Prints per-document
medians and the speed-up (theirs / ours). Goal: at least 3x on the bundled document.

`@asyncapi/markdown-template` 1.x is used: 2.x requires generator 3, which the AsyncAPI CLI does not ship yet.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from _anchor import BUNDLED, REPO, SCRATCH, asyncapi_cli, gen_command, npm_install, report

MARKDOWN_TEMPLATE = "@asyncapi/markdown-template@1"
DOCUMENTS = [
    doc
    for doc in [
        BUNDLED,
        REPO / "tests" / "fixtures" / "docs" / "shop-3.0.yaml",
        REPO / "tests" / "fixtures" / "spec_examples" / "streetlights-mqtt-2.6.yml",
    ]
    if doc.exists()
]


def markdown_template() -> Path:
    """The template, installed with npm into a scratch folder of its own when absent."""
    folder = SCRATCH / "markdown-template"
    return npm_install(folder, MARKDOWN_TEMPLATE, folder / "node_modules" / "@asyncapi" / "markdown-template")


def time_into_fresh_folder(command: Sequence[str], *, runs: int) -> float:
    """Median seconds of `runs` runs of `command + [folder]`, each into a new empty folder; fails loudly."""
    times = []
    env = {**os.environ, "NO_COLOR": "1", "ASYNCAPI_METRICS": "false"}
    for _ in range(runs):
        folder = Path(tempfile.mkdtemp(prefix="bench-docs-"))
        try:
            start = time.perf_counter()
            done = subprocess.run([*command, str(folder)], capture_output=True, text=True, env=env)
            times.append(time.perf_counter() - start)
            if done.returncode != 0 or not any(folder.iterdir()):
                raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    theirs = asyncapi_cli()
    template = markdown_template()
    ours = gen_command()
    rows = []
    for document in DOCUMENTS:
        a = time_into_fresh_folder([*ours, "docs", str(document), "--build", "-o"], runs=args.runs)
        b = time_into_fresh_folder(
            [
                *theirs,
                "generate",
                "fromTemplate",
                str(document),
                str(template),
                "--force-write",
                "--no-interactive",
                "-o",
            ],
            runs=args.runs,
        )
        rows.append((document.name, a, b))
    report(rows, "gen docs --build", "asyncapi markdown")


if __name__ == "__main__":
    main()
