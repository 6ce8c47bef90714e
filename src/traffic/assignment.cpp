#include "traffic/assignment.hpp"

#include <cstdio>

#include "traffic/network.hpp"

namespace evs::traffic {

bool record_iteration(AssignmentResult& r, const AssignmentIteration& entry, bool converged,
                      const std::string& criterion, int max_iterations, const std::string& what) {
  r.history.push_back(entry);
  r.iterations = entry.iteration;
  r.gap = entry.gap;
  r.max_abs = entry.max_abs;
  if (converged) {
    r.stop_criterion = criterion;
    return true;
  }
  if (entry.iteration >= max_iterations) {
    char value[32];
    std::snprintf(value, sizeof value, "%.3g", entry.gap);
    r.stop_criterion = "iteration limit " + std::to_string(max_iterations);
    r.status = Status::failure(StatusCode::not_converged, what + " " + value + " at the iteration limit (" +
                                                              std::to_string(max_iterations) + ")");
    return true;
  }
  return false;
}

void finish_link_totals(const TrafficNetwork& net, AssignmentResult& r) {
  const int m = net.num_links();
  r.link_time.resize(m);
  r.tstt = r.total_cost = r.beckmann = 0;
  for (int a = 0; a < m; ++a) {
    r.link_time[a] = net.cost[a].time(r.link_flow[a]);
    r.total_cost += r.link_flow[a] * r.link_time[a];
    r.tstt += r.link_flow[a] * (net.cost[a].fixed == 0 ? r.link_time[a] : r.link_time[a] - net.cost[a].fixed);
    r.beckmann += net.cost[a].integral(r.link_flow[a]);
  }
}

}  // namespace evs::traffic
