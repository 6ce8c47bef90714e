#pragma once
// Deterministic user equilibrium by Dial's Algorithm B (Transportation Research B 40, 2006),
// bush-based: every origin keeps an acyclic subnetwork (its bush) carrying its flow. Per
// outer iteration and origin, the bush is improved (links without flow dropped, links that
// shorten the bush's longest paths added, which keeps it acyclic) and equilibrated: for every
// node, from the last in topological order, flow moves from the longest used path segment to
// the shortest one since their common node, by a Newton step on the segments' cost
// difference, updating link costs at once. The gap is the path-based solver's (TSTT over the
// all-or-nothing SPTT of full-network shortest paths, minus 1), so the two are compared on
// the same criterion. Regular (non-charging) demand only: charging classes choose a station
// and keep the path-based solver (ue.hpp).
#include <string>
#include <vector>

#include "traffic/assignment.hpp"
#include "traffic/network.hpp"
#include "traffic/ue.hpp"

namespace evs::traffic {

// Throws InputError for a charging class, or naming `demand_source` and the class's line when
// a class with demand has no path.
AssignmentResult solve_ue_bush(const TrafficNetwork& net, const std::vector<DemandClass>& classes,
                               const UeOptions& options, const std::string& demand_source);

}  // namespace evs::traffic
