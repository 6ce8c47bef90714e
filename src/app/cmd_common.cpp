// Helpers shared by the commands.
#include <iostream>

#include "app/commands.hpp"
#include "config/study.hpp"

namespace evs::app {

void report_error(const std::string& message) { std::cerr << "evsweep: error: " << message << "\n"; }

void report_config_error(const std::string& path, const std::vector<std::string>& errors) {
  std::cerr << "evsweep: error: " << errors.size() << " problem" << (errors.size() == 1 ? "" : "s") << " in " << path
            << "\n";
  for (const auto& line : errors) std::cerr << "  " << line << "\n";
}

std::optional<kinds::PreparedStudy> load_prepared_study(const std::string& path, bool report,
                                                        const std::vector<std::string>& overrides) {
  try {
    return kinds::prepare_study(kinds::load_study(path, overrides));
  } catch (const config::ConfigError& e) {
    if (report) report_config_error(path, e.errors());
  } catch (const std::exception& e) {
    if (report) report_error(e.what());
  }
  return std::nullopt;
}

bool kinds_from_option(const std::string& name, std::vector<const kinds::StudyKind*>& out) {
  if (name.empty()) {
    out = kinds::all_kinds();
    return true;
  }
  if (const auto* k = kinds::find_kind(name)) {
    out = {k};
    return true;
  }
  std::string all;
  for (const auto& n : kinds::kind_names()) all += (all.empty() ? "" : ", ") + n;
  report_error("--kind " + name + ": no such study kind (kinds: " + all + ")");
  return false;
}

Logger command_logger(const GlobalOptions& global, int rank, int ranks) {
  return Logger::to_stderr(log_level_from_string(global.log_level),
                           ranks > 1 ? "evsweep[" + std::to_string(rank) + "]: " : "evsweep: ");
}

}  // namespace evs::app
