#include "kinds/sue_dispatch/metrics.hpp"

namespace evs::kinds::sue_dispatch {

#define EVS_METRIC(field, unit, meaning) \
  Metric { #field, unit, meaning, [](const ScenarioResult& r) { return static_cast<double>(r.field); } }

const std::vector<Metric>& scenario_metrics() {
  static const std::vector<Metric> table = {
      EVS_METRIC(objective, "currency", "Weighted dispatch objective (dispatch.weight_*)"),
      EVS_METRIC(cost, "currency", "Operating cost over the day: purchase + turbine fuel + curtailment + DR pay"),
      EVS_METRIC(objective_purchase, "currency", "Objective term: energy bought at the substation (x weight_cost)"),
      EVS_METRIC(objective_turbine_fuel, "currency", "Objective term: gas-turbine fuel (x weight_cost)"),
      EVS_METRIC(objective_demand_response, "currency", "Objective term: demand-response compensation (x weight_cost)"),
      EVS_METRIC(objective_curtailment, "currency", "Objective term: curtailment penalty (x weight_cost)"),
      EVS_METRIC(objective_voltage_floor, "currency",
                 "Objective term: soft voltage floor penalty (why an infeasible scenario's objective exceeds its cost)"),
      EVS_METRIC(objective_line_overload, "currency",
                 "Objective term: soft line-rating penalty (dispatch.line_overload_cost; with the floor's, why an "
                 "infeasible scenario's objective exceeds its cost)"),
      EVS_METRIC(objective_losses, "currency", "Objective term: weight_loss x losses"),
      EVS_METRIC(objective_voltage_deviation, "currency", "Objective term: weight_voltage_deviation x sum |v - 1|"),
      EVS_METRIC(objective_load_variance, "currency", "Objective term: weight_load_variance x feeder-head variance"),
      EVS_METRIC(objective_peak_valley, "currency", "Objective term: weight_peak_valley x peak-valley difference"),
      EVS_METRIC(loss_mwh, "MWh", "Feeder losses over the day"),
      EVS_METRIC(vmin_pu, "pu", "Lowest bus voltage magnitude over buses and periods"),
      EVS_METRIC(vmin_bus, "bus", "Bus (MATPOWER number) where vmin_pu occurs"),
      EVS_METRIC(vmax_pu, "pu", "Highest bus voltage magnitude over buses and periods"),
      EVS_METRIC(vmax_bus, "bus", "Bus where vmax_pu occurs"),
      EVS_METRIC(voltage_shortfall_pu, "pu", "Largest shortfall below grid.vmin_pu the dispatch could not avoid "
                                             "(soft voltage floor; > 1e-5 makes the scenario infeasible)"),
      EVS_METRIC(max_line_loading, "", "Largest branch apparent power over its rating (0 when no ratings)"),
      EVS_METRIC(curtailment_mwh, "MWh", "PV and wind energy curtailed"),
      EVS_METRIC(head_peak_mw, "MW", "Highest feeder-head (substation) active power"),
      EVS_METRIC(head_valley_mw, "MW", "Lowest feeder-head active power"),
      EVS_METRIC(head_peak_valley_mw, "MW", "Peak-valley difference of the feeder-head load"),
      EVS_METRIC(head_std_mw, "MW", "Standard deviation of the feeder-head load over the periods"),
      EVS_METRIC(max_relaxation_gap, "", "Largest SOC relaxation gap |P^2+Q^2-l v|/(l v) (0 for lin)"),
      EVS_METRIC(ac_max_dv_pu, "pu", "Largest voltage difference between dispatch and the AC power flow"),
      EVS_METRIC(ac_violations, "count", "Voltage or line limits violated in the AC check"),
      EVS_METRIC(simultaneous_storage_periods, "count",
                 "Storage unit-periods charging and discharging at once (> 0: the message says so)"),
      EVS_METRIC(dispatch_iterations, "count", "Ipopt iterations, every solve of the scenario"),
      EVS_METRIC(station_peak_mw, "MW", "Largest charging power of any station in any period (traffic)"),
      EVS_METRIC(ev_energy_mwh, "MWh", "EV charging energy over the day, all stations (traffic)"),
      EVS_METRIC(tstt, "veh h", "Total system travel time over the day (time unit of the network file)"),
      EVS_METRIC(traffic_gap, "", "Worst final SUE residual or UE relative gap over the periods"),
      EVS_METRIC(traffic_iterations, "count", "Assignment iterations over the day"),
  };
  return table;
}

const std::vector<Metric>& scenario_timings() {
  static const std::vector<Metric> table = {
      EVS_METRIC(traffic_s, "s", "Wall-clock time of the traffic stage"),
      EVS_METRIC(dispatch_s, "s", "Wall-clock time of the dispatch stage, AC check included"),
      EVS_METRIC(total_s, "s", "Wall-clock time of the whole scenario"),
  };
  return table;
}

#undef EVS_METRIC

const std::vector<SeriesInfo>& scenario_series() {
  static const std::vector<SeriesInfo> table = {
      {"head_load", "head_mw", "MW", "Feeder-head (substation) active power per period", {"period"}},
      {"station_load", "station_mw", "MW", "Charging power of each station per period, after dispatch",
       {"station", "period"}},
      {"bus_voltage", "vm_pu", "pu", "Voltage magnitude of each bus per period, from the dispatch",
       {"period", "bus"}},
      {"storage", "storage", "MW, MWh", "Each battery's charging and discharging power and end-of-period energy",
       {"storage", "storage_quantity", "period"}},
      {"gas_turbine", "gas_turbine", "MW, MVAr", "Each gas turbine's active and reactive output",
       {"turbine", "power", "period"}},
      {"demand_response", "demand_response", "MW", "Load shifted out of and into each demand-response bus",
       {"dr_unit", "dr_quantity", "period"}},
      {"renewables", "renewables", "MW, MVAr",
       "Each PV then wind unit's power used, power curtailed (available - used) and reactive output",
       {"renewable", "renewable_quantity", "period"}},
      {"substation", "substation", "MW, MVAr", "Import at the substation (negative: export)", {"power", "period"}},
      {"lmp", "lmp", "currency/MWh", "Locational marginal price of each bus (dual of its active-power balance)",
       {"period", "bus"}},
      {"branch_flow", "branch_flow", "MW, MVAr, -, MW",
       "Each branch's active and reactive flow at its parent end, loading |S|/rating (NaN where unrated) and "
       "losses r l",
       {"period", "branch", "branch_quantity"}},
      {"bus_load", "bus_load", "MW, MVAr",
       "Fixed load of each bus (case load x scale, plus fixed EV charging) per period",
       {"period", "bus", "power"}},
  };
  return table;
}

}  // namespace evs::kinds::sue_dispatch
