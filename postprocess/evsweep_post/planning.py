"""Figures of the `planning` kind (paper 002): Pareto fronts, transformer units vs EV
penetration per mode (the deferred-investment curve) and the day's load per area by mode.
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
    return written


def _save(fig, out, name):
    p = os.path.join(out, name)
    fig.tight_layout()
    fig.savefig(p, dpi=110)
    import matplotlib.pyplot as plt
    plt.close(fig)
    return p
