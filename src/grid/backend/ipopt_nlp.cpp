// The one TNLP adapter over QcqpModel. Sparsity is computed once: the Jacobian from every
// constraint's linear and quadratic terms, the Hessian of the Lagrangian (lower triangle)
// from the quadratic terms of the objective and constraints. As in Ipopt's hs071 example,
// the same functions fill either the structure (values == nullptr) or the values.
#include <IpIpoptApplication.hpp>
#include <IpIpoptCalculatedQuantities.hpp>
#include <IpJournalist.hpp>
#include <IpSolveStatistics.hpp>
#include <IpTNLP.hpp>
#include <IpUtils.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <ctime>
#include <map>
#include <optional>

#include "core/timer.hpp"
#include "grid/backend/ipopt_ldl.hpp"
#include "grid/backend/ipopt_nlp.hpp"

// Ipopt 3.11 times every function evaluation, linear solve and iteration phase with
// Ipopt::CpuTime() and Ipopt::SysTime(), each one getrusage system call, at every start and
// stop of every timer: ~10 % of the default study's run time (perf, BENCHMARKS.md), and 3.11
// cannot switch it off (3.14's `timing_statistics` can). evsweep reads none of these timings:
// its time limits and reports use its own clock. libipopt calls both through its procedure
// linkage table, so these definitions take their place: CPU time from the vDSO's monotonic
// clock (no system call; only Ipopt's max_cpu_time, never set by evsweep, and its statistics
// see it), system time 0. Should a build of Ipopt bind them internally instead, the library's
// own functions run, slower and otherwise identical.
namespace Ipopt {
Number CpuTime() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<Number>(ts.tv_sec) + 1e-9 * static_cast<Number>(ts.tv_nsec);
}
Number SysTime() { return 0.0; }
}  // namespace Ipopt

namespace evs::grid {

namespace {

using Ipopt::Index;
using Ipopt::Number;

// Ipopt journal that collects text for the logger.
class LogJournal : public Ipopt::Journal {
 public:
  LogJournal(std::string* sink, Ipopt::EJournalLevel level) : Journal("evsweep", level), sink_(sink) {}

 protected:
  void PrintImpl(Ipopt::EJournalCategory, Ipopt::EJournalLevel, const char* str) override { *sink_ += str; }
  void PrintfImpl(Ipopt::EJournalCategory, Ipopt::EJournalLevel, const char* format, va_list ap) override {
    char buf[4096];
    std::vsnprintf(buf, sizeof buf, format, ap);
    *sink_ += buf;
  }
  void FlushBufferImpl() override {}

 private:
  std::string* sink_;
};

class QcqpTnlp : public Ipopt::TNLP {
 public:
  QcqpTnlp(const QcqpModel& model, const std::vector<double>& start, NlpResult& result,
           std::chrono::steady_clock::time_point deadline)
      : m_(model), start_(start), result_(result), deadline_(deadline) {
    // Jacobian pattern, row by row (a constraint's variables, sorted and unique: the same
    // row-major order as one sort of every pair, at a fraction of its cost: the pattern is
    // rebuilt for every solve of a sweep); each term knows its slot(s).
    std::vector<int> cols;
    for (int c = 0; c < m_.num_constraints(); ++c) {
      const auto& e = m_.constraints()[c].expr;
      cols.clear();
      for (const auto& t : e.linear) cols.push_back(t.var);
      for (const auto& q : e.quadratic) {
        cols.push_back(q.i);
        cols.push_back(q.j);
      }
      std::sort(cols.begin(), cols.end());
      cols.erase(std::unique(cols.begin(), cols.end()), cols.end());
      const int base = static_cast<int>(jac_col_.size());
      jac_row_.insert(jac_row_.end(), cols.size(), c);
      jac_col_.insert(jac_col_.end(), cols.begin(), cols.end());
      auto slot = [&](int var) {
        return base + static_cast<int>(std::lower_bound(cols.begin(), cols.end(), var) - cols.begin());
      };
      for (const auto& t : e.linear) lin_slot_.push_back(slot(t.var));
      for (const auto& q : e.quadratic) quad_slot_.push_back({slot(q.i), slot(q.j)});
    }
    // Hessian pattern (lower triangle).
    auto key = [](const QuadTerm& q) { return std::make_pair(std::max(q.i, q.j), std::min(q.i, q.j)); };
    std::vector<std::pair<int, int>> hes;
    for (const auto& q : m_.objective().quadratic) hes.push_back(key(q));
    for (const auto& c : m_.constraints())
      for (const auto& q : c.expr.quadratic) hes.push_back(key(q));
    std::sort(hes.begin(), hes.end());
    hes.erase(std::unique(hes.begin(), hes.end()), hes.end());
    for (const auto& [r, c] : hes) {
      hes_row_.push_back(r);
      hes_col_.push_back(c);
    }
    auto hes_slot = [&](const QuadTerm& q) {
      return static_cast<int>(std::lower_bound(hes.begin(), hes.end(), key(q)) - hes.begin());
    };
    for (const auto& q : m_.objective().quadratic) obj_hes_slot_.push_back(hes_slot(q));
    for (const auto& c : m_.constraints())
      for (const auto& q : c.expr.quadratic) con_hes_slot_.push_back(hes_slot(q));
  }

