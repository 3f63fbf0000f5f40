"""What the paper left out: is the gain significant for every data set its means allow?

A paper that prints only a pre-test and a post-test mean leaves the SDs, the
correlation and hence the paired test open.  This module searches the space of data
sets consistent with what was printed, SPRITE-style (Heathers et al. 2018): n scores
on the test's grid, within the score bounds, whose means round to the printed means
(optionally with SDs in given ranges).  Each sampled pre/post pair of samples is then
paired in the ways that matter for the SD of the differences:

* sorted in the same order (the largest correlation the two samples allow, hence the
  smallest SD of the differences for these samples);
* sorted in opposite orders (the smallest correlation, the largest SD of the
  differences: rearrangement inequality, Hardy, Littlewood & Pólya 1952, §10.2);
* a few random pairings.

Over the whole space the extremes are known exactly (without SD ranges):

* the smallest t (largest SD of the differences) for totals ``(T_pre, T_post)``
  maximises ``sum (post_i - pre_i)**2``, a convex function, so it sits at a vertex of
  the feasible set: each sample as spread out as the bounds allow (all scores at a
  bound but one), paired in opposite orders;
* the largest t comes from differences as equal as possible (``q`` or ``q + 1`` grid
  units), which the bounds always allow; t is unbounded when all differences can be
  equal.

The search must reach the analytic smallest t; :func:`robustness` reports whether it
did.  Frequencies of the sampled data sets are not probabilities (as in SPRITE): the
distribution of d_z shows what is possible, not what is likely.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
from scipy import stats

from analisis.errors import ConfigError
from analisis.outputs import to_jsonable
from analisis.review.block import PublishedBlock, PublishedValue, RobustnessSettings, as_block
from analisis.review.grim import grim, possible_totals, step_text, unit_bounds
from analisis.review.grimmer import extreme_sample, min_sum_of_squares

#: Quantiles of d_z reported for the figure and the summary.
QUANTILES = (0.025, 0.25, 0.5, 0.75, 0.975)
_BATCH = 250


def paired_t(differences: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Paired t-test on differences (post - pre) along the last axis, vectorised.

    ``t = mean(d) / (sd(d) / sqrt(n))``, ``df = n - 1``, two-sided ``p``, and
    ``d_z = mean(d) / sd(d) = t / sqrt(n)`` (Lakens 2013, eq. 7).  When all
    differences are equal the SD is 0: t and d_z are ±inf (0 when the mean is 0
    too) and p is 0 (1).

    References
    ----------
    Lakens, D. (2013). Calculating and reporting effect sizes to facilitate cumulative
    science. *Frontiers in Psychology*, 4, 863. https://doi.org/10.3389/fpsyg.2013.00863

    Examples
    --------
    >>> g1 = np.array([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0])
    >>> g2 = np.array([1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])
    >>> t, p, d_z = paired_t(g2 - g1)
    >>> round(float(t), 4), round(float(p), 6)  # R: t = 4.0621, p-value = 0.002833
    (4.0621, 0.002833)
    """
    d = np.asarray(differences, dtype=float)
    n = d.shape[-1]
    mean = d.mean(axis=-1)
    sd = d.std(axis=-1, ddof=1)
    # Differences that are exactly equal can leave rounding noise in the SD.
    sd = np.where(np.ptp(d, axis=-1) == 0, 0.0, sd)
    with np.errstate(divide="ignore", invalid="ignore"):
        d_z = np.where(sd > 0, mean / sd, np.sign(mean) * np.inf)
        d_z = np.where((sd == 0) & (mean == 0), 0.0, d_z)
    t = d_z * math.sqrt(n)
    p = np.where(np.isinf(t), 0.0, 2 * stats.t.sf(np.abs(t), n - 1))
    return t, p, d_z


