"""The report of a results file: summary table, figures, sensitivity indices; and the
contrast of two studies run on the same scenarios."""
import os

import numpy as np
import pandas as pd

from .results import Results
from . import sensitivity

DEFAULT_SENSITIVITY_METRICS = ["cost", "vmin_pu", "loss_mwh", "head_peak_mw", "voltage_shortfall_pu", "max_line_loading"]
CONTRAST_METRICS = ["head_peak_mw", "head_peak_valley_mw", "head_std_mw", "vmin_pu", "cost"]
# What `contrast` sets side by side, per study kind (the default study's list otherwise).
CONTRAST_METRICS_BY_KIND = {
    "conav": ["voltage_deviation_sum", "vmin_pu", "navigation_time_min", "station_peak_kw", "v2g_energy_kwh",
              "charging_energy_shortfall_kwh"],
    "planning": ["peak_valley_v2g_mw", "load_std_v2g_mw", "transformer_units_v2g", "hypervolume", "vmin_pu"],
    "stackelberg": ["station_profit", "operator_expected_cost", "ev_user_cost", "mean_charging_price", "lmp_mean"],
}
VIOLATION_TOLERANCE_PU = 1e-5
OVERLOAD_TOLERANCE = 1e-4  # loading above 1 + this breaks a rating (grid/model/dispatch_model.hpp)


def _plt():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def summary_table(res):
    """Statistics of every metric over the scenarios where it is defined."""
    rows = []
    m = res.metrics
    for name in res.metric_names:
        v = m[name].to_numpy(dtype=float)
        v = v[np.isfinite(v)]
        if v.size == 0:
            rows.append({"metric": name, "unit": res.units[name], "count": 0})
            continue
        rows.append({"metric": name, "unit": res.units[name], "count": v.size, "mean": v.mean(),
                     "std": v.std(ddof=1) if v.size > 1 else 0.0, "min": v.min(),
                     "p05": np.percentile(v, 5), "p50": np.percentile(v, 50), "p95": np.percentile(v, 95),
                     "max": v.max()})
    return pd.DataFrame(rows)


def violations(res):
    """Per scenario: True when the grid limits were not held (voltage floor, line ratings, AC check)."""
    m = res.metrics
    n = len(m)
    short = m["voltage_shortfall_pu"].to_numpy(dtype=float) if "voltage_shortfall_pu" in m else np.zeros(n)
    ac = m["ac_violations"].to_numpy(dtype=float) if "ac_violations" in m else np.zeros(n)
    solved = m["status"].isin(["ok", "infeasible"]).to_numpy()
    _, thermal = violation_kinds(res)
    return solved, (np.nan_to_num(short) > VIOLATION_TOLERANCE_PU) | thermal | (m["status"] == "infeasible").to_numpy() | (ac > 0)


def violation_kinds(res):
    """Per scenario: (voltage floor broken, a branch rating broken) as in the dispatch."""
    m = res.metrics
    n = len(m)
    short = m["voltage_shortfall_pu"].to_numpy(dtype=float) if "voltage_shortfall_pu" in m else np.zeros(n)
    load = m["max_line_loading"].to_numpy(dtype=float) if "max_line_loading" in m else np.zeros(n)
    return np.nan_to_num(short) > VIOLATION_TOLERANCE_PU, np.nan_to_num(load) > 1 + OVERLOAD_TOLERANCE


def hosting_curve(res, bins=10):
    """Probability of a violation per EV-penetration bin: (centres, probability, count,
    probability of a voltage violation, probability of a line overload)."""
    if "ev_penetration" not in res.parameters or not res.has_metrics("voltage_shortfall_pu"):
        return None  # no EV penetration varied, or a kind without a voltage floor
    if not np.isfinite(res.metrics["voltage_shortfall_pu"]).any():
        return None  # no grid stage
    pen = res.metrics["param_ev_penetration"].to_numpy()
    solved, bad = violations(res)
    volt, thermal = violation_kinds(res)
    edges = np.linspace(pen.min(), pen.max(), bins + 1)
    idx = np.clip(np.digitize(pen, edges) - 1, 0, bins - 1)
    centres, prob, count, pv, pt = [], [], [], [], []
    for b in range(bins):
        sel = (idx == b) & solved
        if sel.sum():
            centres.append(0.5 * (edges[b] + edges[b + 1]))
            prob.append(bad[sel].mean())
            count.append(int(sel.sum()))
            pv.append(volt[sel].mean())
            pt.append(thermal[sel].mean())
    return np.array(centres), np.array(prob), np.array(count), np.array(pv), np.array(pt)


