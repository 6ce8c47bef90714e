#!/usr/bin/env python3
"""Independent formulation of OD estimation's inner problem (traffic/od_mle.hpp) with scipy.

Reduced cases with the route-choice shares M fixed: 7 observed links, 10 OD pairs (fewer links
than pairs, so the prior matters), counts with 1-3 samples per link. Each case is written out
here from the documented objective (docs/traffic.md, 'OD estimation') and minimised with
scipy's L-BFGS-B over O >= 0. Prints the cases and their optima as JSON; the C++ test
(OdMle.MatchesScipyOnReducedCases) solves the same problems and compares.
"""
import json
import numpy as np
from scipy.optimize import minimize

rng = np.random.default_rng(2002)
m, n = 7, 10
M = np.where(rng.random((m, n)) < 0.45, rng.uniform(0.2, 1.0, (m, n)), 0.0)
M[:, 0] = 0.0
M[0, 0] = 1.0  # every pair on at least one link
for j in range(n):
    if not M[:, j].any():
        M[rng.integers(m), j] = 0.7
truth = rng.uniform(50, 300, n)
samples = [list(rng.poisson(M[a] @ truth, size=1 + a % 3).astype(float)) for a in range(m)]
prior = truth * rng.lognormal(-0.5, 0.3, n)
S = np.array([sum(s) for s in samples])
N = np.array([len(s) for s in samples], dtype=float)
ybar = S / N


def poisson_pattern(o, w):  # sum_a N v - S log v  - w [sum O0 log O - T0 log sum O]
    v = M @ o
    return np.sum(N * v - S * np.log(v)) - w * (np.sum(prior * np.log(o)) - prior.sum() * np.log(o.sum()))


def poisson_pattern_grad(o, w):
    v = M @ o
    return M.T @ (N - S / v) - w * (prior / o - prior.sum() / o.sum())


def poisson_fixed(o, w):  # ... + w sum (O - O0 log O)
    v = M @ o
    return np.sum(N * v - S * np.log(v)) + w * np.sum(o - prior * np.log(o))


def poisson_fixed_grad(o, w):
    v = M @ o
    return M.T @ (N - S / v) + w * (1 - prior / o)


def normal_fixed(o, w):  # sum N (ybar - v)^2 / (2 max(ybar,1)) + w sum (O - O0)^2 / (2 max(O0,1))
    v = M @ o
    s2 = np.maximum(ybar, 1.0)
    return np.sum(N * (ybar - v) ** 2 / (2 * s2)) + w * np.sum((o - prior) ** 2 / (2 * np.maximum(prior, 1.0)))


def normal_fixed_grad(o, w):
    v = M @ o
    s2 = np.maximum(ybar, 1.0)
    return M.T @ (N * (v - ybar) / s2) + w * (o - prior) / np.maximum(prior, 1.0)


cases = []
for name, f, g, w, level in [("poisson", poisson_pattern, poisson_pattern_grad, 0.5, "free"),
                             ("poisson", poisson_fixed, poisson_fixed_grad, 0.5, "fixed"),
                             ("normal", normal_fixed, normal_fixed_grad, 0.2, "fixed")]:
    r = minimize(f, prior.copy(), jac=g, args=(w,), method="L-BFGS-B",
                 bounds=[(1e-9, None)] * n, options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 20000})
    # converged: the projected gradient vanishes (L-BFGS-B may end its line search at the
    # limit of double precision, reported as "abnormal", at the optimum)
    grad = g(r.x, w)
    projected = np.where(r.x <= 1e-9 * 1.0001, np.minimum(grad, 0.0), grad)
    converged = bool(np.max(np.abs(projected)) <= 1e-6 * max(1.0, np.max(np.abs(g(prior, w)))))
    cases.append({"likelihood": name, "prior_level": level, "prior_weight": w,
                  "estimate": list(r.x), "objective": float(r.fun), "converged": converged,
                  "message": str(r.message)})
print(json.dumps({"shares": M.tolist(), "samples": samples, "prior": list(prior), "cases": cases}))
