#include "driver/progress.hpp"

#include <cmath>
#include <cstdio>

namespace evs::driver {

Progress::Progress(std::size_t total, double line_interval_s, Sink sink, bool redraw)
    : total_(total), interval_(line_interval_s), sink_(std::move(sink)), tty_(redraw) {}

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

std::string Progress::line(std::size_t done, std::size_t violating, std::size_t failed) const {
  const double elapsed = clock_.seconds();
  const double rate = elapsed > 0 ? done / elapsed : 0;
  const double eta = rate > 0 ? (total_ - done) / rate : NAN;
  char buf[256];
  std::snprintf(buf, sizeof buf, "%zu/%zu scenarios (%.0f %%): %zu within limits, %zu violating limits, %zu failed, %.2f/s, elapsed %s, ETA %s",
                done, total_, total_ ? 100.0 * done / total_ : 100.0, done - violating - failed, violating, failed, rate, format_duration(elapsed).c_str(),
                done == total_ ? "0s" : format_duration(eta).c_str());
  return buf;
}

void Progress::update(std::size_t done, std::size_t violating, std::size_t failed) {
  if (!sink_) return;
  const double now = clock_.seconds();
  if (now - last_draw_ < (tty_ ? 0.2 : interval_)) return;
  last_draw_ = now;
  if (tty_) {
    const int width = 30;
    const int filled = total_ ? static_cast<int>(width * done / total_) : width;
    std::string bar(filled, '#');
    bar.resize(width, '.');
    sink_("\r[" + bar + "] " + line(done, violating, failed));
  } else if (done != last_line_done_) {
    sink_("evsweep: progress: " + line(done, violating, failed) + "\n");
    last_line_done_ = done;
  }
}

void Progress::finish(std::size_t done, std::size_t violating, std::size_t failed) {
  if (!sink_) return;
  if (tty_) sink_("\r\033[K");
  if (done == last_line_done_) return;
  sink_("evsweep: progress: " + line(done, violating, failed) + "\n");
}

}  // namespace evs::driver
