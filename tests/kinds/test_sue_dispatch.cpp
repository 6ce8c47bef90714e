#include <gtest/gtest.h>

#include <algorithm>
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

// ---- every schedule on request (output.series, and all of them in `solve --json`) ----

#include "core/columns.hpp"
#include "kinds/registry.hpp"

TEST(Series, EveryScheduleOfTheDispatchHasItsShapeAndClosesItsBalances) {
  const kinds::PreparedStudy ps = kinds::prepare_study(kinds::load_study(test::source_path("configs/default.yaml")));
  const kinds::StudyKind& kind = *ps.kind;
  kinds::RunOptions all;
  for (const auto& s : kind.series()) all.keep_series.push_back(s.name);
  const kinds::Outcome o = kind.solve(ps.study, *ps.data, {1, 1, {}}, all);
  ASSERT_TRUE(o.status.ok()) << o.status.message;
  const auto dims = kind.dimensions(ps.study, *ps.data);
  auto series = [&](const std::string& name) -> const std::vector<double>& {
    for (std::size_t k = 0; k < kind.series().size(); ++k)
      if (kind.series()[k].name == name) {
        EXPECT_EQ(o.series[k].size(), series_size(kind.series()[k], dims)) << name;
        return o.series[k];
      }
    ADD_FAILURE() << name;
    return o.series[0];
  };
  const auto& opt = static_cast<const PreparedStudy&>(*ps.data).options;
  const int T = opt.profiles.periods;
  // Substation import = the feeder-head series.
  const auto& sub = series("substation");
  const auto& head = series("head_load");
  for (int t = 0; t < T; ++t) EXPECT_EQ(sub[t], head[t]);
  // Storage: E_t = E_{t-1} + (eta_c charge - discharge / eta_d) dt, from the series alone.
  const auto& st = series("storage");
  ASSERT_EQ(opt.resources.storage.size(), 1u);
  const auto& unit = opt.resources.storage[0];
  double e_prev = unit.soc_initial * unit.energy_mwh;
  for (int t = 0; t < T; ++t) {
    const double ch = st[t], dis = st[T + t], e = st[2 * T + t];
    EXPECT_NEAR(e, e_prev + (unit.eta_charge * ch - dis / unit.eta_discharge) * opt.profiles.dt_h, 1e-8) << t;
    e_prev = e;
  }
  // Renewables: used + curtailed = available (capacity x availability), per unit and period.
  const auto& ren = series("renewables");
  ASSERT_EQ(opt.resources.pv.size() + opt.resources.wind.size(), 2u);
  for (int t = 0; t < T; ++t) {
    EXPECT_NEAR(ren[t] + ren[T + t], opt.resources.pv[0].capacity_mw * opt.profiles.pv[t], 1e-9) << t;
    EXPECT_NEAR(ren[3 * T + t] + ren[4 * T + t], opt.resources.wind[0].capacity_mw * opt.profiles.wind[t], 1e-9) << t;
  }
  // Demand response is energy-neutral over the day.
  const auto& dr = series("demand_response");
  double out = 0, in = 0;
  for (std::size_t u = 0; u < opt.resources.demand_response.size(); ++u)
    for (int t = 0; t < T; ++t) out += dr[(2 * u) * T + t], in += dr[(2 * u + 1) * T + t];
  EXPECT_NEAR(out, in, 1e-7);
  // Branch flows at the root: the substation's import leaves through its branches.
  const auto& br = series("branch_flow");
  const std::size_t nb = ps.kind->dimensions(ps.study, *ps.data)[7].size;
  double root = 0;
  for (std::size_t k = 0; k < nb; ++k)
    if (ps.kind->dimensions(ps.study, *ps.data)[7].text_labels[k].rfind("1-", 0) == 0) root += br[k * 3];
  EXPECT_NEAR(root, sub[0], 1e-8);
  // Prices are finite and positive where the study buys energy.
  const auto& lmp = series("lmp");
  for (double p : lmp) EXPECT_TRUE(std::isfinite(p));
  // Not asked for: not produced.
  const kinds::Outcome few = kind.solve(ps.study, *ps.data, {1, 1, {}}, {});
  for (const auto& s : few.series) EXPECT_TRUE(s.empty());
  EXPECT_EQ(few.metrics, o.metrics);
}

