#include "kinds/planning/kind.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "config/study_definition.hpp"
#include "kinds/planning/metrics.hpp"
#include "kinds/planning/model.hpp"
#include "kinds/planning/options.hpp"
#include "kinds/planning/prepared.hpp"
#include "kinds/planning/scenario.hpp"
#include "kinds/registry.hpp"

namespace evs::kinds::planning {

namespace {

// Most points a front can have: 3 payoff optima + G rows of G + 2 (pareto.hpp); the solves
// are one more (the first f1 solve that sets the payoff scales).
int front_rows(const Options& o) { return 3 + o.pareto.divisions * (o.pareto.divisions + 2); }

// Most vehicles a scenario can draw: every car (penetration <= 1, the only sweep parameter
// that changes a count) and every pile's vehicles.
std::size_t max_vehicles(const Options& o) {
  double n = 0;
  for (const auto& a : o.areas) n += a.type == "residential" ? std::round(a.cars) : std::round(a.piles * a.vehicles_per_pile);
  return static_cast<std::size_t>(std::max(n, 0.0));
}
const std::vector<std::string>& shortfall_columns() {
  static const std::vector<std::string> c = {"area", "disordered", "v2g"};
  return c;
}

using Base = DeclaredKind<Options, PreparedStudy, ScenarioResult>;

class PlanningKind final : public Base {
 public:
  PlanningKind()
      : Base({"planning",
              "paper 002: planning indices and transformer units per area; disordered vs ordered vs V2G charging "
              "on a DistFlow feeder; epsilon-constraint Pareto front (load variance, peak-valley, voltage deviation)",
              stage_names, options_schema, parameter_infos, check_options, planning::prepare, scenario_metrics,
              scenario_timings, scenario_series}) {}
  std::string describe_study(const config::Study&, const PreparedData& data) const override {
    const auto& p = static_cast<const PreparedStudy&>(data);
    char buf[256];
    std::snprintf(buf, sizeof buf, "%zu areas, %d periods, feeder of %d buses, front of up to %d subproblems",
                  p.options.areas.size(), p.options.planning.periods, p.grid.num_buses(), front_rows(p.options) + 1);
    return buf;
  }

  std::vector<Dimension> dimensions(const config::Study&, const PreparedData& data) const override {
    const auto& o = static_cast<const PreparedStudy&>(data).options;
    Dimension point{"front_point", static_cast<std::size_t>(front_rows(o)), "", {}, {}};
    Dimension objective{"objective", 3, "objective_names", {"f1_load_variance", "f2_peak_valley", "f3_voltage_deviation"}, {}};
    Dimension mode{"mode", 3, "mode_names", mode_names(), {}};
    Dimension area{"area", o.areas.size(), "area_names", {}, {}};
    for (const auto& a : o.areas) area.text_labels.push_back(a.name);
    Dimension period{"period", static_cast<std::size_t>(o.planning.periods), "", {}, {}};
    Dimension column{"column", table_columns().size(), "column_names", table_columns(), {}};
    Dimension vehicle{"vehicle", max_vehicles(o), "", {}, {}};
    Dimension shortfall_column{"shortfall_column", shortfall_columns().size(), "shortfall_column_names",
                               shortfall_columns(), {}};
    return {point, objective, mode, area, period, column, vehicle, shortfall_column};
  }

