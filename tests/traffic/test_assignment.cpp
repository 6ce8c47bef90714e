#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "io/tntp.hpp"
#include "test_support.hpp"
#include "traffic/cost.hpp"
#include "traffic/sue.hpp"
#include "traffic/ue.hpp"
#include "traffic/ue_bush.hpp"

using namespace evs;
using namespace evs::traffic;

namespace {

struct Case {
  RoadNetwork road;
  OdMatrix od;
  TrafficNetwork net;
  std::vector<DemandClass> demand;
};

Case load(const std::string& name) {
  Case c;
  const std::string dir = test::source_path("data/traffic/" + name + "/" + name);
  c.road = read_tntp_network(dir + "_net.tntp");
  c.od = read_tntp_trips(dir + "_trips.tntp");
  c.net = build_traffic_network(c.road);
  c.demand = demand_from_trips(c.od);
  return c;
}

void expect_flows(const Case& c, const AssignmentResult& r, const std::string& file, double tol) {
  const auto ref = read_tntp_flows(test::source_path("data/traffic/" + file));
  ASSERT_EQ(ref.size(), c.road.links.size());
  for (const auto& f : ref) {
    const int a = c.road.find_link(f.from_node, f.to_node);
    ASSERT_GE(a, 0);
    EXPECT_NEAR(r.link_flow[a], f.volume, tol) << f.from_node << "-" << f.to_node;
  }
}

}  // namespace

TEST(LinkCost, DerivativesAndIntegralsAgreeWithFiniteDifferences) {
  for (const LinkCost& l : {bpr(7, 900), bpr(3, 600, 0.3, 2.5), davidson(20, 60, 0.5)}) {
    for (double x : {0.0, 10.0, 45.0, 55.0, 58.0, 70.0, 500.0, 1200.0}) {
      const double h = 1e-4 * std::max(1.0, x);
      const double fd_slope = (l.time(x + h) - l.time(std::max(0.0, x - h))) / (x + h - std::max(0.0, x - h));
      EXPECT_NEAR(l.derivative(x), fd_slope, 1e-5 * std::max(1.0, std::fabs(fd_slope))) << x;
      const double fd_int = (l.integral(x + h) - l.integral(std::max(0.0, x - h))) / (x + h - std::max(0.0, x - h));
      EXPECT_NEAR(fd_int, l.time(x), 1e-6 * std::max(1.0, l.time(x))) << x;
    }
  }
  // Davidson: t0 (1 + J x / (c - x)) below the knee, finite and linear above it.
  const LinkCost d = davidson(20, 60, 0.5);
  EXPECT_NEAR(d.time(30), 20 * (1 + 0.5 * 30 / 30.0), 1e-12);
  EXPECT_TRUE(std::isfinite(d.time(60)));
  EXPECT_NEAR(d.time(80) - d.time(70), 10 * d.derivative(57), 1e-9);
}

TEST(Ue, NguyenDupuisMatchesTheExactSolution) {
  Case c = load("NguyenDupuis");
  PathSet set;
  const auto r = solve_ue(c.net, c.demand, set, {1e-13, 1000, 4}, c.od.source_file);
  ASSERT_TRUE(r.status.ok()) << r.status.message;
  expect_flows(c, r, "NguyenDupuis/NguyenDupuis_flow_UE.tntp", 1e-6);
  EXPECT_NEAR(r.beckmann, 66850.6748486, 1e-6);
  EXPECT_NEAR(r.tstt, 73003.658, 1e-3);
}

