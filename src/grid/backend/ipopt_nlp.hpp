#pragma once
// Solves a QcqpModel with Ipopt (one generic TNLP adapter for every formulation). Ipopt's
// output goes to the engine's Logger, never to stdout.
#include <chrono>
#include <limits>
#include <string>
#include <vector>

#include "core/log.hpp"
#include "core/status.hpp"
#include "grid/model/qcqp.hpp"

namespace evs::grid {

// Linear solver for Ipopt's KKT systems: ldl (SparseLdl, kkt_ldl.hpp: AMD + regularised LDL^T,
// ~10x faster on these small tree-shaped systems) or mumps (Debian's Ipopt default, with
// pivoting: the robust retry uses it).
enum class LinearSolver { ldl, mumps };

struct NlpOptions {
  double tolerance = 1e-8;             // Ipopt's scaled overall tolerance
  double constraint_tolerance = 1e-12; // absolute constraint violation allowed
  double bound_relax_factor = 0;       // Ipopt's default 1e-8 loosens every bound
  double complementarity_tolerance = 1e-11;  // Ipopt's default 1e-4 leaves inequalities loose
  int max_iterations = 3000;
  int print_level = 0;          // Ipopt print level routed to the logger (0 = silent)
  bool derivative_test = false; // run Ipopt's second-order derivative checker first
  double derivative_test_tolerance = 1e-5;  // relative error Ipopt reports as an error
  bool convex = false;          // the model is convex: use Mehrotra's predictor-corrector
  bool robust = false;          // retry settings: monotone barrier, no Mehrotra, MUMPS, 10x the iterations
  LinearSolver linear_solver = LinearSolver::ldl;
  std::vector<double> start;    // optional starting point (else the model's)
  // Wall-clock deadline: the solve stops with status timeout once it has passed.
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

struct NlpResult {
  Status status;
  std::string solver_status;        // Ipopt's return status, e.g. "Solve_Succeeded"
  double objective = 0;
  std::vector<double> x;            // [variable]
  std::vector<double> multipliers;  // [constraint] Ipopt's lambda (L = f + lambda^T g)
  double max_violation = 0;         // largest constraint or bound violation at x
  int iterations = 0;
  double solve_seconds = 0;
  // The first iterate whose constraint violation (Ipopt's inf_pr) is within
  // constraint_tolerance: its iteration and the seconds since the solve started (-1 / NaN:
  // none). "Time to the first feasible point" (paper 000's case D).
  int first_feasible_iteration = -1;
  double first_feasible_seconds = std::numeric_limits<double>::quiet_NaN();
  std::string linear_solver;        // the one used: "ldl" or "mumps"
  std::string log;                  // what Ipopt printed (when print_level > 0)
};

NlpResult solve_nlp(const QcqpModel& model, const NlpOptions& options, const Logger& log = Logger::null());

}  // namespace evs::grid
