#pragma once
// One planning scenario: indices, the fleet drawn from (seed, the scenario's draw key), disordered
// charging, ordered charging (min load variance, augmented) and the V2G Pareto front with its
// chosen point. Pure; never throws (a failure is the status).
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "kinds/planning/indices.hpp"
#include "kinds/planning/model.hpp"
#include "kinds/planning/pareto.hpp"
#include "kinds/planning/prepared.hpp"

namespace evs::kinds::planning {

enum Mode { kDisordered = 0, kOrdered = 1, kV2g = 2 };
inline const std::vector<std::string>& mode_names() {
  static const std::vector<std::string> n = {"disordered", "ordered", "v2g"};
  return n;
}
// Columns of the per-area table (series area_table), in LoadIndices order below.
const std::vector<std::string>& table_columns();

struct ScenarioResult {
  std::uint64_t scenario_id = 0;
  Status status;
  std::string failed_stage, solver_status;
  int vehicles = 0, cohorts = 0;
  double s_ev_kw = NAN, p_r_kw = NAN, s_r_kva = NAN;
  int units_planned = 0;
  std::array<int, 3> units{0, 0, 0};                 // [mode] transformer units, all areas
  std::array<double, 3> peak_valley_mw{NAN, NAN, NAN};  // [mode] summed over areas
  std::array<double, 3> std_mw{NAN, NAN, NAN};          // [mode] summed over areas
  std::array<double, 3> investment{NAN, NAN, NAN};      // [mode]
  double superposition_rate = NAN;  // disordered, largest over areas
  double max_load_rate = NAN;       // disordered, largest over areas
  double max_load_rate_v2g = NAN;
  double departure_soc_shortfall = NAN;  // largest over vehicles, SOC units (V2G chosen point)
  double departure_soc_shortfall_disordered = NAN;
  double unplaced_kw = NAN;        // cohort power the per-vehicle split could not place
  int pile_cut_cohorts = 0;        // cohorts the chosen point was re-solved with Cohort::pile_cut on
  int simultaneous_periods = 0;    // cohort periods charging and discharging at once
  double overload_mw = NAN;
  double vmin_pu = NAN, vmin_disordered_pu = NAN, max_relaxation_gap = NAN, ac_max_dv_pu = NAN;
  int ac_violations = 0;
  int pareto_points = 0, pareto_subproblems = 0, pareto_failed = 0;
  double hypervolume = NAN, hypervolume_mopso = NAN;
  int mopso_points = 0;  // the swarm's final archive (feasible, non-dominated)
  std::array<double, 3> chosen_f{NAN, NAN, NAN};
  double chosen_f3_full = NAN;  // f3 of the chosen schedule on the full DistFlow model (check)
  double solve_s = 0, front_s = 0, mopso_s = NAN;
  // series
  std::vector<std::vector<double>> front;                    // [point][f1 f2 f3] raw
  std::vector<std::vector<std::vector<double>>> area_kw;     // [mode][area][period]
  std::vector<std::vector<std::vector<double>>> table;       // [mode][area][column]
  std::vector<std::array<double, 3>> vehicle_shortfall;      // [vehicle] area, disordered, V2G (SOC)
};

ScenarioResult run_model(const PreparedStudy& prepared, std::uint64_t scenario_id, const Model& model,
                         double time_limit_s = 0, int attempt = 1) noexcept;

// The feeder problem of a scenario without cohorts (tests, bench): fixed_kw = base loads.
FleetProblem base_problem(const PreparedStudy& ps, const Options& o, const std::vector<AreaPlan>& plans);

}  // namespace evs::kinds::planning
