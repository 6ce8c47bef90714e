#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/study.hpp"
#include "config/study_definition.hpp"
#include "kinds/registry.hpp"
#include "kinds/sue_dispatch/options.hpp"
#include "test_support.hpp"

using namespace evs;
using namespace evs::config;
using kinds::load_study;
using kinds::parse_study;

namespace {
// A study's files read and checked (every bus and node it names exists).
void check_study_references(const Study& s) { kinds::prepare_study(s); }
std::vector<OptionDoc> option_reference() { return config::option_reference(kinds::find_kind("sue_dispatch")->definition()); }
}  // namespace

namespace {
std::string study_path(const std::string& name) { return test::source_path("tests/data/studies/" + name); }

std::vector<std::string> errors_of(const std::string& name, bool references = false) {
  try {
    const Study s = load_study(study_path(name));
    if (references) check_study_references(s);
  } catch (const ConfigError& e) {
    return e.errors();
  }
  return {};
}

using test::has;
}  // namespace

TEST(Study, GoodFileLoadsWithDefaultsAndResolvedPaths) {
  const Study study = load_study(study_path("good.yaml"));
  EXPECT_EQ(study.study.name, "test-good");
  EXPECT_EQ(study.study.kind, "sue_dispatch");  // a study without study.kind
  const auto& s = study.options<kinds::sue_dispatch::Options>();
  EXPECT_DOUBLE_EQ(s.grid.vmin_pu, 0.95);  // default
  EXPECT_DOUBLE_EQ(s.grid.vmax_pu, 1.05);
  EXPECT_EQ(s.traffic.model, "sue");
  EXPECT_TRUE(std::filesystem::path(s.grid.case_file).is_absolute());
  EXPECT_TRUE(std::filesystem::exists(s.grid.case_file));
  ASSERT_EQ(s.stations.size(), 2u);
  EXPECT_EQ(s.stations[1].bus, 20);
  EXPECT_DOUBLE_EQ(s.stations[0].capacity_veh_per_h, 60);  // default inside a list item
  EXPECT_EQ(s.profiles.periods, 3);
  EXPECT_EQ(study.sweep.design, "lhs");
  ASSERT_EQ(study.sweep.parameters.size(), 1u);
  EXPECT_DOUBLE_EQ(*study.sweep.parameters[0].high, 0.6);
  EXPECT_FALSE(study.sweep.parameters[0].mean.has_value());
  EXPECT_NO_THROW(check_study_references(study));
  EXPECT_FALSE(study.source_text.empty());
}

TEST(Study, SyntaxErrorNamesTheLine) {
  const auto e = errors_of("bad_syntax.yaml");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_NE(e[0].find("bad_syntax.yaml:4"), std::string::npos) << e[0];
}

TEST(Study, UnknownKeyIsNamedWithLineAndSuggestion) {
  const auto e = errors_of("bad_unknown_key.yaml");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_TRUE(has(e, "bad_unknown_key.yaml:3: grid.vmn_pu: unknown key (did you mean 'vmin_pu'?)")) << e[0];
}

TEST(Study, WrongTypeIsNamed) {
  EXPECT_TRUE(has(errors_of("bad_type.yaml"), "bad_type.yaml:3: grid.vmin_pu: expected a number, got 'low'"));
}

TEST(Study, OutOfRangeIsNamed) {
  EXPECT_TRUE(has(errors_of("bad_range.yaml"), "bad_range.yaml:6: traffic.theta: value -1 is outside [1e-06, 1000]"));
}

TEST(Study, MissingFileIsNamed) {
  const auto e = errors_of("bad_missing_file.yaml");
  EXPECT_TRUE(has(e, "bad_missing_file.yaml:2: grid.case: file not found:")) << (e.empty() ? "" : e[0]);
  EXPECT_TRUE(has(e, "no_such_case.m"));
}

TEST(Study, MissingRequiredKeyIsNamed) {
  EXPECT_TRUE(has(errors_of("bad_missing_required.yaml"), "grid.case: missing required key"));
}

TEST(Study, ProfileLengthMustMatchPeriods) {
  EXPECT_TRUE(has(errors_of("bad_profile_length.yaml"),
                  "bad_profile_length.yaml:8: profiles.wind: has 3 values but profiles.periods is 4"));
}

TEST(Study, SweepParametersAreChecked) {
  const auto e = errors_of("bad_parameter.yaml");
  EXPECT_TRUE(has(e, "bad_parameter.yaml:8: sweep.parameters[0].name: unknown parameter 'ev_penetraton' (did you mean "
                     "'ev_penetration'?)"));
  EXPECT_TRUE(has(e, "bad_parameter.yaml:15: sweep.parameters[1].high: must be greater than low"));
}

TEST(Study, StationReferencesAreCheckedAgainstTheFiles) {
  const auto e = errors_of("bad_station_bus.yaml", true);
  EXPECT_TRUE(has(e, "bad_station_bus.yaml:12: stations[1].bus: bus 77 is not in")) << (e.empty() ? "" : e[0]);
  EXPECT_TRUE(has(e, "bad_station_bus.yaml:11: stations[1].node: node 40 is not in"));
}

