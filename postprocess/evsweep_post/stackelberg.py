"""Figures and tables of the stackelberg kind (paper 003): charging price profiles per
station, expected nodal prices by bus and hour, the distribution of the three parties'
objectives, and the paper's table (best, mean and standard deviation of each objective per
case over a sweep's scenarios). Series: station_price [scenario][station][period],
lmp [scenario][period][bus] (the results file's /series, kept with output.series)."""
import os

import numpy as np
import pandas as pd

from .results import Results

# The parties' objectives: (metric, label, better when larger?)
OBJECTIVES = [("station_profit", "stations' profit", True),
              ("operator_expected_cost", "operator's expected cost", False),
              ("ev_user_cost", "EV users' cost", False)]


def case_table(paths, labels=None):
    """The paper's table: per case (results file) and objective, best / mean / sd over the
    scenarios whose status is ok or not_converged (an answer exists), and how many."""
    rows = []
    for k, path in enumerate(paths):
        res = Results(path)
        if res.metrics is None:
            continue
        label = labels[k] if labels else (res.attrs.get("study_name") or os.path.basename(os.path.dirname(path)))
        m = res.metrics
        answered = m["status"].isin(["ok", "not_converged"]) if m["status"].dtype == object else np.ones(len(m), bool)
        for metric, name, larger in OBJECTIVES:
            if metric not in m:
                continue
            y = m.loc[answered, metric].to_numpy(float)
            y = y[np.isfinite(y)]
            rows.append({"case": label, "objective": name, "scenarios": int(y.size),
                         "best": (y.max() if larger else y.min()) if y.size else np.nan,
                         "mean": y.mean() if y.size else np.nan,
                         "sd": y.std(ddof=1) if y.size > 1 else np.nan})
    return pd.DataFrame(rows)


# The directions paper 003 reports for its sensitivity study: parameter -> sign of the change
# of the stations' profit when the parameter grows.
PAPER_DIRECTIONS = {"kappa": ("lower", -1), "xi": ("lower", -1)}


def directions(res):
    """Stations' profit against the sweep's parameters: a least-squares fit of station_profit
    on every varied parameter (with an intercept) over the scenarios with an answer; per paper
    parameter (kappa, xi) its slope, the profit change over the parameter's range in the sweep,
    the paper's direction and whether the sweep agrees."""
    m = res.metrics
    if m is None or "station_profit" not in m or len(m) < 3:
        return pd.DataFrame()
    names = list(res.parameters)
    varied = [i for i, n in enumerate(names) if res.varied[i]]
    answered = m["status"].isin(["ok", "not_converged"]).to_numpy() if m["status"].dtype == object else np.ones(len(m), bool)
    y = m["station_profit"].to_numpy(float)
    keep = answered & np.isfinite(y)
    rows = []
    if keep.sum() <= len(varied) + 1:
        return pd.DataFrame()
    x = np.column_stack([np.ones(int(keep.sum()))] + [res.values[keep, i] for i in varied])
    coef, *_ = np.linalg.lstsq(x, y[keep], rcond=None)
    for k, i in enumerate(varied):
        name = names[i]
        if name not in PAPER_DIRECTIONS:
            continue
        lo, hi = res.values[keep, i].min(), res.values[keep, i].max()
        change = coef[k + 1] * (hi - lo)
        paper, sign = PAPER_DIRECTIONS[name]
        rows.append({"parameter": name, "slope": coef[k + 1], "low": lo, "high": hi, "profit_change": change,
                     "relative_change": change / abs(y[keep].mean()) if y[keep].mean() != 0 else np.nan,
                     "paper": paper, "agrees": bool(np.sign(change) == sign)})
    return pd.DataFrame(rows)


def figures(res, out, plt, save):
    written = []
    names = list(res.station_names)
    price = res.series.get("station_price")
    if price is not None and price.size:
        ok = np.all(np.isfinite(price.reshape(price.shape[0], -1)), axis=1)
        if ok.any():
            hours = np.arange(price.shape[2])
            fig, ax = plt.subplots(figsize=(7, 4))
            for s in range(price.shape[1]):
                x = price[ok, s]
                label = names[s] if s < len(names) else f"station {s + 1}"
                ax.step(hours, np.median(x, axis=0), where="post", color=f"C{s}", label=f"{label} (median)")
                if x.shape[0] > 1:
                    ax.fill_between(hours, x.min(axis=0), x.max(axis=0), step="post", color=f"C{s}", alpha=0.15)
            ax.set_xlabel("hour")
            ax.set_ylabel("charging price (currency/kWh)")
            ax.set_title(f"Charging price per station ({int(ok.sum())} scenarios; band: min-max)")
            ax.legend(fontsize=8)
            written.append(save(fig, out, "stackelberg_prices.png"))
    lmp = res.series.get("lmp")
    if lmp is not None and lmp.size:
        ok = np.all(np.isfinite(lmp.reshape(lmp.shape[0], -1)), axis=1)
        if ok.any():
            mean = lmp[ok].mean(axis=0)  # (period, bus)
            buses = res.bus_ids if len(res.bus_ids) == mean.shape[1] else np.arange(1, mean.shape[1] + 1)
            fig, ax = plt.subplots(figsize=(8, 4))
            im = ax.imshow(mean.T, aspect="auto", origin="lower", cmap="viridis",
                           extent=(-0.5, mean.shape[0] - 0.5, -0.5, mean.shape[1] - 0.5))
            step = max(1, len(buses) // 11)
            ax.set_yticks(np.arange(len(buses))[::step])
            ax.set_yticklabels([str(b) for b in buses[::step]])
            ax.set_xlabel("hour")
            ax.set_ylabel("bus")
            ax.set_title(f"Expected nodal price, mean over {int(ok.sum())} scenarios")
            fig.colorbar(im, ax=ax, label="currency/MWh")
            written.append(save(fig, out, "stackelberg_lmp.png"))
    if res.metrics is not None:
        present = [(m, n) for m, n, _ in OBJECTIVES if m in res.metrics]
        if present and len(res.metrics) > 1:
            fig, axes = plt.subplots(1, len(present), figsize=(4 * len(present), 3.5))
            axes = np.atleast_1d(axes)
            for ax, (metric, name) in zip(axes, present):
                y = res.metrics[metric].to_numpy(float)
                y = y[np.isfinite(y)]
                ax.hist(y, bins=min(20, max(5, y.size // 3)), color="C0")
                ax.set_title(name, fontsize=9)
                ax.set_xlabel(res.units.get(metric, ""))
            fig.suptitle("Objectives over the sweep's scenarios")
            written.append(save(fig, out, "stackelberg_objectives.png"))
    table = case_table([res.path])
    if len(table):
        path = os.path.join(out, "stackelberg_table.csv")
        table.to_csv(path, index=False)
        with pd.option_context("display.width", 160, "display.float_format", "{:.6g}".format):
            print(table.to_string(index=False))
        written.append(path)
    d = directions(res)
    if len(d):
        path = os.path.join(out, "stackelberg_directions.csv")
        d.to_csv(path, index=False)
        print("stations' profit as the parameters grow (least squares over the scenarios) against the paper:")
        for r in d.itertuples():
            print(f"  {r.parameter} {r.low:g} -> {r.high:g}: profit {r.profit_change:+.6g} ({100 * r.relative_change:+.2f} %); "
                  f"paper: {r.paper}; {'agrees' if r.agrees else 'differs (docs/kinds/stackelberg.md says why)'}")
        written.append(path)
    return written
