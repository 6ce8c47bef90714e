#pragma once
// One-to-all shortest paths (Dijkstra, binary heap) over the road links; zones other than
// the origin are never passed through.
#include <vector>

#include "traffic/network.hpp"

namespace evs::traffic {

struct ShortestPathTree {
  std::vector<double> dist;    // [node] cost from the origin, +inf if unreachable
  std::vector<int> pred_link;  // [node] last link of the shortest path, -1 at origin / unreachable
};

// `link_time` indexed by link (road links used).
void shortest_path_tree(const TrafficNetwork& net, const std::vector<double>& link_time, int origin,
                        ShortestPathTree& tree);

// Replaces `links` with the tree's path from its origin to `node`; false if unreachable.
bool tree_path(const TrafficNetwork& net, const ShortestPathTree& tree, int node, std::vector<int>& links);

}  // namespace evs::traffic
