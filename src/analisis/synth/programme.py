"""Generator of a fictitious training programme: raw exports of many villages and a config.

:mod:`analisis.synth.paper` reconstructs one published village; this module invents a whole
programme of ``N`` villages that took the same training with the same two instruments,
for testing and timing the pipeline at scale. Everything is fictitious: village labels,
cadre and assessor names, phone numbers and answers.

Model (points on the 0-100 knowledge score; one village ``v``, one cadre ``i``)
-----------------------------------------------------------------------------------
* cadres ``n_v`` uniform on 8 ... 40; mentoring groups uniform on 2 ... min(6, n_v // 4),
  so that a group has at least four cadres; cadres are dealt at random into groups
  whose sizes differ by at most one;
* pre-test ability ``a_vi = a_v + e_vi`` with ``a_v ~ N(60, 6²)``, ``e_vi ~ N(0, 10²)``;
* true village mean gain ``g_v ~ N(20, 6²)`` (the random effect, tau = 6 points) and a
  cadre's gain ``g_vi = g_v + N(0, 6²)``;
* items right before and after: Binomial(25, p) with p = ability / 100 clipped to
  [0.02, 0.98]; the clip binds only for the strongest few cadres after training, so a
  village's observed mean gain estimates ``g_v`` up to sampling error and a slight
  downward pull (under a point); harder items are wrong more often;
* checklist: each of the 43 points is lost with probability (1 - s) times the step's
  weight over the mean weight, ``s = N(0.85, 0.04²)`` per village plus ``N(0, 0.03²)``
  per assessor plus ``N(0, 0.05²)`` per cadre, clipped to [0.4, 1].

The mess, at modest rates: some cadres miss the post-test (rate uniform on 2-15 % per
village); names with a title, in upper or lower case or with stray spaces; one-letter
typos in the post-test and the checklist that the pipeline's fuzzy match recovers (each
is checked to be closer to its own cadre than to any other in the village); earlier
incomplete submissions followed by a complete one; blank answers; a total that
disagrees with the answers; a facilitator's test row; and post-test rows whose name
was left empty, which the pipeline drops, so that cadre counts as unpaired.

Output layout (``DIR``): ``config.yaml``, ``README.md``, ``villages.csv`` (the true
values per village), ``instruments/`` and one folder ``desa_001`` ... per village.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path, PurePosixPath

import numpy as np

from analisis.names import name_similarity, normalise_name
from analisis.synth import common, instruments

#: Programme parameters in score points (see the module docstring).
PRE_MEAN, PRE_VILLAGE_SD, PRE_CADRE_SD = 60.0, 6.0, 10.0
GAIN_MEAN, GAIN_TAU, GAIN_CADRE_SD = 20.0, 6.0, 6.0
SKILL_MEAN, SKILL_VILLAGE_SD, SKILL_ASSESSOR_SD, SKILL_CADRE_SD = 0.85, 0.04, 0.03, 0.05
CADRES_RANGE = (8, 40)
GROUPS_RANGE = (2, 6)
MISSING_POST_RANGE = (0.02, 0.15)

#: Per-file chances that a cadre's name is spelled in each way (the rest is ``usual``).
SPELLINGS = {
    "pre": {"title": 0.04, "case": 0.03, "spacing": 0.03},
    "post": {"title": 0.04, "case": 0.03, "spacing": 0.03, "typo": 0.03},
    "sheet": {"title": 0.04, "case": 0.02, "spacing": 0.02, "typo": 0.02},
}
#: Per-submission chances of the other mess; ``facilitator`` is per village.
RESUBMIT, BLANK, MISMATCH, UNNAMED, FACILITATOR = 0.03, 0.02, 0.01, 0.01, 0.3
#: Lowest similarity a typo keeps to its own name: safely above the default threshold 85.
TYPO_MIN_SIMILARITY = 88.0

#: Export formats the knowledge readers accept, with their share of villages.
FORMATS = {"forms_csv": 0.7, "excel_csv": 0.2, "xlsx": 0.1}
SUFFIX = {"forms_csv": ".csv", "excel_csv": ".csv", "xlsx": ".xlsx"}
FIRST_TRAINING = date(2024, 7, 1)

FIRST_NAMES = (
    "Siti", "Sri", "Dewi", "Nur", "Rina", "Yuli", "Eka", "Desi", "Leni", "Rika", "Novi",
    "Tuti", "Rita", "Yeni", "Lina", "Wati", "Ani", "Fitri", "Indah", "Ratna", "Heni",
    "Mega", "Dian", "Ayu", "Putri", "Wulan", "Neni", "Eva", "Lilis", "Erna", "Yanti",
    "Murni", "Susi", "Endang", "Tri", "Evi", "Reni", "Yusi", "Asih", "Elvi",
)  # fmt: skip
LAST_NAMES = (
    "Wahyuni", "Ratnasari", "Suryani", "Marlina", "Fitriani", "Wulandari", "Oktaviani",
    "Sartika", "Andriani", "Zahara", "Alawiyah", "Yanti", "Susanti", "Lestari", "Rahayu",
    "Handayani", "Purnamasari", "Kartika", "Safitri", "Maharani", "Anggraini", "Novitasari",
    "Permatasari", "Puspita", "Rahmawati", "Hidayati", "Kurniasih", "Setiawati",
    "Mulyani", "Agustina", "Febriyanti", "Herawati", "Juliani", "Sulistyowati", "Pratiwi",
)  # fmt: skip
SINGLE_NAMES = (
    "Yusnita", "Herlina", "Nurhayati", "Maryani", "Misnawati", "Juliana", "Rusmini",
    "Sulastri", "Suharti", "Sumarni", "Partini", "Rohani", "Asmawati", "Darmawati",
)  # fmt: skip
ASSESSORS = (
    "Bd. Yeni Oktarina, S.ST., M.Keb", "Bd. Marlini Safitri, M.Keb",
    "Bd. Helmi Yanti, S.Tr.Keb., M.Kes", "Bd. Rosa Amelia, S.Tr.Keb",
    "Bd. Lusi Kartini, Amd.Keb", "Ns. Dedi Saputra, S.Kep", "Bd. Evi Marliana, S.ST",
    "Bd. Rahmi Fauziah, M.Keb",
)  # fmt: skip
PLACE_HEADS = ("Suka", "Mekar", "Sumber", "Tanjung", "Karang", "Talang", "Sido", "Tirta")
PLACE_TAILS = ("maju", "jaya", "makmur", "sari", "rejo", "mulya", "harjo", "asih", "mukti")
FACILITATOR_NAMES = ("Tes Fasilitator", "coba", "Test Panitia")


@dataclass(frozen=True)
class Cadre:
    """One fictitious cadre of a village: design values and her spellings per file.

    ``post_correct`` is None when she missed the post-test; ``post_name`` is ``""`` when
    she left the name empty (the pipeline drops that row).
    """

    name: str
    phone: str
    group: int
    pre_correct: int
    post_correct: int | None
    points: tuple[int, ...]
    pre_name: str
    post_name: str
    sheet_name: str


@dataclass(frozen=True)
class Village:
    """One village's design: who took part, how it was exported, its true mean gain."""

    index: int
    label: str
    export_format: str
    true_gain: float
    training_day: date
    assessors: tuple[str, ...]
    cadres: tuple[Cadre, ...]
    facilitator_row: bool

    @property
    def cohort_id(self) -> str:
        """``desa_001`` ...: zero-padded to three digits, wider from 1,000 villages on."""
        return f"desa_{self.index:03d}"

    def n_paired(self) -> int:
        """Cadres whose pre- and post-test both reach the pipeline with a name.

        Examples
        --------
        >>> site = village(1, 7)
        >>> 0 < site.n_paired() <= len(site.cadres)
        True
        """
        return sum(c.post_correct is not None and c.post_name != "" for c in self.cadres)


