#include "traffic/ue_bush.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "core/error.hpp"
#include "core/timer.hpp"
#include "traffic/shortest_path.hpp"

namespace evs::traffic {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// Bush flows below this (vehicles per hour) are rounding noise of the shifts; the bush
// improvement sets them to zero (moving them onto the node's other approaches).
constexpr double kNoise = 1e-12;
// Equilibration sweeps after the bush improvement (see AlgorithmB::iterate): at most
// kMaxSweeps, until the bushes' excess is below kSweepTarget x the iteration's excess cost,
// each over the bushes with at least kSweepShare x the mean excess.
constexpr int kMaxSweeps = 64;
constexpr double kSweepTarget = 0.1;
constexpr double kSweepShare = 0.5;

struct Demand {
  int destination = 0;
  double flow = 0;
  int source_line = 0;  // of the first class with this OD pair
};

// One origin's bush: an acyclic set of links from the origin that carries all its flow.
// Nodes are stored in topological order and everything is indexed by position in it, so
// that the label and shift loops run over contiguous arrays. A node's approaches are the
// bush links into it.
struct Bush {
  int origin = 0;
  std::vector<Demand> demand;
  std::vector<int> node;     // [position] node id, node[0] = origin
  std::vector<int> begin;    // [position + 1] approaches of position k: begin[k] .. begin[k + 1] - 1
  std::vector<int> link;     // [approach] link id
  std::vector<int> from;     // [approach] position of the link's tail (below the node's)
  std::vector<double> flow;  // [approach] the origin's flow on the link
  std::vector<int> dest_pos;  // [demand] position of the destination
  // Sum over destinations of demand x (longest used - shortest path cost) at the last scan:
  // a bound on the cost the bush's flows could save by moving within it.
  double excess = kInf;
  int size() const { return static_cast<int>(node.size()); }
};

struct Edge {
  int tail, head, link;
  double flow;
};

class AlgorithmB {
 public:
  AlgorithmB(const TrafficNetwork& net, std::vector<Bush> bushes)
      : net_(net), bushes_(std::move(bushes)), x_(net.num_links(), 0.0), t_(net.num_links()), dt_(net.num_links()),
        in_bush_(net.num_links(), 0), pos_(net.num_nodes, -1), indeg_(net.num_nodes, 0), outdeg_(net.num_nodes, 0),
        offset_(net.num_nodes, 0), seen_(net.num_nodes, 0), umin_(net.num_nodes), umax_(net.num_nodes),
        pmin_(net.num_nodes), pmax_(net.num_nodes), dist_(net.num_nodes), queued_(net.num_nodes, 0) {
    for (int a = 0; a < net.num_links(); ++a) refresh(a);
  }

  // Initial bushes: each origin's shortest path tree at the current costs, loaded all or
  // nothing, origin after origin (later origins see the earlier ones' flows). Throws
  // InputError when a destination cannot be reached.
  void initialise(const std::string& demand_source) {
    for (Bush& b : bushes_) {
      shortest_path_tree(net_, t_, b.origin, tree_);
      for (const Demand& d : b.demand)
        if (tree_.dist[d.destination] == kInf)
          throw InputError({demand_source, d.source_line, "destination"},
                           "no path from node " + std::to_string(b.origin + 1) + " to node " +
                               std::to_string(d.destination + 1) + " in " + net_.source_file);
      edges_.clear();
      for (int v = 0; v < net_.num_nodes; ++v)
        if (tree_.pred_link[v] >= 0) edges_.push_back({net_.tail[tree_.pred_link[v]], v, tree_.pred_link[v], 0.0});
      rebuild(b, edges_);
      // Every node's flow goes to its single approach, from the last node back to the origin.
      through_.assign(b.size(), 0.0);
      for (size_t d = 0; d < b.demand.size(); ++d) through_[b.dest_pos[d]] += b.demand[d].flow;
      for (int k = b.size() - 1; k > 0; --k) {
        const int p = b.begin[k];
        b.flow[p] = through_[k];
        through_[b.from[p]] += through_[k];
        if (through_[k] > 0) {
          x_[b.link[p]] += through_[k];
          refresh(b.link[p]);
        }
      }
    }
  }

