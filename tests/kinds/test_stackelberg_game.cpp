// The stackelberg kind's EV users' equilibrium and the price game on the shipped Grid16
// network and IEEE 33 (kinds/stackelberg/ev_users, game).
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>

#include "io/matpower.hpp"
#include "io/tntp.hpp"
#include "kinds/stackelberg/game.hpp"

using namespace evs;
using namespace evs::kinds::stackelberg;

namespace {

struct Bench16 {
  GridNetwork grid = build_grid_network(read_matpower_case(EVSWEEP_SOURCE_DIR "/data/grid/case33bw.m"));
  RoadNetwork road = read_tntp_network(EVSWEEP_SOURCE_DIR "/data/traffic/Grid16/Grid16_net.tntp");
  traffic::TrafficNetwork net = traffic::build_traffic_network(road);
  EvUserSpec users;
  Bench16(std::vector<int> station_nodes = {6, 11, 8}) {
    users.net = &net;
    for (const auto& l : road.links) users.link_km.push_back(l.length);
    const OdMatrix od = read_tntp_trips(EVSWEEP_SOURCE_DIR "/data/traffic/Grid16/Grid16_trips.tntp");
    for (const auto& e : od.entries)
      if (e.flow > 0) {
        users.origin.push_back(e.origin - 1);
        users.destination.push_back(e.destination - 1);
        demand.push_back(e.flow);
      }
    for (int n : station_nodes) users.station_node.push_back(n - 1);
    users.pile_kw.assign(station_nodes.size(), 60);
    users.capacity_veh_h.assign(station_nodes.size(), 300);
    users.energy_kwh = 20;
    users.kappa_per_h = 100;
    users.range_km = 100;
    compute_reachability(users);
  }
  std::vector<double> demand;  // [od] peak veh/h
};

}  // namespace

TEST(StackelbergUsers, EquilibriumEqualisesUsedCostsAndHonoursRange) {
  Bench16 s;
  PathState paths;
  const std::vector<double> price = {1.0, 1.2, 0.9};
  const PeriodFlows f = solve_period(s.users, s.demand, price, paths);
  ASSERT_TRUE(f.status.ok()) << f.status.message;
  EXPECT_LE(f.gap, 1e-8);
  double arrivals = 0, demand = 0;
  for (double x : f.station_flow) arrivals += x;
  for (double w : s.demand) demand += w;
  EXPECT_NEAR(arrivals, demand, 1e-9 * demand);
  // A warm start from the solution converges at once; a higher price at a station lowers its share.
  const PeriodFlows again = solve_period(s.users, s.demand, price, paths);
  EXPECT_LE(again.iterations, 2);
  PathState p2 = paths;
  const PeriodFlows dearer = solve_period(s.users, s.demand, {1.3, 1.2, 0.9}, p2);
  EXPECT_LT(dearer.station_flow[0], f.station_flow[0] - 1);
  // Short range: origins far from a station cannot use it.
  Bench16 near({1, 16});
  near.users.range_km = 3.0;  // every OD reaches one corner station
  compute_reachability(near.users);
  PathState p3;
  const PeriodFlows r = solve_period(near.users, near.demand, {1.0, 1.0}, p3);
  ASSERT_TRUE(r.status.ok()) << r.status.message;
  for (size_t k = 0; k < p3.flow.size(); ++k)
    if (p3.flow[k] > 0) {
      double km = 0;  // origin -> station
      const int station = near.users.station_node[p3.station[k]];
      if (near.users.origin[p3.od[k]] != station)
      for (int l = 0; l < static_cast<int>(p3.links[k].size()); ++l) {
        const int link = p3.links[k][l];
        km += near.users.link_km[link];
        if (near.net.head[link] == station) break;
      }
      EXPECT_LE(km, 3.0 + 1e-9);
    }
}
