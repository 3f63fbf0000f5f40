"""Random-intercept model of villages: y_ij = mu + u_j + e_ij, fitted by REML (statsmodels).

u_j ~ N(0, tau²) is the village effect, e_ij ~ N(0, sigma²) the cadre's own deviation;
y is a knowledge gain (post - pre) or a skill score. See docs/statistics.md, section
"Random-intercept model of villages".

References
----------
Pinheiro, J. C., & Bates, D. M. (2000). Mixed-effects models in S and S-PLUS.
Springer, sections 2.2 (REML) and 4.1.3 (predictions of random effects).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import stats

#: Gradient tolerance for statsmodels' BFGS (1e-10 fails on precision loss, 1e-5 is coarse).
GTOL = 1e-8


@dataclass(frozen=True)
class VillageEstimate:
    """Shrunken (BLUP) mean of one village with its approximate 95% interval.

    ``below_target`` is True when the whole interval lies below the target, None when
    no target was given.
    """

    village: str
    estimate: float
    ci95: tuple[float, float]
    below_target: bool | None = None


@dataclass(frozen=True)
class MixedResult:
    """Random-intercept fit; ``to_dict`` is the ``mixed_gain`` part of ``analisis pool``.

    Examples
    --------
    >>> r = random_intercept_mean([1, 2, 3, 6, 7, 8], ["a"] * 3 + ["b"] * 3)
    >>> MixedResult.from_dict(r.to_dict()) == r
    True
    """

    estimate: float
    se: float
    ci95: tuple[float, float]
    tau2: float
    sigma2: float
    icc: float
    converged: bool
    blups: tuple[VillageEstimate, ...]
    target: float | None = None
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """Plain dict: tuples become lists."""
        out = asdict(self)
        out["ci95"] = list(self.ci95)
        out["blups"] = [{**asdict(b), "ci95": list(b.ci95)} for b in self.blups]
        out["notes"] = list(self.notes)
        return out

    @classmethod
    def from_dict(cls, data: dict) -> MixedResult:
        """Inverse of :meth:`to_dict` (None read back as NaN where a number belongs)."""
        blups = tuple(
            VillageEstimate(
                village=b["village"],
                estimate=_float(b["estimate"]),
                ci95=tuple(_float(x) for x in b["ci95"]),
                below_target=b.get("below_target"),
            )
            for b in data["blups"]
        )
        numbers = {key: _float(data[key]) for key in ("estimate", "se", "tau2", "sigma2", "icc")}
        return cls(
            **numbers,
            ci95=tuple(_float(x) for x in data["ci95"]),
            converged=bool(data["converged"]),
            blups=blups,
            target=data.get("target"),
            notes=tuple(data.get("notes", ())),
        )


def _float(value) -> float:
    return math.nan if value is None else float(value)


def _fit_reml(y: np.ndarray, groups: np.ndarray):
    """Fit statsmodels MixedLM (intercept only, random intercept) by REML; capture warnings."""
    from statsmodels.regression.mixed_linear_model import MixedLM

    return fit_reml(MixedLM(y, np.ones((y.size, 1)), groups=groups))


def fit_reml(model):
    """Fit a statsmodels ``MixedLM`` by REML; return (fit, converged, notes).

    BFGS with gradient tolerance ``GTOL`` first (statsmodels' default tolerance leaves
    a relative error of ~1e-4 in tau²); if it reports a problem, Powell's derivative-free
    method (gradient methods can stall: a 6 x 8 example stopped at |grad| = 2.5), then
    statsmodels' default chain. Every attempt's warnings are kept as notes.
    """
    notes: list[str] = []
    attempts = ({"method": "bfgs", "gtol": GTOL}, {"method": "powell", "ftol": 1e-12}, {})
    fit, converged = None, False
    for options in attempts:
        method = options.get("method", "statsmodels default")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                fit = model.fit(reml=True, **options)
            except np.linalg.LinAlgError as error:
                notes.append(f"{method}: LinAlgError: {error}")
                continue
        notes += [f"{method}: {w.category.__name__}: {w.message}" for w in caught]
        # "MLE may be on the boundary" and "Hessian not positive definite" are notes
        # (tau² = 0 is a valid REML estimate); a failed optimisation is not.
        converged = bool(fit.converged) and not any(
            w.category.__name__ == "ConvergenceWarning" and "fail" in str(w.message) for w in caught
        )
        if converged:
            break
    if fit is None:
        raise ArithmeticError("MixedLM failed: " + "; ".join(notes))
    return fit, converged, tuple(dict.fromkeys(notes))


def random_intercept_mean(values, village, target: float | None = None) -> MixedResult:
    """Pooled mean of a score over villages with a random intercept per village (REML).

    statsmodels ``MixedLM`` fits y_ij = mu + u_j + e_ij by REML. Returned: mu with its
    Wald se and normal 95% CI (as statsmodels reports them), tau² = Var(u_j),
    sigma² = Var(e_ij), ICC = tau² / (tau² + sigma²). For each village the BLUP
    mu + E(u_j | y) with the approximate 95% prediction interval
    BLUP ± 1.96 sqrt(Var(u_j | y) + Var(mu)) (conditional variance of the random effect
    from statsmodels' ``random_effects_cov`` plus the variance of the fixed effect,
    ignoring their covariance; Pinheiro & Bates 2000, sec. 4.1.3). With a ``target``,
    ``below_target`` flags villages whose whole interval lies below it. Warnings from
    the fit (e.g. ConvergenceWarning, tau² on the boundary) are captured: ``converged``
    is False after a ConvergenceWarning and ``notes`` holds their text. See
    docs/statistics.md, "Random-intercept model of villages".

    On balanced data (m per village) with MSB > MSW, REML gives sigma² = MSW and
    tau² = (MSB - MSW) / m, mu = grand mean, and BLUPs that shrink each village mean
    toward mu by tau² / (tau² + sigma² / m).

    Parameters
    ----------
    values : array_like
        One finite score per person (a gain, or a skill score).
    village : array_like
        Village of each person (at least 2 villages).
    target : float, optional
        Value the programme wants each village to reach.

    Examples
    --------
    Two villages of three, means 2 and 7: MSW = 1, MSB = 3 (2.5² + 2.5²) / 1 = 37.5,
    so tau² = (37.5 - 1) / 3 = 12.1667:

    >>> r = random_intercept_mean([1, 2, 3, 6, 7, 8], ["a"] * 3 + ["b"] * 3)
    >>> round(r.estimate, 6), round(r.tau2, 4), round(r.sigma2, 4)
    (4.5, 12.1667, 1.0)
    """
    y = np.asarray(values, dtype=float).ravel()
    groups = pd.Series(village, dtype=str).to_numpy()
    if y.size != groups.size or not np.all(np.isfinite(y)):
        raise ValueError("values and village must have equal length and finite values")
    if np.unique(groups).size < 2:
        raise ValueError("a random-intercept model needs at least 2 villages")
    fit, converged, notes = _fit_reml(y, groups)
    mu, var_mu = float(fit.fe_params[0]), float(np.asarray(fit.cov_params())[0, 0])
    tau2, sigma2 = float(np.asarray(fit.cov_re)[0, 0]), float(fit.scale)
    z = float(stats.norm.ppf(0.975))
    blups = []
    effects, effects_cov = fit.random_effects, fit.random_effects_cov  # each computes all
    for name in pd.unique(groups):
        u = float(np.asarray(effects[name])[0])
        half = z * math.sqrt(float(np.asarray(effects_cov[name])[0, 0]) + var_mu)
        lo, hi = mu + u - half, mu + u + half
        below = None if target is None else bool(hi < target)
        blups.append(VillageEstimate(str(name), mu + u, (lo, hi), below))
    se = math.sqrt(var_mu)
    return MixedResult(
        estimate=mu,
        se=se,
        ci95=(mu - z * se, mu + z * se),
        tau2=tau2,
        sigma2=sigma2,
        icc=tau2 / (tau2 + sigma2) if tau2 + sigma2 > 0 else math.nan,
        converged=converged,
        blups=tuple(blups),
        target=None if target is None else float(target),
        notes=notes,
    )
