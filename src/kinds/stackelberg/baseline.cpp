#include "kinds/stackelberg/baseline.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "core/rng.hpp"

namespace evs::kinds::stackelberg {

namespace {

// A particle swarm maximising `fitness` over [lo, hi]^dim; `start` (optional) is particle 0's
// position, `start_f` its known fitness (not evaluated again). Draws in a fixed order from rng.
template <class Fitness>
std::pair<std::vector<double>, double> particle_swarm(int dim, double lo, double hi, const SwarmOptions& o,
                                                      RandomStream& rng, Fitness fitness,
                                                      const std::vector<double>* start = nullptr, double start_f = 0) {
  std::vector<std::vector<double>> x(o.particles, std::vector<double>(dim)), v = x;  // [particle][dim]
  std::vector<double> best_f(o.particles);
  for (int i = 0; i < o.particles; ++i)
    for (int d = 0; d < dim; ++d) {
      x[i][d] = start && i == 0 ? (*start)[d] : rng.uniform(lo, hi);
      v[i][d] = 0.1 * (hi - lo) * rng.uniform(-1, 1);
    }
  for (int i = 0; i < o.particles; ++i) best_f[i] = start && i == 0 ? start_f : fitness(x[i]);
  std::vector<double> g_x = x[0];
  double g_f = best_f[0];
  for (int i = 1; i < o.particles; ++i)
    if (best_f[i] > g_f) g_f = best_f[i], g_x = x[i];
  auto best_x = x;
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
  return {g_x, g_f};
}

// A day's evaluation's profit (all stations, or station m), -1e300 when the lower levels failed.
double day_profit(const GameResult& r, int m = -1) {
  if (!r.status.ok() && r.status.code != StatusCode::not_converged) return -1e300;
  return m < 0 ? r.station_profit : r.profit_by_station[m];
}

}  // namespace

SwarmResult swarm_search(Game& game, int nm, int T, double lo, double hi, const SwarmOptions& o) {
  RandomStream rng(o.seed, o.key, 32);
  const long solves0 = game.lower_level_solves();
  auto table = [&](const std::vector<double>& x) {  // position index m * T + t
    std::vector<std::vector<double>> p(nm, std::vector<double>(T));
    for (int m = 0; m < nm; ++m)
      for (int t = 0; t < T; ++t) p[m][t] = x[m * T + t];
    return p;
  };
  const auto [g_x, g_f] =
      particle_swarm(nm * T, lo, hi, o, rng, [&](const std::vector<double>& x) { return day_profit(game.evaluate(table(x))); });
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
    return day_profit(game.evaluate(p), m);
  };
  for (int round = 1; round <= rounds; ++round) {
    r.rounds = round;
    bool gained = false;
    for (int m = 0; m < nm; ++m) {
      const double current = profit_of(m, r.price[m]);
      const auto [g_x, g_f] = particle_swarm(
          T, lo, hi, o, rng, [&](const std::vector<double>& own) { return profit_of(m, own); }, &r.price[m], current);
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
  r.lower_level_solves = game.lower_level_solves() - solves0;  // the final evaluation below is not counted
  GameResult end = game.evaluate(r.price);
  if (!end.status.ok() && end.status.code != StatusCode::not_converged) {
    r.status = end.status;
    return r;
  }
  r.station_profit = end.station_profit;
  r.equilibrium_residual = game.equilibrium_residual(end.day);
  return r;
}

}  // namespace evs::kinds::stackelberg