  // One iteration: every bush improved and equilibrated once, then more equilibration
  // sweeps while they pay: sweeps stop once the bushes' total excess is below kSweepTarget x
  // `excess` (the excess cost TSTT - SPTT at the start of the iteration: the rest of it can
  // only go by growing the bushes), and each sweep visits only the bushes with at least
  // kSweepShare x the mean excess (most are at equilibrium within themselves long before
  // the last ones).
  void iterate(double excess) {
    for (Bush& b : bushes_) {
      improve(b);
      equilibrate(b);
    }
    for (int sweep = 0; sweep < kMaxSweeps; ++sweep) {
      double total = 0;
      for (const Bush& b : bushes_) total += b.excess;
      if (total < kSweepTarget * excess) break;
      const double threshold = kSweepShare * total / static_cast<double>(bushes_.size());
      for (Bush& b : bushes_)
        if (b.excess >= threshold) equilibrate(b);
    }
  }

  // Total cost at the current flows (TSTT) and the same at every origin's shortest paths
  // (SPTT). The running link flows are first reset to the sum of the bush flows (dropping
  // the rounding the shifts accumulate), so the gap refers to the flows returned.
  void totals(double& tstt, double& sptt) {
    x_ = link_flows();
    for (int a = 0; a < net_.num_links(); ++a) refresh(a);
    tstt = sptt = 0;
    for (int a = 0; a < net_.num_links(); ++a) tstt += x_[a] * t_[a];
    for (Bush& b : bushes_) {
      shortest_paths(b);
      for (const Demand& d : b.demand) sptt += d.flow * dist_[d.destination];
    }
  }

  int bush_links() const {
    int n = 0;
    for (const Bush& b : bushes_) n += static_cast<int>(b.link.size());
    return n;
  }

  // Link flows as the sum of the bush flows (the running totals carry rounding of the shifts).
  std::vector<double> link_flows() const {
    std::vector<double> x(net_.num_links(), 0.0);
    for (const Bush& b : bushes_)
      for (size_t p = 0; p < b.link.size(); ++p) x[b.link[p]] += b.flow[p];
    return x;
  }

 private:
  void refresh(int a) {
    t_[a] = net_.cost[a].time(x_[a]);
    dt_[a] = net_.cost[a].derivative(x_[a]);
  }

  // Shortest path costs from the bush's origin over the whole network into dist_ (zones
  // other than the origin not passed through): the bush's own shortest paths, which are
  // exact or nearly so once the bush has grown, corrected by a label-correcting pass
  // (FIFO queue, every node queued once in topological order to start). Much cheaper than
  // Dijkstra from scratch. Also refreshes the bush's labels and excess (scan).
  void shortest_paths(Bush& b) {
    scan(b);
    const int* out_start = net_.out_start.data();
    const int* out_link = net_.out_link.data();
    const int* head = net_.head.data();
    const double* t = t_.data();
    double* dist = dist_.data();
    char* queued = queued_.data();
    std::fill(dist_.begin(), dist_.end(), kInf);
    queue_.assign(b.node.begin(), b.node.end());
    for (int k = 0; k < b.size(); ++k) {
      dist[b.node[k]] = umin_[k];
      queued[b.node[k]] = 1;
    }
    for (size_t q = 0; q < queue_.size(); ++q) {
      const int i = queue_[q];
      queued[i] = 0;
      if (i != b.origin && net_.is_zone(i)) continue;
      const double di = dist[i];
      for (int o = out_start[i]; o < out_start[i + 1]; ++o) {
        const int a = out_link[o];
        const int j = head[a];
        if (di + t[a] < dist[j]) {
          dist[j] = di + t[a];
          if (!queued[j]) {
            queued[j] = 1;
            queue_.push_back(j);
          }
        }
      }
    }
  }