  bool get_nlp_info(Index& n, Index& m, Index& nnz_jac, Index& nnz_hes, IndexStyleEnum& style) override {
    n = m_.num_variables();
    m = m_.num_constraints();
    nnz_jac = static_cast<Index>(jac_row_.size());
    nnz_hes = static_cast<Index>(hes_row_.size());
    style = C_STYLE;
    return true;
  }

  bool get_bounds_info(Index n, Number* xl, Number* xu, Index m, Number* gl, Number* gu) override {
    for (Index i = 0; i < n; ++i) {
      xl[i] = m_.lower()[i];
      xu[i] = m_.upper()[i];
    }
    for (Index c = 0; c < m; ++c) {
      const auto& con = m_.constraints()[c];
      gl[c] = con.lower <= -QcqpModel::inf ? -QcqpModel::inf : con.lower - con.expr.constant;
      gu[c] = con.upper >= QcqpModel::inf ? QcqpModel::inf : con.upper - con.expr.constant;
    }
    return true;
  }

  bool get_starting_point(Index n, bool init_x, Number* x, bool init_z, Number*, Number*, Index, bool init_lambda,
                          Number*) override {
    if (init_z || init_lambda) return false;
    if (init_x)
      for (Index i = 0; i < n; ++i) x[i] = start_.size() == static_cast<size_t>(n) ? start_[i] : m_.start()[i];
    return true;
  }

  bool eval_f(Index, const Number* x, bool, Number& f) override {
    f = m_.objective().value(x);
    return std::isfinite(f);
  }

  bool eval_grad_f(Index n, const Number* x, bool, Number* g) override {
    std::fill(g, g + n, 0.0);
    for (const auto& t : m_.objective().linear) g[t.var] += t.coef;
    for (const auto& q : m_.objective().quadratic) {
      g[q.i] += q.coef * x[q.j];
      g[q.j] += q.coef * x[q.i];
    }
    return true;
  }

  bool eval_g(Index, const Number* x, bool, Index m, Number* g) override {
    for (Index c = 0; c < m; ++c) {
      const auto& e = m_.constraints()[c].expr;
      g[c] = e.value(x) - e.constant;
      if (!std::isfinite(g[c])) return false;
    }
    return true;
  }

  bool eval_jac_g(Index, const Number* x, bool, Index, Index nnz, Index* row, Index* col, Number* values) override {
    if (!values) {
      for (Index k = 0; k < nnz; ++k) {
        row[k] = jac_row_[k];
        col[k] = jac_col_[k];
      }
      return true;
    }
    std::fill(values, values + nnz, 0.0);
    size_t li = 0, qi = 0;
    for (const auto& c : m_.constraints()) {
      for (const auto& t : c.expr.linear) values[lin_slot_[li++]] += t.coef;
      for (const auto& q : c.expr.quadratic) {
        const auto [si, sj] = quad_slot_[qi++];
        values[si] += q.coef * x[q.j];
        values[sj] += q.coef * x[q.i];
      }
    }
    return true;
  }