ITEM_WEIGHTS = np.array([item.weight for item in instruments.ITEMS])
KEYS = np.array(["abcd".index(item.answer) for item in instruments.ITEMS])
OPTIONS = np.array([item.options for item in instruments.ITEMS], dtype=object)
KEY_TEXTS = [item.options[key] for item, key in zip(instruments.ITEMS, KEYS, strict=True)]
N_ITEMS = len(instruments.ITEMS)
STEP_MAXIMA = np.array([step.max_points for step in instruments.STEPS])
STEP_WEIGHTS = np.array([step.weight for step in instruments.STEPS])
NAME_POOL = (
    tuple(f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES if first != last)
    + SINGLE_NAMES
)
#: Chance that a cadre goes by a single name (as Yusnita or Sulastri do).
SINGLE_NAME_SHARE = 0.1
NAME_WEIGHTS = np.where(
    np.arange(len(NAME_POOL)) < len(NAME_POOL) - len(SINGLE_NAMES),
    (1 - SINGLE_NAME_SHARE) / (len(NAME_POOL) - len(SINGLE_NAMES)),
    SINGLE_NAME_SHARE / len(SINGLE_NAMES),
)


def cadre_names(rng: np.random.Generator, n: int) -> list[str]:
    """Draw ``n`` distinct fictitious names, about one in ten a single name.

    Examples
    --------
    >>> names = cadre_names(np.random.default_rng(1), 40)
    >>> len(set(names)), all(name in NAME_POOL for name in names)
    (40, True)
    """
    picks = rng.choice(len(NAME_POOL), size=n, replace=False, p=NAME_WEIGHTS)
    return [NAME_POOL[k] for k in picks]


