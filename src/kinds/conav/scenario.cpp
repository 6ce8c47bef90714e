#include "kinds/conav/scenario.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <memory>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/timer.hpp"
#include "grid/dispatch.hpp"
#include "grid/model/dispatch_model.hpp"

namespace evs::kinds::conav {

namespace {

// The vehicles, stations and energies in the dispatch model (MODELS.md section 4).
// Returned ids, in order: n [type][t][cell], y [type][t][edge], p_charge [station][t],
// p_v2g [station][t], shortfall (kWh beyond the error factor).
class ConavExtension : public grid::ModelExtension {
 public:
  const CtmProblem* ctm = nullptr;
  std::vector<int> buses;  // [station] external bus
  double charging_max_kw = 0, v2g_max_kw = 0;
  double need_kwh = 0, error_share = 0, v2g_kwh = 0, shortfall_cost = 0;

  std::vector<int> add_to(grid::DispatchModel& m) const override {
    auto& q = m.qcqp();
    const CtmIds ids = add_ctm(q, *ctm);
    const CellNetwork& net = *ctm->net;
    const int T = ctm->steps, S = static_cast<int>(net.station_cells.size());
    const double kwh_per_pu_step = m.base_mva() * 1000.0 * m.dt_h();
    std::vector<int> out;
    for (const auto& type : ids.n)
      for (const auto& row : type) out.insert(out.end(), row.begin(), row.end());
    for (const auto& type : ids.y)
      for (const auto& row : type) out.insert(out.end(), row.begin(), row.end());
    grid::Expression charged, given;  // kWh
    std::vector<int> pd_ids;
    for (int s = 0; s < S; ++s) {
      const int cell = net.station_cells[s], b = m.bus_index(buses[s], "station");
      for (int t = 0; t < T; ++t) {
        const int pc = q.add_variable(0, grid::QcqpModel::inf, 0, m.indexed_name("P_charge", t, s));
        const int pd = q.add_variable(0, grid::QcqpModel::inf, 0, m.indexed_name("P_v2g", t, s));
        grid::Expression lim_c, lim_d;  // p <= Pmax x vehicles present (pu)
        lim_c.add(pc, 1).add(ids.n[0][t][cell], -charging_max_kw / 1000.0 / m.base_mva());
        lim_d.add(pd, 1).add(ids.n[1][t][cell], -v2g_max_kw / 1000.0 / m.base_mva());
        q.add_constraint(lim_c, -grid::QcqpModel::inf, 0, m.indexed_name("station_charge_limit", t, s));
        q.add_constraint(lim_d, -grid::QcqpModel::inf, 0, m.indexed_name("station_v2g_limit", t, s));
        m.add_to_balance_p(t, b, pc, -1);
        m.add_to_balance_p(t, b, pd, 1);
        charged.add(pc, kwh_per_pu_step);
        given.add(pd, kwh_per_pu_step);
        out.push_back(pc);
        pd_ids.push_back(pd);
      }
    }
    out.insert(out.end(), pd_ids.begin(), pd_ids.end());
    const int shortfall = q.add_variable(0, grid::QcqpModel::inf, 0, "charging_shortfall_kwh");
    grid::Expression complete = charged;
    complete.add(shortfall, 1);
    q.add_constraint(complete, need_kwh * (1 - error_share), grid::QcqpModel::inf, "charging_completion");
    q.add_constraint(charged, -grid::QcqpModel::inf, need_kwh, "charging_need");
    q.add_constraint(given, -grid::QcqpModel::inf, v2g_kwh, "v2g_margin");
    m.objective().add(shortfall, shortfall_cost);
    out.push_back(shortfall);
    return out;
  }
};

}  // namespace

std::vector<int> draw_initial_cells(const CellNetwork& net, int count, std::uint64_t seed, std::uint64_t draw_key) {
  std::vector<int> pool = net.road_cells();
  if (count > static_cast<int>(pool.size()))
    throw InputError({"", 0, "vehicles"}, std::to_string(count) + " dispatched vehicles do not fit on the " +
                                              std::to_string(pool.size()) + " road cells (one per cell)");
  RandomStream rng(seed, draw_key, kStreamInitialCells);
  for (int i = 0; i < count; ++i) {  // partial Fisher-Yates
    const int j = i + std::min(static_cast<int>(rng.uniform() * (pool.size() - i)), static_cast<int>(pool.size()) - i - 1);
    std::swap(pool[i], pool[j]);
  }
  pool.resize(count);
  return pool;
}

ScenarioResult run_model(const PreparedStudy& ps, std::uint64_t draw_key, const Model& model,
                         const ScenarioOptions& opt) noexcept {
  Stopwatch total;
  ScenarioResult r;
  r.scenario_id = draw_key;
  r.failed_stage = "setup";
  try {
    const Options& o = ps.options;
    const CellNetwork& net = ps.cells;
    const int T = o.cells.steps, A = net.num_cells(), S = static_cast<int>(o.stations.size());
    r.cells = A;
    r.cell_links = net.num_edges();
    const int nc = static_cast<int>(std::lround(model.charging_count)), nv = static_cast<int>(std::lround(model.v2g_count));
    if (o.vehicles.initial_links.empty()) {
      r.initial_cells = draw_initial_cells(net, nc + nv, ps.seed, draw_key);
    } else {  // given in the study: each vehicle in its link's first cell
      if (nc + nv > static_cast<int>(o.vehicles.initial_links.size()))
        throw InputError({"", 0, "vehicles.initial_links"},
                         std::to_string(o.vehicles.initial_links.size()) + " start links for " +
                             std::to_string(nc + nv) + " dispatched vehicles in this scenario");
      for (int i = 0; i < nc + nv; ++i)
        r.initial_cells.push_back(net.link_cells.at(static_cast<int>(o.vehicles.initial_links[i]) - 1).front());
    }
    CtmProblem ctm;
    ctm.net = &net;
    ctm.steps = T;
    ctm.initial.assign(2, std::vector<double>(A, 0.0));
    for (int i = 0; i < nc + nv; ++i) ctm.initial[i < nc ? 0 : 1][r.initial_cells[i]] += 1;
    ctm.background = ps.background_unit;
    for (double& b : ctm.background) b *= model.background_scale;
    ctm.road_time_cost = {model.weight_traffic * o.cells.tau_min, o.objective.v2g_road_cost * o.cells.tau_min};
    ctm.hold_cost = o.objective.hold_cost;
    auto ext = std::make_shared<ConavExtension>();
    ext->ctm = &ctm;
    for (int s = 0; s < S; ++s) ext->buses.push_back(station_bus(o, model, s));
    ext->charging_max_kw = model.charging_max_kw;
    ext->v2g_max_kw = model.v2g_max_kw;
    ext->need_kwh = nc * model.charging_need_kwh;
    ext->error_share = o.vehicles.completion_error;
    ext->v2g_kwh = nv * model.v2g_energy_kwh;
    ext->shortfall_cost = o.vehicles.shortfall_cost;

    grid::DispatchProblem pb;
    pb.net = &ps.grid;
    pb.periods = T;
    pb.dt_h = o.cells.tau_min / 60.0;
    pb.load_scale.assign(T, o.grid.load_scale * model.load_scale);
    pb.tariff.assign(T, 0.0);
    pb.slack_vm_pu = o.grid.slack_vm_pu;
    pb.vmin_pu = o.grid.vmin_pu;
    pb.vmax_pu = o.grid.vmax_pu;
    pb.voltage_shortfall_cost = o.feeder.voltage_shortfall_cost;
    pb.formulation = grid::formulation_from_string(o.feeder.formulation);
    pb.rating_polygon_sides = o.feeder.rating_polygon_sides;
    pb.solver = grid::dispatch_solver_from_string(o.feeder.solver);
    pb.lp_keep_basis = opt.lp_keep_basis;
    pb.ac_check = o.feeder.ac_check;
    pb.weights = {1, 0, model.weight_voltage, 0, 0};
    for (const auto& g : o.resources.gas_turbines)
      pb.turbines.push_back({g.bus, g.pmax_mw, g.qmin_mvar, g.qmax_mvar, g.ramp_mw_per_h, g.cost_a, g.cost_b});
    pb.extensions.push_back(ext);
    r.build_s = total.seconds();

    r.failed_stage = "solve";
    if (pb.solver == grid::DispatchSolver::clp && opt.lp_from_nominal && opt.attempt == 1) {
      std::call_once(ps.nominal_basis->once, [&] {
        ScenarioOptions cold;
        cold.lp_from_nominal = false;
        cold.lp_keep_basis = true;
        cold.time_limit_s = opt.time_limit_s;
        ps.nominal_basis->basis = run_model(ps, 0, nominal_model(o), cold).lp_basis;
      });
      pb.lp_start = &ps.nominal_basis->basis;
    }
    grid::NlpOptions nlp;
    if (opt.time_limit_s > 0)
      nlp.deadline = std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                            std::chrono::duration<double>(opt.time_limit_s));
    nlp.robust = opt.attempt > 1;
    nlp.linear_solver = o.feeder.linear_solver == "mumps" ? grid::LinearSolver::mumps : grid::LinearSolver::ldl;
    Stopwatch clock;
    grid::DispatchResult d = grid::solve_dispatch(pb, nlp);
    r.solve_s = clock.seconds();
    r.first_feasible_s = d.first_feasible_seconds;
    r.solver_status = d.solver_status;
    r.iterations = d.iterations;
    r.lp_basis = std::move(d.lp_basis);
    if (!d.has_solution) {
      r.status = d.status;
      r.total_s = total.seconds();
      return r;
    }
    // Read the extension's values back in the order add_to returned them.
    const std::vector<double>& x = d.extension_values.at(0);
    std::size_t k = 0;
    CtmValues v;
    v.n.assign(2, std::vector<std::vector<double>>(T + 1, std::vector<double>(A)));
    v.y.assign(2, std::vector<std::vector<double>>(T, std::vector<double>(net.num_edges())));
    for (auto& type : v.n)
      for (auto& row : type)
        for (double& val : row) val = x[k++];
    for (auto& type : v.y)
      for (auto& row : type)
        for (double& val : row) val = x[k++];
    const double kw_per_pu = ps.grid.base_mva * 1000.0;
    std::vector<std::vector<double>> pc(S, std::vector<double>(T)), pd(S, std::vector<double>(T));  // [station][t] kW
    for (auto& row : pc)
      for (double& val : row) val = x[k++] * kw_per_pu;
    for (auto& row : pd)
      for (double& val : row) val = x[k++] * kw_per_pu;
    const double shortfall_kwh = x[k++];

    r.vehicle_holding_share = holding_share(ctm, v);
    r.conservation_error = conservation_error(ctm, v);
    r.charging_energy_kwh = r.v2g_energy_kwh = r.navigation_time_min = 0;
    r.station_peak_kw = 0;
    r.station_kw.assign(S, std::vector<double>(T));
    r.v2g_kwh_by_station.assign(S, 0.0);
    r.station_v2g_kw.assign(S, std::vector<double>(T));
    r.station_vehicles.assign(S, std::vector<double>(T));
    for (int s = 0; s < S; ++s)
      for (int t = 0; t < T; ++t) {
        r.charging_energy_kwh += pc[s][t] * pb.dt_h;
        r.v2g_energy_kwh += pd[s][t] * pb.dt_h;
        r.v2g_kwh_by_station[s] += pd[s][t] * pb.dt_h;
        r.station_v2g_kw[s][t] = pd[s][t];
        r.station_kw[s][t] = pc[s][t] - pd[s][t];
        r.station_peak_kw = std::max(r.station_peak_kw, std::abs(r.station_kw[s][t]));
        r.station_vehicles[s][t] = v.n[0][t][net.station_cells[s]] + v.n[1][t][net.station_cells[s]];
      }
    r.charging_energy_shortfall_kwh = std::max(0.0, ext->need_kwh - r.charging_energy_kwh);
    r.arrival_step_last = 0;
    for (int t = 0; t < T; ++t) {
      for (int a : net.road_cells()) r.navigation_time_min += v.n[0][t][a] * o.cells.tau_min;
      for (int c : net.station_cells)
        for (int e : net.in_edges[c])
          if (v.y[0][t][e] > 1e-6) r.arrival_step_last = t + 1;
    }
    r.vmin_pu = d.vmin_pu;
    r.vmax_pu = d.vmax_pu;
    r.voltage_deviation_sum = 0;
    for (const auto& row : d.vm_pu)
      for (double vm : row) r.voltage_deviation_sum += std::abs(vm - 1.0);
    r.max_line_loading = d.max_line_loading;
    r.max_relaxation_gap = d.max_relaxation_gap;
    r.ac_max_dv_pu = d.ac_max_dv_pu;
    r.ac_violations = static_cast<int>(d.ac_violations.size());
    r.objective = d.objective;
    if (opt.keep_series) r.vm_pu = d.vm_pu;
    else r.station_kw.clear(), r.station_vehicles.clear();
    r.failed_stage.clear();
    if (!d.status.ok()) {
      r.status = d.status;
      r.failed_stage = "solve";
    } else if (shortfall_kwh > 1e-3) {
      r.status = Status::failure(StatusCode::infeasible,
                                 "charging EVs cannot receive their energy within the horizon: " +
                                     std::to_string(r.charging_energy_shortfall_kwh) + " kWh short (penalised shortfall)");
      r.failed_stage = "solve";
    } else if (!d.ac_status.ok()) {
      r.status = d.ac_status;
      r.failed_stage = "ac_check";
    }
  } catch (const InputError& e) {
    r.status = Status::failure(StatusCode::invalid_input, e.what());
  } catch (const std::exception& e) {
    r.status = Status::failure(StatusCode::internal_error, e.what());
  } catch (...) {
    r.status = Status::failure(StatusCode::internal_error, "unknown exception");
  }
  if (r.status.ok()) r.failed_stage.clear();
  r.total_s = total.seconds();
  return r;
}

}  // namespace evs::kinds::conav
