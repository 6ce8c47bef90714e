#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "dispatch_fixture.hpp"
#include "grid/dispatch.hpp"
#include "grid/model/dispatch_model.hpp"
#include "grid/powerflow.hpp"
#include "grid/ratings.hpp"
#include "model_dump.hpp"

using namespace evs;
using namespace evs::grid;

namespace {

DispatchProblem bare_case(const GridNetwork& net) {
  DispatchProblem pb;
  pb.net = &net;
  pb.periods = 1;
  pb.load_scale = {1.0};
  pb.tariff = {500};
  pb.slack_vm_pu = 1.0;
  pb.vmin_pu = 0.9;
  pb.vmax_pu = 1.1;
  return pb;
}

DispatchProblem default_case(const GridNetwork& net, Formulation f = Formulation::soc) {
  DispatchProblem pb = test::paper001_problem(net);
  pb.slack_vm_pu = 1.05;  // as configs/default.yaml; at 1.00 pu the case cannot hold 0.95 pu at peak
  pb.formulation = f;
  return pb;
}

}  // namespace

TEST(Dispatch, WithNothingToDispatchItReproducesThePowerFlow) {
  const GridNetwork net = test::case33bw_network();
  for (Formulation f : {Formulation::exact, Formulation::soc}) {
    DispatchProblem pb = bare_case(net);
    pb.formulation = f;
    const DispatchResult r = solve_dispatch(pb);
    ASSERT_TRUE(r.status.ok()) << r.status.message;
    EXPECT_NEAR(r.loss_mwh * 1e3, 202.677, 0.1) << to_string(f);
    EXPECT_NEAR(r.vmin_pu, 0.91309, 1e-4);
    EXPECT_EQ(r.vmin_bus, 18);
    EXPECT_NEAR(r.head_mw[0], 3.917677, 1e-4);
    EXPECT_LT(r.ac_max_dv_pu, 1e-6);
    EXPECT_TRUE(r.ac_violations.empty());
  }
}

TEST(Dispatch, DefaultCaseRelaxationIsExactAndMatchesAc) {
  const GridNetwork net = test::case33bw_network();
  const DispatchResult soc = solve_dispatch(default_case(net, Formulation::soc));
  const DispatchResult exact = solve_dispatch(default_case(net, Formulation::exact));
  ASSERT_TRUE(soc.status.ok()) << soc.status.message;
  ASSERT_TRUE(exact.status.ok()) << exact.status.message;
  EXPECT_LE(soc.max_relaxation_gap, 1e-6);
  EXPECT_LE(soc.ac_max_dv_pu, 1e-4);
  EXPECT_LE(exact.ac_max_dv_pu, 1e-4);
  EXPECT_TRUE(soc.ac_violations.empty());
  EXPECT_NEAR(soc.operating_cost, exact.operating_cost, 1e-6 * exact.operating_cost);
  EXPECT_GE(soc.vmin_pu, 0.95 - 1e-7);
  EXPECT_TRUE(soc.simultaneous_storage_periods.empty());
  // The storage ends where it started (cyclic) and stays in its window.
  ASSERT_EQ(soc.storage_soc.size(), 1u);
  EXPECT_NEAR(soc.storage_soc[0].back(), 0.5, 1e-6);
  for (double s : soc.storage_soc[0]) {
    EXPECT_GE(s, 0.2 - 1e-7);
    EXPECT_LE(s, 0.8 + 1e-7);
  }
  // The turbine respects its ramp.
  for (size_t t = 1; t < soc.turbine_mw[0].size(); ++t)
    EXPECT_LE(std::fabs(soc.turbine_mw[0][t] - soc.turbine_mw[0][t - 1]), 0.2 + 1e-6);
}

TEST(Dispatch, LmpEqualsTheFiniteDifferenceOfOptimalCost) {
  const GridNetwork net = test::case33bw_network();
  const int t = 10, bus = 18;
  DispatchProblem pb = default_case(net);
  pb.ac_check = false;
  const DispatchResult base = solve_dispatch(pb);
  ASSERT_TRUE(base.status.ok()) << base.status.message;
  const double delta_mw = 1e-3;
  EvStationLoad extra;
  extra.bus = bus;
  extra.p_mw.assign(pb.periods, 0.0);
  extra.p_mw[t] = delta_mw;
  pb.ev_stations.push_back(extra);
  const DispatchResult bumped = solve_dispatch(pb);
  ASSERT_TRUE(bumped.status.ok());
  const double fd = (bumped.operating_cost - base.operating_cost) / (delta_mw * pb.dt_h);
  const double lmp = base.lmp[t][net.index_of(bus)];
  EXPECT_NEAR(lmp, fd, 0.01 * std::fabs(fd)) << "LMP " << lmp << " finite difference " << fd;
  EXPECT_GT(lmp, pb.tariff[t] * 0.9);  // delivered energy costs at least about the tariff
}

