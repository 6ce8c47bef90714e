// evsweep dispatch STUDY.yaml [--scenario K] [--formulation soc|exact|lin] [--json]
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "config/study.hpp"
#include "core/error.hpp"
#include "driver/mpi_session.hpp"
#include "grid/backend/petsc_runtime.hpp"
#include "pipeline/metrics.hpp"
#include "pipeline/scenario.hpp"
#include "plan/design.hpp"

namespace evs::app {

namespace {
struct DispatchArgs {
  std::string study;
  int scenario = 0;
  std::string formulation;
  bool json = false;
};
}  // namespace

Runner add_dispatch_command(CLI::App& app, const GlobalOptions&) {
  auto a = std::make_shared<DispatchArgs>();
  app.add_option("STUDY", a->study, "Study file (YAML)")->required();
  app.add_option("--scenario", a->scenario,
                 "Scenario to solve: 0 = the base case with every parameter at its nominal value, "
                 "K >= 1 = row K of the sweep design (what `evsweep run` solves as scenario K)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--formulation", a->formulation, "Override dispatch.formulation: soc, exact or lin")
      ->check(CLI::IsMember({"soc", "exact", "lin"}));
  app.add_flag("--json", a->json, "Print the metrics as one JSON object");
  app.footer("Runs one scenario: traffic day -> station loads -> dispatch -> AC check.\n"
             "Exit code 0 when every stage succeeds, 2 for bad input, 3 when a stage fails (infeasible, ...).");
  return [a]() -> int {
    auto loaded = load_prepared_study(a->study);
    if (!loaded) return exit_input;
    const pipeline::PreparedStudy& prepared = *loaded;
    pipeline::ScenarioParameters parameters;
    if (a->scenario > 0) {
      // The same design `evsweep run` plans (same seed): scenario K is its row K.
      try {
        const plan::Design design = plan::make_design(prepared.study);
        if (static_cast<std::size_t>(a->scenario) > design.size()) {
          report_error("--scenario " + std::to_string(a->scenario) + ": the design of " + a->study + " has " +
                       std::to_string(design.size()) + " scenarios (1.." + std::to_string(design.size()) +
                       "; 0 is the base case)");
          return exit_input;
        }
        for (const auto& [name, value] : plan::scenario_values(design, a->scenario - 1)) parameters[name] = value;
      } catch (const InputError& e) {
        report_error(e.what());
        return exit_input;
      }
    }
    SolverSession session;
    pipeline::ScenarioOptions options;
    options.formulation = a->formulation;
    const pipeline::ScenarioResult r =
        pipeline::run_scenario(prepared, static_cast<std::uint64_t>(a->scenario), parameters, options);
    if (a->json) {
      nlohmann::ordered_json j;
      j["scenario"] = r.scenario_id;
      j["status"] = std::string(to_string(r.status.code));
      j["failed_stage"] = r.failed_stage;
      j["message"] = r.status.message;
      j["solver_status"] = r.solver_status;
      for (const auto& m : pipeline::scenario_metrics()) {
        if (m.unit == "count" || m.unit == "bus")
          j[m.name] = static_cast<long long>(m.get(r));
        else
          j[m.name] = m.get(r);
      }
      j["iterations"] = r.dispatch_iterations;  // the name for dispatch_iterations
      j["ac_check_max_dv_pu"] = r.ac_max_dv_pu;
      for (const auto& m : pipeline::scenario_timings()) j[m.name] = m.get(r);
      j["solve_s"] = r.dispatch_s;
      j["linear_solver"] = r.linear_solver;
      std::cout << j.dump(2) << "\n";
    } else {
      std::printf("%s, scenario %d: %s%s%s\n", a->study.c_str(), a->scenario, std::string(to_string(r.status.code)).c_str(),
                  r.failed_stage.empty() ? "" : (" in " + r.failed_stage).c_str(),
                  r.status.message.empty() ? "" : (": " + r.status.message).c_str());
      std::printf("traffic    %d iterations, worst residual %.2e, %.1f ms; EV energy %.3f MWh, station peak %.3f MW\n",
                  r.traffic_iterations, r.traffic_gap, r.traffic_s * 1e3, r.ev_energy_mwh, r.station_peak_mw);
      std::printf("dispatch   %s after %d iterations (linear solver %s), %.1f ms\n", r.solver_status.c_str(),
                  r.dispatch_iterations, r.linear_solver.c_str(), r.dispatch_s * 1e3);
      std::printf("cost       %.2f   losses %.4f MWh   curtailed %.4f MWh\n", r.cost, r.loss_mwh, r.curtailment_mwh);
      std::printf("voltage    min %.5f pu at bus %d, max %.5f pu at bus %d\n", r.vmin_pu, r.vmin_bus, r.vmax_pu,
                  r.vmax_bus);
      std::printf("feeder     peak-valley %.3f MW, std %.3f MW\n", r.head_peak_valley_mw, r.head_std_mw);
      std::printf("checks     relaxation gap %.2e, AC |dV| %.2e pu, %d AC violations\n", r.max_relaxation_gap,
                  r.ac_max_dv_pu, r.ac_violations);
    }
    if (!r.status.ok()) {
      report_error(r.failed_stage + ": " + r.status.message);
      return r.status.code == StatusCode::invalid_input ? exit_input : exit_solver;
    }
    return exit_ok;
  };
}

}  // namespace evs::app