  // Shortest (umin) and longest used (umax) path costs from the origin to every position,
  // with the approach each comes through (pmin, pmax), and the bush's excess. Longest used
  // paths use approaches with flow whose tail has used approaches itself (or is the
  // origin); a node without any has umax = -inf and pmax = -1.
  void scan(Bush& b) {
    // Raw pointers: the compiler cannot keep the vectors' data pointers in registers itself.
    const int* begin = b.begin.data();
    const int* link = b.link.data();
    const int* from = b.from.data();
    const double* flow = b.flow.data();
    const double* t = t_.data();
    double* umin = umin_.data();
    double* umax = umax_.data();
    int* pmin = pmin_.data();
    int* pmax = pmax_.data();
    umin[0] = umax[0] = 0;
    pmin[0] = pmax[0] = -1;
    for (int k = 1, n = b.size(); k < n; ++k) {
      double lo = kInf, hi = -kInf;
      int plo = -1, phi = -1;
      for (int p = begin[k]; p < begin[k + 1]; ++p) {
        const double c = t[link[p]];
        const int i = from[p];
        if (umin[i] + c < lo) {
          lo = umin[i] + c;
          plo = p;
        }
        if (flow[p] > 0 && umax[i] + c > hi) {  // false when umax[i] = -inf
          hi = umax[i] + c;
          phi = p;
        }
      }
      umin[k] = lo;
      umax[k] = hi;
      pmin[k] = plo;
      pmax[k] = phi;
    }
    b.excess = 0;
    for (size_t d = 0; d < b.demand.size(); ++d)
      if (pmax[b.dest_pos[d]] >= 0) b.excess += b.demand[d].flow * (umax[b.dest_pos[d]] - umin[b.dest_pos[d]]);
  }

  // One pass from the last position back to the origin, shifting flow at every node whose
  // longest used and shortest paths differ.
  void equilibrate(Bush& b) {
    scan(b);
    for (int k = b.size() - 1; k > 0; --k)
      if (pmax_[k] >= 0 && pmax_[k] != pmin_[k] && umax_[k] > umin_[k]) shift(b, k);
  }

  // Moves flow at position k from the longest used segment to the shortest: both are traced
  // back from k (always stepping the one at the higher position) to where they meet, the
  // divergence node. Newton step (c_long - c_short) / sum of both segments' derivatives,
  // capped by the smallest flow on the long segment; a zero derivative sum (constant costs
  // throughout) moves that whole flow.
  void shift(Bush& b, int k) {
    long_.clear();
    short_.clear();
    int s = k, l = k;
    do {
      if (s >= l) {
        short_.push_back(pmin_[s]);
        s = b.from[pmin_[s]];
      } else {
        long_.push_back(pmax_[l]);
        l = b.from[pmax_[l]];
      }
    } while (s != l);
    double diff = 0, slope = 0, cap = kInf;
    for (int p : long_) {
      diff += t_[b.link[p]];
      slope += dt_[b.link[p]];
      cap = std::min(cap, b.flow[p]);
    }
    for (int p : short_) {
      diff -= t_[b.link[p]];
      slope += dt_[b.link[p]];
    }
    if (diff <= 0 || cap <= 0) return;
    const double dx = slope > 0 ? std::min(cap, diff / slope) : cap;
    for (int p : long_) {
      b.flow[p] -= dx;  // >= 0: dx <= cap <= flow, and rounding keeps the order
      move(b.link[p], -dx);
    }
    for (int p : short_) {
      b.flow[p] += dx;
      move(b.link[p], dx);
    }
  }

  void move(int a, double dx) {
    x_[a] += dx;
    if (x_[a] < 0) x_[a] = 0;  // rounding of the running total
    refresh(a);
  }

