// evsweep solve STUDY.yaml [--scenario K] [--set KEY=VALUE ...] [--formulation F] [--json]
// (alias: evsweep dispatch)
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "core/error.hpp"
#include "plan/design.hpp"

namespace evs::app {

namespace {
struct SolveArgs {
  std::string study;
  int scenario = 0;
  std::vector<std::string> overrides;
  std::string formulation;
  bool json = false;
};

void put(nlohmann::ordered_json& j, const MetricInfo& m, double v) {
  if ((m.unit == "count" || m.unit == "bus") && std::isfinite(v))
    j[m.name] = static_cast<long long>(v);
  else
    j[m.name] = v;
}
}  // namespace

Runner add_solve_command(CLI::App& app, const GlobalOptions&) {
  auto a = std::make_shared<SolveArgs>();
  app.add_option("STUDY", a->study, "Study file (YAML), of any kind")->required();
  app.add_option("--scenario", a->scenario,
                 "Scenario to solve: 0 = the base case with every parameter at its nominal value, "
                 "K >= 1 = row K of the sweep design (what `evsweep run` solves as scenario K)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--set", a->overrides,
                 "Override one study option for this solve, KEY=VALUE with the dotted key of `evsweep options` "
                 "(e.g. --set dispatch.formulation=exact --set grid.vmin_pu=0.93); repeatable");
  app.add_option("--formulation", a->formulation,
                 "Shortcut for --set dispatch.formulation=F (soc, exact, lin; kinds with a dispatch section)")
      ->check(CLI::IsMember({"soc", "exact", "lin"}));
  app.add_flag("--json", a->json, "Print the status, metrics and timings as one JSON object");
  app.footer("Solves one scenario of a study with its kind's per-scenario function (for sue_dispatch: traffic\n"
             "day -> station loads -> dispatch -> AC check) and prints its metrics.\n"
             "Exit code 0 when every stage succeeds, 2 for bad input, 3 when a stage fails (infeasible, ...).");
  return [a]() -> int {
    std::vector<std::string> overrides = a->overrides;
    if (!a->formulation.empty()) overrides.push_back("dispatch.formulation=" + a->formulation);
    auto loaded = load_prepared_study(a->study, true, overrides);
    if (!loaded) return exit_input;
    const kinds::PreparedStudy& prepared = *loaded;
    const kinds::StudyKind& kind = *prepared.kind;
    kinds::Scenario scenario;
    scenario.id = static_cast<std::uint64_t>(a->scenario);
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
        scenario.values = plan::scenario_values(design, a->scenario - 1);
        scenario.draw_key = design.draw_keys[a->scenario - 1];
      } catch (const InputError& e) {
        report_error(e.what());
        return exit_input;
      }
    }
    SolverSession session;
    kinds::RunOptions options;
    for (const auto& s : kind.series()) options.keep_series.push_back(s.name);
    const kinds::Outcome r = kind.solve(prepared.study, *prepared.data, scenario, options);
    if (a->json) {
      nlohmann::ordered_json j;
      j["scenario"] = r.scenario_id;
      j["kind"] = kind.name();
      j["status"] = std::string(to_string(r.status.code));
      j["failed_stage"] = r.failed_stage;
      j["message"] = r.status.message;
      j["solver_status"] = r.solver_status;
      for (std::size_t i = 0; i < kind.metrics().size() && i < r.metrics.size(); ++i)
        put(j, kind.metrics()[i], r.metrics[i]);
      for (std::size_t i = 0; i < kind.timings().size() && i < r.timings.size(); ++i)
        put(j, kind.timings()[i], r.timings[i]);
      for (const auto& e : r.extras) std::visit([&](const auto& v) { j[e.name] = v; }, e.value);
      std::cout << j.dump(2) << "\n";
    } else {
      std::printf("%s (%s), scenario %d: %s%s%s\n", a->study.c_str(), kind.name().c_str(), a->scenario,
                  std::string(to_string(r.status.code)).c_str(),
                  r.failed_stage.empty() ? "" : (" in " + r.failed_stage).c_str(),
                  r.status.message.empty() ? "" : (": " + r.status.message).c_str());
      std::fputs(kind.describe_outcome(r).c_str(), stdout);
    }
    if (!r.status.ok()) {
      report_error(r.failed_stage + ": " + r.status.message);
      return r.status.code == StatusCode::invalid_input ? exit_input : exit_solver;
    }
    return exit_ok;
  };
}

}  // namespace evs::app
