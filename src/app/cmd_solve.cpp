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

// Flat row-major values as nested arrays of the given shape (NaN as null).
nlohmann::ordered_json nested(const std::vector<double>& flat, const std::vector<std::size_t>& shape,
                              std::size_t dim = 0, std::size_t offset = 0) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  std::size_t stride = 1;
  for (std::size_t d = dim + 1; d < shape.size(); ++d) stride *= shape[d];
  for (std::size_t i = 0; i < shape[dim]; ++i) {
    if (dim + 1 == shape.size()) {
      const double v = flat[offset + i];
      out.push_back(std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr));
    } else {
      out.push_back(nested(flat, shape, dim + 1, offset + i * stride));
    }
  }
  return out;
}

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
                 "(e.g. --set dispatch.formulation=exact --set grid.vmin_pu=0.93; a list: --set "
                 "vehicles.initial_links=[16,16,25]); repeatable");
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
      // Every series the kind produced, as nested arrays over its dimensions, with the labels.
      const auto dims = kind.dimensions(prepared.study, *prepared.data);
      nlohmann::ordered_json series = nlohmann::ordered_json::object();
      for (std::size_t k = 0; k < kind.series().size() && k < r.series.size(); ++k) {
        const auto& info = kind.series()[k];
        const auto shape = series_shape(info, dims);
        if (r.series[k].empty() || series_size(info, dims) != r.series[k].size()) continue;
        nlohmann::ordered_json s;
        s["unit"] = info.unit;
        s["dims"] = info.dims;
        for (const auto& d : info.dims)
          for (const auto& dim : dims)
            if (dim.name == d && !(dim.text_labels.empty() && dim.int_labels.empty()))
              s["labels"][d] = dim.text_labels.empty() ? nlohmann::ordered_json(dim.int_labels)
                                                       : nlohmann::ordered_json(dim.text_labels);
        s["values"] = nested(r.series[k], shape);
        series[info.name] = std::move(s);
      }
      j["series"] = std::move(series);
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