def hosting_capacity(curve, risk=0.05):
    """Largest EV penetration below which every bin's violation probability is <= risk."""
    if curve is None:
        return np.nan
    centres, prob = curve[0], curve[1]
    ok = np.flatnonzero(prob > risk)
    return centres[ok[0] - 1] if ok.size and ok[0] > 0 else (np.nan if ok.size else centres[-1])


def sobol_table(res, metrics):
    if res.design_kind != "saltelli":
        return None, []
    varied = np.flatnonzero(res.varied)
    names = [res.parameters[j] for j in varied]
    first = sensitivity.first_rows(res.point)
    unit = res.unit[first][:, varied]  # one row per design point (replicates share their inputs)
    rows, skipped = [], []
    for metric in metrics:
        if metric not in res.metrics:
            skipped.append(f"{metric}: no such metric")
            continue
        y = res.metrics[metric].to_numpy(dtype=float)
        if not np.all(np.isfinite(y)):
            skipped.append(f"{metric}: {np.sum(~np.isfinite(y))} scenarios without a value")
            continue
        if np.std(y) == 0:
            skipped.append(f"{metric}: constant")
            continue
        means, _, noise = sensitivity.replicate_means(res.point, y)
        if np.std(means) == 0:
            skipped.append(f"{metric}: constant across design points (all its variance is noise)")
            continue
        # Two estimates from the same runs: pick-freeze (Martinez / Jansen on the A, B, A_B^i
        # blocks) and a polynomial chaos surrogate fitted to every row (much tighter where the
        # metric is smooth in the parameters; chaos_unexplained says how much it leaves out).
        pick = sensitivity.sobol_indices(unit, means, int(res.design_attrs["base_size"]), names)
        try:
            chaos = sensitivity.chaos_sobol_indices(unit, means, names)
        except ValueError as e:  # too few rows for even a linear surrogate: pick-freeze only
            skipped.append(f"{metric}: chaos indices ({e})")
            chaos = [{} for _ in pick]
        for r, c in zip(pick, chaos):
            rows.append({"metric": metric, **r, "noise_share": noise,
                         **{"chaos_" + key: value for key, value in c.items() if key != "parameter"}})
    return pd.DataFrame(rows), skipped


CHAOS_MIN_Q2 = 0.9  # below this leave-one-out Q^2 the surrogate's indices are not to be trusted


def interval_warnings(sob, floor=0.02):
    """Indices whose 95 % interval is wider than the index itself (and than `floor`, so that
    an index of 0 known to +-0.001 is not flagged): too few scenarios to tell. Per metric, the
    chaos estimates are checked when the surrogate fits (leave-one-out Q2 >= CHAOS_MIN_Q2),
    and the pick-freeze ones are summarised in one line; otherwise the pick-freeze ones are
    checked one by one, after a warning about the surrogate."""
    out = []

    def wide(r, prefix, est):
        for which in ("first", "total"):
            key = prefix + which
            width = r[key + "_high"] - r[key + "_low"]
            if width > max(abs(r[key]), floor):
                yield (f"warning: {r['metric']} / {r['parameter']}: the {est} {which}-order index {r[key]:.3f} has "
                       f"a 95 % interval {width:.3f} wide (wider than the index: raise sweep.scenarios)")

    for metric, d in sob.groupby("metric", sort=False):
        q2 = d["chaos_q2"].iloc[0] if "chaos_q2" in d else np.nan  # NaN: no surrogate for this metric
        fits = q2 >= CHAOS_MIN_Q2
        if np.isfinite(q2) and not fits:
            out.append(f"warning: {metric}: the chaos surrogate's leave-one-out Q2 is {d['chaos_q2'].iloc[0]:.2f} "
                       f"(< {CHAOS_MIN_Q2}): use the pick-freeze indices")
        if fits:
            for _, r in d.iterrows():
                out.extend(wide(r, "chaos_", "chaos"))
            loose = sum(1 for _, r in d.iterrows() for _ in wide(r, "", "pick-freeze"))
            if loose:
                out.append(f"note: {metric}: {loose} pick-freeze indices have intervals wider than themselves; "
                           f"the chaos estimates (Q2 {d['chaos_q2'].iloc[0]:.3f}) are within "
                           f"+-{0.5 * max((d[k + '_high'] - d[k + '_low']).max() for k in ('chaos_first', 'chaos_total')):.3f}")
        else:
            for _, r in d.iterrows():
                out.extend(wide(r, "", "pick-freeze"))
    return out


