#!/usr/bin/env python3
"""Writes Grid16_net.tntp and Grid16_trips.tntp: the stackelberg kind's 16-node street grid
(README.md). Deterministic; run from this folder to regenerate."""

N = 4  # nodes per side; node id = 4 * row + col + 1 (row 0 at the north)


def node(r, c):
    return N * r + c + 1


links = []  # (tail, head, capacity veh/h, length km, free-flow time min)
for r in range(N):
    for c in range(N):
        for dr, dc in ((0, 1), (1, 0)):
            r2, c2 = r + dr, c + dc
            if r2 >= N or c2 >= N:
                continue
            inner = 1 <= r <= 2 and 1 <= c <= 2 and 1 <= r2 <= 2 and 1 <= c2 <= 2
            length = 1.0 if dr == 0 else 1.2          # east-west blocks 1.0 km, north-south 1.2 km
            speed = 30.0 if inner else 45.0           # downtown streets slower ...
            cap = 1800.0 if inner else 1200.0         # ... but wider
            t0 = 60.0 * length / speed
            for a, b in ((node(r, c), node(r2, c2)), (node(r2, c2), node(r, c))):
                links.append((a, b, cap, length, t0))

with open("Grid16_net.tntp", "w") as f:
    f.write("<NUMBER OF ZONES> 16\n<NUMBER OF NODES> 16\n<FIRST THRU NODE> 1\n")
    f.write(f"<NUMBER OF LINKS> {len(links)}\n<END OF METADATA>\n\n\n")
    f.write("~\tinit_node\tterm_node\tcapacity\tlength\tfree_flow_time\tb\tpower\tspeed\ttoll\tlink_type\t;\n")
    for a, b, cap, length, t0 in links:
        f.write(f"\t{a}\t{b}\t{cap:g}\t{length:g}\t{t0:.6f}\t0.15\t4\t0\t0\t1\t;\n")

# Peak-hour EV trips (veh/h) between the grid's corners and edge midpoints.
od = {(1, 16): 300, (16, 1): 250, (4, 13): 280, (13, 4): 220, (2, 15): 180, (5, 12): 200, (9, 8): 160,
      (14, 3): 150}
total = sum(od.values())
with open("Grid16_trips.tntp", "w") as f:
    f.write(f"<NUMBER OF ZONES> 16\n<TOTAL OD FLOW> {total:.1f}\n<END OF METADATA>\n\n\n")
    for o in range(1, 17):
        f.write(f"Origin \t{o} \n")
        row = [f"{d:6d} : {od.get((o, d), 0.0):10.1f};" for d in range(1, 17)]
        for i in range(0, 16, 4):
            f.write("  " + "  ".join(row[i:i + 4]) + "\n")
        f.write("\n")
