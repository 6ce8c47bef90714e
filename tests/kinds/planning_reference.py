#!/usr/bin/env python3
"""Independent formulation of a reduced planning case (tests/kinds/test_planning.cpp).

One area, cohorts of vehicles with charge (and V2G discharge) per period of their window,
minimise the peak-valley difference of the area load plus the throughput, shortfall and
overload penalties, as a linear programme solved with scipy's HiGHS. The feeder is left
out: the C++ case keeps every voltage inside its limits, where the feeder adds nothing to
the objective (LinDistFlow has no losses). Input: a JSON file; output: the optimal objective.
"""
import json
import sys

import numpy as np
from scipy.optimize import linprog


def main(path):
    c = json.load(open(path))
    T, dt = c["periods"], c["dt_h"]
    eta_c, eta_d = c["eta_c"], c["eta_d"]
    base = np.array(c["base_mw"])  # [t] MW
    names = []
    def var(name):
        names.append(name)
        return len(names) - 1
    cohorts = []
    for k, h in enumerate(c["cohorts"]):
        ch = [var(("c", k, j)) for j in range(h["len"])]
        ds = [var(("d", k, j)) for j in range(h["len"])] if h["v2g"] else []
        en = [var(("e", k, j)) for j in range(h["len"])]
        s = var(("s", k))
        cohorts.append((h, ch, ds, en, s))
    P = [var(("P", t)) for t in range(T)]
    pk, vl, ov = var("pk"), var("vl"), var("o")
    n = len(names)
    cost = np.zeros(n)
    cost[pk], cost[vl] = 1, -1
    cost[ov] = c["overload_penalty"]
    bounds = [(None, None)] * n
    A_eq, b_eq, A_ub, b_ub = [], [], [], []
    load = [dict() for _ in range(T)]  # P_t - sum c + sum d = base_t
    for h, ch, ds, en, s in cohorts:
        pmax = h["n"] * h["pile_kw"] / 1000
        emin = h["n"] * c["soc_min"] * c["battery_kwh"] / 1000
        emax = h["n"] * c["soc_max"] * c["battery_kwh"] / 1000
        for j in range(h["len"]):
            t = (h["start"] + j) % T
            bounds[ch[j]] = (0, pmax)
            bounds[en[j]] = (emin, emax)
            cost[ch[j]] += c["throughput_penalty"] * dt
            load[t][ch[j]] = load[t].get(ch[j], 0) - 1
            row = np.zeros(n)
            row[en[j]], row[ch[j]] = 1, -eta_c * dt
            if ds:
                bounds[ds[j]] = (0, pmax)
                cost[ds[j]] += c["throughput_penalty"] * dt
                load[t][ds[j]] = load[t].get(ds[j], 0) + 1
                row[ds[j]] = dt / eta_d
            if j > 0:
                row[en[j - 1]] = -1
            A_eq.append(row)
            b_eq.append(0 if j > 0 else h["e0_kwh"] / 1000)
        need = h["need_kwh"] / 1000
        bounds[s] = (0, max(need, 0))
        cost[s] = c["shortfall_penalty"]
        row = np.zeros(n)  # -(e_last + s) <= -need
        row[en[-1]], row[s] = -1, -1
        A_ub.append(row)
        b_ub.append(-need)
    bounds[ov] = (0, None)
    for t in range(T):
        row = np.zeros(n)
        row[P[t]] = 1
        for v, a in load[t].items():
            row[v] += a
        A_eq.append(row)
        b_eq.append(base[t])
        for r, rhs in (({P[t]: 1, pk: -1}, 0), ({P[t]: -1, vl: 1}, 0), ({P[t]: 1, ov: -1}, c["cap_mw"])):
            row = np.zeros(n)
            for v, a in r.items():
                row[v] = a
            A_ub.append(row)
            b_ub.append(rhs)
    res = linprog(cost, A_ub=np.array(A_ub), b_ub=b_ub, A_eq=np.array(A_eq), b_eq=b_eq, bounds=bounds,
                  method="highs")
    if res.status != 0:
        print("failed", res.message)
        return 1
    print("%.12g" % res.fun)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
