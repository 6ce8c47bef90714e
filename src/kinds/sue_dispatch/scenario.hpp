#pragma once
// One sue_dispatch scenario, end to end: traffic day -> charging loads -> dispatch -> AC
// check -> metrics (MODELS.md section 7). A pure function of its inputs: no MPI, no file
// I/O, no global state; randomness only from (study seed, draw key); it never throws -
// a failure in any stage becomes the scenario's status, stage and message.
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "grid/dispatch.hpp"
#include "kinds/sue_dispatch/model.hpp"
#include "kinds/sue_dispatch/prepared.hpp"

namespace evs::kinds::sue_dispatch {

// Values of some of the kind's parameters by name (tests, tools); absent names keep the
// study's nominal values.
using ScenarioParameters = std::map<std::string, double>;

struct ScenarioOptions {
  // Per-period series to fill.
  bool keep_head_load = false, keep_station_load = false, keep_bus_voltage = false;
  // Keep the whole dispatch (every schedule, prices, branch flows) in ScenarioResult::dispatch.
  bool keep_dispatch = false;
  int attempt = 1;          // > 1: the solvers' robust settings (a retry)
  double time_limit_s = 0;  // wall clock for the whole scenario; 0 = none
};

struct ScenarioResult {
  std::uint64_t scenario_id = 0;
  Status status;
  std::string failed_stage;  // "", "traffic", "dispatch", "ac_check", "setup"
  // Metrics a stage did not produce (not run, or failed before it) stay NaN.
  // traffic
  double traffic_gap = NAN;        // worst final SUE residual / UE gap over the periods
  double tstt = NAN;               // total travel time over the day (veh x time unit)
  int traffic_iterations = 0;
  double station_peak_mw = NAN;    // largest station charging power in any period
  double ev_energy_mwh = NAN;      // charging energy over the day
  // grid
  double cost = NAN;               // operating cost, currency
  double objective = NAN;          // weighted objective
  // Its terms as they enter it (weighted; their sum is objective; grid::DispatchResult).
  double objective_purchase = NAN, objective_turbine_fuel = NAN, objective_demand_response = NAN,
         objective_curtailment = NAN, objective_voltage_floor = NAN, objective_line_overload = NAN,
         objective_losses = NAN,
         objective_voltage_deviation = NAN, objective_load_variance = NAN, objective_peak_valley = NAN;
  double loss_mwh = NAN;
  double vmin_pu = NAN, vmax_pu = NAN;
  int vmin_bus = 0, vmax_bus = 0;
  double max_line_loading = NAN;
  double curtailment_mwh = NAN;
  double head_peak_mw = NAN, head_valley_mw = NAN, head_peak_valley_mw = NAN, head_std_mw = NAN;
  double max_relaxation_gap = NAN;
  double ac_max_dv_pu = NAN;
  double voltage_shortfall_pu = NAN;  // largest shortfall below grid.vmin_pu (soft floor)
  int ac_violations = 0;
  int simultaneous_storage_periods = 0;  // storage unit-periods charging and discharging at once
  int dispatch_iterations = 0;
  std::string solver_status;
  std::string linear_solver;  // Ipopt's, for the dispatch's last solve
  // timings, seconds
  double traffic_s = 0, dispatch_s = 0, total_s = 0;
  // series (ScenarioOptions::keep_*)
  std::vector<double> head_mw;                  // [period] feeder-head active power
  std::vector<std::vector<double>> station_mw;  // [station][period] station load after dispatch
  std::vector<std::vector<double>> vm_pu;       // [period][bus] voltage magnitudes
  std::shared_ptr<const grid::DispatchResult> dispatch;  // ScenarioOptions::keep_dispatch
};

// draw_key: the key of the scenario's random draws (kinds::Scenario::draw_key; the scenario
// id where no design says otherwise).
ScenarioResult run_model(const PreparedStudy& prepared, std::uint64_t draw_key, const Model& model,
                         const ScenarioOptions& options = {}) noexcept;

// The nominal model with `parameters` applied (an unknown name is an invalid_input status);
// the scenario id is also the key of its random draws.
ScenarioResult run_scenario(const PreparedStudy& prepared, std::uint64_t scenario_id,
                            const ScenarioParameters& parameters, const ScenarioOptions& options = {}) noexcept;

}  // namespace evs::kinds::sue_dispatch