  // Dial's bush improvement. Unused links leave the bush, except each node's shortest
  // approach (which keeps every node reachable); then every network link (i, j) with
  // L_i + t_ij < L_j joins it, L being the longest path costs over the remaining bush. L is a
  // potential of the bush (L_j >= L_i on its links) and new links climb it strictly, so the
  // bush stays acyclic. When no link qualifies, the weaker test U_i + t_ij < U_j on the
  // shortest path costs U, with L_i < L_j for acyclicity, is tried. Zones other than the
  // origin are never left (no through traffic) and no link enters the origin. The
  // topological order is recomputed only when a new link goes against it.
  void improve(Bush& b) {
    const int n = b.size();
    // Shortest path costs at the current link costs, and consistent flows.
    umin_[0] = 0;
    for (int k = 1; k < n; ++k) {
      double lo = kInf;
      int plo = -1;
      for (int p = b.begin[k]; p < b.begin[k + 1]; ++p)
        if (umin_[b.from[p]] + t_[b.link[p]] < lo) {
          lo = umin_[b.from[p]] + t_[b.link[p]];
          plo = p;
        }
      umin_[k] = lo;
      pmin_[k] = plo;
    }
    rectify(b);
    // The approaches that stay, compacted in place, and the longest path costs L over them.
    std::vector<double>& L = umax_;
    int kept = 0;
    L[0] = 0;
    for (int k = 1; k < n; ++k) {
      const int first = b.begin[k], last = b.begin[k + 1];
      b.begin[k] = kept;
      L[k] = -kInf;
      for (int p = first; p < last; ++p)
        if (b.flow[p] > 0 || p == pmin_[k]) {
          b.link[kept] = b.link[p];
          b.from[kept] = b.from[p];
          b.flow[kept] = b.flow[p];
          in_bush_[b.link[p]] = 1;
          L[k] = std::max(L[k], L[b.from[p]] + t_[b.link[p]]);
          ++kept;
        }
    }
    b.begin[n] = kept;
    b.link.resize(kept);
    b.from.resize(kept);
    b.flow.resize(kept);
    // The links that join: the strong test, else the weak one. Branch-free tests (bitwise &,
    // index 0 for nodes outside the bush: the origin's labels 0 never pass), so that only
    // the rare additions branch; raw pointers keep the arrays in registers.
    for (int k = 0; k < n; ++k) pos_[b.node[k]] = k;
    const int* out_start = net_.out_start.data();
    const int* out_link = net_.out_link.data();
    const int* head = net_.head.data();
    const int* pos = pos_.data();
    const char* member = in_bush_.data();
    const double* t = t_.data();
    const double* umin = umin_.data();
    const double* lmax = L.data();
    added_.clear();
    for (int weak = 0; weak < 2 && added_.empty(); ++weak)
      for (int k = 0; k < n; ++k) {
        const int i = b.node[k];
        if (k > 0 && net_.is_zone(i)) continue;
        for (int q = out_start[i]; q < out_start[i + 1]; ++q) {
          const int a = out_link[q];
          const int j = std::max(pos[head[a]], 0);
          const bool add = weak ? (umin[k] + t[a] < umin[j]) & (lmax[k] < lmax[j]) : lmax[k] + t[a] < lmax[j];
          if ((j > 0) & !member[a] & add) added_.push_back(a);
        }
      }
    for (int p = 0; p < kept; ++p) in_bush_[b.link[p]] = 0;
    bool forward = true;
    for (int a : added_) forward = forward && pos_[net_.tail[a]] < pos_[net_.head[a]];
    if (forward) {
      if (!added_.empty()) insert_forward(b);
      for (int k = 0; k < n; ++k) pos_[b.node[k]] = -1;
      return;
    }
    for (int k = 0; k < n; ++k) pos_[b.node[k]] = -1;
    edges_.clear();
    for (int k = 1; k < n; ++k)
      for (int p = b.begin[k]; p < b.begin[k + 1]; ++p)
        edges_.push_back({b.node[b.from[p]], b.node[k], b.link[p], b.flow[p]});
    for (int a : added_) edges_.push_back({net_.tail[a], net_.head[a], a, 0.0});
    rebuild(b, edges_);
  }

