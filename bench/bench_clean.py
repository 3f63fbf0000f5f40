"""Time the clean step (read + clean) on a large synthetic cohort, and its peak memory.

Run from the repository root with the project's environment active::

    python bench/bench_clean.py                 # 100,000 raw rows against 20,000
    python bench/bench_clean.py --rows 100000 --baseline-rows 20000 --repeats 3

Each measurement runs ``analisis.clean.clean_study`` in a fresh subprocess, so the
peak resident memory (``resource.getrusage(RUSAGE_SELF).ru_maxrss``) is that run's
alone; the wall time covers reading both exports and cleaning, not the interpreter's
start.  A bare ``import pandas`` in the same kind of subprocess is the baseline of
both, and the smaller case shows how time grows with rows (linear growth gives a
ratio equal to the ratio of rows).  The raw files are generated with a fixed seed.
Targets: 100,000 rows in at most 30 s with a peak of at most 1 GiB.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

N_ITEMS = 25
LETTERS = "abcd"
SYLLABLES = (
    "siti nur dewi sri rina ani yuli eka tri wati lestari aminah rahma ayu putri indah "
    "fitri ratna sari maya dian wulan endang hartati marlina susanti yanti handayani "
    "kurnia ningsih astuti wahyuni purnama utami safitri puspita anggraini rosita "
    "fatimah zahra mulyani"
).split()

CHILD = """
import json, resource, sys, time
t0 = time.perf_counter()
mode, config = sys.argv[1], sys.argv[2]
import pandas
if mode == "clean":
    from analisis.clean import clean_study
    t0 = time.perf_counter()
    cohorts = json.loads(open(config).read())
    out = clean_study(cohorts)
    assert len(out["cleaning_log"]) == int(sys.argv[3]), len(out["cleaning_log"])
elapsed = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux
print(json.dumps({"seconds": elapsed, "peak_bytes": peak}))
"""


def write_instrument(path: Path) -> None:
    rows = [["item_id", "topic", "question", *(f"option_{x}" for x in LETTERS), "answer"]]
    for i in range(1, N_ITEMS + 1):
        options = [f"Pilihan {x} untuk soal {i}" for x in LETTERS.upper()]
        rows.append([f"P{i:02d}", "topik", f"Pertanyaan nomor {i}?", *options, LETTERS[i % 4]])
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def people(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """Distinct three-word names and distinct phones."""
    names: set[str] = set()
    while len(names) < count:
        names.add(" ".join(rng.choice(SYLLABLES).capitalize() for _ in range(3)))
    return [(name, f"0812{i:08d}") for i, name in enumerate(sorted(names))]


def write_export(path: Path, cadres, rng: random.Random, day: int) -> int:
    """One Forms export: each cadre once, 5 % twice, 1 % with a typo, a few test rows."""
    header = ["Cap waktu", "Total skor", "Nama", "Nomor HP"]
    header += [f"Pertanyaan nomor {i}?" for i in range(1, N_ITEMS + 1)]
    rows = [header]
    for name, phone in cadres:
        for _ in range(2 if rng.random() < 0.05 else 1):
            if rng.random() < 0.01:
                name = name[:-2] + name[-1] + name[-2]
            letters = [rng.choice(LETTERS) if rng.random() > 0.02 else "" for _ in range(N_ITEMS)]
            answers = [
                f"Pilihan {x.upper()} untuk soal {i}" if x else ""
                for i, x in enumerate(letters, start=1)
            ]
            correct = sum(x == LETTERS[i % 4] for i, x in enumerate(letters, start=1))
            stamp = f"{day:02d}/09/2024 {rng.randrange(7, 17)}:{rng.randrange(60):02d}:00"
            rows.append([stamp, f"{correct}.00 / {N_ITEMS}", name, phone, *answers])
    rows.append([f"{day:02d}/09/2024 7:00:00", "", "Tes Panitia", "", *[""] * N_ITEMS])
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return len(rows) - 1


def make_study(root: Path, rows: int, seed: int) -> tuple[Path, int]:
    """A one-cohort config (as JSON) with about ``rows`` raw rows; returns it and the count."""
    rng = random.Random(seed)
    cadres = people(round(rows / 2 / 1.05), rng)
    write_instrument(root / "items.csv")
    n = write_export(root / "pre.csv", cadres, rng, 6)
    n += write_export(root / "post.csv", cadres, rng, 7)
    cohort = {
        "id": "besar",
        "knowledge": {
            "instrument": str(root / "items.csv"),
            "pre": str(root / "pre.csv"),
            "post": str(root / "post.csv"),
        },
    }
    config = root / "cohorts.json"
    config.write_text(json.dumps([cohort]))
    return config, n


def measure(mode: str, config: Path, n: int, timeout: float) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(config), str(n)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode:
        sys.exit(done.stderr)
    return json.loads(done.stdout)


def median_of(mode: str, config: Path, n: int, repeats: int, timeout: float) -> dict[str, float]:
    runs = [measure(mode, config, n, timeout) for _ in range(repeats)]
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--baseline-rows", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20240906)
    parser.add_argument("--timeout", type=float, default=600, help="seconds per run")
    args = parser.parse_args()
    mib = 2**20
    with tempfile.TemporaryDirectory() as tmp:
        bare = median_of("import", Path(tmp), 0, args.repeats, args.timeout)
        print(
            f"bare import pandas (median of {args.repeats}): {bare['seconds']:.2f} s, "
            f"peak {bare['peak_bytes'] / mib:.0f} MiB"
        )
        results = {}
        for rows in (args.baseline_rows, args.rows):
            root = Path(tmp) / str(rows)
            root.mkdir()
            config, n = make_study(root, rows, args.seed)
            results[rows] = run = median_of("clean", config, n, args.repeats, args.timeout)
            print(
                f"clean, {n} raw rows (median of {args.repeats}): {run['seconds']:.2f} s, "
                f"peak {run['peak_bytes'] / mib:.0f} MiB "
                f"({run['seconds'] / bare['seconds']:.1f} x the time and "
                f"{run['peak_bytes'] / bare['peak_bytes']:.2f} x the peak of a bare import)"
            )
        small, large = results[args.baseline_rows], results[args.rows]
        print(
            f"time ratio {args.rows} / {args.baseline_rows} rows: "
            f"{large['seconds'] / small['seconds']:.2f} "
            f"(linear: {args.rows / args.baseline_rows:.2f})"
        )


if __name__ == "__main__":
    main()
