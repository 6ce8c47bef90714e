#include "kinds/sue_dispatch/scenario.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/timer.hpp"
#include "coupling/charging.hpp"
#include "grid/dispatch.hpp"
#include "traffic/ev_demand.hpp"
#include "traffic/multiperiod.hpp"

namespace evs::kinds::sue_dispatch {

namespace {

std::vector<double> profile(const std::vector<double>& values, int periods, double scale = 1.0) {
  std::vector<double> out(periods, scale);
  for (int t = 0; t < periods && t < static_cast<int>(values.size()); ++t) out[t] = values[t] * scale;
  return out;
}

std::vector<coupling::ChargingStation> charging_stations(const Options& o) {
  std::vector<coupling::ChargingStation> out;
  for (const auto& st : o.stations)
    out.push_back({st.name, st.node, st.bus, st.capacity_veh_per_h, st.service_time_min, st.davidson_j, st.power_factor});
  return out;
}

// Traffic stage: the day's assignment with the scenario's EV demand.
traffic::DayResult run_traffic(const PreparedStudy& ps, std::uint64_t id, const Model& model,
                               const traffic::TrafficNetwork& net) {
  const auto& s = ps.options;
  const int T = s.profiles.periods;
  traffic::DayOptions o;
  o.stochastic = s.traffic.model == "sue";
  o.sue.theta = model.theta;
  o.sue.rule = traffic::step_rule_from_string(s.traffic.step_rule);
  o.sue.tolerance = s.traffic.tolerance;
  o.sue.max_iterations = s.traffic.max_iterations;
  o.sue.path_set = traffic::path_set_mode_from_string(s.traffic.path_set);
  o.sue.max_enumerated_paths = s.traffic.max_enumerated_paths;
  o.ue.gap = s.traffic.tolerance;
  o.ue.max_iterations = s.traffic.max_iterations;
  o.warm_start = s.traffic.warm_start;
  o.demand_multiplier = profile(s.profiles.traffic_demand, T);
  o.ev_penetration = model.ev_penetration;
  o.charge_coefficient = model.charge_coefficient;
  o.battery_kwh = model.battery_kwh;
  o.residual_share = s.traffic.residual_share;
  o.period_minutes = 60 * s.profiles.dt_h;
  traffic::EvTripModel m;
  m.samples = s.ev.monte_carlo_samples;
  m.battery_kwh = o.battery_kwh;
  m.consumption_kwh_per_km = s.ev.consumption_kwh_per_km;
  m.soc_mean = s.ev.departure_soc_mean;
  m.soc_sd = s.ev.departure_soc_sd;
  m.trip_km_median = s.ev.trip_km_median;
  m.trip_km_sigma = s.ev.trip_km_sigma;
  m.soc_threshold = s.ev.soc_threshold;
  o.fast_charge_share = traffic::fast_charge_share(m, T, s.profiles.dt_h, ps.seed, id);
  auto demand = traffic::demand_from_trips(ps.trips, model.demand_scale);
  if (!ps.period_std_error.empty()) {  // an estimated trip table: drawn around the estimate
    // one draw per (period, pair), keyed by the design point: rows a sensitivity estimator
    // compares share them
    RandomStream rng(ps.seed, id, stream_od_error);
    const size_t P = ps.period_std_error.size();
    std::vector<std::vector<double>> drawn(P, std::vector<double>(demand.size()));
    for (size_t t = 0; t < P; ++t)
      for (size_t k = 0; k < demand.size(); ++k) {
        const double z = rng.normal();
        const double base = ps.period_demand.empty() ? ps.trips.entries[k].flow : ps.period_demand[t][k];
        const double se = ps.period_std_error[t][k];
        drawn[t][k] = model.demand_scale *
                      std::max(0.0, base + (std::isfinite(se) ? model.od_error_scale * z * se : 0.0));
      }
    if (ps.period_demand.empty())
      for (size_t k = 0; k < demand.size(); ++k) demand[k].demand = drawn[0][k];
    else
      o.period_demand = std::move(drawn);
  }
  return traffic::solve_day(net, demand, o, ps.trips.source_file);
}

// station_kw: [period][station] charging power from the traffic stage (empty: none).
grid::DispatchProblem dispatch_problem(const PreparedStudy& ps, const Model& model,
                                       const std::vector<std::vector<double>>& station_kw) {
  const auto& s = ps.options;
  const int T = s.profiles.periods;
  grid::DispatchProblem pb;
  pb.net = &ps.grid;
  pb.periods = T;
  pb.dt_h = s.profiles.dt_h;
  pb.load_scale = profile(s.profiles.base_load, T, s.grid.load_scale * model.load_scale);
  pb.slack_vm_pu = s.grid.slack_vm_pu;
  pb.vmin_pu = s.grid.vmin_pu;
  pb.vmax_pu = s.grid.vmax_pu;
  pb.voltage_shortfall_cost = s.dispatch.voltage_shortfall_cost;
  pb.line_overload_cost = s.dispatch.line_overload_cost;
  pb.export_rule = s.grid.export_rule == "forbid"  ? grid::ExportRule::forbid
                   : s.grid.export_rule == "price" ? grid::ExportRule::price
                                                   : grid::ExportRule::credit;
  pb.export_price = profile(s.profiles.export_price, T, model.tariff_scale);
  pb.formulation = grid::formulation_from_string(s.dispatch.formulation);
  pb.exact_from_relaxation = s.dispatch.exact_start == "relaxation";
  pb.ac_check = s.dispatch.ac_check;
  pb.weights = {s.dispatch.weight_cost, s.dispatch.weight_loss, s.dispatch.weight_voltage_deviation,
                s.dispatch.weight_load_variance, s.dispatch.weight_peak_valley};
  const double pv_scale = model.pv_scale, wind_scale = model.wind_scale;
  for (const auto& r : s.resources.storage)
    pb.storages.push_back({r.bus, r.power_mw, r.energy_mwh, r.eta_charge, r.eta_discharge, r.soc_min, r.soc_max,
                           r.soc_initial, r.cyclic});
  for (const auto& r : s.resources.pv)
    pb.pv.push_back({r.bus, r.capacity_mw * pv_scale, profile(s.profiles.pv, T), r.curtailment_cost, r.max_q_ratio});
  for (const auto& r : s.resources.wind)
    pb.wind.push_back(
        {r.bus, r.capacity_mw * wind_scale, profile(s.profiles.wind, T), r.curtailment_cost, r.max_q_ratio});
  for (const auto& g : s.resources.gas_turbines)
    pb.turbines.push_back({g.bus, g.pmax_mw, g.qmin_mvar, g.qmax_mvar, g.ramp_mw_per_h, g.cost_a, g.cost_b});
  for (const auto& d : s.resources.demand_response) pb.demand_response.push_back({d.bus, d.max_share, d.compensation});
  // Coupling: station charging power (kW from traffic) is load at the station's bus.
  coupling::ChargingFlexibility flex;
  flex.coordinated = s.dispatch.ev_charging == "coordinated";
  flex.v2g = s.dispatch.v2g;
  flex.capacity_scale = model.station_capacity_scale;
  flex.charge_coefficient = model.charge_coefficient;
  flex.battery_kwh = model.battery_kwh;
  flex.v2g_share = model.v2g_share;
  pb.ev_stations = coupling::grid_station_loads(charging_stations(s), station_kw, T, flex);
  const double tariff_scale = model.tariff_scale;
  if (s.dispatch.tariff == "dynamic_tou") {
    std::vector<double> eq(T, 0.0);
    double base_mw = 0;
    for (int i = 0; i < ps.grid.num_buses(); ++i) base_mw += ps.grid.pd[i] * ps.grid.base_mva;
    for (int t = 0; t < T; ++t) {
      eq[t] = base_mw * pb.load_scale[t];
      for (const auto& ev : pb.ev_stations) eq[t] += ev.p_mw[t];
      for (const auto& r : pb.pv) eq[t] -= r.capacity_mw * r.availability[t];
      for (const auto& r : pb.wind) eq[t] -= r.capacity_mw * r.availability[t];
    }
    pb.tariff = grid::dynamic_tou_tariff(eq, s.dispatch.tou_rho0 * tariff_scale, s.dispatch.tou_sigma);
  } else {
    pb.tariff = profile(s.profiles.tariff, T, tariff_scale);
  }
  return pb;
}

bool has_stage(const PreparedStudy& ps, const char* stage) {
  return std::find(ps.stages.begin(), ps.stages.end(), stage) != ps.stages.end();
}

}  // namespace

ScenarioResult run_model(const PreparedStudy& ps, std::uint64_t id, const Model& model,
                         const ScenarioOptions& opt) noexcept {
  Stopwatch total;
  ScenarioResult r;
  r.scenario_id = id;
  const char* stage = "setup";
  const auto deadline = opt.time_limit_s > 0
                            ? std::chrono::steady_clock::now() +
                                  std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                      std::chrono::duration<double>(opt.time_limit_s))
                            : std::chrono::steady_clock::time_point::max();
  auto fail = [&](Status status) {
    r.status = std::move(status);
    r.failed_stage = stage;
    r.total_s = total.seconds();
    return r;
  };
  auto timed_out = [&] {
    return std::chrono::steady_clock::now() >= deadline
               ? Status::failure(StatusCode::timeout, std::string("time limit of ") + std::to_string(opt.time_limit_s) +
                                                          " s reached in stage " + stage)
               : Status{};
  };
  try {
    const auto& s = ps.options;
    std::vector<std::vector<double>> station_kw;  // [period][station]
    if (has_stage(ps, "traffic")) {
      const traffic::TrafficNetwork net = traffic::build_traffic_network(
          ps.road, coupling::traffic_stations(charging_stations(s), model.station_capacity_scale, ps.stations_line));

      stage = "traffic";
      Stopwatch clock;
      const traffic::DayResult day = run_traffic(ps, id, model, net);
      r.traffic_s = clock.seconds();
      r.traffic_iterations = day.total_iterations;
      r.traffic_gap = r.tstt = r.station_peak_mw = r.ev_energy_mwh = 0;
      for (const auto& p : day.periods) {
        r.traffic_gap = std::max(r.traffic_gap, p.assignment.gap);
        r.tstt += p.assignment.tstt * s.profiles.dt_h;
        station_kw.push_back(p.charging_kw);
        for (double kw : p.charging_kw) {
          r.station_peak_mw = std::max(r.station_peak_mw, kw / 1000.0);
          r.ev_energy_mwh += kw / 1000.0 * s.profiles.dt_h;
        }
      }
      if (!day.status.ok()) return fail(day.status);
      if (Status late = timed_out(); !late.ok()) return fail(late);
    }
    if (!has_stage(ps, "dispatch")) {
      r.total_s = total.seconds();
      return r;
    }

    stage = "dispatch";
    Stopwatch clock;
    const grid::DispatchProblem pb = dispatch_problem(ps, model, station_kw);
    grid::NlpOptions nlp;
    nlp.deadline = deadline;
    nlp.robust = opt.attempt > 1;
    nlp.linear_solver = s.dispatch.linear_solver == "mumps" ? grid::LinearSolver::mumps : grid::LinearSolver::ldl;
    const grid::DispatchResult d = grid::solve_dispatch(pb, nlp);
    r.dispatch_s = clock.seconds();
    r.solver_status = d.solver_status;
    r.linear_solver = d.linear_solver;
    r.dispatch_iterations = d.iterations;
    if (!d.has_solution) return fail(d.status);
    r.voltage_shortfall_pu = d.voltage_shortfall_pu;
    r.cost = d.operating_cost;
    r.objective = d.objective;
    for (double* term : {&r.objective_purchase, &r.objective_turbine_fuel, &r.objective_demand_response,
                         &r.objective_curtailment, &r.objective_voltage_floor, &r.objective_line_overload, &r.objective_losses,
                         &r.objective_voltage_deviation, &r.objective_load_variance, &r.objective_peak_valley})
      *term = 0;
    for (const auto& [name, value] : d.objective_terms) {
      if (name == "purchase") r.objective_purchase = value;
      if (name == "turbine_fuel") r.objective_turbine_fuel = value;
      if (name == "demand_response") r.objective_demand_response = value;
      if (name == "curtailment") r.objective_curtailment = value;
      if (name == "voltage_floor") r.objective_voltage_floor = value;
      if (name == "line_overload") r.objective_line_overload = value;
      if (name == "losses") r.objective_losses = value;
      if (name == "voltage_deviation") r.objective_voltage_deviation = value;
      if (name == "load_variance") r.objective_load_variance = value;
      if (name == "peak_valley") r.objective_peak_valley = value;
    }
    r.loss_mwh = d.loss_mwh;
    r.vmin_pu = d.vmin_pu;
    r.vmax_pu = d.vmax_pu;
    r.vmin_bus = d.vmin_bus;
    r.vmax_bus = d.vmax_bus;
    r.max_line_loading = d.max_line_loading;
    r.curtailment_mwh = d.curtailment_mwh;
    r.max_relaxation_gap = d.max_relaxation_gap;
    const auto [lo, hi] = std::minmax_element(d.head_mw.begin(), d.head_mw.end());
    r.head_peak_mw = *hi;
    r.head_valley_mw = *lo;
    r.head_peak_valley_mw = *hi - *lo;
    double mean = 0, var = 0;
    for (double p : d.head_mw) mean += p / static_cast<double>(d.head_mw.size());
    for (double p : d.head_mw) var += (p - mean) * (p - mean) / static_cast<double>(d.head_mw.size());
    r.head_std_mw = std::sqrt(var);
    r.ac_max_dv_pu = d.ac_max_dv_pu;
    r.ac_violations = static_cast<int>(d.ac_violations.size());
    r.simultaneous_storage_periods = static_cast<int>(d.simultaneous_storage_periods.size());
    if (opt.keep_head_load) r.head_mw = d.head_mw;
    if (opt.keep_station_load) r.station_mw = d.ev_mw;
    if (opt.keep_bus_voltage) r.vm_pu = d.vm_pu;
    if (opt.keep_dispatch) r.dispatch = std::make_shared<const grid::DispatchResult>(d);
    if (r.simultaneous_storage_periods > 0 && d.status.ok() && d.ac_status.ok())
      r.status.message = std::to_string(r.simultaneous_storage_periods) +
                         " storage unit-period(s) charge and discharge at once (the relaxation allows it when "
                         "energy has a negative price)";
    if (!d.status.ok()) {  // a dispatch that cannot hold the voltage floor (soft limits)
      r.status = d.status;
      r.failed_stage = stage;
    } else if (!d.ac_status.ok()) {
      stage = "ac_check";
      r.status = d.ac_status;
      r.failed_stage = stage;
    }
  } catch (const InputError& e) {
    r.status = Status::failure(StatusCode::invalid_input, e.what());
    r.failed_stage = stage;
  } catch (const std::exception& e) {
    r.status = Status::failure(StatusCode::internal_error, e.what());
    r.failed_stage = stage;
  } catch (...) {
    r.status = Status::failure(StatusCode::internal_error, "unknown exception");
    r.failed_stage = stage;
  }
  r.total_s = total.seconds();
  return r;
}

ScenarioResult run_scenario(const PreparedStudy& ps, std::uint64_t id, const ScenarioParameters& parameters,
                            const ScenarioOptions& options) noexcept {
  Model model = nominal_model(ps.options);
  try {
    apply_values(model, std::vector<std::pair<std::string, double>>(parameters.begin(), parameters.end()));
  } catch (const std::exception& e) {
    ScenarioResult r;
    r.scenario_id = id;
    r.status = Status::failure(StatusCode::invalid_input, e.what());
    r.failed_stage = "setup";
    return r;
  }
  return run_model(ps, id, model, options);
}

}  // namespace evs::kinds::sue_dispatch
