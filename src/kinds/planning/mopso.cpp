#include "kinds/planning/mopso.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "core/rng.hpp"
#include "core/timer.hpp"

namespace evs::kinds::planning {

std::vector<std::vector<double>> net_schedule(const FleetSolution& s) {
  std::vector<std::vector<double>> x = s.charge_kw;
  for (size_t k = 0; k < x.size(); ++k)
    if (k < s.discharge_kw.size() && !s.discharge_kw[k].empty())
      for (size_t j = 0; j < x[k].size(); ++j) x[k][j] -= s.discharge_kw[k][j];
  return x;
}

Evaluation evaluate_schedule(const FleetProblem& p, const LinearVoltages& lv, std::vector<std::vector<double>>& x) {
  const FleetParams& f = p.fleet;
  const int T = f.periods, A = static_cast<int>(p.area_buses.size());
  const double dt = f.dt_h;
  std::vector<std::vector<double>> ev =  // [a][t] kW, fixed EV load included
      p.fixed_ev_kw.empty() ? std::vector<std::vector<double>>(A, std::vector<double>(T, 0.0)) : p.fixed_ev_kw;
  double shortfall_kwh = 0;
  for (size_t k = 0; k < p.cohorts.size(); ++k) {
    const Cohort& c = p.cohorts[k];
    const double pmax = c.n * c.pile_kw, pmin = c.v2g ? -pmax : 0.0;
    const double e_lo = c.n * f.soc_min * f.battery_kwh, e_hi = c.n * f.soc_max * f.battery_kwh;
    double e = c.e0_kwh;
    for (int j = 0; j < c.len; ++j) {
      double lo = j + 1 < c.len ? (j < static_cast<int>(c.floor_kwh.size()) ? c.floor_kwh[j] : 0.0) : c.need_kwh;
      lo = std::max(lo, e_lo);
      double xj = std::clamp(x[k][j], pmin, pmax);
      double en = e + (xj > 0 ? f.eta_c * dt * xj : dt * xj / f.eta_d);
      en = std::min(std::max(en, lo), e_hi);
      const double de = en - e;
      xj = std::clamp(de > 0 ? de / (f.eta_c * dt) : de * f.eta_d / dt, pmin, pmax);
      e += xj > 0 ? f.eta_c * dt * xj : dt * xj / f.eta_d;
      x[k][j] = xj;
      ev[c.area][(c.start + j) % T] += xj;
    }
    shortfall_kwh += std::max(0.0, c.need_kwh - e);
  }
  Evaluation r;
  r.f = {0, 0, 0};
  for (int a = 0; a < A; ++a) {
    double mean = 0, hi = -INFINITY, lo = INFINITY, over = 0;
    for (int t = 0; t < T; ++t) {
      const double P = (p.fixed_kw[a][t] + ev[a][t]) / 1000;  // MW
      mean += P / T;
      hi = std::max(hi, P), lo = std::min(lo, P);
      over = std::max(over, P - p.cap_kw[a] / 1000);
    }
    for (int t = 0; t < T; ++t) {
      const double d = (p.fixed_kw[a][t] + ev[a][t]) / 1000 - mean;
      r.f[0] += d * d;
    }
    r.f[1] += hi - lo;
    r.overload_mw = std::max(r.overload_mw, over);
  }
  auto boost = [&](int b) { return p.boost.empty() ? 1.0 : p.boost[b]; };
  auto v_at = [&](int t, int b) {
    double v = lv.v0[t][b];
    for (int a = 0; a < A; ++a) v += lv.k[b][a] * ev[a][t];
    return v;
  };
  const double u2 = p.u0_pu * p.u0_pu;
  for (int a = 0; a < A; ++a)
    for (int bus : p.area_buses[a]) {
      const int b = p.net->index_of(bus);
      for (int t = 0; t < T; ++t) r.f[2] += std::abs(v_at(t, b) * boost(b) * boost(b) - u2) / (2 * p.u0_pu);
    }
  const int B = static_cast<int>(lv.k.size());
  for (int t = 0; t < T; ++t)
    for (int b = 0; b < B; ++b) {
      const double vm = std::sqrt(std::max(v_at(t, b), 0.0)) * boost(b);
      r.voltage_violation_pu = std::max({r.voltage_violation_pu, p.vmin_pu - vm, vm - p.vmax_pu});
    }
  r.shortfall_mwh = shortfall_kwh / 1000;
  return r;
}

namespace {

using Obj = std::array<double, 3>;

bool dominates(const Obj& a, const Obj& b) {
  bool lt = false;
  for (int i = 0; i < 3; ++i) {
    if (a[i] > b[i]) return false;
    if (a[i] < b[i]) lt = true;
  }
  return lt;
}

// Constrained dominance: feasible before infeasible, then smaller violation, then Pareto.
bool c_dominates(const Evaluation& a, const Evaluation& b, double tol) {
  const bool fa = a.violation() <= tol, fb = b.violation() <= tol;
  if (fa != fb) return fa;
  if (!fa) return a.violation() < b.violation();
  return dominates(a.f, b.f);
}

// NSGA-II crowding distance of each point, objectives normalised by their range.
std::vector<double> crowding(const std::vector<Obj>& f) {
  const size_t n = f.size();
  std::vector<double> d(n, 0.0);
  if (n <= 2) return std::vector<double>(n, INFINITY);
  std::vector<size_t> idx(n);
  for (int i = 0; i < 3; ++i) {
    std::iota(idx.begin(), idx.end(), 0);
    std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return f[a][i] < f[b][i]; });
    const double range = f[idx.back()][i] - f[idx.front()][i];
    d[idx.front()] = d[idx.back()] = INFINITY;
    if (range <= 0) continue;
    for (size_t k = 1; k + 1 < n; ++k) d[idx[k]] += (f[idx[k + 1]][i] - f[idx[k - 1]][i]) / range;
  }
  return d;
}

