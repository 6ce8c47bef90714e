#pragma once
// Progress of a sweep on rank 0: done (within limits, violating limits, failed), rate, ETA. Text goes to a sink the
// application provides: a bar redrawn in place (starting with '\r', no newline) when the
// sink is a terminal, plain lines every interval in batch logs.
#include <cstddef>
#include <functional>
#include <string>

#include "core/timer.hpp"

namespace evs::driver {

class Progress {
 public:
  using Sink = std::function<void(const std::string&)>;
  // sink empty: no progress. redraw: the sink is a terminal.
  Progress(std::size_t total, double line_interval_s, Sink sink, bool redraw);
  // Called often; draws at most every 0.2 s (terminal) or every line_interval_s (log).
  // violating: solved but the model's limits not held (infeasible); failed: no answer.
  void update(std::size_t done, std::size_t violating, std::size_t failed);
  void finish(std::size_t done, std::size_t violating, std::size_t failed);  // final line
  static std::string format_duration(double seconds);  // "1h02m", "3m05s", "12s"

 private:
  std::string line(std::size_t done, std::size_t violating, std::size_t failed) const;
  std::size_t total_;
  double interval_;
  Sink sink_;
  bool tty_;
  Stopwatch clock_;
  double last_draw_ = -1e9;
  std::size_t last_line_done_ = static_cast<std::size_t>(-1);  // done count of the last plain line
};

}  // namespace evs::driver
