// The study-kind machinery: the registry, reading a study of a kind, the kind's sweep
// parameters (names, ranges, applied to a typed model), and the generic solve against the
// kind's typed per-scenario function.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "config/study_definition.hpp"
#include "driver/sweep.hpp"
#include "kinds/registry.hpp"
#include "kinds/sue_dispatch/metrics.hpp"
#include "kinds/sue_dispatch/model.hpp"
#include "kinds/sue_dispatch/options.hpp"
#include "kinds/sue_dispatch/scenario.hpp"
#include "plan/design.hpp"
#include "test_support.hpp"

using namespace evs;

namespace {

std::string text_of(const std::string& path) {
  std::ifstream in(test::source_path(path));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> errors_of(const std::string& yaml, const std::vector<std::string>& overrides = {}) {
  try {
    kinds::parse_study(yaml, "k.yaml", test::source_path(""), overrides);
  } catch (const config::ConfigError& e) {
    return e.errors();
  }
  return {};
}

using test::has;

const std::string kMinimal =
    "grid: {case: data/grid/case33bw.m}\n"
    "traffic: {network: data/traffic/NguyenDupuis/NguyenDupuis_net.tntp,"
    " trips: data/traffic/NguyenDupuis/NguyenDupuis_trips.tntp}\n";

}  // namespace

TEST(Registry, ListsTheKindsAndFindsThemByName) {
  const auto names = kinds::kind_names();
  ASSERT_FALSE(names.empty());
  EXPECT_EQ(names.front(), "sue_dispatch");
  ASSERT_NE(kinds::find_kind("sue_dispatch"), nullptr);
  EXPECT_EQ(kinds::find_kind("sue_dispatch")->name(), "sue_dispatch");
  EXPECT_EQ(kinds::find_kind("no_such_kind"), nullptr);
}

TEST(Registry, AStudyWithoutKindIsReadAsSueDispatchAndTheSameWithIt) {
  const std::string text = text_of("configs/default.yaml");
  ASSERT_EQ(text.find("kind:"), std::string::npos) << "the default study is meant to rely on the default kind";
  const config::Study implicit = kinds::parse_study(text, "default.yaml", test::source_path("configs"));
  EXPECT_EQ(implicit.study.kind, "sue_dispatch");
  std::string with_kind = text;
  with_kind.replace(with_kind.find("study:\n"), 7, "study:\n  kind: sue_dispatch\n");
  const config::Study explicit_ = kinds::parse_study(with_kind, "default.yaml", test::source_path("configs"));
  EXPECT_EQ(explicit_.study.kind, "sue_dispatch");
  EXPECT_EQ(explicit_.options<kinds::sue_dispatch::Options>().stations.size(),
            implicit.options<kinds::sue_dispatch::Options>().stations.size());
}

TEST(Registry, AnUnknownKindIsNamedWithItsLineAndTheKnownKinds) {
  const auto e = errors_of("study:\n  name: x\n  kind: sue_dispach\n" + kMinimal);
  EXPECT_TRUE(has(e, "k.yaml:3: study.kind: 'sue_dispach' is not one of sue_dispatch")) << (e.empty() ? "" : e[0]);
  EXPECT_TRUE(has(e, "did you mean 'sue_dispatch'?"));
}

TEST(KindParameters, AnUnknownParameterNamesTheKindsList) {
  const auto e = errors_of(kMinimal + "sweep:\n  parameters:\n    - {name: wind_scael, low: 0.5, high: 1}\n");
  EXPECT_TRUE(has(e, "k.yaml:5: sweep.parameters[0].name: unknown parameter 'wind_scael' (did you mean "
                     "'wind_scale'?); the parameters of kind sue_dispatch: ev_penetration, theta"))
      << (e.empty() ? "" : e[0]);
}

TEST(KindParameters, ARangeOutsideTheFieldsBoundsIsRefused) {
  auto e = errors_of(kMinimal + "sweep:\n  parameters:\n    - {name: ev_penetration, low: 0.5, high: 1.5}\n");
  EXPECT_TRUE(has(e, "k.yaml:5: sweep.parameters[0].high: value 1.5 is outside the range of ev_penetration, [0, 1]"))
      << (e.empty() ? "" : e[0]);
  e = errors_of(kMinimal + "sweep:\n  parameters:\n    - {name: v2g_share, distribution: normal, mean: 0.5, sd: 0.2}\n");
  EXPECT_TRUE(has(e, "sweep.parameters[0].distribution: normal(0.5, 0.2) leaves the range of v2g_share, [0, 1]"))
      << (e.empty() ? "" : e[0]);
  EXPECT_TRUE(
      errors_of(kMinimal + "sweep:\n  parameters:\n    - {name: load_scale, distribution: normal, mean: 1, sd: 0.1}\n")
          .empty());
  e = errors_of(kMinimal + "sweep:\n  parameters:\n    - {name: v2g_share, distribution: discrete, values: [0, 2]}\n");
  EXPECT_TRUE(has(e, "sweep.parameters[0].values[1]: value 2 is outside the range of v2g_share"));
  EXPECT_TRUE(errors_of(kMinimal + "sweep:\n  parameters:\n    - {name: ev_penetration, low: 0, high: 1}\n").empty());
}

TEST(KindParameters, ValuesAreAppliedToTheTypedModelThroughTheDeclaration) {
  using namespace kinds::sue_dispatch;
  const config::Study s = kinds::parse_study(kMinimal, "k.yaml", test::source_path(""));
  const Options& o = s.options<Options>();
  Model m = nominal_model(o);
  EXPECT_EQ(m.ev_penetration, o.ev.penetration);
  EXPECT_EQ(m.theta, o.traffic.theta);
  EXPECT_EQ(m.pv_scale, 1.0);
  apply_values(m, {{"ev_penetration", 0.4}, {"pv_scale", 1.5}, {"tariff_scale", 2}});
  EXPECT_EQ(m.ev_penetration, 0.4);
  EXPECT_EQ(m.pv_scale, 1.5);
  EXPECT_EQ(m.tariff_scale, 2.0);
  EXPECT_EQ(m.theta, o.traffic.theta);  // untouched
  EXPECT_THROW(apply_values(m, {{"no_such", 1}}), std::invalid_argument);
  // Every declared parameter is a distinct field of the model.
  for (const auto& p : parameters()) {
    Model a = nominal_model(o);
    apply_values(a, {{p.info.name, 0.123}});
    EXPECT_EQ(a.*(p.field), 0.123) << p.info.name;
    EXPECT_LE(p.info.lower, p.info.upper) << p.info.name;
  }
}

TEST(Overrides, SetChangesOneOptionAndBadOnesAreNamed) {
  using namespace kinds::sue_dispatch;
  const config::Study s =
      kinds::parse_study(kMinimal, "k.yaml", test::source_path(""), {"dispatch.formulation=exact", "grid.vmin_pu=0.93"});
  EXPECT_EQ(s.options<Options>().dispatch.formulation, "exact");
  EXPECT_EQ(s.options<Options>().grid.vmin_pu, 0.93);
  EXPECT_TRUE(has(errors_of(kMinimal, {"dispatch.formulation=exakt"}), "dispatch.formulation: 'exakt' is not one of"));
  EXPECT_TRUE(has(errors_of(kMinimal, {"grid.vmn_pu=0.9"}), "grid.vmn_pu: unknown key (did you mean 'vmin_pu'?)"));
  EXPECT_TRUE(has(errors_of(kMinimal, {"novalue"}), "expected KEY=VALUE"));
}

TEST(GenericSolve, EqualsTheKindsTypedFunctionBitForBit) {
  using namespace kinds::sue_dispatch;
  const kinds::PreparedStudy ps = kinds::prepare_study(kinds::load_study(test::source_path("configs/default.yaml")));
  const kinds::StudyKind& kind = *ps.kind;
  kinds::Scenario sc{5, 5, {{"ev_penetration", 0.15}, {"pv_scale", 1.1}}};
  kinds::RunOptions o;
  o.keep_series = {"head_load", "station_load"};
  const kinds::Outcome out = kind.solve(ps.study, *ps.data, sc, o);
  ScenarioOptions typed_options;
  typed_options.keep_head_load = typed_options.keep_station_load = true;
  const ScenarioResult r = run_scenario(static_cast<const PreparedStudy&>(*ps.data), 5,
                                        ScenarioParameters{{"ev_penetration", 0.15}, {"pv_scale", 1.1}}, typed_options);
  ASSERT_TRUE(out.status.ok()) << out.status.message;
  ASSERT_EQ(out.metrics.size(), scenario_metrics().size());
  for (std::size_t i = 0; i < out.metrics.size(); ++i) {
    const double a = out.metrics[i], b = scenario_metrics()[i].get(r);
    EXPECT_TRUE(std::memcmp(&a, &b, sizeof a) == 0) << scenario_metrics()[i].name;
  }
  EXPECT_EQ(out.series[0], r.head_mw);
  ASSERT_EQ(out.series[1].size(), 3u * 24u);  // [station][period]
  EXPECT_EQ(out.series[1][24 + 5], r.station_mw[1][5]);
  EXPECT_TRUE(out.series[2].empty());  // bus_voltage not asked for
  // The row the sweep stores: kept series only, NaN where a series was not produced.
  const auto layout = driver::row_layout(ps);
  ASSERT_EQ(layout.series.size(), 3u);  // the default study keeps all three
  const auto rec = driver::make_record(kind, out, 1, 0, layout);
  EXPECT_EQ(rec.series[0], r.head_mw);
  EXPECT_TRUE(std::isnan(rec.series[2][0]));
  EXPECT_EQ(layout.series_size(2), 24u * 33u);
  EXPECT_EQ(layout.dimensions[2].int_labels.front(), 1);
}

TEST(CommonRandomNumbers, AParameterTheModelIgnoresChangesNothingAcrossItsSaltelliBlock) {
  // With V2G off (dispatch.v2g: false) v2g_share does nothing; with draws keyed by the design
  // point, the rows of its Saltelli block equal their base rows bit for bit (the EV energy used
  // to move by up to 9 % between them: fresh Monte Carlo noise per row). coordinated_no_v2g
  // keeps the parameter so that its design equals coordinated.yaml's (contrast, same scenarios).
  kinds::PreparedStudy ps =
      kinds::prepare_study(kinds::load_study(test::source_path("configs/coordinated_no_v2g.yaml")));
  const plan::Design d = plan::make_design(ps.study);
  ASSERT_EQ(d.kind, "saltelli");
  const std::size_t n = static_cast<std::size_t>(d.base_size);
  std::size_t block = 0;  // Saltelli block of v2g_share among the varied parameters
  for (std::size_t j = 0, v = 0; j < d.parameters.size(); ++j) {
    if (d.parameters[j] == "v2g_share") block = 2 + v;
    v += d.varied[j];
  }
  ASSERT_GE(block, 2u);
  for (std::size_t row : {std::size_t{3}, std::size_t{17}}) {
    const std::size_t moved = block * n + row;
    ASSERT_NE(d.values[row], d.values[moved]);
    ASSERT_EQ(d.draw_keys[row], d.draw_keys[moved]);
    const kinds::Outcome a = ps.kind->solve(ps.study, *ps.data, {d.ids[row], d.draw_keys[row], plan::scenario_values(d, row)}, {});
    const kinds::Outcome b =
        ps.kind->solve(ps.study, *ps.data, {d.ids[moved], d.draw_keys[moved], plan::scenario_values(d, moved)}, {});
    ASSERT_EQ(a.metrics.size(), b.metrics.size());
    for (std::size_t i = 0; i < a.metrics.size(); ++i)
      EXPECT_TRUE(std::memcmp(&a.metrics[i], &b.metrics[i], sizeof(double)) == 0)
          << ps.kind->metrics()[i].name << " row " << row << ": " << a.metrics[i] << " vs " << b.metrics[i];
    // The B row of the same index has its own draws.
    EXPECT_NE(d.draw_keys[n + row], d.draw_keys[row]);
  }
}

TEST(GenericSolve, AnUnknownParameterIsAStatusNotACrash) {
  const kinds::PreparedStudy ps = kinds::prepare_study(kinds::load_study(test::source_path("configs/default.yaml")));
  const kinds::Outcome out = ps.kind->solve(ps.study, *ps.data, {1, 1, {{"no_such", 1.0}}}, {});
  EXPECT_EQ(out.status.code, StatusCode::invalid_input);
  EXPECT_EQ(out.failed_stage, "setup");
}

TEST(Validation, ContradictoryBoundsAndMissingSectionsAreNamedWithBothKeys) {
  EXPECT_TRUE(has(errors_of(kMinimal + "grid_extra: 1\n"), "unknown key"));
  auto e = errors_of("grid: {case: data/grid/case33bw.m, vmin_pu: 1.06}\n" + kMinimal.substr(kMinimal.find("traffic")));
  EXPECT_TRUE(has(e, "k.yaml:1: grid.vmax_pu: must be above grid.vmin_pu (1.05 <= 1.06)")) << (e.empty() ? "" : e[0]);
  e = errors_of(kMinimal + "resources:\n  storage:\n    - {bus: 18, soc_min: 0.8, soc_max: 0.2}\n");
  EXPECT_TRUE(has(e, "resources.storage[0].soc_max: is below resources.storage[0].soc_min (0.2 < 0.8)"))
      << (e.empty() ? "" : e[0]);
  e = errors_of("grid: {case: data/grid/case33bw.m, line_rating_mva: 5, line_rating_margin: 1.5}\n" +
                kMinimal.substr(kMinimal.find("traffic")));
  EXPECT_TRUE(has(e, "k.yaml:1: grid.line_rating_margin: give grid.line_rating_mva or grid.line_rating_margin, not both"))
      << (e.empty() ? "" : e[0]);
  e = errors_of("grid: {case: data/grid/case33bw.m, line_rating_margin: 0.8}\n" +
                kMinimal.substr(kMinimal.find("traffic")));
  EXPECT_TRUE(has(e, "grid.line_rating_margin: 0.8 rates every branch below its flow")) << (e.empty() ? "" : e[0]);
  e = errors_of("grid: {case: data/grid/case33bw.m, line_rating_min_mva: -1}\n" +
                kMinimal.substr(kMinimal.find("traffic")));
  EXPECT_TRUE(has(e, "grid.line_rating_min_mva")) << (e.empty() ? "" : e[0]);
  e = errors_of(kMinimal + "resources:\n  storage:\n    - {bus: 18, soc_initial: 0.9}\n");
  EXPECT_TRUE(has(e, "resources.storage[0].soc_initial: 0.9 is outside"));
  e = errors_of(kMinimal + "resources:\n  gas_turbines:\n    - {bus: 33, qmin_mvar: 0.5, qmax_mvar: 0.1}\n");
  EXPECT_TRUE(has(e, "resources.gas_turbines[0].qmax_mvar: is below"));
  e = errors_of("grid: {case: data/grid/case33bw.m, export: price}\n" + kMinimal.substr(kMinimal.find("traffic")));
  EXPECT_TRUE(has(e, "grid.export: 'price' needs profiles.export_price")) << (e.empty() ? "" : e[0]);
  e = errors_of("grid: {case: data/grid/case33bw.m, export: price}\n" + kMinimal.substr(kMinimal.find("traffic")) +
                "profiles: {periods: 2, tariff: [500, 600], export_price: [400, 700]}\n");
  EXPECT_TRUE(has(e, "profiles.export_price: period 1: 700 is above the tariff 600")) << (e.empty() ? "" : e[0]);
  // A study without its grid or traffic section says so (not "cannot open file").
  e = errors_of(kMinimal.substr(kMinimal.find("traffic")));
  EXPECT_TRUE(has(e, "grid: missing required section (Distribution feeder)")) << (e.empty() ? "" : e[0]);
  e = errors_of(kMinimal.substr(0, kMinimal.find("traffic")));
  EXPECT_TRUE(has(e, "traffic: missing required section")) << (e.empty() ? "" : e[0]);
}