TEST(Dispatch, StorageNeverRaisesTheCost) {
  const GridNetwork net = test::case33bw_network();
  DispatchProblem with = default_case(net);
  DispatchProblem without = with;
  without.storages.clear();
  const DispatchResult a = solve_dispatch(with), b = solve_dispatch(without);
  ASSERT_TRUE(a.status.ok() && b.status.ok());
  EXPECT_LE(a.operating_cost, b.operating_cost + 1e-6 * b.operating_cost);
}

TEST(Dispatch, TighteningVminBecomesInfeasibleAndSaysSo) {
  const GridNetwork net = test::case33bw_network();
  DispatchProblem pb = test::paper001_problem(net, 24);
  pb.slack_vm_pu = 1.0;
  pb.vmin_pu = 0.93;
  EXPECT_TRUE(solve_dispatch(pb).status.ok());
  pb.vmin_pu = 0.95;  // at peak load the resources cannot lift bus 18 to 0.95 pu from 1.00 at the substation
  const DispatchResult r = solve_dispatch(pb);
  EXPECT_EQ(r.status.code, StatusCode::infeasible) << r.solver_status;
  EXPECT_NE(r.status.message.find("Infeasible"), std::string::npos);
}

TEST(LineRatings, PeakMarginRulePlainAndWithAFloor) {
  // Unrated branches get margin x their apparent power in the power flow of the case's own
  // loads; rated ones keep their rating; min_mva is a floor; uniform rates every unrated one.
  GridNetwork net = test::case33bw_network();
  net.branches[3].rate_pu = 0.7;
  GridNetwork base = net;
  base.vm0[base.slack] = 1.05;
  const PfResult pf = solve_power_flow(base, PfMethod::newton);
  ASSERT_TRUE(pf.status.ok());
  GridNetwork a = net;
  const std::string said = apply_line_ratings(a, {0, 1.5, 0, 1.05});
  EXPECT_NE(said.find("31 unrated branches"), std::string::npos) << said;
  for (int k : {0, 5, 17, 31}) {
    const double s = std::max(std::abs(pf.s_from[k]), std::abs(pf.s_to[k]));
    EXPECT_NEAR(a.branches[k].rate_pu, 1.5 * s, 1e-7 * s) << k;  // sweep vs Newton flows agree to 1e-8
  }
  EXPECT_EQ(a.branches[3].rate_pu, 0.7);
  GridNetwork b = net;
  apply_line_ratings(b, {0, 1.5, 1.0, 1.05});
  for (int k = 0; k < b.num_branches(); ++k) {
    if (k == 3) continue;
    EXPECT_NEAR(b.branches[k].rate_pu, std::max(a.branches[k].rate_pu, 1.0 / net.base_mva), 1e-12) << k;
  }
  GridNetwork c = net;
  apply_line_ratings(c, {2.5, 0, 0, 1.05});
  EXPECT_EQ(c.branches[0].rate_pu, 2.5 / net.base_mva);
  EXPECT_EQ(c.branches[3].rate_pu, 0.7);
  GridNetwork d = net;
  EXPECT_EQ(apply_line_ratings(d, {0, 0, 0, 1.05}), "");
  EXPECT_EQ(d.branches[0].rate_pu, 0);
}

TEST(LineRatings, SoftRatingsMeasureAnOverloadNothingCanRelieve) {
  // Nothing to dispatch: the head branch carries the feeder's load whatever happens. Rated
  // below that flow, the hard model is infeasible; the soft one reports the scenario
  // infeasible with the flows of the power flow and the loading they give.
  GridNetwork net = test::case33bw_network();
  const double flow = std::abs(solve_power_flow(net, PfMethod::newton).s_from[0]);
  net.branches[0].rate_pu = flow / 1.25;
  DispatchProblem pb = bare_case(net);
  pb.line_overload_cost = 1e6;
  const DispatchResult r = solve_dispatch(pb);
  ASSERT_TRUE(r.has_solution);
  EXPECT_EQ(r.status.code, StatusCode::infeasible);
  EXPECT_NE(r.status.message.find("branch 1-2 loaded to 125.0 %"), std::string::npos) << r.status.message;
  EXPECT_NEAR(r.max_line_loading, 1.25, 1e-5);
  EXPECT_NEAR(r.head_mw[0], 3.917677, 1e-4);  // the power flow's, as without the rating
  pb.line_overload_cost = 0;
  EXPECT_EQ(solve_dispatch(pb).status.code, StatusCode::infeasible);
}

