// The operator LP against an independent formulation of the same reduced case in
// tests/kinds/stackelberg_operator_ref.py (scipy linprog / HiGHS): optimal expected cost and
// every bus's expected nodal price.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "io/matpower.hpp"
#include "kinds/stackelberg/operator_lp.hpp"

using namespace evs;
using namespace evs::kinds::stackelberg;

namespace {

// The python script's feeder: buses 1..5 (MATPOWER numbers) = its 0..4, base 10 MVA.
const char* kCase = R"(function mpc = ref5
mpc.version = '2';
mpc.baseMVA = 10;
mpc.bus = [
  1 3 0   0   0 0 1 1 0 12.66 1 1.05 0.95;
  2 1 1.0 0.5 0 0 1 1 0 12.66 1 1.05 0.95;
  3 1 0.8 0.3 0 0 1 1 0 12.66 1 1.05 0.95;
  4 1 1.2 0.6 0 0 1 1 0 12.66 1 1.05 0.95;
  5 1 0.6 0.2 0 0 1 1 0 12.66 1 1.05 0.95;
];
mpc.gen = [ 1 0 0 10 -10 1 10 1 10 0 0 0 0 0 0 0 0 0 0 0 0; ];
mpc.branch = [
  1 2 0.02 0.04 0 0 0 0 0 0 1 -360 360;
  2 3 0.03 0.05 0 0 0 0 0 0 1 -360 360;
  3 4 0.04 0.06 0 0 0 0 0 0 1 -360 360;
  2 5 0.05 0.05 0 0 0 0 0 0 1 -360 360;
];
)";

std::vector<double> numbers_after(const std::string& text, const std::string& key) {
  std::vector<double> v;
  auto at = text.find(key);
  if (at == std::string::npos) return v;
  const char* p = text.c_str() + at + key.size();
  while (*p == ' ' || *p == ':' || *p == '[') ++p;
  while (*p && *p != ']' && *p != '}') {
    char* end = nullptr;
    v.push_back(std::strtod(p, &end));
    if (end == p) break;
    p = end;
    while (*p == ',' || *p == ' ') ++p;
  }
  return v;
}

}  // namespace

TEST(StackelbergReference, OperatorLpMatchesScipyLinprog) {
  FILE* pipe = popen("/usr/bin/python3 " EVSWEEP_SOURCE_DIR "/tests/kinds/stackelberg_operator_ref.py", "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buf[4096];
  while (fgets(buf, sizeof buf, pipe)) out += buf;
  ASSERT_EQ(pclose(pipe), 0) << out;
  const double ref_cost = numbers_after(out, "\"cost\"").at(0);
  const std::vector<double> ref_lmp = numbers_after(out, "\"lmp\"");
  ASSERT_EQ(ref_lmp.size(), 5u) << out;

  const GridCase gc = parse_matpower_case(kCase, "ref5.m");  // loads in MW, MVAr
  const GridNetwork g = build_grid_network(gc);
  OperatorSpec s;
  s.grid = &g;
  s.periods = 1;
  s.load_scale = {1};
  s.tariff = {80};
  s.curtailment_cost = 25;
  s.shedding_cost = 3000;
  s.line_mva = 5.5;
  s.polygon_sides = 12;
  s.vmin_pu = 0.95;
  s.vmax_pu = 1.05;
  s.wind_bus = {g.index_of(4)};
  s.probability = {0.4, 0.6};
  s.wind_max_mw = {{{0.4}}, {{2.0}}};
  s.station_bus = {g.index_of(4), g.index_of(5)};
  s.station_tan_phi = 0.2;
  OperatorLp op(s);
  const OperatorResult r = op.solve({{1.5}, {0.7}});
  ASSERT_TRUE(r.status.ok()) << r.status.message;
  EXPECT_NEAR(r.expected_cost, ref_cost, 1e-6 * std::abs(ref_cost));
  for (int b = 0; b < 5; ++b) EXPECT_NEAR(r.lmp[0][g.index_of(b + 1)], ref_lmp[b], 1e-6 * std::max(1.0, std::abs(ref_lmp[b]))) << b;
  std::printf("reference: cost %.6f vs %.6f; lmp at bus 4 %.4f vs %.4f\n", r.expected_cost, ref_cost,
              r.lmp[0][g.index_of(4)], ref_lmp[3]);
}
