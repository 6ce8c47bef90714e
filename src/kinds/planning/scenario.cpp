#include "kinds/planning/scenario.hpp"

#include <algorithm>
#include <chrono>

#include "core/error.hpp"
#include "core/timer.hpp"
#include "kinds/planning/fleet.hpp"
#include "kinds/planning/mopso.hpp"

namespace evs::kinds::planning {

const std::vector<std::string>& table_columns() {
  static const std::vector<std::string> c = {"superposition", "units",      "max_load_rate", "peak_valley_kw",
                                             "std_kw",        "simultaneity", "investment"};
  return c;
}

FleetProblem base_problem(const PreparedStudy& ps, const Options& o, const std::vector<AreaPlan>& plans) {
  FleetProblem p;
  p.net = &ps.grid;
  p.fleet = fleet_params(o);
  for (size_t a = 0; a < o.areas.size(); ++a) {
    const auto& ar = o.areas[a];
    std::vector<int> buses;
    for (double b : ar.buses) buses.push_back(static_cast<int>(b));
    p.area_buses.push_back(buses);
    p.feeder_scale.push_back(ar.feeder_scale);
    p.power_factor.push_back(ar.power_factor);
    p.fixed_kw.push_back(base_load_kw(ar, plans[a], o.planning.periods));
    p.cap_kw.push_back(plans[a].units_base * o.planning.unit_kva * ar.power_factor);
  }
  p.shortfall_penalty = o.fleet.shortfall_penalty;
  p.throughput_penalty = o.fleet.throughput_penalty;
  p.overload_penalty = o.planning.overload_penalty;
  p.loss_weight = o.pareto.loss_weight;
  p.voltage_shortfall_cost = o.pareto.voltage_shortfall_cost;
  p.u0_pu = o.planning.voltage_reference_pu;
  p.vmin_pu = o.grid.vmin_pu;
  p.vmax_pu = o.grid.vmax_pu;
  p.slack_vm_pu = o.grid.slack_vm_pu;
  p.grid_load_scale = o.grid.load_scale;
  p.boost = ps.boost;
  p.formulation = grid::formulation_from_string(o.pareto.formulation);
  return p;
}

ScenarioResult run_model(const PreparedStudy& ps, std::uint64_t id, const Model& model, double time_limit_s,
                         int attempt) noexcept {
  Stopwatch total;
  ScenarioResult r;
  r.scenario_id = id;
  const char* stage = "setup";
  try {
    const Options o = scenario_options(ps.options, model);
    const int A = static_cast<int>(o.areas.size()), T = o.planning.periods;
    const FleetParams fp = fleet_params(o);
    std::vector<AreaPlan> plans;
    std::vector<double> pile_kw;
    r.s_ev_kw = r.p_r_kw = r.s_r_kva = 0;
    for (const auto& a : o.areas) {
      plans.push_back(plan_area(a, o.fleet.charge_efficiency, o.planning.unit_kva));
      pile_kw.push_back(a.pile_kw);
      r.s_ev_kw += plans.back().s_ev_kw;
      r.p_r_kw += plans.back().p_r_kw;
      r.s_r_kva += plans.back().s_r_kva;
      r.units_planned += plans.back().units_planned;
    }
    const std::vector<Vehicle> fleet = draw_fleet(o, plans, ps.seed, id);
    r.vehicles = static_cast<int>(fleet.size());
    grid::NlpOptions nlp;
    nlp.robust = attempt > 1;
    if (time_limit_s > 0)
      nlp.deadline = std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                            std::chrono::duration<double>(time_limit_s));
    const FleetProblem base = base_problem(ps, o, plans);
    r.area_kw.assign(3, {});
    r.table.assign(3, {});
    auto fill_mode = [&](Mode mode, const std::vector<std::vector<double>>& area_kw) {
      r.area_kw[mode] = area_kw;
      r.units[mode] = 0;
      r.peak_valley_mw[mode] = r.std_mw[mode] = r.investment[mode] = 0;
      for (int a = 0; a < A; ++a) {
        std::vector<double> ev(T);  // [period] kW
        for (int t = 0; t < T; ++t) ev[t] = area_kw[a][t] - base.fixed_kw[a][t];
        const LoadIndices li = load_indices(ev, base.fixed_kw[a], o.areas[a], plans[a], o.planning.unit_kva,
                                            o.planning.unit_cost);
        r.table[mode].push_back({li.superposition, static_cast<double>(li.units), li.max_load_rate,
                                 li.peak_valley_kw, li.std_kw, li.simultaneity, li.investment});
        r.units[mode] += li.units;
        r.peak_valley_mw[mode] += li.peak_valley_kw / 1000;
        r.std_mw[mode] += li.std_kw / 1000;
        r.investment[mode] += li.investment;
        if (mode == kDisordered) {
          r.superposition_rate = std::max(std::isnan(r.superposition_rate) ? 0 : r.superposition_rate, li.superposition);
          r.max_load_rate = std::max(std::isnan(r.max_load_rate) ? 0 : r.max_load_rate, li.max_load_rate);
        }
        if (mode == kV2g)
          r.max_load_rate_v2g = std::max(std::isnan(r.max_load_rate_v2g) ? 0 : r.max_load_rate_v2g, li.max_load_rate);
      }
    };

    stage = "disordered";
    const Disordered dis = disordered_charging(fleet, pile_kw, A, fp);
    FleetProblem pd = base;
    pd.fixed_ev_kw = dis.p_kw;  // active power only, as the optimised EV load
    const FleetSolution sd = solve_fleet(pd, Subproblem{}, nlp);
    if (!sd.has_solution) {
      r.status = sd.status;
      r.failed_stage = stage;
      r.solve_s = total.seconds();
      return r;
    }
    r.vmin_disordered_pu = sd.vmin_pu;
    fill_mode(kDisordered, sd.area_kw);
    r.departure_soc_shortfall_disordered = 0;
    for (double s : dis.shortfall_kwh)
      r.departure_soc_shortfall_disordered = std::max(r.departure_soc_shortfall_disordered, s / fp.battery_kwh);

    stage = "v2g_front";
    std::vector<double> unreachable;
    FleetProblem pv = base;
    pv.cohorts = make_cohorts(fleet, pile_kw, o.fleet.cohort_bin_periods, fp, unreachable);
    r.cohorts = static_cast<int>(pv.cohorts.size());
    LinearVoltages lv;  // LinDistFlow: the network as affine voltages (FleetProblem::linear)
    if (pv.formulation == grid::Formulation::lin) {
      lv = linear_voltages(pv, nlp);
      pv.linear = &lv;
    }
    const ParetoFront front = pareto_front(pv, o.pareto.divisions, o.pareto.augmentation, nlp, sd.f);
    r.front_s = front.solve_s;
    r.pareto_subproblems = front.subproblems;
    r.pareto_failed = front.failed;
    r.pareto_points = static_cast<int>(front.f.size());
    if (front.chosen < 0) {
      r.status = Status::failure(StatusCode::numerical_error, "no point of the V2G Pareto front was solved (" +
                                                                 std::to_string(front.failed) + " subproblems failed; first: " + front.first_failure + ")");
      r.failed_stage = stage;
      r.solve_s = total.seconds();
      return r;
    }
    r.hypervolume = front.hypervolume;
    for (const auto& f : front.f) r.front.push_back({f[0], f[1], f[2]});
    // The chosen point split onto the vehicles; where a cohort's schedule leaves a member
    // short because one pile cannot take that member's need in the periods the cohort
    // charges (Cohort::pile_cut), the chosen subproblem is solved again with that condition
    // on those cohorts, and kept when it leaves the vehicles less short.
    FleetSolution chosen = front.sol[front.chosen];
    double unplaced = 0;
    std::vector<double> short_kwh = split_cohorts(fleet, pv.cohorts, chosen.charge_kw, chosen.discharge_kw, fp, unplaced);
    {
      FleetProblem cut = pv;
      int marked = 0;
      for (auto& c : cut.cohorts)
        for (int m : c.members)
          if (short_kwh[m] > 1e-6 && !c.pile_cut && c.n > 1) c.pile_cut = true, ++marked;
      if (marked > 0) {
        FleetSolution again = solve_fleet(cut, front.sub[front.chosen], nlp);
        if (again.has_solution) {
          double unplaced2 = 0;
          std::vector<double> short2 = split_cohorts(fleet, cut.cohorts, again.charge_kw, again.discharge_kw, fp, unplaced2);
          if (*std::max_element(short2.begin(), short2.end()) < *std::max_element(short_kwh.begin(), short_kwh.end())) {
            chosen = std::move(again);
            short_kwh = std::move(short2);
            unplaced = unplaced2;
            r.pile_cut_cohorts = marked;
          }
        }
      }
    }
    const FleetSolution& best = chosen;
    r.chosen_f = best.f;
    r.solver_status = best.solver_status;
    fill_mode(kV2g, best.area_kw);
    // The chosen schedule on the full DistFlow model with its AC check (the front's
    // subproblems may have carried the network as affine voltages).
    stage = "v2g_verify";
    FleetProblem pc = base;
    pc.fixed_ev_kw.assign(A, std::vector<double>(T));
    for (int a = 0; a < A; ++a)
      for (int t = 0; t < T; ++t) pc.fixed_ev_kw[a][t] = best.area_kw[a][t] - base.fixed_kw[a][t];
    const FleetSolution check = solve_fleet(pc, Subproblem{}, nlp);
    if (!check.has_solution) {
      r.status = check.status;
      r.failed_stage = stage;
      r.solve_s = total.seconds();
      return r;
    }
    r.vmin_pu = check.vmin_pu;
    r.chosen_f3_full = check.f[2];
    r.max_relaxation_gap = check.max_relaxation_gap;
    r.ac_max_dv_pu = check.ac_max_dv_pu;
    r.ac_violations = check.ac_violations;
    r.overload_mw = best.overload_mw;
    r.simultaneous_periods = best.simultaneous;
    r.unplaced_kw = unplaced;
    r.departure_soc_shortfall = 0;
    r.vehicle_shortfall.resize(fleet.size());
    for (size_t v = 0; v < fleet.size(); ++v) {
      const double sv = std::max(short_kwh[v], unreachable[v]) / fp.battery_kwh;
      r.departure_soc_shortfall = std::max(r.departure_soc_shortfall, sv);
      r.vehicle_shortfall[v] = {static_cast<double>(fleet[v].area), dis.shortfall_kwh[v] / fp.battery_kwh, sv};
    }

    if (o.pareto.mopso) {
      stage = "mopso";
      MopsoOptions mo;
      mo.particles = o.pareto.mopso_particles;
      mo.iterations = o.pareto.mopso_iterations;
      mo.seed = ps.seed;
      mo.scenario_id = id;
      const MopsoResult sw = mopso(pv, mo, nlp);
      r.mopso_s = sw.solve_s;
      r.mopso_points = static_cast<int>(sw.f.size());
      std::vector<Point> norm;  // the deterministic front's normalisation and reference point
      for (const auto& f : sw.f) norm.push_back(normalise(f, front.utopia, front.nadir));
      r.hypervolume_mopso = hypervolume(norm) / (1.1 * 1.1 * 1.1);
    }

    stage = "ordered";
    std::vector<Vehicle> no_v2g = fleet;
    for (auto& v : no_v2g) v.v2g = false;
    FleetProblem po = base;
    po.cohorts = make_cohorts(no_v2g, pile_kw, o.fleet.cohort_bin_periods, fp, unreachable);
    if (pv.linear != nullptr) po.linear = &lv;
    Subproblem so;
    for (int i = 0; i < 3; ++i) so.scale[i] = std::max(front.nadir[i] - front.utopia[i], 1e-12);
    so.weight = {1, o.pareto.augmentation, o.pareto.augmentation};
    const FleetSolution sol_o = solve_fleet(po, so, nlp);
    if (!sol_o.has_solution || !sol_o.status.ok()) {
      r.status = sol_o.status;
      r.failed_stage = stage;
      r.solve_s = total.seconds();
      return r;
    }
    fill_mode(kOrdered, sol_o.area_kw);
    if (!best.status.ok()) r.status = best.status;
    if (r.status.ok() && !check.status.ok()) r.status = check.status;
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
  r.solve_s = total.seconds();
  return r;
}

}  // namespace evs::kinds::planning