TEST(ObjectiveTerms, TheirSumIsTheObjectiveAndTheFloorPenaltyExplainsAnInfeasibleScenario) {
  const auto terms = [](const ScenarioResult& r) {
    return r.objective_purchase + r.objective_turbine_fuel + r.objective_demand_response + r.objective_curtailment +
           r.objective_voltage_floor + r.objective_line_overload + r.objective_losses + r.objective_voltage_deviation +
           r.objective_load_variance + r.objective_peak_valley;
  };
  PreparedStudy weighted = default_study();
  weighted.options.dispatch.weight_loss = 300;
  weighted.options.dispatch.weight_voltage_deviation = 50;
  weighted.options.dispatch.weight_load_variance = 20;
  weighted.options.dispatch.weight_peak_valley = 100;
  weighted.options.resources.pv[0].curtailment_cost = 80;
  for (const PreparedStudy* ps : {&default_study(), static_cast<const PreparedStudy*>(&weighted)}) {
    const ScenarioResult r = run_scenario(*ps, 1, {});
    ASSERT_TRUE(r.status.ok()) << r.status.message;
    EXPECT_NEAR(terms(r), r.objective, 1e-9 * std::fabs(r.objective));
    EXPECT_GT(r.objective_purchase, 0);
    EXPECT_NEAR(r.objective_purchase + r.objective_turbine_fuel + r.objective_demand_response +
                    r.objective_curtailment,
                r.cost, 1e-9 * r.cost);  // weight_cost 1: the cost terms are the operating cost
  }
  const ScenarioResult w = run_scenario(weighted, 1, {});
  EXPECT_GT(w.objective_losses, 0);
  EXPECT_GT(w.objective_voltage_deviation, 0);
  EXPECT_GT(w.objective_load_variance, 0);
  EXPECT_GT(w.objective_peak_valley, 0);
  // An infeasible scenario: the soft floor's penalty is the gap between objective and cost.
  const ScenarioResult bad = run_scenario(default_study(), 3, {{"ev_penetration", 0.5}});
  ASSERT_EQ(bad.status.code, StatusCode::infeasible);
  EXPECT_GT(bad.objective_voltage_floor, 0);
  EXPECT_GT(bad.objective_line_overload, 0);  // station CS2's lateral overloads too
  EXPECT_GT(bad.max_line_loading, 1.0001);
  EXPECT_NEAR(bad.objective - bad.objective_voltage_floor - bad.objective_line_overload, bad.cost,
              1e-9 * bad.objective);
}

TEST(Export, ForbidAndPriceRulesActOnReverseFlow) {
  // Six times the PV and wind capacity and no EVs: the feeder exports around noon.
  const ScenarioParameters sunny = {{"pv_scale", 6.0}, {"wind_scale", 6.0}, {"ev_penetration", 0.0}};
  auto solve = [&](const std::string& rule, double price_share) {
    PreparedStudy ps = default_study();
    for (auto& br : ps.grid.branches) br.rate_pu = 0;  // the export rule, not the ratings, is tested here
    ps.options.grid.export_rule = rule;
    ps.options.profiles.export_price.clear();
    for (double t : ps.options.profiles.tariff) ps.options.profiles.export_price.push_back(price_share * t);
    ScenarioOptions keep;
    keep.keep_head_load = true;
    return run_scenario(ps, 1, sunny, keep);
  };
  const ScenarioResult credit = solve("credit", 0), forbid = solve("forbid", 0), free = solve("price", 0),
                       at_tariff = solve("price", 1);
  for (const auto* r : {&credit, &forbid, &free, &at_tariff}) ASSERT_TRUE(r->status.ok()) << r->status.message;
  EXPECT_LT(*std::min_element(credit.head_mw.begin(), credit.head_mw.end()), -0.1);  // it does export
  EXPECT_GE(*std::min_element(forbid.head_mw.begin(), forbid.head_mw.end()), -1e-7);  // never with forbid
  EXPECT_GT(free.cost, credit.cost + 1);          // export earns nothing at price 0
  EXPECT_LE(free.cost, forbid.cost + 1e-6 * forbid.cost);  // but may still happen
  EXPECT_NEAR(at_tariff.cost, credit.cost, 1e-6 * std::fabs(credit.cost));  // price = tariff is the credit rule
}

