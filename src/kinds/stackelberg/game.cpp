#include "kinds/stackelberg/game.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <string>

namespace evs::kinds::stackelberg {

namespace {

using Clock = std::chrono::steady_clock;

// The certificate's measure: the largest of the stations' profit gains [station], each over
// max(|its profit|, the mean |profit| of the stations) (a station with next to no profit is
// measured against the average one).
double relative_gain(const std::vector<double>& gain, const std::vector<double>& profit) {
  const int nm = static_cast<int>(gain.size());
  double mean_abs = 0, worst = 0;
  for (double v : profit) mean_abs += std::abs(v) / nm;
  for (int m = 0; m < nm; ++m) worst = std::max(worst, gain[m] / std::max({std::abs(profit[m]), mean_abs, 1e-9}));
  return worst;
}

}  // namespace

Game::Game(GameSpec spec, EvUserSpec users, OperatorLp& op)
    : spec_(std::move(spec)), users_(std::move(users)), op_(op) {}

Game::PeriodEval Game::eval_period(int t, const std::vector<double>& price, const std::vector<double>& r_prev,
                                   const PathState& warm) {
  PeriodEval e;
  e.paths = warm;
  const auto& w = spec_.demand[t];
  const int nod = static_cast<int>(w.size()), nm = static_cast<int>(price.size());
  std::vector<double> r = r_prev, wmod(nod);  // [od]
  for (int k = 0; k < 20; ++k) {
    for (int od = 0; od < nod; ++od) wmod[od] = std::max(0.0, w[od] + spec_.xi * (r_prev[od] - r[od]));
    e.flows = solve_period(users_, wmod, price, e.paths);
    if (!e.flows.status.ok() && e.flows.status.code != StatusCode::not_converged) {
      e.status = e.flows.status;
      return e;
    }
    // Trips not finished in the period; the update solves the linear fixed point
    // r = (W + xi r_prev - xi r) T / dt exactly for the current mean times T.
    double change = 0;
    for (int od = 0; od < nod; ++od) {
      const double a = spec_.xi * e.flows.od_time_h[od] / spec_.dt_h;
      const double fresh = wmod[od] * e.flows.od_time_h[od] / spec_.dt_h;
      const double next = (fresh + a * r[od]) / (1 + a);
      change = std::max(change, std::abs(next - r[od]));
      r[od] = next;
    }
    // The users' gap (1e-8) bounds how exactly T, and so r, is known.
    if (spec_.xi == 0 || change <= 1e-7 * (1 + *std::max_element(w.begin(), w.end()))) break;
  }
  e.residual = r;
  e.station_mw.resize(nm);
  for (int m = 0; m < nm; ++m) e.station_mw[m] = e.flows.station_flow[m] * users_.energy_kwh / 1000;
  e.op = op_.solve_period(t, e.station_mw);
  ++solves_;
  if (!e.op.status.ok()) {
    e.status = e.op.status;
    return e;
  }
  e.status = e.flows.status;
  e.profit.resize(nm);
  for (int m = 0; m < nm; ++m) e.profit[m] = (1000 * price[m] - e.op.station_price[m]) * e.station_mw[m] * spec_.dt_h;
  return e;
}

void Game::store(DayState& d, int t, PeriodEval&& e) {
  for (size_t m = 0; m < e.station_mw.size(); ++m) {
    d.station_mw[m][t] = e.station_mw[m];
    d.c_ele[m][t] = e.op.station_price[m];
    d.profit[m][t] = e.profit[m];
  }
  d.lmp[t] = e.op.lmp;
  d.residual[t] = e.residual;
  d.operator_cost[t] = e.op.cost;
  d.tstt_veh_h[t] = e.flows.tstt_veh_h;
  d.user_cost[t] = e.flows.user_cost;
  d.ue_gap[t] = e.flows.gap;
  d.curtailment_mwh[t] = e.op.curtailment_mwh;
  d.paths[t] = std::move(e.paths);
}

Status Game::forward_pass(DayState& d) {
  const int T = static_cast<int>(spec_.demand.size()), nm = static_cast<int>(d.price.size());
  const std::vector<double> zero(users_.origin.size(), 0.0);
  for (int t = 0; t < T; ++t) {
    std::vector<double> p(nm);
    for (int m = 0; m < nm; ++m) p[m] = d.price[m][t];
    const PathState& warm = d.paths[t].flow.empty() && t > 0 ? d.paths[t - 1] : d.paths[t];
    PeriodEval e = eval_period(t, p, t > 0 ? d.residual[t - 1] : zero, warm);
    if (!e.status.ok() && e.status.code != StatusCode::not_converged) return e.status;
    store(d, t, std::move(e));
  }
  return Status::success();
}

double Game::equilibrium_residual(DayState& d, int points) {
  if (points <= 0) points = spec_.certificate_points;
  const int T = static_cast<int>(spec_.demand.size()), nm = static_cast<int>(d.price.size());
  const std::vector<double> zero(users_.origin.size(), 0.0);
  std::vector<double> gain(nm, 0.0), total(nm, 0.0);  // [station]
  for (int t = 0; t < T; ++t) {
    std::vector<double> p(nm);
    for (int m = 0; m < nm; ++m) p[m] = d.price[m][t];
    for (int m = 0; m < nm; ++m) {
      total[m] += d.profit[m][t];
      double best = d.profit[m][t];
      for (int g = 0; g < points; ++g) {
        auto q = p;
        q[m] = spec_.price_lower + (spec_.price_upper - spec_.price_lower) * g / std::max(points - 1, 1);
        const PeriodEval e = eval_period(t, q, t > 0 ? d.residual[t - 1] : zero, d.paths[t]);
        if (e.status.ok() || e.status.code == StatusCode::not_converged) best = std::max(best, e.profit[m]);
      }
      gain[m] += best - d.profit[m][t];
    }
  }
  return relative_gain(gain, total);
}

GameResult Game::finish(DayState&& d, Status status, int outer) {
  GameResult r;
  r.status = std::move(status);
  r.outer_iterations = outer;
  const int T = static_cast<int>(spec_.demand.size()), nm = static_cast<int>(d.price.size());
  r.profit_by_station.assign(nm, 0.0);
  for (int m = 0; m < nm; ++m)
    for (int t = 0; t < T; ++t) r.profit_by_station[m] += d.profit[m][t];
  for (double v : r.profit_by_station) r.station_profit += v;
  for (int t = 0; t < T; ++t) {
    r.operator_expected_cost += d.operator_cost[t];
    r.ev_user_cost += d.user_cost[t] * spec_.dt_h;
    r.tstt_veh_h += d.tstt_veh_h[t] * spec_.dt_h;
    r.worst_ue_gap = std::max(r.worst_ue_gap, d.ue_gap[t]);
    r.curtailment_mwh += d.curtailment_mwh[t];
  }
  r.day = std::move(d);
  r.lower_level_solves = solves_;
  return r;
}

DayState Game::empty_day(const std::vector<std::vector<double>>& price) const {
  const int T = static_cast<int>(spec_.demand.size()), nm = static_cast<int>(price.size());
  const int nb = op_.spec().grid->num_buses(), nod = static_cast<int>(users_.origin.size());
  DayState d;
  d.price = price;
  d.station_mw = d.c_ele = d.profit = std::vector<std::vector<double>>(nm, std::vector<double>(T, 0.0));
  d.lmp.assign(T, std::vector<double>(nb, 0.0));
  d.residual.assign(T, std::vector<double>(nod, 0.0));
  d.operator_cost = d.tstt_veh_h = d.user_cost = d.ue_gap = d.curtailment_mwh = std::vector<double>(T, 0.0);
  d.paths.assign(T, {});
  return d;
}

GameResult Game::evaluate(const std::vector<std::vector<double>>& price) {
  DayState d = empty_day(price);
  Status s = forward_pass(d);
  return finish(std::move(d), s, 0);
}

struct Game::PeriodOutcome {
  Status status;               // of the final evaluation (or the first failure)
  std::vector<double> price;   // [station]
  PeriodEval eval;             // at price
  std::vector<double> gain;    // [station] best grid deviation's profit gain at price (>= 0)
  int rounds = 0;
  bool grid_equilibrium = false;
  bool enumerated = false;     // best response did not settle and the grid game was enumerated
  bool cycled = false;         // best response revisited a profile (else: the round cap)
};

Game::PeriodOutcome Game::period_equilibrium(int t, std::vector<double> p, const std::vector<double>& r_prev,
                                             const PathState& warm) {
  const int nm = static_cast<int>(p.size()), G = spec_.certificate_points;
  const double lo = spec_.price_lower, hi = spec_.price_upper, width = hi - lo;
  std::vector<double> grid(G);  // the certificate's prices
  for (int g = 0; g < G; ++g) grid[g] = G > 1 ? lo + width * g / (G - 1) : lo;
  PeriodOutcome out;
  // Evaluations of this period by price vector; every one warm-starts from the same paths.
  std::map<std::vector<double>, PeriodEval> cache;
  auto eval = [&](const std::vector<double>& q) -> const PeriodEval& {
    auto it = cache.find(q);
    if (it == cache.end()) it = cache.emplace(q, eval_period(t, q, r_prev, warm)).first;
    return it->second;
  };
  auto usable = [](const PeriodEval& e) { return e.status.ok() || e.status.code == StatusCode::not_converged; };
  auto profit = [&](const std::vector<double>& q, int m) {
    const PeriodEval& e = eval(q);
    return usable(e) ? e.profit[m] : -std::numeric_limits<double>::infinity();
  };
  // Profit differences below this are the users' equilibrium's rounding (gap 1e-8), not gains.
  auto better = [](double v, double than) { return v > than + 1e-9 * (1 + std::abs(than)); };
  // The best grid deviation of station m at q: (profit, price).
  auto grid_best = [&](const std::vector<double>& q, int m) {
    std::pair<double, double> best{profit(q, m), q[m]};
    for (double g : grid) {
      auto d = q;
      d[m] = g;
      if (const double v = profit(d, m); better(v, best.first)) best = {v, g};
    }
    return best;
  };
  auto gains = [&](const std::vector<double>& q) {
    std::vector<double> g(nm);
    for (int m = 0; m < nm; ++m) g[m] = std::max(0.0, grid_best(q, m).first - profit(q, m));
    return g;
  };
  // 1. Best response on the grid.
  for (double& v : p) v = grid[std::lround(std::clamp((v - lo) / std::max(width, 1e-300) * (G - 1), 0.0, G - 1.0))];
  if (const PeriodEval& e0 = eval(p); !usable(e0)) {
    out.status = e0.status;
    return out;
  }
  std::set<std::vector<double>> seen{p};
  for (int round = 1; round <= spec_.max_outer; ++round) {
    ++out.rounds;
    bool moved = false;
    for (int m = 0; m < nm; ++m) {
      const auto [v, g] = grid_best(p, m);
      if (g != p[m]) p[m] = g, moved = true;
    }
    if (!moved) {
      out.grid_equilibrium = true;
      break;
    }
    if (!seen.insert(p).second) {  // best response cycles on the grid
      out.cycled = true;
      break;
    }
  }
  // 1b. Best response did not settle: enumerate the grid game (G^stations profiles), which
  // finds a pure grid equilibrium where one exists (the one with the largest total profit), or
  // else the profile whose largest gain, relative to the mean |profit|, is smallest.
  double profiles = 1;
  for (int m = 0; m < nm; ++m) profiles *= G;
  if (!out.grid_equilibrium && profiles <= spec_.enumerate_limit) {
    std::vector<int> idx(nm, 0);
    std::vector<double> best_p = p;
    double best_score = std::numeric_limits<double>::infinity(), best_total = -best_score;
    for (bool more = true; more;) {
      std::vector<double> q(nm);
      for (int m = 0; m < nm; ++m) q[m] = grid[idx[m]];
      if (usable(eval(q))) {
        const std::vector<double>& here = eval(q).profit;
        const double total = std::accumulate(here.begin(), here.end(), 0.0), worst = relative_gain(gains(q), here);
        if (worst < best_score || (worst == best_score && total > best_total)) best_score = worst, best_total = total, best_p = q;
      }
      more = false;  // next profile (odometer)
      for (int m = 0; m < nm && !more; ++m) {
        if (++idx[m] < G) more = true;
        else idx[m] = 0;
      }
    }
    p = best_p;
    out.grid_equilibrium = best_score == 0;
    out.enumerated = true;
  }
  // 2. Local best responses off the grid (golden section within a grid step of each price).
  if (out.grid_equilibrium && spec_.refine && G > 1) {
    const double step = width / (G - 1), tol = spec_.price_tolerance * width;
    const double golden = (std::sqrt(5.0) - 1) / 2;
    std::vector<double> q = p;
    for (int round = 1; round <= spec_.max_outer; ++round) {
      ++out.rounds;
      double moved = 0;
      for (int m = 0; m < nm; ++m) {
        auto f = [&](double rho) {
          auto d = q;
          d[m] = rho;
          return profit(d, m);
        };
        double a = std::max(lo, q[m] - step), b = std::min(hi, q[m] + step);
        double x1 = b - golden * (b - a), x2 = a + golden * (b - a), f1 = f(x1), f2 = f(x2);
        while (b - a > tol) {
          if (f1 >= f2)
            b = x2, x2 = x1, f2 = f1, x1 = b - golden * (b - a), f1 = f(x1);
          else
            a = x1, x1 = x2, f1 = f2, x2 = a + golden * (b - a), f2 = f(x2);
        }
        const double rho = 0.5 * (a + b);
        if (better(f(rho), profit(q, m))) moved = std::max(moved, std::abs(rho - q[m])), q[m] = rho;
      }
      if (moved <= 3 * tol) break;
    }
    // Keep the refined prices only where the grid certifies them as well as the grid point.
    const std::vector<double> gq = gains(q);
    bool keep = q != p;
    for (int m = 0; m < nm; ++m) keep = keep && !better(gq[m], 0.0);
    if (keep) p = q;
  }
  out.gain = gains(p);
  out.price = p;
  out.eval = eval(p);
  out.status = out.eval.status;
  return out;
}

GameResult Game::solve() {
  const auto start = Clock::now();
  auto out_of_time = [&] {
    return spec_.time_limit_s > 0 &&
           std::chrono::duration<double>(Clock::now() - start).count() > spec_.time_limit_s;
  };
  const int T = static_cast<int>(spec_.demand.size()), nm = static_cast<int>(users_.station_node.size());
  const double lo = spec_.price_lower, hi = spec_.price_upper;
  if (!spec_.game) {  // fixed prices: one forward pass; the certificate says how far from equilibrium
    GameResult r = evaluate(std::vector<std::vector<double>>(nm, std::vector<double>(T, spec_.fixed_price)));
    if (!r.status.ok() && r.status.code != StatusCode::not_converged) return r;
    r.equilibrium_residual = equilibrium_residual(r.day);
    r.lower_level_solves = solves_;
    if (r.status.ok() && r.worst_ue_gap > users_.gap)
      r.status = Status::failure(StatusCode::not_converged, "an EV user equilibrium missed its gap");
    return r;
  }
  DayState d = empty_day(std::vector<std::vector<double>>(nm, std::vector<double>(T, 0.0)));
  const std::vector<double> zero(users_.origin.size(), 0.0);
  std::vector<double> p(nm, 0.5 * (lo + hi)), gain(nm, 0.0);  // [station]
  int rounds = 0, certified = 0;
  Status status;
  for (int t = 0; t < T; ++t) {
    if (out_of_time()) {
      GameResult r = finish(std::move(d), Status::failure(StatusCode::timeout, "time limit reached in the price game"), rounds);
      r.equilibrium_residual = NAN;
      return r;
    }
    PeriodOutcome o = period_equilibrium(t, p, t > 0 ? d.residual[t - 1] : zero, t > 0 ? d.paths[t - 1] : PathState{});
    if (!o.status.ok() && o.status.code != StatusCode::not_converged) {
      GameResult r = finish(std::move(d), o.status, rounds);
      r.equilibrium_residual = NAN;  // not certified
      return r;
    }
    rounds += o.rounds;
    if (o.grid_equilibrium) ++certified;
    else if (status.ok())
      status = Status::failure(StatusCode::not_converged,
                               o.enumerated ? "no pure equilibrium on the price grid in period " + std::to_string(t + 1)
                               : o.cycled   ? "best response on the price grid cycles in period " + std::to_string(t + 1)
                                            : "best response on the price grid did not settle within pricing.max_outer "
                                              "rounds in period " + std::to_string(t + 1));
    p = o.price;
    for (int m = 0; m < nm; ++m) d.price[m][t] = p[m], gain[m] += o.gain[m];
    store(d, t, std::move(o.eval));
  }
  GameResult r = finish(std::move(d), status, rounds);
  r.periods_certified = certified;
  r.equilibrium_residual = relative_gain(gain, r.profit_by_station);
  if (r.status.ok() && r.equilibrium_residual > spec_.residual_tolerance)
    r.status = Status::failure(StatusCode::not_converged, "equilibrium residual " +
                                                              std::to_string(r.equilibrium_residual) + " above the goal");
  if (r.status.ok() && r.worst_ue_gap > users_.gap)
    r.status = Status::failure(StatusCode::not_converged, "an EV user equilibrium missed its gap");
  return r;
}

}  // namespace evs::kinds::stackelberg