def replicate_table(res, metrics):
    """Mean and standard deviation of every metric over each design point's replicates."""
    if res.replicates <= 1:
        return None
    first = sensitivity.first_rows(res.point)
    table = pd.DataFrame({"point": np.unique(res.point)})
    for j, name in enumerate(res.parameters):
        table["param_" + name] = res.values[first, j]
    for metric in metrics:
        if metric not in res.metrics:
            continue
        means, sds, _ = sensitivity.replicate_means(res.point, res.metrics[metric].to_numpy(dtype=float))
        table[metric + "_mean"] = means
        table[metric + "_sd"] = sds
    return table


def _figures(res, out, curve, sob, morris):
    plt = _plt()
    written = []
    T = res.periods
    hours = np.arange(T)
    vm = res.series.get("vm_pu")
    if vm is not None:
        low = np.nanmin(vm, axis=2)  # (n, T) lowest bus voltage per hour
        high = np.nanmax(vm, axis=2)
        fig, ax = plt.subplots(figsize=(7, 4))
        keep = np.all(np.isfinite(low), axis=1)
        for q, a in ((0, 0.15), (5, 0.3)):
            ax.fill_between(hours, np.percentile(low[keep], q, axis=0), np.percentile(high[keep], 100 - q, axis=0),
                            alpha=a, color="C0", label=f"{q}-{100 - q} % of scenarios" if q else "all scenarios")
        ax.plot(hours, np.median(low[keep], axis=0), color="C0", label="median lowest bus voltage")
        cfg_vmin = _config_value(res.config, "vmin_pu", 0.95)
        ax.axhline(cfg_vmin, color="C3", ls="--", label=f"vmin {cfg_vmin}")
        ax.set_xlabel("hour")
        ax.set_ylabel("bus voltage (pu)")
        ax.set_title("Feeder voltage envelope over the day")
        ax.legend(fontsize=8)
        written.append(_save(fig, out, "voltage_envelope.png"))
    st = res.series.get("station_mw")
    if st is not None:
        fig, ax = plt.subplots(figsize=(7, 4))
        for s, name in enumerate(res.station_names):
            x = st[:, s, :]
            x = x[np.all(np.isfinite(x), axis=1)]
            if not len(x):
                continue
            ax.fill_between(hours, np.percentile(x, 10, axis=0), np.percentile(x, 90, axis=0), alpha=0.25,
                            color=f"C{s}")
            ax.plot(hours, x.mean(axis=0), color=f"C{s}", label=f"{name} mean (10-90 % band)")
        ax.set_xlabel("hour")
        ax.set_ylabel("station load (MW)")
        ax.set_title("Charging-station load profiles")
        ax.legend(fontsize=8)
        written.append(_save(fig, out, "station_load.png"))
    if res.has_metrics("cost", "loss_mwh") and np.isfinite(res.metrics["cost"].to_numpy(dtype=float)).any():
        written.append(_cost_loss_figure(res, out))
    elif res.metric_names:
        written.append(_distribution_figure(res, out, res.metric_names[:6]))
    if curve is not None:
        fig, ax = plt.subplots(figsize=(6, 4))
        ax.plot(curve[0] * 100, curve[1], "o-", color="C0", label="any limit")
        if curve[3].any():
            ax.plot(curve[0] * 100, curve[3], "v--", color="C1", alpha=0.8, label="voltage floor")
        if curve[4].any():
            ax.plot(curve[0] * 100, curve[4], "s--", color="C3", alpha=0.8, label="line rating")
        ax.axhline(0.05, color="0.6", lw=0.8, ls=":")
        ax.set_xlabel("EV penetration (%)")
        ax.set_ylabel("probability of a voltage or line violation")
        ax.set_ylim(-0.02, 1.02)
        ax.set_title(f"Hosting capacity: {res.attrs.get('study_name', 'study')}")
        ax.legend()
        written.append(_save(fig, out, "hosting_capacity.png"))
    if sob is not None and len(sob):
        metrics = list(dict.fromkeys(sob["metric"]))
        fig, axes = plt.subplots(1, len(metrics), figsize=(3.2 * len(metrics), 3.8), squeeze=False)
        for ax, metric in zip(axes[0], metrics):
            d = sob[sob["metric"] == metric]
            x = np.arange(len(d))
            for off, kind, c in ((-0.2, "first", "C0"), (0.2, "total", "C1")):
                val = d[kind].to_numpy()
                err = np.vstack([val - d[kind + "_low"].to_numpy(), d[kind + "_high"].to_numpy() - val])
                ax.bar(x + off, val, 0.4, yerr=np.abs(err), color=c, label=kind + " (pick-freeze)", capsize=2)
                if "chaos_" + kind in d:
                    cv = d["chaos_" + kind].to_numpy()
                    cerr = np.vstack([cv - d["chaos_" + kind + "_low"].to_numpy(),
                                      d["chaos_" + kind + "_high"].to_numpy() - cv])
                    ax.errorbar(x + off, cv, yerr=np.abs(cerr), fmt="D", ms=3.5, color="k", capsize=2,
                                label="polynomial chaos" if off < 0 else "_nolegend_")
            ax.set_xticks(x)
            ax.set_xticklabels(d["parameter"], rotation=60, ha="right", fontsize=7)
            ax.set_title(metric, fontsize=9)
        axes[0][0].legend(fontsize=8)
        fig.suptitle("Sobol indices: pick-freeze (bars) and polynomial chaos (diamonds), 95 % bootstrap intervals")
        written.append(_save(fig, out, "sobol_indices.png"))
    if morris is not None and len(morris):
        fig, ax = plt.subplots(figsize=(6, 4))
        for metric in dict.fromkeys(morris["metric"]):
            d = morris[morris["metric"] == metric]
            ax.scatter(d["mu_star"], d["sigma"], label=metric)
            for _, r in d.iterrows():
                ax.annotate(r["parameter"], (r["mu_star"], r["sigma"]), fontsize=7)
        ax.set_xlabel("mu* (mean |elementary effect|)")
        ax.set_ylabel("sigma")
        ax.set_title("Morris screening")
        ax.legend(fontsize=8)
        written.append(_save(fig, out, "morris.png"))
    return written