TEST(LineRatings, SoftAndHardRatingsAgreeWhereTheRatingCanBeHeld) {
  // A head rating 3 % below the unconstrained peak flow: the turbine, storage and demand
  // response can hold it. Hard and soft ratings then give the same optimum (the price is an
  // exact penalty), the rating binding.
  GridNetwork net = test::case33bw_network();
  DispatchProblem pb = default_case(net);
  const DispatchResult free = solve_dispatch(pb);
  ASSERT_TRUE(free.status.ok()) << free.status.message;
  double peak = 0;
  for (std::size_t t = 0; t < free.head_mw.size(); ++t)
    peak = std::max(peak, std::hypot(free.branch_p_mw[t][0], free.branch_q_mvar[t][0]));
  net.branches[0].rate_pu = 0.97 * peak / net.base_mva;
  pb = default_case(net);
  const DispatchResult hard = solve_dispatch(pb);
  pb.line_overload_cost = 1e6;
  const DispatchResult soft = solve_dispatch(pb);
  ASSERT_TRUE(hard.status.ok()) << hard.status.message;
  ASSERT_TRUE(soft.status.ok()) << soft.status.message;
  EXPECT_GT(hard.operating_cost, free.operating_cost + 1);
  EXPECT_NEAR(soft.operating_cost, hard.operating_cost, 1e-6 * hard.operating_cost);
  EXPECT_NEAR(soft.max_line_loading, 1.0, 1e-5);
  EXPECT_NEAR(hard.max_line_loading, 1.0, 1e-5);
}

TEST(Dispatch, BuiltInLdlAndMumpsReachTheSameOptimum) {
  // The regularised LDL^T (no pivoting) against MUMPS (pivoting): same optimum and prices,
  // for the convex relaxation, the non-convex exact form and with coordinated V2G charging.
  const GridNetwork net = test::case33bw_network();
  NlpOptions mumps;
  mumps.linear_solver = LinearSolver::mumps;
  for (int variant = 0; variant < 3; ++variant) {
    DispatchProblem pb = default_case(net, variant == 1 ? Formulation::exact : Formulation::soc);
    if (variant == 2)
      for (auto& ev : pb.ev_stations) {
        ev.coordinated = true;
        ev.v2g_max_mw = 0.05;
      }
    const DispatchResult a = solve_dispatch(pb), b = solve_dispatch(pb, mumps);
    ASSERT_TRUE(a.status.ok() && b.status.ok()) << a.status.message << " / " << b.status.message;
    EXPECT_NEAR(a.objective, b.objective, 1e-7 * std::fabs(b.objective)) << variant;
    EXPECT_NEAR(a.loss_mwh, b.loss_mwh, 1e-7) << variant;
    for (int t = 0; t < pb.periods; ++t)
      for (int i = 0; i < net.num_buses(); ++i) {
        EXPECT_NEAR(a.vm_pu[t][i], b.vm_pu[t][i], 1e-6) << variant << " t " << t << " bus " << i;
        EXPECT_NEAR(a.lmp[t][i], b.lmp[t][i], 1e-4 * std::fabs(b.lmp[t][i])) << variant << " t " << t;
      }
  }
}

