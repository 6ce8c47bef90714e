#include "data/road_network.hpp"

#include <cmath>
#include <string>

#include "core/error.hpp"

namespace evs {

int RoadNetwork::find_link(int from_node, int to_node) const {
  for (size_t a = 0; a < links.size(); ++a)
    if (links[a].from_node == from_node && links[a].to_node == to_node) return static_cast<int>(a);
  return -1;
}

double OdMatrix::total_flow() const {
  double sum = 0;
  for (const auto& e : entries) sum += e.flow;
  return sum;
}

void validate_road_network(const RoadNetwork& net) {
  const auto& f = net.source_file;
  if (net.num_nodes <= 0) throw InputError({f, 0, "<NUMBER OF NODES>"}, "missing or not positive");
  if (net.num_zones < 0 || net.num_zones > net.num_nodes)
    throw InputError({f, 0, "<NUMBER OF ZONES>"}, "must be between 0 and the number of nodes");
  if (net.num_links != static_cast<int>(net.links.size()))
    throw InputError({f, 0, "<NUMBER OF LINKS>"}, "header says " + std::to_string(net.num_links) + " links, file has " +
                                                      std::to_string(net.links.size()) + " (truncated file?)");
  for (const auto& l : net.links) {
    if (l.from_node < 1 || l.from_node > net.num_nodes)
      throw InputError({f, l.line, "init_node"}, "node " + std::to_string(l.from_node) + " outside 1.." +
                                                     std::to_string(net.num_nodes));
    if (l.to_node < 1 || l.to_node > net.num_nodes)
      throw InputError({f, l.line, "term_node"}, "node " + std::to_string(l.to_node) + " outside 1.." +
                                                     std::to_string(net.num_nodes));
    if (l.from_node == l.to_node) throw InputError({f, l.line, "term_node"}, "link is a loop on one node");
    if (!std::isfinite(l.capacity) || l.capacity <= 0)
      throw InputError({f, l.line, "capacity"}, "capacity must be a positive number, got " + std::to_string(l.capacity));
    if (!std::isfinite(l.free_flow_time) || l.free_flow_time < 0)
      throw InputError({f, l.line, "free_flow_time"}, "must be finite and not negative");
    if (!std::isfinite(l.b) || l.b < 0) throw InputError({f, l.line, "b"}, "BPR b must be finite and not negative");
    // Any power >= 0: 0.5 or 4.446 occur, and connectors with b = 0 (often power 0) have a
    // constant cost whatever their power.
    if (!std::isfinite(l.power) || l.power < 0) throw InputError({f, l.line, "power"}, "BPR power must be finite and >= 0");
    if (!std::isfinite(l.length) || l.length < 0) throw InputError({f, l.line, "length"}, "must be finite and >= 0");
    if (!std::isfinite(l.toll) || l.toll < 0) throw InputError({f, l.line, "toll"}, "must be finite and >= 0");
  }
}

void validate_demand(const RoadNetwork& net, const OdMatrix& od) {
  if (od.num_zones > net.num_zones)
    throw InputError({od.source_file, 0, "<NUMBER OF ZONES>"},
                     "trips file has " + std::to_string(od.num_zones) + " zones, network " + net.source_file +
                         " has " + std::to_string(net.num_zones));
  for (const auto& e : od.entries) {
    if (e.origin < 1 || e.origin > net.num_zones)
      throw InputError({od.source_file, e.line, "Origin"}, "zone " + std::to_string(e.origin) + " is not a zone of " +
                                                               net.source_file);
    if (e.destination < 1 || e.destination > net.num_zones)
      throw InputError({od.source_file, e.line, "destination"},
                       "zone " + std::to_string(e.destination) + " is not a zone of " + net.source_file);
  }
}

}  // namespace evs
