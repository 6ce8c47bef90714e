#include "traffic/ue_bush.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/error.hpp"
#include "core/timer.hpp"
#include "traffic/shortest_path.hpp"

namespace evs::traffic {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Bush {
  int origin = 0;
  std::vector<std::pair<int, double>> sinks;  // (destination node, demand)
  std::vector<char> in;                       // [link] the link belongs to the bush
  std::vector<double> flow;                   // [link] this origin's flow
  std::vector<int> order;                     // nodes reachable in the bush, topological order
  std::vector<int> in_start, in_links;        // bush links into order[k]: in_links[in_start[k] ..]
};

class AlgorithmB {
 public:
  AlgorithmB(const TrafficNetwork& net, const std::vector<DemandClass>& classes, const std::string& source)
      : net_(net), x_(net.num_links(), 0.0), t_(net.num_links()), dt_(net.num_links()) {
    const int n = net.num_nodes, m = net.num_road_links;
    in_start_.assign(n + 1, 0);
    for (int a = 0; a < m; ++a) ++in_start_[net.head[a] + 1];
    for (int i = 0; i < n; ++i) in_start_[i + 1] += in_start_[i];
    in_link_.resize(m);
    std::vector<int> fill(in_start_.begin(), in_start_.end() - 1);
    for (int a = 0; a < m; ++a) in_link_[fill[net.head[a]]++] = a;
    std::vector<int> bush_of(n, -1);
    for (const DemandClass& c : classes) {
      if (c.charging)
        throw InputError({source, c.source_line, "destination"},
                         "the bush-based UE solver takes regular demand only (charging classes choose a station: "
                         "use the path-based solver)");
      if (c.demand <= 0 || c.origin == c.destination) continue;
      if (bush_of[c.origin] < 0) {
        bush_of[c.origin] = static_cast<int>(bushes_.size());
        bushes_.emplace_back();
        bushes_.back().origin = c.origin;
      }
      bushes_[bush_of[c.origin]].sinks.push_back({c.destination, c.demand});
      source_line_.push_back(c.source_line);
    }
    for (int a = 0; a < net.num_links(); ++a) refresh(a);
    // Initial bushes: shortest-path trees, loaded origin by origin at the current costs.
    ShortestPathTree tree;
    for (Bush& b : bushes_) {
      shortest_path_tree(net_, t_, b.origin, tree);
      b.in.assign(m, 0);
      b.flow.assign(m, 0.0);
      for (int v = 0; v < n; ++v)
        if (tree.pred_link[v] >= 0) b.in[tree.pred_link[v]] = 1;
      position_.assign(n, -1);
      for (const auto& [dest, demand] : b.sinks) {
        if (tree.dist[dest] == kInf)
          throw InputError({source, 0, "destination"}, "no path from node " + std::to_string(b.origin + 1) +
                                                           " to node " + std::to_string(dest + 1) + " in " +
                                                           net.source_file);
        for (int a = tree.pred_link[dest]; a >= 0; a = tree.pred_link[net.tail[a]]) {
          b.flow[a] += demand;
          x_[a] += demand;
          refresh(a);
        }
      }
      topological_order(b);
    }
    label_min_.resize(n);
    label_max_.resize(n);
    pred_min_.resize(n);
    pred_max_.resize(n);
    indegree_.resize(n);
  }

  const std::vector<double>& flows() const { return x_; }
  const std::vector<double>& times() const { return t_; }

  // Total generalised cost and all-or-nothing cost at full-network shortest paths.
  void totals(double& tstt, double& sptt) {
    tstt = sptt = 0;
    for (int a = 0; a < net_.num_links(); ++a) tstt += x_[a] * t_[a];
    for (Bush& b : bushes_) {
      shortest_path_tree(net_, t_, b.origin, tree_);
      for (const auto& [dest, demand] : b.sinks) sptt += demand * tree_.dist[dest];
    }
  }

  // One outer iteration: every bush improved, then up to `max_passes` equilibration passes
  // over all bushes in turn, until no node's longest used path costs more than
  // (1 + node_tolerance) x its shortest. Passes interleaved over the origins converge in far
  // fewer iterations than equilibrating each bush in full before the next (measured on Sioux
  // Falls: 41 against 230 iterations to gap 1e-10): origins share the congested links.
  void iterate(double node_tolerance, int max_passes) {
    for (Bush& b : bushes_) improve(b);
    for (int pass = 0; pass < max_passes; ++pass) {
      double worst = 0;
      for (Bush& b : bushes_) worst = std::max(worst, equilibrate(b, node_tolerance));
      if (worst <= node_tolerance) break;
    }
  }

