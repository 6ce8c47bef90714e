#pragma once
// The paper's baseline (paper 002, section 5.3): a multi-objective particle swarm on the same
// V2G scenario as the deterministic front (same cohorts, objectives f1 f2 f3, transformer,
// voltage and departure constraints), for the hypervolume / time comparison.
//
// Decision vector: the net power x (kW, charge > 0, discharge < 0) of every cohort in every
// period of its window, within [-n P_pile (V2G) or 0, n P_pile]. Each evaluated position is
// repaired in place, forward over the window, so that the stored energy stays within
// [max(n soc_min B, floor_j), n soc_max B] and reaches the cohort's need in the last period
// (the cohort floors guarantee this is always possible): every particle then meets the
// departure energy, as the deterministic front does with its penalised shortfall at zero.
//
// Objectives from the repaired schedule: f1 and f2 exactly as optimise.hpp states them; f3
// and the voltage limits from the feeder's LinDistFlow voltages, which are affine in the
// areas' EV load: v_t,b = v0_t,b + sum_a K_b,a ev_a,t, with v0 and K measured by solving the
// model without cohorts (exact for pareto.formulation lin). A position violates the
// constraints by (largest transformer overload, MW) + (largest voltage excursion, pu) +
// (departure energy the repair could not place, MWh; zero unless floors were clipped); the
// particles compare by constrained dominance (feasible before infeasible, then smaller
// violation, then Pareto dominance).
//
// Swarm (eqs. 25-27): w from w_start 0.85 (the paper's) down to w_end 0.4 (not given by the
// paper) linearly over the iterations; c1 = c2 = 1.25 (the paper's acceleration constant);
// velocities clamped to half the variable's range, positions to its bounds. Personal best:
// replaced when the new position dominates it, kept when it dominates the new one, else
// replaced with probability 1/2. Archive (external repository): the feasible non-dominated
// positions found, at most `archive` of them; when full, the most crowded member (smallest
// crowding distance, NSGA-II's, in objectives normalised by the archive's range) goes.
// Leader of each particle and iteration: binary tournament in the archive on the crowding
// distance (the larger wins; MOPSO-CD, Raquel & Naval 2005); while the archive is empty,
// the particle's own best.
#include <array>
#include <cstdint>
#include <vector>

#include "kinds/planning/optimise.hpp"

namespace evs::kinds::planning {

struct Evaluation {
  std::array<double, 3> f{NAN, NAN, NAN};
  double overload_mw = 0, voltage_violation_pu = 0, shortfall_mwh = 0;
  double violation() const { return overload_mw + voltage_violation_pu + shortfall_mwh; }
};

// Repairs x ([cohort][j] net kW over the window) in place (see above) and evaluates it.
Evaluation evaluate_schedule(const FleetProblem& problem, const LinearVoltages& lv,
                             std::vector<std::vector<double>>& x);
// The net schedule of a solve_fleet solution (charge - discharge), for tests.
std::vector<std::vector<double>> net_schedule(const FleetSolution& s);

struct MopsoOptions {
  int particles = 60, iterations = 300, archive = 100;
  double w_start = 0.85, w_end = 0.4, c1 = 1.25, c2 = 1.25;
  double feasibility_tol = 1e-6;  // violation (MW + pu) counted as feasible
  std::uint64_t seed = 0, scenario_id = 0;
};

struct MopsoResult {
  std::vector<std::array<double, 3>> f;  // the final archive's raw objectives (feasible only)
  int evaluations = 0, feasible_evaluations = 0;
  Evaluation least_violation;  // the evaluated position with the smallest violation
  double solve_s = 0;
};

MopsoResult mopso(const FleetProblem& problem, const MopsoOptions& options, const grid::NlpOptions& nlp);

}  // namespace evs::kinds::planning
