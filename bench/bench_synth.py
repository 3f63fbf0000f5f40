"""The generator at scale: ``python -m analisis.synth --villages N``; time, memory, disk.

Each repeat writes a fresh programme into a scratch folder that is also its ``--root``
(so the config names files relative to it, as in a checkout), next to a baseline
measured in the same run: the bare start-up, ``python -c "import analisis.synth.cli"``
(all that the command imports before it writes anything; ``import analisis.synth``
alone loads only the package's docstring). Wall and CPU seconds (user + system) and
peak memory are the generator's own (``RUSAGE_CHILDREN`` of a wrapper that runs only
it): on a shared machine the CPU seconds vary less than the wall time. Disk is what its
files take (allocated blocks, as ``du`` counts them), with their number.

Run from the repository root with the project's environment active::

    python bench/bench_synth.py --villages 1000 --repeats 3
    python bench/bench_synth.py --villages 10000 --repeats 1
    python bench/bench_synth.py --villages 1000 --repeats 3 --follow-up
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from measure import measured

ROOT = Path(__file__).resolve().parents[1]
BARE_START = "import analisis.synth.cli"


def disk_use(folder: Path) -> tuple[float, int]:
    """MiB allocated to the files below ``folder`` (512-byte blocks, as ``du``), and their count.

    Examples
    --------
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_text("x")
    >>> size, count = disk_use(folder)
    >>> count, size < 1
    (1, True)
    """
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_blocks * 512 for p in files) / 2**20, len(files)


def one_generation(villages: int, follow_up: bool) -> dict[str, float]:
    """Generate a programme once in a scratch folder: seconds, CPU seconds, peak MiB, disk."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "programme"
        command = [sys.executable, "-m", "analisis.synth", "--villages", str(villages)]
        command += ["--out", str(out), "--root", str(out)]
        if follow_up:
            command.append("--follow-up")
        usage = measured(command, ROOT)
        disk, files = disk_use(out)
    return {**usage, "disk": disk, "files": files}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--villages", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--follow-up", action="store_true", help="with a delayed test")
    args = parser.parse_args()
    baseline, rows = [], []
    for _ in range(args.repeats):
        baseline.append(measured([sys.executable, "-c", BARE_START], ROOT)["seconds"])
        rows.append(one_generation(args.villages, args.follow_up))
    base = statistics.median(baseline)
    median = {key: statistics.median(row[key] for row in rows) for key in rows[0]}
    kind = "programme with a delayed test" if args.follow_up else "programme"
    n = f"{args.villages} villages, median of {args.repeats}"
    per_thousand = median["seconds"] / args.villages * 1000
    print(f"bare start-up, `{BARE_START}`: {base:.2f} s")
    print(f"{kind} ({n}): {median['seconds']:.2f} s = {median['seconds'] / base:.0f} x start-up")
    print(f"  {per_thousand:.2f} s a thousand villages; CPU (user + system) {median['cpu']:.2f} s")
    print(f"peak memory: {median['peak']:.0f} MiB")
    print(f"disk: {median['disk']:.0f} MiB in {median['files']:.0f} files")


if __name__ == "__main__":
    main()