 private:
  void refresh(int a) {
    t_[a] = net_.cost[a].time(x_[a]);
    dt_[a] = net_.cost[a].derivative(x_[a]);
  }

  bool usable_tail(const Bush& b, int node) const { return node == b.origin || !net_.is_zone(node); }

  // Kahn's algorithm over the bush's links from its origin.
  void topological_order(Bush& b) {
    const int n = net_.num_nodes;
    indegree_.assign(n, 0);
    for (int a = 0; a < net_.num_road_links; ++a)
      if (b.in[a]) ++indegree_[net_.head[a]];
    b.order.clear();
    b.order.push_back(b.origin);
    for (size_t k = 0; k < b.order.size(); ++k) {
      const int u = b.order[k];
      position_[u] = static_cast<int>(k);
      for (int p = net_.out_start[u]; p < net_.out_start[u + 1]; ++p) {
        const int a = net_.out_link[p];
        if (b.in[a] && --indegree_[net_.head[a]] == 0) b.order.push_back(net_.head[a]);
      }
    }
    // The bush's in-links of every node, in that order: the label passes scan only these.
    b.in_start.assign(1, 0);
    b.in_links.clear();
    for (int v : b.order) {
      for (int p = in_start_[v]; p < in_start_[v + 1]; ++p)
        if (b.in[in_link_[p]]) b.in_links.push_back(in_link_[p]);
      b.in_start.push_back(static_cast<int>(b.in_links.size()));
    }
  }

  // Shortest and longest path labels within the bush, in topological order. The longest
  // path uses links with flow only when `used_only` (the segments flow moves from); else every
  // bush link (a potential that keeps the bush acyclic when links are added).
  void labels(const Bush& b, bool used_only) {
    std::fill(label_min_.begin(), label_min_.end(), kInf);
    std::fill(label_max_.begin(), label_max_.end(), -kInf);
    std::fill(pred_min_.begin(), pred_min_.end(), -1);
    std::fill(pred_max_.begin(), pred_max_.end(), -1);
    label_min_[b.origin] = label_max_[b.origin] = 0;
    for (size_t k = 1; k < b.order.size(); ++k) {
      const int v = b.order[k];
      for (int p = b.in_start[k]; p < b.in_start[k + 1]; ++p) {
        const int a = b.in_links[p];
        if (!b.in[a]) continue;  // dropped since the list was built (improve)
        const int u = net_.tail[a];
        if (label_min_[u] + t_[a] < label_min_[v]) {
          label_min_[v] = label_min_[u] + t_[a];
          pred_min_[v] = a;
        }
        if ((!used_only || b.flow[a] > 0) && label_max_[u] + t_[a] > label_max_[v]) {
          label_max_[v] = label_max_[u] + t_[a];
          pred_max_[v] = a;
        }
      }
      if (pred_max_[v] < 0) {  // no flow reaches v: its longest used path is its shortest
        label_max_[v] = label_min_[v];
        pred_max_[v] = pred_min_[v];
      }
    }
  }

  void improve(Bush& b) {
    labels(b, false);
    // Drop links without flow, except each node's shortest-path link (keeps every node reachable).
    for (int a = 0; a < net_.num_road_links; ++a)
      if (b.in[a] && b.flow[a] <= 0 && pred_min_[net_.head[a]] != a) b.in[a] = 0;
    labels(b, false);  // the longest paths over what is left
    // Add links that shorten the longest bush path to their head: with costs >= 0 the longest
    // path labels are a potential every bush link climbs, so a link climbing it strictly
    // cannot close a cycle (Dial 2006).
    bool added = false;
    for (int a = 0; a < net_.num_road_links; ++a) {
      const int u = net_.tail[a], v = net_.head[a];
      if (b.in[a] || v == b.origin || !usable_tail(b, u) || label_min_[u] == kInf) continue;
      if (label_max_[u] + t_[a] < label_max_[v]) {
        b.in[a] = 1;
        added = true;
      }
    }
    if (!added) {
      // None: add the links that shorten the shortest path and point forward in the current
      // topological order (an order every bush link respects stays valid).
      std::fill(position_.begin(), position_.end(), -1);
      for (size_t k = 0; k < b.order.size(); ++k) position_[b.order[k]] = static_cast<int>(k);
      for (int a = 0; a < net_.num_road_links; ++a) {
        const int u = net_.tail[a], v = net_.head[a];
        if (b.in[a] || v == b.origin || !usable_tail(b, u) || position_[u] < 0) continue;
        if (label_min_[u] + t_[a] < label_min_[v] * (1 - 1e-15) && position_[u] < position_[v]) b.in[a] = 1;
      }
    }
    topological_order(b);
  }