TEST(Dispatch, ClpSolvesTheLinModelWithPolygonRatingsAsIpoptDoes) {
  // LinDistFlow with a linear turbine cost and polygon ratings is an LP: Clp's dual simplex
  // (DispatchSolver::clp) and Ipopt reach the same optimum and bus prices. The head branch
  // is rated 3 % below its unconstrained peak, so the octagon binds: no side exceeded, one met.
  GridNetwork net = test::case33bw_network();
  auto lp_case = [&] {
    DispatchProblem pb = default_case(net, Formulation::lin);
    for (auto& g : pb.turbines) g.cost_a = 0;
    pb.rating_polygon_sides = 8;
    return pb;
  };
  const DispatchResult free = solve_dispatch(lp_case());
  ASSERT_TRUE(free.status.ok()) << free.status.message;
  double peak = 0;
  for (std::size_t t = 0; t < free.head_mw.size(); ++t)
    peak = std::max(peak, std::hypot(free.branch_p_mw[t][0], free.branch_q_mvar[t][0]));
  net.branches[0].rate_pu = 0.97 * peak / net.base_mva;
  DispatchProblem pb = lp_case();
  const DispatchResult ipopt = solve_dispatch(pb);
  pb.solver = DispatchSolver::clp;
  const DispatchResult clp = solve_dispatch(pb);
  ASSERT_TRUE(ipopt.status.ok()) << ipopt.status.message;
  ASSERT_TRUE(clp.status.ok()) << clp.status.message;
  EXPECT_EQ(clp.solver_status, "clp_optimal");
  EXPECT_NEAR(clp.objective, ipopt.objective, 1e-7 * std::fabs(ipopt.objective));
  EXPECT_NEAR(clp.operating_cost, ipopt.operating_cost, 1e-6 * ipopt.operating_cost);
  double worst = -1e9, lmp_gap = 0;
  const double s = net.branches[0].rate_pu * net.base_mva;
  for (int t = 0; t < pb.periods; ++t) {
    for (int k = 0; k < 8; ++k) {
      const double a = 2 * M_PI * k / 8;
      worst = std::max(worst, clp.branch_p_mw[t][0] * std::cos(a) + clp.branch_q_mvar[t][0] * std::sin(a) - s);
    }
    for (int i = 0; i < net.num_buses(); ++i)
      lmp_gap = std::max(lmp_gap, std::fabs(clp.lmp[t][i] - ipopt.lmp[t][i]) / std::max(1.0, std::fabs(ipopt.lmp[t][i])));
  }
  EXPECT_LE(worst, 1e-9);
  EXPECT_GE(worst, -1e-6);  // binding
  EXPECT_LT(lmp_gap, 1e-4);
  // A quadratic cost is no LP: refused, naming the term.
  pb.turbines[0].cost_a = 2.4;
  const DispatchResult qp = solve_dispatch(pb);
  EXPECT_EQ(qp.status.code, StatusCode::invalid_input);
  EXPECT_NE(qp.status.message.find("P_gt"), std::string::npos) << qp.status.message;
  EXPECT_FALSE(qp.has_solution);
}

TEST(Dispatch, ExactFromTheFlatStartReachesTheRelaxationsOptimum) {
  // Single period, no resources (an AC OPF as MATPOWER's runopf solves it): started flat or
  // from the SOC optimum, the exact formulation ends at the same point.
  const GridNetwork net = test::case33bw_network();
  DispatchProblem pb = bare_case(net);
  pb.formulation = Formulation::exact;
  const DispatchResult warm = solve_dispatch(pb);
  pb.exact_from_relaxation = false;
  const DispatchResult flat = solve_dispatch(pb);
  ASSERT_TRUE(warm.status.ok() && flat.status.ok()) << flat.status.message;
  EXPECT_NEAR(flat.objective, warm.objective, 1e-7 * warm.objective);
  EXPECT_NEAR(flat.loss_mwh * 1e3, 202.677, 0.1);
  EXPECT_LT(flat.iterations, warm.iterations);  // one solve instead of two
}

TEST(Dispatch, CoordinatedChargingKeepsEnergyAndNeverRunsAhead) {
  const GridNetwork net = test::case33bw_network();
  DispatchProblem fixed = default_case(net);
  DispatchProblem coordinated = fixed;
  for (auto& ev : coordinated.ev_stations) {
    ev.coordinated = true;
    ev.v2g_max_mw = 0.05;
  }
  const DispatchResult a = solve_dispatch(fixed), b = solve_dispatch(coordinated);
  ASSERT_TRUE(a.status.ok() && b.status.ok()) << b.status.message;
  EXPECT_LE(b.operating_cost, a.operating_cost + 1e-6 * a.operating_cost);
  for (size_t e = 0; e < coordinated.ev_stations.size(); ++e) {
    double need = 0, got = 0;
    for (int t = 0; t < coordinated.periods; ++t) {
      need += coordinated.ev_stations[e].p_mw[t];
      got += b.ev_mw[e][t];
      EXPECT_LE(got, need + 1e-6) << "station " << e << " period " << t;
      EXPECT_GE(b.ev_mw[e][t], -0.05 - 1e-7);
    }
    EXPECT_NEAR(got, need, 1e-6);
  }
}

