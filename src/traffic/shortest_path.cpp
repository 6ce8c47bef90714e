#include "traffic/shortest_path.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <queue>

namespace evs::traffic {

void shortest_path_tree(const TrafficNetwork& net, const std::vector<double>& link_time, int origin,
                        ShortestPathTree& tree) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  tree.dist.assign(net.num_nodes, inf);
  tree.pred_link.assign(net.num_nodes, -1);
  using Item = std::pair<double, int>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> heap;
  tree.dist[origin] = 0;
  heap.push({0.0, origin});
  while (!heap.empty()) {
    const auto [d, u] = heap.top();
    heap.pop();
    if (d > tree.dist[u]) continue;
    if (u != origin && net.is_zone(u)) continue;  // no through traffic in zones
    for (int p = net.out_start[u]; p < net.out_start[u + 1]; ++p) {
      const int a = net.out_link[p];
      const int v = net.head[a];
      const double nd = d + link_time[a];
      if (nd < tree.dist[v]) {
        tree.dist[v] = nd;
        tree.pred_link[v] = a;
        heap.push({nd, v});
      }
    }
  }
}

bool tree_path(const TrafficNetwork& net, const ShortestPathTree& tree, int node, std::vector<int>& links) {
  links.clear();
  if (tree.dist[node] == std::numeric_limits<double>::infinity()) return false;
  for (int a = tree.pred_link[node]; a >= 0; a = tree.pred_link[net.tail[a]]) links.push_back(a);
  std::reverse(links.begin(), links.end());
  return true;
}

}  // namespace evs::traffic
