#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>

#include "config/study.hpp"
#include "kinds/registry.hpp"
#include "kinds/sue_dispatch/metrics.hpp"
#include "kinds/sue_dispatch/scenario.hpp"
#include "test_support.hpp"

using namespace evs;
using namespace evs::kinds::sue_dispatch;

namespace {
const PreparedStudy& default_study() {
  static const PreparedStudy p = prepare(kinds::load_study(test::source_path("configs/default.yaml")));
  return p;
}
}  // namespace

TEST(Scenario, DefaultBaseCaseRunsEveryStage) {
  ScenarioOptions keep;
  keep.keep_head_load = keep.keep_station_load = keep.keep_bus_voltage = true;
  const ScenarioResult r = run_scenario(default_study(), 0, {}, keep);
  ASSERT_TRUE(r.status.ok()) << r.failed_stage << ": " << r.status.message;
  EXPECT_LE(r.traffic_gap, 1e-8);
  EXPECT_GT(r.ev_energy_mwh, 0);
  EXPECT_LE(r.max_relaxation_gap, 1e-6);
  EXPECT_LE(r.ac_max_dv_pu, 1e-4);
  EXPECT_EQ(r.ac_violations, 0);
  EXPECT_GE(r.vmin_pu, 0.95 - 1e-7);
  EXPECT_LE(r.vmax_pu, 1.05 + 1e-7);
  ASSERT_EQ(r.head_mw.size(), 24u);
  ASSERT_EQ(r.station_mw.size(), 3u);
  EXPECT_NEAR(r.head_peak_valley_mw, *std::max_element(r.head_mw.begin(), r.head_mw.end()) -
                                         *std::min_element(r.head_mw.begin(), r.head_mw.end()), 1e-12);
}

TEST(Scenario, SameIdSameResultsBitForBit) {
  const ScenarioParameters p = {{"ev_penetration", 0.15}, {"pv_scale", 1.1}};
  const ScenarioResult a = run_scenario(default_study(), 7, p), b = run_scenario(default_study(), 7, p);
  ASSERT_TRUE(a.status.ok());
  EXPECT_EQ(std::memcmp(&a.cost, &b.cost, sizeof(double)), 0);
  EXPECT_EQ(a.ev_energy_mwh, b.ev_energy_mwh);
  EXPECT_EQ(a.vmin_pu, b.vmin_pu);
  const ScenarioResult c = run_scenario(default_study(), 8, p);
  EXPECT_NE(a.ev_energy_mwh, c.ev_energy_mwh);  // another id draws other EV trips
}

TEST(Scenario, ParametersActOnTheModel) {
  const ScenarioResult none = run_scenario(default_study(), 1, {{"ev_penetration", 0.0}});
  const ScenarioResult many = run_scenario(default_study(), 1, {{"ev_penetration", 0.2}});
  ASSERT_TRUE(none.status.ok() && many.status.ok());
  EXPECT_EQ(none.ev_energy_mwh, 0.0);
  EXPECT_GT(many.ev_energy_mwh, 0.0);
  EXPECT_GT(many.cost, none.cost);
  const ScenarioResult sunny = run_scenario(default_study(), 1, {{"ev_penetration", 0.0}, {"pv_scale", 2.0}});
  ASSERT_TRUE(sunny.status.ok());
  EXPECT_LT(sunny.cost, none.cost);
}

TEST(Scenario, InfeasibleScenarioIsAStatusNotAnException) {
  const ScenarioResult r = run_scenario(default_study(), 2, {{"load_scale", 1.6}});
  EXPECT_FALSE(r.status.ok());
  EXPECT_EQ(r.failed_stage, "dispatch");
  EXPECT_EQ(r.status.code, StatusCode::infeasible) << r.status.message;
  EXPECT_GT(r.traffic_iterations, 0);  // the stages before it ran and kept their metrics
}

TEST(Scenario, AScenarioThatCannotHoldVminIsInfeasibleButKeepsItsDispatch) {
  // 50 % EVs overload the feeder end: the soft floor measures how far short it falls.
  const ScenarioResult r = run_scenario(default_study(), 3, {{"ev_penetration", 0.5}});
  EXPECT_EQ(r.status.code, StatusCode::infeasible) << r.status.message;
  EXPECT_EQ(r.failed_stage, "dispatch");
  EXPECT_GT(r.voltage_shortfall_pu, 1e-3);
  EXPECT_NEAR(r.vmin_pu, 0.95 - r.voltage_shortfall_pu, 1e-9);
  EXPECT_GT(r.cost, 0);
  EXPECT_LT(r.dispatch_iterations, 200);  // the hard floor needs ~900 to prove infeasibility
}

TEST(Scenario, FeasibleScenarioIsTheSameWithSoftAndHardFloor) {
  PreparedStudy hard = default_study();
  hard.options.dispatch.voltage_shortfall_cost = 0;
  const ScenarioResult a = run_scenario(default_study(), 1, {}), b = run_scenario(hard, 1, {});
  ASSERT_TRUE(a.status.ok() && b.status.ok());
  EXPECT_NEAR(a.cost, b.cost, 1e-6 * b.cost);
  EXPECT_EQ(a.voltage_shortfall_pu, 0);
}

TEST(Scenario, StagesChosenByTheStudy) {
  PreparedStudy traffic_only = default_study();
  traffic_only.stages = {"traffic"};
  const ScenarioResult t = run_scenario(traffic_only, 1, {});
  ASSERT_TRUE(t.status.ok());
  EXPECT_GT(t.ev_energy_mwh, 0);
  EXPECT_TRUE(std::isnan(t.cost));  // not run, not zero
  PreparedStudy grid_only = default_study();
  grid_only.stages = {"dispatch"};
  const ScenarioResult g = run_scenario(grid_only, 1, {});
  ASSERT_TRUE(g.status.ok()) << g.status.message;
  EXPECT_TRUE(std::isnan(g.ev_energy_mwh));
  const ScenarioResult both = run_scenario(default_study(), 1, {});
  EXPECT_LT(g.cost, both.cost);  // no EV load to serve
}

TEST(Scenario, TimeLimitEndsTheScenarioWithStatusTimeout) {
  ScenarioOptions o;
  o.time_limit_s = 0.02;  // the dispatch alone takes ~0.3 s
  const ScenarioResult r = run_scenario(default_study(), 1, {}, o);
  EXPECT_EQ(r.status.code, StatusCode::timeout) << r.status.message;
  EXPECT_LT(r.total_s, 0.3);
}

TEST(Metrics, EveryMetricIsDocumentedInTheResultsSchema) {
  std::ifstream in(test::source_path("docs/results-schema.md"));
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const auto* table : {&scenario_metrics(), &scenario_timings()})
    for (const auto& m : *table)
      EXPECT_NE(doc.find("| `" + m.name + "` | " + m.unit + " | " + m.meaning + " |"), std::string::npos)
          << m.name << ": docs/results-schema.md is stale; run scripts/update-config-reference.sh";
}
