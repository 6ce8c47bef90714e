"""One scenario's day, drawn from a results file (its stored series) or from the JSON of
`evsweep solve --json`: where the power came from per period against the load, the storage
state of charge, a bus x period voltage heat map with the limits, and the LMPs."""
import json
import os

import numpy as np

from .results import Results, ResultsError


def _plt():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def series_of_json(path):
    """{series name: (numpy array, dims, labels)} from `evsweep solve --json`."""
    j = json.load(open(path))
    out = {}
    for name, s in j.get("series", {}).items():
        out[name] = (np.array(s["values"], dtype=float), s["dims"], s.get("labels", {}))
    return out, j


def series_of_results(path, k):
    """The same for scenario id k of a results file (the series the study kept)."""
    res = Results(path)
    if not res.series:
        raise ResultsError(f"{path}: the study kept no series (output.series); use 'evsweep solve "
                           f"STUDY --scenario {k} --json > k.json' and draw that instead")
    rows = np.flatnonzero(res.ids == k)
    if rows.size == 0:
        raise ResultsError(f"{path}: no scenario {k} (ids 1..{len(res.ids)})")
    row = rows[0]
    names = res.layout_attrs.get("series", [])
    datasets = res.layout_attrs.get("series_datasets", [])
    dims = res.layout_attrs.get("series_dims", [])
    out = {}
    for i, name in enumerate(names):
        ds = datasets[i] if i < len(datasets) else name
        if ds not in res.series:
            continue
        d = dims[i].split(",") if i < len(dims) and dims[i] else []
        labels = {x: res.labels.get(x + "_labels", res.labels.get({"station": "station_names", "bus": "bus_ids"}.get(x, ""), []))
                  for x in d}
        out[name] = (np.asarray(res.series[ds][row], dtype=float), d, labels)
    meta = {"status": res.metrics["status"].iloc[row] if res.metrics is not None else "?"}
    return out, meta


def draw(series, meta, out, title, vmin=0.95, vmax=1.05):
    """Writes day.png (and the parts it has the series for); returns the paths."""
    plt = _plt()
    os.makedirs(out, exist_ok=True)
    written = []
    panels = [p for p in ("supply", "storage", "voltage", "lmp") if _has_panel(p, series)]
    if not panels:
        raise ResultsError("no series to draw (keep head_load, storage, renewables, bus_voltage or lmp)")
    fig, axes = plt.subplots(len(panels), 1, figsize=(9, 3.2 * len(panels)), squeeze=False)
    for ax, panel in zip(axes[:, 0], panels):
        if panel == "supply":
            _supply(ax, series)
        elif panel == "storage":
            _storage(ax, series)
        elif panel == "voltage":
            _voltage(fig, ax, series, vmin, vmax)
        else:
            _lmp(ax, series)
    fig.suptitle(f"{title}: {meta.get('status', '')}")
    fig.tight_layout()
    path = os.path.join(out, "day.png")
    fig.savefig(path, dpi=110)
    plt.close(fig)
    written.append(path)
    return written


def _has_panel(panel, s):
    return {"supply": "substation" in s or "head_load" in s, "storage": "storage" in s,
            "voltage": "bus_voltage" in s, "lmp": "lmp" in s}[panel]


