#include "kinds/sue_dispatch/prepared.hpp"

#include "config/schema.hpp"
#include "core/error.hpp"
#include "io/matpower.hpp"
#include "io/tntp.hpp"

namespace evs::kinds::sue_dispatch {

namespace {

// Every bus and road node the study names exists in the files read (file:line: key).
void check_references(const Options& o, const PreparedStudy& p, bool grid_read, bool road_read,
                      config::ParseContext& ctx) {
  if (grid_read) {
    auto check_bus = [&](const std::string& key, int bus) {
      if (p.grid.index_of(bus) < 0) ctx.error_key(key, "bus " + std::to_string(bus) + " is not in " + o.grid.case_file);
    };
    const auto& r = o.resources;
    for (size_t i = 0; i < r.storage.size(); ++i) check_bus("resources.storage[" + std::to_string(i) + "].bus", r.storage[i].bus);
    for (size_t i = 0; i < r.pv.size(); ++i) check_bus("resources.pv[" + std::to_string(i) + "].bus", r.pv[i].bus);
    for (size_t i = 0; i < r.wind.size(); ++i) check_bus("resources.wind[" + std::to_string(i) + "].bus", r.wind[i].bus);
    for (size_t i = 0; i < r.gas_turbines.size(); ++i)
      check_bus("resources.gas_turbines[" + std::to_string(i) + "].bus", r.gas_turbines[i].bus);
    for (size_t i = 0; i < r.demand_response.size(); ++i)
      check_bus("resources.demand_response[" + std::to_string(i) + "].bus", r.demand_response[i].bus);
    for (size_t i = 0; i < o.stations.size(); ++i) check_bus("stations[" + std::to_string(i) + "].bus", o.stations[i].bus);
  }
  if (road_read)
    for (size_t i = 0; i < o.stations.size(); ++i) {
      const int node = o.stations[i].node;
      if (node > p.road.num_nodes)
        ctx.error_key("stations[" + std::to_string(i) + "].node",
                      "node " + std::to_string(node) + " is not in " + o.traffic.network_file + " (" +
                          std::to_string(p.road.num_nodes) + " nodes)");
    }
}

}  // namespace

PreparedStudy prepare(const config::Study& study) {
  const Options& o = study.options<Options>();
  config::ParseContext ctx;
  ctx.file = study.source_file;
  ctx.key_lines = study.key_lines;
  PreparedStudy p;
  p.options = o;
  p.stages = study.study.stages;
  p.seed = static_cast<std::uint64_t>(study.sweep.seed);
  p.stations_line = study.key_lines.count("stations") ? study.key_lines.at("stations") : 0;
  bool grid_read = false, road_read = false;
  try {  // each file is read once
    p.grid = build_grid_network(read_matpower_case(o.grid.case_file));
    grid_read = true;
  } catch (const InputError& e) {
    ctx.error_key("grid.case", e.what());
  }
  try {
    p.road = read_tntp_network(o.traffic.network_file);
    if (o.traffic.toll_factor) p.road.toll_factor = *o.traffic.toll_factor;
    if (o.traffic.distance_factor) p.road.distance_factor = *o.traffic.distance_factor;
    p.trips = read_tntp_trips(o.traffic.trips_file);
    validate_demand(p.road, p.trips);
    road_read = true;
  } catch (const InputError& e) {
    ctx.error_key("traffic", e.what());
  }
  check_references(o, p, grid_read, road_read, ctx);
  if (!ctx.errors.empty()) throw config::ConfigError(ctx.errors);
  return p;
}

}  // namespace evs::kinds::sue_dispatch
