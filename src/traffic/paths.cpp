#include "traffic/paths.hpp"

#include <limits>
#include <map>
#include <stdexcept>

#include "core/error.hpp"
#include "traffic/shortest_path.hpp"

namespace evs::traffic {

int PathSet::add(int cls, const std::vector<int>& path) {
  for (int id : paths_of_class[cls])
    if (links[id] == path) return id;
  links.push_back(path);
  paths_of_class[cls].push_back(num_paths() - 1);
  return num_paths() - 1;
}

void PathSet::reset(int num_classes) {
  links.clear();
  paths_of_class.assign(num_classes, {});
}

PathSetMode path_set_mode_from_string(const std::string& name) {
  if (name == "auto") return PathSetMode::automatic;
  if (name == "enumerate") return PathSetMode::enumerate;
  if (name == "generate") return PathSetMode::generate;
  throw std::invalid_argument("unknown path set mode '" + name + "' (auto, enumerate, generate)");
}

namespace {

// Depth-first enumeration of acyclic paths from `from` to `to`; false when over `cap`.
class Enumerator {
 public:
  Enumerator(const TrafficNetwork& net, int cap) : net_(net), cap_(cap), on_path_(net.num_nodes, 0) {}

  bool run(int from, int to, std::vector<std::vector<int>>& out) {
    out_ = &out;
    from_ = from;
    to_ = to;
    current_.clear();
    visits_ = 0;
    return visit(from);
  }

 private:
  // Depth-first over simple paths. On meshes (grids) most partial paths dead-end, so the
  // search may explore exponentially many of them before finding `cap` complete ones: a
  // budget of visits per pair ends it as "too many to enumerate" (automatic mode then
  // generates paths instead).
  bool visit(int u) {
    if (++visits_ > 2000L * cap_ + 10000) return false;
    if (u == to_) {
      out_->push_back(current_);
      return static_cast<int>(out_->size()) <= cap_;
    }
    if (u != from_ && net_.is_zone(u)) return true;
    on_path_[u] = 1;
    for (int p = net_.out_start[u]; p < net_.out_start[u + 1]; ++p) {
      const int a = net_.out_link[p];
      if (on_path_[net_.head[a]]) continue;
      current_.push_back(a);
      const bool ok = visit(net_.head[a]);
      current_.pop_back();
      if (!ok) {
        on_path_[u] = 0;
        return false;
      }
    }
    on_path_[u] = 0;
    return true;
  }

  const TrafficNetwork& net_;
  int cap_;
  std::vector<char> on_path_;
  std::vector<int> current_;
  std::vector<std::vector<int>>* out_ = nullptr;
  int from_ = 0, to_ = 0;
  long visits_ = 0;
};

// Shortest-path trees per origin node, computed on demand.
class TreeCache {
 public:
  TreeCache(const TrafficNetwork& net, const std::vector<double>& time) : net_(net), time_(time) {}
  const ShortestPathTree& from(int origin) {
    auto it = trees_.find(origin);
    if (it != trees_.end()) return it->second;
    ShortestPathTree& t = trees_[origin];
    shortest_path_tree(net_, time_, origin, t);
    return t;
  }

 private:
  const TrafficNetwork& net_;
  const std::vector<double>& time_;
  std::map<int, ShortestPathTree> trees_;
};

// Best path of a class at the given times; empty cost = +inf when none.
double best_path(const TrafficNetwork& net, const DemandClass& c, const std::vector<double>& time, TreeCache& trees,
                 std::vector<int>* path) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  if (!c.charging) {
    const auto& t = trees.from(c.origin);
    if (path) tree_path(net, t, c.destination, *path);
    return t.dist[c.destination];
  }
  double best = inf;
  int best_station = -1;
  for (int s = 0; s < net.num_stations(); ++s) {
    const int v = net.station_node[s];
    const double cost = trees.from(c.origin).dist[v] + time[net.station_link[s]] + trees.from(v).dist[c.destination];
    if (cost < best) {
      best = cost;
      best_station = s;
    }
  }
  if (path && best_station >= 0) {
    const int v = net.station_node[best_station];
    std::vector<int> second;
    tree_path(net, trees.from(c.origin), v, *path);
    path->push_back(net.station_link[best_station]);
    tree_path(net, trees.from(v), c.destination, second);
    path->insert(path->end(), second.begin(), second.end());
  }
  return best;
}

}  // namespace

