#include "traffic/od_estimation.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/error.hpp"
#include "core/timer.hpp"

namespace evs::traffic {

namespace {

std::string column_name(const ObservationRecord& r) {
  return std::string(r.is_speed ? "speed_kmh" : "count") + " (column " + std::to_string(r.column) + ")";
}

}  // namespace

double bpr_flow_at_time(const RoadLink& link, double t) {
  if (!(t > link.free_flow_time * (1 + 1e-12))) return -1;
  return link.capacity * std::pow((t / link.free_flow_time - 1) / link.b, 1 / link.power);
}

std::vector<std::vector<LinkObservation>> observations_by_period(const RoadNetwork& road,
                                                                 const std::vector<ObservationRecord>& records,
                                                                 const ObservationUnits& units,
                                                                 const std::string& file) {
  std::map<int, std::map<int, LinkObservation>> by_period;  // period -> link -> observation
  for (const auto& r : records) {
    if (r.period < 1) throw InputError({file, r.line, "period (column 1)"}, "periods are numbered from 1");
    const int link = road.find_link(r.from_node, r.to_node);
    if (link < 0)
      throw InputError({file, r.line, "init_node/term_node (columns 2-3)"},
                       "link " + std::to_string(r.from_node) + " -> " + std::to_string(r.to_node) + " is not in " +
                           road.source_file);
    const RoadLink& L = road.links[link];
    auto& obs = by_period[r.period][link];
    obs.link = link;
    if (obs.line == 0) obs.line = r.line;
    if (!std::isfinite(r.value)) throw InputError({file, r.line, column_name(r)}, "not a finite number");
    if (!r.is_speed) {
      if (r.value < 0) throw InputError({file, r.line, column_name(r)}, "a count cannot be negative");
      obs.samples.push_back(r.value * 60 / units.period_minutes);
      continue;
    }
    if (r.value <= 0) throw InputError({file, r.line, column_name(r)}, "a speed must be positive");
    if (!(L.length > 0))
      throw InputError({file, r.line, column_name(r)},
                       "link " + std::to_string(r.from_node) + " -> " + std::to_string(r.to_node) + " has no length in " +
                           road.source_file + " (line " + std::to_string(L.line) +
                           "): a speed cannot become a travel time");
    if (!(L.free_flow_time > 0))
      throw InputError({file, r.line, column_name(r)},
                       "link " + std::to_string(r.from_node) + " -> " + std::to_string(r.to_node) +
                           " has no free-flow time in " + road.source_file + ": its speed says nothing about its flow");
    const double km = L.length * units.km_per_length_unit;
    const double t = km / r.value * 60 / units.minutes_per_time_unit;  // network time units
    const double free_speed = km / (L.free_flow_time * units.minutes_per_time_unit / 60);
    if (t <= L.free_flow_time * (1 + 1e-12)) {  // at or above free flow: an upper bound only
      const double slower = free_speed - units.speed_resolution_kmh;
      double upper = std::numeric_limits<double>::infinity();
      if (slower > 0 && L.b > 0 && L.power > 0)
        upper = bpr_flow_at_time(L, km / slower * 60 / units.minutes_per_time_unit);
      obs.upper = std::min(obs.upper, upper);
      continue;
    }
    if (!(L.b > 0 && L.power > 0))
      throw InputError({file, r.line, column_name(r)},
                       "link " + std::to_string(r.from_node) + " -> " + std::to_string(r.to_node) +
                           " has a flat time function (b or power 0) in " + road.source_file +
                           ": a speed below free flow cannot be explained by any flow");
    obs.samples.push_back(bpr_flow_at_time(L, t));
  }
  std::vector<std::vector<LinkObservation>> out;
  if (by_period.empty()) throw InputError({file, 0, ""}, "no observations");
  const int last = by_period.rbegin()->first;
  for (int p = 1; p <= last; ++p) {
    auto it = by_period.find(p);
    if (it == by_period.end())
      throw InputError({file, 0, "period (column 1)"},
                       "period " + std::to_string(p) + " has no observations (periods run 1.." + std::to_string(last) +
                           " without gaps)");
    std::vector<LinkObservation> list;
    for (auto& [link, obs] : it->second) list.push_back(std::move(obs));
    out.push_back(std::move(list));
  }
  return out;
}

std::vector<OdPair> all_zone_pairs(const TrafficNetwork& net, int num_zones) {
  std::vector<OdPair> pairs;
  std::vector<char> seen(net.num_nodes);
  std::vector<int> stack;
  for (int o = 0; o < num_zones; ++o) {  // reachable without passing through another zone
    std::fill(seen.begin(), seen.end(), 0);
    seen[o] = 1;
    stack.assign(1, o);
    while (!stack.empty()) {
      const int u = stack.back();
      stack.pop_back();
      if (u != o && net.is_zone(u)) continue;
      for (int i = net.out_start[u]; i < net.out_start[u + 1]; ++i) {
        const int v = net.head[net.out_link[i]];
        if (!seen[v]) seen[v] = 1, stack.push_back(v);
      }
    }
    for (int d = 0; d < num_zones; ++d)
      if (d != o && seen[d]) pairs.push_back({o, d});
  }
  return pairs;
}

std::vector<OdPair> prior_pairs(const OdMatrix& prior) {
  std::set<std::pair<int, int>> seen;
  std::vector<OdPair> pairs;
  for (const auto& e : prior.entries)
    if (e.flow > 0 && seen.insert({e.origin, e.destination}).second) pairs.push_back({e.origin - 1, e.destination - 1});
  return pairs;
}

std::vector<double> prior_on_pairs(const OdMatrix& prior, const std::vector<OdPair>& pairs) {
  std::map<std::pair<int, int>, double> flow;
  for (const auto& e : prior.entries) flow[{e.origin - 1, e.destination - 1}] += e.flow;
  std::vector<double> out(pairs.size(), 0.0);
  for (size_t k = 0; k < pairs.size(); ++k) {
    auto it = flow.find({pairs[k].origin, pairs[k].destination});
    if (it != flow.end()) out[k] = it->second;
  }
  return out;
}

namespace {

struct FitStats {
  double loglik = 0, rmse = 0, r2 = 0;
};

class Estimator {
 public:
  Estimator(const TrafficNetwork& net, const std::vector<OdPair>& pairs, const std::vector<LinkObservation>& obs,
            const OdEstimationOptions& o, const std::string& source)
      : net_(net), obs_(obs), o_(o), source_(source) {
    for (const auto& p : pairs) classes_.push_back({p.origin, p.destination, 0.0, false, 0});
    problem_.num_pairs = static_cast<int>(pairs.size());
    problem_.likelihood = o.likelihood;
    problem_.censor_weight = o.censor_weight;
    row_of_link_.assign(net.num_links(), -1);
    for (size_t i = 0; i < obs.size(); ++i) {
      row_of_link_[obs[i].link] = static_cast<int>(i);
      MleRow row;
      for (double y : obs[i].samples) {
        row.sum += y;
        row.sum_sq += y * y;
        row.lgamma_sum += std::lgamma(y + 1);
      }
      row.samples = static_cast<int>(obs[i].samples.size());
      row.upper = obs[i].upper;
      problem_.rows.push_back(std::move(row));
    }
  }