  Outcome solve(const config::Study&, const PreparedData& data, const Scenario& scenario,
                const RunOptions& options) const noexcept override {
    const auto& p = static_cast<const PreparedStudy&>(data);
    ScenarioResult r;
    try {
      Model model = nominal_model(p.options);
      apply_values(model, scenario.values);
      // The fleet is drawn from the design point's key (common random numbers).
      r = run_model(p, scenario.draw_key, model, options.time_limit_s, options.attempt);
    } catch (const std::exception& e) {
      r.scenario_id = scenario.id;
      r.status = Status::failure(StatusCode::invalid_input, e.what());
      r.failed_stage = "setup";
    }
    Outcome out;
    try {
      out.scenario_id = scenario.id;
      out.status = r.status;
      out.failed_stage = r.failed_stage;
      out.solver_status = r.solver_status;
      out.metrics = metric_values(scenario_metrics(), r);
      out.timings = metric_values(scenario_timings(), r);
      out.series.resize(4);
      if (wants_series(options, "pareto_front")) {
        std::vector<double> f(static_cast<std::size_t>(front_rows(p.options)) * 3, NAN);
        for (std::size_t k = 0; k < r.front.size() && 3 * k + 2 < f.size(); ++k)
          for (int i = 0; i < 3; ++i) f[3 * k + i] = r.front[k][i];
        out.series[0] = f;
      }
      const std::size_t A = p.options.areas.size(), T = static_cast<std::size_t>(p.options.planning.periods);
      const std::size_t C = table_columns().size();
      if (wants_series(options, "area_load")) {
        out.series[1].assign(3 * A * T, NAN);
        for (std::size_t m = 0; m < r.area_kw.size(); ++m)
          for (std::size_t a = 0; a < r.area_kw[m].size(); ++a)
            for (std::size_t t = 0; t < T; ++t) out.series[1][(m * A + a) * T + t] = r.area_kw[m][a][t];
      }
      if (wants_series(options, "area_table")) {
        out.series[2].assign(3 * A * C, NAN);
        for (std::size_t m = 0; m < r.table.size(); ++m)
          for (std::size_t a = 0; a < r.table[m].size(); ++a)
            for (std::size_t c = 0; c < C; ++c) out.series[2][(m * A + a) * C + c] = r.table[m][a][c];
      }
      if (wants_series(options, "vehicle_shortfall")) {
        out.series[3].assign(3 * max_vehicles(p.options), NAN);
        for (std::size_t v = 0; v < r.vehicle_shortfall.size() && 3 * v + 2 < out.series[3].size(); ++v)
          for (int c = 0; c < 3; ++c) out.series[3][3 * v + c] = r.vehicle_shortfall[v][c];
      }
      out.extras = {{"solve_s", r.solve_s}};
    } catch (const std::exception& e) {
      out.status = Status::failure(StatusCode::internal_error, e.what());
    }
    return out;
  }

  std::string describe_outcome(const Outcome& o) const override {
    auto v = [&](const char* n) { return metric_value(*this, o, n); };
    char buf[2048];
    std::snprintf(buf, sizeof buf,
                  "fleet      %d vehicles in %d cohorts; S_ev %.0f kW, P_R %.0f kW, S_R %.0f kVA\n"
                  "front      %d non-dominated points (%d failed), hypervolume %.4f, %.2f s\n"
                  "                   disordered    ordered        v2g\n"
                  "units      %12d %10d %10d\n"
                  "peak-valley%12.3f %10.3f %10.3f MW\n"
                  "load std   %12.3f %10.3f %10.3f MW\n"
                  "v2g        peak-valley change %+.1f %%, shortfall %.4f SOC, vmin %.4f pu, AC |dV| %.1e pu\n",
                  static_cast<int>(v("vehicles")), static_cast<int>(v("cohorts")), v("s_ev_kw"), v("p_r_kw"),
                  v("s_r_kva"), static_cast<int>(v("pareto_points")), static_cast<int>(v("pareto_failed")),
                  v("hypervolume"), v("front_s"), static_cast<int>(v("transformer_units_disordered")),
                  static_cast<int>(v("transformer_units_ordered")), static_cast<int>(v("transformer_units_v2g")),
                  v("peak_valley_disordered_mw"), v("peak_valley_ordered_mw"), v("peak_valley_v2g_mw"),
                  v("load_std_disordered_mw"), v("load_std_ordered_mw"), v("load_std_v2g_mw"),
                  100 * (v("peak_valley_v2g_mw") / v("peak_valley_disordered_mw") - 1), v("departure_soc_shortfall"),
                  v("vmin_pu"), v("ac_max_dv_pu"));
    return buf;
  }
};

}  // namespace

const StudyKind& kind() {
  static const PlanningKind k;
  return k;
}

}  // namespace evs::kinds::planning