TEST(Ue, SiouxFallsReachesGap1e10AndTheBestKnownFlows) {
  Case c = load("SiouxFalls");
  PathSet set;
  const auto r = solve_ue(c.net, c.demand, set, {1e-10, 10000, 4}, c.od.source_file);
  ASSERT_TRUE(r.status.ok()) << r.status.message;
  EXPECT_LE(r.gap, 1e-10);
  expect_flows(c, r, "SiouxFalls/SiouxFalls_flow.tntp", 1e-3);
  EXPECT_NEAR(r.beckmann, 4231335.28710744, 1e-3);
  // TSTT within what gap 1e-10 allows (1e-10 x TSTT = 7.5e-4 of excess cost; flows ~1e-4 off).
  EXPECT_NEAR(r.tstt, 7480225.345, 0.05);
  // The history is monotone enough to be useful and ends on the named criterion.
  EXPECT_EQ(r.stop_criterion, "relative gap <= 1e-10");
  EXPECT_EQ(r.history.back().gap, r.gap);
}

class SueReference : public ::testing::TestWithParam<std::tuple<double, const char*, StepRule>> {};

TEST_P(SueReference, NguyenDupuisMatchesTheExactLogitFlows) {
  const auto [theta, file, rule] = GetParam();
  Case c = load("NguyenDupuis");
  PathSet set;
  SueOptions o;
  o.theta = theta;
  o.rule = rule;
  // MSA is the slow baseline: its residual falls like 1/n, so it gets a looser target.
  o.tolerance = rule == StepRule::newton ? 1e-13 : rule == StepRule::sra ? 1e-9 : 1e-6;
  o.max_iterations = 2000000;
  const auto r = solve_sue(c.net, c.demand, set, o, c.od.source_file);
  ASSERT_TRUE(r.status.ok()) << r.status.message;
  EXPECT_EQ(set.num_paths(), 25);  // every route, as in the reference
  expect_flows(c, r, file, rule == StepRule::newton ? 1e-6 : rule == StepRule::sra ? 1e-4 : 0.05);
}

INSTANTIATE_TEST_SUITE_P(
    Thetas, SueReference,
    ::testing::Values(std::make_tuple(0.1, "NguyenDupuis/NguyenDupuis_flow_SUE_theta0.1.tntp", StepRule::newton),
                      std::make_tuple(0.5, "NguyenDupuis/NguyenDupuis_flow_SUE_theta0.5.tntp", StepRule::newton),
                      std::make_tuple(1.0, "NguyenDupuis/NguyenDupuis_flow_SUE_theta1.tntp", StepRule::newton),
                      std::make_tuple(0.5, "NguyenDupuis/NguyenDupuis_flow_SUE_theta0.5.tntp", StepRule::sra),
                      std::make_tuple(0.5, "NguyenDupuis/NguyenDupuis_flow_SUE_theta0.5.tntp", StepRule::msa)));

TEST(Sue, FasterRulesNeedFarFewerIterationsThanMsa) {
  Case c = load("NguyenDupuis");
  auto iterations = [&](StepRule rule) {
    PathSet set;
    SueOptions o;
    o.rule = rule;
    o.tolerance = 1e-6;
    o.max_iterations = 1000000;
    const auto r = solve_sue(c.net, c.demand, set, o, c.od.source_file);
    EXPECT_TRUE(r.status.ok());
    return r.iterations;
  };
  const int msa = iterations(StepRule::msa), sra = iterations(StepRule::sra), newton = iterations(StepRule::newton);
  EXPECT_LT(sra * 5, msa) << "msa " << msa << " sra " << sra;
  EXPECT_LT(newton * 5, sra) << "sra " << sra << " newton " << newton;
}

TEST(Sue, ColumnGenerationOnSiouxFallsConverges) {
  Case c = load("SiouxFalls");
  PathSet set;
  SueOptions o;
  o.theta = 0.5;
  o.rule = StepRule::newton;
  o.tolerance = 1e-8;
  o.path_set = PathSetMode::generate;
  const auto r = solve_sue(c.net, c.demand, set, o, c.od.source_file);
  ASSERT_TRUE(r.status.ok()) << r.status.message;
  EXPECT_LE(r.gap, 1e-8);
  EXPECT_GT(set.num_paths(), 528);
  double demand = 0;
  for (const auto& d : c.demand) demand += d.demand;
  double assigned = 0;
  for (double f : r.path_flow) assigned += f;
  EXPECT_NEAR(assigned, demand, 1e-6 * demand);
}

