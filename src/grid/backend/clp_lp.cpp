#include "grid/backend/clp_lp.hpp"

#include <ClpSimplex.hpp>
#include <ClpSolve.hpp>
#include <CoinPackedMatrix.hpp>

#include <chrono>
#include <cmath>
#include <map>
#include <stdexcept>

namespace evs::grid {

namespace {

// Most dual simplex iterations a kept basis may take to re-solve its own LP (LpResult::basis).
constexpr int kBasisCheckIterations = 100;

// QcqpModel's "no bound" (1e20) is Clp's infinity too (COIN_DBL_MAX would also do).
double clp_bound(double v) {
  if (v >= QcqpModel::inf) return COIN_DBL_MAX;
  if (v <= -QcqpModel::inf) return -COIN_DBL_MAX;
  return v;
}

// The optimal basis of `lp` as one a later solve can start from, or an empty one.
// After presolve Clp may leave a few variables superbasic (nonbasic between their bounds),
// and a dual simplex started from such a basis wanders (3,146 cells x 40 steps: 2,522 of
// them, 25,000 iterations to re-solve the same LP). At an optimum a superbasic variable has
// a zero reduced cost, so putting it at its nearer finite bound keeps the basis dual
// feasible: that vertex basis is the one returned (one without a finite bound: none).
// check (a basis from presolve's postsolve): such a basis can still be one the dual simplex
// does not take as optimal when it starts from it afresh (3,146 cells: 25,000 iterations,
// 0 at 320 cells); it is returned only if a fresh copy of the LP started from it needs at
// most kBasisCheckIterations.
LpBasis usable_basis(const ClpSimplex& lp, int rows, int cols, bool check) {
  const unsigned char* st = lp.statusArray();
  std::vector<unsigned char> status(st, st + rows + cols);
  for (int i = 0; i < rows + cols; ++i) {
    const int s = status[i] & 7;
    if (s != ClpSimplex::superBasic && s != ClpSimplex::isFree) continue;
    const bool col = i < cols;
    const double lo = col ? lp.columnLower()[i] : lp.rowLower()[i - cols];
    const double hi = col ? lp.columnUpper()[i] : lp.rowUpper()[i - cols];
    const double v = col ? lp.getColSolution()[i] : lp.getRowActivity()[i - cols];
    const bool has_lo = lo > -1e30, has_hi = hi < 1e30;
    if (!has_lo && !has_hi) return {};
    const bool to_lo = has_lo && (!has_hi || std::abs(v - lo) <= std::abs(hi - v));
    status[i] = static_cast<unsigned char>((status[i] & ~7) | (to_lo ? ClpSimplex::atLowerBound : ClpSimplex::atUpperBound));
  }
  if (check) {
    ClpSimplex fresh(lp);
    fresh.copyinStatus(status.data());
    fresh.setMaximumIterations(kBasisCheckIterations);
    fresh.setNumberIterations(0);
    fresh.dual(0, 0);
    if (fresh.status() != 0) return {};
  }
  return {rows, cols, std::move(status)};
}

}  // namespace

ClpLp::ClpLp(const QcqpModel& model, LpOptions options) : simplex_(std::make_unique<ClpSimplex>()), options_(options) {
  if (!model.objective().quadratic.empty()) {
    const auto& q = model.objective().quadratic.front();
    throw std::invalid_argument("ClpLp: the objective has quadratic terms (the first: " + model.names()[q.i] + " * " +
                                model.names()[q.j] + ")");
  }
  cols_ = model.num_variables();
  rows_ = model.num_constraints();
  // Column-major matrix; duplicate (row, var) entries are summed.
  std::vector<std::map<int, double>> by_col(cols_);  // [var] row -> coefficient
  std::vector<double> row_lo(rows_), row_hi(rows_);   // [row]
  for (int r = 0; r < rows_; ++r) {
    const Constraint& c = model.constraints()[r];
    if (!c.expr.quadratic.empty())
      throw std::invalid_argument("ClpLp: constraint " + c.name + " has quadratic terms");
    for (const auto& t : c.expr.linear) by_col.at(t.var)[r] += t.coef;
    row_lo[r] = c.lower <= -QcqpModel::inf ? -COIN_DBL_MAX : c.lower - c.expr.constant;
    row_hi[r] = c.upper >= QcqpModel::inf ? COIN_DBL_MAX : c.upper - c.expr.constant;
  }
  std::vector<CoinBigIndex> start(cols_ + 1, 0);
  std::vector<int> index;
  std::vector<double> value;
  for (int j = 0; j < cols_; ++j) {
    for (const auto& [r, v] : by_col[j])
      if (v != 0) {
        index.push_back(r);
        value.push_back(v);
      }
    start[j + 1] = static_cast<CoinBigIndex>(index.size());
  }
  std::vector<double> obj(cols_, 0.0), col_lo(cols_), col_hi(cols_);  // [var]
  for (const auto& t : model.objective().linear) obj.at(t.var) += t.coef;
  for (int j = 0; j < cols_; ++j) {
    col_lo[j] = clp_bound(model.lower()[j]);
    col_hi[j] = clp_bound(model.upper()[j]);
  }
  constant_ = model.objective().constant;
  CoinPackedMatrix matrix(true, rows_, cols_, static_cast<CoinBigIndex>(index.size()), value.data(), index.data(),
                          start.data(), nullptr);
  simplex_->loadProblem(matrix, col_lo.data(), col_hi.data(), obj.data(), row_lo.data(), row_hi.data());
  simplex_->setLogLevel(0);
  simplex_->setOptimizationDirection(1);
}

ClpLp::~ClpLp() = default;

void ClpLp::set_row_bounds(int row, double lower, double upper) {
  simplex_->setRowBounds(row, clp_bound(lower), clp_bound(upper));
}
void ClpLp::set_column_bounds(int var, double lower, double upper) {
  simplex_->setColumnBounds(var, clp_bound(lower), clp_bound(upper));
}
void ClpLp::set_objective_coefficient(int var, double coef) { simplex_->setObjectiveCoefficient(var, coef); }
double ClpLp::objective_coefficient(int var) const { return simplex_->objective()[var]; }

LpResult ClpLp::solve() {
  const auto t0 = std::chrono::steady_clock::now();
  LpResult r;
  simplex_->setMaximumIterations(options_.max_iterations);
  if (options_.time_limit_s > 0) simplex_->setMaximumSeconds(options_.time_limit_s);
  if (!options_.warm_start || !solved_once_) simplex_->allSlackBasis(true);
  simplex_->setNumberIterations(0);
  // Warm re-solves keep Clp's work areas and factorization (startFinishOptions 1 | 2 | 4).
  const bool from_start = options_.start != nullptr && options_.start->fits(rows_, cols_) && !solved_once_;
  if (from_start) {
    // From a given optimal basis of a sibling LP the dual simplex runs unscaled: measured on
    // conav (BM_ConavLinClpWarm, same optima to 10 digits), 1,337 instead of 2,031 iterations
    // per scenario at 320 cells x 40 steps and 489 instead of 1,795 at 112 x 10. Cold solves
    // keep Clp's scaling (unscaled: 67,634 instead of 39,739 iterations at 320 x 40).
    const int scaling = simplex_->scalingFlag();
    simplex_->scaling(0);
    simplex_->copyinStatus(options_.start->status.data());
    simplex_->dual(0, 0);
    simplex_->scaling(scaling);  // later solves of this LP (cold or warm) scaled again
    if (simplex_->status() > 3) {  // numerical trouble from that basis: a cold solve instead
      simplex_->allSlackBasis(true);
      simplex_->dual(0, 0);
    }
  } else if (options_.presolve && !(options_.warm_start && solved_once_)) {
    ClpSolve how;
    how.setPresolveType(ClpSolve::presolveOn);
    how.setSolveType(ClpSolve::useDual);
    simplex_->initialSolve(how);
  } else {
    simplex_->dual(0, options_.warm_start ? (solved_once_ ? 7 : 1) : 0);
  }
  solved_once_ = true;
  r.iterations = simplex_->numberIterations();
  switch (simplex_->status()) {
    case 0:
      r.solver_status = "optimal";
      break;
    case 1:
      r.solver_status = "primal_infeasible";
      r.status = Status::failure(StatusCode::infeasible, "LP is infeasible (Clp dual simplex)");
      break;
    case 2:
      r.solver_status = "dual_infeasible";
      r.status = Status::failure(StatusCode::numerical_error, "LP is unbounded (Clp dual simplex)");
      break;
    case 3:
      r.solver_status = "stopped";
      r.status = Status::failure(StatusCode::not_converged, "Clp stopped on its iteration or time limit");
      break;
    default:
      r.solver_status = "error";
      r.status = Status::failure(StatusCode::numerical_error, "Clp stopped with errors");
      break;
  }
  const double* x = simplex_->primalColumnSolution();
  const double* y = simplex_->dualRowSolution();
  const double* d = simplex_->dualColumnSolution();
  r.x.assign(x, x + cols_);
  r.duals.assign(y, y + rows_);
  r.reduced_costs.assign(d, d + cols_);
  r.objective = simplex_->objectiveValue() + constant_;
  if (simplex_->status() == 0 && options_.keep_basis) r.basis = usable_basis(*simplex_, rows_, cols_, !from_start);
  r.solve_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (r.status.ok() && !std::isfinite(r.objective))
    r.status = Status::failure(StatusCode::numerical_error, "Clp returned a non-finite objective");
  return r;
}

LpResult solve_lp(const QcqpModel& model, const LpOptions& options) {
  ClpLp lp(model, options);
  return lp.solve();
}

}  // namespace evs::grid
