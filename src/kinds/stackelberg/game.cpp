#include "kinds/stackelberg/game.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>

namespace evs::kinds::stackelberg {

namespace {

using Clock = std::chrono::steady_clock;

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

double Game::certificate(DayState& d) {
  const int T = static_cast<int>(spec_.demand.size()), nm = static_cast<int>(d.price.size());
  const std::vector<double> zero(users_.origin.size(), 0.0);
  std::vector<double> gain(nm, 0.0), total(nm, 0.0);  // [station]
  for (int t = 0; t < T; ++t) {
    std::vector<double> p(nm);
    for (int m = 0; m < nm; ++m) p[m] = d.price[m][t];
    for (int m = 0; m < nm; ++m) {
      total[m] += d.profit[m][t];
      double best = d.profit[m][t];
      for (int g = 0; g < spec_.certificate_points; ++g) {
        auto q = p;
        q[m] = spec_.price_lower + (spec_.price_upper - spec_.price_lower) * g / (spec_.certificate_points - 1);
        const PeriodEval e = eval_period(t, q, t > 0 ? d.residual[t - 1] : zero, d.paths[t]);
        if (e.status.ok()) best = std::max(best, e.profit[m]);
      }
      gain[m] += best - d.profit[m][t];
    }
  }
  double mean_abs = 0;  // a station with next to no profit is measured against the average one
  for (int m = 0; m < nm; ++m) mean_abs += std::abs(total[m]) / nm;
  double worst = 0;
  for (int m = 0; m < nm; ++m) worst = std::max(worst, gain[m] / std::max({std::abs(total[m]), mean_abs, 1e-9}));
  return worst;
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

GameResult Game::evaluate(const std::vector<std::vector<double>>& price) {
  const int T = static_cast<int>(spec_.demand.size()), nm = static_cast<int>(price.size());
  const int nb = op_.spec().grid->num_buses(), nod = static_cast<int>(users_.origin.size());
  DayState d;
  d.price = price;
  d.station_mw = d.c_ele = d.profit = std::vector<std::vector<double>>(nm, std::vector<double>(T, 0.0));
  d.lmp.assign(T, std::vector<double>(nb, 0.0));
  d.residual.assign(T, std::vector<double>(nod, 0.0));
  d.operator_cost = d.tstt_veh_h = d.user_cost = d.ue_gap = d.curtailment_mwh = std::vector<double>(T, 0.0);
  d.paths.assign(T, {});
  Status s = forward_pass(d);
  return finish(std::move(d), s, 0);
}

GameResult Game::solve() {
  const auto start = Clock::now();
  auto out_of_time = [&] {
    return spec_.time_limit_s > 0 &&
           std::chrono::duration<double>(Clock::now() - start).count() > spec_.time_limit_s;
  };
  const int T = static_cast<int>(spec_.demand.size()), nm = static_cast<int>(users_.station_node.size());
  const double lo = spec_.price_lower, hi = spec_.price_upper, width = hi - lo;
  const double start_price = spec_.game ? 0.5 * (lo + hi) : spec_.fixed_price;
  GameResult base = evaluate(std::vector<std::vector<double>>(nm, std::vector<double>(T, start_price)));
  if (!base.status.ok() && base.status.code != StatusCode::not_converged) return base;
  DayState d = std::move(base.day);
  int outer = 0;
  Status status;
  const std::vector<double> zero(users_.origin.size(), 0.0);
  const double tol = spec_.price_tolerance * width;
  const double golden = (std::sqrt(5.0) - 1) / 2;
  while (spec_.game) {
    if (outer >= spec_.max_outer) {
      status = Status::failure(StatusCode::not_converged, "price iteration cap reached");
      break;
    }
    if (out_of_time()) {
      status = Status::failure(StatusCode::timeout, "time limit reached in the price iteration");
      break;
    }
    ++outer;
    double moved = 0;
    for (int t = 0; t < T; ++t) {
      const std::vector<double>& r_prev = t > 0 ? d.residual[t - 1] : zero;
      std::vector<double> p(nm);
      for (int m = 0; m < nm; ++m) p[m] = d.price[m][t];
      PeriodEval cur = eval_period(t, p, r_prev, d.paths[t]);
      if (!cur.status.ok() && cur.status.code != StatusCode::not_converged) return finish(std::move(d), cur.status, outer);
      for (int m = 0; m < nm; ++m) {
        auto f = [&](double rho, PeriodEval* keep) {
          auto q = p;
          q[m] = rho;
          PeriodEval e = eval_period(t, q, r_prev, d.paths[t]);
          const double v = e.status.ok() || e.status.code == StatusCode::not_converged ? e.profit[m] : -1e300;
          if (keep) *keep = std::move(e);
          return v;
        };
        // Bracket: the full range on the first visit, else two grid steps around the price.
        const double step = width / (spec_.grid_points - 1);
        double a = lo, b = hi;
        if (outer == 1) {
          double best = cur.profit[m], best_rho = p[m];
          for (int g = 0; g < spec_.grid_points; ++g) {
            const double rho = lo + step * g, v = f(rho, nullptr);
            if (v > best) best = v, best_rho = rho;
          }
          a = std::max(lo, best_rho - step);
          b = std::min(hi, best_rho + step);
        } else {
          a = std::max(lo, p[m] - 2 * step);
          b = std::min(hi, p[m] + 2 * step);
        }
        double x1 = b - golden * (b - a), x2 = a + golden * (b - a);
        double f1 = f(x1, nullptr), f2 = f(x2, nullptr);
        while (b - a > tol) {
          if (f1 >= f2) {
            b = x2, x2 = x1, f2 = f1, x1 = b - golden * (b - a), f1 = f(x1, nullptr);
          } else {
            a = x1, x1 = x2, f1 = f2, x2 = a + golden * (b - a), f2 = f(x2, nullptr);
          }
        }
        PeriodEval cand;
        const double rho = 0.5 * (a + b), v = f(rho, &cand);
        if (v > cur.profit[m]) {  // never accept a worse price than the current one
          moved = std::max(moved, std::abs(rho - p[m]));
          p[m] = rho;
          cur = std::move(cand);
        }
      }
      for (int m = 0; m < nm; ++m) d.price[m][t] = p[m];
      store(d, t, std::move(cur));
    }
    if (moved <= 3 * tol) break;
  }
  // Refresh the residual chain at the final prices, then the certificate.
  Status fp = forward_pass(d);
  if (!fp.ok() && fp.code != StatusCode::not_converged) return finish(std::move(d), fp, outer);
  GameResult r = finish(std::move(d), status, outer);
  r.equilibrium_residual = certificate(r.day);
  r.lower_level_solves = solves_;
  if (spec_.game && r.status.ok() && r.equilibrium_residual > spec_.residual_tolerance)
    r.status = Status::failure(StatusCode::not_converged, "equilibrium residual " +
                                                              std::to_string(r.equilibrium_residual) + " above the goal");
  if (r.status.ok() && r.worst_ue_gap > users_.gap)
    r.status = Status::failure(StatusCode::not_converged, "an EV user equilibrium missed its gap");
  return r;
}

}  // namespace evs::kinds::stackelberg