TEST(Sue, LargeThetaApproachesUe) {
  Case c = load("NguyenDupuis");
  PathSet sue_set, ue_set;
  SueOptions o;
  o.theta = 50;
  o.tolerance = 1e-10;
  const auto sue = solve_sue(c.net, c.demand, sue_set, o, c.od.source_file);
  const auto ue = solve_ue(c.net, c.demand, ue_set, {1e-12, 1000, 4}, c.od.source_file);
  ASSERT_TRUE(sue.status.ok() && ue.status.ok());
  for (size_t a = 0; a < ue.link_flow.size(); ++a) EXPECT_NEAR(sue.link_flow[a], ue.link_flow[a], 5.0);
}

TEST(Assignment, OdPairWithNoPathIsAnInputError) {
  Case c = load("NguyenDupuis");
  c.demand.push_back({1, 0, 10.0, false, 42});  // zone 2 -> zone 1: 2 has no outgoing links
  PathSet set;
  try {
    solve_ue(c.net, c.demand, set, {}, "trips.tntp");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("trips.tntp:42"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("no path from node 2 to node 1"), std::string::npos) << e.what();
  }
}

TEST(Assignment, StationOnMissingNodeIsAnInputError) {
  Case c = load("NguyenDupuis");
  StationSpec s;
  s.name = "far";
  s.node = 40;
  EXPECT_THROW(build_traffic_network(c.road, {s}), InputError);
}

// ---- multi-period, EV demand, stations ----

#include "core/rng.hpp"
#include "traffic/ev_demand.hpp"
#include "traffic/multiperiod.hpp"

namespace {

std::vector<StationSpec> nd_stations() {
  std::vector<StationSpec> s(3);
  s[0] = {"CS1", 6, 60, 20, 0.5, 0, 0};
  s[1] = {"CS2", 9, 60, 20, 0.5, 0, 0};
  s[2] = {"CS3", 11, 60, 20, 0.5, 0, 0};
  return s;
}

const std::vector<double> kCommute = {0.10, 0.06, 0.05, 0.05, 0.08, 0.20, 0.55, 1.00, 0.85, 0.55, 0.50, 0.55,
                                      0.60, 0.55, 0.55, 0.65, 0.85, 1.00, 0.80, 0.55, 0.45, 0.35, 0.25, 0.15};

}  // namespace

TEST(RandomStream, SameKeySameSequenceDifferentKeysDiffer) {
  RandomStream a(7, 3, stream_ev_trips), b(7, 3, stream_ev_trips), c(7, 4, stream_ev_trips), d(8, 3, stream_ev_trips);
  double sum = 0;
  for (int i = 0; i < 1000; ++i) {
    const double x = a.uniform();
    EXPECT_EQ(x, b.uniform());
    EXPECT_GT(x, 0);
    EXPECT_LT(x, 1);
    sum += x;
  }
  EXPECT_NEAR(sum / 1000, 0.5, 0.05);
  EXPECT_NE(c.uniform(), RandomStream(7, 3, stream_ev_trips).uniform());
  EXPECT_NE(d.uniform(), RandomStream(7, 3, stream_ev_trips).uniform());
}

TEST(EvDemand, FastChargeShareIsReproducibleAndPlausible) {
  EvTripModel m;
  const auto a = fast_charge_share(m, 24, 1.0, 11, 5);
  const auto b = fast_charge_share(m, 24, 1.0, 11, 5);
  const auto c = fast_charge_share(m, 24, 1.0, 11, 6);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  double mean = 0;
  for (double p : a) {
    EXPECT_GE(p, 0);
    EXPECT_LE(p, 1);
    mean += p / 24;
  }
  // Departure SOC N(0.55, 0.2) minus ~3 kWh of a 60 kWh battery, threshold 0.25: about 7-10 %.
  EXPECT_GT(mean, 0.03);
  EXPECT_LT(mean, 0.2);
  // A hard threshold above every reachable SOC makes every trip need a charge.
  m.soc_threshold = 1.1;
  for (double p : fast_charge_share(m, 24, 1.0, 11, 5)) EXPECT_DOUBLE_EQ(p, 1.0);
}

