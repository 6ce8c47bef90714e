// evsweep validate STUDY.yaml ; evsweep options [--kind K] [--markdown] ;
// evsweep metrics [--kind K] [--markdown] ; evsweep kinds
#include <iostream>

#include "app/commands.hpp"
#include "config/study_definition.hpp"

namespace evs::app {

Runner add_validate_command(CLI::App& app, const GlobalOptions&) {
  auto path = std::make_shared<std::string>();
  app.add_option("STUDY", *path, "Study file (YAML)")->required();
  app.footer("Reads the study and every file it names; reports each problem with its file, line and key.\n"
             "Exit code 0 when the study is valid, 2 otherwise.");
  return [path]() -> int {
    try {
      const config::Study study = kinds::load_study(*path);
      const kinds::PreparedStudy ps = kinds::prepare_study(study);
      std::cout << *path << ": valid study '" << study.study.name << "' of kind " << ps.kind->name() << ": "
                << ps.kind->describe_study(study, *ps.data) << "; " << study.sweep.parameters.size()
                << " uncertain parameters, design " << study.sweep.design << "\n";
      return exit_ok;
    } catch (const config::ConfigError& e) {
      report_config_error(*path, e.errors());
      return exit_input;
    }
  };
}

namespace {

std::string parameter_table(const kinds::StudyKind& kind, bool markdown) {
  std::string out;
  const auto& params = kind.definition().parameters;
  if (markdown) out += "| parameter | unit | range | meaning |\n|---|---|---|---|\n";
  for (const auto& p : params) {
    const std::string range = config::detail::bounds_text(p.lower, p.upper);
    if (markdown)
      out += "| `" + p.name + "` | " + p.unit + " | " + range + " | " + p.meaning + " |\n";
    else
      out += p.name + "  [" + (p.unit.empty() ? "-" : p.unit) + "]  " + range + "  " + p.meaning + "\n";
  }
  return out;
}

}  // namespace

Runner add_options_command(CLI::App& app) {
  auto markdown = std::make_shared<bool>(false);
  auto kind = std::make_shared<std::string>();
  app.add_option("--kind", *kind, "Only this study kind (default: every kind, one after another)");
  app.add_flag("--markdown", *markdown, "Print Markdown tables (the source of docs/config-reference.md)");
  return [markdown, kind]() -> int {
    std::vector<const kinds::StudyKind*> chosen;
    if (!kinds_from_option(*kind, chosen)) return exit_input;
    for (const auto* k : chosen) {
      const auto docs = config::option_reference(k->definition());
      if (*markdown) {
        std::cout << "### Kind `" << k->name() << "`\n\n" << k->summary() << ".\n\n"
                  << config::format_reference_markdown(docs) << "\n#### Sweep parameters of `" << k->name()
                  << "`\n\n" << parameter_table(*k, true) << "\n";
      } else {
        std::cout << "== study kind " << k->name() << ": " << k->summary() << "\n\n"
                  << config::format_reference_text(docs) << "\nsweep parameters (sweep.parameters[].name) of "
                  << k->name() << ":\n" << parameter_table(*k, false) << "\n";
      }
    }
    return exit_ok;
  };
}

Runner add_metrics_command(CLI::App& app) {
  auto markdown = std::make_shared<bool>(false);
  auto kind = std::make_shared<std::string>();
  app.add_option("--kind", *kind, "Only this study kind (default: every kind)");
  app.add_flag("--markdown", *markdown, "Print Markdown tables (the source of docs/results-schema.md's metric lists)");
  return [markdown, kind]() -> int {
    std::vector<const kinds::StudyKind*> chosen;
    if (!kinds_from_option(*kind, chosen)) return exit_input;
    for (const auto* k : chosen) {
      if (*markdown)
        std::cout << "### Kind `" << k->name() << "`\n\n| metric | unit | meaning |\n|---|---|---|\n";
      else if (chosen.size() > 1)
        std::cout << "== " << k->name() << "\n";
      for (const auto* table : {&k->metrics(), &k->timings()})
        for (const auto& m : *table) {
          if (*markdown)
            std::cout << "| `" << m.name << "` | " << m.unit << " | " << m.meaning << " |\n";
          else
            std::cout << m.name << "  [" << (m.unit.empty() ? "-" : m.unit) << "]  " << m.meaning << "\n";
        }
      if (*markdown) std::cout << "\n| series (`output.series`) | dataset | unit | dimensions | meaning |\n|---|---|---|---|---|\n";
      for (const auto& s : k->series()) {
        std::string dims;
        for (const auto& d : s.dims) dims += (dims.empty() ? "" : " x ") + d;
        if (*markdown)
          std::cout << "| `" << s.name << "` | `series/" << s.dataset << "` | " << s.unit << " | scenario x " << dims
                    << " | " << s.meaning << " |\n";
        else
          std::cout << "series " << s.name << " -> series/" << s.dataset << "  [" << s.unit << "]  scenario x " << dims
                    << "  " << s.meaning << "\n";
      }
      std::cout << "\n";
    }
    return exit_ok;
  };
}

Runner add_kinds_command(CLI::App&) {
  return []() -> int {
    for (const auto* k : kinds::all_kinds())
      std::cout << k->name() << (k->name() == kinds::kDefaultKind ? " (default)" : "") << "\n    " << k->summary()
                << "\n";
    return exit_ok;
  };
}

}  // namespace evs::app
