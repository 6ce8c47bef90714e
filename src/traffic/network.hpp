#pragma once
// Solver-ready traffic network: 0-based nodes, road links with BPR costs in a forward
// star, plus one virtual link per charging station (Davidson queue) that charging EVs
// traverse at the station's node. Demand classes: regular OD flows and charging EVs that
// travel origin -> station -> destination.
#include <string>
#include <vector>

#include "data/road_network.hpp"
#include "traffic/cost.hpp"

namespace evs::traffic {

struct StationSpec {
  std::string name;
  int node = 0;                   // TNTP node number
  double capacity_veh_per_h = 60; // Davidson c
  double service_time = 20;       // Davidson t0, network time unit
  double davidson_j = 0.5;
  double extra_cost = 0;          // e.g. charging price converted to time
  int config_line = 0;            // where it was declared (for messages), 0 if unknown
};

struct TrafficNetwork {
  std::string source_file;
  int num_nodes = 0;
  int first_thru_node = 0;  // 0-based: nodes below it are zones (no through traffic)
  std::vector<int> tail, head;    // [link]
  std::vector<LinkCost> cost;     // [link]
  int num_road_links = 0;         // road links come first, in file order; then stations
  std::vector<int> out_start;     // [node + 1] forward star over road links
  std::vector<int> out_link;      // [position] road link ids
  std::vector<std::string> station_name;  // [station]
  std::vector<int> station_node;          // [station] 0-based node
  std::vector<int> station_link;          // [station] link id

  int num_links() const { return static_cast<int>(tail.size()); }
  int num_stations() const { return static_cast<int>(station_link.size()); }
  bool is_zone(int node) const { return node < first_thru_node; }
};

// Throws InputError for a station on a node that is not in the network.
TrafficNetwork build_traffic_network(const RoadNetwork& road, const std::vector<StationSpec>& stations = {});

// One demand stream: vehicles per hour from origin to destination (0-based nodes).
// Charging demand travels through exactly one station (chosen by the assignment).
struct DemandClass {
  int origin = 0, destination = 0;
  double demand = 0;
  bool charging = false;
  int source_line = 0;  // line in the trips file, for messages
};

// Regular demand from a trip table (times `scale`).
std::vector<DemandClass> demand_from_trips(const OdMatrix& od, double scale = 1.0);

}  // namespace evs::traffic