TEST(Day, WarmStartNeedsFewerIterationsThanColdInPeriod2) {
  Case c = load("NguyenDupuis");
  DayOptions o;
  o.sue.theta = 0.5;
  o.sue.rule = StepRule::sra;
  o.sue.tolerance = 1e-8;
  o.demand_multiplier = {1.0, 0.9};
  o.warm_start = true;
  const auto warm = solve_day(c.net, c.demand, o, c.od.source_file);
  o.warm_start = false;
  const auto cold = solve_day(c.net, c.demand, o, c.od.source_file);
  ASSERT_TRUE(warm.status.ok() && cold.status.ok());
  EXPECT_EQ(warm.periods[0].assignment.iterations, cold.periods[0].assignment.iterations);
  EXPECT_LT(warm.periods[1].assignment.iterations, cold.periods[1].assignment.iterations);
  for (size_t a = 0; a < 19; ++a)
    EXPECT_NEAR(warm.periods[1].assignment.link_flow[a], cold.periods[1].assignment.link_flow[a], 1e-3);
}

TEST(Day, ChargingDemandReachesStationsAndBecomesLoad) {
  Case c = load("NguyenDupuis");
  const TrafficNetwork net = build_traffic_network(c.road, nd_stations());
  DayOptions o;
  o.sue.theta = 0.5;
  o.demand_multiplier = kCommute;
  o.fast_charge_share.assign(24, 0.1);
  o.ev_penetration = 0.3;
  o.charge_coefficient = 0.5;
  o.battery_kwh = 60;
  const auto day = solve_day(net, c.demand, o, c.od.source_file);
  ASSERT_TRUE(day.status.ok()) << day.status.message;
  ASSERT_EQ(day.periods.size(), 24u);
  for (int t = 0; t < 24; ++t) {
    const auto& p = day.periods[t];
    double arrivals = 0;
    for (int s = 0; s < 3; ++s) {
      arrivals += p.station_arrivals[s];
      EXPECT_NEAR(p.charging_kw[s], 0.5 * p.station_arrivals[s] * 60, 1e-9);
      EXPECT_GE(p.station_delay[s], 0);
    }
    // Every charging trip passes exactly one station.
    EXPECT_NEAR(arrivals, 2000 * kCommute[t] * 0.3 * 0.1, 1e-6) << t;
    EXPECT_NEAR(p.charging_demand + p.regular_demand, 2000 * kCommute[t], 1e-9);
  }
  // Road flows conserve: vehicles out of origin 1 equal its demand.
  const auto& x = day.periods[7].assignment.link_flow;
  EXPECT_NEAR(x[c.road.find_link(1, 5)] + x[c.road.find_link(1, 12)], 1200 * 1.0, 1e-6);
}

TEST(Day, ResidualFlowCarriesTripsIntoTheNextPeriod) {
  Case c = load("NguyenDupuis");
  DayOptions o;
  o.stochastic = false;
  o.ue.gap = 1e-10;
  o.demand_multiplier = {1.0, 0.2, 0.2};
  o.residual_share = 0.5;
  o.period_minutes = 60;
  const auto day = solve_day(c.net, c.demand, o, c.od.source_file);
  ASSERT_TRUE(day.status.ok()) << day.status.message;
  // Period 1 keeps part of its trips for period 2; nothing is lost except what is still
  // travelling after the last period.
  EXPECT_LT(day.periods[0].regular_demand, 2000);
  EXPECT_GT(day.periods[1].regular_demand, 400);
  EXPECT_NEAR(day.periods[1].carried_in, 2000 - day.periods[0].regular_demand, 1e-6);
}

