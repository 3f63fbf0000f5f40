"""Item analysis of the knowledge test: difficulty, discrimination, KR-20, McNemar + Holm."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analisis.config import DEFAULTS

TRUE_TEXT = {"true": 1, "1": 1, "1.0": 1, "false": 0, "0": 0, "0.0": 0}
#: A person: pseudonyms restart at K01 in every village, so the number alone is not one.
PERSON_KEYS = ("cohort", "participant_id")
#: KR-20 below this gets a note on what it means for the test: below 0.5 internal
#: consistency is "unacceptable" (George & Mallery 2003, SPSS for Windows step by step).
KR20_NOTE_BELOW = 0.5


def person_keys(*frames: pd.DataFrame) -> list[str]:
    """The columns that name one person in ``frames``: (cohort, participant_id).

    A table without ``cohort`` is one village and keys on ``participant_id`` alone; a
    cohort column in some frames but not in others is refused, since joining those on the
    pseudonym would merge different people.

    Examples
    --------
    >>> person_keys(pd.DataFrame(columns=["cohort", "participant_id", "score"]))
    ['cohort', 'participant_id']
    >>> person_keys(pd.DataFrame(columns=["participant_id"]))
    ['participant_id']
    """
    with_cohort = {"cohort" in frame.columns for frame in frames}
    if len(with_cohort) > 1:
        raise ValueError("some tables have a cohort column and others not: people would mix")
    return list(PERSON_KEYS) if with_cohort == {True} else ["participant_id"]


def responses_of(people: pd.DataFrame, responses: pd.DataFrame) -> pd.DataFrame:
    """The responses of exactly the people listed in ``people``, joined on both keys.

    Filtering on ``participant_id`` alone keeps K04 of one village because another village
    has a K04; the inner join on (cohort, participant_id) does not. The rows keep the
    order and columns of ``responses``, with a fresh index.

    Examples
    --------
    >>> people = pd.DataFrame({"cohort": ["a", "b"], "participant_id": ["K01", "K02"]})
    >>> r = pd.DataFrame({"cohort": ["a", "a", "b", "b"],
    ...                   "participant_id": ["K01", "K02", "K01", "K02"],
    ...                   "correct": [1, 0, 1, 1]})
    >>> responses_of(people, r)[["cohort", "participant_id"]].values.tolist()
    [['a', 'K01'], ['b', 'K02']]
    """
    keys = person_keys(people, responses)
    listed = people[keys].drop_duplicates()
    return responses.merge(listed, on=keys, how="inner", validate="many_to_one")


def as_binary(values: pd.Series) -> pd.Series:
    """Return correct/incorrect as a float 0/1 Series (bool, 0/1 or "True"/"False" text).

    Examples
    --------
    >>> as_binary(pd.Series([True, "False", "1", None])).tolist()
    [1.0, 0.0, 1.0, nan]
    """

    if values.dtype == bool:
        # Processed tables type `correct` as boolean: no text to read, one conversion.
        return values.astype(float)

    def convert(value: object) -> float:
        if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
            return math.nan
        key = str(value).strip().lower()
        if key not in TRUE_TEXT:
            raise ValueError(f"correct must be true/false or 1/0, got {value!r}")
        return float(TRUE_TEXT[key])

    return values.map(convert).astype(float)


def kr20(matrix) -> float:
    """Kuder-Richardson formula 20 of a people × items 0/1 matrix: :func:`kr20_of_counts`
    of its items' shares correct and its people's totals.

    Examples
    --------
    See tests/test_stats_items.py for a hand calculation.

    >>> kr20([[1, 1], [1, 1]])
    nan
    """
    x = np.asarray(matrix, dtype=float)
    return kr20_of_counts(x.mean(axis=0), x.sum(axis=1))


def kr20_of_counts(shares, totals) -> float:
    """KR-20 from each item's share correct p_j and each person's total score.

    KR-20 = k / (k - 1) × (1 - Σ p_j (1 - p_j) / σ²_X), with k the number of items and
    σ²_X the variance (ddof 0, consistent with p q) of the totals; numerically equal to
    Cronbach's alpha on 0/1 items. NaN when σ²_X = 0 (everyone has the same total, e.g.
    all items correct) or k < 2. These are its sufficient statistics: the shards of a
    programme send them, not the answers.

    References
    ----------
    Kuder, G. F., & Richardson, M. W. (1937). The theory of the estimation of test
    reliability. Psychometrika, 2(3), 151-160.

    Examples
    --------
    p = (0.8, 0.6, 0.4, 0.2), Σpq = 0.8; totals 4, 3, 2, 1, 0 have variance 2:
    KR-20 = 4/3 × (1 - 0.8 / 2) = 0.8.

    >>> round(kr20_of_counts(np.array([0.8, 0.6, 0.4, 0.2]), np.array([4, 3, 2, 1, 0.0])), 12)
    0.8
    """
    p = np.asarray(shares, dtype=float)
    k = p.size
    total_var = float(np.var(np.asarray(totals, dtype=float)))
    if k < 2 or total_var == 0:
        return math.nan
    return k / (k - 1) * (1 - float(np.sum(p * (1 - p))) / total_var)


def corrected_item_total(matrix) -> np.ndarray:
    """Corrected item-total correlation (point-biserial) of each item with the rest score
    of a people × items 0/1 matrix, as ``np.corrcoef`` computes it in floating point.

    r_j = Pearson r(item_j, total - item_j); NaN where the item or the rest score is
    constant. This is the float path over every answer in row order: the discrimination
    of a study analysed in one job (one shard). Across shards the same r comes exactly
    from integer sums (:func:`item_rest_correlation`); the two agree to a few units in
    the last place.

    References
    ----------
    Crocker, L., & Algina, J. (1986). Introduction to classical and modern test theory,
    ch. 14.

    Examples
    --------
    Item 1 = (1, 1, 0, 1) against rest = (2, 0, 1, 2): cross-products of deviations sum to
    0.25, sums of squares 0.75 and 2.75, r = 0.25 / sqrt(0.75 × 2.75) = 0.1741; item 2 =
    (1, 0, 0, 1) against rest (2, 1, 1, 2) is perfectly correlated:

    >>> corrected_item_total([[1, 1, 1], [1, 0, 0], [0, 0, 1], [1, 1, 1]]).round(4).tolist()
    [0.1741, 1.0, 0.1741]
    """
    x = np.asarray(matrix, dtype=float)
    total = x.sum(axis=1)
    out = np.full(x.shape[1], np.nan)
    for j in range(x.shape[1]):
        item, rest = x[:, j], total - x[:, j]
        if np.ptp(item) > 0 and np.ptp(rest) > 0:
            out[j] = np.corrcoef(item, rest)[0, 1]
    return out


def item_rest_correlation(n, correct, cross, total_sum, total_squares) -> np.ndarray:
    """Pearson r of each 0/1 item x_j with the rest score R_j = T - x_j, from integer sums.

    With n people, S_x = Σ x_j (``correct``), S_xT = Σ x_j T (``cross``), S_T = Σ T and
    S_TT = Σ T²: since x² = x, Σ R = S_T - S_x, Σ R² = S_TT - 2 S_xT + S_x and
    Σ x R = S_xT - S_x, and r = (n Σ xR - S_x Σ R) / sqrt((n S_x - S_x²)(n Σ R² - (Σ R)²)).
    The sums are exact integers, so the only roundings are the final division and square
    root: the result does not depend on how the people were split into shards. NaN where
    the item or the rest score is constant.

    References
    ----------
    Crocker, L., & Algina, J. (1986). Introduction to classical and modern test theory,
    ch. 14.

    Examples
    --------
    Items (1, 1, 0, 1), (1, 0, 0, 1), (1, 0, 1, 1): totals 3, 1, 1, 3, so S_T = 8,
    S_TT = 20; item 1 has S_x = 3, S_xT = 7:

    >>> item_rest_correlation(4, [3, 2, 3], [7, 6, 7], 8, 20).round(4).tolist()
    [0.1741, 1.0, 0.1741]
    """
    n, s_t, s_tt = int(n), int(total_sum), int(total_squares)
    out = []
    for s_x, s_xt in zip(correct, cross, strict=True):
        s_x, s_xt = int(s_x), int(s_xt)
        s_r, s_rr, s_xr = s_t - s_x, s_tt - 2 * s_xt + s_x, s_xt - s_x
        numerator = n * s_xr - s_x * s_r
        denominator = (n * s_x - s_x * s_x) * (n * s_rr - s_r * s_r)
        # numerator² / denominator is one correctly rounded division of exact integers.
        out.append(
            math.copysign(math.sqrt(numerator * numerator / denominator), numerator)
            if denominator > 0
            else math.nan
        )
    return np.array(out, dtype=float)


def mcnemar_exact(pre_correct, post_correct) -> dict[str, object]:
    """Exact McNemar test of one item, pre -> post: :func:`mcnemar_of_counts` of its
    discordant pairs.

    Examples
    --------
    b = 0, c = 6: p = 2 × 0.5⁶ = 0.03125:

    >>> mcnemar_exact([0] * 6 + [1] * 4, [1] * 10)["p"]
    0.03125
    """
    a = np.asarray(pre_correct, dtype=float)
    b = np.asarray(post_correct, dtype=float)
    return mcnemar_of_counts(int(np.sum((a == 1) & (b == 0))), int(np.sum((a == 0) & (b == 1))))


def mcnemar_of_counts(pre_correct_post_wrong: int, pre_wrong_post_correct: int) -> dict:
    """Exact McNemar test from the discordant pairs (statsmodels, binomial on b + c).

    b = correct before, wrong after; c = wrong before, correct after; the concordant
    pairs do not enter the exact test. p = 1 when b + c = 0.

    References
    ----------
    McNemar, Q. (1947). Psychometrika, 12(2), 153-157.

    Examples
    --------
    b = 1, c = 7: p = 2 × P(X <= 1 | 8, 0.5) = 2 × 9 / 256:

    >>> mcnemar_of_counts(1, 7)["p"] == 18 / 256
    True
    """
    # Imported here: a shard job counts items and never tests them, and statsmodels is a
    # third of that job's start-up.
    from statsmodels.stats.contingency_tables import mcnemar

    b, c = int(pre_correct_post_wrong), int(pre_wrong_post_correct)
    result = mcnemar([[0, b], [c, 0]], exact=True)
    return {"pre_correct_post_wrong": b, "pre_wrong_post_correct": c, "p": float(result.pvalue)}


def kr20_note(phase: str, reliability: float) -> str | None:
    """A sentence on what a KR-20 below :data:`KR20_NOTE_BELOW` means for the test.

    Negative: the items covary negatively on average (Σ p q exceeds the variance of the
    totals), so the total does not measure one consistent trait in this sample; a
    negative value is not a small reliability and must not be reported as one.
    0 to 0.5: less than half of the score variance is true-score variance, so individual
    scores are unreliable (a group mean can still be compared). None otherwise.

    References
    ----------
    Kuder & Richardson (1937); George, D., & Mallery, P. (2003). SPSS for Windows step
    by step (4th ed.), p. 231 (alpha < .5 unacceptable).

    Examples
    --------
    >>> kr20_note("pre", -0.005)[:37]
    'pre: KR-20 = -0.005 is negative: the '
    >>> kr20_note("post", 0.8) is None
    True
    """
    if not math.isfinite(reliability) or reliability >= KR20_NOTE_BELOW:
        return None
    if reliability < 0:
        return (
            f"{phase}: KR-20 = {reliability:.2g} is negative: the items covary negatively on "
            "average, so the total score does not measure one consistent trait in this "
            "sample; this is not a low reliability but none established"
        )
    return (
        f"{phase}: KR-20 = {reliability:.2g} < {KR20_NOTE_BELOW:g}: less than half of the "
        "score variance is true-score variance, so individual scores are unreliable "
        "(the group mean can still be compared)"
    )


#: The test occasions the item analysis compares.
PHASES = ("pre", "post")
#: Columns of :attr:`ItemCounts.items`: one row per item.
ITEM_COUNT_COLUMNS = (
    "item_id",
    *(f"{what}_{phase}" for phase in PHASES
      for what in ("n", "correct", "complete_correct", "complete_cross")),
    "n_paired", "pre_correct_post_wrong", "pre_wrong_post_correct",
)  # fmt: skip
#: Float columns of :attr:`ItemCounts.items`: the part's own :func:`corrected_item_total`
#: per phase, over its complete people; the study's when the study is this one part.
ITEM_OWN_COLUMNS = tuple(f"discrimination_{phase}" for phase in PHASES)
#: Columns of :attr:`ItemCounts.totals` after the person's keys: one row per person and phase.
ITEM_TOTAL_COLUMNS = ("phase", "n_answered", "n_correct")


@dataclass(frozen=True)
class ItemCounts:
    """The sufficient statistics of :func:`item_analysis` of one group of people (a shard).

    ``items`` (:data:`ITEM_COUNT_COLUMNS`), one row per item answered in either phase:
    per phase, ``n`` answered and ``correct``; among the people who answered every item
    of the group in that phase ("complete"), ``complete_correct`` = Σ x_j and
    ``complete_cross`` = Σ x_j · T (T = the person's total); and the McNemar counts of
    the people with the item in both phases. ``totals``: the person's keys, ``phase``,
    ``n_answered`` and ``n_correct`` (= T) of each person seen in that phase. These are
    integers, so the parts of a programme add up exactly. ``items`` also carries the
    part's own discrimination (:data:`ITEM_OWN_COLUMNS`), computed in floating point over
    its answers, which a study of this one part reports as it always has.
    """

    items: pd.DataFrame
    totals: pd.DataFrame


def _phase_matrices(responses: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """People × items 0/1 matrix (NaN: not answered) of each phase, people in key order."""
    frame = responses.assign(correct=as_binary(responses["correct"]))
    keys = person_keys(frame)
    return {
        phase: frame[frame["phase"] == phase]
        .pivot_table(index=keys, columns="item_id", values="correct", aggfunc="first")
        .sort_index()
        for phase in PHASES
    }


def item_counts(responses: pd.DataFrame) -> ItemCounts:
    """:class:`ItemCounts` of long responses (one row per person × item).

    Expects the columns of :func:`item_analysis`.

    Examples
    --------
    Person a: pre P1 right, P2 wrong; b: both wrong; both right on both at post.

    >>> cells = [(p, ph, i) for ph in ("pre", "post") for p in "ab" for i in ("P1", "P2")]
    >>> r = pd.DataFrame(cells, columns=["participant_id", "phase", "item_id"])
    >>> c = item_counts(r.assign(correct=[1, 0, 0, 0, 1, 1, 1, 1]))
    >>> columns = ["item_id", "correct_pre", "complete_cross_post", "pre_wrong_post_correct"]
    >>> c.items[columns].values.tolist()
    [['P1', 1, 4, 1], ['P2', 0, 4, 2]]
    >>> c.totals.values.tolist()
    [['a', 'pre', 2, 1], ['b', 'pre', 2, 0], ['a', 'post', 2, 2], ['b', 'post', 2, 2]]
    """
    wide = _phase_matrices(responses)
    item_ids = sorted(set(wide["pre"].columns) | set(wide["post"].columns))
    items: dict[str, object] = {"item_id": item_ids}
    totals = []
    for phase, matrix in wide.items():
        matrix = matrix.reindex(columns=item_ids)
        answered = matrix.notna().to_numpy()
        x = np.rint(matrix.fillna(0).to_numpy(dtype=float)).astype(np.int64)
        total = x.sum(axis=1)
        complete = answered.all(axis=1)
        items[f"n_{phase}"] = answered.sum(axis=0)
        items[f"correct_{phase}"] = x.sum(axis=0)
        items[f"complete_correct_{phase}"] = x[complete].sum(axis=0)
        items[f"complete_cross_{phase}"] = (x[complete] * total[complete, None]).sum(axis=0)
        items[f"discrimination_{phase}"] = (
            corrected_item_total(x[complete]) if complete.any() else np.nan
        )
        people = matrix.index.to_frame(index=False)
        totals.append(people.assign(phase=phase, n_answered=answered.sum(axis=1), n_correct=total))
    pre, post = (wide[phase].reindex(columns=item_ids) for phase in PHASES)
    people = pre.index.union(post.index)
    pre, post = pre.reindex(people), post.reindex(people)
    items["n_paired"] = (pre.notna() & post.notna()).sum().to_numpy()
    items["pre_correct_post_wrong"] = ((pre == 1) & (post == 0)).sum().to_numpy()
    items["pre_wrong_post_correct"] = ((pre == 0) & (post == 1)).sum().to_numpy()
    counts = pd.DataFrame(items, columns=[*ITEM_COUNT_COLUMNS, *ITEM_OWN_COLUMNS])
    return ItemCounts(
        counts.astype({c: "int64" for c in ITEM_COUNT_COLUMNS[1:]}),
        pd.concat(totals, ignore_index=True),
    )


def _complete_totals(totals: pd.DataFrame, phase: str, n_items: int) -> np.ndarray:
    """Totals of the people who answered all ``n_items`` items in ``phase``, in key order.

    A part whose items are fewer than the study's has no such person: each of its people
    answered at most its own items.
    """
    keys = [c for c in totals.columns if c not in ITEM_TOTAL_COLUMNS]
    complete = totals[(totals["phase"] == phase) & (totals["n_answered"] == n_items)]
    return complete.sort_values(keys, kind="mergesort")["n_correct"].to_numpy(dtype=float)


def item_analysis_of_counts(
    parts: Sequence[ItemCounts], *, alpha: float = DEFAULTS["analysis"]["alpha"]
) -> tuple[pd.DataFrame, dict]:
    """:func:`item_analysis` from the :class:`ItemCounts` of disjoint groups of people.

    Counts add up over the parts. A person is complete in a phase when they answered
    every item of the study; the complete sums of a part count only when its items are
    the study's (else none of its people is complete). Difficulty = correct / n;
    discrimination = over the complete people, the part's own :func:`corrected_item_total`
    when the study is one part (the float path over its answers, unchanged for a study of
    one shard), else :func:`item_rest_correlation` of the summed counts (exact, whatever
    the split; the two agree to a few units in the last place); KR-20 =
    :func:`kr20_of_counts` of their shares and totals (in key order); McNemar =
    :func:`mcnemar_of_counts`, Holm-adjusted over items.

    Examples
    --------
    Splitting the people into parts changes nothing here (discrimination could move in
    its last bits):

    >>> r = pd.DataFrame({"cohort": list("aaaabbbb") * 2, "participant_id": ["K1", "K1",
    ...                   "K2", "K2"] * 4, "phase": ["pre"] * 8 + ["post"] * 8,
    ...                   "item_id": ["P1", "P2"] * 8,
    ...                   "correct": [1, 0, 0, 0, 1, 1, 0, 1] + [1] * 8})
    >>> whole, _ = item_analysis_of_counts([item_counts(r)])
    >>> split, _ = item_analysis_of_counts([item_counts(r[r.cohort == c]) for c in "ab"])
    >>> whole.equals(split), whole["difficulty_pre"].tolist()
    (True, [0.5, 0.5])
    """
    counted = list(ITEM_COUNT_COLUMNS)
    items = pd.concat([part.items[counted] for part in parts]).groupby("item_id", sort=True).sum()
    item_ids = items.index.tolist()
    full = [part.items[counted] for part in parts if sorted(part.items["item_id"]) == item_ids]
    complete = (
        pd.concat(full).groupby("item_id", sort=True).sum().reindex(item_ids, fill_value=0)
        if full
        else items * 0
    )
    people = pd.concat([part.totals for part in parts], ignore_index=True)
    table = pd.DataFrame({"item_id": item_ids})
    summary: dict[str, object] = {"n_items": len(item_ids), "alpha": alpha}
    notes: list[str] = []
    for phase in PHASES:
        n = items[f"n_{phase}"].to_numpy()
        difficulty = pd.Series(items[f"correct_{phase}"].to_numpy() / np.where(n, n, np.nan))
        totals = _complete_totals(people, phase, len(item_ids))
        seen = int((people["phase"] == phase).sum())
        correct = complete[f"complete_correct_{phase}"].to_numpy()
        table[f"n_{phase}"] = n
        table[f"difficulty_{phase}"] = difficulty.to_numpy()
        table[f"discrimination_{phase}"] = (
            parts[0].items.set_index("item_id")[f"discrimination_{phase}"].to_numpy()
            if len(parts) == 1
            else item_rest_correlation(
                totals.size,
                correct,
                complete[f"complete_cross_{phase}"].to_numpy(),
                int(totals.sum()),
                int((totals**2).sum()),
            )
            if totals.size
            else np.nan
        )
        reliability = kr20_of_counts(correct / totals.size, totals) if totals.size > 1 else math.nan
        all_correct = int((difficulty == 1).sum())
        summary[f"kr20_{phase}"] = reliability
        summary[f"n_participants_{phase}"] = int(totals.size)
        summary[f"n_items_all_correct_{phase}"] = all_correct
        if totals.size < seen:
            notes.append(
                f"{phase}: {seen - totals.size} people with unanswered items left out of KR-20"
            )
        if math.isnan(reliability):
            notes.append(f"{phase}: every total score equal (variance 0), KR-20 undefined")
        elif all_correct:
            notes.append(
                f"{phase}: {all_correct} of {len(item_ids)} items answered correctly by everyone; "
                "the total-score variance collapses and KR-20 says little about reliability"
            )
        if note := kr20_note(phase, reliability):
            notes.append(note)
    tests = pd.DataFrame(
        [
            {
                "n_paired": int(row.n_paired),
                **mcnemar_of_counts(row.pre_correct_post_wrong, row.pre_wrong_post_correct),
            }
            for row in items.itertuples()
        ],
        columns=["n_paired", "pre_correct_post_wrong", "pre_wrong_post_correct", "p"],
    )
    table = pd.concat([table, tests.rename(columns={"p": "mcnemar_p"})], axis=1)
    from statsmodels.stats.multitest import multipletests  # as in mcnemar_of_counts

    table["mcnemar_p_holm"] = multipletests(table["mcnemar_p"], alpha=alpha, method="holm")[1]
    table["significant_holm"] = table["mcnemar_p_holm"] < alpha
    table["note"] = np.where(
        table["pre_correct_post_wrong"] + table["pre_wrong_post_correct"] == 0,
        "no discordant pairs: p = 1",
        "",
    )
    summary["n_items_significant_holm"] = int(table["significant_holm"].sum())
    summary["notes"] = notes
    return table, summary


def item_analysis(
    responses: pd.DataFrame, *, alpha: float = DEFAULTS["analysis"]["alpha"]
) -> tuple[pd.DataFrame, dict]:
    """Item table and reliability summary from long responses (one row per person × item):
    :func:`item_analysis_of_counts` of their :func:`item_counts`.

    Expects columns ``cohort`` (optional: without it the table is one village),
    ``participant_id``, ``phase`` ("pre"/"post"), ``item_id``, ``correct``; a person is
    (cohort, participant_id) in the matrices and in the McNemar pairs. Difficulty = share
    correct per phase; discrimination = corrected item-total correlation per phase (people
    with every item of that phase answered); McNemar over people with the item in both
    phases, Holm-adjusted over items.

    Returns
    -------
    items : DataFrame
        ``item_id, n_pre, difficulty_pre, discrimination_pre, n_post, difficulty_post,
        discrimination_post, n_paired, pre_correct_post_wrong, pre_wrong_post_correct,
        mcnemar_p, mcnemar_p_holm, significant_holm, note``; sorted by item_id.
    summary : dict
        ``n_items``, ``kr20_pre``, ``kr20_post``, ``n_participants_pre``,
        ``n_participants_post``, ``n_items_all_correct_pre``/``_post``,
        ``n_items_significant_holm``, ``alpha``, ``notes``.

    Examples
    --------
    >>> r = pd.DataFrame({"participant_id": ["a", "a", "b", "b"] * 2,
    ...                   "phase": ["pre"] * 4 + ["post"] * 4,
    ...                   "item_id": ["P1", "P2"] * 4,
    ...                   "correct": [1, 0, 0, 0, 1, 1, 1, 1]})
    >>> items, summary = item_analysis(r)
    >>> items["difficulty_pre"].tolist(), items["difficulty_post"].tolist()
    ([0.5, 0.0], [1.0, 1.0])
    """
    return item_analysis_of_counts([item_counts(responses)], alpha=alpha)
