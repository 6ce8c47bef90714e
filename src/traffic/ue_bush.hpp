#pragma once
// Deterministic user equilibrium by Dial's Algorithm B (2006), bush based: one acyclic
// subnetwork (bush) per origin carries that origin's flow. Each iteration improves every bush
// (drops unused links, adds links that shorten its longest used paths) and equilibrates it:
// at every node reached by unequal paths within the bush, flow moves from the longest used
// segment to the shortest one by a Newton step, link costs updated at once (Gauss-Seidel).
// The same equilibrium as solve_ue (ue.hpp) by an independent method, and faster on large
// networks; regular (non-charging) demand only. No path set: the result's path_flow is empty.
#include <string>
#include <vector>

#include "traffic/assignment.hpp"
#include "traffic/network.hpp"
#include "traffic/ue.hpp"

namespace evs::traffic {

// Stops at options.gap (TSTT / SPTT - 1, as solve_ue) or options.max_iterations;
// options.inner_passes is not used (the solver sets its own passes). The history's `paths`
// counts the links of all bushes. Throws InputError for a charging class or a class whose
// destination cannot be reached.
AssignmentResult solve_ue_bush(const TrafficNetwork& net, const std::vector<DemandClass>& classes,
                               const UeOptions& options, const std::string& demand_source);

}  // namespace evs::traffic
