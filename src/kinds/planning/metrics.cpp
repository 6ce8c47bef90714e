#include "kinds/planning/metrics.hpp"

namespace evs::kinds::planning {

#define EVS_M(name, expr, unit, meaning) \
  Metric { name, unit, meaning, [](const ScenarioResult& r) { return static_cast<double>(expr); } }

const std::vector<Metric>& scenario_metrics() {
  static const std::vector<Metric> table = {
      EVS_M("pareto_points", r.pareto_points, "count", "Non-dominated points of the V2G front"),
      EVS_M("pareto_failed", r.pareto_failed, "count", "Front subproblems without a solution (infeasible bounds)"),
      EVS_M("hypervolume", r.hypervolume, "", "Normalised hypervolume of the front (reference 1.1, divided by 1.1^3)"),
      EVS_M("hypervolume_mopso", r.hypervolume_mopso, "",
            "Hypervolume of the particle-swarm baseline, the front's normalisation and reference (NaN unless pareto.mopso)"),
      EVS_M("mopso_points", r.mopso_points, "count", "Feasible non-dominated points of the swarm baseline (0 unless pareto.mopso)"),
      EVS_M("transformer_units_disordered", r.units[kDisordered], "count", "Transformer units, all areas, disordered"),
      EVS_M("transformer_units_ordered", r.units[kOrdered], "count", "Transformer units, all areas, ordered"),
      EVS_M("transformer_units_v2g", r.units[kV2g], "count", "Transformer units, all areas, V2G chosen point"),
      EVS_M("transformer_units_planned", r.units_planned, "count", "ceil((S_R + S_ev / cos) / S_U), all areas"),
      EVS_M("investment_disordered", r.investment[kDisordered], "currency", "Units x unit cost, disordered"),
      EVS_M("investment_v2g", r.investment[kV2g], "currency", "Units x unit cost, V2G"),
      EVS_M("peak_valley_disordered_mw", r.peak_valley_mw[kDisordered], "MW", "Peak-valley difference, sum over areas"),
      EVS_M("peak_valley_ordered_mw", r.peak_valley_mw[kOrdered], "MW", "Peak-valley difference, ordered"),
      EVS_M("peak_valley_v2g_mw", r.peak_valley_mw[kV2g], "MW", "Peak-valley difference, V2G chosen point"),
      EVS_M("load_std_disordered_mw", r.std_mw[kDisordered], "MW", "Load standard deviation, sum over areas"),
      EVS_M("load_std_ordered_mw", r.std_mw[kOrdered], "MW", "Load standard deviation, ordered"),
      EVS_M("load_std_v2g_mw", r.std_mw[kV2g], "MW", "Load standard deviation, V2G chosen point"),
      EVS_M("superposition_rate", r.superposition_rate, "", "Largest superposition rate over areas, disordered"),
      EVS_M("max_load_rate", r.max_load_rate, "", "Largest max load rate over areas, disordered"),
      EVS_M("max_load_rate_v2g", r.max_load_rate_v2g, "", "Largest max load rate over areas, V2G"),
      EVS_M("s_ev_kw", r.s_ev_kw, "kW", "Planned EV charging capacity S_ev, all areas (eq. 4)"),
      EVS_M("p_r_kw", r.p_r_kw, "kW", "Regional planning load P_R, all areas (eq. 5)"),
      EVS_M("s_r_kva", r.s_r_kva, "kVA", "Planned transformer capacity S_R, all areas (eq. 7)"),
      EVS_M("vehicles", r.vehicles, "count", "EVs drawn"),
      EVS_M("cohorts", r.cohorts, "count", "Cohorts of the V2G optimisation"),
      EVS_M("departure_soc_shortfall", r.departure_soc_shortfall, "",
            "Largest departure SOC shortfall over vehicles, V2G chosen point (unreachable targets included)"),
      EVS_M("departure_soc_shortfall_disordered", r.departure_soc_shortfall_disordered, "",
            "Largest departure SOC shortfall over vehicles, disordered"),
      EVS_M("unplaced_kw", r.unplaced_kw, "kW", "Largest cohort power the per-vehicle split could not place"),
      EVS_M("simultaneous_periods", r.simultaneous_periods, "count", "Cohort periods charging and discharging at once"),
      EVS_M("overload_mw", r.overload_mw, "MW", "Largest load above the existing (base-load) transformer units, V2G"),
      EVS_M("f1_load_variance_mw2", r.chosen_f[0], "MW^2", "f1 of the chosen point"),
      EVS_M("f2_peak_valley_mw", r.chosen_f[1], "MW", "f2 of the chosen point"),
      EVS_M("f3_voltage_deviation_pu", r.chosen_f[2], "pu", "f3 of the chosen point"),
      EVS_M("vmin_pu", r.vmin_pu, "pu", "Lowest voltage, V2G chosen point"),
      EVS_M("vmin_disordered_pu", r.vmin_disordered_pu, "pu", "Lowest voltage, disordered"),
      EVS_M("max_relaxation_gap", r.max_relaxation_gap, "", "SOC relaxation gap of the chosen point"),
      EVS_M("ac_max_dv_pu", r.ac_max_dv_pu, "pu", "Largest |V| difference dispatch vs AC power flow, chosen point"),
      EVS_M("ac_violations", r.ac_violations, "count", "Limits violated in the AC check, chosen point"),
  };
  return table;
}

const std::vector<Metric>& scenario_timings() {
  static const std::vector<Metric> table = {
      EVS_M("front_s", r.front_s, "s", "Wall-clock time of the Pareto front"),
      EVS_M("mopso_s", r.mopso_s, "s", "Wall-clock time of the swarm baseline (NaN unless pareto.mopso)"),
      EVS_M("solve_s", r.solve_s, "s", "Wall-clock time of the whole scenario"),
  };
  return table;
}

#undef EVS_M

const std::vector<SeriesInfo>& scenario_series() {
  static const std::vector<SeriesInfo> table = {
      {"pareto_front", "pareto_front", "", "Raw objectives f1 (MW^2), f2 (MW), f3 (pu) of each front point (NaN rows: unused)",
       {"front_point", "objective"}},
      {"area_load", "area_kw", "kW", "Each area's load per period by mode", {"mode", "area", "period"}},
      {"area_table", "area_table", "", "Per mode and area: superposition, units, max load rate, peak-valley kW, "
                                        "std kW, simultaneity, investment",
       {"mode", "area", "column"}},
      {"vehicle_shortfall", "vehicle_shortfall", "SOC",
       "Per vehicle: its area index, its departure SOC shortfall under disordered charging and at the V2G "
       "chosen point (unreachable targets included; NaN rows: vehicles this scenario does not have)",
       {"vehicle", "shortfall_column"}},
  };
  return table;
}

}  // namespace evs::kinds::planning
