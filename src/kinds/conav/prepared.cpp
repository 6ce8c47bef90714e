#include "kinds/conav/prepared.hpp"

#include <cmath>

#include "config/schema.hpp"
#include "core/error.hpp"
#include "grid/ratings.hpp"
#include "io/matpower.hpp"
#include "io/tntp.hpp"

namespace evs::kinds::conav {

CellParameters cell_parameters(const Options& o) {
  CellParameters p;
  p.tau_min = o.cells.tau_min;
  p.time_unit_min = o.road.time_unit_min;
  p.q_veh = o.cells.q_veh;
  p.n_veh = o.cells.n_veh;
  p.jam_density_veh_per_km = o.cells.jam_density_veh_per_km;
  p.length_unit_km = o.road.length_unit_km;
  p.delta = o.cells.delta;
  p.station_n_veh = o.cells.station_n_veh;
  p.terminal_n_veh = o.cells.terminal_n_veh;
  return p;
}

PreparedStudy prepare(const config::Study& study) {
  const Options& o = study.options<Options>();
  config::ParseContext ctx;
  ctx.file = study.source_file;
  ctx.key_lines = study.key_lines;
  PreparedStudy p;
  p.options = o;
  p.seed = static_cast<std::uint64_t>(study.sweep.seed);
  bool grid_ok = false, road_ok = false;
  try {
    p.grid = build_grid_network(read_matpower_case(o.grid.case_file));
    grid_ok = true;
  } catch (const InputError& e) {
    ctx.error_key("grid.case", e.what());
  }
  try {
    p.road = read_tntp_network(o.road.network_file);
    p.trips = read_tntp_trips(o.road.trips_file);
    validate_demand(p.road, p.trips);
    road_ok = true;
  } catch (const InputError& e) {
    ctx.error_key("road", e.what());
  }
  auto check_bus = [&](const std::string& key, int bus) {
    if (grid_ok && p.grid.index_of(bus) < 0)
      ctx.error_key(key, "bus " + std::to_string(bus) + " is not in " + o.grid.case_file);
  };
  auto check_node = [&](const std::string& key, int node) {
    if (road_ok && (node < 1 || node > p.road.num_nodes))
      ctx.error_key(key, "node " + std::to_string(node) + " is not in " + o.road.network_file + " (" +
                             std::to_string(p.road.num_nodes) + " nodes)");
  };
  std::vector<int> station_nodes, terminal_nodes;
  for (size_t i = 0; i < o.stations.size(); ++i) {
    const std::string key = "stations[" + std::to_string(i) + "]";
    check_node(key + ".node", o.stations[i].node);
    check_bus(key + ".bus", o.stations[i].bus);
    for (double b : o.stations[i].candidate_buses) check_bus(key + ".candidate_buses", static_cast<int>(b));
    station_nodes.push_back(o.stations[i].node);
  }
  for (double n : o.cells.terminal_nodes) {
    check_node("cells.terminal_nodes", static_cast<int>(n));
    terminal_nodes.push_back(static_cast<int>(n));
  }
  const auto& r = o.resources;
  for (size_t i = 0; i < r.gas_turbines.size(); ++i)
    check_bus("resources.gas_turbines[" + std::to_string(i) + "].bus", r.gas_turbines[i].bus);
  for (size_t i = 0; i < r.pv.size(); ++i) check_bus("resources.pv[" + std::to_string(i) + "].bus", r.pv[i].bus);
  for (size_t i = 0; i < r.storage.size(); ++i)
    check_bus("resources.storage[" + std::to_string(i) + "].bus", r.storage[i].bus);
  if (!ctx.errors.empty()) throw config::ConfigError(ctx.errors);
  try {
    p.cells = build_cell_network(p.road, cell_parameters(o), station_nodes, terminal_nodes);
  } catch (const InputError& e) {
    ctx.error_key("cells", e.what());
    throw config::ConfigError(ctx.errors);
  }
  const int road_cells = static_cast<int>(p.cells.road_cells().size());
  const auto& given = o.vehicles.initial_links;
  for (size_t i = 0; i < given.size(); ++i)
    if (given[i] != std::floor(given[i]) || given[i] > static_cast<double>(p.road.links.size())) {
      ctx.error_key("vehicles.initial_links", "entry " + std::to_string(i + 1) + " (" + config::format_number(given[i]) +
                                                  ") is not a link of " + o.road.network_file + " (1.." +
                                                  std::to_string(p.road.links.size()) + ")");
      break;
    }
  if (!given.empty() && static_cast<int>(given.size()) < o.vehicles.charging_count + o.vehicles.v2g_count)
    ctx.error_key("vehicles.initial_links", std::to_string(given.size()) + " start links for " +
                                                std::to_string(o.vehicles.charging_count + o.vehicles.v2g_count) +
                                                " dispatched vehicles");
  if (given.empty() && o.vehicles.charging_count + o.vehicles.v2g_count > road_cells)
    ctx.error_key("vehicles.charging_count", std::to_string(o.vehicles.charging_count + o.vehicles.v2g_count) +
                                                 " dispatched vehicles do not fit on distinct cells: the network has " +
                                                 std::to_string(road_cells) + " road cells");
  if (!ctx.errors.empty()) throw config::ConfigError(ctx.errors);
  p.warning = rounded_links_warning(p.road, p.cells);
  p.background_unit = background_flow(p.road, p.trips, p.cells, o.road.time_unit_min, 1.0);
  grid::apply_line_ratings(p.grid, {o.feeder.line_rating_mva});
  return p;
}

}  // namespace evs::kinds::conav
