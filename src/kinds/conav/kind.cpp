#include "kinds/conav/kind.hpp"

#include <algorithm>
#include <cstdio>

#include "config/study_definition.hpp"
#include "kinds/conav/metrics.hpp"
#include "kinds/conav/model.hpp"
#include "kinds/conav/options.hpp"
#include "kinds/conav/prepared.hpp"
#include "kinds/conav/scenario.hpp"
#include "kinds/registry.hpp"

namespace evs::kinds::conav {

namespace {

template <class Row>
std::vector<double> flatten(const std::vector<Row>& rows) {
  std::vector<double> out;
  for (const auto& row : rows) out.insert(out.end(), row.begin(), row.end());
  return out;
}

using Base = DeclaredKind<Options, PreparedStudy, ScenarioResult>;

class ConavKind final : public Base {
 public:
  ConavKind()
      : Base({"conav",
              "paper 000: cell-transmission co-navigation of charging and V2G EVs optimised jointly with the "
              "feeder (DistFlow SOC, voltage term) -> AC check",
              stage_names, options_schema, parameter_infos, check_options, conav::prepare, scenario_metrics,
              scenario_timings, scenario_series}) {}

  std::string describe_study(const config::Study&, const PreparedData& data) const override {
    const auto& p = static_cast<const PreparedStudy&>(data);
    char buf[512];
    std::snprintf(buf, sizeof buf,
                  "cell network of %d cells (%zu road, %zu station, %zu terminal) and %d links between cells from "
                  "%d road links; %d steps of %g min; feeder of %d buses; %d charging + %d V2G EVs",
                  p.cells.num_cells(), p.cells.road_cells().size(), p.cells.station_cells.size(),
                  p.cells.terminal_cells.size(), p.cells.num_edges(), p.road.num_links, p.options.cells.steps,
                  p.options.cells.tau_min, p.grid.num_buses(), p.options.vehicles.charging_count,
                  p.options.vehicles.v2g_count);
    std::string text = buf;
    if (!p.warning.empty()) text += "\nwarning: " + p.warning;
    return text;
  }


  std::vector<Dimension> dimensions(const config::Study&, const PreparedData& data) const override {
    const auto& p = static_cast<const PreparedStudy&>(data);
    Dimension step{"period", static_cast<std::size_t>(p.options.cells.steps), "", {}, {}};
    Dimension station{"station", p.options.stations.size(), "station_names", {}, {}};
    for (const auto& s : p.options.stations) station.text_labels.push_back(s.name);
    Dimension bus{"bus", static_cast<std::size_t>(p.grid.num_buses()), "bus_ids", {}, {}};
    bus.int_labels.assign(p.grid.bus_id.begin(), p.grid.bus_id.end());
    return {step, station, bus};
  }

  Outcome solve(const config::Study&, const PreparedData& data, const Scenario& scenario,
                const RunOptions& options) const noexcept override {
    const auto& p = static_cast<const PreparedStudy&>(data);
    ScenarioResult r;
    try {
      Model model = nominal_model(p.options);
      apply_values(model, scenario.values);
      ScenarioOptions o;
      o.keep_series = !options.keep_series.empty();
      o.attempt = options.attempt;
      o.time_limit_s = options.time_limit_s;
      r = run_model(p, scenario.draw_key, model, o);
    } catch (const std::exception& e) {
      r.status = Status::failure(StatusCode::invalid_input, e.what());
      r.failed_stage = "setup";
    }
    r.scenario_id = scenario.id;
    Outcome out;
    try {
      out.scenario_id = scenario.id;
      out.status = r.status;
      out.failed_stage = r.failed_stage;
      out.solver_status = r.solver_status;
      out.metrics = metric_values(scenario_metrics(), r);
      out.timings = metric_values(scenario_timings(), r);
      auto want = [&](const char* n) {
        return std::find(options.keep_series.begin(), options.keep_series.end(), n) != options.keep_series.end();
      };
      out.series = {want("station_vehicles") ? flatten(r.station_vehicles) : std::vector<double>{},
                    want("station_power") ? flatten(r.station_kw) : std::vector<double>{},
                    want("bus_voltage") ? flatten(r.vm_pu) : std::vector<double>{}};
      out.extras = {{"iterations", static_cast<long long>(r.iterations)}, {"solve_s", r.solve_s}};
    } catch (const std::exception& e) {
      out.status = Status::failure(StatusCode::internal_error, e.what());
    }
    return out;
  }

  std::string describe_outcome(const Outcome& o) const override {
    auto v = [&](const char* n) { return metric_value(*this, o, n); };
    char buf[1024];
    std::string text;
    std::snprintf(buf, sizeof buf, "cells      %d cells, %d links between cells; holding share %.2e, conservation %.1e\n",
                  static_cast<int>(v("cells")), static_cast<int>(v("cell_links")), v("vehicle_holding_share"),
                  v("conservation_error"));
    text += buf;
    std::snprintf(buf, sizeof buf, "solve      %s after %d iterations, %.3f s; objective %.4f\n",
                  o.solver_status.c_str(), static_cast<int>(v("iterations")), v("solve_s"), v("objective"));
    text += buf;
    std::snprintf(buf, sizeof buf,
                  "vehicles   charged %.2f kWh (short %.3f), V2G gave %.2f kWh; navigation %.1f veh min, last arrival "
                  "at step %d\n",
                  v("charging_energy_kwh"), v("charging_energy_shortfall_kwh"), v("v2g_energy_kwh"),
                  v("navigation_time_min"), static_cast<int>(v("arrival_step_last")));
    text += buf;
    std::snprintf(buf, sizeof buf, "feeder     V in [%.4f, %.4f] pu, sum |V-1| %.4f, station peak %.1f kW, line loading %.3f\n",
                  v("vmin_pu"), v("vmax_pu"), v("voltage_deviation_sum"), v("station_peak_kw"), v("max_line_loading"));
    text += buf;
    std::snprintf(buf, sizeof buf, "checks     relaxation gap %.2e, AC |dV| %.2e pu, %d AC violations\n",
                  v("max_relaxation_gap"), v("ac_max_dv_pu"), static_cast<int>(v("ac_violations")));
    text += buf;
    return text;
  }
};

}  // namespace

const StudyKind& kind() {
  static const ConavKind k;
  return k;
}

}  // namespace evs::kinds::conav
