#pragma once
// Path sets for path-based assignment: every demand class owns a list of paths (link ids
// in order). Charging classes' paths run origin -> station node, through the station's
// virtual link, then station node -> destination.
#include <string>
#include <vector>

#include "traffic/network.hpp"

namespace evs::traffic {

struct PathSet {
  std::vector<std::vector<int>> links;           // [path] link ids in travel order
  std::vector<std::vector<int>> paths_of_class;  // [class] path ids

  // Adds the path to the class unless it is already there; returns its id.
  int add(int cls, const std::vector<int>& path);
  int num_paths() const { return static_cast<int>(links.size()); }
  void reset(int num_classes);
};

enum class PathSetMode { automatic, enumerate, generate };
PathSetMode path_set_mode_from_string(const std::string& name);  // auto | enumerate | generate

// Enumerates every acyclic road path (zones are not passed through) for every class.
// Returns false, leaving `set` empty, when a class would exceed `max_paths_per_class`.
bool enumerate_paths(const TrafficNetwork& net, const std::vector<DemandClass>& classes, int max_paths_per_class,
                     PathSet& set);

// Column generation: adds every class's current shortest path (charging classes: through
// the best station) when it is new. Returns the number added. Throws InputError naming
// `demand_source` and the class's line when a class with demand has no path at all.
// `costs`, when given, receives every class's shortest path cost (as shortest_class_costs).
int add_shortest_paths(const TrafficNetwork& net, const std::vector<DemandClass>& classes,
                       const std::vector<double>& link_time, PathSet& set, const std::string& demand_source,
                       std::vector<double>* costs = nullptr);

// Shortest path cost of every class at the given link times (charging: best station).
std::vector<double> shortest_class_costs(const TrafficNetwork& net, const std::vector<DemandClass>& classes,
                                         const std::vector<double>& link_time);

}  // namespace evs::traffic
