// The stackelberg kind's operator LP (kinds/stackelberg/operator_lp) on IEEE 33: an analytic
// uncongested case, nodal prices against finite differences of the optimal expected cost,
// warm-started re-solves, and the Clp and Ipopt back ends on the same LPs.
#include <gtest/gtest.h>

#include <cmath>

#include "io/matpower.hpp"
#include "kinds/stackelberg/operator_lp.hpp"

using namespace evs;
using namespace evs::kinds::stackelberg;

namespace {

const GridNetwork& feeder() {
  static const GridNetwork g = build_grid_network(read_matpower_case(EVSWEEP_SOURCE_DIR "/data/grid/case33bw.m"));
  return g;
}

// 3 periods, 2 wind scenarios (probabilities 0.3, 0.7), one wind plant at bus 18, stations at
// buses 6, 18, 25 (MATPOWER numbers). Tight limits make congestion and voltage bind.
OperatorSpec congested_spec() {
  OperatorSpec s;
  s.grid = &feeder();
  s.periods = 3;
  s.dt_h = 1;
  s.load_scale = {0.6, 1.0, 1.3};
  s.tariff = {40, 80, 120};
  s.curtailment_cost = 30;
  s.shedding_cost = 2000;
  s.transformer_mva = 5.0;
  s.line_mva = 3.0;
  s.polygon_sides = 12;
  s.vmin_pu = 0.93;
  s.wind_bus = {feeder().index_of(18)};
  s.wind_tan_phi = 0.1;
  s.probability = {0.3, 0.7};
  s.wind_max_mw = {{{0.2}, {1.5}, {0.8}}, {{2.5}, {0.4}, {0.0}}};
  s.station_bus = {feeder().index_of(6), feeder().index_of(18), feeder().index_of(25)};
  s.station_tan_phi = 0.2;
  return s;
}

std::vector<std::vector<double>> loads(double a) {  // [station][t] MW
  return {{0.3 * a, 0.5 * a, 0.2 * a}, {0.4 * a, 0.1 * a, 0.6 * a}, {0.2 * a, 0.3 * a, 0.3 * a}};
}

}  // namespace

TEST(StackelbergOperator, UncongestedFeederPricesEveryBusAtTheTariff) {
  OperatorSpec s = congested_spec();
  s.transformer_mva = s.line_mva = 0;
  s.vmin_pu = 0.5;  // nothing binds: a lossless feeder buys every MW at the tariff
  s.wind_max_mw = {{{0}, {0}, {0}}, {{0}, {0}, {0}}};
  OperatorLp op(s);
  const auto st = loads(1.0);
  const OperatorResult r = op.solve(st);
  ASSERT_TRUE(r.status.ok()) << r.status.message;
  double expected = 0;
  for (int t = 0; t < 3; ++t) {
    double mw = 0;  // MW bought in period t
    for (int b = 0; b < feeder().num_buses(); ++b) mw += feeder().pd[b] * feeder().base_mva * s.load_scale[t];
    for (const auto& k : st) mw += k[t];
    expected += s.tariff[t] * mw;
    for (int b = 0; b < feeder().num_buses(); ++b) EXPECT_NEAR(r.lmp[t][b], s.tariff[t], 1e-8);
  }
  EXPECT_NEAR(r.expected_cost, expected, 1e-8 * expected);
  EXPECT_NEAR(r.shed_mwh, 0, 1e-12);
}

TEST(StackelbergOperator, NodalPricesAreFiniteDifferencesOfTheExpectedCost) {
  OperatorLp op(congested_spec());
  const auto st = loads(1.0);
  const OperatorResult base = op.solve(st);
  ASSERT_TRUE(base.status.ok()) << base.status.message;
  // The congested case prices buses differently (else this test would prove little).
  double lo = 1e300, hi = -1e300;
  for (double p : base.lmp[2]) lo = std::min(lo, p), hi = std::max(hi, p);
  EXPECT_GT(hi - lo, 1.0) << "no congestion in period 2";
  const double h = 1e-4;  // MW
  int checked = 0;
  for (int k = 0; k < 3; ++k)
    for (int t = 0; t < 3; ++t) {
      auto up = st, down = st;
      up[k][t] += h;
      down[k][t] -= h;
      const double cu = op.solve(up).expected_cost, cd = op.solve(down).expected_cost;
      const double right = (cu - base.expected_cost) / h, left = (base.expected_cost - cd) / h;
      // An LP's optimal cost is piecewise linear: the dual lies between the one-sided slopes,
      // and equals both away from a kink.
      EXPECT_LE(left - 1e-6, base.station_price[k][t] * 1.0) << k << "," << t;
      EXPECT_GE(right + 1e-6, base.station_price[k][t] * 1.0) << k << "," << t;
      if (std::abs(right - left) < 1e-6) {
        EXPECT_NEAR(base.station_price[k][t], right, 1e-6 * std::max(1.0, std::abs(right)));
        ++checked;
      }
    }
  EXPECT_GE(checked, 7);
}

TEST(StackelbergOperator, WarmStartsAgreeWithColdSolvesAndSaveIterations) {
  OperatorLp warm(congested_spec(), LpBackend::clp, true), cold(congested_spec(), LpBackend::clp, false);
  int warm_it = 0, cold_it = 0;
  for (double a : {1.0, 1.1, 1.2, 0.9, 1.05}) {
    const OperatorResult w = warm.solve(loads(a)), c = cold.solve(loads(a));
    ASSERT_TRUE(w.status.ok() && c.status.ok());
    EXPECT_NEAR(w.expected_cost, c.expected_cost, 1e-9 * std::abs(c.expected_cost));
    warm_it += w.iterations;
    cold_it += c.iterations;
  }
  EXPECT_LT(warm_it, cold_it / 2);
}

TEST(StackelbergOperator, ClpAndIpoptAgree) {
  OperatorLp clp(congested_spec(), LpBackend::clp), ipopt(congested_spec(), LpBackend::ipopt);
  const OperatorResult a = clp.solve(loads(1.0)), b = ipopt.solve(loads(1.0));
  ASSERT_TRUE(a.status.ok() && b.status.ok()) << b.status.message;
  EXPECT_NEAR(a.expected_cost, b.expected_cost, 1e-6 * std::abs(a.expected_cost));
  for (int k = 0; k < 3; ++k)
    for (int t = 0; t < 3; ++t) EXPECT_NEAR(a.station_price[k][t], b.station_price[k][t], 1e-3) << k << "," << t;
}