TEST(Dispatch, LinDistFlowIsAnApproximationTheAcCheckMeasures) {
  const GridNetwork net = test::case33bw_network();
  const DispatchResult r = solve_dispatch(default_case(net, Formulation::lin));
  ASSERT_TRUE(r.status.ok()) << r.status.message;
  EXPECT_EQ(r.loss_mwh, 0.0);
  EXPECT_GT(r.ac_max_dv_pu, 1e-4);  // no losses in the model: the AC voltages differ
  EXPECT_LT(r.ac_max_dv_pu, 0.02);
}

TEST(Dispatch, DerivativeCheckerOnEveryComponent) {
  const GridNetwork net = test::case33bw_network();
  DispatchProblem pb = test::paper001_problem(net, 2);
  pb.slack_vm_pu = 1.05;
  pb.formulation = Formulation::exact;
  pb.weights = {1, 10, 5, 2, 3};
  for (auto& ev : pb.ev_stations) ev.coordinated = true;
  pb.pv[0].curtailment_cost = 50;
  pb.ac_check = false;
  NlpOptions o;
  o.derivative_test = true;
  o.derivative_test_tolerance = 1e-4;  // finite differences of a ~1e3 objective lose ~5 digits
  o.max_iterations = 0;                // derivatives only
  const NlpResult r = solve_nlp(build_dispatch_model(pb), o);
  EXPECT_NE(r.log.find("No errors detected by derivative checker"), std::string::npos)
      << r.log.substr(0, 3000);
}

TEST(Dispatch, UnsupportedNetworksAndBusesAreInputErrors) {
  const GridNetwork ieee34 =
      build_grid_network(read_matpower_case(test::source_path("data/grid/case_ieee34.m")));
  DispatchProblem pb = bare_case(ieee34);
  EXPECT_THROW(solve_dispatch(pb), InputError);  // regulators (taps) and line charging
  const GridNetwork net = test::case33bw_network();
  DispatchProblem bad = bare_case(net);
  bad.storages.push_back({99, 0.1, 0.4, 0.95, 0.95, 0.2, 0.8, 0.5, true});
  EXPECT_THROW(solve_dispatch(bad), InputError);
}

TEST(Dispatch, DynamicTouTariff) {
  const auto tariff = dynamic_tou_tariff({1, 2, 3, 4, 5}, 100, 0.2);
  // mean 3, spread 4: peak above 3.8, valley below 2.2
  EXPECT_EQ(tariff, (std::vector<double>{80, 80, 100, 120, 120}));
}

namespace {

// Problems that switch every component and objective term on, in each formulation.
// `rated` is the same feeder with branch ratings and bus shunts.
std::vector<std::pair<std::string, DispatchProblem>> model_variants(const GridNetwork& net, const GridNetwork& rated) {
  std::vector<std::pair<std::string, DispatchProblem>> out;
  out.emplace_back("bare", bare_case(net));
  for (Formulation f : {Formulation::soc, Formulation::lin}) {
    DispatchProblem pb = default_case(rated, f);
    pb.periods = 3;
    pb.weights.peak_valley = 1;
    out.emplace_back(to_string(f) + "_rated", pb);
  }
  for (Formulation f : {Formulation::soc, Formulation::exact, Formulation::lin}) {
    // Fixed EV load, hard voltage floor, operating cost only.
    out.emplace_back(to_string(f) + "_fixed", default_case(net, f));
    // Coordinated EV with and without V2G (one station idle at first), soft floor, every
    // objective weight, curtailment prices, a second storage that is not cyclic.
    DispatchProblem pb = default_case(net, f);
    pb.voltage_shortfall_cost = 5e4;
    pb.weights = {f == Formulation::soc ? 1.0 : 0.7, 10, 5, 2, 3};
    pb.pv[0].curtailment_cost = 50;
    pb.wind[0].curtailment_cost = 20;
    pb.storages.push_back({25, 0.2, 0.6, 0.9, 0.92, 0.1, 0.9, 0.4, false});
    pb.ev_stations[0].coordinated = true;
    pb.ev_stations[0].p_mw[0] = pb.ev_stations[0].p_mw[1] = 0;
    pb.ev_stations[1].coordinated = true;
    pb.ev_stations[1].v2g_max_mw = 0.05;
    out.emplace_back(to_string(f) + "_everything", pb);
  }
  return out;
}

}  // namespace

