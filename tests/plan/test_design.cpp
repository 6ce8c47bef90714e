#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "config/study.hpp"
#include "core/error.hpp"
#include "kinds/registry.hpp"
#include "plan/design.hpp"
#include "test_support.hpp"

using namespace evs;

namespace {

config::Study study_with(const std::string& sweep_yaml) {
  const std::string text = "grid: {case: data/grid/case33bw.m}\n"
                           "traffic: {network: data/traffic/NguyenDupuis/NguyenDupuis_net.tntp,"
                           " trips: data/traffic/NguyenDupuis/NguyenDupuis_trips.tntp}\n" +
                           sweep_yaml;
  return kinds::parse_study(text, "inline.yaml", test::source_path(""));
}

const char* kTwoUniform =
    "  parameters:\n"
    "    - {name: ev_penetration, distribution: uniform, low: 0.1, high: 0.5}\n"
    "    - {name: theta, distribution: uniform, low: 0.2, high: 1.0}\n";

}  // namespace

TEST(Design, LatinHypercubeHasOnePointPerStratum) {
  const auto d = plan::make_design(study_with(std::string("sweep:\n  design: lhs\n  scenarios: 20\n") + kTwoUniform));
  ASSERT_EQ(d.size(), 20u);
  for (int j = 0; j < 2; ++j) {
    std::set<int> strata;
    for (const auto& u : d.unit) strata.insert(static_cast<int>(u[j] * 20));
    EXPECT_EQ(strata.size(), 20u) << "parameter " << j;
  }
  for (const auto& v : d.values) {
    EXPECT_GE(v[0], 0.1);
    EXPECT_LE(v[0], 0.5);
    EXPECT_NEAR(v[0], 0.1 + 0.4 * d.unit[&v - &d.values[0]][0], 1e-12);  // uniform quantile
  }
  EXPECT_EQ(d.ids.front(), 1u);
  EXPECT_EQ(d.ids.back(), 20u);
}

TEST(Design, SameSeedSameDesignOtherSeedOtherDesign) {
  const std::string y = std::string("sweep:\n  design: sobol\n  scenarios: 16\n  seed: 5\n") + kTwoUniform;
  const auto a = plan::make_design(study_with(y)), b = plan::make_design(study_with(y));
  EXPECT_EQ(a.values, b.values);
  std::string y2 = y;
  y2.replace(y2.find("seed: 5"), 7, "seed: 6");
  EXPECT_NE(a.values, plan::make_design(study_with(y2)).values);
}

TEST(Design, SobolPointsAreBalancedOnDyadicIntervals) {
  // 16 points of a shifted Sobol sequence: each half of [0,1) holds 8 (a (t,m,s)-net property
  // kept by a shift modulo 1 up to one point).
  const auto d = plan::make_design(study_with(std::string("sweep:\n  design: sobol\n  scenarios: 16\n") + kTwoUniform));
  for (int j = 0; j < 2; ++j) {
    int low = 0;
    for (const auto& u : d.unit) low += u[j] < 0.5;
    EXPECT_NEAR(low, 8, 1) << "parameter " << j;
  }
}

TEST(Design, SaltelliBlocksAreAThenBThenAWithOneColumnOfB) {
  const auto d =
      plan::make_design(study_with(std::string("sweep:\n  design: saltelli\n  scenarios: 8\n") + kTwoUniform));
  const std::size_t n = 8, k = 2;
  ASSERT_EQ(d.size(), n * (k + 2));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t c = 0; c < k; ++c) {
      const auto &a = d.values[i], &b = d.values[n + i], &ab = d.values[(2 + c) * n + i];
      for (std::size_t j = 0; j < k; ++j) EXPECT_EQ(ab[j], j == c ? b[j] : a[j]) << i << " " << c << " " << j;
      EXPECT_EQ(d.block[(2 + c) * n + i], static_cast<int>(2 + c));
    }
  EXPECT_NE(d.values[0], d.values[n]);
}

TEST(Design, DrawKeysGiveComparedRowsCommonRandomNumbers) {
  // Saltelli: A_j and every A_B^i_j share a key (they differ only in parameter i), B_j has
  // its own; every key is shared by exactly k + 1 rows (A side) or 1 row (B).
  const auto s = plan::make_design(study_with(std::string("sweep:\n  design: saltelli\n  scenarios: 8\n") + kTwoUniform));
  const std::size_t n = 8;
  ASSERT_EQ(s.draw_keys.size(), s.size());
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_EQ(s.draw_keys[i], i + 1);
    EXPECT_EQ(s.draw_keys[n + i], n + i + 1);
    EXPECT_EQ(s.draw_keys[2 * n + i], i + 1);
    EXPECT_EQ(s.draw_keys[3 * n + i], i + 1);
  }
  // Morris: one key per trajectory.
  const auto m = plan::make_design(
      study_with(std::string("sweep:\n  design: morris\n  scenarios: 5\n  morris_levels: 4\n") + kTwoUniform));
  for (std::size_t i = 0; i < m.size(); ++i) EXPECT_EQ(m.draw_keys[i], static_cast<std::uint64_t>(m.block[i]) + 1);
  // Independent designs: every row its own draws.
  const auto l = plan::make_design(study_with(std::string("sweep:\n  design: lhs\n  scenarios: 6\n") + kTwoUniform));
  EXPECT_EQ(l.draw_keys, l.ids);
}