  bool eval_h(Index, const Number*, bool, Number obj_factor, Index, const Number* lambda, bool, Index nnz, Index* row,
              Index* col, Number* values) override {
    if (!values) {
      for (Index k = 0; k < nnz; ++k) {
        row[k] = hes_row_[k];
        col[k] = hes_col_[k];
      }
      return true;
    }
    std::fill(values, values + nnz, 0.0);
    // d2(c x_i x_j): 2c on the diagonal when i == j, c off the diagonal (lower triangle only).
    auto add = [&](const QuadTerm& q, int slot, double w) { values[slot] += w * q.coef * (q.i == q.j ? 2.0 : 1.0); };
    size_t k = 0;
    for (const auto& q : m_.objective().quadratic) add(q, obj_hes_slot_[k++], obj_factor);
    k = 0;
    for (size_t c = 0; c < m_.constraints().size(); ++c)
      for (const auto& q : m_.constraints()[c].expr.quadratic) add(q, con_hes_slot_[k++], lambda[c]);
    return true;
  }

  void finalize_solution(Ipopt::SolverReturn, Index n, const Number* x, const Number*, const Number*, Index m,
                         const Number*, const Number* lambda, Number obj, const Ipopt::IpoptData*,
                         Ipopt::IpoptCalculatedQuantities*) override {
    result_.x.assign(x, x + n);
    result_.multipliers.assign(lambda, lambda + m);
    result_.objective = obj;
  }

 private:
  const QcqpModel& m_;
  // Records the first iterate within the constraint tolerance (NlpResult::first_feasible_*);
  // stops the solve (User_Requested_Stop) once the wall-clock deadline has passed.
  // The violation is the unscaled one (the callback's inf_pr is of the scaled problem), and
  // restoration-phase iterates do not count.
  bool intermediate_callback(Ipopt::AlgorithmMode mode, Index iter, Number, Number, Number, Number, Number, Number,
                             Number, Number, Index, const Ipopt::IpoptData*, Ipopt::IpoptCalculatedQuantities* cq) override {
    const auto now = std::chrono::steady_clock::now();
    if (result_.first_feasible_iteration < 0 && mode == Ipopt::RegularMode && cq != nullptr &&
        cq->unscaled_curr_nlp_constraint_violation(Ipopt::NORM_MAX) <= feasible_tol_) {
      result_.first_feasible_iteration = iter;
      result_.first_feasible_seconds = std::chrono::duration<double>(now - started_).count();
    }
    if (deadline_ == std::chrono::steady_clock::time_point::max()) return true;
    return now < deadline_;
  }
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  double feasible_tol_ = 1e-6;

 public:
  void set_feasibility_tolerance(double tol) { feasible_tol_ = tol; }

 private:

