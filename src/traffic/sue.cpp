#include "traffic/sue.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "core/timer.hpp"

namespace evs::traffic {

StepRule step_rule_from_string(const std::string& name) {
  if (name == "msa") return StepRule::msa;
  if (name == "sra") return StepRule::sra;
  if (name == "newton") return StepRule::newton;
  throw std::invalid_argument("unknown SUE step rule '" + name + "' (msa, sra, newton)");
}

std::string to_string(StepRule rule) {
  switch (rule) {
    case StepRule::msa: return "msa";
    case StepRule::sra: return "sra";
    case StepRule::newton: return "newton";
  }
  return "?";
}

namespace {

double norm2(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x * x;
  return std::sqrt(s);
}

class LogitLoading {
 public:
  LogitLoading(const TrafficNetwork& net, const std::vector<DemandClass>& classes, const PathSet& set, double theta)
      : net_(net), classes_(classes), set_(set), theta_(theta) {}

  // y = loading at the costs of x; keeps the path probabilities for the Jacobian.
  void load(const std::vector<double>& x, std::vector<double>& y) {
    const int m = net_.num_links();
    time_.resize(m);
    slope_.resize(m);
    for (int a = 0; a < m; ++a) {
      time_[a] = net_.cost[a].time(x[a]);
      slope_[a] = net_.cost[a].derivative(x[a]);
    }
    prob_.assign(set_.num_paths(), 0.0);
    y.assign(m, 0.0);
    for (size_t c = 0; c < classes_.size(); ++c) {
      const auto& ids = set_.paths_of_class[c];
      if (ids.empty() || classes_[c].demand <= 0) continue;
      double cmin = INFINITY;
      for (int id : ids) {
        double cost = 0;
        for (int a : set_.links[id]) cost += time_[a];
        prob_[id] = cost;
        cmin = std::min(cmin, cost);
      }
      double sum = 0;
      for (int id : ids) sum += (prob_[id] = std::exp(-theta_ * (prob_[id] - cmin)));
      for (int id : ids) {
        prob_[id] /= sum;
        const double f = classes_[c].demand * prob_[id];
        for (int a : set_.links[id]) y[a] += f;
      }
    }
  }

  // out = A v with A = theta sum_c d_c Delta_c (diag P_c - P_c P_c^T) Delta_c^T (PSD; dy/dt = -A).
  void apply_a(const std::vector<double>& v, std::vector<double>& out) const {
    out.assign(v.size(), 0.0);
    std::vector<double> w;
    for (size_t c = 0; c < classes_.size(); ++c) {
      const auto& ids = set_.paths_of_class[c];
      if (ids.size() < 2 || classes_[c].demand <= 0) continue;
      w.assign(ids.size(), 0.0);
      double mean = 0;
      for (size_t k = 0; k < ids.size(); ++k) {
        for (int a : set_.links[ids[k]]) w[k] += v[a];
        mean += prob_[ids[k]] * w[k];
      }
      for (size_t k = 0; k < ids.size(); ++k) {
        const double coef = theta_ * classes_[c].demand * prob_[ids[k]] * (w[k] - mean);
        for (int a : set_.links[ids[k]]) out[a] += coef;
      }
    }
  }

  const std::vector<double>& time() const { return time_; }
  const std::vector<double>& slope() const { return slope_; }
  const std::vector<double>& prob() const { return prob_; }