TEST(Day, ChargingWithoutAnyReachableStationIsAnInputError) {
  Case c = load("NguyenDupuis");
  std::vector<StationSpec> s(1);
  s[0] = {"dead-end", 2, 60, 20, 0.5, 0, 7};  // node 2 is a destination zone: nothing leaves it
  const TrafficNetwork net = build_traffic_network(c.road, s);
  DayOptions o;
  o.demand_multiplier = {1.0};
  o.fast_charge_share = {0.2};
  o.ev_penetration = 0.5;
  EXPECT_THROW(solve_day(net, c.demand, o, c.od.source_file), InputError);
}

// ---- networks the TNTP format allows: constant-cost connectors, any power, zero times, tolls ----

namespace {

// Two zones joined by two parallel routes 1 -> 3 -> 2 (links A then a connector) and
// 1 -> 4 -> 2; node 3 and 4 are thru nodes. `links` are the four rows after the header.
Case two_routes(const std::string& links, double demand, const std::string& extra_meta = "") {
  Case c;
  c.road = parse_tntp_network("<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 4\n<FIRST THRU NODE> 3\n"
                              "<NUMBER OF LINKS> 4\n" + extra_meta + "<END OF METADATA>\n"
                              "~ init term cap length fftt b power speed toll type ;\n" + links,
                              "hand.tntp");
  char trips[256];
  std::snprintf(trips, sizeof trips,
                "<NUMBER OF ZONES> 2\n<TOTAL OD FLOW> %g\n<END OF METADATA>\nOrigin 1\n 2 : %g;\n", demand, demand);
  c.od = parse_tntp_trips(trips, "hand_trips.tntp");
  c.net = build_traffic_network(c.road);
  c.demand = demand_from_trips(c.od);
  return c;
}

double flow(const Case& c, const AssignmentResult& r, int from, int to) { return r.link_flow[c.road.find_link(from, to)]; }

}  // namespace

TEST(TntpFormat, ConstantCostConnectorsWithZeroPowerAreAcceptedAndSolvedExactly) {
  // Route 1: BPR link t = 10 (1 + 0.15 (x/100)^4) then a connector of constant cost 2 (b = 0,
  // power 0). Route 2: one constant link of 20 (b = 0, power 0) then a zero-time connector.
  // UE: route 1 carries x with 12 + 1.5 (x/100)^4 = 20, i.e. x = 100 (8 / 1.5)^(1/4).
  const Case c = two_routes("1 3 100 1 10 0.15 4 0 0 1 ;\n3 2 1 1 2 0 0 0 0 1 ;\n"
                            "1 4 100 1 20 0 0 0 0 1 ;\n4 2 100 1 0 0 0 0 0 1 ;\n",
                            300);
  PathSet set;
  const auto r = solve_ue(c.net, c.demand, set, {1e-12, 1000, 4}, c.od.source_file);
  ASSERT_TRUE(r.status.ok()) << r.status.message;
  const double x = 100 * std::pow(8.0 / 1.5, 0.25);
  EXPECT_NEAR(flow(c, r, 1, 3), x, 1e-6);
  EXPECT_NEAR(flow(c, r, 1, 4), 300 - x, 1e-6);
  EXPECT_NEAR(r.link_time[c.road.find_link(3, 2)], 2.0, 0);  // constant whatever the flow
  EXPECT_NEAR(r.tstt, 300 * 20.0, 1e-6);                    // every used route costs 20
  // Costs and slopes of such links: constant time, zero derivative, linear integral.
  const LinkCost k = bpr(2, 1, 0, 0);
  EXPECT_EQ(k.time(0), 2.0);
  EXPECT_EQ(k.time(1e6), 2.0);
  EXPECT_EQ(k.derivative(5), 0.0);
  EXPECT_NEAR(k.integral(7), 14.0, 1e-12);
}

