#pragma once
// Multi-period coordinated dispatch of a radial feeder (MODELS.md sections 1-2, 4-5) on the
// branch-flow (DistFlow) model, in one of three interchangeable formulations:
//   soc    second-order-cone relaxation  P^2 + Q^2 <= l v   (paper 001)
//   exact  exact branch flow             P^2 + Q^2  = l v   (non-convex; start it from soc)
//   lin    LinDistFlow: no loss terms, no current variable (fast prices)
// followed by an AC power-flow verification of every period with the dispatched injections.
// Units: MW, MVAr, MWh, hours; prices in currency per MWh; the model works in per unit.
// The model is composed from parts (grid/model/: network formulations, components, objective
// terms); study kinds add their own through DispatchProblem::extensions (docs/dispatch.md).
#include <memory>
#include <limits>
#include <string>
#include <vector>

#include "core/log.hpp"
#include "core/status.hpp"
#include "data/grid_network.hpp"
#include "grid/backend/clp_lp.hpp"
#include "grid/backend/ipopt_nlp.hpp"

namespace evs::grid {

class ModelExtension;  // grid/model/dispatch_model.hpp

enum class Formulation { soc, exact, lin };
Formulation formulation_from_string(const std::string& name);  // soc | exact | lin
std::string to_string(Formulation f);

enum class DispatchSolver { ipopt, clp };
DispatchSolver dispatch_solver_from_string(const std::string& name);  // ipopt | clp

struct GasTurbine {
  int bus = 0;  // external bus number
  double pmax_mw = 0.5, qmin_mvar = -0.3, qmax_mvar = 0.3;
  double ramp_mw_per_h = 0.2;
  double cost_a = 2.4;   // currency / (MW^2 h)
  double cost_b = 850;   // currency / MWh
};

struct Storage {
  int bus = 0;
  double power_mw = 0.3, energy_mwh = 1.2;
  double eta_charge = 0.95, eta_discharge = 0.95;
  double soc_min = 0.2, soc_max = 0.8, soc_initial = 0.5;
  bool cyclic = true;  // end the day at the initial state of charge
};

struct Renewable {
  int bus = 0;
  double capacity_mw = 0.5;
  std::vector<double> availability;  // [period] 0..1
  double curtailment_cost = 0;       // currency / MWh not used
  double max_q_ratio = 0.33;         // |Q| <= ratio * P (power factor 0.95)
};

struct DemandResponse {
  int bus = 0;
  double max_share = 0.3;    // shifted out or in at most this share of the bus load
  double compensation = 105; // currency / MWh shifted out
};

struct EvStationLoad {
  int bus = 0;
  std::vector<double> p_mw;  // [period] uncoordinated charging power (from traffic)
  bool coordinated = false;  // re-schedule within the day: energy kept, never ahead of arrivals
  double p_max_mw = 0;       // charging limit when coordinated
  double v2g_max_mw = 0;     // discharge limit when coordinated (V2G share x capacity)
  double q_per_p = 0;        // reactive per active power: tan(acos(power factor)); 0 = unity
};

struct ObjectiveWeights {
  double cost = 1;                // operating cost, currency
  double loss = 0;                // currency / MWh of losses (mu_loss), added to cost
  double voltage_deviation = 0;   // per unit of sum_t sum_i |v_it - 1|
  double load_variance = 0;       // per MW^2 of sum_t (P_head,t - mean)^2
  double peak_valley = 0;         // per MW of max_t P_head,t - min_t P_head,t
};

// What the substation may do with reverse flow (grid.export).
enum class ExportRule {
  credit,  // import unbounded in sign: export credited at the purchase tariff (the default)
  forbid,  // import >= 0 in every period
  price,   // export credited at DispatchProblem::export_price instead of the tariff
};

struct DispatchProblem {
  const GridNetwork* net = nullptr;
  int periods = 24;
  double dt_h = 1;
  std::vector<double> load_scale;  // [period] multiplier of the case loads
  std::vector<double> tariff;      // [period] currency / MWh at the substation
  ExportRule export_rule = ExportRule::credit;
  std::vector<double> export_price;  // [period] currency / MWh paid for export (ExportRule::price)
  double slack_vm_pu = 1.0;
  double vmin_pu = 0.95, vmax_pu = 1.05;
  // > 0: the voltage floor is soft, a shortfall costs this much per pu per bus-hour in the
  // objective (not in the operating cost); a scenario that cannot hold vmin then ends with
  // status infeasible but with its dispatch and the shortfall measured. 0: hard floor.
  double voltage_shortfall_cost = 0;
  // > 0: branch ratings are soft, each branch's loading^2 above 1 costs this much per period-hour
  // in the objective; a scenario that cannot keep the ratings ends with status infeasible,
  // its dispatch and the overload measured (max_line_loading > 1). 0: hard ratings.
  double line_overload_cost = 0;
  std::vector<GasTurbine> turbines;
  std::vector<Storage> storages;
  std::vector<Renewable> pv, wind;
  std::vector<DemandResponse> demand_response;
  std::vector<EvStationLoad> ev_stations;
  ObjectiveWeights weights;
  Formulation formulation = Formulation::soc;
  // lin only: > 0 replaces each rating P^2 + Q^2 <= S^2 by the polygon of this many sides
  // around the circle (add_power_polygon), which keeps a lin model linear. 0: the circle.
  int rating_polygon_sides = 0;
  // Who solves the model: Ipopt (any formulation), or Clp's dual simplex after presolve, for
  // a model that is an LP (formulation lin, polygon ratings, no quadratic costs; anything else
  // ends with status invalid_input naming what is quadratic).
  DispatchSolver solver = DispatchSolver::ipopt;
  // clp: start from this optimal basis of an LP of the same shape (ClpLp, LpBasis); must
  // outlive the solve. The result's lp_basis is the new optimal basis.
  const LpBasis* lp_start = nullptr;
  bool lp_keep_basis = false;  // clp: return the optimal basis (DispatchResult::lp_basis) when usable
  // exact only: start from the SOC relaxation's optimum (true) or from the flat start, 1 pu
  // and no flows (false; what MATPOWER does, fastest for a single period).
  bool exact_from_relaxation = true;
  bool ac_check = true;
  // Variables, constraints, balance and objective terms from outside grid/, added in this
  // order after the built-in components (grid/model/dispatch_model.hpp, docs/dispatch.md).
  std::vector<std::shared_ptr<const ModelExtension>> extensions;
};

struct DispatchResult {
  Status status;
  LpBasis lp_basis;              // DispatchProblem::lp_keep_basis: the optimal basis, when usable                 // of the optimisation (and of the AC check when it fails)
  bool has_solution = false;     // the fields below describe a dispatch (also when infeasible with a soft floor)
  double voltage_shortfall_pu = 0;  // largest vmin - |V| (soft floor), 0 when held
  int shortfall_bus = 0, shortfall_period = -1;
  std::string solver_status;     // Ipopt's
  std::string linear_solver;     // inside Ipopt, for the last solve: ldl or mumps
  double objective = 0;          // weighted objective
  double operating_cost = 0;     // currency
  // The objective's terms as they enter it (weighted; names: purchase, turbine_fuel,
  // demand_response, curtailment, voltage_floor, losses, voltage_deviation, load_variance,
  // peak_valley, extensions): their sum is `objective`.
  std::vector<std::pair<std::string, double>> objective_terms;
  int iterations = 0;
  double solve_seconds = 0;
  double first_feasible_seconds = std::numeric_limits<double>::quiet_NaN();  // Ipopt: NlpResult's
  std::vector<double> head_mw, head_mvar;       // [period] substation import
  std::vector<std::vector<double>> vm_pu;       // [period][bus] from the dispatch (sqrt v)
  std::vector<std::vector<double>> lmp;         // [period][bus] currency / MWh
  std::vector<double> loss_mw;                  // [period]
  double loss_mwh = 0;
  double vmin_pu = 0, vmax_pu = 0;
  int vmin_bus = 0, vmax_bus = 0;               // external numbers
  double max_line_loading = 0;                  // over rated branches, 0 if none rated
  double max_relaxation_gap = 0;                // max |P^2+Q^2-lv|/(lv), soc and exact
  double curtailment_mwh = 0;
  std::vector<int> simultaneous_storage_periods;  // periods where a storage charges and discharges
  std::vector<std::vector<double>> storage_soc;   // [storage][period] end-of-period SOC
  std::vector<std::vector<double>> ev_mw;         // [station][period] scheduled charging
  std::vector<std::vector<double>> turbine_mw;    // [turbine][period]
  // The whole schedule (what MATPOWER and PowerModels hand back), MW / MVAr per period:
  std::vector<std::vector<double>> turbine_mvar;                         // [turbine][period]
  std::vector<std::vector<double>> storage_charge_mw, storage_discharge_mw;  // [storage][period]
  std::vector<std::vector<double>> dr_out_mw, dr_in_mw;                  // [unit][period] shifted out / in
  std::vector<std::vector<double>> pv_mw, pv_mvar, pv_curtailed_mw;      // [unit][period]
  std::vector<std::vector<double>> wind_mw, wind_mvar, wind_curtailed_mw;  // [unit][period]
  std::vector<std::vector<double>> branch_p_mw, branch_q_mvar;           // [period][branch] at the parent end
  std::vector<std::vector<double>> branch_loading;  // [period][branch] |S| / rating; NaN where unrated
  std::vector<std::vector<double>> branch_loss_mw;  // [period][branch] r l (0 for lin)
  std::vector<std::vector<double>> bus_load_mw, bus_load_mvar;  // [period][bus] fixed load (case x scale, EV fixed)
  // [extension][k] optimal value of the k-th variable its add_to returned, in model units
  std::vector<std::vector<double>> extension_values;
  // AC verification with the dispatched injections
  Status ac_status;
  double ac_max_dv_pu = 0;                      // max |V_ac| - sqrt(v) over buses and periods
  double ac_vmin_pu = 0;
  std::vector<std::string> ac_violations;       // limits violated in the AC solution
};

// Throws InputError when the network does not fit (meshed, transformers, line charging)
// or a device names an unknown bus.
DispatchResult solve_dispatch(const DispatchProblem& problem, const NlpOptions& options = {},
                              const Logger& log = Logger::null());

// Builds the model without solving (tests, derivative checks).
QcqpModel build_dispatch_model(const DispatchProblem& problem);

// Dynamic time-of-use tariff (paper 001 eq. 22) from the equivalent load per period
// (base + EV - renewables, MW): peak where P > mean + sigma (max - min) -> rho0 (1 + sigma),
// valley where P < mean - sigma (max - min) -> rho0 (1 - sigma), else rho0.
std::vector<double> dynamic_tou_tariff(const std::vector<double>& equivalent_load_mw, double rho0, double sigma);

}  // namespace evs::grid
