"""Figures of the conav kind (paper 000, figures 8-11): dispatched vehicles at each station
cell over the steps, station power curves, and bus voltage profiles at three instants.
Series: station_vehicles [scenario][station][step], station_kw [scenario][station][step],
vm_pu [scenario][step][bus] (the results file's /series, kept with output.series)."""
import numpy as np


def _first_solved(x):
    """Index of the first scenario whose series is finite, or None."""
    for i in range(x.shape[0]):
        if np.all(np.isfinite(x[i])):
            return i
    return None


def figures(res, out, plt, save):
    written = []
    tau = 3.0  # minutes per step (configs/conav*.yaml); the x axes are steps x tau
    names = list(res.station_names)
    for dataset, ylabel, title, fname in (
            ("station_vehicles", "EVs in the station cell", "Vehicles at each station cell", "conav_station_vehicles.png"),
            ("station_kw", "net power (kW, charging - V2G)", "Station power", "conav_station_power.png")):
        x = res.series.get(dataset)
        if x is None or x.size == 0:
            continue
        i = _first_solved(x)
        if i is None:
            continue
        steps = np.arange(x.shape[2])
        fig, ax = plt.subplots(figsize=(7, 4))
        for s in range(x.shape[1]):
            label = names[s] if s < len(names) else f"station {s + 1}"
            ax.step(steps * tau, x[i, s], where="post", color=f"C{s}", label=f"{label} (scenario {res.ids[i]})")
            ok = np.all(np.isfinite(x[:, s]), axis=1)
            if ok.sum() > 1:
                ax.plot(steps * tau, x[ok, s].mean(axis=0), color=f"C{s}", ls=":", label=f"{label} mean")
        ax.set_xlabel("minutes")
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.legend(fontsize=7)
        written.append(save(fig, out, fname))
    vm = res.series.get("vm_pu")
    if vm is not None and vm.size:
        i = _first_solved(vm)
        if i is not None:
            T = vm.shape[1]
            fig, ax = plt.subplots(figsize=(7, 4))
            buses = res.bus_ids if len(res.bus_ids) == vm.shape[2] else np.arange(1, vm.shape[2] + 1)
            for k, t in enumerate(sorted({0, T // 2, T - 1})):
                ax.plot(buses, vm[i, t], "o-", ms=3, color=f"C{k}", label=f"step {t} ({t * tau:.0f} min)")
            ax.axhline(0.9, color="C3", ls="--", lw=0.8)
            ax.axhline(1.1, color="C3", ls="--", lw=0.8)
            ax.set_xlabel("bus")
            ax.set_ylabel("voltage (pu)")
            ax.set_title(f"Voltage profiles at three instants (scenario {res.ids[i]})")
            ax.legend(fontsize=8)
            written.append(save(fig, out, "conav_voltage_profiles.png"))
    return written
