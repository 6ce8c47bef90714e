#pragma once
// Deterministic synthetic radial feeders of any size, for scaling tests and benchmarks.
// Branch impedances and loads cycle through the Baran & Wu 33-bus values; the tree mixes
// long laterals and branching; loads are scaled so the total stays near 3.7 MW and the
// voltages stay within a realistic band whatever the size.
#include <cstdint>

#include "data/grid_case.hpp"

namespace evs {

GridCase make_synthetic_feeder(int num_buses, std::uint64_t seed = 1);

}  // namespace evs
