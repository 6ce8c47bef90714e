#pragma once
// Read-once data of a planning study: the options and the feeder.
#include <cstdint>
#include <vector>

#include "config/study.hpp"
#include "data/grid_network.hpp"
#include "kinds/kind.hpp"
#include "kinds/planning/options.hpp"

namespace evs::kinds::planning {

struct PreparedStudy : PreparedData {
  Options options;
  std::uint64_t seed = 0;
  GridNetwork grid;            // DistFlow equivalent of the case (feeder.hpp)
  std::vector<double> boost;   // [bus] true voltage / model voltage
  int regulators = 0, charging_dropped = 0;
};

// Reads the feeder, refers it to a DistFlow equivalent (feeder.hpp) and checks every area bus exists (config::ConfigError with file:line: key).
PreparedStudy prepare(const config::Study& study);

}  // namespace evs::kinds::planning
