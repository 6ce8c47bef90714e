#pragma once
// Road network and demand as read from TNTP files: external node numbers (1-based),
// links in file order, the line each record came from.
#include <string>
#include <vector>

namespace evs {

struct RoadLink {
  int from_node = 0, to_node = 0;
  double capacity = 0;        // vehicles per time unit of the demand
  double length = 0;
  double free_flow_time = 0;  // time unit of the file (minutes, or 0.01 h for Sioux Falls)
  double b = 0.15, power = 4; // BPR: t = t0 (1 + b (x/c)^power)
  double speed = 0, toll = 0;
  int link_type = 1;
  int line = 0;
};

struct RoadNetwork {
  std::string source_file;
  int num_zones = 0, num_nodes = 0, num_links = 0;
  int first_thru_node = 1;  // nodes below it are zones that paths may not pass through
  double toll_factor = 0, distance_factor = 0;
  std::vector<RoadLink> links;

  // Index of the link from -> to, or -1.
  int find_link(int from_node, int to_node) const;
};

struct OdEntry {
  int origin = 0, destination = 0;
  double flow = 0;
  int line = 0;
};

struct OdMatrix {
  std::string source_file;
  int num_zones = 0;
  double total_flow_declared = 0;  // <TOTAL OD FLOW>, may include intrazonal trips
  std::vector<OdEntry> entries;     // positive, non-intrazonal flows only, in file order

  double total_flow() const;
};

struct LinkFlowRecord {
  int from_node = 0, to_node = 0;
  double volume = 0, cost = 0;
  int line = 0;
};

// Throws InputError (file, line, field) for nodes outside 1..num_nodes, non-positive or
// non-finite capacity, negative free-flow time, and link counts that disagree with the header.
void validate_road_network(const RoadNetwork& net);
// Throws InputError for zones outside the network's zones.
void validate_demand(const RoadNetwork& net, const OdMatrix& od);

}  // namespace evs
