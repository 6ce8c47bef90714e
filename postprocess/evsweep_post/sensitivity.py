"""Sobol indices (Saltelli layout) and Morris elementary effects.

Sobol indices use OpenTURNS (Martinez first-order, Jansen total estimators by default) on
the design's blocks A, B, A_B^i exactly as evsweep writes them (design/block); confidence
intervals by bootstrap.
"""
import numpy as np


def sobol_indices(unit, y, base_size, names, bootstrap=200, confidence=0.95, estimator="martinez-jansen"):
    """First-order and total indices of y with confidence intervals.

    unit: (N (k + 2), k) inputs of the varied parameters in evsweep's Saltelli layout;
    y: (N (k + 2),) outputs. Returns a list of dicts, one per parameter.
    estimator: "martinez-jansen" (default): first-order indices by Martinez's correlation
    estimator and total indices by Jansen's (Saltelli et al. 2010 recommend Jansen for totals);
    on the same runs their bootstrap intervals are several times narrower than Saltelli's
    (2002) estimators', which "saltelli" keeps for comparison. The estimators differ, not the
    design: every one reads the same A, B, A_B^i blocks."""
    import openturns as ot
    n = int(base_size)
    k = unit.shape[1]
    if unit.shape[0] != n * (k + 2) or y.shape[0] != unit.shape[0]:
        raise ValueError(f"expected {n * (k + 2)} rows in the Saltelli layout, got {unit.shape[0]}")
    x = ot.Sample(np.asarray(unit, float))
    out_y = ot.Sample(np.asarray(y, float).reshape(-1, 1))

    def run(cls):
        ot.RandomGenerator.SetSeed(0)
        alg = cls(x, out_y, n)
        alg.setBootstrapSize(bootstrap)
        alg.setConfidenceLevel(confidence)
        return alg

    if estimator == "saltelli":
        first_alg = total_alg = run(ot.SaltelliSensitivityAlgorithm)
    elif estimator == "martinez-jansen":
        first_alg, total_alg = run(ot.MartinezSensitivityAlgorithm), run(ot.JansenSensitivityAlgorithm)
    else:
        raise ValueError(f"unknown estimator {estimator!r}")
    first = first_alg.getFirstOrderIndices()
    total = total_alg.getTotalOrderIndices()
    fi = first_alg.getFirstOrderIndicesInterval()
    ti = total_alg.getTotalOrderIndicesInterval()
    out = []
    for j, name in enumerate(names):
        out.append({"parameter": name,
                    "first": first[j], "first_low": fi.getLowerBound()[j], "first_high": fi.getUpperBound()[j],
                    "total": total[j], "total_low": ti.getLowerBound()[j], "total_high": ti.getUpperBound()[j]})
    return out


def replicate_means(point, y):
    """Per design point (in point order): the mean of its replicates, their standard
    deviation, and the noise's share of the variance of single scenarios,
    E[Var(y | point)] / Var(y) (NaN with one replicate per point)."""
    point = np.asarray(point)
    y = np.asarray(y, float)
    points = np.unique(point)
    means = np.array([np.mean(y[point == p]) for p in points])
    sds = np.array([np.std(y[point == p], ddof=1) if np.sum(point == p) > 1 else np.nan for p in points])
    total = np.var(y, ddof=1) if len(y) > 1 else np.nan
    within = np.nanmean(sds ** 2) if np.any(np.isfinite(sds)) else np.nan
    share = within / total if np.isfinite(within) and total > 0 else (0.0 if np.isfinite(within) else np.nan)
    return means, sds, share


def first_rows(point):
    """Index of the first row of every design point, in point order."""
    _, first = np.unique(np.asarray(point), return_index=True)
    return first


def morris_effects(unit, y, block, moved, names_all, varied):
    """mu* (mean |EE|) and sigma of the elementary effects per varied parameter, with
    the effect of a step in probability space (as the design moves)."""
    effects = {j: [] for j in range(len(names_all)) if varied[j]}
    for i in range(1, len(y)):
        j = moved[i]
        if j < 0 or block[i] != block[i - 1]:
            continue
        du = unit[i, j] - unit[i - 1, j]
        if du != 0 and np.isfinite(y[i]) and np.isfinite(y[i - 1]):
            effects[j].append((y[i] - y[i - 1]) / du)
    out = []
    for j, e in effects.items():
        e = np.asarray(e)
        out.append({"parameter": names_all[j], "mu_star": float(np.mean(np.abs(e))) if e.size else np.nan,
                    "mu": float(np.mean(e)) if e.size else np.nan,
                    "sigma": float(np.std(e, ddof=1)) if e.size > 1 else np.nan, "effects": int(e.size)})
    return out


def ishigami(x, a=7.0, b=0.1):
    """The Ishigami function on [-pi, pi]^3 and its analytic indices (first, total)."""
    y = np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])
    return y


def ishigami_indices(a=7.0, b=0.1):
    v1 = 0.5 * (1 + b * np.pi ** 4 / 5) ** 2
    v2 = a ** 2 / 8
    v13 = b ** 2 * np.pi ** 8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    first = np.array([v1 / v, v2 / v, 0.0])
    total = np.array([(v1 + v13) / v, v2 / v, v13 / v])
    return first, total
