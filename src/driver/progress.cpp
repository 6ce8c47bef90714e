#include "driver/progress.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace evs::driver {

Progress::Progress(std::size_t total, double line_interval_s, bool enabled)
    : total_(total), interval_(line_interval_s), enabled_(enabled), tty_(enabled && ::isatty(STDERR_FILENO)) {}

std::string Progress::format_duration(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  const long t = std::lround(s);
  char buf[32];
  if (t >= 3600)
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", t / 3600, (t / 60) % 60);
  else if (t >= 60)
    std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
  else
    std::snprintf(buf, sizeof buf, "%lds", t);
  return buf;
}

std::string Progress::line(std::size_t done, std::size_t failed) const {
  const double elapsed = clock_.seconds();
  const double rate = elapsed > 0 ? done / elapsed : 0;
  const double eta = rate > 0 ? (total_ - done) / rate : NAN;
  char buf[256];
  std::snprintf(buf, sizeof buf, "%zu/%zu scenarios (%.0f %%), %zu failed, %.2f/s, elapsed %s, ETA %s", done, total_,
                total_ ? 100.0 * done / total_ : 100.0, failed, rate, format_duration(elapsed).c_str(),
                done == total_ ? "0s" : format_duration(eta).c_str());
  return buf;
}

void Progress::update(std::size_t done, std::size_t failed) {
  if (!enabled_) return;
  const double now = clock_.seconds();
  if (now - last_draw_ < (tty_ ? 0.2 : interval_)) return;
  last_draw_ = now;
  if (tty_) {
    const int width = 30;
    const int filled = total_ ? static_cast<int>(width * done / total_) : width;
    std::string bar(filled, '#');
    bar.resize(width, '.');
    std::fprintf(stderr, "\r[%s] %s", bar.c_str(), line(done, failed).c_str());
  } else if (done != last_line_done_) {
    std::fprintf(stderr, "evsweep: progress: %s\n", line(done, failed).c_str());
    last_line_done_ = done;
  }
  std::fflush(stderr);
}

void Progress::finish(std::size_t done, std::size_t failed) {
  if (!enabled_) return;
  if (tty_) std::fprintf(stderr, "\r\033[K");
  if (done == last_line_done_) return;
  std::fprintf(stderr, "evsweep: progress: %s\n", line(done, failed).c_str());
  std::fflush(stderr);
}

}  // namespace evs::driver
