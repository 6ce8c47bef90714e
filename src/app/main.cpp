// evsweep: scenario sweeps of coupled distribution-grid and road-traffic systems with EVs.
#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>

#include "app/commands.hpp"
#include "core/version.hpp"

int main(int argc, char** argv) {
  using namespace evs::app;
  std::string kinds_text;
  for (const auto* k : evs::kinds::all_kinds())
    kinds_text += "  " + k->name() + (k->name() == evs::kinds::kDefaultKind ? " (default)" : "") + ": " + k->summary() + "\n";
  CLI::App app{
      "evsweep: scenario sweeps of coupled power-distribution and road-traffic systems with electric vehicles.\n"
      "A study (YAML) names its kind (study.kind): the model each scenario solves. Kinds:\n" +
          kinds_text + "Run 'evsweep COMMAND --help' for the options of a command.",
      "evsweep"};
  app.set_version_flag("--version", std::string("evsweep ") + evs::version_string() + " (git " + evs::git_sha() + ")");
  app.require_subcommand(1);
  GlobalOptions global;
  app.add_option("--log-level", global.log_level, "Least severe log message shown: debug, info, warn, error, off")
      ->check(CLI::IsMember({"debug", "info", "warn", "error", "off"}))
      ->capture_default_str();

  std::vector<std::pair<CLI::App*, Runner>> commands;
  auto add = [&](const char* name, const char* help, auto make) {
    CLI::App* sub = app.add_subcommand(name, help);
    commands.emplace_back(sub, make(*sub));
    return sub;
  };
  add("pf", "AC power flow of a MATPOWER case (Newton or radial sweep)",
      [&](CLI::App& s) { return add_pf_command(s, global); });
  add("assign", "Traffic assignment of a TNTP network: user equilibrium or logit SUE",
      [&](CLI::App& s) { return add_assign_command(s, global); });
  add("estimate-od", "OD matrix estimation by maximum likelihood from link counts or speeds (TNTP trips out)",
      [&](CLI::App& s) { return add_estimate_od_command(s, global); });
  add("solve", "One scenario of a study, of any kind (alias: dispatch): its metrics as text or JSON",
      [&](CLI::App& s) { return add_solve_command(s, global); })
      ->alias("dispatch");
  add("run", "Run a study's sweep across the MPI ranks into a results directory (results.h5)",
      [&](CLI::App& s) { return add_run_command(s, global, &argc, &argv); });
  add("plan", "Write and summarise a study's design without solving",
      [&](CLI::App& s) { return add_plan_command(s); });
  add("merge", "Combine the part files of a results directory into results.h5",
      [&](CLI::App& s) { return add_merge_command(s, global); });
  add("validate", "Check a study YAML file and the files it names, without solving",
      [&](CLI::App& s) { return add_validate_command(s, global); });
  add("options", "Print the reference of every study option of each kind (name, meaning, unit, default, bounds)",
      [&](CLI::App& s) { return add_options_command(s); });
  add("metrics", "Print every per-scenario metric and series of each kind (name, unit, meaning)",
      [&](CLI::App& s) { return add_metrics_command(s); });
  add("kinds", "List the study kinds (study.kind) with a line each",
      [&](CLI::App& s) { return add_kinds_command(s); });
  add("info", "Print versions of evsweep and its libraries, and the MPI ranks it sees",
      [&](CLI::App& s) { return add_info_command(s, &argc, &argv); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? exit_ok : exit_input;
  }
  try {
    for (auto& [sub, run] : commands)
      if (sub->parsed()) return run();
  } catch (const std::exception& e) {
    report_error(e.what());
    return exit_internal;
  }
  return exit_internal;
}
