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

std::optional<pipeline::PreparedStudy> load_prepared_study(const std::string& path, bool report) {
  try {
    return pipeline::prepare_study(config::load_study(path));
  } catch (const config::ConfigError& e) {
    if (report) report_config_error(path, e.errors());
  } catch (const std::exception& e) {
    if (report) report_error(e.what());
  }
  return std::nullopt;
}

Logger command_logger(const GlobalOptions& global, int rank, int ranks) {
  return Logger::to_stderr(log_level_from_string(global.log_level),
                           ranks > 1 ? "evsweep[" + std::to_string(rank) + "]: " : "evsweep: ");
}

}  // namespace evs::app
