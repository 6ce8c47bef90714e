// The dispatch: composes the model from its parts (grid/model/), solves it with the generic
// Ipopt adapter, reads the result back and checks it with an AC power flow.
#include "grid/dispatch.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <utility>

#include "grid/backend/clp_lp.hpp"
#include "grid/dispatch_result.hpp"
#include "grid/model/components/components.hpp"
#include "grid/model/dispatch_model.hpp"
#include "grid/model/network.hpp"
#include "grid/model/objective.hpp"

namespace evs::grid {

Formulation formulation_from_string(const std::string& name) {
  if (name == "soc") return Formulation::soc;
  if (name == "exact") return Formulation::exact;
  if (name == "lin") return Formulation::lin;
  throw std::invalid_argument("unknown formulation '" + name + "' (soc, exact, lin)");
}

std::string to_string(Formulation f) {
  return f == Formulation::soc ? "soc" : f == Formulation::exact ? "exact" : "lin";
}

DispatchSolver dispatch_solver_from_string(const std::string& name) {
  if (name == "ipopt") return DispatchSolver::ipopt;
  if (name == "clp") return DispatchSolver::clp;
  throw std::invalid_argument("unknown dispatch solver '" + name + "' (ipopt, clp)");
}

std::vector<double> dynamic_tou_tariff(const std::vector<double>& load, double rho0, double sigma) {
  if (load.empty()) return {};
  double mean = 0;
  for (double p : load) mean += p / static_cast<double>(load.size());
  const auto [lo, hi] = std::minmax_element(load.begin(), load.end());
  const double spread = *hi - *lo;
  std::vector<double> out;
  for (double p : load)
    out.push_back(p > mean + sigma * spread ? rho0 * (1 + sigma) : p < mean - sigma * spread ? rho0 * (1 - sigma) : rho0);
  return out;
}

namespace {

// The model as an LP through Clp (DispatchSolver::clp), its result in Ipopt's terms: the
// multipliers are minus Clp's row duals (Ipopt: L = f + lambda^T g; Clp: d objective / d row
// bound). A model with quadratic terms is refused (invalid_input, naming the first one).
NlpResult solve_as_lp(const QcqpModel& model, const NlpOptions& opt, const LpBasis* start, bool keep_basis,
                      LpBasis& basis) {
  NlpResult r;
  r.linear_solver = "clp";
  LpOptions lo;
  lo.presolve = true;
  lo.warm_start = false;
  lo.start = start;
  lo.keep_basis = keep_basis;
  if (opt.deadline != std::chrono::steady_clock::time_point::max())
    lo.time_limit_s = std::max(1e-3, std::chrono::duration<double>(opt.deadline - std::chrono::steady_clock::now()).count());
  LpResult lp;
  try {
    lp = solve_lp(model, lo);
  } catch (const std::invalid_argument& e) {
    r.status = Status::failure(StatusCode::invalid_input, std::string("solver clp needs a linear model: ") + e.what());
    return r;
  }
  r.status = lp.status;
  r.solver_status = "clp_" + lp.solver_status;
  r.iterations = lp.iterations;
  r.solve_seconds = lp.solve_seconds;
  if (!lp.status.ok()) return r;  // no point to read
  r.objective = lp.objective;
  r.x = std::move(lp.x);
  basis = std::move(lp.basis);
  r.multipliers.resize(lp.duals.size());
  for (size_t i = 0; i < lp.duals.size(); ++i) r.multipliers[i] = -lp.duals[i];
  return r;
}

}  // namespace

void compose_dispatch_model(DispatchModel& m) {
  add_network(m);
  add_substation_purchase(m);
  add_soft_voltage_floor(m);
  add_gas_turbines(m);
  add_storage(m);
  add_renewables(m);
  add_demand_response(m);
  add_ev_stations(m);
  m.first_extension_term = m.device_balance_terms().size();
  for (const auto& extension : m.problem().extensions) {
    if (!extension) throw std::invalid_argument("dispatch problem with a null model extension");
    m.extension_reports.push_back(extension->add_to(m));
  }
  m.close_balances();
  add_loss_term(m);
  add_voltage_deviation_term(m);
  add_load_variance_term(m);
  add_peak_valley_term(m);
}

QcqpModel build_dispatch_model(const DispatchProblem& pb) {
  DispatchModel m(pb);
  compose_dispatch_model(m);
  return std::move(m.qcqp());
}

namespace {

// Ipopt on the model (the exact form started from the SOC relaxation's optimum; a failed
// convex solve settled by the standard algorithm); iterations of the extra solves go to
// `iterations`.
NlpResult solve_with_ipopt(const DispatchProblem& pb, const QcqpModel& model, const NlpOptions& options,
                           const Logger& log, int& iterations) {
  NlpOptions opt = options;
  // soc and lin are convex: Mehrotra's predictor-corrector saves ~15 % of the iterations.
  opt.convex = pb.formulation != Formulation::exact && !opt.robust;
  if (pb.formulation == Formulation::exact && pb.exact_from_relaxation && opt.start.empty()) {
    // The exact model is non-convex: start it from the SOC relaxation's optimum.
    DispatchProblem relaxed = pb;
    relaxed.formulation = Formulation::soc;
    NlpOptions relaxed_opt = opt;
    relaxed_opt.convex = !opt.robust;
    const NlpResult first = solve_nlp(build_dispatch_model(relaxed), relaxed_opt, log);
    if (first.status.ok()) opt.start = first.x;
    iterations += first.iterations;
  }
  NlpResult nlp = solve_nlp(model, opt, log);
  if (!nlp.status.ok() && opt.convex && nlp.status.code != StatusCode::timeout) {
    // Mehrotra's method is poor at proving infeasibility (it ends in restoration failures):
    // settle what the failure is with the standard algorithm.
    iterations += nlp.iterations;
    opt.convex = false;
    nlp = solve_nlp(model, opt, log);
  }
  return nlp;
}

}  // namespace

DispatchResult solve_dispatch(const DispatchProblem& pb, const NlpOptions& options, const Logger& log) {
  DispatchModel m(pb);
  compose_dispatch_model(m);
  const QcqpModel& model = m.qcqp();
  DispatchResult r;
  const NlpResult nlp = pb.solver == DispatchSolver::clp
                            ? solve_as_lp(model, options, pb.lp_start, pb.lp_keep_basis, r.lp_basis)
                            : solve_with_ipopt(pb, model, options, log, r.iterations);
  r.status = nlp.status;
  r.solver_status = nlp.solver_status;
  r.linear_solver = nlp.linear_solver;
  r.iterations += nlp.iterations;
  r.solve_seconds = nlp.solve_seconds;
  r.first_feasible_seconds = nlp.first_feasible_seconds;
  if (nlp.x.size() != static_cast<size_t>(model.num_variables())) return r;
  read_dispatch_solution(m, nlp, r);
  if (pb.ac_check && r.has_solution) verify_dispatch_ac(m, nlp.x, r);
  return r;
}

}  // namespace evs::grid
