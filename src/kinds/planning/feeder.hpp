#pragma once
// A DistFlow-ready equivalent of a radial feeder with fixed-tap regulators (IEEE 34): each
// ideal regulator is removed by referring everything below it to a voltage base raised by
// its boost. With boost_i the product of the regulators' boosts between the substation and
// bus i, the referred voltage is V'_i = V_i / boost_i, branch impedances become
// Z / boost_child^2 and shunts Y boost_i^2; constant-power loads, flows and losses are
// unchanged, so the equivalent is exact for the taps. Line charging is dropped (DistFlow has
// none; on IEEE 34 it is ~1 % of the load's reactive power). Voltage limits and the
// deviation objective are then stated on boost_i^2 v'_i (optimise.cpp).
#include <vector>

#include "data/grid_network.hpp"

namespace evs::kinds::planning {

struct FeederEquivalent {
  GridNetwork net;             // taps 1, no line charging, referred impedances and shunts
  std::vector<double> boost;   // [bus] true voltage / model voltage
  int regulators = 0;          // branches whose tap was folded in
  int charging_dropped = 0;    // branches whose line charging was dropped
};

FeederEquivalent distflow_equivalent(const GridNetwork& net);

}  // namespace evs::kinds::planning