  MleProblem& problem() { return problem_; }

  // Assigns `demand` (floored) and returns the result; keeps the path set and a warm start.
  const AssignmentResult& assign(const std::vector<double>& demand) {
    for (size_t c = 0; c < classes_.size(); ++c) classes_[c].demand = std::max(demand[c], o_.demand_floor);
    if (o_.stochastic) {
      result_ = solve_sue(net_, classes_, set_, o_.sue, source_, warm_link_.empty() ? nullptr : &warm_link_);
      warm_link_ = result_.link_flow;
    } else {
      result_ = solve_ue(net_, classes_, set_, o_.ue, source_, warm_path_.empty() ? nullptr : &warm_path_);
      warm_path_ = result_.path_flow;
    }
    return result_;
  }

  // Route-choice proportions of the last assignment, [path].
  std::vector<double> proportions() const {
    std::vector<double> p(set_.num_paths(), 0.0);
    for (size_t c = 0; c < classes_.size(); ++c)
      for (int id : set_.paths_of_class[c])
        if (id < static_cast<int>(result_.path_flow.size()))
          p[id] = result_.path_flow[id] / classes_[c].demand;
    return p;
  }

  // Share of demand whose route-choice proportions differ between `a` and `b`.
  double rerouted(const std::vector<double>& a, const std::vector<double>& b, const std::vector<double>& demand) const {
    double moved = 0, total = 0;
    for (size_t c = 0; c < classes_.size(); ++c) {
      double diff = 0;
      for (int id : set_.paths_of_class[c]) {
        const double pa = id < static_cast<int>(a.size()) ? a[id] : 0.0;
        const double pb = id < static_cast<int>(b.size()) ? b[id] : 0.0;
        diff += std::fabs(pa - pb);
      }
      moved += demand[c] * diff / 2;
      total += demand[c];
    }
    return total > 0 ? moved / total : 0.0;
  }

