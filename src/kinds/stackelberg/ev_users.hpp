#pragma once
// Lower level 2 of the stackelberg kind: EV users' user equilibrium over (path, station)
// choices per OD pair (MODELS.md section 6). A user's cost, in the network's time unit:
//   sum of BPR link times + station time + price * energy / kappa,
// i.e. kappa x (travel time + charging time) + payment divided by kappa. Station time is the
// charging time energy / pile power, lengthened by a BPR-like waiting term when the station's
// arrivals approach its service capacity. Stations a vehicle cannot reach on its initial range
// (length-shortest distance from the origin) are not choices; a generated path to a station
// that is longer than the range is replaced by the length-shortest one. Solved path-based:
// column generation (the cheapest path over every feasible station) and projected Newton steps
// on the Beckmann objective in the reduced path flows (each OD's cheapest path basic, exact
// Hessian over links and stations, backtracking line search), to a relative gap, warm-started
// from the previous period's paths. (Gauss-Seidel path shifts stall when steep station costs couple every OD pair.)
#include <vector>

#include "core/status.hpp"
#include "traffic/network.hpp"

namespace evs::kinds::stackelberg {

struct EvUserSpec {
  const traffic::TrafficNetwork* net = nullptr;  // road links only (no station links)
  std::vector<int> origin, destination;          // [od] 0-based nodes
  std::vector<int> station_node;                 // [station] 0-based node
  std::vector<double> link_km;                   // [link] length (road links)
  std::vector<std::vector<char>> feasible;       // [od][station] reachable on the initial range
  std::vector<std::vector<std::vector<int>>> range_path;  // [od][station] length-shortest origin -> station links
  std::vector<std::vector<double>> range_path_km;         // [od][station] its length
  double range_km = 1e9;
  double kappa_per_h = 100;      // value of time, currency/h
  double time_unit_h = 1.0 / 60; // hours per network time unit
  double energy_kwh = 30;        // energy charged per vehicle
  std::vector<double> pile_kw;   // [station] charging power per vehicle
  std::vector<double> capacity_veh_h;  // [station] service capacity (waiting term), veh/h
  double gap = 1e-8;
  int max_iterations = 5000;
};

// Length-shortest paths and reachability: fills feasible, range_path, range_path_km.
void compute_reachability(EvUserSpec& spec);

// The path set and flows of one period (kept to warm-start the next).
struct PathState {
  std::vector<std::vector<int>> links;  // [path] road links in order (origin -> station -> destination)
  std::vector<int> od, station;         // [path]
  std::vector<double> flow;             // [path] veh/h
};

struct PeriodFlows {
  Status status;
  double gap = 0;
  int iterations = 0;
  std::vector<double> station_flow;  // [station] arrivals, veh/h
  std::vector<double> link_flow;     // [link] veh/h
  std::vector<double> od_time_h;     // [od] mean travel + charging time of the OD's users, h
  double tstt_veh_h = 0;             // sum over links of flow x time, veh h per h
  double user_cost = 0;              // sum over users of kappa (time) + payment, currency per h
};

// One period: demand [od] veh/h, price [station] currency/kWh. `state` carries paths in and
// out (flows are rescaled per OD to the new demand).
PeriodFlows solve_period(const EvUserSpec& spec, const std::vector<double>& demand,
                         const std::vector<double>& price_per_kwh, PathState& state);

}  // namespace evs::kinds::stackelberg
