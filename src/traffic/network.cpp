#include "traffic/network.hpp"

#include <string>

#include "core/error.hpp"

namespace evs::traffic {

TrafficNetwork build_traffic_network(const RoadNetwork& road, const std::vector<StationSpec>& stations) {
  TrafficNetwork net;
  net.source_file = road.source_file;
  net.num_nodes = road.num_nodes;
  net.first_thru_node = road.first_thru_node - 1;
  for (const auto& l : road.links) {
    net.tail.push_back(l.from_node - 1);
    net.head.push_back(l.to_node - 1);
    LinkCost c = bpr(l.free_flow_time, l.capacity, l.b, l.power);
    c.fixed = road.toll_factor * l.toll + road.distance_factor * l.length;
    net.cost.push_back(c);
  }
  net.num_road_links = net.num_links();
  net.out_start.assign(net.num_nodes + 1, 0);
  for (int a = 0; a < net.num_road_links; ++a) ++net.out_start[net.tail[a] + 1];
  for (int i = 0; i < net.num_nodes; ++i) net.out_start[i + 1] += net.out_start[i];
  net.out_link.resize(net.num_road_links);
  std::vector<int> fill(net.out_start.begin(), net.out_start.end() - 1);
  for (int a = 0; a < net.num_road_links; ++a) net.out_link[fill[net.tail[a]]++] = a;

  for (const auto& s : stations) {
    if (s.node < 1 || s.node > road.num_nodes)
      throw InputError({"", s.config_line, "station " + s.name},
                       "node " + std::to_string(s.node) + " is not in " + road.source_file + " (nodes 1.." +
                           std::to_string(road.num_nodes) + ")");
    if (!(s.capacity_veh_per_h > 0)) throw InputError({"", s.config_line, "station " + s.name}, "capacity must be positive");
    const int node = s.node - 1;
    net.station_name.push_back(s.name);
    net.station_node.push_back(node);
    net.station_link.push_back(net.num_links());
    net.tail.push_back(node);
    net.head.push_back(node);
    LinkCost c = davidson(s.service_time, s.capacity_veh_per_h, s.davidson_j);
    c.fixed = s.extra_cost;
    net.cost.push_back(c);
  }
  return net;
}

std::vector<DemandClass> demand_from_trips(const OdMatrix& od, double scale) {
  std::vector<DemandClass> out;
  for (const auto& e : od.entries) out.push_back({e.origin - 1, e.destination - 1, e.flow * scale, false, e.line});
  return out;
}

}  // namespace evs::traffic