 private:
  const TrafficNetwork& net_;
  const std::vector<DemandClass>& classes_;
  const PathSet& set_;
  double theta_;
  std::vector<double> time_, slope_, prob_;
};

// Newton direction s solving (I + A D) s = r, D = diag(t'(x)), via CG on the symmetric
// positive definite (I + D^1/2 A D^1/2) u = D^1/2 r, then s = r - A D^1/2 u.
void newton_direction(const LogitLoading& loading, const std::vector<double>& r, std::vector<double>& s) {
  const size_t m = r.size();
  std::vector<double> sq(m);
  for (size_t a = 0; a < m; ++a) sq[a] = std::sqrt(std::max(loading.slope()[a], 0.0));
  auto op = [&](const std::vector<double>& u, std::vector<double>& out) {
    std::vector<double> tmp(m);
    for (size_t a = 0; a < m; ++a) tmp[a] = sq[a] * u[a];
    loading.apply_a(tmp, out);
    for (size_t a = 0; a < m; ++a) out[a] = u[a] + sq[a] * out[a];
  };
  std::vector<double> b(m), u(m, 0.0), res(m), p(m), q(m);
  for (size_t a = 0; a < m; ++a) b[a] = sq[a] * r[a];
  res = b;
  p = res;
  double rr = 0;
  for (double v : res) rr += v * v;
  const double stop = 1e-26 * std::max(rr, 1e-300);
  for (size_t it = 0; it < 2 * m + 10 && rr > stop; ++it) {
    op(p, q);
    double pq = 0;
    for (size_t a = 0; a < m; ++a) pq += p[a] * q[a];
    if (pq <= 0) break;
    const double alpha = rr / pq;
    double rr_new = 0;
    for (size_t a = 0; a < m; ++a) {
      u[a] += alpha * p[a];
      res[a] -= alpha * q[a];
      rr_new += res[a] * res[a];
    }
    const double beta = rr_new / rr;
    rr = rr_new;
    for (size_t a = 0; a < m; ++a) p[a] = res[a] + beta * p[a];
  }
  std::vector<double> du(m), adu;
  for (size_t a = 0; a < m; ++a) du[a] = sq[a] * u[a];
  loading.apply_a(du, adu);
  s.resize(m);
  for (size_t a = 0; a < m; ++a) s[a] = r[a] - adu[a];
}

}  // namespace

AssignmentResult solve_sue(const TrafficNetwork& net, const std::vector<DemandClass>& classes, PathSet& set,
                           const SueOptions& opt, const std::string& demand_source,
                           const std::vector<double>* warm_link_flow) {
  Stopwatch clock;
  AssignmentResult r;
  const int m = net.num_links();
  std::vector<double> free_time(m);
  for (int a = 0; a < m; ++a) free_time[a] = net.cost[a].time(0);
  bool generate = false;
  if (set.paths_of_class.size() != classes.size() || set.num_paths() == 0) {
    const bool try_enumeration = opt.path_set != PathSetMode::generate;
    const bool enumerated = try_enumeration && enumerate_paths(net, classes, opt.max_enumerated_paths, set);
    if (opt.path_set == PathSetMode::enumerate && !enumerated)
      throw std::invalid_argument("path enumeration exceeds " + std::to_string(opt.max_enumerated_paths) +
                                  " paths for some OD pair; use path set 'generate'");
    generate = !enumerated;
    if (generate) set.reset(static_cast<int>(classes.size()));
  } else {
    generate = opt.path_set == PathSetMode::generate;
  }
  add_shortest_paths(net, classes, free_time, set, demand_source);  // also detects classes with no path

  LogitLoading loading(net, classes, set, opt.theta);
  std::vector<double> x(m, 0.0), y, res(m), s, x_try, y_try;
  if (warm_link_flow && static_cast<int>(warm_link_flow->size()) == m) {
    x = *warm_link_flow;
  } else {
    loading.load(x, y);
    x = y;
  }
  char criterion[80];
  std::snprintf(criterion, sizeof criterion, "relative residual ||y-x||/||x|| <= %g", opt.tolerance);
  double beta = 1, previous_norm = INFINITY;
  loading.load(x, y);
  for (int it = 1;; ++it) {
    for (int a = 0; a < m; ++a) res[a] = y[a] - x[a];
    const double rn = norm2(res);
    const double xn = std::max(norm2(x), 1e-300);
    double max_abs = 0;
    for (double v : res) max_abs = std::max(max_abs, std::fabs(v));
    const double rel = rn / xn;
    int added = 0;
    if (generate) {
      added = add_shortest_paths(net, classes, loading.time(), set, demand_source);
      if (added > 0) loading.load(x, y);  // the new paths change the loading
    }
    if (record_iteration(r, {it, rel, max_abs, 0, set.num_paths(), clock.seconds()},
                         rel <= opt.tolerance && added == 0, criterion, opt.max_iterations,
                         "SUE relative residual"))
      break;
    if (added > 0) {
      for (int a = 0; a < m; ++a) res[a] = y[a] - x[a];
    }
    double step = 0;
    switch (opt.rule) {
      case StepRule::msa:
        step = 1.0 / it;
        for (int a = 0; a < m; ++a) x[a] += step * res[a];
        loading.load(x, y);
        break;
      case StepRule::sra:
        if (it > 1) beta += rn >= previous_norm ? opt.sra_up : opt.sra_down;
        previous_norm = rn;
        step = 1.0 / beta;
        for (int a = 0; a < m; ++a) x[a] += step * res[a];
        loading.load(x, y);
        break;
      case StepRule::newton: {
        newton_direction(loading, res, s);
        const double base = norm2(res);
        step = 1.0;
        for (int halving = 0;; ++halving) {
          x_try = x;
          for (int a = 0; a < m; ++a) x_try[a] += step * s[a];
          loading.load(x_try, y_try);
          double nn = 0;
          for (int a = 0; a < m; ++a) nn += (y_try[a] - x_try[a]) * (y_try[a] - x_try[a]);
          if (std::sqrt(nn) <= (1 - 1e-4 * step) * base || halving >= 30) break;
          step *= 0.5;
        }
        x.swap(x_try);
        y.swap(y_try);
        break;
      }
    }
    r.history.back().step = step;
  }
  r.link_flow = x;
  finish_link_totals(net, r);
  r.path_flow.assign(set.num_paths(), 0.0);
  for (size_t c = 0; c < classes.size(); ++c)
    for (int id : set.paths_of_class[c]) r.path_flow[id] = classes[c].demand * loading.prob()[id];
  r.seconds = clock.seconds();
  return r;
}

}  // namespace evs::traffic
