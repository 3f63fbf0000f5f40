"""statsmodels' ``MixedLM`` fitted by REML with tolerances that reach lme4's digits.

For models beyond the one-way random intercept (which :mod:`analisis.stats.mixed` fits in
closed form), such as the waves model of :mod:`analisis.stats.waves`. statsmodels' default
gradient tolerance leaves a relative error of about 1e-4 in the variance components, and
a gradient method can stall, so the fit tries a chain of optimisers and keeps every
warning as a note instead of printing it. See docs/statistics.md, "Waves: does it last?".
"""

from __future__ import annotations

import warnings

import numpy as np

#: Gradient tolerance for statsmodels' BFGS (1e-10 fails on precision loss, 1e-5 is coarse).
GTOL = 1e-8


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
