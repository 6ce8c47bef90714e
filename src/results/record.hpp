#pragma once
// One stored attempt at one scenario: what the results files hold per row. Built from a
// pipeline::ScenarioResult through the metric table (pipeline/metrics.hpp).
#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/scenario.hpp"

namespace evs::results {

// Which per-scenario series a study keeps, and their sizes.
struct SeriesShape {
  int periods = 0, stations = 0, buses = 0;
  bool head = false, station = false, voltage = false;
  std::size_t head_size() const { return head ? periods : 0; }
  std::size_t station_size() const { return station ? static_cast<std::size_t>(stations) * periods : 0; }
  std::size_t voltage_size() const { return voltage ? static_cast<std::size_t>(periods) * buses : 0; }
};

struct ScenarioRecord {
  std::uint64_t id = 0;
  int attempt = 0;          // 1-based
  int status = 0;           // StatusCode as int
  int rank = -1;            // MPI rank that solved it (not part of the results proper)
  std::string stage;        // failed stage, "" when ok
  std::string message;
  std::string solver_status;
  std::vector<double> metrics;  // pipeline::scenario_metrics() order
  std::vector<double> timings;  // pipeline::scenario_timings() order
  std::vector<double> head_mw;     // [period]
  std::vector<double> station_mw;  // [station * periods + period]
  std::vector<double> vm_pu;       // [period * buses + bus]
};

ScenarioRecord make_record(const pipeline::ScenarioResult& r, int attempt, int rank, const SeriesShape& shape);

// Failures worth another attempt: the answer may differ with the robust settings or more time.
bool retryable(int status);

}  // namespace evs::results
