// SparseLdl on matrices whose solution and inertia are known.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>

#include "grid/backend/kkt_ldl.hpp"

using namespace evs::grid;

namespace {

struct Triplets {
  std::vector<int> rows, cols;
  std::vector<double> values;
  void add(int i, int j, double v) {
    rows.push_back(i);
    cols.push_back(j);
    values.push_back(v);
  }
  // y = A x with A symmetric given by its triplets (either triangle, duplicates summed).
  std::vector<double> times(const std::vector<double>& x) const {
    std::vector<double> y(x.size(), 0.0);
    for (size_t e = 0; e < values.size(); ++e) {
      y[rows[e]] += values[e] * x[cols[e]];
      if (rows[e] != cols[e]) y[cols[e]] += values[e] * x[rows[e]];
    }
    return y;
  }
};

// [H J^T; J -delta I]: n primal rows, m dual rows. H = diag(h) + a random sparse symmetric
// part, J random sparse; entries spread over both triangles, some split in duplicates.
Triplets kkt(int n, int m, const std::vector<double>& h, double offdiag, double delta, std::mt19937& rng) {
  std::uniform_real_distribution<double> u(-1, 1);
  std::uniform_int_distribution<int> pick(0, n - 1);
  Triplets t;
  for (int i = 0; i < n; ++i) {
    t.add(i, i, 0.5 * h[i]);
    t.add(i, i, 0.5 * h[i]);  // duplicate: summed
  }
  for (int k = 0; k < n && offdiag > 0; ++k) {
    const int i = pick(rng), j = pick(rng);
    if (i != j) (k % 2 ? t.add(i, j, offdiag * u(rng)) : t.add(j, i, offdiag * u(rng)));
  }
  for (int c = 0; c < m; ++c) {
    for (int k = 0; k < 3; ++k) (k % 2 ? t.add(n + c, pick(rng), u(rng)) : t.add(pick(rng), n + c, u(rng)));
    if (delta > 0) t.add(n + c, n + c, -delta);
  }
  return t;
}

LdlRegularisation none() {
  LdlRegularisation r;
  r.static_eps = 0;
  r.dynamic_tol = 0;
  return r;
}

}  // namespace

TEST(SparseLdl, SolvesAQuasiDefiniteSystemExactly) {
  std::mt19937 rng(7);
  const int n = 60, m = 25;
  const Triplets t = kkt(n, m, std::vector<double>(n, 4.0), 0.5, 0.1, rng);
  SparseLdl ldl;
  ldl.analyse(n + m, n, t.rows.data(), t.cols.data(), static_cast<int>(t.values.size()));
  const LdlFactorStats s = ldl.factor(t.values.data(), none());
  EXPECT_TRUE(s.finite);
  EXPECT_EQ(s.negative_pivots, m);  // inertia (n, m, 0)
  EXPECT_EQ(s.regularised_pivots, 0);
  std::vector<double> x(n + m);
  for (int i = 0; i < n + m; ++i) x[i] = std::sin(1.0 + i);
  std::vector<double> b = t.times(x);
  ldl.solve(b.data());
  for (int i = 0; i < n + m; ++i) EXPECT_NEAR(b[i], x[i], 1e-10) << i;
}

TEST(SparseLdl, CountsNegativeEigenvaluesOfAnIndefiniteHessian) {
  // With J = 0 the inertia of [H 0; 0 -delta I] is that of H plus m negatives; H has 3
  // negative diagonal entries.
  std::mt19937 rng(3);
  const int n = 20, m = 6;
  std::vector<double> h(n, 2.0);
  h[2] = h[11] = h[17] = -1.5;
  Triplets t;
  for (int i = 0; i < n; ++i) t.add(i, i, h[i]);
  for (int c = 0; c < m; ++c) t.add(n + c, n + c, -0.3);
  SparseLdl ldl;
  ldl.analyse(n + m, n, t.rows.data(), t.cols.data(), static_cast<int>(t.values.size()));
  EXPECT_EQ(ldl.factor(t.values.data(), none()).negative_pivots, 3 + m);
}

TEST(SparseLdl, RegularisesASaddlePointWithZeroDualBlock) {
  // [I J^T; J 0] (no -delta): 1x1 pivots need the static regularisation; the solution is of
  // the regularised matrix, within ~eps of the true one, and the inertia is right.
  std::mt19937 rng(11);
  const int n = 40, m = 12;
  const Triplets t = kkt(n, m, std::vector<double>(n, 1.0), 0.0, 0.0, rng);
  SparseLdl ldl;
  ldl.analyse(n + m, n, t.rows.data(), t.cols.data(), static_cast<int>(t.values.size()));
  const LdlFactorStats s = ldl.factor(t.values.data());
  EXPECT_TRUE(s.finite);
  EXPECT_EQ(s.negative_pivots, m);
  std::vector<double> x(n + m);
  for (int i = 0; i < n + m; ++i) x[i] = std::cos(0.5 * i);
  std::vector<double> b = t.times(x);
  ldl.solve(b.data());
  for (int i = 0; i < n + m; ++i) EXPECT_NEAR(b[i], x[i], 1e-5) << i;
}

TEST(SparseLdl, ReplacesAZeroPivotByItsExpectedSign) {
  Triplets t;
  t.add(0, 0, 0.0);  // primal row with nothing on it
  t.add(1, 1, 0.0);  // dual row with nothing on it
  SparseLdl ldl;
  ldl.analyse(2, 1, t.rows.data(), t.cols.data(), 2);
  LdlRegularisation r;
  r.static_eps = 0;
  const LdlFactorStats s = ldl.factor(t.values.data(), r);
  EXPECT_EQ(s.regularised_pivots, 2);
  EXPECT_EQ(s.negative_pivots, 1);
  std::vector<double> b = {r.dynamic_delta, r.dynamic_delta};
  ldl.solve(b.data());
  EXPECT_DOUBLE_EQ(b[0], 1.0);
  EXPECT_DOUBLE_EQ(b[1], -1.0);
}

TEST(SparseLdl, ReportsNonFiniteValuesAndBadIndices) {
  Triplets t;
  t.add(0, 0, 1.0);
  t.add(1, 0, NAN);
  SparseLdl ldl;
  ldl.analyse(2, 1, t.rows.data(), t.cols.data(), 2);
  EXPECT_FALSE(ldl.factor(t.values.data()).finite);
  t.add(2, 0, 1.0);
  EXPECT_THROW(ldl.analyse(2, 1, t.rows.data(), t.cols.data(), 3), std::invalid_argument);
}