struct Archive {
  std::vector<Obj> f;
  std::vector<std::vector<double>> x;
  std::vector<double> crowd;
  size_t max_size = 100;

  void insert(const Obj& g, const std::vector<double>& pos) {
    for (const auto& a : f)
      if (dominates(a, g) || a == g) return;
    size_t w = 0;
    for (size_t r = 0; r < f.size(); ++r)
      if (!dominates(g, f[r])) {
        if (w != r) f[w] = f[r], x[w] = std::move(x[r]);
        ++w;
      }
    f.resize(w), x.resize(w);
    f.push_back(g), x.push_back(pos);
    if (f.size() > max_size) {
      const auto d = crowding(f);
      const size_t worst = static_cast<size_t>(std::min_element(d.begin(), d.end()) - d.begin());
      f.erase(f.begin() + static_cast<long>(worst));
      x.erase(x.begin() + static_cast<long>(worst));
    }
    crowd = crowding(f);
  }
};

}  // namespace

MopsoResult mopso(const FleetProblem& p, const MopsoOptions& o, const grid::NlpOptions& nlp) {
  Stopwatch clock;
  MopsoResult out;
  const LinearVoltages lv = p.linear != nullptr ? *p.linear : linear_voltages(p, nlp);
  const size_t K = p.cohorts.size();
  std::vector<size_t> offset(K + 1, 0);
  for (size_t k = 0; k < K; ++k) offset[k + 1] = offset[k] + static_cast<size_t>(p.cohorts[k].len);
  const size_t D = offset[K];
  std::vector<double> lb(D), ub(D);
  for (size_t k = 0; k < K; ++k) {
    const Cohort& c = p.cohorts[k];
    for (int j = 0; j < c.len; ++j) ub[offset[k] + j] = c.n * c.pile_kw, lb[offset[k] + j] = c.v2g ? -c.n * c.pile_kw : 0;
  }
  RandomStream rng(o.seed, o.scenario_id, 900);
  std::vector<std::vector<double>> sched(K);
  for (size_t k = 0; k < K; ++k) sched[k].resize(static_cast<size_t>(p.cohorts[k].len));
  auto eval = [&](std::vector<double>& pos) {
    for (size_t k = 0; k < K; ++k) std::copy(pos.begin() + offset[k], pos.begin() + offset[k + 1], sched[k].begin());
    const Evaluation e = evaluate_schedule(p, lv, sched);
    for (size_t k = 0; k < K; ++k) std::copy(sched[k].begin(), sched[k].end(), pos.begin() + offset[k]);
    ++out.evaluations;
    if (out.evaluations == 1 || e.violation() < out.least_violation.violation()) out.least_violation = e;
    if (e.violation() <= o.feasibility_tol) ++out.feasible_evaluations;
    return e;
  };
  const int N = o.particles;
  std::vector<std::vector<double>> x(N, std::vector<double>(D)), v(N, std::vector<double>(D, 0.0)), pb;
  std::vector<Evaluation> ev(N), pbe;
  Archive arc;
  arc.max_size = static_cast<size_t>(std::max(o.archive, 1));
  for (int i = 0; i < N; ++i) {
    for (size_t d = 0; d < D; ++d) x[i][d] = rng.uniform(lb[d], ub[d]);
    ev[i] = eval(x[i]);
    if (ev[i].violation() <= o.feasibility_tol) arc.insert(ev[i].f, x[i]);
  }
  pb = x, pbe = ev;
  for (int it = 0; it < o.iterations; ++it) {
    const double w = (o.w_start - o.w_end) * (o.iterations - it) / o.iterations + o.w_end;  // eq. 27
    for (int i = 0; i < N; ++i) {
      const std::vector<double>* leader = &pb[i];
      if (!arc.f.empty()) {
        const size_t n = arc.f.size();
        const size_t a = std::min(n - 1, static_cast<size_t>(rng.uniform() * n));
        const size_t b = std::min(n - 1, static_cast<size_t>(rng.uniform() * n));
        leader = &arc.x[arc.crowd[a] >= arc.crowd[b] ? a : b];
      }
      auto& xi = x[i];
      auto& vi = v[i];
      for (size_t d = 0; d < D; ++d) {
        const double vmax = 0.5 * (ub[d] - lb[d]);
        const double r1 = rng.uniform(), r2 = rng.uniform();
        vi[d] = std::clamp(w * vi[d] + o.c1 * r1 * (pb[i][d] - xi[d]) + o.c2 * r2 * ((*leader)[d] - xi[d]), -vmax, vmax);
        xi[d] = std::clamp(xi[d] + vi[d], lb[d], ub[d]);
      }
      ev[i] = eval(xi);
      if (c_dominates(ev[i], pbe[i], o.feasibility_tol) ||
          (!c_dominates(pbe[i], ev[i], o.feasibility_tol) && rng.uniform() < 0.5))
        pb[i] = xi, pbe[i] = ev[i];
      if (ev[i].violation() <= o.feasibility_tol) arc.insert(ev[i].f, xi);
    }
  }
  out.f = arc.f;
  out.solve_s = clock.seconds();
  return out;
}

}  // namespace evs::kinds::planning
