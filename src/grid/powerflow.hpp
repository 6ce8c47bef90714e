#pragma once
// AC power flow: Newton-Raphson (PETSc SNES, backend/) for any network, and the radial
// backward/forward sweep for trees. Non-convergence is a status, never an abort.
#include <complex>
#include <memory>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "data/grid_network.hpp"

namespace evs::grid {

using cplx = std::complex<double>;

enum class PfMethod { newton, sweep };
std::string to_string(PfMethod m);
PfMethod pf_method_from_string(const std::string& name);  // throws std::invalid_argument

struct PfOptions {
  double tolerance_pu = 1e-8;  // largest P or Q mismatch, per unit (MATPOWER's default)
  int max_iterations = 30;
};

struct PfIteration {
  int iteration = 0;
  double max_mismatch_pu = 0;
  double seconds = 0;
};

struct PfResult {
  Status status;
  int iterations = 0;
  double max_mismatch_pu = 0;
  std::vector<double> vm, va;     // [bus] pu, rad
  std::vector<cplx> s_from, s_to; // [branch] pu, flow into the branch at each end
  std::vector<cplx> loss;         // [branch] series loss, pu
  cplx s_slack;                   // power supplied at the reference bus, pu (generation)
  std::vector<PfIteration> history;
  double solve_seconds = 0;
};

// The specified net injection at each bus (generation minus load, pu): P and Q at PQ
// buses, P at PV buses (Q is solved), ignored at the reference bus. Voltage magnitude set
// points at PV and reference buses come from vm_set.
struct PfInjections {
  std::vector<cplx> s_net;     // [bus]
  std::vector<double> vm_set;  // [bus]
};
PfInjections injections_from_network(const GridNetwork& net);

// A solver bound to one network; create it once and solve repeatedly (different
// injections per period or scenario). Not thread-safe; one per thread or scenario.
class PowerFlowSolver {
 public:
  virtual ~PowerFlowSolver() = default;
  virtual PfResult solve(const PfInjections& injections, const PfOptions& options) = 0;
};

// Throws InputError when the method cannot handle the network (e.g. sweep on a meshed one).
std::unique_ptr<PowerFlowSolver> make_power_flow_solver(const GridNetwork& net, PfMethod method);

// One-shot convenience: the network's own loads and generator set points.
PfResult solve_power_flow(const GridNetwork& net, PfMethod method, const PfOptions& options = {});

struct PfSummary {
  double loss_mw = 0, loss_mvar = 0;
  double vmin_pu = 0, vmax_pu = 0;
  int vmin_bus = 0, vmax_bus = 0;  // external numbers
  double slack_p_mw = 0, slack_q_mvar = 0;
  double max_line_loading = 0;     // max |S|/rate over branches with a rate, 0 if none
};
PfSummary summarize(const GridNetwork& net, const PfResult& result);

}  // namespace evs::grid