TEST(Study, EmptyAndMissingFiles) {
  EXPECT_THROW(parse_study("", "empty.yaml", "."), ConfigError);
  EXPECT_THROW(load_study("/no/such/study.yaml"), ConfigError);
  EXPECT_THROW(parse_study("- a\n- b\n", "list.yaml", "."), ConfigError);
}

TEST(Study, EveryShippedConfigIsValid) {
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(test::source_path("configs"))) {
    if (entry.path().extension() != ".yaml") continue;
    SCOPED_TRACE(entry.path().string());
    try {
      check_study_references(load_study(entry.path().string()));
    } catch (const ConfigError& e) {
      ADD_FAILURE() << e.what();
    }
    ++n;
  }
  EXPECT_GE(n, 1);
}

TEST(OptionReference, DocsAreGeneratedFromTheDeclarations) {
  const auto docs = option_reference();
  EXPECT_GT(docs.size(), 40u);
  bool found = false;
  for (const auto& d : docs)
    if (d.key == "stations[].bus") {
      found = true;
      EXPECT_EQ(d.kind, "integer");
      EXPECT_EQ(d.default_text, "(required)");
    }
  EXPECT_TRUE(found);
  std::ifstream in(test::source_path("docs/config-reference.md"));
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_NE(ss.str().find(format_reference_markdown(docs)), std::string::npos)
      << "docs/config-reference.md is stale: regenerate it with 'evsweep options --markdown' (see the file's header)";
}

TEST(Study, ResourcesAreCheckedAgainstTheCase) {
  const auto syntax = errors_of("bad_resource_bus.yaml");
  EXPECT_TRUE(has(syntax, "bad_resource_bus.yaml:12: resources.gas_turbines[0].pmax_mw: value -1 is outside [0, 10000]"))
      << (syntax.empty() ? "" : syntax[0]);
  // With the impossible value removed, the unknown bus is found against the case file.
  std::string text = test::source_path("tests/data/studies/bad_resource_bus.yaml");
  std::ifstream in(text);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string yaml = ss.str();
  yaml.replace(yaml.find("pmax_mw: -1"), 11, "pmax_mw: 0.5");
  try {
    check_study_references(parse_study(yaml, "resources.yaml", test::source_path("tests/data/studies")));
    FAIL() << "bus 280 accepted";
  } catch (const ConfigError& e) {
    EXPECT_TRUE(has(e.errors(), "resources.yaml:10: resources.pv[0].bus: bus 280 is not in")) << e.what();
  }
}

namespace {
std::vector<std::string> inline_errors(const std::string& extra) {
  const std::string text = "grid: {case: data/grid/case33bw.m}\n"
                           "traffic: {network: data/traffic/NguyenDupuis/NguyenDupuis_net.tntp,"
                           " trips: data/traffic/NguyenDupuis/NguyenDupuis_trips.tntp}\n" +
                           extra;
  try {
    parse_study(text, "inline.yaml", test::source_path(""));
  } catch (const ConfigError& e) {
    return e.errors();
  }
  return {};
}
}  // namespace

TEST(Study, SweepAndOutputMistakesNameLineAndKey) {
  EXPECT_TRUE(has(inline_errors("sweep:\n  parameters:\n    - {name: theta, low: 0.1, high: 1}\n"
                                "    - {name: theta, low: 0.2, high: 1}\n"),
                  "inline.yaml:6: sweep.parameters[1].name: 'theta' is already sweep.parameters[0]"));
  EXPECT_TRUE(has(inline_errors("study: {stages: []}\n"), "study.stages: needs at least one stage"));
  EXPECT_TRUE(has(inline_errors("study: {stages: [traffic, grid]}\n"),
                  "inline.yaml:3: study.stages[1]: 'grid' is not one of traffic | dispatch"));
  EXPECT_TRUE(has(inline_errors("output: {series: [bus_voltages]}\n"),
                  "output.series[0]: 'bus_voltages' is not one of head_load | station_load | bus_voltage"));
  EXPECT_TRUE(has(inline_errors("sweep:\n  design: grid\n  scenarios: 1000\n  parameters:\n"
                                "    - {name: theta, low: 0.1, high: 1}\n    - {name: pv_scale, low: 0.1, high: 1}\n"
                                "    - {name: wind_scale, low: 0.1, high: 1}\n"),
                  "sweep.scenarios: a full grid of 1000 points per parameter has 1000000000 scenarios (at most 1e8)"));
  EXPECT_TRUE(has(inline_errors("sweep:\n  design: saltelli\n  parameters:\n    - {name: theta, distribution: fixed, mean: 1}\n"),
                  "sweep.design: 'saltelli' needs at least one parameter that is not fixed"));
  EXPECT_TRUE(has(inline_errors("sweep: {timeout_s: 0}\n"), "sweep.timeout_s"));
}