def knowledge_design(
    rng: np.random.Generator, n: int, pre_level: float, true_gain: float
) -> tuple[np.ndarray, np.ndarray]:
    """Items right out of 25 before and after for ``n`` cadres of one village.

    Examples
    --------
    >>> pre, post = knowledge_design(np.random.default_rng(0), 2000, 60.0, 20.0)
    >>> round(float((post - pre).mean() * 4))
    20
    """
    ability = pre_level + rng.normal(0.0, PRE_CADRE_SD, n)
    gain = true_gain + rng.normal(0.0, GAIN_CADRE_SD, n)
    p_pre = np.clip(ability / 100, 0.02, 0.98)
    p_post = np.clip((ability + gain) / 100, 0.02, 0.98)
    return rng.binomial(N_ITEMS, p_pre), rng.binomial(N_ITEMS, p_post)


def skill_design(rng: np.random.Generator, groups: np.ndarray, n_groups: int) -> np.ndarray:
    """Checklist points per cadre (rows) and step (columns); see the module docstring.

    A step loses points more often the larger its weight, so the breast-massage
    movements stay the weakest steps, as in the bundled study.

    Examples
    --------
    >>> points = skill_design(np.random.default_rng(0), np.array([1, 2, 1]), 2)
    >>> points.shape, bool((points <= STEP_MAXIMA).all() and (points >= 0).all())
    ((3, 23), True)
    """
    level = (
        rng.normal(SKILL_MEAN, SKILL_VILLAGE_SD)
        + rng.normal(0.0, SKILL_ASSESSOR_SD, n_groups)[groups - 1]
        + rng.normal(0.0, SKILL_CADRE_SD, len(groups))
    )
    loss = np.clip(1 - np.clip(level, 0.4, 1.0), 0, 1)[:, None] * STEP_WEIGHTS / STEP_WEIGHTS.mean()
    return STEP_MAXIMA - rng.binomial(STEP_MAXIMA, np.clip(loss, 0.0, 1.0))


