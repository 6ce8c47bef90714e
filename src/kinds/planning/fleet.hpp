#pragma once
// The EV fleet of a scenario: vehicles drawn per area from (seed, the scenario's draw key), disordered
// charging (full power from arrival until full or gone), cohorts of vehicles that share a
// plug-in window for the optimisation, and the split of a cohort's schedule back onto its
// vehicles with each vehicle's departure-SOC check. Energies in kWh, powers in kW; periods
// are cyclic over the day (a vehicle plugged in at 19:00 and leaving at 07:00 wraps).
#include <cstdint>
#include <vector>

#include "kinds/planning/indices.hpp"
#include "kinds/planning/options.hpp"

namespace evs::kinds::planning {

struct Vehicle {
  int area = 0;
  int arrival = 0;     // first plugged-in period
  int dwell = 1;       // periods plugged in (>= 1)
  double e0_kwh = 0;   // energy at arrival
  double target_kwh = 0;  // energy needed at departure
  bool v2g = false;
};

struct FleetParams {
  int periods = 96;
  double dt_h = 0.25;
  double battery_kwh = 25, eta_c = 0.95, eta_d = 0.95, soc_min = 0.1, soc_max = 0.95;
};

FleetParams fleet_params(const Options& o);

// Draws every area's vehicles (count from plans[a].vehicles) from stream (seed, id, 100 + area).
std::vector<Vehicle> draw_fleet(const Options& o, const std::vector<AreaPlan>& plans, std::uint64_t seed,
                                std::uint64_t scenario_id);

// Disordered charging: [area][period] kW drawn from the grid; shortfall[v] kWh below target.
struct Disordered {
  std::vector<std::vector<double>> p_kw;
  std::vector<double> shortfall_kwh;
};
Disordered disordered_charging(const std::vector<Vehicle>& fleet, const std::vector<double>& pile_kw, int areas,
                               const FleetParams& f);

struct Cohort {
  int area = 0;
  int start = 0, len = 1;  // window: periods start, ..., start + len - 1 (mod T)
  bool v2g = false;
  int n = 0;
  double pile_kw = 0;
  double e0_kwh = 0;       // sum over members
  double need_kwh = 0;     // sum of min(target, reachable in the window)
  // [j] least stored energy after period j of the window with which every member can still
  // reach its (reachable) target at pile power: sum_i max(e_low_i, target_i - P eta dt (len-1-j)),
  // e_low_i = e0_i without V2G (then, with the largest-need-first split, exact), e_min with V2G
  // (a necessary condition only). Without it the cohort model treats energy as shared.
  std::vector<double> floor_kwh;
  std::vector<int> members;  // vehicle indices
  // The largest energy one member must take in (its goal above its arrival energy), and
  // whether the optimisation must leave it deliverable through one pile: the k = 1 case of the
  // split's transport condition, sum_j min(net charge_j, P) eta dt >= largest_need_kwh
  // (solve_fleet adds it for the cohorts the split left short).
  double largest_need_kwh = 0;
  bool pile_cut = false;
};

// Vehicles grouped by (area, binned window, v2g). A member's own window contains the cohort's;
// a vehicle whose target the binned window would put out of reach keeps its own window.
// unreachable_kwh[v]: target energy vehicle v cannot reach in its cohort window at pile power.
std::vector<Cohort> make_cohorts(const std::vector<Vehicle>& fleet, const std::vector<double>& pile_kw, int bin,
                                 const FleetParams& f, std::vector<double>& unreachable_kwh);

// Splits each cohort's charge and discharge ([cohort][j] kW, j over its window) onto its
// members (largest remaining need first for charging, most surplus first for discharging,
// each within pile power and SOC bounds) and returns each vehicle's departure shortfall,
// kWh below its target. max_pile_excess_kw: the largest cohort power no split could place.
std::vector<double> split_cohorts(const std::vector<Vehicle>& fleet, const std::vector<Cohort>& cohorts,
                                  const std::vector<std::vector<double>>& charge_kw,
                                  const std::vector<std::vector<double>>& discharge_kw, const FleetParams& f,
                                  double& max_unplaced_kw);

}  // namespace evs::kinds::planning
