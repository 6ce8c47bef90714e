#include "kinds/stackelberg/ev_users.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "traffic/shortest_path.hpp"

namespace evs::kinds::stackelberg {

namespace {

constexpr double kWaitB = 0.15, kWaitPower = 4;  // station waiting term, BPR-like
// r^3 and r^4 by multiplication (std::pow dominated the users' equilibrium's time)
inline double cube(double r) { return r * r * r; }
inline double fourth(double r) { return (r * r) * (r * r); }
static_assert(kWaitPower == 4, "the waiting term's powers below are written for 4");

// Station time in network time units and its derivative in the arrivals.
double station_time(const EvUserSpec& s, int m, double x) {
  const double charge = s.energy_kwh / s.pile_kw[m] / s.time_unit_h;
  return charge * (1 + kWaitB * fourth(x / s.capacity_veh_h[m]));
}
double station_derivative(const EvUserSpec& s, int m, double x) {
  const double charge = s.energy_kwh / s.pile_kw[m] / s.time_unit_h;
  return charge * kWaitB * kWaitPower * cube(x / s.capacity_veh_h[m]) / s.capacity_veh_h[m];
}

struct Evaluator {
  const EvUserSpec& s;
  const std::vector<double>& price;
  std::vector<double> link_flow, link_time, station_flow;

