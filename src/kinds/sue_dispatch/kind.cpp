#include "kinds/sue_dispatch/kind.hpp"

#include <algorithm>
#include <cstdio>

#include "config/study_definition.hpp"
#include "kinds/registry.hpp"
#include "kinds/sue_dispatch/metrics.hpp"
#include "kinds/sue_dispatch/model.hpp"
#include "kinds/sue_dispatch/options.hpp"
#include "kinds/sue_dispatch/prepared.hpp"
#include "kinds/sue_dispatch/scenario.hpp"

namespace evs::kinds::sue_dispatch {

namespace {

template <class Row>
std::vector<double> flatten(const std::vector<Row>& rows) {
  std::vector<double> out;
  for (const auto& row : rows) out.insert(out.end(), row.begin(), row.end());
  return out;
}

using Table = std::vector<std::vector<double>>;  // [unit][period]

// [unit][quantity][period] from one [unit][period] table per quantity.
std::vector<double> interleave(const std::vector<const Table*>& quantities) {
  std::vector<double> out;
  const std::size_t units = quantities.front()->size();
  for (std::size_t u = 0; u < units; ++u)
    for (const Table* q : quantities) out.insert(out.end(), (*q)[u].begin(), (*q)[u].end());
  return out;
}

// The dispatch's schedules as the series declared in metrics.cpp (scenario_series order 3..).
std::vector<std::vector<double>> schedule_series(const grid::DispatchResult& d, const Options& o) {
  Table energy;  // [storage][period] MWh
  for (std::size_t s = 0; s < d.storage_soc.size(); ++s) {
    energy.emplace_back();
    for (double soc : d.storage_soc[s]) energy.back().push_back(soc * o.resources.storage[s].energy_mwh);
  }
  Table used = d.pv_mw, cut = d.pv_curtailed_mw, q = d.pv_mvar;
  used.insert(used.end(), d.wind_mw.begin(), d.wind_mw.end());
  cut.insert(cut.end(), d.wind_curtailed_mw.begin(), d.wind_curtailed_mw.end());
  q.insert(q.end(), d.wind_mvar.begin(), d.wind_mvar.end());
  std::vector<double> branch;  // [period][branch][p, q, loading]
  for (std::size_t t = 0; t < d.branch_p_mw.size(); ++t)
    for (std::size_t k = 0; k < d.branch_p_mw[t].size(); ++k)
      branch.insert(branch.end(),
                    {d.branch_p_mw[t][k], d.branch_q_mvar[t][k], d.branch_loading[t][k], d.branch_loss_mw[t][k]});
  std::vector<double> load;  // [period][bus][p, q]
  for (std::size_t t = 0; t < d.bus_load_mw.size(); ++t)
    for (std::size_t i = 0; i < d.bus_load_mw[t].size(); ++i)
      load.insert(load.end(), {d.bus_load_mw[t][i], d.bus_load_mvar[t][i]});
  std::vector<double> substation = d.head_mw;
  substation.insert(substation.end(), d.head_mvar.begin(), d.head_mvar.end());
  return {interleave({&d.storage_charge_mw, &d.storage_discharge_mw, &energy}),
          interleave({&d.turbine_mw, &d.turbine_mvar}),
          interleave({&d.dr_out_mw, &d.dr_in_mw}),
          interleave({&used, &cut, &q}),
          substation,
          flatten(d.lmp),
          branch,
          load};
}

bool wants_schedules(const RunOptions& o) {
  for (const auto& s : scenario_series())
    if (s.dims.size() > 0 && wants_series(o, s.name.c_str()) && s.name != "head_load" && s.name != "station_load" &&
        s.name != "bus_voltage")
      return true;
  return false;
}

Dimension labelled(const std::string& name, const std::vector<std::string>& labels) {
  return {name, labels.size(), name + "_labels", labels, {}};
}

template <class Unit>
std::vector<std::string> at_buses(const std::string& what, const std::vector<Unit>& units) {
  std::vector<std::string> out;
  for (const auto& u : units) out.push_back(what + " at bus " + std::to_string(u.bus));
  return out;
}

using Base = DeclaredKind<Options, PreparedStudy, ScenarioResult>;

class SueDispatchKind final : public Base {
 public:
  SueDispatchKind()
      : Base({"sue_dispatch",
              "paper 001: logit SUE traffic day -> station charging loads -> multi-period DistFlow dispatch "
              "(storage, DR, PV, wind, gas turbine) -> AC check",
              stage_names, options_schema, parameter_infos, check_options, sue_dispatch::prepare, scenario_metrics,
              scenario_timings, scenario_series}) {}

  std::string describe_study(const config::Study&, const PreparedData& data) const override {
    const auto& p = static_cast<const PreparedStudy&>(data);
    char buf[256];
    std::snprintf(buf, sizeof buf, "%zu stations, %d periods, feeder of %d buses, road network of %d nodes",
                  p.options.stations.size(), p.options.profiles.periods, p.grid.num_buses(), p.road.num_nodes);
    std::string out = buf;
    if (!p.ratings_summary.empty()) out += "; " + p.ratings_summary;
    if (!p.od_estimate_summary.empty()) out += "; " + p.od_estimate_summary;
    return out;
  }


