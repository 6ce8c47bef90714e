// The stackelberg kind's EV users' equilibrium and the price game on the shipped Grid16
// network and IEEE 33 (kinds/stackelberg/ev_users, game).
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdlib>

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

namespace {

// 24 hourly periods: EV trips follow a two-peak day; the feeder's base load another profile.
const std::vector<double> kTrips = {0.10, 0.06, 0.05, 0.05, 0.08, 0.20, 0.45, 0.80, 0.70, 0.50, 0.45, 0.50,
                                    0.55, 0.50, 0.50, 0.60, 0.75, 0.90, 0.70, 0.50, 0.40, 0.30, 0.20, 0.15};
const std::vector<double> kLoad = {0.55, 0.50, 0.48, 0.47, 0.50, 0.60, 0.75, 0.85, 0.90, 0.90, 0.92, 0.95,
                                   0.93, 0.90, 0.88, 0.90, 0.95, 1.00, 1.00, 0.98, 0.90, 0.80, 0.70, 0.60};

OperatorSpec day_operator(const GridNetwork& g, int periods, int scenarios) {
  OperatorSpec s;
  s.grid = &g;
  s.periods = periods;
  s.load_scale.assign(kLoad.begin(), kLoad.begin() + periods);
  for (int t = 0; t < periods; ++t) s.tariff.push_back(t >= 8 && t < 22 ? 110 : 50);  // currency/MWh
  s.curtailment_cost = 20;
  s.shedding_cost = 3000;
  s.transformer_mva = 10;
  s.line_mva = 6;
  s.vmin_pu = 0.9;
  s.wind_bus = {g.index_of(18), g.index_of(33)};
  s.wind_tan_phi = 0;
  s.probability.assign(scenarios, 1.0 / scenarios);
  s.wind_max_mw.assign(scenarios, std::vector<std::vector<double>>(periods, std::vector<double>(2)));
  for (int k = 0; k < scenarios; ++k)  // a deterministic spread of wind levels
    for (int t = 0; t < periods; ++t)
      for (int w = 0; w < 2; ++w) s.wind_max_mw[k][t][w] = 0.8 * (0.3 + 0.6 * ((k * 7 + t * 3 + w * 5) % 11) / 10.0);
  s.station_bus = {g.index_of(6), g.index_of(18), g.index_of(25)};
  s.station_tan_phi = 0.2;
  return s;
}

GameSpec day_game(const Bench16& b, int periods, double xi, bool game) {
  GameSpec g;
  g.demand.resize(periods);
  for (int t = 0; t < periods; ++t)
    for (double w : b.demand) g.demand[t].push_back(0.1 * w * kTrips[t]);  // EVs: a tenth of the trips
  g.xi = xi;
  g.price_lower = 0.8;
  g.price_upper = 2.5;
  g.game = game;
  g.fixed_price = 1.2;
  return g;
}

// A game over `periods` of the day (no residual flow) with its own operator LP: each test
// that checks a result against fresh evaluations builds a second one.
struct PricedDay {
  OperatorLp op;
  Game game;
  PricedDay(const Bench16& b, int periods, bool refine = false)
      : op(day_operator(b.grid, periods, 10)), game(refined(day_game(b, periods, 0.0, true), refine), b.users, op) {}
  static GameSpec refined(GameSpec spec, bool refine) {
    spec.refine = refine;
    return spec;
  }
};

}  // namespace

// Six periods (night to the morning peak, stations congested in the last ones): the game
// ends at a grid equilibrium in every period, certified: the certificate recomputed from fresh
// evaluations of the reported prices (Game::equilibrium_residual) finds no station gaining by
// any grid deviation; its profit is what a plain evaluation at its prices gives. Night periods
// are Bertrand price competition among the stations (inelastic, near-indifferent users): every
// price at the floor.
TEST(StackelbergGame, PeriodGamesEndAtCertifiedGridEquilibria) {
  Bench16 b;
  b.users.capacity_veh_h.assign(3, 60);
  const int T = 6;
  GameResult r = PricedDay(b, T).game.solve();
  ASSERT_TRUE(r.status.ok()) << r.status.message;
  EXPECT_EQ(r.periods_certified, T);
  EXPECT_EQ(r.equilibrium_residual, 0.0);
  EXPECT_LE(r.worst_ue_gap, 1e-8);
  const double grid_step = (2.5 - 0.8) / 10;
  for (const auto& row : r.day.price)
    for (double p : row) {
      EXPECT_TRUE(p >= 0.8 && p <= 2.5) << p;
      EXPECT_NEAR(std::remainder(p - 0.8, grid_step), 0.0, 1e-12) << p;  // without refinement: grid prices
    }
  for (int m = 0; m < 3; ++m) EXPECT_EQ(r.day.price[m][0], 0.8);  // night: Bertrand, all at the floor
  PricedDay fresh(b, T);
  Game& again = fresh.game;
  GameResult e = again.evaluate(r.day.price);
  ASSERT_TRUE(e.status.ok()) << e.status.message;
  EXPECT_NEAR(e.station_profit, r.station_profit, 1e-6 * std::abs(r.station_profit));
  EXPECT_EQ(again.lower_level_solves(), T);
  EXPECT_LE(again.equilibrium_residual(e.day), 1e-6);  // fresh evaluations: only the UE's rounding
  // A station moved off its equilibrium price in one period gains by moving back: the
  // certificate sees it.
  auto moved = r.day.price;
  moved[0][0] = 2.5;
  GameResult off = again.evaluate(moved);
  EXPECT_GT(again.equilibrium_residual(off.day), 1e-3);
  std::printf("game (%d periods): profit %.2f residual %.3g rounds %d solves %ld\n", T, r.station_profit,
              r.equilibrium_residual, r.outer_iterations, r.lower_level_solves);
}