  double price_time(int m) const { return price[m] * s.energy_kwh / s.kappa_per_h / s.time_unit_h; }
  double path_cost(const PathState& p, int k) const {
    double c = station_time(s, p.station[k], station_flow[p.station[k]]) + price_time(p.station[k]);
    for (int l : p.links[k]) c += link_time[l];
    return c;
  }
  void refresh_time(int l) { link_time[l] = s.net->cost[l].time(link_flow[l]); }
  void move(const PathState& p, int k, double delta) {
    for (int l : p.links[k]) {
      link_flow[l] += delta;
      refresh_time(l);
    }
    station_flow[p.station[k]] += delta;
  }
};

bool same_path(const PathState& p, int k, int od, int m, const std::vector<int>& links) {
  return p.od[k] == od && p.station[k] == m && p.links[k] == links;
}

// Change of the Beckmann objective between two flow states, element by element by the
// midpoint rule (exact to third order in the change): differencing two evaluations of the
// whole objective loses the decrease in rounding near the equilibrium (|change| ~ 1e-14 of
// the objective), where a line search on it stalled the solve at gap ~1e-8.
double beckmann_change(const EvUserSpec& s, const Evaluator& ev, const std::vector<double>& link0,
                       const std::vector<double>& station0) {
  double v = 0;
  for (int l = 0; l < s.net->num_road_links; ++l) {
    const double dx = ev.link_flow[l] - link0[l];
    if (dx != 0) v += dx * s.net->cost[l].time(link0[l] + 0.5 * dx);
  }
  for (size_t m = 0; m < ev.station_flow.size(); ++m) {
    const double dx = ev.station_flow[m] - station0[m];
    const int mi = static_cast<int>(m);
    if (dx != 0) v += dx * (station_time(s, mi, station0[m] + 0.5 * dx) + ev.price_time(mi));
  }
  return v;
}

// Sets the flows (link and station totals recomputed).
void set_flows(const EvUserSpec& s, Evaluator& ev, PathState& p, const std::vector<double>& flow) {
  p.flow = flow;
  std::fill(ev.link_flow.begin(), ev.link_flow.end(), 0.0);
  std::fill(ev.station_flow.begin(), ev.station_flow.end(), 0.0);
  for (size_t k = 0; k < flow.size(); ++k) {
    for (int l : p.links[k]) ev.link_flow[l] += flow[k];
    ev.station_flow[p.station[k]] += flow[k];
  }
  for (int l = 0; l < s.net->num_links(); ++l) ev.refresh_time(l);
}

// Solves A x = b (dense, n x n, row-major) by Gaussian elimination with partial pivoting.
void dense_solve(std::vector<double>& a, std::vector<double>& b, int n) {
  for (int c = 0; c < n; ++c) {
    int piv = c;
    for (int r = c + 1; r < n; ++r)
      if (std::abs(a[r * n + c]) > std::abs(a[piv * n + c])) piv = r;
    if (piv != c) {
      for (int k = 0; k < n; ++k) std::swap(a[c * n + k], a[piv * n + k]);
      std::swap(b[c], b[piv]);
    }
    const double d = a[c * n + c];
    if (d == 0) continue;
    for (int r = c + 1; r < n; ++r) {
      const double f = a[r * n + c] / d;
      if (f == 0) continue;
      for (int k = c; k < n; ++k) a[r * n + k] -= f * a[c * n + k];
      b[r] -= f * b[c];
    }
  }
  for (int c = n - 1; c >= 0; --c) {
    double v = b[c];
    for (int k = c + 1; k < n; ++k) v -= a[c * n + k] * b[k];
    b[c] = a[c * n + c] != 0 ? v / a[c * n + c] : 0;
  }
}

// One gradient-projection pass (the fallback when the Newton step cannot move): in every OD,
// each used path sheds flow to the OD's cheapest path by the diagonal Newton step, capped by
// its flow. Always makes progress where the Newton step's projection left every variable at
// its bound.
void shift_step(const EvUserSpec& s, Evaluator& ev, PathState& p, const std::vector<std::vector<int>>& of_od) {
  const int nl = s.net->num_links();
  std::vector<double> mark(nl + ev.station_flow.size(), 0.0);
  for (const auto& ids : of_od) {
    if (ids.size() < 2) continue;
    int best = ids.front();
    double best_cost = ev.path_cost(p, best);
    for (int k : ids)
      if (const double c = ev.path_cost(p, k); c < best_cost) best = k, best_cost = c;
    for (int k : ids) {
      if (k == best || p.flow[k] <= 0) continue;
      const double diff = ev.path_cost(p, k) - ev.path_cost(p, best);
      if (!(diff > 0)) continue;
      for (int l : p.links[k]) mark[l] += 1;
      for (int l : p.links[best]) mark[l] -= 1;
      mark[nl + p.station[k]] += 1;
      mark[nl + p.station[best]] -= 1;
      double denom = 0;
      auto add = [&](int e, double d) {
        if (mark[e] != 0) denom += mark[e] * mark[e] * d;
        mark[e] = 0;
      };
      for (int l : p.links[k]) add(l, s.net->cost[l].derivative(ev.link_flow[l]));
      for (int l : p.links[best]) add(l, s.net->cost[l].derivative(ev.link_flow[l]));
      add(nl + p.station[k], station_derivative(s, p.station[k], ev.station_flow[p.station[k]]));
      add(nl + p.station[best], station_derivative(s, p.station[best], ev.station_flow[p.station[best]]));
      const double shift = denom > 0 ? std::min(p.flow[k], diff / denom) : p.flow[k];
      ev.move(p, k, -shift);
      ev.move(p, best, shift);
      p.flow[k] -= shift;
      p.flow[best] += shift;
    }
  }
}

// Returns false when it could not move the flows (then shift_step does).
bool newton_step(const EvUserSpec& s, Evaluator& ev, PathState& p, const std::vector<std::vector<int>>& of_od,
                 const std::vector<double>& demand, bool cheapest_basic) {
  const int nl = s.net->num_links(), nm = static_cast<int>(ev.station_flow.size());
  const int np = static_cast<int>(p.flow.size());
  std::vector<double> cost(np);  // [path]
  for (int k = 0; k < np; ++k) cost[k] = ev.path_cost(p, k);
  std::vector<int> basic(of_od.size(), -1), free;  // [od] cheapest path; free non-basic paths
  for (size_t od = 0; od < of_od.size(); ++od) {
    if (demand[od] <= 0 || of_od[od].empty()) continue;
    // The basic path: the OD's cheapest (cheapest_basic; every free path's gradient is then
    // >= 0, Bertsekas and Gafni's choice) or the one carrying the most flow (it stays positive
    // along the step). The others are free when they carry flow or are cheaper than it.
    for (int k : of_od[od])
      if (basic[od] < 0 || (cheapest_basic ? cost[k] < cost[basic[od]] : p.flow[k] > p.flow[basic[od]])) basic[od] = k;
    for (int k : of_od[od])
      if (k != basic[od] && (p.flow[k] > 0 || cost[k] < cost[basic[od]])) free.push_back(k);
  }
  const int n = static_cast<int>(free.size());
  if (n == 0) return true;
  // Columns v_k = a_k - a_basic over road links and stations (index nl + m); H = V^T diag(t') V.
  std::vector<std::vector<std::pair<int, double>>> col(n);  // [free] (element, coefficient)
  for (int i = 0; i < n; ++i) {
    const int k = free[i], q = basic[p.od[k]];
    std::vector<double> dense(nl + nm, 0.0);
    for (int l : p.links[k]) dense[l] += 1;
    for (int l : p.links[q]) dense[l] -= 1;
    dense[nl + p.station[k]] += 1;
    dense[nl + p.station[q]] -= 1;
    for (int e = 0; e < nl + nm; ++e)
      if (dense[e] != 0) col[i].push_back({e, dense[e]});
  }
  std::vector<double> w(nl + nm);  // [element] second derivative
  for (int l = 0; l < nl; ++l) w[l] = s.net->cost[l].derivative(ev.link_flow[l]);
  for (int m = 0; m < nm; ++m) w[nl + m] = station_derivative(s, m, ev.station_flow[m]);
  std::vector<double> h(static_cast<size_t>(n) * n, 0.0), g(n);
  std::vector<double> dense(nl + nm, 0.0);
  double trace = 0;
  for (int i = 0; i < n; ++i) {
    for (const auto& [e, c] : col[i]) dense[e] = c * w[e];
    for (int j = 0; j < n; ++j) {
      double v = 0;
      for (const auto& [e, c] : col[j]) v += dense[e] * c;
      h[static_cast<size_t>(i) * n + j] = v;
    }
    for (const auto& [e, c] : col[i]) dense[e] = 0;
    trace = std::max(trace, h[static_cast<size_t>(i) * n + i]);
    g[i] = cost[free[i]] - cost[basic[p.od[free[i]]]];
  }
  for (int i = 0; i < n; ++i) h[static_cast<size_t>(i) * n + i] += 1e-10 * trace + 1e-300;
  std::vector<double> d = g;
  dense_solve(h, d, n);
  for (double& v : d) v = -v;
  // Projected backtracking line search on the Beckmann objective.
  const std::vector<double> f0 = p.flow, link0 = ev.link_flow, station0 = ev.station_flow;
  double slope = 0;
  for (int i = 0; i < n; ++i) slope += g[i] * d[i];
  if (!(slope < 0)) return false;
  std::vector<double> f = f0;
  for (double alpha = 1; alpha > 1e-12; alpha *= 0.5) {
    f = f0;
    double moved = 0;
    for (int i = 0; i < n; ++i) {
      const int k = free[i];
      const double nk = std::max(0.0, f0[k] + alpha * d[i]);
      f[basic[p.od[k]]] -= nk - f0[k];
      f[k] = nk;
      moved += std::abs(nk - f0[k]);
    }
    bool ok = true;
    for (size_t od = 0; od < of_od.size(); ++od)
      if (basic[od] >= 0 && f[basic[od]] < 0) ok = false;
    if (!ok) continue;
    set_flows(s, ev, p, f);
    double pred = 0;  // first-order change along the projected step
    for (int i = 0; i < n; ++i) pred += g[i] * (f[free[i]] - f0[free[i]]);
    if (moved == 0) return false;
    if (beckmann_change(s, ev, link0, station0) <= 1e-4 * pred) return true;
  }
  set_flows(s, ev, p, f0);
  return false;
}

}  // namespace

void compute_reachability(EvUserSpec& spec) {
  const auto& net = *spec.net;
  const int nod = static_cast<int>(spec.origin.size()), nm = static_cast<int>(spec.station_node.size());
  spec.feasible.assign(nod, std::vector<char>(nm, 0));
  spec.range_path.assign(nod, std::vector<std::vector<int>>(nm));
  spec.range_path_km.assign(nod, std::vector<double>(nm, std::numeric_limits<double>::infinity()));
  traffic::ShortestPathTree tree;
  for (int od = 0; od < nod; ++od) {
    traffic::shortest_path_tree(net, spec.link_km, spec.origin[od], tree);
    for (int m = 0; m < nm; ++m) {
      const double km = tree.dist[spec.station_node[m]];
      if (!std::isfinite(km) || km > spec.range_km) continue;
      spec.feasible[od][m] = 1;
      spec.range_path_km[od][m] = km;
      traffic::tree_path(net, tree, spec.station_node[m], spec.range_path[od][m]);
    }
  }
}

PeriodFlows solve_period(const EvUserSpec& s, const std::vector<double>& demand, const std::vector<double>& price,
                         PathState& p) {
  const auto& net = *s.net;
  const int nod = static_cast<int>(s.origin.size()), nm = static_cast<int>(s.station_node.size());
  const int nl = net.num_links();
  PeriodFlows out;
  Evaluator ev{s, price, std::vector<double>(nl, 0.0), std::vector<double>(nl, 0.0), std::vector<double>(nm, 0.0)};
  // Warm start: rescale the kept paths' flows to this period's demand per OD.
  std::vector<double> kept(nod, 0.0);  // [od]
  for (size_t k = 0; k < p.flow.size(); ++k) kept[p.od[k]] += p.flow[k];
  for (size_t k = 0; k < p.flow.size(); ++k) p.flow[k] = kept[p.od[k]] > 0 ? p.flow[k] * demand[p.od[k]] / kept[p.od[k]] : 0;
  for (size_t k = 0; k < p.flow.size(); ++k)
    if (p.flow[k] > 0) {
      for (int l : p.links[k]) ev.link_flow[l] += p.flow[k];
      ev.station_flow[p.station[k]] += p.flow[k];
    }
  for (int l = 0; l < nl; ++l) ev.refresh_time(l);
  std::vector<int> nodes;  // origins and station nodes: shortest path trees from each
  for (int o : s.origin) nodes.push_back(o);
  for (int n : s.station_node) nodes.push_back(n);
  std::sort(nodes.begin(), nodes.end());
  nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
  std::vector<traffic::ShortestPathTree> tree(net.num_nodes);  // [node] (only `nodes` filled)
  std::vector<int> seg1, seg2, links;
  std::vector<std::vector<int>> of_od(nod);  // [od] path ids
  for (size_t k = 0; k < p.flow.size(); ++k) of_od[p.od[k]].push_back(static_cast<int>(k));
  bool cheapest_basic = true;
  double best_gap = std::numeric_limits<double>::infinity();
  int best_at = 0;
  for (int it = 1;; ++it) {
    for (int n : nodes) traffic::shortest_path_tree(net, ev.link_time, n, tree[n]);
    // Column generation and the gap: every OD's cheapest (path, station).
    double total = 0, best_total = 0;
    bool loaded = false;  // an OD got its first path this iteration: the trees are stale
    for (int od = 0; od < nod; ++od) {
      if (demand[od] <= 0) continue;
      double best = std::numeric_limits<double>::infinity();
      int best_m = -1;
      bool best_range = false;
      for (int m = 0; m < nm; ++m) {
        if (!s.feasible[od][m]) continue;
        const int n = s.station_node[m], o = s.origin[od], d = s.destination[od];
        // The time-shortest leg to the station, or the length-shortest one when it is too long.
        traffic::tree_path(net, tree[o], n, seg1);
        double km = 0, leg1 = tree[o].dist[n];
        for (int l : seg1) km += s.link_km[l];
        const bool use_range = km > s.range_km * (1 + 1e-12);
        if (use_range) {
          leg1 = 0;
          for (int l : s.range_path[od][m]) leg1 += ev.link_time[l];
        }
        if (!std::isfinite(leg1) || !std::isfinite(tree[n].dist[d])) continue;
        const double c = leg1 + tree[n].dist[d] + station_time(s, m, ev.station_flow[m]) + ev.price_time(m);
        if (c < best) {
          best = c;
          best_m = m;
          best_range = use_range;
        }
      }
      if (best_m < 0) {
        out.status = Status::failure(StatusCode::infeasible, "an OD pair has no reachable station");
        return out;
      }
      const int n = s.station_node[best_m];
      if (best_range)
        seg1 = s.range_path[od][best_m];
      else
        traffic::tree_path(net, tree[s.origin[od]], n, seg1);
      traffic::tree_path(net, tree[n], s.destination[od], seg2);
      links = seg1;
      links.insert(links.end(), seg2.begin(), seg2.end());
      bool known = false;
      for (int k : of_od[od]) known = known || same_path(p, k, od, best_m, links);
      if (!known) {
        p.links.push_back(links);
        p.od.push_back(od);
        p.station.push_back(best_m);
        p.flow.push_back(of_od[od].empty() ? demand[od] : 0.0);
        const int k = static_cast<int>(p.flow.size()) - 1;
        of_od[od].push_back(k);
        if (p.flow[k] > 0) {
          ev.move(p, k, p.flow[k]);
          loaded = true;
        }
      }
      for (int k : of_od[od]) total += p.flow[k] * ev.path_cost(p, k);
      best_total += demand[od] * best;
    }
    out.gap = best_total > 0 ? total / best_total - 1 : 0;
    out.iterations = it;
    if (out.gap <= s.gap && !loaded) break;
    // Stalled: 200 iterations without the gap falling by 0.1 % (both rules tried; seen at
    // gaps ~1.1e-8, the rounding floor of the path costs' differences) ends the solve as the
    // iteration cap would, without spending the cap.
    if (out.gap < 0.999 * best_gap) best_gap = out.gap, best_at = it;
    const bool stalled = !cheapest_basic && it - best_at >= 200;
    if (it >= s.max_iterations || stalled) {
      out.status = Status::failure(StatusCode::not_converged, "EV user equilibrium: relative gap " +
                                                                 std::to_string(out.gap) + " above the goal" +
                                                                 (stalled ? " (stalled)" : ""));
      break;
    }
    // Projected Newton on the Beckmann objective in the reduced path flows (each OD's
    // cheapest path in its set carries the rest of its demand): Gauss-Seidel shifts converge
    // very slowly when steep station costs couple every OD.
    // The cheapest path as the basic one first: with the path of most flow, congested
    // periods of the shipped cases took 200-1,000 iterations per solve (uncongested stations'
    // flat costs: the Newton step overshoots and the line search crawls at alpha 1/2), with
    // the cheapest ~15 (case 4: 30.3 s -> 1.6 s, the same equilibrium). When the cheapest has
    // no flow and the step would take flow from it, Newton cannot move and the shifts can
    // cycle (the full trip table: gap stuck at 5e-5): after 20 iterations without the gap
    // falling by 0.1 %, the rest of the solve uses the path of most flow.
    if (cheapest_basic && it - best_at >= 20) cheapest_basic = false;
    if (!newton_step(s, ev, p, of_od, demand, cheapest_basic)) shift_step(s, ev, p, of_od);
  }
  out.link_flow = ev.link_flow;
  out.station_flow = ev.station_flow;
  out.od_time_h.assign(nod, 0.0);
  for (int l = 0; l < net.num_road_links; ++l) out.tstt_veh_h += ev.link_flow[l] * ev.link_time[l] * s.time_unit_h;
  for (size_t k = 0; k < p.flow.size(); ++k) {
    if (p.flow[k] <= 0) continue;
    double t = station_time(s, p.station[k], ev.station_flow[p.station[k]]);
    for (int l : p.links[k]) t += ev.link_time[l];
    const double hours = t * s.time_unit_h;
    out.od_time_h[p.od[k]] += p.flow[k] * hours / std::max(demand[p.od[k]], 1e-300);
    out.user_cost += p.flow[k] * (s.kappa_per_h * hours + price[p.station[k]] * s.energy_kwh);
  }
  return out;
}

}  // namespace evs::kinds::stackelberg
