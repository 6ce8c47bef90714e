#pragma once
// Solves a QcqpModel whose terms are all linear (an LP) with Clp's dual simplex, returning
// the primal values and exact duals (row prices from the optimal basis). A ClpLp keeps the
// loaded problem and its basis: after changing bounds or objective coefficients, solve()
// restarts the dual simplex from the last optimal basis (warm start), which is what pays
// when the same LP is re-solved many times with small changes (the stackelberg kind's
// operator problem). Clp is linked only here (src/grid/CMakeLists.txt).
#include <memory>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "grid/model/qcqp.hpp"

class ClpSimplex;

namespace evs::grid {

// An optimal basis (Clp's status of every column, then every row) to start a later solve of
// an LP of the same shape from: after changes of bounds and right-hand sides only it is still
// dual feasible, and the dual simplex needs a few percent of a cold solve's iterations.
struct LpBasis {
  int rows = 0, cols = 0;
  std::vector<unsigned char> status;
  bool fits(int r, int c) const { return rows == r && cols == c && status.size() == static_cast<size_t>(r + c); }
};

struct LpOptions {
  int max_iterations = 1000000;  // simplex iterations per solve
  double time_limit_s = 0;       // 0 = none
  bool warm_start = true;        // false: every solve() starts from the slack basis
  // The first solve (or every one without warm starts) goes through Clp's presolve, then the
  // dual simplex: for one large LP solved once (the conav kind's joint model: half the time).
  bool presolve = false;
  // The first solve starts the dual simplex from this basis (no presolve) when it has the
  // model's shape; otherwise it is ignored. Must outlive the solve.
  const LpBasis* start = nullptr;
  // Return the optimal basis (LpResult::basis) when it is a vertex basis that a later solve
  // can start from (checked: clp_lp.cpp).
  bool keep_basis = false;
};

struct LpResult {
  Status status;
  std::string solver_status;      // "optimal", "primal_infeasible", "dual_infeasible", ...
  double objective = 0;           // objective value, QcqpModel constant included
  std::vector<double> x;          // [variable]
  // [constraint] d objective / d (active bound of the row): the row price. For a minimised
  // objective a >= row that binds has a dual >= 0, a <= row that binds a dual <= 0.
  std::vector<double> duals;
  std::vector<double> reduced_costs;  // [variable] d objective / d (active bound of the variable)
  int iterations = 0;             // simplex iterations of this solve
  double solve_seconds = 0;
  LpBasis basis;                  // LpOptions::keep_basis: the optimal basis (empty when unusable)
};

class ClpLp {
 public:
  // Throws std::invalid_argument when the model has a quadratic term.
  explicit ClpLp(const QcqpModel& model, LpOptions options = {});
  ~ClpLp();
  ClpLp(const ClpLp&) = delete;
  ClpLp& operator=(const ClpLp&) = delete;

  LpResult solve();

  // Changes between solves (the basis is kept).
  void set_row_bounds(int row, double lower, double upper);
  void set_column_bounds(int var, double lower, double upper);
  void set_objective_coefficient(int var, double coef);
  double objective_coefficient(int var) const;

  int num_rows() const { return rows_; }
  int num_columns() const { return cols_; }

 private:
  std::unique_ptr<ClpSimplex> simplex_;
  LpOptions options_;
  double constant_ = 0;
  int rows_ = 0, cols_ = 0;
  bool solved_once_ = false;
};

// One-shot convenience.
LpResult solve_lp(const QcqpModel& model, const LpOptions& options = {});

}  // namespace evs::grid
