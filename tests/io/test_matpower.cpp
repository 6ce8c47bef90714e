#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "data/grid_network.hpp"
#include "io/matpower.hpp"
#include "test_support.hpp"

using namespace evs;
using evs::test::source_path;

TEST(Matpower, ReadsCase33bwAndAppliesItsConversions) {
  const GridCase c = read_matpower_case(source_path("data/grid/case33bw.m"));
  EXPECT_EQ(c.name, "case33bw");
  EXPECT_DOUBLE_EQ(c.base_mva, 10.0);
  ASSERT_EQ(c.buses.size(), 33u);
  ASSERT_EQ(c.branches.size(), 37u);
  ASSERT_EQ(c.gens.size(), 1u);
  ASSERT_EQ(c.gencosts.size(), 1u);
  EXPECT_EQ(c.gencosts[0].coefficients, (std::vector<double>{0, 20, 0}));
  // kW -> MW
  EXPECT_DOUBLE_EQ(c.buses[1].pd_mw, 0.1);
  EXPECT_DOUBLE_EQ(c.buses[29].qd_mvar, 0.6);
  // ohm -> pu with Zbase = 12.66^2 / 10
  EXPECT_NEAR(c.branches[0].r_pu, 0.0922 / (12.66 * 12.66 / 10), 1e-15);
  EXPECT_EQ(c.conversions.size(), 2u);
  EXPECT_EQ(c.buses[17].line, 39);  // bus 18 is on line 39 of the file
  int out_of_service = 0;
  for (const auto& b : c.branches) out_of_service += !b.in_service;
  EXPECT_EQ(out_of_service, 5);
}

TEST(Matpower, ReadsCaseWithoutConversionsAndWithTaps) {
  const GridCase c = read_matpower_case(source_path("data/grid/case_ieee34.m"));
  EXPECT_TRUE(c.conversions.empty());
  EXPECT_EQ(c.buses.size(), 34u);
  int taps = 0;
  for (const auto& b : c.branches) taps += b.tap_ratio != 0 && b.tap_ratio != 1;
  EXPECT_EQ(taps, 2);
  EXPECT_DOUBLE_EQ(c.buses[0].vm_pu, 1.05);
}

TEST(Matpower, ReadsCase34sa) {
  const GridCase c = read_matpower_case(source_path("data/grid/case34sa.m"));
  EXPECT_EQ(c.buses.size(), 34u);
  EXPECT_EQ(c.branches.size(), 33u);
  double load = 0;
  for (const auto& b : c.buses) load += b.pd_mw;
  // Sum of the Pd column. (The shared README's 2873.8 kW is a typo: its own substation
  // injection minus losses, 3090.510 - 217.010, is 2873.500 kW.)
  EXPECT_NEAR(load, 2.8735, 1e-9);
}

// The MATLAB variants other distribution feeders use: numeric column lists, a power-factor
// conversion through a variable, block comments, continuations, commas, Inf, cell arrays.
TEST(Matpower, UnderstandsOtherConversionIdioms) {
  const std::string text = R"(function mpc = variant
%{
  a block comment with mpc.bus = [ that must be ignored
%}
mpc.version = '2';
mpc.baseMVA = 1;
mpc.bus = [
  1, 3, 0, 0, 0, 0, 1, 1, 0, 11, 1, 1.1, 0.9;
  2  1  100 0  0  0  1  1  0  11  1  1.1  0.9   % kVA, converted below
  3	1	50	0	0	0	1	1	0	11	1	1.1	0.9;
];
mpc.gen = [ 1 0 0 Inf -Inf 1 100 1 10 0 ];
mpc.branch = [
  1 2 1.21 2.42 0 0 0 0 0 0 1 -360 360;
  2 3 1.21 2.42 0 0 0 0 0 0 1 ...
      -360 360;
];
mpc.bus_name = { 'sub'; 'a'; 'b' };
pf = 0.8;
mpc.bus(:, QD) = mpc.bus(:, PD) * sin(acos(pf));
mpc.bus(:, PD) = mpc.bus(:, PD) * pf;
mpc.bus(:, [3, 4]) = mpc.bus(:, [3, 4]) / 1e3;
Zb = (mpc.bus(1, BASE_KV))^2 / mpc.baseMVA;
mpc.branch(:, [BR_R, BR_X]) = mpc.branch(:, [BR_R, BR_X]) ./ Zb;
mpc.gen(1, [4 5]) = [5 -5];
)";
  // The last statement assigns a matrix literal: not supported, must be an error naming the line.
  try {
    parse_matpower_case(text, "variant.m");
    FAIL() << "matrix literal on the right of an indexed assignment should be rejected";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().line, 25) << e.what();
  }
  const std::string ok = text.substr(0, text.find("mpc.gen(1, [4 5])"));
  const GridCase c = parse_matpower_case(ok, "variant.m");
  ASSERT_EQ(c.buses.size(), 3u);
  EXPECT_NEAR(c.buses[1].pd_mw, 0.08, 1e-15);
  EXPECT_NEAR(c.buses[1].qd_mvar, 0.06, 1e-15);
  EXPECT_NEAR(c.buses[2].pd_mw, 0.04, 1e-15);
  EXPECT_NEAR(c.branches[1].r_pu, 0.01, 1e-15);
  EXPECT_NEAR(c.branches[1].x_pu, 0.02, 1e-15);
  EXPECT_EQ(c.branches[1].line, 15);  // a continued row keeps its first line
  EXPECT_TRUE(std::isinf(c.gens[0].qmax_mvar));
  EXPECT_EQ(c.conversions.size(), 4u);
  EXPECT_NO_THROW(build_grid_network(c));
}

TEST(Matpower, ValidatedNetworkIsRadialWithTiesOpen) {
  const GridNetwork net = build_grid_network(read_matpower_case(source_path("data/grid/case33bw.m")));
  EXPECT_EQ(net.num_buses(), 33);
  EXPECT_EQ(net.num_branches(), 32);
  EXPECT_TRUE(net.tree.is_radial);
  EXPECT_EQ(net.bus_id[net.slack], 1);
  EXPECT_EQ(net.tree.parent[net.index_of(18)], net.index_of(17));
  EXPECT_NEAR(net.pd[net.index_of(2)], 0.01, 1e-15);  // 100 kW on a 10 MVA base
}
