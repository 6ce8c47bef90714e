#!/usr/bin/python3
"""Writes data/traffic/NguyenDupuis/NguyenDupuis_counts.csv: hourly link counts of a synthetic
day for the OD-estimation example (configs/default_od_estimated.yaml).

Each hour's trip table is the published one times the default study's traffic_demand profile;
it is assigned by logit SUE (theta 0.5, evsweep assign) and every third link is observed with
Poisson noise (seed 16). Usage: scripts/make-od-example.py build/evsweep
"""
import json, subprocess, sys, tempfile, os
import numpy as np

evsweep = sys.argv[1] if len(sys.argv) > 1 else "build/evsweep"
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
d = os.path.join(root, "data/traffic/NguyenDupuis")
net = os.path.join(d, "NguyenDupuis_net.tntp")
trips = os.path.join(d, "NguyenDupuis_trips.tntp")
profile = [0.10, 0.06, 0.05, 0.05, 0.08, 0.20, 0.55, 1.00, 0.85, 0.55, 0.50, 0.55,
           0.60, 0.55, 0.55, 0.65, 0.85, 1.00, 0.80, 0.55, 0.45, 0.35, 0.25, 0.15]
links = []
for line in open(net):
    t = line.split()
    if len(t) >= 10 and t[0].isdigit():
        links.append((int(t[0]), int(t[1])))
rng = np.random.default_rng(16)
rows = ["# Synthetic hourly link counts (vehicles per hour) for OD estimation: scripts/make-od-example.py",
        "period,init_node,term_node,count"]
for h, m in enumerate(profile, start=1):
    out = subprocess.run([evsweep, "assign", "--net", net, "--trips", trips, "--model", "sue", "--theta", "0.5",
                          "--demand-scale", str(m), "--json"], check=True, capture_output=True, text=True).stdout
    flow = json.loads(out)["link_flow"]
    for i, ((a, b), x) in enumerate(zip(links, flow)):
        if i % 3 == 0:
            rows.append(f"{h},{a},{b},{rng.poisson(x)}")
open(os.path.join(d, "NguyenDupuis_counts.csv"), "w").write("\n".join(rows) + "\n")
print(f"{len(rows) - 2} observations over {len(profile)} periods")