TEST(TntpFormat, FractionalAndUnusualPowersHaveRightDerivativesAndEquilibria) {
  for (const LinkCost& l : {bpr(4, 50, 0.5, 0.5), bpr(6, 80, 0.15, 4.446), bpr(5, 10, 2, 1)})
    for (double x : {1.0, 20.0, 75.0, 300.0}) {
      const double h = 1e-5 * x;
      EXPECT_NEAR(l.derivative(x), (l.time(x + h) - l.time(x - h)) / (2 * h), 1e-6 * std::max(1.0, l.derivative(x)))
          << l.power << " at " << x;
      EXPECT_NEAR((l.integral(x + h) - l.integral(x - h)) / (2 * h), l.time(x), 1e-6 * l.time(x)) << l.power;
    }
  // Power 0.5 against a constant route of 14: 10 (1 + 0.5 (x/100)^0.5) = 14 -> x = 100 * 0.64.
  const Case c = two_routes("1 3 100 1 10 0.5 0.5 0 0 1 ;\n3 2 1 1 0 0 0 0 0 1 ;\n"
                            "1 4 100 1 14 0 0 0 0 1 ;\n4 2 1 1 0 0 0 0 0 1 ;\n",
                            200);
  PathSet set;
  const auto r = solve_ue(c.net, c.demand, set, {1e-12, 5000, 4}, c.od.source_file);
  ASSERT_TRUE(r.status.ok()) << r.status.message;
  EXPECT_NEAR(flow(c, r, 1, 3), 64.0, 1e-6);
  EXPECT_THROW(two_routes("1 3 100 1 10 0.5 -1 0 0 1 ;\n3 2 1 1 0 0 0 0 0 1 ;\n1 4 100 1 14 0 0 0 0 1 ;\n"
                          "4 2 1 1 0 0 0 0 0 1 ;\n", 1),
               InputError);  // a negative power is refused, with its line
}

TEST(TntpFormat, TollAndDistanceFactorsMakeTheEquilibriumOneOfGeneralisedCost) {
  // Two identical BPR routes (t = 10 (1 + 0.15 (x/100)^4)), route 1 tolled 4 and 2 length
  // units longer. Without factors they split evenly; with toll factor 0.5 and distance
  // factor 1 route 1 costs 4 more: 10 * 0.15 ((x2/100)^4 - (x1/100)^4) = 4.
  const std::string links = "1 3 100 3 10 0.15 4 0 4 1 ;\n3 2 1 0 0 0 0 0 0 1 ;\n"
                            "1 4 100 1 10 0.15 4 0 0 1 ;\n4 2 1 0 0 0 0 0 0 1 ;\n";
  PathSet set0;
  const Case plain = two_routes(links, 200);
  const auto r0 = solve_ue(plain.net, plain.demand, set0, {1e-12, 1000, 4}, "t");
  EXPECT_NEAR(flow(plain, r0, 1, 3), 100, 1e-6);
  EXPECT_EQ(r0.tstt, r0.total_cost);
  const Case tolled = two_routes(links, 200, "<TOLL FACTOR> 0.5\n<DISTANCE FACTOR> 1\n");
  EXPECT_EQ(tolled.road.toll_factor, 0.5);
  PathSet set1;
  const auto r1 = solve_ue(tolled.net, tolled.demand, set1, {1e-12, 1000, 4}, "t");
  ASSERT_TRUE(r1.status.ok());
  const double x1 = flow(tolled, r1, 1, 3), x2 = flow(tolled, r1, 1, 4);
  EXPECT_NEAR(x1 + x2, 200, 1e-9);
  EXPECT_NEAR(1.5 * (std::pow(x2 / 100, 4) - std::pow(x1 / 100, 4)), 4, 1e-6);
  // Generalised cost = time + the toll and distance terms (route 1: 0.5 x 4 + 3, route 2: 1).
  EXPECT_NEAR(r1.total_cost - r1.tstt, x1 * 5 + x2 * 1, 1e-6);
}

// ---- bush-based UE (Algorithm B): same equilibria as the path-based solver ----