TEST(Series, AStationsPowerFactorDrawsReactivePowerSeenByTheAcCheck) {
  // Fixed and coordinated charging at power factor 0.9: the substation supplies about
  // tan(acos 0.9) = 0.484 MVAr more per MW of charging, and the AC check still agrees.
  for (const char* charging : {"fixed", "coordinated"}) {
    SCOPED_TRACE(charging);
    PreparedStudy unity = default_study(), lagging = default_study();
    unity.options.dispatch.ev_charging = lagging.options.dispatch.ev_charging = charging;
    for (auto& s : lagging.options.stations) s.power_factor = 0.9;
    ScenarioOptions keep;
    keep.keep_dispatch = keep.keep_station_load = true;
    const ScenarioResult a = run_scenario(unity, 1, {}, keep), b = run_scenario(lagging, 1, {}, keep);
    ASSERT_TRUE(a.status.ok() && b.status.ok()) << a.status.message << b.status.message;
    double extra_q = 0, station_p = 0;
    for (std::size_t t = 0; t < a.dispatch->head_mvar.size(); ++t) {
      extra_q += b.dispatch->head_mvar[t] - a.dispatch->head_mvar[t];
      for (const auto& st : b.station_mw) station_p += st[t];
    }
    const double tan_phi = std::sqrt(1 - 0.81) / 0.9;
    EXPECT_GT(extra_q, 0.9 * tan_phi * station_p);  // at least the stations' own Q (plus more losses)
    EXPECT_LT(extra_q, 1.3 * tan_phi * station_p);
    EXPECT_LT(b.ac_max_dv_pu, 1e-4);  // the AC power flow sees the same Q
    EXPECT_LE(b.vmin_pu, a.vmin_pu + 1e-9);  // reactive load lowers the voltages (or they sit at the floor)
  }
}

TEST(Series, EveryBusBalanceClosesFromTheSeriesAlone) {
  // Per bus and period: inflow from the parent branch less its losses + device injections +
  // the substation (at the root) = the bus's fixed load + the flows into its child branches.
  const kinds::PreparedStudy ps = kinds::prepare_study(kinds::load_study(test::source_path("configs/default.yaml")));
  const kinds::StudyKind& kind = *ps.kind;
  kinds::RunOptions all;
  for (const auto& s : kind.series()) all.keep_series.push_back(s.name);
  const kinds::Outcome o = kind.solve(ps.study, *ps.data, {2, 2, {{"ev_penetration", 0.1}}}, all);
  ASSERT_TRUE(o.status.ok()) << o.status.message;
  const auto dims = kind.dimensions(ps.study, *ps.data);
  auto dim = [&](const std::string& name) -> const Dimension& {
    for (const auto& d : dims)
      if (d.name == name) return d;
    throw std::runtime_error(name);
  };
  auto series = [&](const std::string& name) -> const std::vector<double>& {
    for (std::size_t k = 0; k < kind.series().size(); ++k)
      if (kind.series()[k].name == name) return o.series[k];
    throw std::runtime_error(name);
  };
  const auto& bus_ids = dim("bus").int_labels;
  const std::size_t T = dim("period").size, B = bus_ids.size(), K = dim("branch").size;
  auto bus_of = [&](int id) { return static_cast<std::size_t>(std::find(bus_ids.begin(), bus_ids.end(), id) - bus_ids.begin()); };
  auto at_bus = [&](const std::string& label) { return bus_of(std::stoi(label.substr(label.rfind(' ') + 1))); };
  std::vector<double> residual(T * B, 0.0);  // [t][bus] injections - withdrawals
  const auto& load = series("bus_load");
  for (std::size_t t = 0; t < T; ++t)
    for (std::size_t i = 0; i < B; ++i) residual[t * B + i] -= load[(t * B + i) * 2];
  const auto& br = series("branch_flow");
  for (std::size_t k = 0; k < K; ++k) {
    const std::string& label = dim("branch").text_labels[k];  // "from-to", from the parent side
    const std::size_t from = bus_of(std::stoi(label)), to = bus_of(std::stoi(label.substr(label.find('-') + 1)));
    for (std::size_t t = 0; t < T; ++t) {
      const double p = br[(t * K + k) * 4], loss = br[(t * K + k) * 4 + 3];
      residual[t * B + from] -= p;
      residual[t * B + to] += p - loss;
    }
  }
  const auto& sub = series("substation");
  for (std::size_t t = 0; t < T; ++t) residual[t * B + bus_of(1)] += sub[t];
  auto add_units = [&](const std::string& name, const std::string& dim_name, std::size_t quantities,
                       const std::vector<std::pair<std::size_t, double>>& terms) {
    const auto& v = series(name);
    const auto& units = dim(dim_name).text_labels;
    for (std::size_t u = 0; u < units.size(); ++u)
      for (std::size_t t = 0; t < T; ++t)
        for (const auto& [q, sign] : terms) residual[t * B + at_bus(units[u])] += sign * v[(u * quantities + q) * T + t];
  };
  add_units("gas_turbine", "turbine", 2, {{0, 1.0}});
  add_units("storage", "storage", 3, {{1, 1.0}, {0, -1.0}});
  add_units("renewables", "renewable", 3, {{0, 1.0}});
  add_units("demand_response", "dr_unit", 2, {{0, 1.0}, {1, -1.0}});
  double worst = 0;
  for (double r : residual) worst = std::max(worst, std::fabs(r));
  EXPECT_LT(worst, 1e-8) << "MW";
}