def _cost_loss_figure(res, out):
    plt = _plt()
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.5))
    for ax, name in zip(axes, ["cost", "loss_mwh"]):
        v = res.metrics[name].to_numpy(dtype=float)
        v = v[np.isfinite(v)]
        ax.hist(v, bins=30, color="C0")
        ax.set_xlabel(f"{name} ({res.units[name]})")
        ax.set_ylabel("scenarios")
    fig.suptitle("Distribution of operating cost and losses")
    return _save(fig, out, "cost_loss.png")


def _distribution_figure(res, out, names):
    """Histograms of a few metrics (kinds without figures of their own)."""
    plt = _plt()
    fig, axes = plt.subplots(1, len(names), figsize=(3.2 * len(names), 3.2), squeeze=False)
    for ax, name in zip(axes[0], names):
        v = res.metrics[name].to_numpy(dtype=float)
        v = v[np.isfinite(v)]
        ax.hist(v, bins=30, color="C0")
        ax.set_xlabel(f"{name} ({res.units[name]})" if res.units[name] else name, fontsize=8)
        ax.set_ylabel("scenarios")
    fig.suptitle(f"Distributions over the scenarios ({res.study_kind})")
    return _save(fig, out, "distributions.png")


def sensitivity_metrics(res, asked=None):
    """The metrics to compute indices for: the ones asked, else the usual grid metrics the
    file has, else its first five metrics."""
    if asked:
        return asked
    usual = [m for m in DEFAULT_SENSITIVITY_METRICS if m in res.units]
    return usual or res.metric_names[:5]


