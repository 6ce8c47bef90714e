#pragma once
// Option sections that study kinds compose (grid, traffic, stations, EVs, profiles,
// resources, dispatch): typed structs here, their declarations (name, meaning, unit,
// default, bounds) in section_schemas.hpp. A kind lists the sections it reads in its own
// options struct (see kinds/sue_dispatch/options.hpp).
#include <optional>
#include <string>
#include <vector>

namespace evs::config {

struct GridOptions {
  std::string case_file;  // MATPOWER case, resolved path
  double vmin_pu = 0, vmax_pu = 0;
  double slack_vm_pu = 0;
  double load_scale = 0;
  std::string export_rule;  // credit | forbid | price
  double line_rating_mva = 0, line_rating_margin = 0, line_rating_min_mva = 0;  // grid/ratings.hpp
};

// OD estimation from link observations instead of a trips file (traffic/od_estimation.hpp).
struct OdEstimationOptions {
  std::string observations_file;  // CSV; empty = no estimation
  std::string prior_file;         // TNTP trips; empty = none
  double prior_weight = 0;
  std::string prior_level;        // free | fixed
  std::string likelihood;         // poisson | normal
  std::string pairs;              // auto | all | prior
  double period_minutes = 0, length_km = 0, time_min = 0, speed_resolution_kmh = 0;
  int max_outer = 0;
  double tolerance = 0;
};

struct TrafficOptions {
  std::string network_file, trips_file;  // TNTP, resolved paths (trips empty with od_estimation)
  OdEstimationOptions od_estimation;
  std::string model;                     // sue | ue
  double theta = 0;                      // logit dispersion, 1 / time unit
  std::string step_rule;
  std::string path_set;
  int max_enumerated_paths = 0;
  double residual_share = 0;
  bool warm_start = true;
  double tolerance = 0;
  int max_iterations = 0;
  double demand_scale = 0;
  std::optional<double> toll_factor, distance_factor;  // generalised cost; unset: the network file's
};

struct StationOptions {
  std::string name;
  int node = 0;  // road node (TNTP numbering)
  int bus = 0;   // grid bus (MATPOWER numbering)
  double capacity_veh_per_h = 0;
  double service_time_min = 0;
  double davidson_j = 0;
  double pile_kw = 0;
  double power_factor = 1;  // of the station's load (lagging); 1 = active power only
};

struct EvOptions {
  double penetration = 0;  // share of trips made by EVs
  double battery_kwh = 0;
  double charge_coefficient = 0;  // gamma: share of the battery charged per arrival
  double v2g_share = 0;
  double consumption_kwh_per_km = 0;
  double departure_soc_mean = 0, departure_soc_sd = 0;
  double trip_km_median = 0, trip_km_sigma = 0;
  double soc_threshold = 0;
  int monte_carlo_samples = 0;
};

struct ProfileOptions {
  int periods = 0;
  double dt_h = 0;
  std::vector<double> base_load;       // [period] multiplier of the case loads
  std::vector<double> traffic_demand;  // [period] multiplier of the trip table
  std::vector<double> pv;              // [period] availability 0..1
  std::vector<double> wind;            // [period] availability 0..1
  std::vector<double> export_price;    // [period] currency per MWh exported (grid.export: price)
  std::vector<double> tariff;          // [period] currency per MWh
};

struct StorageOptions {
  int bus = 0;
  double power_mw = 0, energy_mwh = 0, eta_charge = 0, eta_discharge = 0;
  double soc_min = 0, soc_max = 0, soc_initial = 0;
  bool cyclic = true;
};
struct RenewableOptions {
  int bus = 0;
  double capacity_mw = 0, curtailment_cost = 0, max_q_ratio = 0;
};
struct TurbineOptions {
  int bus = 0;
  double pmax_mw = 0, qmin_mvar = 0, qmax_mvar = 0, ramp_mw_per_h = 0, cost_a = 0, cost_b = 0;
};
struct DemandResponseOptions {
  int bus = 0;
  double max_share = 0, compensation = 0;
};
struct ResourceOptions {
  std::vector<StorageOptions> storage;
  std::vector<RenewableOptions> pv, wind;
  std::vector<TurbineOptions> gas_turbines;
  std::vector<DemandResponseOptions> demand_response;
};

struct DispatchOptions {
  std::string formulation;  // soc | exact | lin
  std::string ev_charging;  // fixed | coordinated
  std::string tariff;       // table | dynamic_tou
  double tou_rho0 = 0, tou_sigma = 0;
  double weight_cost = 0, weight_loss = 0, weight_voltage_deviation = 0, weight_load_variance = 0,
         weight_peak_valley = 0;
  bool ac_check = true;
  double voltage_shortfall_cost = 0;  // > 0: soft voltage floor
  double line_overload_cost = 0;      // > 0: soft branch ratings
  bool v2g = true;                    // coordinated stations may discharge (ev.v2g_share)
  std::string exact_start;            // relaxation | flat
  std::string linear_solver;          // ldl | mumps
};

}  // namespace evs::config
