#include "kinds/conav/options.hpp"

#include <algorithm>
#include <cmath>

#include "config/section_schemas.hpp"

namespace evs::kinds::conav {

using config::Schema;

namespace {

Schema<RoadOptions> road_schema() {
  Schema<RoadOptions> s;
  s.path("network", &RoadOptions::network_file, std::nullopt, "TNTP road network")
      .path("trips", &RoadOptions::trips_file, std::nullopt, "TNTP trip table (background traffic, veh/h)")
      .number("time_unit_min", &RoadOptions::time_unit_min, 1.0, 1e-6, 1e6, "min",
              "Minutes per free-flow-time unit of the network file")
      .number("length_unit_km", &RoadOptions::length_unit_km, 1.0, 1e-9, 1e6, "km", "Km per length unit")
      .number("background_scale", &RoadOptions::background_scale, 0.0, 0, 1e3, "",
              "Share of the trip table driven as background on free-flow shortest paths");
  return s;
}

Schema<CellOptions> cell_schema() {
  Schema<CellOptions> s;
  s.number("tau_min", &CellOptions::tau_min, 3.0, -1e9, 1e6, "min", "Step length tau (> 0)")
      .integer("steps", &CellOptions::steps, 40, 1, 100000, "count", "Steps of the horizon")
      .number("q_veh", &CellOptions::q_veh, 3.0, 0, 1e9, "veh/step",
              "Q of road cells; 0 = link capacity (veh/h) x tau / 60")
      .number("n_veh", &CellOptions::n_veh, 10.0, 0, 1e9, "veh", "N of road cells; 0 = jam density x cell length")
      .number("jam_density_veh_per_km", &CellOptions::jam_density_veh_per_km, 150.0, 0, 1e6, "veh/km",
              "Jam density (n_veh = 0)")
      .number("delta", &CellOptions::delta, 1.0, 1e-6, 1e3, "", "Congestion factor of the receiving limit")
      .number("station_n_veh", &CellOptions::station_n_veh, 30.0, 0, 1e9, "veh", "N of station cells")
      .number("terminal_n_veh", &CellOptions::terminal_n_veh, 30.0, 0, 1e9, "veh", "N of terminal cells")
      .numbers("terminal_nodes", &CellOptions::terminal_nodes, 1, 1e9, "node", "Road nodes with a terminal cell");
  return s;
}

Schema<ConavStation> station_schema() {
  Schema<ConavStation> s;
  s.string("name", &ConavStation::name, std::nullopt, "Station name")
      .integer("node", &ConavStation::node, std::nullopt, 1, 1000000000, "node", "Road node the station cell hangs on")
      .integer("bus", &ConavStation::bus, std::nullopt, 1, 1000000000, "bus", "Feeder bus of the station's load")
      .numbers("candidate_buses", &ConavStation::candidate_buses, 1, 1e9, "bus",
               "Buses a placement sweep chooses from (parameter station_<k>_candidate)");
  return s;
}

Schema<VehicleOptions> vehicle_schema() {
  Schema<VehicleOptions> s;
  s.integer("charging_count", &VehicleOptions::charging_count, 70, 0, 1000000, "count", "Charging EVs")
      .number("charging_need_kwh", &VehicleOptions::charging_need_kwh, 10.0, 0, 1e6, "kWh", "Energy each needs")
      .number("charging_max_kw", &VehicleOptions::charging_max_kw, 40.0, 0, 1e6, "kW", "Charging power per EV")
      .integer("v2g_count", &VehicleOptions::v2g_count, 10, 0, 1000000, "count", "V2G EVs")
      .number("v2g_energy_kwh", &VehicleOptions::v2g_energy_kwh, 10.0, 0, 1e6, "kWh", "Energy each may give")
      .number("v2g_max_kw", &VehicleOptions::v2g_max_kw, 40.0, 0, 1e6, "kW", "Discharging power per EV")
      .number("completion_error", &VehicleOptions::completion_error, 0.01, 0, 1, "",
              "Share of the charging need that may stay undelivered without penalty")
      .number("shortfall_cost", &VehicleOptions::shortfall_cost, 100.0, 0, 1e12, "1/kWh",
              "Objective per kWh of charging need undelivered beyond the error factor")
      .numbers("initial_links", &VehicleOptions::initial_links, 1, 1e9, "link",
               "Start link of each dispatched vehicle (TNTP link numbers; charging EVs first, then V2G; each "
               "starts in its link's first cell; at least as many as vehicles). Empty: distinct road cells drawn "
               "per scenario");
  return s;
}

Schema<ObjectiveOptions> objective_schema() {
  Schema<ObjectiveOptions> s;
  s.number("weight_traffic", &ObjectiveOptions::weight_traffic, 1.0, 0, 1e12, "1/(veh min)",
           "Weight of the charging EVs' navigation time (minutes on road cells)")
      .number("weight_voltage", &ObjectiveOptions::weight_voltage, 100.0, 0, 1e12, "1/pu",
              "Weight of sum over steps and buses of |v - 1| (v: squared magnitude)")
      .number("v2g_road_cost", &ObjectiveOptions::v2g_road_cost, 1e-3, 0, 1e12, "1/(veh min)",
              "Small cost of V2G EVs' minutes on road cells")
      .number("hold_cost", &ObjectiveOptions::hold_cost, 0.01, 0, 1e12, "1/(veh step)",
              "Cost of a dispatched vehicle-step held in a road cell (n - outflow): keeps holding at ~0");
  return s;
}

Schema<FeederOptions> feeder_schema() {
  Schema<FeederOptions> s;
  s.choice("formulation", &FeederOptions::formulation, "soc", {"soc", "lin"}, "DistFlow formulation")
      .boolean("ac_check", &FeederOptions::ac_check, true, "Verify every step with the Newton AC power flow")
      .number("line_rating_mva", &FeederOptions::line_rating_mva, 0.0, 0, 1e6, "MVA",
              "Rating (S max) of the branches the case leaves unrated; 0 = none")
      .number("voltage_shortfall_cost", &FeederOptions::voltage_shortfall_cost, 1e4, 0, 1e12, "1/(pu h)",
              "Soft voltage floor: cost of a shortfall below grid.vmin_pu (0 = hard floor)")
      .choice("linear_solver", &FeederOptions::linear_solver, "ldl", {"ldl", "mumps"}, "Ipopt's linear solver")
      .choice("solver", &FeederOptions::solver, "ipopt", {"ipopt", "clp"},
              "Who solves the joint model: Ipopt (any formulation) or Clp's dual simplex after presolve "
              "(formulation lin only, where the model is an LP: 8-30x faster, docs/kinds/conav.md)")
      .integer("rating_polygon_sides", &FeederOptions::rating_polygon_sides, 12, 4, 64, "count",
               "Formulation lin: each rating P^2 + Q^2 <= S^2 becomes the polygon of this many sides around "
               "the circle (linear; admits up to 1/cos(pi/sides) of S on its corners)");
  return s;
}

}  // namespace

config::Schema<Options> options_schema() {
  config::Schema<Options> s;
  s.section("grid", &Options::grid, config::grid_schema(), "Distribution feeder")
      .section("road", &Options::road, road_schema(), "Road network cut into cells, background traffic")
      .section("cells", &Options::cells, cell_schema(), "Cell-transmission model")
      .list("stations", &Options::stations, station_schema(), "Charging stations: road node and feeder bus")
      .section("vehicles", &Options::vehicles, vehicle_schema(), "Dispatched charging and V2G EVs")
      .section("objective", &Options::objective, objective_schema(), "Weights of the joint objective")
      .section("feeder", &Options::feeder, feeder_schema(), "Feeder model of the joint optimisation")
      .section("resources", &Options::resources, config::resource_schema(), "Generators and other resources");
  return s;
}

const std::vector<std::string>& stage_names() {
  static const std::vector<std::string> names = {};
  return names;
}

void check_options(const config::Study& study, config::ParseContext& ctx) {
  const auto& o = study.options<Options>();
  if (!(o.cells.tau_min > 0)) ctx.error_key("cells.tau_min", "the step tau must be positive");
  if (o.stations.empty()) ctx.error_key("stations", "needs at least one station");
  std::vector<std::string> names;
  for (size_t i = 0; i < o.stations.size(); ++i) {
    if (std::find(names.begin(), names.end(), o.stations[i].name) != names.end())
      ctx.error_key("stations[" + std::to_string(i) + "].name", "duplicate station name '" + o.stations[i].name + "'");
    names.push_back(o.stations[i].name);
  }
  for (size_t i = 0; i < o.cells.terminal_nodes.size(); ++i)
    if (o.cells.terminal_nodes[i] != std::floor(o.cells.terminal_nodes[i]))
      ctx.error_key("cells.terminal_nodes", "node numbers must be whole");
  if (o.feeder.solver == "clp") {  // the joint model must be an LP
    if (o.feeder.formulation != "lin")
      ctx.error_key("feeder.solver", "clp solves linear models only: it needs feeder.formulation: lin (is '" +
                                         o.feeder.formulation + "')");
    for (size_t i = 0; i < o.resources.gas_turbines.size(); ++i)
      if (o.resources.gas_turbines[i].cost_a != 0)
        ctx.error_key("resources.gas_turbines[" + std::to_string(i) + "].cost_a",
                      "a quadratic fuel cost makes the model a QP, which feeder.solver: clp does not solve (use ipopt, "
                      "or cost_a: 0)");
  }
  config::check_grid(o.grid, ctx);
  config::check_resources(o.resources, ctx);
}

}  // namespace evs::kinds::conav
