// The Clp LP backend (grid/backend/clp_lp): a tiny LP with known primal and dual solution,
// warm-started re-solves, and the duals against Ipopt's multipliers on the same model.
#include <gtest/gtest.h>

#include <cmath>

#include "grid/backend/clp_lp.hpp"
#include "grid/backend/ipopt_nlp.hpp"

using namespace evs;
using namespace evs::grid;

namespace {

// min 0.25x + 2y + 0.5z + 5  s.t.  r0: x + y >= 3,  r1: x - y <= 5,  r2: x + 3y + z == 4,
// 0 <= x <= 2, y >= 0, z >= -10. With z = 4 - x - 3y the cost is 7 - 0.25x + 0.5y: x = 2 (its
// bound), y = 1, z = -1, objective 7. Row prices: r0 +d moves y by d, z by -3d: 2 - 1.5 = 0.5;
// r2 +d moves z by d: 0.5; r1 is slack: 0. Reduced cost of x: 0.25 - 0.5 - 0.5 = -0.75.
QcqpModel tiny_lp() {
  QcqpModel m;
  const int x = m.add_variable(0, 2, 0, "x");
  const int y = m.add_variable(0, QcqpModel::inf, 0, "y");
  const int z = m.add_variable(-10, QcqpModel::inf, 0, "z");
  m.objective().add(x, 0.25).add(y, 2).add(z, 0.5);
  m.objective().constant = 5;
  Expression r0, r1, r2;
  r0.add(x, 1).add(y, 1);
  r1.add(x, 1).add(y, -1);
  r2.add(x, 1).add(y, 3).add(z, 1);
  m.add_constraint(r0, 3, QcqpModel::inf, "r0");
  m.add_constraint(r1, -QcqpModel::inf, 5, "r1");
  m.add_constraint(r2, 4, 4, "r2");
  return m;
}

}  // namespace

TEST(ClpLp, TinyLpKnownPrimalAndDuals) {
  const LpResult r = solve_lp(tiny_lp());
  ASSERT_TRUE(r.status.ok()) << r.status.message;
  EXPECT_EQ(r.solver_status, "optimal");
  EXPECT_NEAR(r.x[0], 2, 1e-10);
  EXPECT_NEAR(r.x[1], 1, 1e-10);
  EXPECT_NEAR(r.x[2], -1, 1e-10);
  EXPECT_NEAR(r.objective, 0.25 * 2 + 2 * 1 + 0.5 * -1 + 5, 1e-10);  // 7
  EXPECT_NEAR(r.duals[0], 0.5, 1e-10);
  EXPECT_NEAR(r.duals[1], 0, 1e-10);
  EXPECT_NEAR(r.duals[2], 0.5, 1e-10);
  EXPECT_NEAR(r.reduced_costs[0], 0.25 - 0.5 - 0.5, 1e-10);  // x at its upper bound
  EXPECT_NEAR(r.reduced_costs[1], 0, 1e-10);
}

TEST(ClpLp, DualsAreDerivativesOfTheOptimalCost) {
  QcqpModel m = tiny_lp();
  const LpResult base = solve_lp(m);
  ASSERT_TRUE(base.status.ok());
  for (int row : {0, 2}) {
    QcqpModel shifted = tiny_lp();
    const double h = 1e-3;
    const Constraint& c = shifted.constraints()[row];
    QcqpModel rebuilt;  // same model, the row's bounds moved by h
    for (int j = 0; j < shifted.num_variables(); ++j)
      rebuilt.add_variable(shifted.lower()[j], shifted.upper()[j], 0, shifted.names()[j]);
    rebuilt.objective() = shifted.objective();
    for (int k = 0; k < shifted.num_constraints(); ++k) {
      const Constraint& ck = shifted.constraints()[k];
      const double lo = ck.lower <= -QcqpModel::inf ? ck.lower : ck.lower + (k == row ? h : 0);
      const double hi = ck.upper >= QcqpModel::inf ? ck.upper : ck.upper + (k == row ? h : 0);
      rebuilt.add_constraint(ck.expr, lo, hi, ck.name);
    }
    (void)c;
    const LpResult moved = solve_lp(rebuilt);
    ASSERT_TRUE(moved.status.ok());
    EXPECT_NEAR((moved.objective - base.objective) / h, base.duals[row], 1e-8) << "row " << row;
  }
}

TEST(ClpLp, WarmStartedResolveAfterBoundAndCostChanges) {
  ClpLp lp(tiny_lp());
  const LpResult first = lp.solve();
  ASSERT_TRUE(first.status.ok());
  lp.set_row_bounds(2, 5, 5);  // z = -1 + 1 = 0
  const LpResult second = lp.solve();
  ASSERT_TRUE(second.status.ok());
  EXPECT_NEAR(second.x[2], 0, 1e-10);
  EXPECT_NEAR(second.objective, first.objective + 0.5, 1e-10);
  EXPECT_LE(second.iterations, 1);  // the old basis stays optimal (only the rhs moved)
  lp.set_objective_coefficient(0, 3);  // x now dearer than y: x = 0, y = 3, z = 5 - 9 = -4
  const LpResult third = lp.solve();
  ASSERT_TRUE(third.status.ok());
  EXPECT_NEAR(third.x[0], 0, 1e-10);
  EXPECT_NEAR(third.x[1], 3, 1e-10);
  EXPECT_NEAR(third.x[2], -4, 1e-10);
  EXPECT_NEAR(third.objective, 2 * 3 + 0.5 * -4 + 5, 1e-10);
  // The same LP from scratch agrees.
  LpOptions cold;
  cold.warm_start = false;
  ClpLp fresh(tiny_lp(), cold);
  fresh.set_row_bounds(2, 5, 5);
  fresh.set_objective_coefficient(0, 3);
  EXPECT_NEAR(fresh.solve().objective, third.objective, 1e-10);
}

TEST(ClpLp, InfeasibleAndQuadraticModels) {
  QcqpModel m = tiny_lp();
  Expression e;
  e.add(0, 1);
  m.add_constraint(e, 3, QcqpModel::inf, "x>=3 but x<=2");
  const LpResult r = solve_lp(m);
  EXPECT_EQ(r.status.code, StatusCode::infeasible);
  QcqpModel q = tiny_lp();
  q.objective().add(0, 0, 1.0);
  EXPECT_THROW(ClpLp{q}, std::invalid_argument);
}

TEST(ClpLp, DualsMatchIpoptMultipliersWithTheOppositeSign) {
  const QcqpModel m = tiny_lp();
  const LpResult c = solve_lp(m);
  NlpOptions o;
  o.convex = true;
  const NlpResult i = solve_nlp(m, o);
  ASSERT_TRUE(i.status.ok()) << i.status.message;
  EXPECT_NEAR(i.objective, c.objective, 1e-7);
  for (int k = 0; k < m.num_constraints(); ++k) EXPECT_NEAR(-i.multipliers[k], c.duals[k], 1e-6) << k;
}