  // M from proportions: share of each pair's demand on each observed link.
  void build_rows(const std::vector<double>& prop) {
    const int m = static_cast<int>(problem_.rows.size());
    std::vector<double> acc(m, 0.0);
    std::vector<int> touched;
    for (auto& r : problem_.rows) r.share.clear();
    for (size_t c = 0; c < classes_.size(); ++c) {
      for (int id : set_.paths_of_class[c]) {
        const double p = id < static_cast<int>(prop.size()) ? prop[id] : 0.0;
        if (p <= 0) continue;
        for (int a : set_.links[id]) {
          const int row = row_of_link_[a];
          if (row < 0) continue;
          if (acc[row] == 0) touched.push_back(row);
          acc[row] += p;
        }
      }
      for (int row : touched) {
        if (acc[row] > 0) problem_.rows[row].share.push_back({static_cast<int>(c), acc[row]});
        acc[row] = 0;
      }
      touched.clear();
    }
  }

  FitStats fit(const std::vector<double>& link_flow) const {
    FitStats s;
    std::vector<double> v(problem_.rows.size());
    double sse = 0, mean = 0, n = 0;
    for (size_t i = 0; i < obs_.size(); ++i) {
      v[i] = link_flow[obs_[i].link];
      const auto& r = problem_.rows[i];
      if (r.samples == 0) continue;
      const double ybar = r.sum / r.samples;
      sse += (ybar - v[i]) * (ybar - v[i]);
      mean += ybar;
      n += 1;
    }
    if (n == 0) return s;
    mean /= n;
    double sst = 0;
    for (const auto& r : problem_.rows)
      if (r.samples > 0) sst += std::pow(r.sum / r.samples - mean, 2);
    s.rmse = std::sqrt(sse / n);
    s.r2 = sst > 0 ? 1 - sse / sst : 0.0;
    s.loglik = data_log_likelihood(problem_, v);
    return s;
  }

