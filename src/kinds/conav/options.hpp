#pragma once
// The sections of a conav study (paper 000: CTM co-navigation of charging and V2G EVs with
// the feeder), besides the shared study, solver, sweep and output sections.
#include <string>
#include <vector>

#include "config/schema.hpp"
#include "config/sections.hpp"
#include "config/study.hpp"

namespace evs::kinds::conav {

struct RoadOptions {
  std::string network_file, trips_file;  // TNTP, resolved paths (trips: background traffic)
  double time_unit_min = 1;              // minutes per free-flow-time unit of the network file
  double length_unit_km = 1;             // km per length unit
  double background_scale = 0;           // share of the trip table (veh/h) driven as background
};

struct CellOptions {
  double tau_min = 3;
  int steps = 40;
  double q_veh = 3, n_veh = 10;          // road cells; 0 = from capacity / jam density
  double jam_density_veh_per_km = 150;
  double delta = 1;
  double station_n_veh = 30, terminal_n_veh = 30;
  std::vector<double> terminal_nodes;    // road nodes with a terminal cell
};

struct ConavStation {
  std::string name;
  int node = 0;  // road node (TNTP numbering)
  int bus = 0;   // grid bus (MATPOWER numbering)
  std::vector<double> candidate_buses;  // buses a placement sweep chooses from (station_k_candidate)
};

struct VehicleOptions {
  int charging_count = 70;
  double charging_need_kwh = 10, charging_max_kw = 40;
  int v2g_count = 10;
  double v2g_energy_kwh = 10, v2g_max_kw = 40;
  double completion_error = 0.01;     // share of the charging need that may stay undelivered unpenalised
  double shortfall_cost = 100;        // objective per kWh undelivered beyond the error factor
  // [vehicle] TNTP link numbers where the dispatched vehicles start (charging EVs first, then
  // V2G), each in its link's first cell; empty: distinct road cells drawn per scenario.
  std::vector<double> initial_links;
};

struct ObjectiveOptions {
  double weight_traffic = 1;          // per charging-EV minute on road cells
  double weight_voltage = 100;        // per pu of sum_t sum_i |v - 1| (v squared magnitude)
  double v2g_road_cost = 1e-3;        // per V2G-EV minute on road cells
  double hold_cost = 0.01;            // per vehicle-step held in a road cell (keeps holding at ~0)
};

struct FeederOptions {
  std::string formulation = "soc";    // soc | lin
  bool ac_check = true;
  double line_rating_mva = 0;         // rating of branches the case leaves unrated; 0 = none
  double voltage_shortfall_cost = 1e4;
  std::string linear_solver = "ldl";
  std::string solver = "ipopt";       // ipopt | clp (formulation lin: the joint model is an LP)
  int rating_polygon_sides = 12;      // lin: the ratings' polygon (grid::add_power_polygon)
};

struct Options : config::KindOptions {
  config::GridOptions grid;
  RoadOptions road;
  CellOptions cells;
  std::vector<ConavStation> stations;
  VehicleOptions vehicles;
  ObjectiveOptions objective;
  FeederOptions feeder;
  config::ResourceOptions resources;
};

config::Schema<Options> options_schema();
void check_options(const config::Study& study, config::ParseContext& ctx);
const std::vector<std::string>& stage_names();

}  // namespace evs::kinds::conav