  // Adds the links added_ (flow 0), each from a lower to a higher position, so that the
  // topological order stands; pos_ holds the positions.
  void insert_forward(Bush& b) {
    const int n = b.size();
    begin2_.assign(n + 1, 0);
    for (int k = 0; k < n; ++k) begin2_[k + 1] = b.begin[k + 1] - b.begin[k];
    for (int a : added_) ++begin2_[pos_[net_.head[a]] + 1];
    for (int k = 0; k < n; ++k) begin2_[k + 1] += begin2_[k];
    const int total = begin2_[n];
    link2_.resize(total);
    from2_.resize(total);
    flow2_.resize(total);
    cursor_.assign(begin2_.begin(), begin2_.end() - 1);
    for (int k = 1; k < n; ++k)
      for (int p = b.begin[k]; p < b.begin[k + 1]; ++p) {
        const int q = cursor_[k]++;
        link2_[q] = b.link[p];
        from2_[q] = b.from[p];
        flow2_[q] = b.flow[p];
      }
    for (int a : added_) {
      const int q = cursor_[pos_[net_.head[a]]]++;
      link2_[q] = a;
      from2_[q] = pos_[net_.tail[a]];
      flow2_[q] = 0;
    }
    b.begin.swap(begin2_);
    b.link.swap(link2_);
    b.from.swap(from2_);
    b.flow.swap(flow2_);
  }

  // Makes the bush flows conserve exactly: the demand is pushed back from the last node to
  // the origin, every node's throughput split over its approaches in proportion to their
  // flows, flows below kNoise dropped first (a node left without any sends its throughput
  // down its shortest approach, pmin_). Shifts conserve flow only up to rounding, which can
  // leave specks of flow on approaches of nodes with none coming in. The running link
  // totals are not touched: the changes are of rounding size, and totals() resets them.
  void rectify(Bush& b) {
    through_.assign(b.size(), 0.0);
    for (size_t d = 0; d < b.demand.size(); ++d) through_[b.dest_pos[d]] += b.demand[d].flow;
    for (int k = b.size() - 1; k > 0; --k) {
      double sum = 0;
      for (int p = b.begin[k]; p < b.begin[k + 1]; ++p) {
        if (b.flow[p] < kNoise) b.flow[p] = 0;
        sum += b.flow[p];
      }
      if (sum > 0) {
        const double scale = through_[k] / sum;
        for (int p = b.begin[k]; p < b.begin[k + 1]; ++p) b.flow[p] *= scale;
      } else {
        b.flow[pmin_[k]] = through_[k];
      }
      for (int p = b.begin[k]; p < b.begin[k + 1]; ++p) through_[b.from[p]] += b.flow[p];
    }
  }

  // Replaces the bush's links by `edges` (every node but the origin the head of at least one):
  // topological order by Kahn's algorithm, then the approaches by position.
  void rebuild(Bush& b, const std::vector<Edge>& edges) {
    nodes_.assign(1, b.origin);
    seen_[b.origin] = 1;
    for (const Edge& e : edges) {
      if (!seen_[e.head]) {
        seen_[e.head] = 1;
        nodes_.push_back(e.head);
      }
      ++indeg_[e.head];
      ++outdeg_[e.tail];
    }
    int total = 0;
    for (int v : nodes_) {
      offset_[v] = total;
      total += outdeg_[v];
      outdeg_[v] = 0;
    }
    out_.resize(edges.size());
    for (size_t e = 0; e < edges.size(); ++e)
      out_[offset_[edges[e].tail] + outdeg_[edges[e].tail]++] = static_cast<int>(e);
    b.node.assign(1, b.origin);
    for (size_t q = 0; q < b.node.size(); ++q) {
      const int v = b.node[q];
      for (int o = offset_[v]; o < offset_[v] + outdeg_[v]; ++o)
        if (--indeg_[edges[out_[o]].head] == 0) b.node.push_back(edges[out_[o]].head);
    }
    if (b.node.size() != nodes_.size())
      throw std::logic_error("bush of origin " + std::to_string(b.origin + 1) + " has a cycle");
    const int n = b.size();
    for (int k = 0; k < n; ++k) pos_[b.node[k]] = k;
    b.dest_pos.resize(b.demand.size());
    for (size_t d = 0; d < b.demand.size(); ++d) b.dest_pos[d] = pos_[b.demand[d].destination];
    b.begin.assign(n + 1, 0);
    for (const Edge& e : edges) ++b.begin[pos_[e.head] + 1];
    for (int k = 0; k < n; ++k) b.begin[k + 1] += b.begin[k];
    b.link.resize(edges.size());
    b.from.resize(edges.size());
    b.flow.resize(edges.size());
    cursor_.assign(b.begin.begin(), b.begin.end() - 1);
    for (const Edge& e : edges) {
      const int p = cursor_[pos_[e.head]]++;
      b.link[p] = e.link;
      b.from[p] = pos_[e.tail];
      b.flow[p] = e.flow;
    }
    for (int v : nodes_) {
      pos_[v] = -1;
      seen_[v] = 0;
      outdeg_[v] = 0;
    }
  }