 private:
  const TrafficNetwork& net_;
  const std::vector<LinkObservation>& obs_;
  const OdEstimationOptions& o_;
  std::string source_;
  std::vector<DemandClass> classes_;
  PathSet set_;
  AssignmentResult result_;
  std::vector<double> warm_link_, warm_path_;
  std::vector<int> row_of_link_;
  MleProblem problem_;
};

double sum(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s;
}

}  // namespace

OdEstimate estimate_od(const TrafficNetwork& net, const std::vector<OdPair>& pairs, const std::vector<double>& prior,
                       const std::vector<LinkObservation>& observations, const OdEstimationOptions& o,
                       const std::string& source) {
  Stopwatch clock;
  OdEstimate est;
  const int n = static_cast<int>(pairs.size());
  Estimator e(net, pairs, observations, o, source);
  est.observed_links = static_cast<int>(observations.size());
  std::vector<double> demand;
  if (!prior.empty()) {
    demand = prior;
    e.problem().prior = prior;
    e.problem().prior_weight = o.prior_weight;
    e.problem().prior_level_free = o.prior_level_free;
  } else {  // uniform, scaled so that the observed links carry the observed total
    demand.assign(n, 1.0);
    const auto& unit = e.assign(demand);
    double observed = 0, assigned = 0;
    for (size_t i = 0; i < observations.size(); ++i) {
      const auto& r = e.problem().rows[i];
      if (r.samples == 0) continue;
      observed += r.sum / r.samples;
      assigned += unit.link_flow[observations[i].link];
    }
    const double level = assigned > 0 && observed > 0 ? observed / assigned : 1.0;
    for (double& d : demand) d = level;
  }
  const AssignmentResult& first = e.assign(demand);
  FitStats before = e.fit(first.link_flow);
  est.total_before = sum(demand);
  std::vector<double> prop = e.proportions();
  Status assignment_status = first.status;
  bool settled = false;
  // SQUAREM (Varadhan & Roland 2008): the map O -> estimate(assign(O)) converges linearly and
  // slowly (ratio ~0.95 on Sioux Falls); after two plain rounds the iterates are extrapolated
  // along their differences, and the round after an extrapolation is a plain one again.
  std::vector<std::vector<double>> history = {demand};
  for (int outer = 1; outer <= o.max_outer; ++outer) {
    est.outer_iterations = outer;
    e.build_rows(prop);
    if (!prior.empty() && o.prior_level_free && o.likelihood == OdLikelihood::normal) {  // pattern at the estimate's level
      const double level = sum(demand) / std::max(sum(prior), 1e-300);
      for (size_t k = 0; k < prior.size(); ++k) e.problem().prior[k] = prior[k] * level;
    }
    const MleResult mle = maximise_likelihood(e.problem(), demand, o.mle_tolerance, o.mle_max_iterations);
    est.mle_iterations += mle.iterations;
    demand = mle.demand;
    history.push_back(demand);
    bool extrapolated = false;
    if (o.accelerate && history.size() == 3) {
      double rr = 0, vv = 0;
      std::vector<double> r(n), v(n);
      for (int k = 0; k < n; ++k) {
        r[k] = history[1][k] - history[0][k];
        v[k] = history[2][k] - history[1][k] - r[k];
        rr += r[k] * r[k];
        vv += v[k] * v[k];
      }
      if (vv > 0) {
        const double alpha = std::min(-1.0, -std::sqrt(rr / vv));
        for (int k = 0; k < n; ++k)
          demand[k] = std::max(0.0, history[0][k] - 2 * alpha * r[k] + alpha * alpha * v[k]);
        extrapolated = true;
      }
      history = {demand};
    }
    const AssignmentResult& r = e.assign(demand);
    merge_into(assignment_status, r.status);
    const std::vector<double> next = e.proportions();
    est.rerouted_share = e.rerouted(prop, next, demand);
    prop = next;
    if (!extrapolated && est.rerouted_share <= o.outer_tolerance) {
      settled = true;
      break;
    }
  }
  e.build_rows(prop);
  const AssignmentResult final_assignment = e.assign(demand);
  const FitStats after = e.fit(final_assignment.link_flow);
  const Identification id = identify(e.problem(), demand);
  est.demand = demand;
  est.identified = id.identified;
  est.std_error = id.std_error;
  est.rank = id.rank;
  est.log_likelihood_before = before.loglik;
  est.log_likelihood_after = after.loglik;
  est.rmse_before = before.rmse;
  est.rmse_after = after.rmse;
  est.r2_before = before.r2;
  est.r2_after = after.r2;
  est.total_after = sum(demand);
  est.link_flow = final_assignment.link_flow;
  if (!settled)
    est.status = Status::failure(StatusCode::not_converged,
                                 "route choice did not settle within " + std::to_string(o.max_outer) +
                                     " outer iterations (rerouted share " + std::to_string(est.rerouted_share) + ")");
  if (!assignment_status.ok()) merge_into(est.status, assignment_status);
  est.seconds = clock.seconds();
  return est;
}

}  // namespace evs::traffic
