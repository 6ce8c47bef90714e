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


def _chaos_terms(k, degree):
    """Multi-indices of total degree <= degree over k inputs, graded (constant first)."""
    terms = [()]
    for d in range(1, degree + 1):
        # every composition of d into k non-negative parts, in lexicographic order
        def parts(left, n):
            if n == 1:
                yield (left,)
                return
            for first in range(left, -1, -1):
                for rest in parts(left - first, n - 1):
                    yield (first,) + rest
        terms += list(parts(d, k))
    out = np.zeros((len(terms), k), dtype=int)
    for t, a in enumerate(terms[1:], start=1):
        out[t] = a
    return out


def _chaos_matrix(unit, terms):
    """Orthonormal Legendre products of u in [0, 1]^k (uniform inputs of the probability
    space): column t is prod_j sqrt(2 a_j + 1) P_{a_j}(2 u_j - 1)."""
    x = 2 * np.asarray(unit, float) - 1
    deg = int(terms.max()) if terms.size else 0
    norm = np.sqrt(2 * np.arange(deg + 1) + 1)
    per_input = [np.polynomial.legendre.legvander(x[:, j], deg) * norm for j in range(x.shape[1])]
    a = np.ones((x.shape[0], len(terms)))
    for j, p in enumerate(per_input):
        a *= p[:, terms[:, j]]
    return a


def chaos_partial_variances(terms, coef):
    """First-order and total partial variances of every input, and the surrogate's variance."""
    sq = coef ** 2
    active = terms > 0
    only = active.sum(axis=1) == 1
    first = np.array([sq[active[:, j] & only].sum() for j in range(terms.shape[1])])
    total = np.array([sq[active[:, j]].sum() for j in range(terms.shape[1])])
    return first, total, float(sq[1:].sum())


def _chaos_fit(unit, y, terms):
    """Least squares on the chaos basis `terms`: (design matrix, coefficients, residuals, hat
    matrix diagonal)."""
    a = _chaos_matrix(unit, terms)
    q, r = np.linalg.qr(a)
    coef = np.linalg.solve(r, q.T @ y)
    return a, coef, y - a @ coef, np.sum(q ** 2, axis=1)


def chaos_fit(unit, y, degree):
    """Least-squares chaos of total degree `degree`: (terms, coefficients, residuals, hat
    matrix diagonal)."""
    terms = _chaos_terms(np.asarray(unit).shape[1], degree)
    _, coef, resid, lev = _chaos_fit(unit, np.asarray(y, float), terms)
    return terms, coef, resid, lev


def chaos_sobol_indices(unit, y, names, max_degree=5, bootstrap=100, confidence=0.95, seed=0):
    """Sobol indices from a polynomial chaos surrogate fitted to every row of the design.

    The inputs are the design's probability-space coordinates u in [0, 1]^k (independent
    uniforms whatever the parameters' distributions: Sobol indices do not change under each
    input's own monotone transform), so the basis is orthonormal Legendre products; the
    coefficients are least squares over all rows (A, B and every A_B^i are samples of the same
    input distribution). The degree (1..max_degree, with at least 3 rows per term) is the one
    of least leave-one-out error. Indices are partial variances of the surrogate over the
    surrogate's variance plus its residual variance, so the variance the surrogate does not explain (noise, kinks) is
    attributed to no input: it is returned as `unexplained` (1 - R^2), an upper bound of what
    any index can be missing. Intervals: bootstrap of the rows (refit, recompute); the point
    estimates are bias-corrected and the intervals basic-bootstrap ones (see `corrected`).
    Sudret (2008), Reliab. Eng. Syst. Saf. 93: Sobol indices from chaos coefficients."""
    u = np.asarray(unit, float)
    y = np.asarray(y, float)
    n, k = u.shape
    if y.shape != (n,) or n < 4:
        raise ValueError(f"expected {n} outputs for {n} rows, got {y.shape}")
    best = None
    for degree in range(1, max_degree + 1):
        terms = _chaos_terms(k, degree)
        if 3 * len(terms) > n:
            break
        a, coef, resid, lev = _chaos_fit(u, y, terms)
        loo = np.mean((resid / np.maximum(1 - lev, 1e-12)) ** 2)
        if best is None or loo < best[0]:
            best = (loo, degree, terms, a, coef, resid)
    if best is None:
        raise ValueError(f"{n} rows are too few for a chaos surrogate of {k} inputs")
    loo, degree, terms, a, coef, resid = best

    def indices(coef_, resid_var):
        f, t, surrogate_var = chaos_partial_variances(terms, coef_)
        var = surrogate_var + resid_var
        return (f / var, t / var) if var > 0 else (np.zeros(k), np.zeros(k))

    resid_var = np.mean(resid ** 2)
    first, total = indices(coef, resid_var)
    rng = np.random.default_rng(seed)
    boot_f, boot_t = [], []
    for _ in range(bootstrap):
        rows = rng.integers(0, n, n)
        cb, *_ = np.linalg.lstsq(a[rows], y[rows], rcond=None)
        f, t = indices(cb, np.mean((y[rows] - a[rows] @ cb) ** 2))
        boot_f.append(f)
        boot_t.append(t)
    tail = 100 * (1 - confidence) / 2

    def corrected(est, boot):
        # Squared coefficients overstate partial variances by their own estimation variance
        # (most visible on indices near 0): the bootstrap's bias estimate is removed, and the
        # interval is the basic bootstrap one, [2 est - q_high, 2 est - q_low], clipped to [0, 1].
        if not bootstrap:
            return est, est, est
        boot = np.asarray(boot)
        lo, hi = np.percentile(boot, [tail, 100 - tail], axis=0)
        fixed = np.clip(2 * est - boot.mean(axis=0), 0, 1)
        return fixed, np.clip(2 * est - hi, 0, 1), np.clip(2 * est - lo, 0, 1)

    first, f_lo, f_hi = corrected(first, boot_f)
    total, t_lo, t_hi = corrected(total, boot_t)
    var_y = np.var(y)
    explained = 1 - resid_var / var_y if var_y > 0 else 1.0
    q2 = 1 - loo / var_y if var_y > 0 else 1.0
    out = []
    for j, name in enumerate(names):
        out.append({"parameter": name, "first": first[j], "first_low": f_lo[j], "first_high": f_hi[j],
                    "total": total[j], "total_low": t_lo[j], "total_high": t_hi[j], "degree": degree,
                    "q2": q2, "unexplained": 1 - explained})
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
