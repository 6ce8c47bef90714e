#include "kinds/conav/metrics.hpp"

namespace evs::kinds::conav {

#define EVS_METRIC(field, unit, meaning) \
  Metric { #field, unit, meaning, [](const ScenarioResult& r) { return static_cast<double>(r.field); } }

const std::vector<Metric>& scenario_metrics() {
  static const std::vector<Metric> table = {
      EVS_METRIC(cells, "count", "Cells of the cell network (road, station and terminal)"),
      EVS_METRIC(cell_links, "count", "Links between cells"),
      EVS_METRIC(objective, "", "Joint objective: weighted navigation time + voltage deviation + penalties"),
      EVS_METRIC(vehicle_holding_share, "",
                 "Share of dispatched vehicle-steps on road cells held back while the cell could send and a "
                 "child could receive"),
      EVS_METRIC(charging_energy_kwh, "kWh", "Energy delivered to charging EVs"),
      EVS_METRIC(charging_energy_shortfall_kwh, "kWh", "Charging need not delivered by the horizon's end"),
      EVS_METRIC(v2g_energy_kwh, "kWh", "Energy given by V2G EVs"),
      EVS_METRIC(navigation_time_min, "veh min", "Charging EVs' time on road cells, total"),
      EVS_METRIC(arrival_step_last, "count", "Last step in which charging EVs enter a station cell"),
      EVS_METRIC(station_peak_kw, "kW", "Largest |net station power| over stations and steps"),
      EVS_METRIC(voltage_deviation_sum, "pu", "Sum over steps and buses of |V - 1|"),
      EVS_METRIC(vmin_pu, "pu", "Lowest bus voltage over buses and steps"),
      EVS_METRIC(vmax_pu, "pu", "Highest bus voltage over buses and steps"),
      EVS_METRIC(max_line_loading, "", "Largest branch apparent power over its rating (0 when no ratings)"),
      EVS_METRIC(ac_max_dv_pu, "pu", "Largest voltage difference between the optimisation and the AC power flow"),
      EVS_METRIC(ac_violations, "count", "Voltage or line limits violated in the AC check"),
      EVS_METRIC(max_relaxation_gap, "", "Largest SOC relaxation gap (0 for lin)"),
      EVS_METRIC(conservation_error, "veh", "Largest vehicle-balance error over types, steps and cells"),
      EVS_METRIC(iterations, "count", "Ipopt iterations"),
  };
  return table;
}

const std::vector<Metric>& scenario_timings() {
  static const std::vector<Metric> table = {
      EVS_METRIC(build_s, "s", "Wall-clock time of drawing and building the scenario"),
      EVS_METRIC(solve_s, "s", "Wall-clock time of the joint optimisation, AC check included"),
      EVS_METRIC(total_s, "s", "Wall-clock time of the whole scenario"),
  };
  return table;
}

#undef EVS_METRIC

const std::vector<SeriesInfo>& scenario_series() {
  static const std::vector<SeriesInfo> table = {
      {"station_vehicles", "station_vehicles", "veh", "Dispatched EVs in each station cell per step",
       {"station", "period"}},
      {"station_power", "station_kw", "kW", "Net power of each station per step (charging - V2G)",
       {"station", "period"}},
      {"bus_voltage", "vm_pu", "pu", "Voltage magnitude of each bus per step (period = step)", {"period", "bus"}},
  };
  return table;
}

}  // namespace evs::kinds::conav
