#!/usr/bin/env python3
"""Independent formulation of a reduced conav case (no feeder) with scipy.optimize.linprog.

The same tiny road network as Conav.ReducedCaseMatchesScipyLinprog in test_conav.cpp, cut
into cells here by the rules of docs/kinds/conav.md (cells per link max(1, round(t0/tau)),
junctions without U-turns, a station cell at a node both ways, an absorbing terminal cell),
and the linear CTM of MODELS.md section 4 written out row by row. Prints the optimal
objective; the C++ test compares it with the conav model solved by Ipopt.
"""
import numpy as np
from scipy.optimize import linprog

TAU = 1.0
LINKS = [(1, 2, 2.0), (2, 3, 1.0), (2, 4, 3.0), (3, 4, 1.0), (4, 1, 1.0)]  # from, to, t0 (min)
STATION_NODE, TERMINAL_NODE = 3, 4
Q, N, N_STATION, N_TERMINAL, DELTA = 2.0, 4.0, 5.0, 30.0, 1.0
STEPS = 6
BACKGROUND = {1: 0.5}                # link index -> background vehicles per step on its cells
ROAD_COST = [1.0, 0.1]               # per vehicle-step on road cells, by type (t = 1..T)
HOLD_COST = 0.01                     # per vehicle-step staying in a road cell (t = 0..T-1)

# cells: (kind, link, q, n, bg)
cells, link_cells = [], []
for li, (a, b, t0) in enumerate(LINKS):
    k = max(1, int(np.floor(t0 / TAU + 0.5)))
    ids = []
    for _ in range(k):
        cells.append(("road", li, Q, N, BACKGROUND.get(li, 0.0)))
        ids.append(len(cells) - 1)
    link_cells.append(ids)
station = len(cells); cells.append(("station", -1, Q, N_STATION, 0.0))
terminal = len(cells); cells.append(("terminal", -1, Q, N_TERMINAL, 0.0))
edges = []
for ids in link_cells:
    edges += [(ids[i], ids[i + 1]) for i in range(len(ids) - 1)]
for li, (a, b, _) in enumerate(LINKS):
    outs = [m for m, (c, d, _) in enumerate(LINKS) if c == b and d != a] or \
           [m for m, (c, _, _) in enumerate(LINKS) if c == b]
    edges += [(link_cells[li][-1], link_cells[m][0]) for m in outs]
    if b == STATION_NODE: edges.append((link_cells[li][-1], station))
    if b == TERMINAL_NODE: edges.append((link_cells[li][-1], terminal))
edges += [(station, link_cells[m][0]) for m, (c, _, _) in enumerate(LINKS) if c == STATION_NODE]

A, E, T, S = len(cells), len(edges), STEPS, 2
init = np.zeros((S, A))
init[0][link_cells[0][0]] = 3; init[0][link_cells[4][0]] = 1; init[1][link_cells[0][1]] = 2

nvar = S * (T + 1) * A + S * T * E
def n(s, t, a): return (s * (T + 1) + t) * A + a
def y(s, t, e): return S * (T + 1) * A + (s * T + t) * E + e

c = np.zeros(nvar)
bounds = [(0, None)] * nvar
for s in range(S):
    for a in range(A):
        bounds[n(s, 0, a)] = (init[s][a], init[s][a])
for s in range(S):
    for t in range(T):
        for a in range(A):
            if cells[a][0] != "road": continue
            c[n(s, t + 1, a)] += ROAD_COST[s]
            c[n(s, t, a)] += HOLD_COST
            for e, (f, _) in enumerate(edges):
                if f == a: c[y(s, t, e)] -= HOLD_COST
A_eq, b_eq, A_ub, b_ub = [], [], [], []
for t in range(T):
    for a, (kind, _, q, cap, bg) in enumerate(cells):
        ins = [e for e, (_, g) in enumerate(edges) if g == a]
        outs = [e for e, (f, _) in enumerate(edges) if f == a]
        for s in range(S):
            row = np.zeros(nvar); row[n(s, t + 1, a)] = 1; row[n(s, t, a)] = -1
            for e in ins: row[y(s, t, e)] -= 1
            for e in outs: row[y(s, t, e)] += 1
            A_eq.append(row); b_eq.append(0.0)
            if outs:
                row = np.zeros(nvar); row[n(s, t, a)] = -1
                for e in outs: row[y(s, t, e)] = 1
                A_ub.append(row); b_ub.append(0.0)
        if outs:
            row = np.zeros(nvar)
            for s in range(S):
                for e in outs: row[y(s, t, e)] = 1
            A_ub.append(row); b_ub.append(max(0.0, q - bg))
        if ins:
            row = np.zeros(nvar)
            for s in range(S):
                for e in ins: row[y(s, t, e)] = 1
            A_ub.append(row.copy()); b_ub.append(max(0.0, q - bg))
            for s in range(S): row[n(s, t, a)] = DELTA
            A_ub.append(row); b_ub.append(DELTA * max(0.0, cap - bg))
res = linprog(c, A_ub=np.array(A_ub), b_ub=b_ub, A_eq=np.array(A_eq), b_eq=b_eq, bounds=bounds, method="highs")
assert res.status == 0, res.message
print(f"cells {A} edges {E}")
print(f"objective {res.fun:.12g}")