TEST(UeBush, SiouxFallsReachesGap1e10AndTheBestKnownFlows) {
  Case c = load("SiouxFalls");
  const auto r = solve_ue_bush(c.net, c.demand, {1e-10, 1000, 4}, c.od.source_file);
  ASSERT_TRUE(r.status.ok()) << r.status.message;
  EXPECT_LE(r.gap, 1e-10);
  expect_flows(c, r, "SiouxFalls/SiouxFalls_flow.tntp", 1e-3);
  EXPECT_NEAR(r.beckmann, 4231335.28710744, 1e-3);
  EXPECT_EQ(r.stop_criterion, "relative gap <= 1e-10");
  // the path-based solver's flows at the same gap, link by link
  PathSet set;
  const auto p = solve_ue(c.net, c.demand, set, {1e-12, 10000, 4}, c.od.source_file);
  for (int a = 0; a < c.net.num_road_links; ++a) EXPECT_NEAR(r.link_flow[a], p.link_flow[a], 1e-3) << a;
}

TEST(UeBush, NguyenDupuisWithZonesMatchesTheExactSolution) {
  // Nguyen-Dupuis has zones that must not be passed through (first thru node > 1).
  Case c = load("NguyenDupuis");
  const auto r = solve_ue_bush(c.net, c.demand, {1e-13, 1000, 4}, c.od.source_file);
  ASSERT_TRUE(r.status.ok()) << r.status.message;
  expect_flows(c, r, "NguyenDupuis/NguyenDupuis_flow_UE.tntp", 1e-6);
  EXPECT_NEAR(r.beckmann, 66850.6748486, 1e-6);
}

TEST(UeBush, ConstantCostConnectorsZeroTimesAndFractionalPowers) {
  // The two hand-made cases above with known equilibria: zero-slope segments move by the
  // whole flow on them, never by a division by a zero derivative.
  const Case c = two_routes("1 3 100 1 10 0.15 4 0 0 1 ;\n3 2 1 1 2 0 0 0 0 1 ;\n"
                            "1 4 100 1 20 0 0 0 0 1 ;\n4 2 100 1 0 0 0 0 0 1 ;\n",
                            300);
  const auto r = solve_ue_bush(c.net, c.demand, {1e-12, 1000, 4}, c.od.source_file);
  ASSERT_TRUE(r.status.ok()) << r.status.message;
  EXPECT_NEAR(flow(c, r, 1, 3), 100 * std::pow(8.0 / 1.5, 0.25), 1e-6);
  const Case d = two_routes("1 3 100 1 10 0.5 0.5 0 0 1 ;\n3 2 1 1 0 0 0 0 0 1 ;\n"
                            "1 4 100 1 14 0 0 0 0 1 ;\n4 2 1 1 0 0 0 0 0 1 ;\n",
                            200);
  const auto q = solve_ue_bush(d.net, d.demand, {1e-12, 1000, 4}, d.od.source_file);
  ASSERT_TRUE(q.status.ok()) << q.status.message;
  EXPECT_NEAR(flow(d, q, 1, 3), 64.0, 1e-6);
  // Both routes constant and equal: any split is an equilibrium, the gap is 0 at once.
  const Case e = two_routes("1 3 100 1 5 0 0 0 0 1 ;\n3 2 1 1 0 0 0 0 0 1 ;\n"
                            "1 4 100 1 5 0 0 0 0 1 ;\n4 2 1 1 0 0 0 0 0 1 ;\n",
                            50);
  const auto z = solve_ue_bush(e.net, e.demand, {1e-12, 1000, 4}, e.od.source_file);
  ASSERT_TRUE(z.status.ok()) << z.status.message;
  EXPECT_NEAR(flow(e, z, 1, 3) + flow(e, z, 1, 4), 50, 1e-9);
  EXPECT_NEAR(z.tstt, 250, 1e-9);
}

TEST(UeBush, ChargingClassesAreRefused) {
  Case c = load("NguyenDupuis");
  c.demand.front().charging = true;
  EXPECT_THROW(solve_ue_bush(c.net, c.demand, {1e-8, 100, 4}, c.od.source_file), InputError);
}
