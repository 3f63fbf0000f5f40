"""Item analysis of the knowledge test: difficulty, discrimination, KR-20, McNemar + Holm."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.multitest import multipletests

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

    def convert(value: object) -> float:
        if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
            return math.nan
        key = str(value).strip().lower()
        if key not in TRUE_TEXT:
            raise ValueError(f"correct must be true/false or 1/0, got {value!r}")
        return float(TRUE_TEXT[key])

    return values.map(convert).astype(float)


def kr20(matrix) -> float:
    """Kuder-Richardson formula 20 of a people × items 0/1 matrix.

    KR-20 = k / (k - 1) × (1 - Σ p_j (1 - p_j) / σ²_X), with p_j the share correct on
    item j and σ²_X the variance (ddof 0, consistent with p q) of the total scores;
    numerically equal to Cronbach's alpha on 0/1 items. NaN when σ²_X = 0 (everyone has
    the same total, e.g. all items correct) or k < 2.

    References
    ----------
    Kuder, G. F., & Richardson, M. W. (1937). The theory of the estimation of test
    reliability. Psychometrika, 2(3), 151-160.

    Examples
    --------
    See tests/test_stats_items.py for a hand calculation.

    >>> kr20([[1, 1], [1, 1]])
    nan
    """
    x = np.asarray(matrix, dtype=float)
    k = x.shape[1]
    total_var = float(np.var(x.sum(axis=1)))
    if k < 2 or total_var == 0:
        return math.nan
    p = x.mean(axis=0)
    return k / (k - 1) * (1 - float(np.sum(p * (1 - p))) / total_var)


def corrected_item_total(matrix) -> np.ndarray:
    """Corrected item-total correlation (point-biserial) of each item with the rest score.

    r_j = Pearson r(item_j, total - item_j); NaN where the item or the rest score is
    constant.

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


def mcnemar_exact(pre_correct, post_correct) -> dict[str, object]:
    """Exact McNemar test of one item, pre -> post (statsmodels, binomial on b + c).

    b = correct before, wrong after; c = wrong before, correct after. p = 1 when b + c = 0.

    References
    ----------
    McNemar, Q. (1947). Psychometrika, 12(2), 153-157.

    Examples
    --------
    b = 0, c = 6: p = 2 × 0.5⁶ = 0.03125:

    >>> mcnemar_exact([0] * 6 + [1] * 4, [1] * 10)["p"]
    0.03125
    """
    a = np.asarray(pre_correct, dtype=float)
    b = np.asarray(post_correct, dtype=float)
    table = [
        [int(np.sum((a == 1) & (b == 1))), int(np.sum((a == 1) & (b == 0)))],
        [int(np.sum((a == 0) & (b == 1))), int(np.sum((a == 0) & (b == 0)))],
    ]
    result = mcnemar(table, exact=True)
    return {
        "pre_correct_post_wrong": table[0][1],
        "pre_wrong_post_correct": table[1][0],
        "p": float(result.pvalue),
    }


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


def item_analysis(
    responses: pd.DataFrame, *, alpha: float = DEFAULTS["analysis"]["alpha"]
) -> tuple[pd.DataFrame, dict]:
    """Item table and reliability summary from long responses (one row per person × item).

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
    frame = responses.assign(correct=as_binary(responses["correct"]))
    keys = person_keys(frame)
    wide = {
        phase: frame[frame["phase"] == phase]
        .pivot_table(index=keys, columns="item_id", values="correct", aggfunc="first")
        .sort_index()
        for phase in ("pre", "post")
    }
    item_ids = sorted(set(wide["pre"].columns) | set(wide["post"].columns))
    table = pd.DataFrame({"item_id": item_ids})
    summary: dict[str, object] = {"n_items": len(item_ids), "alpha": alpha}
    notes: list[str] = []
    for phase, matrix in wide.items():
        matrix = matrix.reindex(columns=item_ids)
        complete = matrix.dropna()
        table[f"n_{phase}"] = matrix.notna().sum().to_numpy()
        table[f"difficulty_{phase}"] = matrix.mean().to_numpy()
        table[f"discrimination_{phase}"] = (
            corrected_item_total(complete.to_numpy()) if len(complete) else np.nan
        )
        reliability = kr20(complete.to_numpy()) if len(complete) > 1 else math.nan
        all_correct = int((matrix.mean() == 1).sum())
        summary[f"kr20_{phase}"] = reliability
        summary[f"n_participants_{phase}"] = len(complete)
        summary[f"n_items_all_correct_{phase}"] = all_correct
        if len(complete) < len(matrix):
            left_out = len(matrix) - len(complete)
            notes.append(f"{phase}: {left_out} people with unanswered items left out of KR-20")
        if math.isnan(reliability):
            notes.append(f"{phase}: every total score equal (variance 0), KR-20 undefined")
        elif all_correct:
            notes.append(
                f"{phase}: {all_correct} of {len(item_ids)} items answered correctly by everyone; "
                "the total-score variance collapses and KR-20 says little about reliability"
            )
        if note := kr20_note(phase, reliability):
            notes.append(note)
    rows = []
    for item in item_ids:
        both = pd.concat(
            [wide["pre"].get(item), wide["post"].get(item)], axis=1, keys=["pre", "post"]
        )
        both = both.dropna()
        rows.append({"n_paired": len(both), **mcnemar_exact(both["pre"], both["post"])})
    tests = pd.DataFrame(rows)
    table = pd.concat([table, tests.rename(columns={"p": "mcnemar_p"})], axis=1)
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
