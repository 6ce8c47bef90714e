#pragma once
// One optimisation of the fleet's charging on the feeder (paper 002, section 5): DistFlow
// (grid::DispatchProblem) with a grid::ModelExtension that adds, per cohort and period of its
// window, charge (and for V2G cohorts discharge) power and stored energy, the areas' load
// curves, the transformer limit and the three objectives
//   f1 = sum_a sum_t (P_a,t - mean_a)^2       load variance (MW^2)
//   f2 = sum_a (max_t P_a,t - min_t P_a,t)    peak-valley difference (MW)
//   f3 = sum_t sum_{j in area buses} |U_j,t - U0|, linearised |boost^2 v - U0^2| / (2 U0)  (pu)
// A Subproblem weighs them (each divided by its scale) and may bound f2 and f3 (epsilon
// constraint). Without cohorts the EV load is fixed (disordered charging).
#include <array>
#include <limits>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "data/grid_network.hpp"
#include "grid/dispatch.hpp"
#include "kinds/planning/fleet.hpp"

namespace evs::kinds::planning {

// LinDistFlow voltages of a problem's feeder as an affine function of the areas' EV load
// (exact for formulation lin: the model is affine in the loads).
struct LinearVoltages {
  std::vector<std::vector<double>> v0;  // [period][bus] model v (squared, referred) without EV load
  std::vector<std::vector<double>> k;   // [bus][area] dv per kW of the area's EV load (area-level kW)
};

struct FleetProblem {
  const GridNetwork* net = nullptr;
  std::vector<std::vector<int>> area_buses;   // [area] MATPOWER bus numbers
  std::vector<double> feeder_scale;           // [area]
  std::vector<double> power_factor;           // [area]
  std::vector<std::vector<double>> fixed_kw;  // [area][period] base load (+ fixed EV load), kW
  std::vector<std::vector<double>> fixed_ev_kw;  // [area][period] fixed EV load, active power only (empty: none)
  std::vector<double> cap_kw;                 // [area] existing transformer limit, kW (m S_U cos)
  std::vector<Cohort> cohorts;                // empty: no flexible load
  FleetParams fleet;
  double shortfall_penalty = 1e3, throughput_penalty = 1e-4, overload_penalty = 1e3, loss_weight = 1e-2;
  double voltage_shortfall_cost = 1e3, u0_pu = 1;
  // True-voltage limits on boost_i^2 v_i (soft: the violation costs voltage_shortfall_cost per
  // pu^2 and period); boost: [bus] of the feeder equivalent (empty: 1).
  double vmin_pu = 0.95, vmax_pu = 1.05, slack_vm_pu = 1.0, grid_load_scale = 1;
  std::vector<double> boost;
  grid::Formulation formulation = grid::Formulation::soc;
  // Set (formulation lin only): solve_fleet builds no network but takes the feeder's
  // voltages from these affine functions of the area loads (a model about half the size;
  // no AC check: verify a chosen schedule with a solve without it). Must outlive the problem.
  const LinearVoltages* linear = nullptr;
  bool affine_voltages = true;  // pareto_front: measure and use `linear` (lin only); false: the network
  bool ac_check = true;         // network solves: verify the schedule with the AC power flow
};

// minimise sum_i weight_i f_i / scale_i + penalties subject to f2 <= eps2, f3 <= eps3.
struct Subproblem {
  std::array<double, 3> weight{1, 0, 0};  // of f_i / scale_i
  std::array<double, 3> scale{1, 1, 1};
  double eps2 = std::numeric_limits<double>::infinity();  // f2 <= eps2
  double eps3 = std::numeric_limits<double>::infinity();  // f3 <= eps3
};

struct FleetSolution {
  Status status;
  bool has_solution = false;
  std::string solver_status;
  std::array<double, 3> f{NAN, NAN, NAN};
  double objective = NAN;
  std::vector<std::vector<double>> area_kw;      // [area][period] total load (base + EV)
  std::vector<std::vector<double>> charge_kw;    // [cohort][j] over the cohort's window
  std::vector<std::vector<double>> discharge_kw; // [cohort][j] (empty row: not V2G)
  double shortfall_mwh = 0;    // unmet aggregate departure energy (penalised)
  double overload_mw = 0;      // largest load above the existing transformer units
  int simultaneous = 0;        // cohort periods with both charge and discharge > 1 W
  double vmin_pu = NAN, vmax_pu = NAN, voltage_violation_pu = NAN;  // true voltages
  double max_relaxation_gap = NAN, ac_max_dv_pu = NAN;
  std::vector<std::vector<double>> vm_pu;  // [period][bus] model (referred) voltage magnitudes
  int ac_violations = 0, iterations = 0;
  double ipopt_s = 0;  // of solve_s: inside the solver
  double solve_s = 0;
};

FleetSolution solve_fleet(const FleetProblem& problem, const Subproblem& sub, const grid::NlpOptions& nlp);

// 1 + A solves of the problem without cohorts, on the full DistFlow model.
LinearVoltages linear_voltages(const FleetProblem& problem, const grid::NlpOptions& nlp);

}  // namespace evs::kinds::planning
