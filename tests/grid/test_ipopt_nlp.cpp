#include <gtest/gtest.h>

#include <cmath>

#include "grid/backend/ipopt_nlp.hpp"

using namespace evs;
using namespace evs::grid;

// min (x0 - 1)^2 + (x1 - 2)^2  s.t.  x0^2 + x1^2 <= 1: the projection of (1, 2) on the
// unit disc, (1, 2)/sqrt(5), objective (sqrt(5) - 1)^2, multiplier sqrt(5) - 1.
TEST(IpoptNlp, AnalyticProjectionOnADisc) {
  QcqpModel m;
  const int x0 = m.add_variable(-QcqpModel::inf, QcqpModel::inf, 0, "x0");
  const int x1 = m.add_variable(-QcqpModel::inf, QcqpModel::inf, 0, "x1");
  m.objective().add(x0, x0, 1).add(x0, -2).add(x1, x1, 1).add(x1, -4);
  m.objective().constant = 5;
  Expression disc;
  disc.add(x0, x0, 1).add(x1, x1, 1);
  m.add_constraint(disc, -QcqpModel::inf, 1, "disc");
  const NlpResult r = solve_nlp(m, {});
  ASSERT_TRUE(r.status.ok()) << r.status.message;
  EXPECT_EQ(r.solver_status, "Solve_Succeeded");
  EXPECT_NEAR(r.x[0], 1 / std::sqrt(5.0), 1e-7);
  EXPECT_NEAR(r.x[1], 2 / std::sqrt(5.0), 1e-7);
  EXPECT_NEAR(r.objective, std::pow(std::sqrt(5.0) - 1, 2), 1e-7);
  EXPECT_NEAR(r.multipliers[0], std::sqrt(5.0) - 1, 1e-6);
  EXPECT_LT(r.max_violation, 1e-7);
  EXPECT_EQ(r.linear_solver, "ldl");
  NlpOptions robust;
  robust.robust = true;  // retries use MUMPS
  const NlpResult m2 = solve_nlp(m, robust);
  EXPECT_EQ(m2.linear_solver, "mumps");
  EXPECT_NEAR(m2.objective, r.objective, 1e-9);
}

TEST(IpoptNlp, DerivativeCheckerFindsNoErrors) {
  // Mixed linear, bilinear and square terms in objective and constraints, like DistFlow's.
  QcqpModel m;
  std::vector<int> v;
  for (int i = 0; i < 6; ++i) v.push_back(m.add_variable(0.1, 5, 1 + 0.3 * i, "v" + std::to_string(i)));
  m.objective().add(v[0], v[0], 0.7).add(v[1], v[2], -0.4).add(v[3], 1.5).add(v[4], v[5], 0.2).add(v[5], v[5], 1.1);
  Expression a;  // P^2 + Q^2 - l v <= 0 shape
  a.add(v[0], v[0], 1).add(v[1], v[1], 1).add(v[2], v[3], -1);
  m.add_constraint(a, -QcqpModel::inf, 0, "soc");
  Expression b;
  b.add(v[4], 2).add(v[1], -1).add(v[0], v[5], 0.5);
  b.constant = 0.3;
  m.add_constraint(b, 1, 1, "balance");
  NlpOptions o;
  o.derivative_test = true;
  const NlpResult r = solve_nlp(m, o);
  ASSERT_TRUE(r.status.ok()) << r.status.message;
  EXPECT_NE(r.log.find("No errors detected by derivative checker"), std::string::npos) << r.log.substr(0, 2000);
  EXPECT_LT(r.max_violation, 1e-6);  // Ipopt relaxes bounds by 1e-8 relative (bound_relax_factor)
}

TEST(IpoptNlp, InfeasibleIsAStatusNotACrash) {
  QcqpModel m;
  const int x = m.add_variable(0, 1, 0.5, "x");
  Expression e;
  e.add(x, x, 1);
  m.add_constraint(e, 2, QcqpModel::inf, "impossible");  // x^2 >= 2 with x <= 1
  const NlpResult r = solve_nlp(m, {});
  EXPECT_EQ(r.status.code, StatusCode::infeasible) << r.solver_status;
  EXPECT_NE(r.status.message.find("Infeasible"), std::string::npos);
}

TEST(IpoptNlp, ANumericalFailureWithLdlIsSettledByMumps) {
  // The constraint overflows everywhere in the box: Ipopt stops with Invalid_Number_Detected
  // under ldl, then again under MUMPS; the result says so and names the solver used last.
  QcqpModel m;
  const int x = m.add_variable(1e160, 1e161, 2e160, "x");
  m.objective().add(x, 1);
  Expression e;
  e.add(x, x, 1);  // >= 1e320: infinite in double precision
  m.add_constraint(e, 0, QcqpModel::inf, "overflow");
  const NlpResult r = solve_nlp(m, {});
  EXPECT_EQ(r.status.code, StatusCode::numerical_error) << r.solver_status;
  EXPECT_EQ(r.solver_status, "Invalid_Number_Detected");
  EXPECT_EQ(r.linear_solver, "mumps");
}