// With refinement (pricing.refine) the prices may leave the grid, and are kept only where the
// grid still certifies them: the status stays ok, the certificate 0, and fresh evaluations
// agree.
TEST(StackelbergGame, RefinedPricesKeepTheCertificate) {
  Bench16 b;
  b.users.capacity_veh_h.assign(3, 60);
  const int T = 6;
  GameResult r = PricedDay(b, T, true).game.solve();
  ASSERT_TRUE(r.status.ok()) << r.status.message;
  EXPECT_EQ(r.equilibrium_residual, 0.0);
  PricedDay fresh(b, T, true);
  Game& again = fresh.game;
  GameResult e = again.evaluate(r.day.price);
  EXPECT_NEAR(e.station_profit, r.station_profit, 1e-6 * std::abs(r.station_profit));
  EXPECT_LE(again.equilibrium_residual(e.day), 1e-6);
  int off_grid = 0;
  for (const auto& row : r.day.price)
    for (double p : row) off_grid += std::abs(std::remainder(p - 0.8, 0.17)) > 1e-9;
  EXPECT_GT(off_grid, 0);  // refinement moved some prices (6 periods: the morning ones)
  std::printf("refined game (%d periods): profit %.2f, %d of %d prices off the grid, solves %ld\n", T,
              r.station_profit, off_grid, 3 * T, r.lower_level_solves);
}

#include "kinds/stackelberg/baseline.hpp"

// The population-search baseline on two periods: it counts its lower-level solves (one per
// period per particle evaluation) and its best prices reproduce its profit; compared with the
// diagonalisation's solves.
TEST(StackelbergBaseline, SwarmSearchCountsSolvesAndReproducesItsBest) {
  Bench16 b;
  b.users.capacity_veh_h.assign(3, 60);
  PricedDay day(b, 2);
  Game& game = day.game;
  SwarmOptions o;
  o.particles = 6;
  o.iterations = 5;
  const SwarmResult s = swarm_search(game, 3, 2, 0.8, 2.5, o);
  ASSERT_TRUE(s.status.ok()) << s.status.message;
  EXPECT_EQ(s.lower_level_solves, 2L * 6 * (5 + 1));
  const GameResult e = game.evaluate(s.price);
  EXPECT_NEAR(e.station_profit, s.station_profit, 1e-6 * std::abs(s.station_profit));
  std::printf("swarm (2 periods, 6 x 6 evaluations): total profit %.2f with %ld solves\n", s.station_profit,
              s.lower_level_solves);
}

// The paper's method iterated to an equilibrium (best responses by swarm): its solves are whole
// days of evaluations, and its reported residual is the certificate at its prices; on the same
// two night periods the grid method certifies an equilibrium with fewer solves.
TEST(StackelbergBaseline, SwarmBestResponsesReportTheirCertificate) {
  Bench16 b;
  b.users.capacity_veh_h.assign(3, 60);
  const int T = 2;
  PricedDay day(b, T);
  SwarmOptions o;
  o.particles = 4;
  o.iterations = 3;
  const SwarmEquilibriumResult s = swarm_equilibrium(day.game, 3, T, 0.8, 2.5, o, 2);
  ASSERT_TRUE(s.status.ok() || s.status.code == StatusCode::not_converged) << s.status.message;
  if (!s.status.ok()) EXPECT_EQ(s.rounds, 2);  // not_converged: the round cap with a station still gaining
  EXPECT_GE(s.rounds, 1);
  EXPECT_EQ(s.lower_level_solves % T, 0);
  // Per round and station: its current prices, 3 more particles, 4 x 3 moves: 16 days.
  EXPECT_LE(s.lower_level_solves, 2L * 3 * 16 * T);
  EXPECT_GE(s.lower_level_solves, 1L * 3 * 16 * T);
  PricedDay fresh(b, T);
  GameResult e = fresh.game.evaluate(s.price);
  EXPECT_NEAR(e.station_profit, s.station_profit, 1e-6 * std::abs(s.station_profit));
  EXPECT_NEAR(fresh.game.equilibrium_residual(e.day), s.equilibrium_residual, 1e-6);
  const GameResult g = PricedDay(b, T).game.solve();
  ASSERT_TRUE(g.status.ok()) << g.status.message;
  EXPECT_LE(g.equilibrium_residual, s.equilibrium_residual);
  EXPECT_LT(g.lower_level_solves, s.lower_level_solves);
  std::printf("swarm best responses (2 periods): profit %.2f residual %.3g solves %ld; grid: %.2f, %.3g, %ld\n",
              s.station_profit, s.equilibrium_residual, s.lower_level_solves, g.station_profit, g.equilibrium_residual,
              g.lower_level_solves);
}
