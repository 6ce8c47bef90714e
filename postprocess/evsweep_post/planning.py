"""Figures of the `planning` kind (paper 002): Pareto fronts, transformer units vs EV
penetration per mode (the deferred-investment curve), the day's load per area by mode and the
vehicles' departure SOC shortfall per area (disordered vs the V2G chosen point, with a CSV)
and, when the study ran the swarm baseline, the front's hypervolume and time against it.
Called by report.py for results files whose study_kind is 'planning'."""
import os

import h5py
import numpy as np

MODES = ["disordered", "ordered", "v2g"]


def _names(ds):
    return [x.decode() if isinstance(x, bytes) else str(x) for x in ds[:]]


def figures(path, out):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    written = []
    with h5py.File(path, "r") as f:
        sc = f["scenarios"]
        series = f["series"] if "series" in f else {}
        if "pareto_front" in series:
            front = series["pareto_front"][:]  # [scenario][point][f1 f2 f3]
            fig, ax = plt.subplots(figsize=(6, 4.5))
            for s in range(min(len(front), 8)):
                pts = front[s][np.isfinite(front[s][:, 0])]
                if len(pts):
                    ax.scatter(pts[:, 0], pts[:, 1], s=14, label=f"scenario {sc['id'][s]}")
            ax.set_xlabel("f1 load variance (MW^2)")
            ax.set_ylabel("f2 peak-valley (MW)")
            ax.set_title("Pareto fronts (V2G), projection on f1-f2")
            ax.legend(fontsize=7)
            written.append(_save(fig, out, "planning_fronts.png"))
        params = _names(f["design/parameters"]) if "design/parameters" in f else []
        if "penetration" in params and "transformer_units_disordered" in sc:
            x = f["design/values"][:, params.index("penetration")]
            fig, ax = plt.subplots(figsize=(6, 4))
            for m in MODES:
                y = sc[f"transformer_units_{m}"][:]
                xs = np.unique(x)
                ax.plot(xs, [np.nanmean(y[x == v]) for v in xs], marker="o", label=m)
            ax.set_xlabel("EV penetration (residential)")
            ax.set_ylabel("transformer units (mean over scenarios)")
            ax.set_title("Units needed vs penetration: the deferred investment")
            ax.legend()
            written.append(_save(fig, out, "planning_units_vs_penetration.png"))
        if "area_kw" in series:
            load = series["area_kw"][0]  # [mode][area][period], first scenario
            areas = _names(f["layout/area_names"])
            fig, axes = plt.subplots(1, len(areas), figsize=(4 * len(areas), 3.5), squeeze=False)
            for a, name in enumerate(areas):
                for m, mode in enumerate(MODES):
                    axes[0][a].plot(load[m][a] / 1000, label=mode)
                axes[0][a].set_title(name)
                axes[0][a].set_xlabel("period")
                axes[0][a].set_ylabel("MW")
            axes[0][0].legend()
            fig.suptitle(f"Day's load per area by mode (scenario {sc['id'][0]})")
            written.append(_save(fig, out, "planning_area_load.png"))
        if "hypervolume_mopso" in sc and np.any(np.isfinite(sc["hypervolume_mopso"][:])):
            hv, hv_m = sc["hypervolume"][:], sc["hypervolume_mopso"][:]
            ts = f["timings"] if "timings" in f else sc
            t_f = ts["front_s"][:] if "front_s" in ts else np.full(len(hv), np.nan)
            t_m = ts["mopso_s"][:] if "mopso_s" in ts else np.full(len(hv), np.nan)
            ids = sc["id"][:]
            fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
            w = 0.4
            k = np.arange(len(ids))
            axes[0].bar(k - w / 2, hv, w, label="epsilon-constraint front")
            axes[0].bar(k + w / 2, hv_m, w, label="particle swarm")
            axes[0].set_ylabel("normalised hypervolume (front's reference)")
            axes[1].bar(k - w / 2, t_f, w, label="epsilon-constraint front")
            axes[1].bar(k + w / 2, t_m, w, label="particle swarm")
            axes[1].set_ylabel("time (s)")
            for ax in axes:
                ax.set_xticks(k)
                ax.set_xticklabels([str(i) for i in ids], fontsize=7)
                ax.set_xlabel("scenario")
            axes[0].legend(fontsize=8)
            fig.suptitle("Deterministic front vs the paper's particle swarm")
            written.append(_save(fig, out, "planning_front_vs_swarm.png"))
        if "vehicle_shortfall" in series and "layout/area_names" in f:
            areas = _names(f["layout/area_names"])
            table = shortfall_table(series["vehicle_shortfall"][:], areas)
            csv_path = os.path.join(out, "planning_vehicle_shortfall.csv")
            with open(csv_path, "w") as c:
                c.write("area,mode,vehicles,short_vehicles,mean_soc,max_soc\n")
                for r in table:
                    c.write(f"{r['area']},{r['mode']},{r['vehicles']},{r['short_vehicles']},"
                            f"{r['mean_soc']:.6g},{r['max_soc']:.6g}\n")
            written.append(csv_path)
            x = series["vehicle_shortfall"][:]  # [scenario][vehicle][area, disordered, v2g]
            fig, axes = plt.subplots(1, len(areas), figsize=(4 * len(areas), 3.5), squeeze=False)
            for a, name in enumerate(areas):
                rows = x[:, :, 0] == a
                for col, mode in ((1, "disordered"), (2, "v2g")):
                    v = np.sort(x[:, :, col][rows])
                    if len(v):
                        axes[0][a].plot(v, 1 - np.arange(len(v)) / len(v), label=mode, drawstyle="steps-post")
                axes[0][a].set_title(name)
                axes[0][a].set_xlabel("departure SOC shortfall")
                axes[0][a].set_ylabel("share of vehicles with at least this")
                axes[0][a].set_yscale("log")
            axes[0][0].legend()
            fig.suptitle("Vehicles' departure SOC shortfall, all scenarios")
            written.append(_save(fig, out, "planning_vehicle_shortfall.png"))
    return written


def shortfall_table(x, areas):
    """Per area and mode over all scenarios' vehicles ([scenario][vehicle][area, disordered,
    v2g]; NaN rows are vehicles a scenario does not have): vehicles, how many fall short by
    more than 1e-6 SOC, mean and largest shortfall."""
    out = []
    for a, name in enumerate(areas):
        rows = x[:, :, 0] == a
        for col, mode in ((1, "disordered"), (2, "v2g")):
            v = x[:, :, col][rows]
            out.append({"area": name, "mode": mode, "vehicles": int(v.size),
                        "short_vehicles": int(np.sum(v > 1e-6)),
                        "mean_soc": float(v.mean()) if v.size else float("nan"),
                        "max_soc": float(v.max()) if v.size else float("nan")})
    return out


def _save(fig, out, name):
    p = os.path.join(out, name)
    fig.tight_layout()
    fig.savefig(p, dpi=110)
    import matplotlib.pyplot as plt
    plt.close(fig)
    return p