def _save(fig, out, name):
    path = os.path.join(out, name)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    _plt().close(fig)
    return path


def _config_value(text, key, default):
    for line in text.splitlines():
        s = line.split("#")[0].strip()
        if s.startswith(key + ":"):
            try:
                return float(s.split(":", 1)[1])
            except ValueError:
                return default
    return default


def report(path, out=None, metrics=None):
    res = Results(path)
    if res.metrics is None:
        print(f"{path}: state '{res.state}': no scenario results yet (run 'evsweep run' or 'evsweep merge')")
        return 4
    out = out or os.path.join(os.path.dirname(os.path.abspath(path)), "report")
    os.makedirs(out, exist_ok=True)
    table = summary_table(res)
    table.to_csv(os.path.join(out, "summary.csv"), index=False)
    counts = res.metrics["status"].value_counts()
    print(f"{path}: study '{res.attrs.get('study_name')}' of kind {res.study_kind}, design {res.design_kind}, "
          f"{len(res.metrics)} scenarios, state {res.state}")
    print("status: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    with pd.option_context("display.width", 160, "display.max_columns", 20, "display.float_format", "{:.6g}".format):
        print(table.to_string(index=False))
    curve = hosting_curve(res)
    if curve is not None:
        pd.DataFrame({"ev_penetration": curve[0], "violation_probability": curve[1], "scenarios": curve[2],
                      "voltage_violation_probability": curve[3], "line_overload_probability": curve[4]}).to_csv(
            os.path.join(out, "hosting_capacity.csv"), index=False)
        hc = hosting_capacity(curve)
        print(f"hosting capacity (violation probability <= 5 % in every bin below): EV penetration "
              f"{hc * 100:.0f} %" if np.isfinite(hc) else "hosting capacity: violations in the lowest bin")
    metrics = sensitivity_metrics(res, metrics)
    sob, skipped = sobol_table(res, metrics)
    for s in skipped:
        print(f"sobol indices skipped for {s}")
    if sob is not None and len(sob):
        sob.to_csv(os.path.join(out, "sobol_indices.csv"), index=False)
        with pd.option_context("display.width", 160, "display.float_format", "{:.3f}".format):
            print("Sobol indices, pick-freeze estimators (Martinez first-order, Jansen total; 95 % bootstrap):")
            print(sob[["metric", "parameter", "first", "first_low", "first_high", "total", "total_low",
                       "total_high", "noise_share"]].to_string(index=False))
            if "chaos_first" in sob:
                print("Sobol indices from a polynomial chaos surrogate of the same runs (degree by leave-one-out; "
                      "unexplained = its residual share of the variance, attributed to no parameter):")
                view = sob[["metric", "parameter", "chaos_first", "chaos_first_low", "chaos_first_high",
                            "chaos_total", "chaos_total_low", "chaos_total_high", "chaos_degree", "chaos_q2",
                            "chaos_unexplained"]]
                print(view.rename(columns=lambda c: c.replace("chaos_", "")).to_string(index=False))
        if res.replicates > 1:
            print(f"indices of the means over {res.replicates} replicates per design point; noise_share = "
                  "E[Var(y | point)] / Var(y) of single scenarios")
        else:
            print("noise_share: not measured (sweep.replicates: 1); common random numbers keep it out of the "
                  "indices' comparisons")
        for w in interval_warnings(sob):
            print(w)
    reps = replicate_table(res, metrics)
    if reps is not None:
        reps.to_csv(os.path.join(out, "replicates.csv"), index=False)
        print(f"wrote {os.path.join(out, 'replicates.csv')} (mean and sd of each metric per design point)")
    morris = None
    if res.design_kind == "morris":
        rows = []
        for metric in metrics:
            if metric not in res.units:
                continue
            y, _, _ = sensitivity.replicate_means(res.point, res.metrics[metric].to_numpy(dtype=float))
            first = sensitivity.first_rows(res.point)
            for r in sensitivity.morris_effects(res.unit[first], y, res.block[first], res.moved[first], res.parameters,
                                                res.varied):
                rows.append({"metric": metric, **r})
        morris = pd.DataFrame(rows)
        morris.to_csv(os.path.join(out, "morris.csv"), index=False)
        print(morris.to_string(index=False))
    for f in _figures(res, out, curve, sob, morris):
        print(f"wrote {f}")
    if res.study_kind == "conav":  # kind-specific figures (paper 000)
        from . import conav
        for f in conav.figures(res, out, _plt(), _save):
            print(f"wrote {f}")
    if res.study_kind == "stackelberg":  # kind-specific figures and the paper's table (paper 003)
        from . import stackelberg
        for f in stackelberg.figures(res, out, _plt(), _save):
            print(f"wrote {f}")
    if res.study_kind == "planning":  # kind-specific figures (paper 002)
        from . import planning
        for f in planning.figures(path, out):
            print(f"wrote {f}")
    print(f"wrote {os.path.join(out, 'summary.csv')}")
    return 0


def contrast(base_path, other_path, out, labels=None):
    a, b = Results(base_path), Results(other_path)
    if a.metrics is None or b.metrics is None:
        print("both files need scenario results")
        return 4
    if not (np.array_equal(a.ids, b.ids) and np.array_equal(a.values, b.values)):
        print("the two files do not hold the same scenarios (design values differ); run both studies with the "
              "same sweep section")
        return 2
    la, lb = labels or [a.attrs.get("study_name", "base"), b.attrs.get("study_name", "other")]
    os.makedirs(out, exist_ok=True)
    both = (a.metrics["status"].isin(["ok", "infeasible"]) & b.metrics["status"].isin(["ok", "infeasible"])).to_numpy()
    rows = []
    wanted = CONTRAST_METRICS_BY_KIND.get(a.study_kind, CONTRAST_METRICS)
    shown = [m for m in wanted if m in a.units and m in b.units] or \
        [m for m in a.metric_names if m in b.units][:5]
    for m in shown:
        x = a.metrics[m].to_numpy(dtype=float)[both]
        y = b.metrics[m].to_numpy(dtype=float)[both]
        d = y - x
        rows.append({"metric": m, "unit": a.units[m], la: x.mean(), lb: y.mean(), "mean_difference": d.mean(),
                     "median_difference": np.median(d), "scenarios_lower": int((d < 0).sum()),
                     "scenarios_higher": int((d > 0).sum())})
    table = pd.DataFrame(rows)
    table.to_csv(os.path.join(out, "contrast.csv"), index=False)
    print(f"{lb} minus {la}, over {both.sum()} scenarios solved in both:")
    with pd.option_context("display.width", 160, "display.float_format", "{:.6g}".format):
        print(table.to_string(index=False))
    plt = _plt()
    fig, axes = plt.subplots(1, len(shown), figsize=(3 * len(shown), 3.5), squeeze=False)
    for ax, m in zip(axes[0], shown):
        ax.boxplot([a.metrics[m].to_numpy(float)[both], b.metrics[m].to_numpy(float)[both]], labels=[la, lb])
        ax.set_title(f"{m} ({a.units[m]})", fontsize=9)
        ax.tick_params(axis="x", labelrotation=30, labelsize=7)
    fig.suptitle(f"{la} vs {lb}, same scenarios")
    print(f"wrote {_save(fig, out, 'contrast.png')}")
    ca, cb = hosting_curve(a), hosting_curve(b)
    if ca is not None and cb is not None:
        fig, ax = plt.subplots(figsize=(6, 4))
        ax.plot(ca[0] * 100, ca[1], "o-", label=la)
        ax.plot(cb[0] * 100, cb[1], "s-", label=lb)
        ax.set_xlabel("EV penetration (%)")
        ax.set_ylabel("probability of a voltage or line violation")
        ax.set_title("Hosting capacity")
        ax.legend()
        print(f"wrote {_save(fig, out, 'hosting_capacity.png')}")
    print(f"wrote {os.path.join(out, 'contrast.csv')}")
    return 0