  std::vector<Dimension> dimensions(const config::Study&, const PreparedData& data) const override {
    const auto& p = static_cast<const PreparedStudy&>(data);
    Dimension period{"period", static_cast<std::size_t>(p.options.profiles.periods), "", {}, {}};
    Dimension station{"station", p.options.stations.size(), "station_names", {}, {}};
    for (const auto& s : p.options.stations) station.text_labels.push_back(s.name);
    Dimension bus{"bus", static_cast<std::size_t>(p.grid.num_buses()), "bus_ids", {}, {}};
    bus.int_labels.assign(p.grid.bus_id.begin(), p.grid.bus_id.end());
    const auto& r = p.options.resources;
    std::vector<std::string> renewables = at_buses("pv", r.pv), wind = at_buses("wind", r.wind);
    renewables.insert(renewables.end(), wind.begin(), wind.end());
    std::vector<std::string> branches;
    for (const auto& br : p.grid.branches)
      branches.push_back(std::to_string(p.grid.bus_id[br.from]) + "-" + std::to_string(p.grid.bus_id[br.to]));
    return {period,
            station,
            bus,
            labelled("storage", at_buses("storage", r.storage)),
            labelled("turbine", at_buses("gas turbine", r.gas_turbines)),
            labelled("dr_unit", at_buses("demand response", r.demand_response)),
            labelled("renewable", renewables),
            labelled("branch", branches),
            labelled("storage_quantity", {"charge_mw", "discharge_mw", "energy_mwh"}),
            labelled("power", {"p_mw", "q_mvar"}),
            labelled("dr_quantity", {"out_mw", "in_mw"}),
            labelled("renewable_quantity", {"used_mw", "curtailed_mw", "q_mvar"}),
            labelled("branch_quantity", {"p_mw", "q_mvar", "loading", "loss_mw"})};
  }

  Outcome solve(const config::Study&, const PreparedData& data, const Scenario& scenario,
                const RunOptions& options) const noexcept override {
    const auto& p = static_cast<const PreparedStudy&>(data);
    ScenarioResult r;
    try {
      Model model = nominal_model(p.options);
      apply_values(model, scenario.values);
      ScenarioOptions o;
      o.keep_head_load = wants_series(options, "head_load");
      o.keep_station_load = wants_series(options, "station_load");
      o.keep_bus_voltage = wants_series(options, "bus_voltage");
      o.keep_dispatch = wants_schedules(options);
      o.attempt = options.attempt;
      o.time_limit_s = options.time_limit_s;
      r = run_model(p, scenario.draw_key, model, o);
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
      out.series = {r.head_mw, flatten(r.station_mw), flatten(r.vm_pu)};
      std::vector<std::vector<double>> schedules(scenario_series().size() - out.series.size());
      if (r.dispatch) schedules = schedule_series(*r.dispatch, p.options);
      for (std::size_t k = 0; k < schedules.size(); ++k)
        out.series.push_back(wants_series(options, scenario_series()[out.series.size()].name.c_str()) ? std::move(schedules[k])
                                                                                                : std::vector<double>{});
      out.extras = {{"iterations", static_cast<long long>(r.dispatch_iterations)},
                    {"ac_check_max_dv_pu", r.ac_max_dv_pu},
                    {"solve_s", r.dispatch_s},
                    {"linear_solver", r.linear_solver}};
    } catch (const std::exception& e) {  // out of memory
      out.status = Status::failure(StatusCode::internal_error, e.what());
    }
    return out;
  }

  std::string describe_outcome(const Outcome& o) const override {
    auto v = [&](const char* n) { return metric_value(*this, o, n); };
    std::string linear;
    for (const auto& e : o.extras)
      if (e.name == "linear_solver") linear = std::get<std::string>(e.value);
    char buf[1024];
    std::string text;
    std::snprintf(buf, sizeof buf,
                  "traffic    %d iterations, worst residual %.2e, %.1f ms; EV energy %.3f MWh, station peak %.3f MW\n",
                  static_cast<int>(v("traffic_iterations")), v("traffic_gap"), v("traffic_s") * 1e3,
                  v("ev_energy_mwh"), v("station_peak_mw"));
    text += buf;
    std::snprintf(buf, sizeof buf, "dispatch   %s after %d iterations (linear solver %s), %.1f ms\n",
                  o.solver_status.c_str(), static_cast<int>(v("dispatch_iterations")), linear.c_str(),
                  v("dispatch_s") * 1e3);
    text += buf;
    std::snprintf(buf, sizeof buf, "cost       %.2f   losses %.4f MWh   curtailed %.4f MWh\n", v("cost"),
                  v("loss_mwh"), v("curtailment_mwh"));
    text += buf;
    std::snprintf(buf, sizeof buf, "voltage    min %.5f pu at bus %d, max %.5f pu at bus %d\n", v("vmin_pu"),
                  static_cast<int>(v("vmin_bus")), v("vmax_pu"), static_cast<int>(v("vmax_bus")));
    text += buf;
    std::snprintf(buf, sizeof buf, "feeder     peak-valley %.3f MW, std %.3f MW\n", v("head_peak_valley_mw"),
                  v("head_std_mw"));
    text += buf;
    std::snprintf(buf, sizeof buf, "checks     relaxation gap %.2e, AC |dV| %.2e pu, %d AC violations\n",
                  v("max_relaxation_gap"), v("ac_max_dv_pu"), static_cast<int>(v("ac_violations")));
    text += buf;
    return text;
  }
};

}  // namespace

const StudyKind& kind() {
  static const SueDispatchKind k;
  return k;
}

}  // namespace evs::kinds::sue_dispatch
