"""Time `gen samples` for one S3 put event against `sam local generate-event s3 put`, in one run.

    python benchmarks/bench_samples.py [--runs 5]

SAM CLI (PyPI `aws-sam-cli`) is installed into a scratch virtual environment when absent. Each run is a
fresh process, as a developer or CI sees it. Also times 100 synthesized events, which SAM cannot make.
Goal: at least 3x faster than SAM for the one event.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import venv

from _anchor import BUNDLED, REPO, SCRATCH, gen_command, report, time_command

DOCUMENT = BUNDLED if BUNDLED.exists() else REPO / "tests" / "fixtures" / "samples" / "lambda-sam.yaml"


def sam_cli() -> list[str]:
    """`sam` from a scratch venv holding aws-sam-cli, created on first use."""
    env_dir = SCRATCH / "sam-venv"
    binary = env_dir / "bin" / "sam"
    if not binary.exists():
        print(f"installing aws-sam-cli into {env_dir} ...", file=sys.stderr)
        venv.create(env_dir, with_pip=True)
        subprocess.run([str(env_dir / "bin" / "pip"), "install", "-q", "aws-sam-cli"], check=True)
    return [str(binary)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sam = sam_cli()
    ours = gen_command()
    params = ["--bucket", "photos", "--key", "holiday/me.jpg"]
    one = time_command(
        [*ours, "samples", str(DOCUMENT), "S3Event", "--example", "1", *params], runs=args.runs
    )
    theirs = time_command([*sam, "local", "generate-event", "s3", "put", *params], runs=args.runs)
    hundred = time_command(
        [*ours, "samples", str(DOCUMENT), "S3Event", "--no-examples", "--count", "100", *params],
        runs=args.runs,
    )
    print(f"document: {DOCUMENT.name}")
    report([("one S3 put event", one, theirs)], "gen", "sam")
    print(
        f"100 synthesized S3 events: {hundred:.3f}s with gen ({hundred / 100 * 1000:.1f} ms each);"
        f" SAM has no equivalent ({theirs * 100:.1f}s for 100 fixed events one by one)"
    )


if __name__ == "__main__":
    main()