def pairings(
    pre: np.ndarray, post: np.ndarray, rng: np.random.Generator, random_pairings: int
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Pair each pre sample with its post sample in the ways that matter.

    Parameters
    ----------
    pre, post : ndarray, shape (B, n)
        Samples (one per row).
    rng : numpy.random.Generator
        For the random pairings.
    random_pairings : int
        Number of random pairings per sample pair.

    Returns
    -------
    pre_paired, post_paired : ndarray, shape (B, 2 + random_pairings, n)
        Pairing 0 sorts both ascending (largest correlation), pairing 1 sorts them in
        opposite orders (smallest correlation), the rest are random.
    labels : list of str
        ``"same order"``, ``"opposite order"``, ``"random"``, ...

    Examples
    --------
    >>> a, b, labels = pairings(np.array([[3, 1, 2]]), np.array([[5, 6, 4]]),
    ...                         np.random.default_rng(1), 0)
    >>> (b - a)[0].tolist(), labels
    ([[3, 3, 3], [5, 3, 1]], ['same order', 'opposite order'])
    """
    pre_sorted = np.sort(pre, axis=1)
    post_sorted = np.sort(post, axis=1)
    posts = [post_sorted, post_sorted[:, ::-1]]
    posts += [rng.permuted(post_sorted, axis=1) for _ in range(random_pairings)]
    pre_out = np.repeat(pre_sorted[:, None, :], len(posts), axis=1)
    labels = ["same order", "opposite order"] + ["random"] * random_pairings
    return pre_out, np.stack(posts, axis=1), labels


def sprite_samples(
    n: int,
    totals: np.ndarray,
    target_ss: np.ndarray,
    low: int,
    high: int,
    rng: np.random.Generator,
    max_iter: int | None = None,
) -> np.ndarray:
    """SPRITE-style samples: n integers in ``[low, high]`` with given sums, SS near targets.

    Each row starts as evenly as its total allows and takes random one-unit moves
    (one value up, another down: the sum stays fixed) that bring its sum of squares
    closer to its target.  Half of the proposals move a random pair; the other half
    the pair that changes the sum of squares most in the needed direction, so that
    even the extreme targets (all values at the bounds) are reached.

    Parameters
    ----------
    n : int
        Sample size.
    totals : ndarray of int, shape (B,)
        Sum of each sample, in grid units.
    target_ss : ndarray of float, shape (B,)
        Target sum of squares of each sample (between the even and the extreme one).
    low, high : int
        Bounds of a value, in grid units.
    rng : numpy.random.Generator
        Random source.
    max_iter : int, optional
        Maximum number of proposals per row (default ``8 * n * (high - low)``).

    Returns
    -------
    ndarray of int, shape (B, n)

    References
    ----------
    Heathers, J. A., Anaya, J., van der Zee, T., & Brown, N. J. (2018). Recovering
    data from summary statistics: Sample Parameter Reconstruction via Iterative
    TEchniques (SPRITE). *PeerJ Preprints* 6:e26968v1.
    https://doi.org/10.7287/peerj.preprints.26968v1

    Examples
    --------
    >>> x = sprite_samples(4, np.array([20]), np.array([300.0]), 0, 10,
    ...                    np.random.default_rng(0))
    >>> sorted(x[0].tolist()), int((x[0] ** 2).sum())
    ([0, 0, 10, 10], 200)
    """
    totals = np.asarray(totals, dtype=np.int64)
    size = len(totals)
    q, k = np.divmod(totals - n * low, n)
    q += low
    x = np.repeat(q[:, None], n, axis=1)
    x[np.arange(n)[None, :] < k[:, None]] += 1
    ss = (x * x).sum(axis=1).astype(float)
    rows = np.arange(size)
    limit = max_iter if max_iter is not None else 8 * n * max(1, high - low)
    idle = 0
    for iteration in range(limit):
        can_up = x < high
        can_down = x > low
        keys = rng.random((2, size, n))
        if iteration % 2:
            i = np.argmax(np.where(can_up, keys[0], -1.0), axis=1)
            j = np.argmax(np.where(can_down, keys[1], -1.0), axis=1)
        else:
            # Greedy pair: spread (raise the largest, lower the smallest) or contract.
            spread = ss < target_ss
            up_key = np.where(spread[:, None], x, -x) + keys[0] * 0.5
            down_key = np.where(spread[:, None], -x, x) + keys[1] * 0.5
            i = np.argmax(np.where(can_up, up_key, -np.inf), axis=1)
            j = np.argmax(np.where(can_down, down_key, -np.inf), axis=1)
        xi, xj = x[rows, i], x[rows, j]
        new_ss = ss + 2.0 * (xi - xj) + 2.0
        accept = (i != j) & (xi < high) & (xj > low)
        accept &= np.abs(new_ss - target_ss) < np.abs(ss - target_ss)
        if accept.any():
            idle = 0
            x[rows[accept], i[accept]] += 1
            x[rows[accept], j[accept]] -= 1
            ss = np.where(accept, new_ss, ss)
        else:
            idle += 1
            if idle > 4 * n:
                break
    return x


@dataclass(frozen=True)
class _Side:
    """One test (pre or post): its grid, bounds in units, targets and totals."""

    value: PublishedValue
    granule: Fraction
    low: int
    high: int
    targets: tuple[str, ...]
    totals: tuple[int, ...]
    sd_range: tuple[float, float] | None

    def var_limits(self, total: int, n: int) -> tuple[float, float] | None:
        """Range of the sample variance (units**2) for this total, within the SD range."""
        low_ss = min_sum_of_squares(total, n)
        high_ss = sum(v * v for v in extreme_sample(total, n, self.low, self.high))
        centre = total * total / n
        v_low, v_high = (low_ss - centre) / (n - 1), (high_ss - centre) / (n - 1)
        if self.sd_range is not None:
            g = float(self.granule)
            v_low = max(v_low, (self.sd_range[0] / g) ** 2)
            v_high = min(v_high, (self.sd_range[1] / g) ** 2)
        return (v_low, v_high) if v_low <= v_high else None


def _side(value: PublishedValue, block: PublishedBlock, sd_range, n: int) -> _Side:
    g = value.step / value.items
    low, high = unit_bounds(g, block.score_min, block.score_max)
    result = grim(value.printed, n, items=value.items, step=value.step, rounding=block.rounding,
                  score_min=block.score_min, score_max=block.score_max)  # fmt: skip
    if result.consistent:
        targets = (value.printed,)
    else:
        targets = tuple(
            str(v) for v in (result.nearest_below, result.nearest_above) if v is not None
        )
    totals = sorted(
        {
            t
            for target in targets
            for t in possible_totals(
                Decimal(target), value.decimals, n, g, block.rounding, (low, high)
            )
        }
    )
    side = _Side(value, g, low, high, targets, tuple(totals), sd_range)
    usable = tuple(t for t in totals if side.var_limits(t, n) is not None)
    if not usable:
        within = "" if sd_range is None else f" and an SD in {list(sd_range)}"
        raise ConfigError(
            f"published.robustness: no data set within the score bounds has a "
            f"{value.quantity} near the printed {value.printed}{within}"
        )
    return _Side(value, g, low, high, targets, usable, sd_range)


def _sample_side(side: _Side, n: int, size: int, rng: np.random.Generator) -> np.ndarray:
    totals = rng.choice(np.array(side.totals), size=size)
    limits = {t: side.var_limits(int(t), n) for t in side.totals}
    v_low = np.array([limits[int(t)][0] for t in totals])
    v_high = np.array([limits[int(t)][1] for t in totals])
    draw = rng.random(size)
    # A share of the targets sits at the ends of the range, so that the extremes are in.
    share = rng.random(size)
    draw = np.where(share < 0.1, 1.0, np.where(share < 0.15, 0.0, draw))
    target_var = v_low + draw * (v_high - v_low)
    target_ss = target_var * (n - 1) + totals.astype(float) ** 2 / n
    units = sprite_samples(n, totals, target_ss, side.low, side.high, rng)
    return units


def _in_sd_range(units: np.ndarray, side: _Side) -> np.ndarray:
    if side.sd_range is None:
        return np.ones(len(units), dtype=bool)
    sd = units.std(axis=1, ddof=1) * float(side.granule)
    return (sd >= side.sd_range[0] - 1e-12) & (sd <= side.sd_range[1] + 1e-12)


def _describe(pre: np.ndarray, post: np.ndarray) -> dict:
    d = post - pre
    t, p, d_z = paired_t(d)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.corrcoef(pre, post)[0, 1] if pre.std() > 0 and post.std() > 0 else math.nan
    return {
        "t": float(t),
        "df": len(d) - 1,
        "p": float(p),
        "d_z": float(d_z),
        "mean_difference": float(d.mean()),
        "sd_difference": float(d.std(ddof=1)),
        "pre_mean": float(pre.mean()),
        "post_mean": float(post.mean()),
        "pre_sd": float(pre.std(ddof=1)),
        "post_sd": float(post.std(ddof=1)),
        "r": float(r),
        "pre_scores": pre.tolist(),
        "post_scores": post.tolist(),
    }


def analytic_extremes(
    n: int,
    pre_totals: tuple[int, ...],
    post_totals: tuple[int, ...],
    pre_grid: tuple[Fraction, int, int],
    post_grid: tuple[Fraction, int, int],
) -> dict:
    """Exact smallest and largest paired t over all data sets with these totals.

    Parameters
    ----------
    n : int
        Number of pairs.
    pre_totals, post_totals : tuple of int
        Possible sums (grid units) of the pre and post scores.
    pre_grid, post_grid : (granule, low, high)
        Grid step and bounds (in units) of each test.

    Returns
    -------
    dict
        ``worst`` (the smallest t: both samples as spread as possible, paired in
        opposite orders) and ``best`` (the largest t: differences as equal as the
        grid allows), each described by t, df, p, d_z, means, SDs, r and the scores.

    Examples
    --------
    >>> r = analytic_extremes(4, (20,), (30,), (Fraction(1), 0, 10), (Fraction(1), 0, 10))
    >>> round(r["worst"]["t"], 5), r["worst"]["pre_scores"], r["worst"]["post_scores"]
    (0.52223, [0.0, 0.0, 10.0, 10.0], [10.0, 10.0, 10.0, 0.0])
    >>> round(r["best"]["t"], 4)  # differences 2, 2, 3, 3
    8.6603
    """
    worst = best = None
    g_pre, lo_pre, hi_pre = pre_grid
    g_post, lo_post, hi_post = post_grid
    for t_pre in pre_totals:
        pre_extreme = np.array(extreme_sample(t_pre, n, lo_pre, hi_pre)) * float(g_pre)
        for t_post in post_totals:
            post_extreme = np.array(extreme_sample(t_post, n, lo_post, hi_post)) * float(g_post)
            low = _describe(pre_extreme, post_extreme[::-1])
            if worst is None or low["t"] < worst["t"]:
                worst = low
            high = _describe(*_equal_differences(n, t_pre, t_post, pre_grid, post_grid))
            if best is None or high["t"] > best["t"]:
                best = high
    return {"worst": worst, "best": best}


def _equal_differences(
    n: int, t_pre: int, t_post: int, pre_grid: tuple, post_grid: tuple
) -> tuple[np.ndarray, np.ndarray]:
    g_pre, lo_pre, hi_pre = pre_grid
    g_post, lo_post, hi_post = post_grid
    if g_pre != g_post:
        # On different grids the differences are not on one grid; the most even
        # samples in the same order give a large t, not necessarily the largest.
        return (
            np.array(_even(t_pre, n)) * float(g_pre),
            np.array(_even(t_post, n)) * float(g_post),
        )
    diff_total = t_post - t_pre
    q, k = divmod(diff_total, n)
    d = np.array([q + 1] * k + [q] * (n - k))
    lower = np.maximum(lo_pre, lo_post - d)
    upper = np.minimum(hi_pre, hi_post - d)
    pre = lower.copy()
    remaining = t_pre - int(lower.sum())
    for index in range(n):
        add = min(remaining, int(upper[index] - pre[index]))
        pre[index] += add
        remaining -= add
    if remaining or (pre > upper).any():
        raise AssertionError("equal differences must be feasible within the bounds")
    return pre * float(g_pre), (pre + d) * float(g_post)


def _even(total: int, n: int) -> list[int]:
    q, k = divmod(total, n)
    return [q] * (n - k) + [q + 1] * k


def robustness(
    published: PublishedBlock | dict,
    *,
    alpha: float | None = None,
    n_samples: int | None = None,
    seed: int | None = None,
    time_limit_s: float | None = None,
    random_pairings: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Range of t, p and d_z over all data sets consistent with the printed means.

    Parameters
    ----------
    published : PublishedBlock or dict
        The ``published:`` block; needs ``pre_mean`` and ``post_mean`` with the same n.
        A mean that GRIM rules out is replaced by its nearest possible means (below
        and above), and a note says so.
    alpha : float, optional
        Significance level (default ``published.robustness.alpha``, 0.05).
    n_samples : int, optional
        Number of pre/post sample pairs to draw (default 2000).
    seed : int, optional
        Seed of the :class:`numpy.random.Generator`.
    time_limit_s : float, optional
        Stop drawing after this many seconds (checked between batches of 250).
    random_pairings : int, optional
        Random pairings per sample pair, besides the same-order and opposite-order ones.
    progress : callable, optional
        Called as ``progress(done, total)`` after every batch.

    Returns
    -------
    dict
        JSON-able: ``inputs``, ``n_datasets``, ``n_cases``, ``stopped_by_time_limit``,
        ``t``/``p`` ``{"min", "max"}``, ``d_z`` ``{"min", "max", "values",
        "quantiles"}`` (``values``: every sampled case, in the order drawn; infinite
        values left out), ``analytic`` (exact extremes), ``significant_in_every_case``,
        ``worst_case`` and ``notes``.  Infinite t or d_z are written as null.

    References
    ----------
    Heathers, J. A., Anaya, J., van der Zee, T., & Brown, N. J. (2018). SPRITE.
    *PeerJ Preprints* 6:e26968v1.

    Hardy, G. H., Littlewood, J. E., & Pólya, G. (1952). *Inequalities* (2nd ed.),
    Theorem 368. Cambridge University Press.

    Examples
    --------
    >>> block = {"n": 4, "score_min": 0, "score_max": 10, "values": [
    ...     {"quantity": "pre_mean", "printed": "5.00"},
    ...     {"quantity": "post_mean", "printed": "7.50"}]}
    >>> r = robustness(block, n_samples=50, seed=1)
    >>> round(r["t"]["min"], 5), r["significant_in_every_case"]
    (0.52223, False)
    """
    block = as_block(published)
    settings = block.robustness.with_overrides(
        alpha=alpha, n_samples=n_samples, seed=seed, time_limit_s=time_limit_s,
        random_pairings=random_pairings,
    )  # fmt: skip
    pre, post = _sides(block, settings)
    found = _search(pre, post, settings, progress)
    return _combine(block, pre, post, settings, found)


def _sides(block: PublishedBlock, settings: RobustnessSettings) -> tuple[_Side, _Side]:
    """The pre and post sides of the search, after checking that a paired test applies."""
    pre_value, post_value = block.value("pre_mean"), block.value("post_mean")
    if pre_value is None or post_value is None:
        raise ConfigError("published.values: the robustness search needs pre_mean and post_mean")
    if pre_value.n != post_value.n:
        raise ConfigError(
            "published.values: pre_mean and post_mean need the same n for a paired test "
            f"(found {pre_value.n} and {post_value.n})"
        )
    n = pre_value.n
    if n < 2:
        raise ConfigError("published.n: a paired t-test needs n >= 2")
    return _side(pre_value, block, settings.pre_sd, n), _side(
        post_value, block, settings.post_sd, n
    )


@dataclass(frozen=True)
class _Found:
    """What the random search drew: every case's t and d_z, and the worst case seen."""

    t: np.ndarray
    d_z: np.ndarray
    worst: dict | None
    n_datasets: int
    attempted: int
    stopped: bool


def _search(
    pre: _Side,
    post: _Side,
    settings: RobustnessSettings,
    progress: Callable[[int, int], None] | None,
) -> _Found:
    """Draw sample pairs in batches until ``n_samples`` or the time limit."""
    n = pre.value.n
    rng = np.random.default_rng(settings.seed)
    started = time.monotonic()
    t_all, dz_all = [], []
    worst: dict | None = None
    n_datasets = attempted = 0
    stopped = False
    while attempted < settings.n_samples:
        if time.monotonic() - started > settings.time_limit_s:
            stopped = True
            break
        size = min(_BATCH, settings.n_samples - attempted)
        attempted += size
        pre_units = _sample_side(pre, n, size, rng)
        post_units = _sample_side(post, n, size, rng)
        keep = _in_sd_range(pre_units, pre) & _in_sd_range(post_units, post)
        pre_paired, post_paired, labels = pairings(
            pre_units[keep] * float(pre.granule),
            post_units[keep] * float(post.granule),
            rng,
            settings.random_pairings,
        )
        t, _, d_z = paired_t(post_paired - pre_paired)
        if t.size:
            row, column = np.unravel_index(np.argmin(t), t.shape)
            if worst is None or t[row, column] < worst["t"]:
                worst = _describe(pre_paired[row, column], post_paired[row, column])
                worst["pairing"] = labels[column]
        t_all.append(t.ravel())
        dz_all.append(d_z.ravel())
        n_datasets += int(keep.sum())
        if progress is not None:
            progress(attempted, settings.n_samples)
    return _Found(
        t=np.concatenate(t_all) if t_all else np.array([]),
        d_z=np.concatenate(dz_all) if dz_all else np.array([]),
        worst=worst,
        n_datasets=n_datasets,
        attempted=attempted,
        stopped=stopped,
    )


def _combine(
    block: PublishedBlock, pre: _Side, post: _Side, settings: RobustnessSettings, found: _Found
) -> dict:
    """The search's cases together with the exact extremes, as the JSON document."""
    n = pre.value.n
    sd_given = settings.sd_given
    analytic = analytic_extremes(
        n,
        pre.totals,
        post.totals,
        (pre.granule, pre.low, pre.high),
        (post.granule, post.low, post.high),
    )
    # Without SD ranges the formula's extremes belong to the set searched; with them
    # they may lie outside it, so only the drawn cases count.
    lowest, highest = list(found.t), list(found.t)
    if not sd_given:
        lowest.append(analytic["worst"]["t"])
        highest.append(analytic["best"]["t"])
    if not lowest:
        raise ConfigError("published.robustness: no data set met the SD ranges; widen them")
    t_min, t_max = float(np.min(lowest)), float(np.max(highest))
    if not sd_given and (
        found.worst is None or analytic["worst"]["t"] <= found.worst["t"] * (1 + 1e-9) + 1e-12
    ):
        worst = dict(analytic["worst"], pairing="opposite order", source="analytic")
    else:
        worst = dict(found.worst, source="search")
    df = n - 1
    p_of = lambda t_value: float(2 * stats.t.sf(abs(t_value), df))  # noqa: E731
    finite = found.d_z[np.isfinite(found.d_z)]
    reached = bool(
        found.worst is not None
        and math.isclose(found.worst["t"], analytic["worst"]["t"], rel_tol=1e-9)
    )
    significant = bool(t_min > 0 and p_of(t_min) < settings.alpha)
    result = {
        "inputs": _inputs(block, pre, post, settings),
        "n_datasets": found.n_datasets,
        "n_rejected_by_sd_range": found.attempted - found.n_datasets,
        "n_cases": int(found.t.size),
        "stopped_by_time_limit": found.stopped,
        "t": {"min": t_min, "max": t_max},
        "p": {"min": p_of(t_max) if math.isfinite(t_max) else 0.0, "max": p_of(t_min)},
        "d_z": {
            "min": t_min / math.sqrt(n),
            "max": t_max / math.sqrt(n),
            "values": finite.tolist(),
            "quantiles": {
                str(q): float(np.quantile(finite, q)) if finite.size else None for q in QUANTILES
            },
        },
        "analytic": {
            "exact": not sd_given,
            "t_max_exact": not sd_given and pre.granule == post.granule,
            "t_min": analytic["worst"]["t"],
            "t_max": analytic["best"]["t"],
            "search_reached_t_min": reached,
        },
        "significant_in_every_case": significant,
        "worst_case": worst,
        "notes": _notes(pre, post, n, settings, t_min, t_max, found.stopped, reached, p_of),
    }
    return to_jsonable(result)


def _inputs(block: PublishedBlock, pre: _Side, post: _Side, settings: RobustnessSettings) -> dict:
    n = pre.value.n
    return {
        "source": block.source,
        "n": n,
        "score_min": block.score_min,
        "score_max": block.score_max,
        "rounding": block.rounding,
        "pre": _side_inputs(pre, n),
        "post": _side_inputs(post, n),
        "alpha": settings.alpha,
        "n_samples": settings.n_samples,
        "seed": settings.seed,
        "time_limit_s": settings.time_limit_s,
        "random_pairings": settings.random_pairings,
        "pairings": ["same order", "opposite order"] + ["random"] * settings.random_pairings,
    }


def _side_inputs(side: _Side, n: int) -> dict:
    return {
        "quantity": side.value.quantity,
        "printed": side.value.printed,
        "step": step_text(side.value.step),
        "items": side.value.items,
        "sd_range": None if side.sd_range is None else list(side.sd_range),
        "targets": list(side.targets),
        "totals": list(side.totals),
        "means": [float(side.granule * t / n) for t in side.totals],
    }


def _notes(pre, post, n, settings, t_min, t_max, stopped, reached, p_of) -> list[str]:
    alpha, sd_given = settings.alpha, settings.sd_given
    notes = []
    for side in (pre, post):
        if side.targets != (side.value.printed,):
            notes.append(
                f"The printed {side.value.quantity} {side.value.printed} is impossible for "
                f"{n} scores on the grid (step {step_text(side.value.step)}); the search "
                f"uses the nearest possible means {' and '.join(side.targets)} instead."
            )
    if sd_given:
        notes.append(
            "With SD ranges the extremes come from the search, not from a formula: "
            "the true smallest t may be a little lower than reported."
        )
    elif not reached:
        notes.append(
            "The random search did not reach the analytic smallest t; the analytic value "
            "is used for the verdict."
        )
    if not math.isfinite(t_max):
        notes.append(
            "t has no upper bound: the differences can all be equal (SD of the differences 0)."
        )
    if stopped:
        notes.append("The search stopped at the time limit; fewer data sets were drawn.")
    verdict = "is" if t_min > 0 and p_of(t_min) < alpha else "is not"
    notes.append(
        f"The gain {verdict} significant at alpha = {alpha} in every data set consistent "
        f"with the printed means (smallest t({n - 1}) = {t_min:.3f}, p = {p_of(t_min):.4g})."
    )
    return notes
