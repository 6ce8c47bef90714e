#include "kinds/stackelberg/baseline.hpp"

#include <algorithm>

#include "core/rng.hpp"

namespace evs::kinds::stackelberg {

SwarmResult swarm_search(Game& game, int nm, int T, double lo, double hi, const SwarmOptions& o) {
  RandomStream rng(o.seed, o.key, 32);
  const int dim = nm * T;  // position index m * T + t
  const long solves0 = game.lower_level_solves();
  auto table = [&](const std::vector<double>& x) {
    std::vector<std::vector<double>> p(nm, std::vector<double>(T));
    for (int m = 0; m < nm; ++m)
      for (int t = 0; t < T; ++t) p[m][t] = x[m * T + t];
    return p;
  };
  auto fitness = [&](const std::vector<double>& x) {
    const GameResult r = game.evaluate(table(x));
    return r.status.ok() || r.status.code == StatusCode::not_converged ? r.station_profit : -1e300;
  };
  std::vector<std::vector<double>> x(o.particles, std::vector<double>(dim)), v = x, best_x;  // [particle][dim]
  std::vector<double> best_f(o.particles);
  std::vector<double> g_x;
  double g_f = -1e300;
  for (int i = 0; i < o.particles; ++i) {
    for (int d = 0; d < dim; ++d) {
      x[i][d] = rng.uniform(lo, hi);
      v[i][d] = 0.1 * (hi - lo) * rng.uniform(-1, 1);
    }
    best_f[i] = fitness(x[i]);
    if (best_f[i] > g_f) g_f = best_f[i], g_x = x[i];
  }
  best_x = x;
  for (int it = 0; it < o.iterations; ++it)
    for (int i = 0; i < o.particles; ++i) {
      for (int d = 0; d < dim; ++d) {
        v[i][d] = o.inertia * v[i][d] + o.cognitive * rng.uniform() * (best_x[i][d] - x[i][d]) +
                  o.social * rng.uniform() * (g_x[d] - x[i][d]);
        x[i][d] = std::clamp(x[i][d] + v[i][d], lo, hi);
      }
      const double f = fitness(x[i]);
      if (f > best_f[i]) best_f[i] = f, best_x[i] = x[i];
      if (f > g_f) g_f = f, g_x = x[i];
    }
  SwarmResult r;
  r.station_profit = g_f;
  r.price = table(g_x);
  r.lower_level_solves = game.lower_level_solves() - solves0;
  if (g_f <= -1e299) r.status = Status::failure(StatusCode::infeasible, "no particle had feasible lower levels");
  return r;
}

SwarmEquilibriumResult swarm_equilibrium(Game& game, int nm, int T, double lo, double hi, const SwarmOptions& o,
                                         int rounds) {
  RandomStream rng(o.seed, o.key, 33);
  const long solves0 = game.lower_level_solves();
  SwarmEquilibriumResult r;
  r.price.assign(nm, std::vector<double>(T, 0.5 * (lo + hi)));
  auto profit_of = [&](int m, const std::vector<double>& own) {
    auto p = r.price;
    p[m] = own;
    const GameResult g = game.evaluate(p);
    return g.status.ok() || g.status.code == StatusCode::not_converged ? g.profit_by_station[m] : -1e300;
  };
  for (int round = 1; round <= rounds; ++round) {
    r.rounds = round;
    bool gained = false;
    for (int m = 0; m < nm; ++m) {
      const double current = profit_of(m, r.price[m]);
      std::vector<std::vector<double>> x(o.particles, std::vector<double>(T)), v = x;  // [particle][t]
      std::vector<double> best_f(o.particles);
      for (int i = 0; i < o.particles; ++i)
        for (int t = 0; t < T; ++t) {
          x[i][t] = i == 0 ? r.price[m][t] : rng.uniform(lo, hi);
          v[i][t] = 0.1 * (hi - lo) * rng.uniform(-1, 1);
        }
      std::vector<double> g_x = x[0];
      double g_f = current;
      best_f[0] = current;
      for (int i = 1; i < o.particles; ++i) {
        best_f[i] = profit_of(m, x[i]);
        if (best_f[i] > g_f) g_f = best_f[i], g_x = x[i];
      }
      auto best_x = x;
      for (int it = 0; it < o.iterations; ++it)
        for (int i = 0; i < o.particles; ++i) {
          for (int t = 0; t < T; ++t) {
            v[i][t] = o.inertia * v[i][t] + o.cognitive * rng.uniform() * (best_x[i][t] - x[i][t]) +
                      o.social * rng.uniform() * (g_x[t] - x[i][t]);
            x[i][t] = std::clamp(x[i][t] + v[i][t], lo, hi);
          }
          const double f = profit_of(m, x[i]);
          if (f > best_f[i]) best_f[i] = f, best_x[i] = x[i];
          if (f > g_f) g_f = f, g_x = x[i];
        }
      if (g_f > current + 1e-4 * std::max(std::abs(current), 1.0)) {
        r.price[m] = g_x;
        gained = true;
      }
    }
    if (!gained) break;
    if (round == rounds)
      r.status = Status::failure(StatusCode::not_converged, "a station still gained after " + std::to_string(rounds) +
                                                                " best-response rounds");
  }
  r.lower_level_solves = game.lower_level_solves() - solves0;
  GameResult end = game.evaluate(r.price);
  if (!end.status.ok() && end.status.code != StatusCode::not_converged) {
    r.status = end.status;
    r.lower_level_solves = game.lower_level_solves() - solves0;
    return r;
  }
  r.station_profit = end.station_profit;
  r.equilibrium_residual = game.equilibrium_residual(end.day);
  return r;
}

}  // namespace evs::kinds::stackelberg
