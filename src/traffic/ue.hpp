#pragma once
// Deterministic user equilibrium by path-based gradient projection (Jayakrishnan et al.
// 1994) with column generation: each iteration finds every class's shortest path (adding it
// when new), then moves flow from costlier paths to the cheapest with a Newton step, updating
// link costs immediately (Gauss-Seidel), for up to `inner_passes` passes over the path sets:
// passes stop once no used path costs more than (1 + a tenth of the current gap) x its
// class's cheapest.
#include <string>
#include <vector>

#include "traffic/assignment.hpp"
#include "traffic/network.hpp"
#include "traffic/paths.hpp"

namespace evs::traffic {

struct UeOptions {
  double gap = 1e-10;        // stop when TSTT / SPTT - 1 <= gap
  int max_iterations = 10000;
  int inner_passes = 16;     // most shift passes per shortest-path computation (adaptive, see above)
};

// `set` may carry paths (and `warm_path_flow` their flows) from an earlier solve.
AssignmentResult solve_ue(const TrafficNetwork& net, const std::vector<DemandClass>& classes, PathSet& set,
                          const UeOptions& options, const std::string& demand_source,
                          const std::vector<double>* warm_path_flow = nullptr);

}  // namespace evs::traffic