  const std::vector<double>& start_;
  NlpResult& result_;
  std::chrono::steady_clock::time_point deadline_;
  std::vector<Index> jac_row_, jac_col_, hes_row_, hes_col_;
  std::vector<int> lin_slot_;
  std::vector<std::pair<int, int>> quad_slot_;
  std::vector<int> obj_hes_slot_, con_hes_slot_;
};

const char* status_name(Ipopt::ApplicationReturnStatus s) {
  switch (s) {
    case Ipopt::Solve_Succeeded: return "Solve_Succeeded";
    case Ipopt::Solved_To_Acceptable_Level: return "Solved_To_Acceptable_Level";
    case Ipopt::Infeasible_Problem_Detected: return "Infeasible_Problem_Detected";
    case Ipopt::Search_Direction_Becomes_Too_Small: return "Search_Direction_Becomes_Too_Small";
    case Ipopt::Diverging_Iterates: return "Diverging_Iterates";
    case Ipopt::User_Requested_Stop: return "User_Requested_Stop";
    case Ipopt::Feasible_Point_Found: return "Feasible_Point_Found";
    case Ipopt::Maximum_Iterations_Exceeded: return "Maximum_Iterations_Exceeded";
    case Ipopt::Restoration_Failed: return "Restoration_Failed";
    case Ipopt::Error_In_Step_Computation: return "Error_In_Step_Computation";
    case Ipopt::Maximum_CpuTime_Exceeded: return "Maximum_CpuTime_Exceeded";
    case Ipopt::Not_Enough_Degrees_Of_Freedom: return "Not_Enough_Degrees_Of_Freedom";
    case Ipopt::Invalid_Problem_Definition: return "Invalid_Problem_Definition";
    case Ipopt::Invalid_Option: return "Invalid_Option";
    case Ipopt::Invalid_Number_Detected: return "Invalid_Number_Detected";
    case Ipopt::Unrecoverable_Exception: return "Unrecoverable_Exception";
    case Ipopt::NonIpopt_Exception_Thrown: return "NonIpopt_Exception_Thrown";
    case Ipopt::Insufficient_Memory: return "Insufficient_Memory";
    case Ipopt::Internal_Error: return "Internal_Error";
  }
  return "Unknown";
}

double max_violation(const QcqpModel& m, const std::vector<double>& x) {
  double worst = 0;
  for (int i = 0; i < m.num_variables(); ++i)
    worst = std::max({worst, m.lower()[i] - x[i], x[i] - m.upper()[i]});
  for (const auto& c : m.constraints()) {
    const double v = c.expr.value(x.data());
    worst = std::max({worst, c.lower - v, v - c.upper});
  }
  return worst;
}

// One Ipopt run with the given linear solver (ldl: SparseLdl through ipopt_ldl.hpp).
NlpResult solve_once(const QcqpModel& model, const NlpOptions& opt, bool ldl, const Logger& log) {
  Stopwatch clock;
  NlpResult result;
  Ipopt::SmartPtr<Ipopt::IpoptApplication> app = new Ipopt::IpoptApplication(false /* no console output */);
  if (opt.print_level > 0 || opt.derivative_test) {
    Ipopt::SmartPtr<Ipopt::Journal> journal =
        new LogJournal(&result.log, static_cast<Ipopt::EJournalLevel>(std::max(opt.print_level, 4)));
    app->Jnlst()->AddJournal(journal);
  }
  auto options = app->Options();
  options->SetStringValue("sb", "yes");
  options->SetIntegerValue("print_level", std::max(opt.print_level, opt.derivative_test ? 4 : 0));
  options->SetNumericValue("tol", opt.tolerance);
  // Constraints are met to this absolute accuracy (Ipopt's default, 1e-4, is far too loose
  // for per-unit branch flows: a relaxation gap is relative to l v, which can be ~1e-6).
  options->SetNumericValue("constr_viol_tol", opt.constraint_tolerance);
  // Ipopt moves every bound outwards by 1e-8 (relative) by default; the SOC constraint
  // P^2 + Q^2 - l v <= 0 would then allow 1e-8 pu^2 of slack, a "relaxation gap" of 1e-2 on
  // a branch carrying 10 kW. Keep the bounds as written.
  options->SetNumericValue("bound_relax_factor", opt.bound_relax_factor);
  // Complementarity decides how tight inequality constraints end up (SOC exactness).
  options->SetNumericValue("compl_inf_tol", opt.complementarity_tolerance);
  options->SetIntegerValue("max_iter", opt.robust ? 10 * opt.max_iterations : opt.max_iterations);
  options->SetStringValue("mu_strategy", opt.robust ? "monotone" : "adaptive");
  if (opt.convex && !opt.robust) options->SetStringValue("mehrotra_algorithm", "yes");
  result.linear_solver = ldl ? "ldl" : "mumps";
  if (ldl) {
    // SparseLdl through Ipopt's MA27 interface (ipopt_ldl.hpp); MC19 scaling is HSL's too.
    options->SetStringValue("linear_solver", "ma27");
    options->SetStringValue("linear_system_scaling", "none");
  }
  if (opt.derivative_test) {
    options->SetStringValue("derivative_test", "second-order");
    options->SetNumericValue("derivative_test_perturbation", 1e-7);
    options->SetNumericValue("derivative_test_tol", opt.derivative_test_tolerance);
  }
  if (app->Initialize() != Ipopt::Solve_Succeeded) {
    result.status = Status::failure(StatusCode::internal_error, "Ipopt could not be initialised");
    return result;
  }
  auto* tnlp = new QcqpTnlp(model, opt.start, result, opt.deadline);
  tnlp->set_feasibility_tolerance(opt.constraint_tolerance);
  Ipopt::SmartPtr<Ipopt::TNLP> nlp = tnlp;
  Ipopt::ApplicationReturnStatus status;
  std::optional<IpoptLdlScope> ldl_scope;
  if (ldl) ldl_scope.emplace(model.num_constraints());
  try {
    status = app->OptimizeTNLP(nlp);
  } catch (const std::exception& e) {
    result.status = Status::failure(StatusCode::internal_error, std::string("Ipopt threw: ") + e.what());
    return result;
  }
  result.solver_status = status_name(status);
  Ipopt::SmartPtr<Ipopt::SolveStatistics> stats = app->Statistics();
  if (Ipopt::IsValid(stats)) result.iterations = stats->IterationCount();
  if (result.x.size() == static_cast<size_t>(model.num_variables())) result.max_violation = max_violation(model, result.x);
  switch (status) {
    case Ipopt::Solve_Succeeded:
    case Ipopt::Solved_To_Acceptable_Level:
      break;
    case Ipopt::Infeasible_Problem_Detected:
      result.status = Status::failure(StatusCode::infeasible,
                                      "Ipopt: " + result.solver_status + " (worst violation " +
                                          std::to_string(result.max_violation) + ")");
      break;
    case Ipopt::User_Requested_Stop:
      result.status = Status::failure(StatusCode::timeout, "Ipopt stopped at the scenario's time limit after " +
                                                               std::to_string(result.iterations) + " iterations");
      break;
    case Ipopt::Maximum_Iterations_Exceeded:
    case Ipopt::Maximum_CpuTime_Exceeded:
      result.status = Status::failure(StatusCode::not_converged, "Ipopt: " + result.solver_status);
      break;
    default:
      result.status = Status::failure(StatusCode::numerical_error, "Ipopt: " + result.solver_status +
                                                                       " (worst violation " +
                                                                       std::to_string(result.max_violation) + ")");
  }
  if (!result.log.empty()) log.debug(result.log);
  if (ldl_scope && ldl_scope->regularised_pivots() > 0)
    log.debug("ldl: " + std::to_string(ldl_scope->regularised_pivots()) + " tiny pivots regularised in " +
              std::to_string(ldl_scope->factorisations()) + " factorisations");
  result.solve_seconds = clock.seconds();
  return result;
}

}  // namespace

NlpResult solve_nlp(const QcqpModel& model, const NlpOptions& opt, const Logger& log) {
  const bool ldl = opt.linear_solver == LinearSolver::ldl && !opt.robust;
  NlpResult result = solve_once(model, opt, ldl, log);
  const auto code = result.status.code;
  // (A failed Mehrotra solve is settled by the caller with the standard algorithm first.)
  if (ldl && !opt.convex && (code == StatusCode::numerical_error || code == StatusCode::internal_error)) {
    // Regularised LDL^T has no pivoting: let MUMPS settle what the failure is.
    log.info("Ipopt with the ldl solver ended with " + result.solver_status + "; solving again with MUMPS");
    const double first_s = result.solve_seconds;
    const int first_iterations = result.iterations;
    result = solve_once(model, opt, false, log);
    result.solve_seconds += first_s;
    result.first_feasible_seconds += first_s;  // NaN stays NaN
    result.iterations += first_iterations;
  }
  return result;
}

}  // namespace evs::grid