  const TrafficNetwork& net_;
  std::vector<Bush> bushes_;
  std::vector<double> x_, t_, dt_;  // [link] flow, cost, derivative
  // Scratch, clear between uses.
  std::vector<char> in_bush_;                        // [link]
  std::vector<int> pos_, indeg_, outdeg_, offset_;   // [node]
  std::vector<char> seen_;                           // [node]
  // Scratch for one bush at a time.
  std::vector<double> umin_, umax_;  // [position]
  std::vector<int> pmin_, pmax_;     // [position] approach, -1 at the origin
  std::vector<int> long_, short_, nodes_, out_, cursor_, added_;
  std::vector<int> begin2_, link2_, from2_;  // insert_forward's new arrays (swapped with the bush's)
  std::vector<double> flow2_;
  std::vector<Edge> edges_;
  std::vector<double> through_;      // [position]
  std::vector<double> dist_;         // [node]
  std::vector<char> queued_;         // [node]
  std::vector<int> queue_;
  ShortestPathTree tree_;
};

}  // namespace

AssignmentResult solve_ue_bush(const TrafficNetwork& net, const std::vector<DemandClass>& classes,
                               const UeOptions& options, const std::string& demand_source) {
  Stopwatch clock;
  // One bush per origin with demand, its OD pairs merged (sorted by origin, destination).
  std::vector<const DemandClass*> sorted;
  sorted.reserve(classes.size());
  for (const DemandClass& c : classes) {
    if (c.charging)
      throw InputError({demand_source, c.source_line, "charging"},
                       "the bush-based UE solver assigns regular demand only; charging demand needs the "
                       "path-based solver");
    if (c.demand > 0 && c.origin != c.destination) sorted.push_back(&c);
  }
  std::stable_sort(sorted.begin(), sorted.end(), [](const DemandClass* a, const DemandClass* b) {
    return a->origin != b->origin ? a->origin < b->origin : a->destination < b->destination;
  });
  std::vector<Bush> bushes;
  for (size_t q = 0; q < sorted.size(); ++q) {
    const DemandClass& c = *sorted[q];
    if (q == 0 || c.origin != sorted[q - 1]->origin) {
      bushes.emplace_back();
      bushes.back().origin = c.origin;
    }
    auto& demand = bushes.back().demand;
    if (demand.empty() || demand.back().destination != c.destination)
      demand.push_back({c.destination, c.demand, c.source_line});
    else
      demand.back().flow += c.demand;
  }
  AlgorithmB solver(net, std::move(bushes));
  solver.initialise(demand_source);

  AssignmentResult r;
  char criterion[64];
  std::snprintf(criterion, sizeof criterion, "relative gap <= %g", options.gap);
  for (int it = 0;; ++it) {
    double tstt = 0, sptt = 0;
    solver.totals(tstt, sptt);
    const double gap = sptt > 0 ? tstt / sptt - 1 : 0;
    if (record_iteration(r, {it, gap, tstt - sptt, 0, solver.bush_links(), clock.seconds()}, gap <= options.gap,
                         criterion, options.max_iterations, "UE relative gap"))
      break;
    solver.iterate(tstt - sptt);
  }
  r.link_flow = solver.link_flows();
  finish_link_totals(net, r);
  r.seconds = clock.seconds();
  return r;
}

}  // namespace evs::traffic
