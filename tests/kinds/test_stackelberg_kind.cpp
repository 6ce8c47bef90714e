// The stackelberg kind through the registry: bad input with file:line and key, and a fixed-
// price scenario through solve() with its metrics.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "config/study_definition.hpp"
#include "kinds/registry.hpp"

using namespace evs;

namespace {

std::string base_text() {
  std::ifstream in(EVSWEEP_SOURCE_DIR "/configs/stackelberg_fixed_no_residual.yaml");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string errors_of(const std::string& text) {
  try {
    const config::Study s = kinds::parse_study(text, "s.yaml", EVSWEEP_SOURCE_DIR "/configs");
    kinds::prepare_study(s);
  } catch (const config::ConfigError& e) {
    std::string all;
    for (const auto& m : e.errors()) all += m + "\n";
    return all;
  }
  return "";
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

}  // namespace

TEST(StackelbergKind, ShippedConfigsAreValid) {
  for (const char* c : {"stackelberg", "stackelberg_fixed", "stackelberg_no_residual", "stackelberg_fixed_no_residual"}) {
    std::ifstream in(std::string(EVSWEEP_SOURCE_DIR "/configs/") + c + ".yaml");
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_EQ(errors_of(ss.str()), "") << c;
  }
}

TEST(StackelbergKind, BadInputNamesFileLineAndKey) {
  const std::string t = base_text();
  const std::string reversed = errors_of(replaced(replaced(t, "  lower: 0.8", "  lower: 3"), "  upper: 2.5", "  upper: 2"));
  EXPECT_NE(reversed.find("s.yaml:"), std::string::npos) << reversed;
  EXPECT_NE(reversed.find("pricing.lower"), std::string::npos) << reversed;
  EXPECT_NE(reversed.find("reversed"), std::string::npos) << reversed;
  const std::string xi = errors_of(replaced(t, "  xi: 0\n", "  xi: 1.5\n"));
  EXPECT_NE(xi.find("traffic.xi"), std::string::npos) << xi;
  const std::string prob = errors_of(replaced(t, "  scenarios: 10\n", "  scenarios: 2\n  probabilities: [0.3, 0.6]\n"));
  EXPECT_NE(prob.find("wind.probabilities"), std::string::npos) << prob;
  EXPECT_NE(prob.find("sum to 0.9"), std::string::npos) << prob;
  const std::string far = errors_of(replaced(t, "  range_km: 100", "  range_km: 0.5"));
  EXPECT_NE(far.find("unreachable from every origin"), std::string::npos) << far;
  EXPECT_NE(far.find("stations["), std::string::npos) << far;
}

TEST(StackelbergKind, FixedPriceScenarioThroughSolve) {
  std::string t = base_text();
  t = replaced(t, "  periods: 24", "  periods: 2");
  // Two periods: cut every profile to its first two values.
  for (const char* key : {"base_load: [", "trips: [", "tariff: [", "wind: ["}) {
    const auto at = t.find(key);
    ASSERT_NE(at, std::string::npos);
    const auto open = at + std::strlen(key), close = t.find(']', open);
    const std::string inside = t.substr(open, close - open);
    const auto c1 = inside.find(','), c2 = inside.find(',', c1 + 1);
    t.replace(open, close - open, inside.substr(0, c2));
  }
  t = replaced(t, "  scenarios: 10", "  scenarios: 3");
  t = replaced(t, "  mode: fixed\n", "  mode: fixed\n  baseline: swarm\n  swarm_particles: 3\n  swarm_iterations: 2\n");
  const config::Study s = kinds::parse_study(t, "s.yaml", EVSWEEP_SOURCE_DIR "/configs");
  const kinds::PreparedStudy p = kinds::prepare_study(s);
  kinds::Scenario sc;
  sc.id = 1;
  sc.draw_key = 1;
  const kinds::Outcome o = p.kind->solve(s, *p.data, sc, {});
  ASSERT_TRUE(o.status.ok() || o.status.code == StatusCode::not_converged) << o.status.message;
  const double profit = kinds::metric_value(*p.kind, o, "station_profit");
  EXPECT_TRUE(std::isfinite(profit));
  EXPECT_NEAR(kinds::metric_value(*p.kind, o, "mean_charging_price"), 1.2, 1e-12);
  EXPECT_LE(kinds::metric_value(*p.kind, o, "worst_ue_gap"), 1e-8);
  EXPECT_GT(kinds::metric_value(*p.kind, o, "operator_expected_cost"), 0);
  // The baseline ran: 3 particles x (1 + 2) evaluations x 2 periods.
  EXPECT_TRUE(std::isfinite(kinds::metric_value(*p.kind, o, "station_profit_baseline")));
  EXPECT_EQ(kinds::metric_value(*p.kind, o, "lower_level_solves_baseline"), 18);
  // Same draw key, same result; a bad sweep value is a status, not an exception.
  const kinds::Outcome again = p.kind->solve(s, *p.data, sc, {});
  EXPECT_EQ(kinds::metric_value(*p.kind, again, "operator_expected_cost"),
            kinds::metric_value(*p.kind, o, "operator_expected_cost"));
  sc.values = {{"no_such_parameter", 1}};
  EXPECT_EQ(p.kind->solve(s, *p.data, sc, {}).status.code, StatusCode::invalid_input);
}