TEST(Design, ReplicatesRepeatEveryPointWithTheirOwnDraws) {
  const std::string base = std::string("sweep:\n  design: saltelli\n  scenarios: 8\n") + kTwoUniform;
  const auto one = plan::make_design(study_with(base));
  const auto three = plan::make_design(study_with(std::string("sweep:\n  design: saltelli\n  scenarios: 8\n"
                                                              "  replicates: 3\n") + kTwoUniform));
  ASSERT_EQ(three.size(), 3 * one.size());
  EXPECT_EQ(three.replicates, 3);
  const std::uint64_t span = 16;  // largest key of the design without replicates (B's last row)
  for (std::size_t i = 0; i < one.size(); ++i)
    for (int r = 0; r < 3; ++r) {
      const std::size_t row = 3 * i + r;
      EXPECT_EQ(three.ids[row], row + 1);
      EXPECT_EQ(three.point[row], i);
      EXPECT_EQ(three.replicate[row], r);
      EXPECT_EQ(three.values[row], one.values[i]);
      EXPECT_EQ(three.block[row], one.block[i]);
      EXPECT_EQ(three.draw_keys[row], one.draw_keys[i] + r * span);  // replicate 0: the same draws
    }
  // Rows a Saltelli estimator compares still share their draws within a replicate.
  EXPECT_EQ(three.draw_keys[3 * 0 + 2], three.draw_keys[3 * 16 + 2]);  // A_0 and A_B^1_0, replicate 2
}

TEST(Design, MorrisTrajectoriesMoveOneParameterByDelta) {
  const auto d = plan::make_design(
      study_with(std::string("sweep:\n  design: morris\n  scenarios: 5\n  morris_levels: 4\n") + kTwoUniform));
  ASSERT_EQ(d.size(), 5u * 3u);
  const double delta = 4.0 / (2.0 * 3.0);
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (d.moved[i] < 0) continue;
    const int j = d.moved[i];
    EXPECT_NEAR(std::fabs(d.unit[i][j] - d.unit[i - 1][j]), delta, 1e-12);
    EXPECT_EQ(d.unit[i][1 - j], d.unit[i - 1][1 - j]);
    EXPECT_EQ(d.block[i], d.block[i - 1]);
  }
  for (const auto& u : d.unit)
    for (double x : u) {
      EXPECT_GE(x, -1e-12);
      EXPECT_LE(x, 1 + 1e-12);
      EXPECT_NEAR(x * 3, std::round(x * 3), 1e-9);  // on the 4-level grid
    }
}

TEST(Design, FullGridWithDiscreteAndFixedParameters) {
  const auto d = plan::make_design(study_with(
      "sweep:\n  design: grid\n  scenarios: 3\n  parameters:\n"
      "    - {name: ev_penetration, distribution: uniform, low: 0.1, high: 0.5}\n"
      "    - {name: v2g_share, distribution: discrete, values: [0, 0.25]}\n"
      "    - {name: theta, distribution: fixed, mean: 0.7}\n"));
  ASSERT_EQ(d.size(), 6u);
  std::set<std::pair<double, double>> points;
  for (const auto& v : d.values) {
    points.insert({std::round(v[0] * 1e9) / 1e9, v[1]});
    EXPECT_EQ(v[2], 0.7);
  }
  EXPECT_EQ(points.size(), 6u);
  EXPECT_TRUE(points.count({0.1, 0.0}) && points.count({0.3, 0.25}) && points.count({0.5, 0.25}));
}

TEST(Design, DistributionsMapThroughTheirQuantiles) {
  const auto d = plan::make_design(study_with(
      "sweep:\n  design: lhs\n  scenarios: 2000\n  parameters:\n"
      "    - {name: load_scale, distribution: normal, mean: 1.0, sd: 0.1}\n"
      "    - {name: pv_scale, distribution: truncated_normal, mean: 1.0, sd: 0.5, low: 0.8, high: 1.1}\n"
      "    - {name: battery_kwh, distribution: lognormal, mean: 4.0, sd: 0.2}\n"
      "    - {name: v2g_share, distribution: beta, mean: 0.3, sd: 0.1, low: 0, high: 1}\n"
      "    - {name: theta, distribution: discrete, values: [0.2, 0.5, 0.9]}\n"));
  double mean[5] = {0, 0, 0, 0, 0}, lo[5], hi[5];
  std::fill(lo, lo + 5, INFINITY);
  std::fill(hi, hi + 5, -INFINITY);
  std::set<double> thetas;
  for (const auto& v : d.values) {
    for (int j = 0; j < 5; ++j) mean[j] += v[j] / d.size(), lo[j] = std::min(lo[j], v[j]), hi[j] = std::max(hi[j], v[j]);
    thetas.insert(v[4]);
  }
  EXPECT_NEAR(mean[0], 1.0, 0.005);
  EXPECT_GE(lo[1], 0.8);
  EXPECT_LE(hi[1], 1.1);
  EXPECT_NEAR(mean[2], std::exp(4.0 + 0.02), 0.5);  // lognormal mean exp(mu + sigma^2 / 2)
  EXPECT_NEAR(mean[3], 0.3, 0.005);
  EXPECT_EQ(thetas, (std::set<double>{0.2, 0.5, 0.9}));
}

TEST(Design, ImpossibleBetaIsAConfigErrorNamingTheField) {
  try {
    study_with("sweep:\n  parameters:\n    - {name: v2g_share, distribution: beta, mean: 0.5, sd: 0.6, low: 0, high: 1}\n");
    FAIL() << "expected a ConfigError";
  } catch (const config::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("inline.yaml:5: sweep.parameters[0].sd"), std::string::npos) << e.what();
  }
}

TEST(Design, TextHashIsStableAndSensitive) {
  EXPECT_EQ(plan::text_hash(""), "cbf29ce484222325");  // FNV-1a 64 offset basis
  EXPECT_NE(plan::text_hash("a: 1\n"), plan::text_hash("a: 2\n"));
}