def _supply(ax, s):
    """Stacked sources per period against the load they serve (load + EV + losses)."""
    sub = s["substation"][0][0] if "substation" in s else s["head_load"][0]
    T = sub.size
    hours = np.arange(T)
    parts = [("substation", sub)]
    if "gas_turbine" in s:
        parts.append(("gas turbine", s["gas_turbine"][0][:, 0, :].sum(axis=0)))
    if "renewables" in s:
        v, _, labels = s["renewables"]
        names = labels.get("renewable", [f"unit {i}" for i in range(v.shape[0])])
        pv = sum(v[i, 0] for i, n in enumerate(names) if str(n).startswith("pv"))
        wind = sum(v[i, 0] for i, n in enumerate(names) if str(n).startswith("wind"))
        parts += [("PV", np.asarray(pv, dtype=float) * np.ones(T)), ("wind", np.asarray(wind, dtype=float) * np.ones(T))]
    if "storage" in s:
        st = s["storage"][0]
        parts.append(("storage (discharge - charge)", (st[:, 1, :] - st[:, 0, :]).sum(axis=0)))
    if "demand_response" in s:
        dr = s["demand_response"][0]
        parts.append(("demand response (out - in)", (dr[:, 0, :] - dr[:, 1, :]).sum(axis=0)))
    pos = np.zeros(T)
    neg = np.zeros(T)
    for i, (name, v) in enumerate(parts):
        up, down = np.clip(v, 0, None), np.clip(v, None, 0)
        ax.bar(hours, up, bottom=pos, color=f"C{i}", label=name, width=0.85)
        ax.bar(hours, down, bottom=neg, color=f"C{i}", width=0.85)
        pos += up
        neg += down
    ax.plot(hours, sum(v for _, v in parts), "k.-", label="load served (incl. EV charging, losses)")
    if "station_load" in s:
        ax.plot(hours, s["station_load"][0].sum(axis=0), "k--", label="EV charging")
    ax.axhline(0, color="grey", lw=0.5)
    ax.set_ylabel("MW")
    ax.set_xlabel("period")
    ax.set_title("Where the power came from")
    ax.legend(fontsize=7, ncol=3)


def _storage(ax, s):
    st, _, labels = s["storage"]
    for i in range(st.shape[0]):
        ax.plot(st[i, 2], "o-", label=str(labels.get("storage", ["storage"] * st.shape[0])[i]))
    ax.set_ylabel("energy (MWh)")
    ax.set_xlabel("period")
    ax.set_title("Storage energy at the end of each period")
    ax.legend(fontsize=7)


def _voltage(fig, ax, s, vmin, vmax):
    vm, _, labels = s["bus_voltage"]
    im = ax.imshow(vm.T, aspect="auto", origin="lower", cmap="RdYlBu", vmin=min(vmin - 0.02, np.nanmin(vm)),
                   vmax=max(vmax, np.nanmax(vm)))
    low = np.argwhere(vm < vmin - 1e-6)
    if low.size:
        ax.scatter(low[:, 0], low[:, 1], marker="x", color="k", s=10, label=f"below {vmin} pu")
        ax.legend(fontsize=7, loc="upper right")
    buses = labels.get("bus", [])
    if len(buses):
        step = max(1, len(buses) // 12)
        ax.set_yticks(range(0, len(buses), step))
        ax.set_yticklabels([str(b) for b in buses[::step]], fontsize=7)
    ax.set_xlabel("period")
    ax.set_ylabel("bus")
    ax.set_title(f"Voltage magnitude (pu); limits {vmin}-{vmax}")
    fig.colorbar(im, ax=ax)


def _lmp(ax, s):
    lmp = s["lmp"][0]
    ax.fill_between(np.arange(lmp.shape[0]), lmp.min(axis=1), lmp.max(axis=1), alpha=0.3, label="range over buses")
    ax.plot(lmp.mean(axis=1), "C0", label="mean over buses")
    ax.set_xlabel("period")
    ax.set_ylabel("currency/MWh")
    ax.set_title("Locational marginal prices")
    ax.legend(fontsize=7)


def scenario(source, k=None, out=None):
    if source.endswith(".json"):
        series, meta = series_of_json(source)
        title = f"{os.path.basename(source)} (scenario {meta.get('scenario', '?')})"
    else:
        if k is None:
            raise ResultsError("a results file needs the scenario id K")
        series, meta = series_of_results(source, k)
        title = f"{os.path.basename(source)}, scenario {k}"
    out = out or os.path.join(os.path.dirname(os.path.abspath(source)), "report", f"scenario_{k or meta.get('scenario', 0)}")
    for path in draw(series, meta, out, title):
        print(f"wrote {path}")
    return 0
