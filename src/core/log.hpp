#pragma once
// Logging through a sink. Library code never prints: it logs to a Logger that the
// application points at stderr, a file, or a buffer (tests).
#include <functional>
#include <string>
#include <string_view>

namespace evs {

enum class LogLevel { debug = 0, info, warn, error, off };
std::string_view to_string(LogLevel level);
LogLevel log_level_from_string(std::string_view name);  // throws std::invalid_argument

class Logger {
 public:
  using Sink = std::function<void(LogLevel, std::string_view)>;

  Logger() = default;  // discards everything
  Logger(Sink sink, LogLevel threshold) : sink_(std::move(sink)), threshold_(threshold) {}

  static Logger to_stderr(LogLevel threshold, std::string prefix = {});
  static Logger null() { return {}; }

  bool enabled(LogLevel level) const { return sink_ && level >= threshold_; }
  void log(LogLevel level, std::string_view message) const {
    if (enabled(level)) sink_(level, message);
  }
  void debug(std::string_view m) const { log(LogLevel::debug, m); }
  void info(std::string_view m) const { log(LogLevel::info, m); }
  void warn(std::string_view m) const { log(LogLevel::warn, m); }
  void error(std::string_view m) const { log(LogLevel::error, m); }

 private:
  Sink sink_;
  LogLevel threshold_ = LogLevel::off;
};

}  // namespace evs
