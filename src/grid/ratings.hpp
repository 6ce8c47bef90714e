#pragma once
// Thermal ratings for branches a case leaves unrated (MATPOWER rateA = 0, as in case33bw and
// most distribution test feeders). docs/default-study.md, "Line ratings".
#include <string>

#include "data/grid_network.hpp"

namespace evs::grid {

struct LineRatingRule {
  double uniform_mva = 0;   // every unrated branch rated this many MVA (0: off)
  double peak_margin = 0;   // every unrated branch rated margin x its apparent power in the
                            // AC power flow of the case's own loads (0: off)
  double min_mva = 0;       // with peak_margin: no branch rated below this (the smallest
                            // conductor), so a lateral's rating is not its few kW of load
  double slack_vm_pu = 1;   // substation voltage of that power flow
};

// Applies the rule to `net` in place; branches the case rates keep their rating. Returns a
// one-line account of what was rated (for the run log and the results' provenance), or ""
// when the rule is off. Throws InputError if the power flow of the rule does not converge.
std::string apply_line_ratings(GridNetwork& net, const LineRatingRule& rule);

}  // namespace evs::grid