def answer_matrix(rng: np.random.Generator, n_correct: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Answer texts (cadres x items) with exactly ``n_correct`` right, and the right mask.

    The wrong items are a weighted sample without replacement (Efraimidis-Spirakis: the
    largest ``log(u) / weight``), so harder items are wrong more often; a wrong answer is
    one of the three distractors at random.

    Examples
    --------
    >>> texts, right = answer_matrix(np.random.default_rng(0), np.array([25, 19, 0]))
    >>> right.sum(axis=1).tolist(), texts[0, 0] == KEY_TEXTS[0]
    ([25, 19, 0], True)
    """
    n = len(n_correct)
    keys = np.log(rng.random((n, N_ITEMS))) / ITEM_WEIGHTS
    ranks = np.argsort(np.argsort(-keys, axis=1), axis=1)
    wrong = ranks < (N_ITEMS - n_correct)[:, None]
    chosen = np.where(wrong, (KEYS + rng.integers(1, 4, size=(n, N_ITEMS))) % 4, KEYS)
    return OPTIONS[np.arange(N_ITEMS), chosen], ~wrong


def matchable(variant: str, own: str, others: Sequence[str]) -> bool:
    """Whether the pipeline's fuzzy match pairs ``variant`` with ``own`` and nobody else.

    Its similarity to ``own`` must reach :data:`TYPO_MIN_SIMILARITY` and beat that to
    every name in ``others``; then the greedy best-first matching cannot go wrong.

    Examples
    --------
    >>> matchable("Septy Wulandari", "Septi Wulandari", ["Sri Wahyuni"])
    True
    >>> matchable("Sri Wahyuti", "Sri Wahyuni", ["Sri Wahyuti"])
    False
    """
    written, usual = _normalised(variant), _normalised(own)
    score = name_similarity(written, usual)
    if written == usual or score < TYPO_MIN_SIMILARITY:
        return False
    return all(name_similarity(written, _normalised(other)) < score for other in others)


# The same few thousand names recur in every village: normalise each once.
_normalised = functools.lru_cache(maxsize=None)(normalise_name)


def spell_names(
    rng: np.random.Generator, names: Sequence[str], source: str, taken: Sequence[str]
) -> list[str]:
    """Spell each of ``names`` as written in ``source`` (``pre``, ``post``, ``sheet``).

    A typo that :func:`matchable` rejects against the village's other names and the
    spellings already ``taken`` is written the usual way instead.

    Examples
    --------
    >>> names = ["Siti Rahayu", "Dewi Lestari"] * 50
    >>> written = spell_names(np.random.default_rng(2), names, "post", [])
    >>> sum(w != n for w, n in zip(written, names)) in range(5, 30)
    True
    """
    kinds = ["usual", *SPELLINGS[source]]
    chances = [1 - sum(SPELLINGS[source].values()), *SPELLINGS[source].values()]
    drawn = rng.choice(len(kinds), size=len(names), p=chances)
    written = []
    for k, name in enumerate(names):
        text = common.spell(name, kinds[drawn[k]], rng)
        if kinds[drawn[k]] == "typo":
            others = [*names[:k], *names[k + 1 :], *taken[:k], *taken[k + 1 :]]
            text = text if matchable(text, name, others) else name
        written.append(text)
    return written


def village(seed: int, index: int) -> Village:
    """Draw the design of village ``index`` (1-based) of the programme with ``seed``.

    Each village has its own random stream, seeded by ``(seed, index)``, so village 7 is
    the same whether 10 or 1,000 villages are generated.

    Examples
    --------
    >>> v = village(1, 7)
    >>> v.cohort_id, 8 <= len(v.cadres) <= 40, v == village(1, 7)
    ('desa_007', True, True)
    """
    rng = np.random.default_rng([seed, index, 0])
    n = int(rng.integers(CADRES_RANGE[0], CADRES_RANGE[1] + 1))
    n_groups = int(rng.integers(GROUPS_RANGE[0], min(GROUPS_RANGE[1], n // 4) + 1))
    label = f"Desa {rng.choice(PLACE_HEADS)}{rng.choice(PLACE_TAILS)}"
    export_format = str(rng.choice(list(FORMATS), p=list(FORMATS.values())))
    true_gain = float(rng.normal(GAIN_MEAN, GAIN_TAU))
    pre, post = knowledge_design(rng, n, float(rng.normal(PRE_MEAN, PRE_VILLAGE_SD)), true_gain)
    missing = rng.random(n) < rng.uniform(*MISSING_POST_RANGE)
    unnamed = ~missing & (rng.random(n) < UNNAMED)
    groups = 1 + rng.permutation(n) % n_groups
    points = skill_design(rng, groups, n_groups)
    names = cadre_names(rng, n)
    pre_names = spell_names(rng, names, "pre", [])
    post_names = spell_names(rng, names, "post", [])
    sheet_names = spell_names(rng, names, "sheet", post_names)
    prefixes = rng.integers(len(common.PHONE_PREFIXES), size=n)
    phones = [
        common.format_phone(common.PHONE_PREFIXES[p], digits)
        for p, digits in zip(prefixes, rng.integers(0, 10, size=(n, 8)).tolist(), strict=True)
    ]
    # Whole arrays to Python values at once: int() of each numpy element is slow.
    pre, post, groups = pre.tolist(), post.tolist(), groups.tolist()
    missing, unnamed, points = missing.tolist(), unnamed.tolist(), points.tolist()
    cadres = tuple(
        Cadre(
            name=names[k],
            phone=phones[k],
            group=groups[k],
            pre_correct=pre[k],
            post_correct=None if missing[k] else post[k],
            points=tuple(points[k]),
            pre_name=pre_names[k],
            post_name="" if unnamed[k] else post_names[k],
            sheet_name=sheet_names[k],
        )
        for k in range(n)
    )
    return Village(
        index=index,
        label=label,
        export_format=export_format,
        true_gain=true_gain,
        training_day=FIRST_TRAINING + timedelta(days=int(rng.integers(0, 540))),
        assessors=tuple(str(a) for a in rng.choice(ASSESSORS, size=n_groups, replace=False)),
        cadres=cadres,
        facilitator_row=bool(rng.random() < FACILITATOR),
    )


#: A submission as exported: time, total shown, name, phone, answer texts ("" = blank).
Submission = tuple[datetime, int, str, str, list[str]]


def submissions(rng: np.random.Generator, site: Village, phase: str) -> list[Submission]:
    """Every row of one knowledge export of ``site``, in submission order.

    The pre-test starts at 08:05 of the training day, the post-test at 13:10 the next
    day; the mess (blank answer, shown total off by one, an earlier incomplete
    submission, the facilitator's test row) is drawn here.

    Examples
    --------
    >>> site = village(1, 7)
    >>> rows = submissions(np.random.default_rng(0), site, "pre")
    >>> len({phone for _, _, _, phone, _ in rows if phone}) == len(site.cadres)
    True
    """
    pre = phase == "pre"
    takers = [c for c in site.cadres if pre or c.post_correct is not None]
    correct = np.array([c.pre_correct if pre else c.post_correct for c in takers], dtype=int)
    texts, right = answer_matrix(rng, correct)
    day = site.training_day + timedelta(days=0 if pre else 1)
    start = datetime(day.year, day.month, day.day, 8 if pre else 13, 5 if pre else 10)
    window = np.arange(60, 60 * (20 + 2 * len(takers)))
    seconds = np.sort(rng.choice(window, size=len(takers), replace=False)).tolist()
    order = rng.permutation(len(takers)).tolist()
    draws = rng.random((3, len(takers))) < [[BLANK], [MISMATCH], [RESUBMIT]]
    # Whole arrays to Python values at once: the loop reads numpy scalars slowly.
    blank, mismatch, resubmit = draws.tolist()
    answer_rows, n_correct = texts.tolist(), correct.tolist()
    rows: list[Submission] = []
    for slot, k in enumerate(order):
        cadre, answers = takers[k], answer_rows[k]
        name = cadre.pre_name if pre else cadre.post_name
        moment = start + timedelta(seconds=seconds[slot])
        if blank[k] and not right[k].all():
            answers[int(rng.choice(np.flatnonzero(~right[k])))] = ""
        shown = n_correct[k] + mismatch[k] * (1 if n_correct[k] < N_ITEMS else -1)
        rows.append((moment, shown, name, cadre.phone, answers))
        if resubmit[k] and name:
            cut = int(rng.integers(8, 21))
            partial = answers[:cut] + [""] * (N_ITEMS - cut)
            n_right = sum(a == key for a, key in zip(partial, KEY_TEXTS, strict=True))
            rows.append((moment - common.DUPLICATE_GAP, n_right, name, cadre.phone, partial))
    if pre and site.facilitator_row:
        tester = FACILITATOR_NAMES[int(rng.integers(len(FACILITATOR_NAMES)))]
        rows.append((start - timedelta(minutes=12, seconds=50), N_ITEMS, tester, "", KEY_TEXTS))
    return sorted(rows, key=lambda row: row[0])


HEADER = [*common.FORM_HEADERS, *(item.question for item in instruments.ITEMS)]
EXCEL_FORMAT = (
    "Google Forms CSV opened and saved again by Excel in an Indonesian locale: "
    "`CSV UTF-8` (with byte-order mark), `;` separated, decimal comma in the total "
    "(`19,00 / 25`), time with dots (`06/09/2024 8.15.32`), CRLF line ends"
)
XLSX_FORMAT = (
    "Google Sheets `Download > Microsoft Excel (.xlsx)`: sheet `Jawaban Formulir 1`, "
    "header in row 1, `Cap waktu` an Excel date-time, blank answers empty cells"
)


def export_bytes(rows: Sequence[Submission], export_format: str) -> bytes:
    """One knowledge export as the bytes of ``export_format`` (a key of :data:`FORMATS`).

    Examples
    --------
    >>> row = (datetime(2024, 9, 6, 8, 15, 32), 19, "Siti", "0812", KEY_TEXTS)
    >>> export_bytes([row], "excel_csv").splitlines()[1][:38]
    b'06/09/2024 8.15.32;19,00 / 25;Siti;081'
    """
    if export_format == "xlsx":
        return _export_workbook(rows)
    if export_format == "excel_csv":
        cells = [
            [f"{m:%d/%m/%Y} {m.hour}.{m:%M.%S}", common.format_total(t, N_ITEMS).replace(".", ","),
             name, phone, *answers]
            for m, t, name, phone, answers in rows
        ]  # fmt: skip
        return common.rows_csv_text(HEADER, cells, delimiter=";").encode("utf-8-sig")
    cells = [
        [common.format_timestamp(m), common.format_total(t, N_ITEMS), name, phone, *answers]
        for m, t, name, phone, answers in rows
    ]
    return common.rows_csv_text(HEADER, cells).encode("utf-8")


def _export_workbook(rows: Sequence[Submission]) -> bytes:
    cells: list[list[object]] = [HEADER]
    for moment, total, name, phone, answers in rows:
        total_text = common.format_total(total, N_ITEMS)
        cells.append(
            [moment, total_text, name or None, phone or None, *(a or None for a in answers)]
        )
    return common.xlsx_package([("Jawaban Formulir 1", cells)], "Tes pengetahuan - DATA FIKTIF")


def checklist_bytes(site: Village) -> bytes:
    """The village's checklist workbook: one ``Kelompok <g>`` sheet per mentoring group.

    Same layout as the bundled study's (:func:`analisis.synth.common.checklist_rows`); group
    ``g`` is assessed ``g`` weeks after the training.

    Examples
    --------
    >>> import io, openpyxl
    >>> site = village(1, 7)
    >>> book = openpyxl.load_workbook(io.BytesIO(checklist_bytes(site)), read_only=True)
    >>> len(book.sheetnames) == len(site.assessors), book.sheetnames[0]
    (True, 'Kelompok 1')
    """
    sheets = []
    for group, assessor in enumerate(site.assessors, start=1):
        members = [c for c in site.cadres if c.group == group]
        day = site.training_day + timedelta(days=7 * group)
        names, points = [c.sheet_name for c in members], [c.points for c in members]
        rows = common.checklist_rows(group, assessor, day, names, points)
        sheets.append((f"Kelompok {group}", rows))
    title = "Daftar tilik keterampilan pijat laktasi - DATA FIKTIF"
    return common.xlsx_package(sheets, title, bold_row=5)


PRE_STEM, POST_STEM = Path(common.PRE_FILE).stem, Path(common.POST_FILE).stem
VILLAGES_FILE = "villages.csv"
VILLAGE_COLUMNS = (
    "id", "label", "export_format", "n_cadres", "n_groups", "n_post", "n_post_unnamed",
    "n_paired", "true_gain",
)  # fmt: skip


def config_path(path: Path, root: Path) -> PurePosixPath:
    """``path`` as the config writes it: relative to ``root`` when inside it, else absolute.

    Examples
    --------
    >>> root = Path("/repo")
    >>> config_path(Path("/repo/data/raw/p"), root), config_path(Path("/tmp/p"), root)
    (PurePosixPath('data/raw/p'), PurePosixPath('/tmp/p'))
    """
    resolved, base = path.resolve(), root.resolve()
    return PurePosixPath(resolved.relative_to(base) if resolved.is_relative_to(base) else resolved)


def write_village(site: Village, seed: int, out: Path, shown: PurePosixPath) -> dict:
    """Write one village's exports under ``out/<id>/``; return its config cohort entry.

    ``shown`` is ``out`` as the config writes it (see :func:`config_path`).

    Examples
    --------
    >>> import tempfile
    >>> entry = write_village(village(1, 7), 1, Path(tempfile.mkdtemp()), PurePosixPath("p"))
    >>> entry["id"], entry["skill"]["workbook"]
    ('desa_007', 'p/desa_007/daftar_tilik_keterampilan.xlsx')
    """
    rng = np.random.default_rng([seed, site.index, 1])
    files = {
        phase: f"{stem}{SUFFIX[site.export_format]}"
        for phase, stem in (("pre", PRE_STEM), ("post", POST_STEM))
    }
    for phase, name in files.items():
        rows = submissions(rng, site, phase)
        common.write_file(out / site.cohort_id / name, export_bytes(rows, site.export_format))
    common.write_file(out / site.cohort_id / common.WORKBOOK_FILE, checklist_bytes(site))
    folder, instrument_folder = shown / site.cohort_id, shown / "instruments"
    return {
        "id": site.cohort_id,
        "label": site.label,
        "knowledge": {
            "instrument": str(instrument_folder / instruments.KNOWLEDGE_INSTRUMENT),
            "pre": str(folder / files["pre"]),
            "post": str(folder / files["post"]),
        },
        "skill": {
            "instrument": str(instrument_folder / instruments.CHECKLIST_INSTRUMENT),
            "workbook": str(folder / common.WORKBOOK_FILE),
            "sheets": [f"Kelompok {g}" for g in range(1, len(site.assessors) + 1)],
            "name_header": "Nama Kader",
        },
    }


def village_row(site: Village) -> list[object]:
    """The village's line of ``villages.csv`` (:data:`VILLAGE_COLUMNS`).

    Examples
    --------
    >>> row = village_row(village(1, 7))
    >>> row[0], row[3] - row[5] >= 0, row[7] == row[5] - row[6]
    ('desa_007', True, True)
    """
    cadres = site.cadres
    n_post = sum(c.post_correct is not None for c in cadres)
    unnamed = sum(c.post_correct is not None and c.post_name == "" for c in cadres)
    return [
        site.cohort_id, site.label, site.export_format, len(cadres), len(site.assessors),
        n_post, unnamed, site.n_paired(), f"{site.true_gain:.4f}",
    ]  # fmt: skip


def model_lines(n_villages: int, seed: int) -> list[str]:
    """The command and the generating model in a few lines, for the README and the config.

    Examples
    --------
    >>> print(model_lines(2, 5)[1])
    true village mean knowledge gain g_v ~ N(20, 6^2) points (tau = 6), independent across villages
    """
    return [
        f"FICTITIOUS programme of {n_villages} villages, written by "
        f"`python -m analisis.synth --villages {n_villages} --seed {seed} --out DIR`",
        f"true village mean knowledge gain g_v ~ N({GAIN_MEAN:g}, {GAIN_TAU:g}^2) points "
        f"(tau = {GAIN_TAU:g}), independent across villages",
        f"a cadre's gain g_v + N(0, {GAIN_CADRE_SD:g}^2); pre-test ability N({PRE_MEAN:g}, "
        f"{PRE_VILLAGE_SD:g}^2) per village + N(0, {PRE_CADRE_SD:g}^2) per cadre; items right "
        f"~ Binomial({N_ITEMS}, ability / 100)",
        f"{CADRES_RANGE[0]}-{CADRES_RANGE[1]} cadres and {GROUPS_RANGE[0]}-{GROUPS_RANGE[1]} "
        f"mentoring groups a village (uniform, at least 4 cadres a group); the post-test "
        f"missed by {MISSING_POST_RANGE[0]:.0%}-{MISSING_POST_RANGE[1]:.0%} of cadres "
        "(uniform per village)",
    ]


def readme_text(villages: Sequence[Village], seed: int) -> str:
    """README.md of a generated programme: provenance, model, formats, mess, figures.

    Examples
    --------
    >>> readme_text([village(1, 1), village(1, 2)], 1).splitlines()[0]
    '# Fictitious training programme: 2 villages'
    """
    gains = np.array([v.true_gain for v in villages])
    spread = f"{gains.std(ddof=1):.2f}" if len(gains) > 1 else "undefined (one village)"
    n_cadres = sum(len(v.cadres) for v in villages)
    formats = "\n".join(
        f"| `{key}` | {text} | {sum(v.export_format == key for v in villages)} |"
        for key, text in (
            ("forms_csv", common.FORMS_FORMAT),
            ("excel_csv", EXCEL_FORMAT),
            ("xlsx", XLSX_FORMAT),
        )
    )
    spellings = "\n".join(
        f"| {source} | " + ", ".join(f"{kind} {p:.0%}" for kind, p in chances.items()) + " |"
        for source, chances in SPELLINGS.items()
    )
    model = "\n".join(f"* {line}" for line in model_lines(len(villages), seed))
    return f"""# Fictitious training programme: {len(villages)} villages

**FICTITIOUS data for testing the pipeline at scale: every village, name, phone number
and answer is invented.** Do not edit by hand; regenerate instead.

{model}

Achieved: {n_cadres} cadres, {sum(v.n_paired() for v in villages)} of them with both tests
reaching the pipeline; the true gains g_v have sample mean {gains.mean():.2f} and SD
{spread} points. `{VILLAGES_FILE}` lists each village's `true_gain` and its counts
(`n_paired` = cadres with a pre-test and a named post-test row).

## Files

`config.yaml` (run `snakemake --cores all --configfile <this folder>/config.yaml` from
the repository root), `instruments/` (one knowledge test and one checklist for the whole
programme, those of the bundled study) and one folder per village, `desa_001` ...:
`{PRE_STEM}` and `{POST_STEM}` (`.csv` or `.xlsx`) and `{common.WORKBOOK_FILE}` with sheets
`Kelompok 1` ... in every village, so sheet, group and assessor names repeat across
villages, as do cadre names (common Indonesian names).

| export format | what | villages |
|---|---|---|
{formats}

## Mess

Name spellings by file (otherwise the usual spelling; a typo the pipeline's fuzzy
match could pair with another cadre is written correctly instead):

| file | spellings |
|---|---|
{spellings}

Each submission: an earlier incomplete one {RESUBMIT:.0%} (the pipeline keeps the later
complete one), one blank answer {BLANK:.0%}, `Total skor` off by one {MISMATCH:.0%};
a post-test row with the name left empty {UNNAMED:.0%} (dropped: that cadre is unpaired);
a facilitator's test row in the pre-test of {FACILITATOR:.0%} of villages.
"""


def programme_study(n_villages: int) -> dict:
    """The ``study:`` block of a generated programme: its own title, and ``synthetic``.

    The instruments are the bundled study's, hence its topic; the report's banner then
    says the data are synthetic.

    Examples
    --------
    >>> programme_study(3)["title"]["en"], programme_study(3)["synthetic"]
    ('A fictitious programme of 3 villages (synthetic data)', True)
    """
    return {
        "title": {
            "id": f"Program fiktif {n_villages} desa (data sintetis)",
            "en": f"A fictitious programme of {n_villages} villages (synthetic data)",
        },
        "topic": {"id": "pijat laktasi", "en": "lactation-massage"},
        "synthetic": True,
    }


def write_programme(
    out: Path, villages: Sequence[Village], seed: int, shown: PurePosixPath
) -> tuple[list[Path], dict]:
    """Write a programme's files but its config; return them and the config to write.

    The instruments, every village's exports, ``villages.csv`` and ``README.md``;
    ``shown`` is ``out`` as the config writes it (see :func:`config_path`).

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> written, config = write_programme(out, [village(3, 1)], 3, PurePosixPath("p"))
    >>> [p.name for p in written], config["cohorts"][0]["knowledge"]["pre"]
    (['pengetahuan.csv', 'daftar_tilik.csv', 'villages.csv', 'README.md'], \
'p/desa_001/pretest_pengetahuan.csv')
    """
    written = instruments.write_instruments(out / "instruments")
    cohorts = [write_village(site, seed, out, shown) for site in villages]
    table = common.rows_csv_text(VILLAGE_COLUMNS, [village_row(v) for v in villages])
    written.append(common.write_file(out / VILLAGES_FILE, table.encode("utf-8")))
    written.append(common.write_file(out / "README.md", readme_text(villages, seed).encode()))
    return written, {"study": programme_study(len(villages)), "cohorts": cohorts}


def write_config(path: Path, config: dict) -> Path:
    r"""Write ``config`` to ``path`` as JSON text, which is YAML too; return ``path``.

    Snakemake reads a ``--configfile`` as JSON first (Python's C parser: 2 ms a thousand
    villages) and only then as YAML (its pure-Python reader: 0.56 s a thousand villages,
    about 45 s at 80,000, paid again by every cluster job). A generated programme's
    config is written, not edited, so it is JSON; what its comments said is in the
    README beside it.

    Examples
    --------
    >>> import tempfile, yaml
    >>> path = write_config(Path(tempfile.mkdtemp()) / "c.yaml", {"b": [1], "a": "ä"})
    >>> path.read_text(encoding="utf-8")
    '{\n "b": [\n  1\n ],\n "a": "ä"\n}\n'
    >>> yaml.safe_load(path.read_text(encoding="utf-8"))
    {'b': [1], 'a': 'ä'}
    """
    body = json.dumps(config, ensure_ascii=False, indent=1) + "\n"
    return common.write_file(path, body.encode("utf-8"))


def generate(
    out: Path, n_villages: int, seed: int = common.SEED, root: Path | None = None
) -> list[Path]:
    """Write a programme of ``n_villages`` villages under ``out``; return the top-level files.

    Paths in ``out/config.yaml`` are relative to ``root`` (default: the current
    directory, meant to be the repository root where Snakemake runs) when ``out`` lies
    inside it, else absolute.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> [p.name for p in generate(out, 1, seed=3, root=out)]
    ['pengetahuan.csv', 'daftar_tilik.csv', 'villages.csv', 'README.md', 'config.yaml']
    >>> import yaml
    >>> yaml.safe_load((out / "config.yaml").read_text())["cohorts"][0]["knowledge"]["pre"]
    'desa_001/pretest_pengetahuan.csv'
    """
    root = Path.cwd() if root is None else root
    villages = [village(seed, index) for index in range(1, n_villages + 1)]
    written, config = write_programme(out, villages, seed, config_path(out, root))
    written.append(write_config(out / "config.yaml", config))
    return written
