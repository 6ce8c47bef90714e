#pragma once
// One conav scenario (paper 000): the dispatched EVs' cells drawn from (seed, draw key), the
// CTM of charging and V2G EVs, station energy and power, and the feeder (DistFlow SOC or
// LinDistFlow) in one optimisation through grid::ModelExtension, then the AC check.
// Pure: no MPI, no file I/O; never throws (a failure is the status).
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "kinds/conav/model.hpp"
#include "kinds/conav/prepared.hpp"

namespace evs::kinds::conav {

constexpr std::uint32_t kStreamInitialCells = 13;  // RandomStream id of the initial cells

struct ScenarioOptions {
  bool keep_series = false;
  int attempt = 1;
  double time_limit_s = 0;
  // feeder.solver clp: start from the nominal scenario's basis (PreparedStudy::nominal_basis);
  // false (and in retries): a cold solve after presolve.
  bool lp_from_nominal = true;
  bool lp_keep_basis = false;  // return the LP's optimal basis (ScenarioResult::lp_basis)
};

struct ScenarioResult {
  std::uint64_t scenario_id = 0;
  Status status;
  std::string failed_stage;  // "", "setup", "solve", "ac_check"
  std::string solver_status;
  int cells = 0, cell_links = 0;
  double vehicle_holding_share = NAN;
  double charging_energy_kwh = NAN, charging_energy_shortfall_kwh = NAN, v2g_energy_kwh = NAN;
  double navigation_time_min = NAN;     // charging EVs, total minutes on road cells
  double arrival_step_last = NAN;       // last step in which charging EVs enter a station cell
  double station_peak_kw = NAN;         // largest net station power (charging - V2G) over stations and steps
  double voltage_deviation_sum = NAN;   // sum over steps and buses of |V - 1| (magnitudes, pu)
  double vmin_pu = NAN, vmax_pu = NAN, max_line_loading = NAN;
  double ac_max_dv_pu = NAN, max_relaxation_gap = NAN, conservation_error = NAN;
  double objective = NAN;
  int ac_violations = 0, iterations = 0;
  double build_s = 0, solve_s = 0, total_s = 0;
  double first_feasible_s = NAN;  // Ipopt: seconds to its first iterate within the constraint tolerance
  std::vector<int> initial_cells;                     // [vehicle] charging EVs first, then V2G
  std::vector<std::vector<double>> station_vehicles;  // [station][step] dispatched EVs in the station cell
  std::vector<std::vector<double>> station_kw;        // [station][step] net power (charging - V2G)
  std::vector<std::vector<double>> station_v2g_kw;    // [station][step] V2G discharging power
  std::vector<double> v2g_kwh_by_station;             // [station] energy the V2G EVs gave there
  std::vector<std::vector<double>> vm_pu;             // [step][bus]
  grid::LpBasis lp_basis;                             // lp_keep_basis: the LP's optimal basis, when usable
};

// Distinct road cells for `count` vehicles from (seed, draw_key); throws InputError when
// there are fewer road cells than vehicles.
std::vector<int> draw_initial_cells(const CellNetwork& net, int count, std::uint64_t seed, std::uint64_t draw_key);

ScenarioResult run_model(const PreparedStudy& prepared, std::uint64_t draw_key, const Model& model,
                         const ScenarioOptions& options = {}) noexcept;

}  // namespace evs::kinds::conav
