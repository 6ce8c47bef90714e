#include "traffic/ue.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/timer.hpp"

namespace evs::traffic {

namespace {

class GradientProjection {
 public:
  GradientProjection(const TrafficNetwork& net, const std::vector<DemandClass>& classes, PathSet& set)
      : net_(net), classes_(classes), set_(set), x_(net.num_links(), 0.0), t_(net.num_links()), dt_(net.num_links()),
        count_(net.num_links(), 0), marked_(net.num_links(), 0) {
    for (int a = 0; a < net.num_links(); ++a) refresh(a);
  }

  std::vector<double>& flows() { return x_; }
  std::vector<double>& times() { return t_; }
  std::vector<double>& path_flow() { return f_; }

  void load_paths(const std::vector<double>* warm) {
    f_.assign(set_.num_paths(), 0.0);
    for (size_t c = 0; c < classes_.size(); ++c) {
      const auto& ids = set_.paths_of_class[c];
      if (ids.empty()) continue;
      double total = 0;
      if (warm)
        for (int id : ids) total += id < static_cast<int>(warm->size()) ? (*warm)[id] : 0.0;
      for (int id : ids)
        f_[id] = total > 0 ? (*warm)[id] * classes_[c].demand / total : (id == ids.front() ? classes_[c].demand : 0.0);
    }
    std::fill(x_.begin(), x_.end(), 0.0);
    for (int id = 0; id < set_.num_paths(); ++id)
      for (int a : set_.links[id]) x_[a] += f_[id];
    for (int a = 0; a < net_.num_links(); ++a) refresh(a);
  }

  void grow(int new_paths) { f_.resize(f_.size() + new_paths, 0.0); }

  double path_cost(int id) const {
    double c = 0;
    for (int a : set_.links[id]) c += t_[a];
    return c;
  }

  // Returns the largest relative excess cost of a used path over the class's cheapest, seen
  // before this pass's shifts.
  double equilibrate(int cls) {
    const auto& ids = set_.paths_of_class[cls];
    if (ids.size() < 2) return 0;
    // The cheapest path is chosen once per class; every other path then sheds flow to it.
    int best = ids.front();
    double best_cost = path_cost(best);
    for (int id : ids) {
      const double c = path_cost(id);
      if (c < best_cost) {
        best_cost = c;
        best = id;
      }
    }
    double worst = 0;
    for (int k : ids) {
      if (k == best || f_[k] <= 0) continue;
      best_cost = path_cost(best);  // earlier shifts may have changed it
      const double diff = path_cost(k) - best_cost;
      if (diff <= 0) continue;
      worst = std::max(worst, diff / std::max(best_cost, 1e-300));
      // count_[a] = (uses of a by k) - (uses by best); moving `shift` from k to best changes
      // x_a by -shift * count_[a] and c_k - c_best by -shift * sum count^2 t'.
      for (int a : set_.links[k]) mark(a, +1);
      for (int a : set_.links[best]) mark(a, -1);
      double denom = 0;
      for (int a : touched_) denom += static_cast<double>(count_[a]) * count_[a] * dt_[a];
      const double shift = denom > 0 ? std::min(f_[k], diff / denom) : f_[k];
      for (int a : touched_) {
        x_[a] -= shift * count_[a];
        if (x_[a] < 0 && x_[a] > -1e-9) x_[a] = 0;
        count_[a] = 0;
        marked_[a] = 0;
        refresh(a);
      }
      touched_.clear();
      f_[k] -= shift;
      f_[best] += shift;
    }
    return worst;
  }

 private:
  void mark(int a, int delta) {
    if (!marked_[a]) {
      marked_[a] = 1;
      touched_.push_back(a);
    }
    count_[a] += delta;
  }
  void refresh(int a) {
    t_[a] = net_.cost[a].time(x_[a]);
    dt_[a] = net_.cost[a].derivative(x_[a]);
  }

  const TrafficNetwork& net_;
  const std::vector<DemandClass>& classes_;
  PathSet& set_;
  std::vector<double> x_, t_, dt_, f_;
  std::vector<int> count_;    // [link] scratch, zero between shifts
  std::vector<char> marked_;  // [link] scratch
  std::vector<int> touched_;
};

}  // namespace

AssignmentResult solve_ue(const TrafficNetwork& net, const std::vector<DemandClass>& classes, PathSet& set,
                          const UeOptions& options, const std::string& demand_source,
                          const std::vector<double>* warm_path_flow) {
  Stopwatch clock;
  AssignmentResult r;
  if (set.paths_of_class.size() != classes.size()) set.reset(static_cast<int>(classes.size()));
  GradientProjection gp(net, classes, set);
  add_shortest_paths(net, classes, gp.times(), set, demand_source);
  gp.load_paths(warm_path_flow);
  std::vector<double> sp_cost;
  char criterion[64];
  std::snprintf(criterion, sizeof criterion, "relative gap <= %g", options.gap);
  for (int it = 0;; ++it) {
    const int before = set.num_paths();
    add_shortest_paths(net, classes, gp.times(), set, demand_source, &sp_cost);
    double tstt = 0, sptt = 0;
    for (int a = 0; a < net.num_links(); ++a) tstt += gp.flows()[a] * gp.times()[a];
    for (size_t c = 0; c < classes.size(); ++c) sptt += classes[c].demand * sp_cost[c];
    const double gap = sptt > 0 ? tstt / sptt - 1 : 0;
    if (record_iteration(r, {it, gap, tstt - sptt, 0, set.num_paths(), clock.seconds()}, gap <= options.gap,
                         criterion, options.max_iterations, "UE relative gap"))
      break;
    gp.grow(set.num_paths() - before);
    // Shift passes until no used path costs more than (1 + a tenth of the gap) x its class's
    // cheapest, at most inner_passes: early rounds need few (the path sets are incomplete),
    // late ones more (ChicagoSketch to 1e-10: 26 rounds, 1.95 s with 4 fixed passes; 7 rounds,
    // 1.13 s adaptive up to 16; BENCHMARKS.md).
    const double tolerance = std::max(0.1 * options.gap, 0.1 * gap);
    for (int pass = 0; pass < options.inner_passes; ++pass) {
      double worst = 0;
      for (size_t c = 0; c < classes.size(); ++c) worst = std::max(worst, gp.equilibrate(static_cast<int>(c)));
      if (worst <= tolerance) break;
    }
  }
  r.link_flow = gp.flows();
  r.path_flow = gp.path_flow();
  r.path_flow.resize(set.num_paths(), 0.0);
  finish_link_totals(net, r);
  r.seconds = clock.seconds();
  return r;
}

}  // namespace evs::traffic
