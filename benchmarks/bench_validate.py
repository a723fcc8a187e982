"""Time `gen validate` against the AsyncAPI CLI's `asyncapi validate` on the same documents, in one run.

    python benchmarks/bench_validate.py [--runs 5]

Each run is a fresh process (cold start included, as a user or CI sees it). Prints per-document medians and
the speed-up ratio (theirs / ours). Goal: at least 5x.
"""

from __future__ import annotations

import argparse

from _anchor import BUNDLED, REPO, asyncapi_cli, gen_command, report, time_command

DOCUMENTS = [
    doc
    for doc in [
        BUNDLED,
        REPO / "tests" / "fixtures" / "loader" / "v2" / "streetlights.yaml",
        REPO / "tests" / "fixtures" / "loader" / "v3" / "catalog.json",
    ]
    if doc.exists()
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    theirs = asyncapi_cli()
    ours = gen_command()
    rows = []
    for document in DOCUMENTS:
        a = time_command([*ours, "validate", str(document)], runs=args.runs)
        b = time_command([*theirs, "validate", str(document)], runs=args.runs)
        rows.append((document.name, a, b))
    report(rows, "gen", "asyncapi")


if __name__ == "__main__":
    main()
