// evsweep validate STUDY.yaml ; evsweep options [--markdown]
#include <iostream>

#include "app/commands.hpp"
#include "config/study.hpp"
#include "pipeline/metrics.hpp"

namespace evs::app {

Runner add_validate_command(CLI::App& app, const GlobalOptions&) {
  auto path = std::make_shared<std::string>();
  app.add_option("STUDY", *path, "Study file (YAML)")->required();
  app.footer("Reads the study and every file it names; reports each problem with its file, line and key.\n"
             "Exit code 0 when the study is valid, 2 otherwise.");
  return [path]() -> int {
    try {
      const config::Study study = config::load_study(*path);
      config::check_study_references(study);
      std::cout << *path << ": valid study '" << study.study.name << "': " << study.stations.size() << " stations, "
                << study.profiles.periods << " periods, " << study.sweep.parameters.size()
                << " uncertain parameters, design " << study.sweep.design << "\n";
      return exit_ok;
    } catch (const config::ConfigError& e) {
      report_config_error(*path, e.errors());
      return exit_input;
    }
  };
}

Runner add_options_command(CLI::App& app) {
  auto markdown = std::make_shared<bool>(false);
  app.add_flag("--markdown", *markdown, "Print a Markdown table (the source of docs/config-reference.md)");
  return [markdown]() -> int {
    const auto docs = config::option_reference();
    std::cout << (*markdown ? config::format_reference_markdown(docs) : config::format_reference_text(docs));
    return exit_ok;
  };
}

Runner add_metrics_command(CLI::App& app) {
  auto markdown = std::make_shared<bool>(false);
  app.add_flag("--markdown", *markdown, "Print a Markdown table (the source of docs/results-schema.md's metric list)");
  return [markdown]() -> int {
    if (*markdown) std::cout << "| metric | unit | meaning |\n|---|---|---|\n";
    for (const auto* table : {&pipeline::scenario_metrics(), &pipeline::scenario_timings()})
      for (const auto& m : *table) {
        if (*markdown)
          std::cout << "| `" << m.name << "` | " << m.unit << " | " << m.meaning << " |\n";
        else
          std::cout << m.name << "  [" << (m.unit.empty() ? "-" : m.unit) << "]  " << m.meaning << "\n";
      }
    return exit_ok;
  };
}

}  // namespace evs::app