  // One pass over the bush's nodes, last first: flow moves at every node whose longest used
  // path costs more than (1 + tolerance) x its shortest. Returns the largest relative
  // difference seen (before the pass's moves).
  double equilibrate(Bush& b, double tolerance) {
    labels(b, true);
    for (size_t k = 0; k < b.order.size(); ++k) position_[b.order[k]] = static_cast<int>(k);
    double worst = 0;
    for (size_t k = b.order.size(); k-- > 1;) {
      const int j = b.order[k];
      if (pred_max_[j] == pred_min_[j]) continue;
      const double spread = label_max_[j] - label_min_[j];
      if (!(spread > tolerance * label_max_[j])) continue;
      worst = std::max(worst, spread / label_max_[j]);
      shift(b, j);
    }
    return worst;
  }

  // Moves flow at node j from the longest used segment to the shortest since they part: the
  // two paths are walked back together, the later one in topological order first, to the
  // node where they meet.
  void shift(Bush& b, int j) {
    seg_max_.clear();
    seg_min_.clear();
    int u = j, v = j;  // on the max and the min path
    do {
      if (position_[u] >= position_[v]) {
        seg_max_.push_back(pred_max_[u]);
        u = net_.tail[pred_max_[u]];
      } else {
        seg_min_.push_back(pred_min_[v]);
        v = net_.tail[pred_min_[v]];
      }
    } while (u != v);
    double c_max = 0, c_min = 0, slope = 0, room = kInf;
    for (int a : seg_max_) {
      c_max += t_[a];
      slope += dt_[a];
      room = std::min(room, b.flow[a]);
    }
    for (int a : seg_min_) {
      c_min += t_[a];
      slope += dt_[a];
    }
    const double diff = c_max - c_min;
    if (!(diff > 1e-15 * c_max) || !(room > 0)) return;
    // Newton step on the cost difference; constant-cost segments (slope 0) move everything.
    const double dx = slope > 0 ? std::min(room, diff / slope) : room;
    for (int a : seg_max_) {
      b.flow[a] = b.flow[a] - dx;
      if (b.flow[a] < 1e-12 * dx) b.flow[a] = 0;  // the capping link empties exactly
      x_[a] = std::max(0.0, x_[a] - dx);
      refresh(a);
    }
    for (int a : seg_min_) {
      b.flow[a] += dx;
      x_[a] += dx;
      refresh(a);
    }
  }

  const TrafficNetwork& net_;
  std::vector<Bush> bushes_;
  std::vector<int> source_line_;
  std::vector<double> x_, t_, dt_;
  std::vector<int> in_start_, in_link_;
  // scratch
  std::vector<double> label_min_, label_max_;
  std::vector<int> pred_min_, pred_max_, indegree_, position_;

  std::vector<int> seg_max_, seg_min_;
  ShortestPathTree tree_;
};

}  // namespace

AssignmentResult solve_ue_bush(const TrafficNetwork& net, const std::vector<DemandClass>& classes,
                               const UeOptions& options, const std::string& demand_source) {
  Stopwatch clock;
  AssignmentResult r;
  AlgorithmB solver(net, classes, demand_source);
  char criterion[64];
  std::snprintf(criterion, sizeof criterion, "relative gap <= %g", options.gap);
  double gap = kInf;
  for (int it = 0;; ++it) {
    double tstt = 0, sptt = 0;
    solver.totals(tstt, sptt);
    gap = sptt > 0 ? tstt / sptt - 1 : 0;
    if (record_iteration(r, {it, gap, tstt - sptt, 0, 0, clock.seconds()}, gap <= options.gap, criterion,
                         options.max_iterations, "UE relative gap"))
      break;
    // Bushes are equilibrated to a tenth of the current gap (no point in polishing while
    // the bushes still lack links), at most 10 passes per iteration (measured best of
    // 0.01-0.1 x gap and 10-50 passes on Sioux Falls, Anaheim, Barcelona, Winnipeg, Chicago).
    solver.iterate(std::max(0.1 * options.gap, 0.1 * gap), 10);
  }
  r.link_flow = solver.flows();
  finish_link_totals(net, r);
  r.seconds = clock.seconds();
  return r;
}

}  // namespace evs::traffic