TEST(Dispatch, BuiltModelsAreUnchanged) {
  // Hashes of the exact text dump (tests/grid/model_dump.hpp) of each built model: same
  // variables, bounds, starts, names, constraints and terms in the same order. A deliberate
  // model change updates them; set EVSWEEP_MODEL_DUMP_DIR to write the dumps for a diff.
  const std::map<std::string, std::uint64_t> expected = {
      {"bare", 0x4bd530019858c1a5},           {"soc_rated", 0x97cecabb83fd1bd7},
      {"lin_rated", 0x7cac37f7df31bd64},      {"soc_fixed", 0xd6ee216863244dee},
      {"soc_everything", 0x00caf52f60d18c39}, {"exact_fixed", 0x8d3c7ef55f5934f4},
      {"exact_everything", 0xc0b7faf4d95b9a27}, {"lin_fixed", 0xe0100fe9103d71be},
      {"lin_everything", 0x8a4c85d1496ecf55}};
  const GridNetwork net = test::case33bw_network();
  GridNetwork rated = net;
  for (int k : {0, 1, 5, 20}) rated.branches[k].rate_pu = 0.04;
  rated.gs[7] = 0.001;
  rated.bs[7] = 0.002;
  rated.bs[12] = 0.003;
  const char* dump_dir = std::getenv("EVSWEEP_MODEL_DUMP_DIR");
  for (const auto& [label, pb] : model_variants(net, rated)) {
    const std::string dump = test::dump_model(build_dispatch_model(pb));
    if (dump_dir) std::ofstream(std::string(dump_dir) + "/" + label + ".txt") << dump;
    const auto it = expected.find(label);
    EXPECT_TRUE(it != expected.end() && it->second == test::fnv1a_64(dump))
        << label << ": model hash 0x" << std::hex << test::fnv1a_64(dump) << std::dec << ", " << dump.size()
        << " bytes";
  }
}

namespace {

// Extensions as a study kind outside grid/ would write them (docs/dispatch.md).

// A load with a given profile (MW per period) at one bus: a variable fixed by its bounds.
class FixedProfileLoad : public ModelExtension {
 public:
  FixedProfileLoad(int bus, std::vector<double> p_mw) : bus_(bus), p_mw_(std::move(p_mw)) {}
  std::vector<int> add_to(DispatchModel& m) const override {
    const int b = m.bus_index(bus_, "fixed-profile load");
    std::vector<int> p_ids;  // [t]
    for (int t = 0; t < m.periods(); ++t) {
      const double p_pu = p_mw_[t] / m.base_mva();
      p_ids.push_back(m.qcqp().add_variable(p_pu, p_pu, p_pu, DispatchModel::indexed_name("P_fixed_load", t, bus_)));
      m.add_to_balance_p(t, b, p_ids.back(), -1);
    }
    return p_ids;
  }

 private:
  int bus_;
  std::vector<double> p_mw_;  // [t]
};

// A flexible load that must draw energy_mwh over the day, at most p_max_mw per period, and
// pays a usage fee per MWh besides the energy it buys.
class FlexibleLoad : public ModelExtension {
 public:
  FlexibleLoad(int bus, double p_max_mw, double energy_mwh, double fee_per_mwh)
      : bus_(bus), p_max_mw_(p_max_mw), energy_mwh_(energy_mwh), fee_per_mwh_(fee_per_mwh) {}
  std::vector<int> add_to(DispatchModel& m) const override {
    const int b = m.bus_index(bus_, "flexible load");
    const double base = m.base_mva(), dt = m.dt_h();
    std::vector<int> p_ids;  // [t]
    Expression energy;       // MWh
    for (int t = 0; t < m.periods(); ++t) {
      const int p = m.qcqp().add_variable(0, p_max_mw_ / base, 0, DispatchModel::indexed_name("P_flex", t, bus_));
      m.add_to_balance_p(t, b, p, -1);
      m.add_cost(p, fee_per_mwh_ * base * dt);
      energy.add(p, base * dt);
      p_ids.push_back(p);
    }
    m.qcqp().add_constraint(energy, energy_mwh_, energy_mwh_, DispatchModel::indexed_name("flex_energy", 0, bus_));
    return p_ids;
  }

