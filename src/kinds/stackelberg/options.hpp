#pragma once
// The sections of a stackelberg study (paper 003), besides the shared study, solver, sweep
// and output sections. docs/kinds/stackelberg.md.
#include <string>
#include <vector>

#include "config/schema.hpp"
#include "config/sections.hpp"
#include "config/study.hpp"

namespace evs::kinds::stackelberg {

struct FeederOptions {
  std::string case_file;
  double vmin_pu = 0.9, vmax_pu = 1.1;
  double transformer_mva = 0, line_mva = 0;
  int polygon_sides = 12;
  double curtailment_cost = 0, shedding_cost = 0;  // currency/MWh
};

struct UserOptions {
  std::string network_file, trips_file;
  double ev_share = 0.1;       // share of the trip table that are charging EVs
  double kappa = 100;          // value of time, currency/h
  double xi = 0;               // residual flow coefficient (0 = none)
  double time_unit_h = 1.0 / 60;
  double energy_kwh = 20;      // charged per vehicle
  double range_km = 1e3;       // initial range: farther stations are not choices
  double gap = 1e-8;
};

struct StationSpecOptions {
  std::string name;
  int node = 0, bus = 0;
  double pile_kw = 60, capacity_veh_per_h = 60, s_mva = 2;
};

struct WindOptions {
  std::vector<double> buses;     // MATPOWER bus numbers
  double capacity_mw = 0;        // per plant
  double variability = 0.3;      // relative sd of the scenario draws
  double tan_phi = 0;
  int scenarios = 10;
  std::vector<double> probabilities;  // empty: equal
};

struct DayProfiles {
  int periods = 24;
  double dt_h = 1;
  std::vector<double> base_load, trips, tariff, wind;  // [period]
};

struct PricingOptions {
  std::string mode = "game";     // game | fixed
  double fixed_price = 1.2, lower = 0.8, upper = 2.5;  // currency/kWh
  int max_outer = 20, certificate_points = 11;
  bool refine = false;
  int enumerate_limit = 2000;
  double price_tolerance = 1e-3, residual_tolerance = 1e-4;
  std::string lp_backend = "clp";  // clp | ipopt
  double station_tan_phi = 0.2;
  std::string baseline = "none";  // none | swarm | swarm_equilibrium
  int swarm_particles = 10, swarm_iterations = 20, swarm_rounds = 5;
};

struct Options : config::KindOptions {
  FeederOptions grid;
  UserOptions traffic;
  std::vector<StationSpecOptions> stations;
  WindOptions wind;
  DayProfiles profiles;
  PricingOptions pricing;
};

config::Schema<Options> options_schema();
void check_options(const config::Study& study, config::ParseContext& ctx);

}  // namespace evs::kinds::stackelberg