// Issue 16: the trip table estimated from link counts at plan time, drawn around the estimate.
TEST(OdEstimation, StudyEstimatesOneTablePerPeriodAndDrawsAroundIt) {
  const PreparedStudy p = prepare(kinds::load_study(test::source_path("configs/default_od_estimated.yaml")));
  ASSERT_EQ(p.period_demand.size(), 24u);
  ASSERT_EQ(p.period_std_error.size(), 24u);
  ASSERT_EQ(p.trips.entries.size(), 4u);  // Nguyen-Dupuis' four connected zone pairs
  // The counts came from the published table x the default profile (peak hour 8: 2000 veh/h)
  // with every third link observed: the estimate finds the profile's shape.
  double off_peak = 0, peak = 0;
  for (double v : p.period_demand[3]) off_peak += v;
  for (double v : p.period_demand[7]) peak += v;
  EXPECT_NEAR(off_peak, 0.05 * 2000, 0.1 * 0.05 * 2000);
  EXPECT_NEAR(peak, 2000, 0.12 * 2000);
  for (double se : p.period_std_error[7]) EXPECT_TRUE(std::isfinite(se) && se > 0);
  EXPECT_NE(p.od_estimate_summary.find("period 24"), std::string::npos);
  const ScenarioResult base = run_scenario(p, 3, {{"od_error_scale", 0.0}});
  const ScenarioResult again = run_scenario(p, 3, {{"od_error_scale", 0.0}});
  const ScenarioResult drawn = run_scenario(p, 3, {{"od_error_scale", 1.0}});
  const ScenarioResult same_key = run_scenario(p, 3, {{"od_error_scale", 1.0}});
  const ScenarioResult other_key = run_scenario(p, 4, {{"od_error_scale", 1.0}});
  ASSERT_TRUE(base.status.ok() || base.status.code == StatusCode::infeasible) << base.status.message;
  EXPECT_EQ(base.tstt, again.tstt);
  EXPECT_NE(base.tstt, drawn.tstt);
  EXPECT_EQ(drawn.tstt, same_key.tstt);  // keyed by the design point
  EXPECT_NE(drawn.tstt, other_key.tstt);
}

TEST(OdEstimation, TripsAndObservationsTogetherOrNeitherAreRefusedByKey) {
  std::string text;
  {
    std::ifstream f(test::source_path("configs/default_od_estimated.yaml"));
    text.assign(std::istreambuf_iterator<char>(f), {});
  }
  auto errors = [&](const std::string& yaml) -> std::string {
    try {
      kinds::parse_study(yaml, "od.yaml", test::source_path("configs"));
    } catch (const config::ConfigError& e) {
      std::string all;
      for (const auto& m : e.errors()) all += m + "\n";
      return all;
    }
    return "";
  };
  const std::string both = std::string(text).insert(text.find("  od_estimation:"),
                                                    "  trips: ../data/traffic/NguyenDupuis/NguyenDupuis_trips.tntp\n");
  EXPECT_NE(errors(both).find("traffic.od_estimation: give either traffic.trips or"), std::string::npos) << errors(both);
  std::string neither = text;
  neither.erase(neither.find("  od_estimation:"), neither.find("    likelihood: poisson\n") + 24 - neither.find("  od_estimation:"));
  EXPECT_NE(errors(neither).find("traffic: needs a demand"), std::string::npos) << errors(neither);
}
