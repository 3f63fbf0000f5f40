"""Knowledge across three or more waves (pre, post, follow-ups): attrition, tests, retention.

Scores arrive as one wide table: one row per cadre, one column per wave in the order
given (pre, post, then each follow-up). Two kinds of analysis, always labelled:

* **complete cases** (cadres measured at every wave): Friedman's test with Kendall's W,
  the repeated-measures ANOVA with Mauchly's test and the Greenhouse-Geisser and
  Huynh-Feldt corrections, pairwise paired t and Wilcoxon tests (Holm), d_z, retention;
* **all cadres** (everyone measured at least once): a linear mixed model with wave as a
  factor and a random intercept for the cadre (and the village), valid when the missing
  waves are missing at random.

See docs/statistics.md, section "Waves: does it last?".
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pandas as pd
from scipy import stats

from analisis.errors import InputError
from analisis.outputs import to_jsonable
from analisis.results import WavesAnalysis
from analisis.stats.effect_sizes import d_z, d_z_ci
from analisis.stats.items import as_binary, mcnemar_of_counts
from analisis.stats.mixedlm import fit_reml
from analisis.stats.paired import paired_t_test, wilcoxon_signed_rank
from analisis.tables import FOLLOW_UP_PHASES

#: Cadres tested at every wave that the complete-case tests need at least.
MIN_COMPLETE = 3
#: Share of the gain a cadre must keep to count as having retained it.
RETAINED_SHARE = 0.8
#: Label of every complete-case result (a reader must know who was left out).
COMPLETE_CASES = "complete cases"
#: Label of the mixed model, and the assumption it rests on.
ALL_CADRES = "all cadres measured at least once, under missing at random"


def complete_scores(wide: pd.DataFrame, waves) -> pd.DataFrame:
    """The rows of ``wide`` with a score at every wave, as a float table of the waves.

    Examples
    --------
    >>> w = pd.DataFrame({"pre": [1, 2, 3], "post": [4, None, 6], "fu": [5, 5, None]})
    >>> complete_scores(w, ["pre", "post", "fu"]).to_dict("list")
    {'pre': [1.0], 'post': [4.0], 'fu': [5.0]}
    """
    scores = wide[list(waves)].astype(float)
    return scores[scores.notna().all(axis=1)]


def _long(scores: pd.DataFrame) -> pd.DataFrame:
    """Complete scores (rows = cadres, columns = waves) as long columns subject, wave, score."""
    frame = scores.reset_index(drop=True)
    frame.columns = [str(c) for c in frame.columns]
    long = frame.rename_axis("subject").reset_index()
    return long.melt(id_vars="subject", var_name="wave", value_name="score")


def friedman_test(scores: pd.DataFrame) -> dict[str, object]:
    """Friedman's rank test across waves with Kendall's W (pingouin, tie-corrected).

    Each cadre's scores are ranked across the k waves (mid-ranks for ties); with R_j the
    rank sum of wave j over n cadres and T = Σ_i Σ_ties (t³ - t),

        W = (12 Σ R_j² - 3 n² k (k + 1)²) / (n² k (k² - 1) - n T),
        chi² = n (k - 1) W,  df = k - 1,

    so W = chi² / (n (k - 1)): 0 when the waves do not differ, 1 when every cadre ranks
    the waves alike. chi² is R's ``friedman.test`` statistic.

    Parameters
    ----------
    scores : DataFrame
        Complete cases: one row per cadre, one column per wave, no missing value.

    References
    ----------
    Friedman, M. (1937). JASA, 32(200), 675-701. Kendall, M. G., & Babington Smith, B.
    (1939). The problem of m rankings. Annals of Mathematical Statistics, 10(3), 275-287.
    Siegel, S., & Castellan, N. J. (1988). Nonparametric statistics for the behavioral
    sciences (2nd ed.), sections 7.2 and 9.4.

    Examples
    --------
    Three cadres who all rank the waves alike: W = 1, chi² = 3 × 2 × 1 = 6:

    >>> r = friedman_test(pd.DataFrame({"pre": [1, 2, 3], "post": [4, 5, 6], "fu": [7, 8, 9]}))
    >>> r["chi2"], r["df"], r["kendall_w"]
    (6.0, 2, 1.0)
    """
    import pingouin

    table = pingouin.friedman(data=_long(scores), dv="score", within="wave", subject="subject")
    return {
        "analysis": COMPLETE_CASES,
        "n": len(scores),
        "chi2": float(table["Q"].iloc[0]),
        "df": int(table["ddof1"].iloc[0]),
        "p": float(table["p_unc"].iloc[0]),
        "kendall_w": float(table["W"].iloc[0]),
    }


def rm_anova(scores: pd.DataFrame) -> dict[str, object]:
    """One-way repeated-measures ANOVA of wave with Mauchly's test and the GG/HF corrections.

    F = MS_wave / MS_error with df (k - 1, (k - 1)(n - 1)) (pingouin ``rm_anova``);
    generalised eta² ``ges`` (Olejnik & Algina 2003, pingouin's ``ng2``). Sphericity:
    Mauchly's W with its chi² approximation (pingouin ``sphericity``). The
    Greenhouse-Geisser epsilon (pingouin ``epsilon``, "gg") and the Huynh-Feldt epsilon

        eps_HF = (n (k - 1) eps_GG - 2) / ((k - 1) (n - 1 - (k - 1) eps_GG)),

    capped at 1 (pingouin, "hf"; as R's car and afex use it for the p value) multiply both
    degrees of freedom of F for ``p_gg`` and ``p_hf``.

    References
    ----------
    Greenhouse, S. W., & Geisser, S. (1959). Psychometrika, 24(2), 95-112.
    Huynh, H., & Feldt, L. S. (1976). Journal of Educational Statistics, 1(1), 69-82.
    Mauchly, J. W. (1940). Annals of Mathematical Statistics, 11(2), 204-209.
    Maxwell, S. E., & Delaney, H. D. (2004). Designing experiments and analyzing data
    (2nd ed.), chapter 11.

    Examples
    --------
    Three cadres, waves (1, 2, 2), (2, 3.5, 4), (4, 5, 6): grand mean 29.5 / 9,
    SS_wave = 4.3889, SS_cadre = 16.7222, SS_total = 21.5556, so SS_error = 0.4444 and
    F = (4.3889 / 2) / (0.4444 / 4) = 19.75:

    >>> s = pd.DataFrame({"pre": [1, 2, 4], "post": [2, 3.5, 5], "fu": [2, 4, 6]})
    >>> r = rm_anova(s)
    >>> r["df1"], r["df2"], round(r["F"], 2)
    (2, 4, 19.75)
    """
    import pingouin

    long = _long(scores)
    options = {"data": long, "dv": "score", "within": "wave", "subject": "subject"}
    with warnings.catch_warnings():
        # pingouin's own use of a pandas keyword that pandas is retiring; not about the data.
        warnings.filterwarnings("ignore", message="The inplace keyword")
        # A zero error mean square divides by zero: _undefined_parts says so instead.
        warnings.filterwarnings("ignore", category=RuntimeWarning)
        table = pingouin.rm_anova(**options, correction=False, detailed=False)
        sphericity = pingouin.sphericity(**options)
        eps_gg = float(pingouin.epsilon(**options, correction="gg"))
        eps_hf = min(float(pingouin.epsilon(**options, correction="hf")), 1.0)
    f, df1, df2 = (float(table[c].iloc[0]) for c in ("F", "ddof1", "ddof2"))
    result = {
        "analysis": COMPLETE_CASES,
        "n": len(scores),
        "F": f,
        "df1": int(df1),
        "df2": int(df2),
        "p": float(table["p_unc"].iloc[0]),
        "ges": float(table["ng2"].iloc[0]),
        "mauchly_W": float(sphericity.W),
        "mauchly_chi2": float(sphericity.chi2),
        "mauchly_df": int(sphericity.dof),
        "mauchly_p": float(sphericity.pval),
        "eps_gg": eps_gg,
        "eps_hf": eps_hf,
        "p_gg": float(stats.f.sf(f, df1 * eps_gg, df2 * eps_gg)),
        "p_hf": float(stats.f.sf(f, df1 * eps_hf, df2 * eps_hf)),
        "note": None,
    }
    return _undefined_parts(result, scores)


def _undefined_parts(result: dict[str, object], scores: pd.DataFrame) -> dict[str, object]:
    """NaN, with a note, where pingouin returns a number that means nothing.

    With no variation left after the cadre (every cadre's scores differ by the same
    amounts) the error mean square is 0: F, its p and the sphericity statistics are
    undefined. With fewer cadres than waves the covariance of the k - 1 contrasts is
    singular, so Mauchly's W is 0 by construction and its test undefined (the epsilons
    are still estimated).
    """
    centred = scores.to_numpy(float)
    centred = centred - centred.mean(axis=1, keepdims=True) - centred.mean(axis=0) + centred.mean()
    mauchly = ("mauchly_W", "mauchly_chi2", "mauchly_p")
    if np.allclose(centred, 0):
        for key in ("F", "p", *mauchly, "eps_gg", "eps_hf", "p_gg", "p_hf"):
            result[key] = math.nan
        result["note"] = "no variation left after the cadres: F and sphericity undefined"
    elif len(scores) < scores.shape[1]:
        for key in mauchly:
            result[key] = math.nan
        result["note"] = (
            f"{len(scores)} cadres for {scores.shape[1]} waves: Mauchly's test needs at least "
            "as many cadres as waves"
        )
    return result


def holm(p_values) -> list[float]:
    """Holm's step-down adjustment (statsmodels ``multipletests``); NaN stays NaN.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure.
    Scandinavian Journal of Statistics, 6(2), 65-70.

    Examples
    --------
    Sorted p 0.01, 0.02, 0.04 times 3, 2, 1 (then made monotone):

    >>> [round(p, 6) for p in holm([0.04, 0.01, 0.02])]
    [0.04, 0.03, 0.04]
    """
    from statsmodels.stats.multitest import multipletests

    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    finite = np.isfinite(p)
    if finite.any():
        out[finite] = multipletests(p[finite], method="holm")[1]
    return out.tolist()


def pairwise_waves(scores: pd.DataFrame) -> list[dict[str, object]]:
    """Every pair of waves (earlier, later): paired t and Wilcoxon (Holm), d_z with its CI.

    difference = later - earlier. The t-test and the R-compatible Wilcoxon test are those
    of :mod:`analisis.stats.paired`; their p values are Holm-adjusted over the k(k-1)/2
    pairs, each family separately (as R's ``pairwise.t.test`` and
    ``pairwise.wilcox.test`` with ``paired = TRUE``); d_z and its noncentral-t interval
    are those of :mod:`analisis.stats.effect_sizes`.

    Examples
    --------
    >>> s = pd.DataFrame({"pre": [1, 2, 3, 4], "post": [3, 5, 6, 6], "fu": [2, 4, 5, 6]})
    >>> [(r["earlier"], r["later"], r["mean_difference"]) for r in pairwise_waves(s)]
    [('pre', 'post', 2.5), ('pre', 'fu', 1.75), ('post', 'fu', -0.75)]
    """
    rows = []
    for earlier, later in itertools.combinations(scores.columns, 2):
        x, y = scores[earlier].to_numpy(float), scores[later].to_numpy(float)
        t = paired_t_test(x, y)
        w = wilcoxon_signed_rank(y - x)
        effect = d_z(x, y)
        rows.append(
            {
                "analysis": COMPLETE_CASES,
                "earlier": str(earlier),
                "later": str(later),
                "n": int(x.size),
                "mean_difference": float(np.mean(y - x)),
                "ci95": t["ci95"],
                "t": t["t"],
                "df": t["df"],
                "p_t": t["p"],
                "V": w["V"],
                "p_wilcoxon": w["p"],
                "wilcoxon_method": w["method"],
                "d_z": effect,
                "d_z_ci95": list(d_z_ci(effect, int(x.size))),
            }
        )
    for key in ("p_t", "p_wilcoxon"):
        for row, adjusted in zip(rows, holm([r[key] for r in rows]), strict=True):
            row[f"{key}_holm"] = adjusted
    return rows


def retention(pre, post, follow_up, kept: float = RETAINED_SHARE) -> dict[str, object]:
    """Share of the training gain still there at follow-up, per cadre and as a ratio of means.

    Per cadre with a gain (post > pre): r_i = (follow-up_i - pre_i) / (post_i - pre_i);
    1 = everything kept, 0 = back at baseline, < 0 below it. Cadres without a gain have
    no retention (counted in ``n_no_gain``). Over all complete cases the ratio of means
    R = mean(follow-up - pre) / mean(post - pre) (NaN when the mean gain is not > 0).
    ``share_kept`` = share of cadres with a gain whose r_i >= ``kept`` (0.8: "kept at
    least 80 % of their gain"); ``share_at_baseline`` = share of them with
    follow-up <= pre.

    Examples
    --------
    Gains 20, 10, 10 and 0; at follow-up 15, 10, 0 and 5 above pre. The fourth cadre has
    no retention but counts in the ratio of means, (15 + 10 + 0 + 5) / (20 + 10 + 10 + 0):

    >>> r = retention([60, 70, 80, 90], [80, 80, 90, 90], [75, 80, 80, 95])
    >>> r["n_with_gain"], r["retention"], r["ratio_of_means"], r["n_kept"], r["n_at_baseline"]
    (3, [0.75, 1.0, 0.0], 0.75, 1, 1)
    """
    x, y, z = (np.asarray(v, dtype=float).ravel() for v in (pre, post, follow_up))
    if not (x.size == y.size == z.size) or not np.all(np.isfinite(np.r_[x, y, z])):
        raise ValueError("pre, post and follow-up need equal lengths and finite values")
    gain = y - x
    has_gain = gain > 0
    ratios = (z[has_gain] - x[has_gain]) / gain[has_gain]
    mean_gain = float(np.mean(gain)) if gain.size else math.nan
    n = int(has_gain.sum())
    return {
        "analysis": COMPLETE_CASES,
        "n": int(x.size),
        "n_with_gain": n,
        "n_no_gain": int(x.size - n),
        "retention": ratios.tolist(),
        "median_retention": float(np.median(ratios)) if n else math.nan,
        "ratio_of_means": float(np.mean(z - x)) / mean_gain if mean_gain > 0 else math.nan,
        "kept_share": kept,
        "n_kept": int(np.sum(ratios >= kept)),
        "share_kept": float(np.mean(ratios >= kept)) if n else math.nan,
        "n_at_baseline": int(np.sum(ratios <= 0)),
        "share_at_baseline": float(np.mean(ratios <= 0)) if n else math.nan,
    }


def mixed_model_waves(long: pd.DataFrame, waves) -> dict[str, object]:
    """Linear mixed model: wave as a factor, a random intercept per cadre (and village); REML.

    score_ti = b_0 + b_t + u_i + e_ti with b_first = 0 (treatment coding: b_t is the
    difference of wave t from the first wave), u_i ~ N(0, tau²_cadre),
    e_ti ~ N(0, sigma²). With a ``village`` column, the cadre intercept is nested in a
    village intercept v_j ~ N(0, tau²_village), as lme4's
    ``(1 | village) + (1 | village:cadre)``. statsmodels ``MixedLM`` fits by REML with the
    optimiser chain of :func:`analisis.stats.mixedlm.fit_reml`. Every row with a score is
    used, so a cadre lost after the post-test still informs the model: the estimates are
    unbiased when the missing scores are missing at random (given the cadre's observed
    scores), not only when they are missing completely at random.

    Returned: per wave the model mean b_0 + b_t with its Wald standard error and normal
    95% interval; for every pair of waves the difference b_later - b_earlier the same
    way; the variance components; n observations per wave.

    Parameters
    ----------
    long : DataFrame
        Columns ``cadre``, ``wave``, ``score`` and optionally ``village``; one row per
        cadre and wave measured (no missing score).
    waves : sequence of str
        Wave labels in time order; the first is the reference.

    References
    ----------
    Bates, D., Mächler, M., Bolker, B., & Walker, S. (2015). Fitting linear mixed-effects
    models using lme4. Journal of Statistical Software, 67(1), 1-48.
    Little, R. J. A., & Rubin, D. B. (2019). Statistical analysis with missing data
    (3rd ed.), chapter 1 (missing at random).

    Examples
    --------
    Balanced, no village: the wave means of the model are the observed wave means:

    >>> f = pd.DataFrame({"cadre": list("abcabc"), "wave": ["pre"] * 3 + ["post"] * 3,
    ...                   "score": [1.0, 3, 2, 4, 5, 7]})
    >>> r = mixed_model_waves(f, ["pre", "post"])
    >>> [round(m["estimate"], 6) for m in r["means"]]
    [2.0, 5.333333]
    """
    from statsmodels.regression.mixed_linear_model import MixedLM, VCSpec

    waves = [str(w) for w in waves]
    frame = long.assign(wave=long["wave"].astype(str), cadre=long["cadre"].astype(str))
    frame = frame.sort_values(["cadre", "wave"], kind="stable").reset_index(drop=True)
    design = np.column_stack(
        [np.ones(len(frame))] + [(frame["wave"] == w).to_numpy(float) for w in waves[1:]]
    )
    nested = "village" in frame
    if nested:
        village = frame["village"].astype(str)
        cadre_in_village = pd.get_dummies(village + "\x1f" + frame["cadre"], dtype=float)
        blocks = [_vc_block(cadre_in_village, village, g) for g in sorted(village.unique())]
        model = MixedLM(
            frame["score"].to_numpy(float),
            design,
            groups=village.to_numpy(),
            exog_re=np.ones((len(frame), 1)),
            # one matrix per village in statsmodels' (sorted) order of the group labels
            exog_vc=VCSpec(
                ["cadre"], [[list(map(str, range(b.shape[1]))) for b in blocks]], [blocks]
            ),
        )
    else:
        model = MixedLM(frame["score"].to_numpy(float), design, groups=frame["cadre"].to_numpy())
    fit, converged, notes = fit_reml(model)
    beta = np.asarray(fit.fe_params, dtype=float)
    variances = {"tau2_cadre": float(np.asarray(fit.cov_re)[0, 0]), "tau2_village": None}
    if nested:
        variances = {"tau2_cadre": float(fit.vcomp[0]), "tau2_village": variances["tau2_cadre"]}
    top = frame["village"] if nested else frame["cadre"]
    cov = fixed_effects_cov(
        design,
        top.to_numpy(),
        frame["cadre"].to_numpy(),
        tau2_top=variances["tau2_village"] if nested else variances["tau2_cadre"],
        tau2_cadre=variances["tau2_cadre"] if nested else 0.0,
        sigma2=float(fit.scale),
    )
    z = float(stats.norm.ppf(0.975))

    def contrast(weights: np.ndarray) -> dict[str, object]:
        estimate = float(weights @ beta)
        se = math.sqrt(float(weights @ cov @ weights))
        return {"estimate": estimate, "se": se, "ci95": [estimate - z * se, estimate + z * se]}

    rows = np.eye(beta.size)
    at = {w: rows[0] + (rows[i] if i else 0) for i, w in enumerate(waves)}
    counts = frame["wave"].value_counts()
    return {
        "analysis": ALL_CADRES,
        "method": "REML",
        "n_observations": len(frame),
        "n_cadres": int(
            frame[["village", "cadre"] if nested else ["cadre"]].drop_duplicates().shape[0]
        ),
        "n_villages": int(frame["village"].nunique()) if nested else None,
        "n_by_wave": {w: int(counts.get(w, 0)) for w in waves},
        "means": [{"wave": w, **contrast(at[w])} for w in waves],
        "differences": [
            {"earlier": a, "later": b, **contrast(at[b] - at[a])}
            for a, b in itertools.combinations(waves, 2)
        ],
        **variances,
        "sigma2": float(fit.scale),
        "converged": converged,
        "notes": list(notes),
    }


def _vc_block(indicators: pd.DataFrame, village: pd.Series, name: str) -> np.ndarray:
    """Rows of one village and the indicator columns of its cadres (statsmodels' exog_vc)."""
    rows = indicators[(village == name).to_numpy()]
    return rows.loc[:, rows.any(axis=0)].to_numpy()


def fixed_effects_cov(design, top, cadre, *, tau2_top, tau2_cadre, sigma2) -> np.ndarray:
    """Covariance of the fixed effects given the variances: (X' V^-1 X)^-1, as lme4's ``vcov``.

    V is block-diagonal over the top-level groups (villages, or cadres without villages):
    V_g = sigma² I + tau²_top 1 1' + tau²_cadre [same cadre]. statsmodels' ``cov_params``
    instead inverts the Hessian of the REML criterion over the fixed effects and the
    variances together; on unbalanced data (cadres lost at follow-up) its standard errors
    differ from lme4's (by 2.5e-4 relative on sleepstudy with 16 rows dropped), on balanced
    data they agree.

    References
    ----------
    Pinheiro & Bates (2000), section 2.2.1 (the conditional estimates of beta).

    Examples
    --------
    One group of two observations, tau² = sigma² = 1, intercept only:
    V = [[2, 1], [1, 2]], 1' V^-1 1 = 2 / 3, so Var(b_0) = 1.5:

    >>> v = fixed_effects_cov(np.ones((2, 1)), np.array(["a", "a"]), np.array(["x", "y"]),
    ...                       tau2_top=1.0, tau2_cadre=0.0, sigma2=1.0)
    >>> round(float(v[0, 0]), 12)
    1.5
    """
    x = np.asarray(design, dtype=float)
    information = np.zeros((x.shape[1], x.shape[1]))
    for group in pd.unique(top):
        rows = top == group
        same_cadre = cadre[rows][:, None] == cadre[rows][None, :]
        v = sigma2 * np.eye(rows.sum()) + tau2_top + tau2_cadre * same_cadre
        information += x[rows].T @ np.linalg.solve(v, x[rows])
    return np.linalg.inv(information)


def attrition_table(wide: pd.DataFrame, waves, village: str | None = None) -> pd.DataFrame:
    """Who was measured at each wave (per village): counts, and the complete cases.

    Columns: ``village`` (``None`` without villages), one count per wave, ``complete``
    (measured at every wave) and ``starters`` (measured at the first wave).

    Examples
    --------
    >>> w = pd.DataFrame({"pre": [1, 2, 3], "post": [4, None, 6], "fu": [5, 5, None]})
    >>> attrition_table(w, ["pre", "post", "fu"]).iloc[0].to_dict()
    {'village': None, 'pre': 3, 'post': 2, 'fu': 2, 'complete': 1, 'starters': 3}
    """
    waves = list(waves)
    measured = wide[waves].notna()
    measured["complete"] = measured[waves].all(axis=1)
    measured["starters"] = measured[waves[0]]
    if village is None:
        return pd.DataFrame([{"village": None, **measured.sum().astype(int).to_dict()}])
    counts = measured.groupby(wide[village].astype(str), sort=True).sum().astype(int)
    return counts.rename_axis("village").reset_index()


def stayers_vs_lost(scores, stayed) -> dict[str, object]:
    """Baseline of the cadres who stayed against those lost: difference, Welch CI, Cohen's d.

    difference = mean(stayers) - mean(lost) with Welch's t interval (scipy
    ``ttest_ind(equal_var=False)``, R's ``t.test`` default); d = difference / pooled SD,
    pooled SD = sqrt(((n1 - 1) s1² + (n2 - 1) s2²) / (n1 + n2 - 2)) (Cohen 1988, d_s in
    Lakens 2013 eq. 1). NaN where a group has fewer than 2 cadres. A positive difference
    means the cadres who stayed had scored higher.

    References
    ----------
    Welch, B. L. (1947). Biometrika, 34(1-2), 28-35. Lakens (2013), eq. 1.

    Examples
    --------
    Stayers 3, 5, 7 (mean 5, SD 2) and lost 1, 3 (mean 2, SD 1.414): pooled SD
    sqrt((2 × 4 + 1 × 2) / 3) = 1.8257, d = 3 / 1.8257 = 1.6432:

    >>> r = stayers_vs_lost([3, 5, 7, 1, 3], [True, True, True, False, False])
    >>> r["difference"], round(r["d"], 4)
    (3.0, 1.6432)
    """
    x = np.asarray(scores, dtype=float)
    keep = np.asarray(stayed, dtype=bool)
    measured = np.isfinite(x)
    a, b = x[keep & measured], x[~keep & measured]
    out = {"n_stayed": int(a.size), "n_lost": int(b.size)}
    out["mean_stayed"] = float(np.mean(a)) if a.size else math.nan
    out["mean_lost"] = float(np.mean(b)) if b.size else math.nan
    out["difference"] = out["mean_stayed"] - out["mean_lost"]
    if a.size < 2 or b.size < 2:
        return {**out, "ci95": [math.nan, math.nan], "p": math.nan, "d": math.nan}
    welch = stats.ttest_ind(a, b, equal_var=False)
    interval = welch.confidence_interval(0.95)
    pooled = math.sqrt(
        ((a.size - 1) * np.var(a, ddof=1) + (b.size - 1) * np.var(b, ddof=1))
        / (a.size + b.size - 2)
    )
    return {
        **out,
        "ci95": [float(interval.low), float(interval.high)],
        "p": float(welch.pvalue),
        "d": out["difference"] / pooled if pooled > 0 else math.nan,
    }


#: Columns of :func:`forgetting_counts`: one row per cohort, phase and item.
FORGETTING_COLUMNS = (
    "cohort", "phase", "item_id", "n_answered", "n_paired", "forgotten", "learned",
)  # fmt: skip


def forgetting_counts(responses: pd.DataFrame) -> pd.DataFrame:
    """The sufficient statistics of :func:`forgotten_items`, per cohort, phase and item.

    For the post-test and each follow-up phase, ``n_answered`` (answers with a value);
    for each follow-up, of the cadres who answered the item at post and at that
    follow-up, ``n_paired``, ``forgotten`` (right at post, wrong at the follow-up) and
    ``learned`` (the other way); 0 on the post-test's rows. Integers, so the shards of a
    programme send them and the study adds them up, never holding every answer. Expects
    the columns of the processed ``responses`` table.

    Examples
    --------
    >>> r = pd.DataFrame({"cohort": "c", "participant_id": ["K1", "K1", "K2", "K2"],
    ...                   "phase": ["post", "fu1"] * 2, "item_id": "P1",
    ...                   "correct": [True, False, True, True]})
    >>> forgetting_counts(r).values.tolist()
    [['c', 'fu1', 'P1', 2, 2, 1, 0], ['c', 'post', 'P1', 2, 0, 0, 0]]
    """
    keys = ["cohort", "participant_id", "item_id"]
    answered = responses.loc[
        responses["phase"].isin(["post", *FOLLOW_UP_PHASES]), [*keys, "phase", "correct"]
    ]
    answered = answered.assign(correct=as_binary(answered["correct"])).dropna(subset=["correct"])
    post = answered[answered["phase"] == "post"].drop(columns="phase")
    later = answered[answered["phase"] != "post"]
    pairs = later.merge(post, on=keys, suffixes=("", "_post"), validate="many_to_one")
    pairs = pairs.assign(
        n_paired=1,
        forgotten=((pairs["correct_post"] == 1) & (pairs["correct"] == 0)).astype(int),
        learned=((pairs["correct_post"] == 0) & (pairs["correct"] == 1)).astype(int),
    )
    group = ["cohort", "phase", "item_id"]
    counts = answered.groupby(group, sort=True).size().rename("n_answered").to_frame()
    paired = pairs.groupby(group, sort=True)[["n_paired", "forgotten", "learned"]].sum()
    counts = counts.join(paired, how="left").fillna(0).astype("int64").reset_index()
    return counts[list(FORGETTING_COLUMNS)]


def forgotten_items_of_counts(counts: pd.DataFrame, phase: str) -> pd.DataFrame:
    """:func:`forgotten_items` of post against ``phase`` from :func:`forgetting_counts`
    (of one table, or of the parts of a programme, concatenated).

    The items are those answered at post and at ``phase``; their counts add up over the
    rows (cohorts, shards). Exact McNemar on the summed discordant pairs
    (:func:`analisis.stats.items.mcnemar_of_counts`), Holm-adjusted over the items.

    Examples
    --------
    >>> c = pd.DataFrame({"cohort": ["a", "b", "a", "b"], "phase": ["fu1", "fu1", "post", "post"],
    ...                   "item_id": "P1", "n_answered": [3, 3, 3, 3], "n_paired": [3, 3, 0, 0],
    ...                   "forgotten": [3, 3, 0, 0], "learned": 0})
    >>> t = forgotten_items_of_counts(c, "fu1")
    >>> t[["item_id", "n_paired", "forgotten", "p"]].values.tolist()
    [['P1', 6, 6, 0.03125]]
    """

    def summed(at: str) -> pd.DataFrame:
        rows = counts[counts["phase"] == at]
        return rows.groupby("item_id", sort=True)[["n_answered", "n_paired", "forgotten",
                                                   "learned"]].sum()  # fmt: skip

    later, post = summed(phase), summed("post")
    items = sorted(
        set(later.index[later["n_answered"] > 0]) & set(post.index[post["n_answered"] > 0])
    )
    table = later.loc[items, ["n_paired", "forgotten", "learned"]].astype(int).reset_index()
    table["p"] = [
        mcnemar_of_counts(forgotten, learned)["p"]
        for forgotten, learned in zip(table["forgotten"], table["learned"], strict=True)
    ]
    table = table[["item_id", "n_paired", "forgotten", "learned", "p"]]
    table["p_holm"] = holm(table["p"])
    return table


def forgotten_items(earlier: pd.DataFrame, later: pd.DataFrame) -> pd.DataFrame:
    """Per item: who answered it right at the earlier wave and wrong at the later one.

    ``earlier`` and ``later`` are 0/1 matrices (rows = cadres, columns = items, NaN = not
    answered); only cadres answering an item at both waves count for it:
    :func:`forgotten_items_of_counts` of their :func:`forgetting_counts`. Exact McNemar
    test (two-sided binomial on the discordant pairs), Holm-adjusted over the items.
    ``forgotten`` = right then wrong, ``learned`` = wrong then right.

    Examples
    --------
    Six cadres right at post and wrong at follow-up, none the other way: p = 2 × 0.5⁶:

    >>> post = pd.DataFrame({"P1": [1] * 10, "P2": [1] * 10})
    >>> fu = pd.DataFrame({"P1": [0] * 6 + [1] * 4, "P2": [1] * 10})
    >>> t = forgotten_items(post, fu)
    >>> t[["item_id", "forgotten", "learned", "p", "p_holm"]].values.tolist()
    [['P1', 6, 0, 0.03125, 0.0625], ['P2', 0, 0, 1.0, 1.0]]
    """

    def long(matrix: pd.DataFrame, phase: str) -> pd.DataFrame:
        cells = matrix.rename_axis(index="participant_id", columns="item_id").reset_index()
        cells = cells.melt(id_vars="participant_id", value_name="correct")
        return cells.dropna(subset=["correct"]).assign(cohort="", phase=phase)

    phase = FOLLOW_UP_PHASES[0]
    both = pd.concat([long(earlier, "post"), long(later, phase)], ignore_index=True)
    return forgotten_items_of_counts(forgetting_counts(both), phase)


def waves_summary(wide: pd.DataFrame, waves, village: str | None = None) -> dict[str, object]:
    """Everything across the waves of one wide table: attrition, complete cases, all cadres.

    ``wide`` has one row per cadre (index = cadre id), a float column per wave (NaN where
    not measured) and optionally a ``village`` column. The first wave is the baseline
    (pre), the second the post-test, the rest follow-ups. Returned (see
    docs/contracts.md, "Waves"): ``attrition`` (per village), ``baseline`` (stayers vs
    lost at the first two waves), the complete-case ``friedman``, ``rm_anova``,
    ``pairwise`` and ``retention`` (per follow-up), the all-cadre ``mixed_model``, and
    ``notes``.

    Raises
    ------
    ValueError
        Fewer than 3 waves, or fewer than 3 cadres measured at every wave.

    Examples
    --------
    >>> w = pd.DataFrame({"pre": [60, 70, 65, 55], "post": [90, 95, 85, 80],
    ...                   "fu": [80, 92, 83, np.nan]}, index=list("abcd"))
    >>> r = waves_summary(w, ["pre", "post", "fu"])
    >>> r["n_complete"], r["retention"][0]["ratio_of_means"]   # (20 + 22 + 18) / (30 + 25 + 20)
    (3, 0.8)
    """
    waves = [str(w) for w in waves]
    if len(waves) < 3:
        raise ValueError("waves: at least 3 (pre, post and a follow-up) are needed")
    scores = wide[waves].astype(float)
    measured = scores.notna().any(axis=1)
    complete = scores.notna().all(axis=1)
    if complete.sum() < MIN_COMPLETE:
        found = int(complete.sum())
        raise ValueError(f"waves: {found} cadre(s) measured at every wave, need {MIN_COMPLETE}")
    cases = scores[complete]
    long = scores[measured].rename_axis("cadre").reset_index()
    if village is not None:
        long["village"] = wide.loc[measured, village].astype(str).to_numpy()
    long = long.melt(
        id_vars=[c for c in ("cadre", "village") if c in long], var_name="wave", value_name="score"
    ).dropna(subset=["score"])
    notes = []
    if village is not None and len(set(long["village"])) < 2:
        long = long.drop(columns="village")
        notes.append("one village: the mixed model has no village intercept")
    lost = int((measured & ~complete).sum())
    return {
        "waves": waves,
        "n_cadres": int(measured.sum()),
        "n_complete": int(complete.sum()),
        "n_incomplete": lost,
        "attrition": attrition_table(wide[measured], waves, village).to_dict("records"),
        "baseline": [
            {"wave": w, **stayers_vs_lost(scores.loc[measured, w], complete[measured])}
            for w in waves[:2]
        ],
        "friedman": friedman_test(cases),
        "rm_anova": rm_anova(cases),
        "pairwise": pairwise_waves(cases),
        "retention": [
            {"wave": w, **retention(cases[waves[0]], cases[waves[1]], cases[w])} for w in waves[2:]
        ],
        "mixed_model": mixed_model_waves(long, waves),
        "notes": notes,
    }


def waves_results(knowledge_scores: pd.DataFrame, forgetting: pd.DataFrame, cohorts):
    """waves.json of a study with delayed post-tests, from its processed tables.

    A cadre is (cohort, participant_id); the waves are pre, post and the follow-ups
    fu1, fu2, ... of the config (the most any cohort has). Cohorts that do not list that
    many follow-ups are left out (a note says which): their cadres were never due, not
    lost. With two or more cohorts left in, the cohort is the village of the mixed model
    and of the attrition table. ``forgotten`` compares each follow-up's answers with the
    post-test's (:func:`forgotten_items_of_counts` of the included cohorts' counts).

    Parameters
    ----------
    knowledge_scores : DataFrame
        The processed table (:mod:`analisis.tables`).
    forgetting : DataFrame
        :func:`forgetting_counts` of the processed ``responses`` (concatenated over the
        shards of a programme).
    cohorts : sequence of mapping
        The config's ``cohorts:`` (labels and days of ``knowledge.follow_up``).

    Returns
    -------
    analisis.results.WavesAnalysis
    """
    planned = {str(c.get("id")): (c.get("knowledge") or {}).get("follow_up") or [] for c in cohorts}
    waves = max(planned.values(), key=len)
    phases = FOLLOW_UP_PHASES[: len(waves)]
    # A cohort that never planned every follow-up has no one "lost": it is left out.
    included = [cohort for cohort, listed in planned.items() if len(listed) == len(waves)]
    left_out = [cohort for cohort in planned if cohort not in included]
    keys = ["cohort", "participant_id"]
    scores = knowledge_scores[knowledge_scores["cohort"].astype(str).isin(included)]
    wide = scores.pivot(index=keys, columns="phase", values="score")  # noqa: PD010
    wide = wide.reindex(columns=["pre", "post", *phases]).astype(float)
    several = len(included) > 1
    if several:
        wide["village"] = wide.index.get_level_values("cohort")
    wide.index = [f"{c}/{p}" for c, p in wide.index]
    n_complete = int(wide[["pre", "post", *phases]].notna().all(axis=1).sum())
    if n_complete < MIN_COMPLETE:
        files = [
            w["file"] for c in cohorts for w in (c.get("knowledge") or {}).get("follow_up", [])
        ]
        raise InputError(
            ", ".join(files),
            f"at least {MIN_COMPLETE} cadres tested at every wave (pre, post, "
            f"{', '.join(phases)}) for the waves analysis",
            found=f"{n_complete} cadre(s)",
        )
    summary = waves_summary(wide, ["pre", "post", *phases], "village" if several else None)
    if left_out:
        summary["notes"].append(
            f"cohorts without all {len(waves)} follow-up(s) left out: {', '.join(left_out)}"
        )

    counted = forgetting[forgetting["cohort"].astype(str).isin(included)]
    forgotten = [
        {"phase": phase, "items": forgotten_items_of_counts(counted, phase).to_dict("records")}
        for phase in phases
    ]
    follow_up = [
        {
            "phase": phase,
            "label": dict(wave["label"]),
            "days_after_training": wave["days_after_training"],
        }
        for phase, wave in zip(phases, waves, strict=True)
    ]
    document = {
        "follow_up": follow_up,
        "left_out": left_out,
        "summary": summary,
        "forgotten": forgotten,
    }
    return WavesAnalysis.from_dict(to_jsonable(document), source="waves.json")
