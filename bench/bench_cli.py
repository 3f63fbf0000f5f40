"""Wall time of each ``analisis`` sub-command against a bare ``python -c pass``.

Run from the repository root: python bench/bench_cli.py [--repeats 5]

Every command runs as ``python -m analisis.cli ...`` in a fresh process (medians of
``--repeats`` runs, all in the same run as the bare interpreter baseline, so a loaded
machine shows up in both). ``paired`` reads a 23-pair CSV written to a temporary
directory; ``review`` checks ``config/published_example.yaml`` with a small search
(``--n-samples 200``) so that start-up, not the search, dominates.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAIRS_CSV = "id,pre,post\n" + "".join(
    f"K{i:02d},{60 + 4 * (i % 9)},{100 - 4 * (i % 3)}\n" for i in range(1, 24)
)


def commands(csv_path: Path) -> dict[str, list[str]]:
    """Label -> argument list after ``python``."""
    cli = ["-m", "analisis.cli"]
    review = ["review", str(ROOT / "config" / "published_example.yaml"), "--n-samples", "200"]
    return {
        "python -c pass": ["-c", "pass"],
        "analisis --help": [*cli, "--help"],
        "analisis grim": [*cli, "grim", "--mean", "99.50", "--n", "23"],
        "analisis grim --json": [*cli, "grim", "--mean", "99.50", "--n", "23", "--json"],
        "analisis paired": [*cli, "paired", str(csv_path), "--pre", "pre", "--post", "post"],
        "analisis review": [*cli, *review],
        "analisis plan paired": [*cli, "plan", "paired", "--d", "0.5", "--power", "0.9"],
    }


def wall_seconds(arguments: list[str]) -> float:
    """Seconds from start to exit of ``python ARGUMENTS`` (exit status must be 0)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *arguments], capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode:
        sys.exit(done.stderr.decode())
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "pairs.csv"
        csv_path.write_text(PAIRS_CSV, encoding="utf-8")
        print(f"{'command':>24} {'seconds':>8} {'- baseline':>11}   (medians of {args.repeats})")
        baseline = None
        for label, arguments in commands(csv_path).items():
            seconds = statistics.median(wall_seconds(arguments) for _ in range(args.repeats))
            baseline = seconds if baseline is None else baseline
            print(f"{label:>24} {seconds:8.3f} {seconds - baseline:11.3f}")


if __name__ == "__main__":
    main()
