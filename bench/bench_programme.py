"""A whole programme of N villages: cold run, no-op rerun, one village edited; peak memory.

Generates a fictitious programme (``python -m analisis.synth --villages N``) inside a
scratch copy of the workflow and runs it with its config, next to a baseline measured in
the same run: a bare import of the five libraries every job pays for. Peak memory is the
largest resident set of any process of the run (``RUSAGE_CHILDREN`` of a wrapper that
runs only that Snakemake call). Also prints the size of the English report.

Run from the repository root with the project's environment active::

    python bench/bench_programme.py --villages 100 --repeats 3
    python bench/bench_programme.py --villages 1000 --repeats 1
    python bench/bench_programme.py --villages 100 --repeats 1 --villages-per-shard 25
    python bench/bench_programme.py --villages 10000 --repeats 1 --keep /tmp/national

``--keep`` leaves the last repeat's run folder there (to open its report). The last line
is the row of the table in docs/architecture.md ("At national scale"): villages, cold run,
its seconds per 1,000 villages, peak memory of a job, English report, the rerun after
editing one village, the no-op rerun.

Where the time goes: each rule's jobs of the cold run (count, summed and longest wall
seconds), from Snakemake's own records of each output's start and end.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from measure import measured

from analisis.sandbox import copy_workflow

ROOT = Path(__file__).resolve().parents[1]
BARE_IMPORT = "import pandas, scipy.stats, statsmodels.api, pingouin, seaborn"


def job_times(workdir: Path, since: float = 0.0) -> dict[str, tuple[int, float, float]]:
    """``{rule: (jobs, summed s, longest s)}`` from ``.snakemake/metadata`` (one record per
    output file; a job's outputs share its hash and end).

    Examples
    --------
    >>> job_times(Path(tempfile.mkdtemp()))
    {}
    """
    spans: dict[tuple[str, str], tuple[float, float]] = {}
    for record in (workdir / ".snakemake/metadata").glob("*"):
        meta = json.loads(record.read_text())
        if meta.get("endtime") and (meta.get("starttime") or 0) > since:
            job = (meta["rule"], " ".join(meta.get("log") or []))
            start, end = spans.get(job, (meta["starttime"], meta["endtime"]))
            spans[job] = (min(start, meta["starttime"]), max(end, meta["endtime"]))
    times: dict[str, list[float]] = {}
    for (rule, _), (start, end) in spans.items():
        times.setdefault(rule, []).append(end - start)
    return {r: (len(t), sum(t), max(t)) for r, t in sorted(times.items(), key=lambda x: -sum(x[1]))}


def _print_job_times(run: str, times: dict[str, tuple[int, float, float]]) -> None:
    for rule, (n, total, longest) in times.items():
        print(f"  {run} {rule:22} {n:3d} jobs {total:7.1f} s (longest {longest:.1f} s)")


def one_programme(
    villages: int, cores: int, per_shard: int | None = None, keep: Path | None = None
) -> dict[str, float]:
    """Generate, run cold, rerun, edit one village and rerun; the figures of one repeat."""
    snakemake = [sys.executable, "-m", "snakemake", "--cores", str(cores), "--quiet"]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = copy_workflow(ROOT, keep if keep else Path(tmp) / "run")
        out = workdir / "data/raw/programme"
        generate = [sys.executable, "-m", "analisis.synth", "--villages", str(villages)]
        measured([*generate, "--out", str(out), "--root", str(workdir)], workdir)
        config = ["--configfile", "data/raw/programme/config.yaml"]
        if per_shard:
            (workdir / "scale.yaml").write_text(f"scale:\n  villages_per_shard: {per_shard}\n")
            config.append("scale.yaml")
        cold = measured([*snakemake, *config], workdir)
        _print_job_times("cold", job_times(workdir))
        noop = measured([*snakemake, *config], workdir)
        export = sorted(out.glob("desa_*/pre*"))[0]
        # One more blank line: new bytes, the same data (blank rows are skipped).
        export.write_bytes(export.read_bytes() + b"\n")
        edited_at = time.time()
        edit = measured([*snakemake, *config], workdir)
        _print_job_times("edit", job_times(workdir, since=edited_at))
        report_mb = (workdir / "reports/report.html").stat().st_size / 2**20
    return {
        "cold": cold["seconds"],
        "noop": noop["seconds"],
        "edit": edit["seconds"],
        "peak": max(cold["peak"], edit["peak"]),
        "report": report_mb,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--villages", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument(
        "--villages-per-shard", type=int, help="scale.villages_per_shard (default: the schema's)"
    )
    parser.add_argument("--keep", type=Path, help="run the programme in this (new) folder")
    args = parser.parse_args()
    baseline, rows = [], []
    for _ in range(args.repeats):
        baseline.append(measured([sys.executable, "-c", BARE_IMPORT], ROOT)["seconds"])
        rows.append(one_programme(args.villages, args.cores, args.villages_per_shard, args.keep))
    base = statistics.median(baseline)
    median = {key: statistics.median(row[key] for row in rows) for key in rows[0]}
    n = f"{args.villages} villages, median of {args.repeats}"
    print(f"bare import of the five libraries: {base:.2f} s")
    print(f"cold run ({n}): {median['cold']:.1f} s = {median['cold'] / base:.1f} x import")
    print(f"no-op rerun: {median['noop']:.1f} s = {median['noop'] / base:.1f} x import")
    print(f"after editing one village: {median['edit']:.1f} s")
    print(f"peak memory of any process: {median['peak']:.0f} MiB")
    print(f"English report: {median['report']:.1f} MiB")
    print(
        f"| {args.villages:,} | {median['cold']:.0f} s | "
        f"{median['cold'] / args.villages * 1000:.0f} s | {median['peak']:.0f} MiB | "
        f"{median['report']:.1f} MiB | {median['edit']:.1f} s | {median['noop']:.1f} s |"
    )


if __name__ == "__main__":
    main()
