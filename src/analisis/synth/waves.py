"""A GENERATED demonstration study with a delayed post-test: decay and informative dropout.

``python -m analisis.synth --follow-up --villages N --out DIR`` writes the fictitious
programme of :mod:`analisis.synth.programme` (pre- and post-tests, checklists) and adds,
for every village, a third knowledge export three months after the training, listed in
``DIR/config.yaml`` under ``knowledge.follow_up``. Every name, number and answer is
invented; the README and the config say so.

Generating model of the follow-up (each cadre with a named post-test):

* retention r ~ N(0.7, 0.25²), the share of her own gain kept; her ability at follow-up
  is pre + r (post - pre) in items, and the items right ~ Binomial(25, ability / 25)
  (so some cadres fall back to, or below, their baseline);
* she misses the follow-up with probability 0.08, or 0.40 when her pre-test is below
  her village's median: dropout is more frequent among those who scored low (missing at
  random given the pre-test, not completely at random).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from analisis.synth import common, programme
from analisis.synth.programme import N_ITEMS, Village, answer_matrix, export_bytes

RETENTION_MEAN, RETENTION_SD = 0.7, 0.25
MISSING_HIGH, MISSING_LOW = 0.08, 0.40
DAYS_AFTER_TRAINING = 90
FOLLOW_UP_STEM = "tes_tunda_3_bulan"
LABEL = {"id": "3 bulan", "en": "3 months"}
#: The config's study block: the reports' title says the data are invented, and
#: ``synthetic`` gives them the banner of generated data (as every generated programme's).
STUDY = {
    "title": {
        "id": "Contoh FIKTIF: tes tunda tiga bulan setelah pelatihan kader",
        "en": "FICTITIOUS example: a delayed test three months after a cadre training",
    },
    "topic": {"id": "pijat laktasi", "en": "lactation-massage"},
    "synthetic": True,
}


def follow_up_correct(site: Village, seed: int) -> dict[int, int]:
    """Items right at follow-up of each cadre (by position) who sits it.

    Examples
    --------
    >>> site = programme.village(1, 7)
    >>> right = follow_up_correct(site, 1)
    >>> 0 < len(right) <= site.n_paired(), all(0 <= k <= 25 for k in right.values())
    (True, True)
    """
    rng = np.random.default_rng([seed, site.index, 2])
    pre = np.array([c.pre_correct for c in site.cadres], dtype=float)
    low = pre < np.median(pre)
    result = {}
    for k, cadre in enumerate(site.cadres):
        retention = rng.normal(RETENTION_MEAN, RETENTION_SD)
        missing = rng.random() < (MISSING_LOW if low[k] else MISSING_HIGH)
        if cadre.post_correct is None or cadre.post_name == "" or missing:
            continue
        ability = cadre.pre_correct + retention * (cadre.post_correct - cadre.pre_correct)
        result[k] = int(rng.binomial(N_ITEMS, float(np.clip(ability / N_ITEMS, 0.02, 0.98))))
    return result


def follow_up_rows(site: Village, seed: int) -> list[programme.Submission]:
    """The follow-up export's rows: 09:00 on day 90 after the training, pre-test spellings.

    Examples
    --------
    >>> rows = follow_up_rows(programme.village(1, 7), 1)
    >>> rows[0][0].hour, rows == sorted(rows, key=lambda row: row[0])
    (9, True)
    """
    rng = np.random.default_rng([seed, site.index, 3])
    right = follow_up_correct(site, seed)
    positions = sorted(right)
    texts, _ = answer_matrix(rng, np.array([right[k] for k in positions], dtype=int))
    day = site.training_day + timedelta(days=DAYS_AFTER_TRAINING)
    start = datetime(day.year, day.month, day.day, 9, 0)
    rows = []
    for slot, k in enumerate(rng.permutation(len(positions))):
        cadre = site.cadres[positions[k]]
        moment = start + timedelta(minutes=2 * slot, seconds=int(rng.integers(0, 60)))
        rows.append((moment, right[positions[k]], cadre.pre_name, cadre.phone, list(texts[k])))
    return sorted(rows, key=lambda row: row[0])


def model_lines() -> list[str]:
    """The follow-up's generating model in a few lines (README and config comment)."""
    return [
        f"GENERATED delayed post-test {DAYS_AFTER_TRAINING} days after the training: a "
        f"cadre keeps a share r ~ N({RETENTION_MEAN:g}, {RETENTION_SD:g}^2) of her own gain",
        f"she misses it with probability {MISSING_HIGH:.0%}, or {MISSING_LOW:.0%} with a pre-test "
        "below her village's median (dropout informative: lower scorers are lost more often)",
    ]


def generate(out: Path, n_villages: int, seed: int = common.SEED, root: Path | None = None):
    """The programme of :func:`analisis.synth.programme.generate` plus a follow-up export.

    Returns the top-level files written. ``out/config.yaml`` lists the follow-up of every
    village under ``knowledge.follow_up``.

    Examples
    --------
    >>> import tempfile, yaml
    >>> out = Path(tempfile.mkdtemp())
    >>> _ = generate(out, 2, seed=3, root=out)
    >>> wave = yaml.safe_load((out / "config.yaml").read_text())["cohorts"][1]["knowledge"]
    >>> wave["follow_up"][0]["file"], wave["follow_up"][0]["days_after_training"]
    ('desa_002/tes_tunda_3_bulan.csv', 90)
    """
    root = Path.cwd() if root is None else root
    villages = [programme.village(seed, index) for index in range(1, n_villages + 1)]
    shown = programme.config_path(out, root)
    written, config = programme.write_programme(out, villages, seed, shown)
    for site, cohort in zip(villages, config["cohorts"], strict=True):
        name = f"{FOLLOW_UP_STEM}{programme.SUFFIX[site.export_format]}"
        rows = follow_up_rows(site, seed)
        common.write_file(out / site.cohort_id / name, export_bytes(rows, site.export_format))
        file = str(shown / site.cohort_id / name)
        wave = {"label": dict(LABEL), "file": file, "days_after_training": DAYS_AFTER_TRAINING}
        cohort["knowledge"]["follow_up"] = [wave]
    config["study"] = STUDY  # this demonstration's title over the programme's
    written.append(programme.write_config(out / "config.yaml", config))
    readme = out / "README.md"
    extra = "\n## Delayed post-test (GENERATED)\n\n" + "".join(
        f"* {line}\n" for line in model_lines()
    )
    extra += f"\nEach village folder holds `{FOLLOW_UP_STEM}` in the village's export format.\n"
    common.write_file(readme, (readme.read_text(encoding="utf-8") + extra).encode("utf-8"))
    return written
