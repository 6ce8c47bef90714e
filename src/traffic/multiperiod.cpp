#include "traffic/multiperiod.hpp"

#include <algorithm>
#include <cmath>

#include "core/timer.hpp"
#include "traffic/paths.hpp"

namespace evs::traffic {

namespace {

// Mean path time of each class at the given link times, weighted by path flow.
std::vector<double> mean_class_time(const std::vector<DemandClass>& classes, const PathSet& set,
                                    const AssignmentResult& r) {
  std::vector<double> out(classes.size(), 0.0);
  for (size_t c = 0; c < classes.size(); ++c) {
    double flow = 0, weighted = 0, cheapest = INFINITY;
    for (int id : set.paths_of_class[c]) {
      double t = 0;
      for (int a : set.links[id]) t += r.link_time[a];
      cheapest = std::min(cheapest, t);
      flow += r.path_flow[id];
      weighted += r.path_flow[id] * t;
    }
    out[c] = flow > 0 ? weighted / flow : (std::isfinite(cheapest) ? cheapest : 0.0);
  }
  return out;
}

}  // namespace

DayResult solve_day(const TrafficNetwork& net, const std::vector<DemandClass>& od_pairs, const DayOptions& o,
                    const std::string& demand_source) {
  Stopwatch clock;
  DayResult day;
  const int periods = static_cast<int>(o.demand_multiplier.size());
  const size_t n = od_pairs.size();
  const bool charging = net.num_stations() > 0;
  // Classes: [0, n) regular, [n, 2n) charging (when the network has stations).
  std::vector<DemandClass> classes = od_pairs;
  if (charging)
    for (const auto& d : od_pairs) classes.push_back({d.origin, d.destination, 0.0, true, d.source_line});
  PathSet set;
  std::vector<double> carry(n, 0.0);  // xi r_{t-1}, veh/h
  const AssignmentResult* previous = nullptr;

  auto set_demand = [&](int t, const std::vector<double>& extra) {
    const double share = charging ? o.ev_penetration * (t < static_cast<int>(o.fast_charge_share.size())
                                                            ? o.fast_charge_share[t]
                                                            : 0.0)
                                  : 0.0;
    for (size_t i = 0; i < n; ++i) {
      const double base = o.period_demand.empty() ? od_pairs[i].demand * o.demand_multiplier[t] : o.period_demand[t][i];
      const double total = std::max(0.0, base + extra[i]);
      classes[i].demand = total * (1 - share);
      if (charging) classes[n + i].demand = total * share;
    }
  };
  auto solve = [&](const AssignmentResult* warm) {
    if (o.stochastic)
      return solve_sue(net, classes, set, o.sue, demand_source, o.warm_start && warm ? &warm->link_flow : nullptr);
    return solve_ue(net, classes, set, o.ue, demand_source, o.warm_start && warm ? &warm->path_flow : nullptr);
  };

  for (int t = 0; t < periods; ++t) {
    PeriodResult pr;
    set_demand(t, carry);
    pr.assignment = solve(previous);
    int iterations = pr.assignment.iterations;
    if (o.residual_share > 0) {
      // Trips unfinished at the end of the period leave it and join the next one.
      const auto time = mean_class_time(classes, set, pr.assignment);
      std::vector<double> next(n), adjusted(n);
      for (size_t i = 0; i < n; ++i) {
        const double total = classes[i].demand + (charging ? classes[n + i].demand : 0.0);
        const double tt = charging && total > 0
                              ? (classes[i].demand * time[i] + classes[n + i].demand * time[n + i]) / total
                              : time[i];
        next[i] = o.residual_share * total * std::min(1.0, tt / o.period_minutes);
        adjusted[i] = carry[i] - next[i];
      }
      set_demand(t, adjusted);
      pr.assignment = solve(&pr.assignment);
      iterations += pr.assignment.iterations;
      pr.carried_in = 0;
      for (size_t i = 0; i < n; ++i) pr.carried_in += carry[i];
      carry = next;
    }
    for (size_t i = 0; i < n; ++i) {
      pr.regular_demand += classes[i].demand;
      if (charging) pr.charging_demand += classes[n + i].demand;
    }
    for (int s = 0; s < net.num_stations(); ++s) {
      const int l = net.station_link[s];
      const double arrivals = pr.assignment.link_flow[l];
      pr.station_arrivals.push_back(arrivals);
      pr.station_delay.push_back(pr.assignment.link_time[l] - net.cost[l].t0 - net.cost[l].fixed);
      pr.charging_kw.push_back(o.charge_coefficient * arrivals * o.battery_kwh);
    }
    merge_into(day.status, pr.assignment.status);
    day.total_iterations += iterations;
    day.periods.push_back(std::move(pr));
    previous = &day.periods.back().assignment;
  }
  day.seconds = clock.seconds();
  return day;
}

}  // namespace evs::traffic
