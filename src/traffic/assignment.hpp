#pragma once
// What every traffic assignment returns: flows, times, and the convergence history with
// the criterion it stopped on.
#include <string>
#include <vector>

#include "core/status.hpp"

namespace evs::traffic {

struct AssignmentIteration {
  int iteration = 0;
  double gap = 0;      // UE: relative gap TSTT/SPTT - 1; SUE: relative residual ||y - x|| / ||x||
  double max_abs = 0;  // SUE: max |y - x| in vehicles; UE: excess cost TSTT - SPTT
  double step = 0;     // step length used after this evaluation (SUE), 0 for UE
  int paths = 0;       // paths in the set
  double seconds = 0;  // since the solve started
};

struct AssignmentResult {
  Status status;                  // not_converged when the iteration limit was reached
  std::string stop_criterion;     // e.g. "relative residual <= 1e-08"
  int iterations = 0;
  double gap = 0;                 // final UE relative gap or SUE relative residual
  double max_abs = 0;             // final max |y - x| (SUE) or excess cost (UE)
  std::vector<double> link_flow;  // [link] vehicles per hour (station links: arrivals)
  std::vector<double> link_time;  // [link] at link_flow
  std::vector<double> path_flow;  // [path] of the path set used
  // The equilibrium is one of generalised cost: time + toll factor x toll + distance factor
  // x length (+ station prices converted to time); the gap and the Beckmann objective refer
  // to it. Without tolls or distance factors the two totals are equal.
  double tstt = 0;                // total system travel time sum x (t(x) - fixed cost), time only
  double total_cost = 0;          // total generalised cost sum x t(x), fixed costs included
  double beckmann = 0;            // sum of cost integrals (UE objective)
  std::vector<AssignmentIteration> history;
  double seconds = 0;
};

struct TrafficNetwork;

// Shared by the solvers. Records one evaluation (it becomes the result's current state) and
// says whether to stop: converged (criterion met), or at the iteration limit (status
// not_converged naming `what`, e.g. "UE relative gap").
bool record_iteration(AssignmentResult& r, const AssignmentIteration& entry, bool converged,
                      const std::string& criterion, int max_iterations, const std::string& what);
// Fills link_time, tstt, total_cost and beckmann from link_flow.
void finish_link_totals(const TrafficNetwork& net, AssignmentResult& r);

}  // namespace evs::traffic
