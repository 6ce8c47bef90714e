#include "core/log.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <stdexcept>

namespace evs {

namespace {
constexpr std::array<std::string_view, 5> kLevelNames = {"debug", "info", "warn", "error", "off"};
}

std::string_view to_string(LogLevel level) { return kLevelNames.at(static_cast<size_t>(level)); }

LogLevel log_level_from_string(std::string_view name) {
  for (size_t i = 0; i < kLevelNames.size(); ++i)
    if (kLevelNames[i] == name) return static_cast<LogLevel>(i);
  throw std::invalid_argument("unknown log level '" + std::string(name) + "' (debug, info, warn, error, off)");
}

Logger Logger::to_stderr(LogLevel threshold, std::string prefix) {
  return Logger(
      [prefix = std::move(prefix)](LogLevel level, std::string_view message) {
        const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
        std::tm tm{};
        gmtime_r(&now, &tm);
        char stamp[32];
        std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
        std::fprintf(stderr, "%s %-5s %s%.*s\n", stamp, std::string(to_string(level)).c_str(), prefix.c_str(),
                     static_cast<int>(message.size()), message.data());
      },
      threshold);
}

}  // namespace evs