 private:
  int bus_;
  double p_max_mw_, energy_mwh_, fee_per_mwh_;
};

}  // namespace

TEST(DispatchExtension, FixedProfileLoadEqualsAFixedEvStation) {
  const GridNetwork net = test::case33bw_network();
  const int bus = 10;
  std::vector<double> profile_mw;
  for (int t = 0; t < 24; ++t) profile_mw.push_back(0.04 + 0.01 * (t % 5));
  for (Formulation f : {Formulation::soc, Formulation::exact}) {
    DispatchProblem as_station = default_case(net, f);
    EvStationLoad station;
    station.bus = bus;
    station.p_mw = profile_mw;
    as_station.ev_stations.push_back(station);
    DispatchProblem as_extension = default_case(net, f);
    as_extension.extensions.push_back(std::make_shared<FixedProfileLoad>(bus, profile_mw));
    const DispatchResult a = solve_dispatch(as_station), b = solve_dispatch(as_extension);
    ASSERT_TRUE(a.status.ok() && b.status.ok()) << a.status.message << " / " << b.status.message;
    EXPECT_NEAR(b.objective, a.objective, 1e-8 * std::fabs(a.objective)) << to_string(f);
    EXPECT_NEAR(b.operating_cost, a.operating_cost, 1e-8 * std::fabs(a.operating_cost));
    for (int t = 0; t < as_station.periods; ++t)
      for (int i = 0; i < net.num_buses(); ++i) EXPECT_NEAR(b.vm_pu[t][i], a.vm_pu[t][i], 1e-8) << t << " " << i;
    EXPECT_NEAR(b.ac_max_dv_pu, a.ac_max_dv_pu, 1e-8);  // the AC check sees the extension's load
    ASSERT_EQ(b.extension_values.size(), 1u);
    ASSERT_EQ(b.extension_values[0].size(), profile_mw.size());
    for (size_t t = 0; t < profile_mw.size(); ++t)
      EXPECT_NEAR(b.extension_values[0][t] * net.base_mva, profile_mw[t], 1e-12);
  }
}

TEST(DispatchExtension, FlexibleLoadKeepsItsEnergyAndPaysItsFee) {
  const GridNetwork net = test::case33bw_network();
  DispatchProblem pb = default_case(net);
  const double p_max_mw = 0.3, energy_mwh = 2.0, fee_per_mwh = 40;
  pb.extensions.push_back(std::make_shared<FlexibleLoad>(12, p_max_mw, energy_mwh, fee_per_mwh));
  const DispatchResult r = solve_dispatch(pb);
  ASSERT_TRUE(r.status.ok()) << r.status.message;
  ASSERT_EQ(r.extension_values.size(), 1u);
  double drawn_mwh = 0, cheap_mwh = 0;
  for (int t = 0; t < pb.periods; ++t) {
    const double p_mw = r.extension_values[0][t] * net.base_mva;
    EXPECT_GE(p_mw, -1e-9);
    EXPECT_LE(p_mw, p_max_mw + 1e-9);
    drawn_mwh += p_mw * pb.dt_h;
    if (pb.tariff[t] == 300) cheap_mwh += p_mw * pb.dt_h;
  }
  EXPECT_NEAR(drawn_mwh, energy_mwh, 1e-7);
  EXPECT_GT(cheap_mwh, 0.99 * energy_mwh);  // it draws in the valley tariff
  EXPECT_LT(r.ac_max_dv_pu, 1e-4);          // the AC check includes the flexible load
  // The fee is part of the operating cost.
  DispatchProblem fee_free = pb;
  fee_free.extensions = {std::make_shared<FlexibleLoad>(12, p_max_mw, energy_mwh, 0.0)};
  const DispatchResult free = solve_dispatch(fee_free);
  ASSERT_TRUE(free.status.ok());
  EXPECT_NEAR(r.operating_cost - free.operating_cost, fee_per_mwh * energy_mwh, 1e-5 * r.operating_cost);
}

TEST(DispatchExtension, BalanceTermsAfterTheBalancesAreClosedAreRefused) {
  const GridNetwork net = test::case33bw_network();
  const DispatchProblem pb = bare_case(net);
  DispatchModel m(pb);  // keeps a reference to pb
  compose_dispatch_model(m);
  EXPECT_TRUE(m.balances_closed());
  EXPECT_THROW(m.add_to_balance_p(0, 1, m.network.v[0][1], 1), std::logic_error);
}
