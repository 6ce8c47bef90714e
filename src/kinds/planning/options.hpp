#pragma once
// The sections of a planning study (paper 002: planning indices, transformer sizing and an
// ordered-charging / V2G Pareto front), besides the shared study, solver, sweep and output
// sections. docs/kinds/planning.md.
#include <string>
#include <vector>

#include "config/schema.hpp"
#include "config/sections.hpp"
#include "config/study.hpp"

namespace evs::kinds::planning {

// One load area (residential, commercial, charging stations) and its fleet.
struct AreaOptions {
  std::string name;
  std::string type;          // residential | commercial | station
  std::vector<double> buses; // feeder buses (MATPOWER numbers); the area's load is split evenly
  // planning indices
  double households = 0, household_kw = 0, demand_coefficient = 0, load_simultaneity = 0;
  double power_factor = 0, planning_margin = 0;
  double cars = 0, penetration = 0;       // residential: EVs = cars x penetration
  double piles = 0, vehicles_per_pile = 0; // commercial / station: EVs = piles x vehicles_per_pile
  double charge_simultaneity = 0;          // beta used by the planned charging capacity S_ev
  double pile_kw = 0;
  double base_peak_kw = 0;                 // peak of the area's base load; 0: P_R (eq. 5)
  std::vector<double> base_profile;        // [hour or period] shape of the base load, max 1; empty: by type
  double feeder_scale = 0;                 // share of the area's load the feeder model carries
  // fleet distributions (hours of the day; dwell in hours)
  double arrival_mean_h = 0, arrival_sd_h = 0, dwell_mean_h = 0, dwell_sd_h = 0, dwell_min_h = 0;
  double soc_initial_mean = 0, soc_initial_sd = 0, soc_departure = 0;
};

struct FleetOptions {
  double battery_kwh = 0, charge_efficiency = 0, discharge_efficiency = 0;
  double soc_min = 0, soc_max = 0;
  double v2g_share = 0;        // share of vehicles that take part in V2G
  int cohort_bin_periods = 1;  // arrival/departure grid of the cohorts (periods)
  double shortfall_penalty = 0;  // objective weight per MWh of unmet departure energy
  double throughput_penalty = 0; // objective weight per MWh charged or discharged
};

struct PlanningOptions {
  int periods = 96;
  double dt_h = 0.25;
  double unit_kva = 0, unit_cost = 0;  // transformer unit size and investment per unit
  double voltage_reference_pu = 1;     // U0 in f3
  double overload_penalty = 0;         // objective weight per MW above the transformer limit
};

struct ParetoOptions {
  int divisions = 5;        // G: epsilon levels of f2, and of f3 per f2 level (G (G + 2) subproblems + 3 payoff)
  double augmentation = 1e-3;
  std::string formulation;  // soc | lin
  double loss_weight = 0;   // objective weight per MWh of losses (keeps the SOC relaxation tight)
  double voltage_shortfall_cost = 0;
  bool mopso = false;         // also run the particle-swarm baseline (slow)
  int mopso_particles = 60, mopso_iterations = 300;
};

struct Options : config::KindOptions {
  config::GridOptions grid;
  std::vector<AreaOptions> areas;
  FleetOptions fleet;
  PlanningOptions planning;
  ParetoOptions pareto;
};

config::Schema<Options> options_schema();

// Cross-field checks after every key is read (bounds, profiles, departure after arrival).
void check_options(const config::Study& study, config::ParseContext& ctx);

const std::vector<std::string>& stage_names();

}  // namespace evs::kinds::planning