bool enumerate_paths(const TrafficNetwork& net, const std::vector<DemandClass>& classes, int cap, PathSet& set) {
  set.reset(static_cast<int>(classes.size()));
  Enumerator en(net, cap);
  std::map<std::pair<int, int>, std::vector<std::vector<int>>> memo;
  auto paths = [&](int from, int to) -> const std::vector<std::vector<int>>* {
    auto key = std::make_pair(from, to);
    auto it = memo.find(key);
    if (it != memo.end()) return &it->second;
    std::vector<std::vector<int>> out;
    if (!en.run(from, to, out)) return nullptr;
    return &(memo[key] = std::move(out));
  };
  for (size_t k = 0; k < classes.size(); ++k) {
    const auto& c = classes[k];
    const int cls = static_cast<int>(k);
    if (!c.charging) {
      const auto* ps = paths(c.origin, c.destination);
      if (!ps) {
        set.reset(static_cast<int>(classes.size()));
        return false;
      }
      for (const auto& p : *ps) set.add(cls, p);
      continue;
    }
    for (int s = 0; s < net.num_stations(); ++s) {
      const int v = net.station_node[s];
      const auto* first = paths(c.origin, v);
      const auto* second = first ? paths(v, c.destination) : nullptr;
      if (!first || !second || static_cast<int>(first->size() * second->size() + set.paths_of_class[cls].size()) > cap) {
        set.reset(static_cast<int>(classes.size()));
        return false;
      }
      for (const auto& p1 : *first)
        for (const auto& p2 : *second) {
          std::vector<int> p = p1;
          p.push_back(net.station_link[s]);
          p.insert(p.end(), p2.begin(), p2.end());
          set.add(cls, p);
        }
    }
  }
  return true;
}

int add_shortest_paths(const TrafficNetwork& net, const std::vector<DemandClass>& classes,
                       const std::vector<double>& link_time, PathSet& set, const std::string& demand_source,
                       std::vector<double>* costs) {
  if (set.paths_of_class.size() != classes.size()) set.reset(static_cast<int>(classes.size()));
  if (costs) costs->assign(classes.size(), 0.0);
  TreeCache trees(net, link_time);
  int added = 0;
  std::vector<int> path;
  for (size_t k = 0; k < classes.size(); ++k) {
    const auto& c = classes[k];
    path.clear();
    const double cost = best_path(net, c, link_time, trees, &path);
    if (costs) (*costs)[k] = cost;
    if (cost == std::numeric_limits<double>::infinity()) {
      if (c.demand <= 0) continue;
      throw InputError({demand_source, c.source_line, "destination"},
                       std::string("no path from node ") + std::to_string(c.origin + 1) + " to node " +
                           std::to_string(c.destination + 1) + (c.charging ? " through any charging station" : "") +
                           " in " + net.source_file);
    }
    const int before = set.num_paths();
    set.add(static_cast<int>(k), path);
    added += set.num_paths() - before;
  }
  return added;
}

std::vector<double> shortest_class_costs(const TrafficNetwork& net, const std::vector<DemandClass>& classes,
                                         const std::vector<double>& link_time) {
  TreeCache trees(net, link_time);
  std::vector<double> out;
  out.reserve(classes.size());
  for (const auto& c : classes) out.push_back(best_path(net, c, link_time, trees, nullptr));
  return out;
}

}  // namespace evs::traffic
