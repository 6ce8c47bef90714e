#!/usr/bin/env python3
"""Independent reference for the stackelberg operator LP (tests/kinds/test_stackelberg_ref.cpp):
the same 5-bus feeder, one period, two wind scenarios, written directly as an LP for
scipy.optimize.linprog (HiGHS). Prints the optimal expected cost and the expected nodal
prices (P-balance duals) of every bus as JSON."""
import json
import math

import numpy as np
from scipy.optimize import linprog

base = 10.0                      # MVA
# bus: (parent, r pu, x pu, Pd MW, Qd MVAr); bus 0 is the substation
buses = {1: (0, 0.02, 0.04, 1.0, 0.5), 2: (1, 0.03, 0.05, 0.8, 0.3), 3: (2, 0.04, 0.06, 1.2, 0.6),
         4: (1, 0.05, 0.05, 0.6, 0.2)}
station = {3: 1.5, 4: 0.7}       # bus: MW; Q = 0.2 P
tan_st = 0.2
wind_bus, wind_cap = 3, [0.4, 2.0]   # per scenario
prob = [0.4, 0.6]
tariff, curt, shed_cost = 80.0, 25.0, 3000.0
line_mva, sides, vmin, vmax = 5.5, 12, 0.95, 1.05

names = []
def var(n):
    names.append(n)
    return len(names) - 1

idx = {}
for s in range(2):
    idx[s, "psub"] = var("psub"); idx[s, "qsub"] = var("qsub")
    for b in buses:
        for k in ("v", "p", "q", "shed"):
            idx[s, k, b] = var(k)
    idx[s, "w"] = var("w")
n = len(names)
c = np.zeros(n)
bounds = [(None, None)] * n
const = 0.0
A_eq, b_eq, A_ub, b_ub, rows = [], [], [], [], {}
for s in range(2):
    c[idx[s, "psub"]] = prob[s] * tariff
    bounds[idx[s, "psub"]] = (0, None)
    c[idx[s, "w"]] = -prob[s] * curt
    const += prob[s] * curt * wind_cap[s]
    bounds[idx[s, "w"]] = (0, wind_cap[s])
    for b, (par, r, x, pd, qd) in buses.items():
        bounds[idx[s, "v", b]] = (vmin ** 2, vmax ** 2)
        bounds[idx[s, "shed", b]] = (0, pd)
        c[idx[s, "shed", b]] = prob[s] * shed_cost
        row = np.zeros(n)                 # v_b - v_par + 2 (r P + x Q)/base = 0
        row[idx[s, "v", b]] = 1
        if par != 0:
            row[idx[s, "v", par]] = -1
        rhs = 1.0 if par == 0 else 0.0    # v at the substation fixed at 1
        row[idx[s, "p", b]] = 2 * r / base
        row[idx[s, "q", b]] = 2 * x / base
        A_eq.append(row); b_eq.append(rhs)
        for k in range(sides):
            a = 2 * math.pi * k / sides
            row = np.zeros(n); row[idx[s, "p", b]] = math.cos(a); row[idx[s, "q", b]] = math.sin(a)
            A_ub.append(row); b_ub.append(line_mva)
    for b in [0] + list(buses):
        for kind in ("P", "Q"):
            row = np.zeros(n)
            key = "p" if kind == "P" else "q"
            if b == 0:
                row[idx[s, "psub" if kind == "P" else "qsub"]] = 1
            else:
                row[idx[s, key, b]] = 1
                pd, qd = buses[b][3], buses[b][4]
                row[idx[s, "shed", b]] = 1 if kind == "P" else qd / pd
            for ch, (par, *_rest) in buses.items():
                if par == b:
                    row[idx[s, key, ch]] = -1
            if b == wind_bus:
                row[idx[s, "w"]] = 1 if kind == "P" else 0
            load = 0.0
            if b != 0:
                load = buses[b][3] if kind == "P" else buses[b][4]
            load += station.get(b, 0) * (1 if kind == "P" else tan_st)
            rows[s, kind, b] = len(A_eq)
            A_eq.append(row); b_eq.append(load)
res = linprog(c, A_ub=np.array(A_ub), b_ub=b_ub, A_eq=np.array(A_eq), b_eq=b_eq, bounds=bounds, method="highs")
assert res.status == 0, res.message
duals = res.eqlin.marginals      # d objective / d b_eq
lmp = [sum(duals[rows[s, "P", b]] for s in range(2)) for b in range(5)]
print(json.dumps({"cost": res.fun + const, "lmp": lmp}))
