#pragma once
// The paper's kind of method as a baseline: a population search over the stations' prices
// (particle swarm, the closest well-documented relative of gravitational search), each
// particle a full price table [station][t] evaluated by a forward pass of the lower levels
// (Game::evaluate). Fitness: the stations' total profit. Deterministic given its seed.
#include <cstdint>

#include "kinds/stackelberg/game.hpp"

namespace evs::kinds::stackelberg {

struct SwarmOptions {
  int particles = 10;
  int iterations = 20;
  double inertia = 0.7, cognitive = 1.5, social = 1.5;
  std::uint64_t seed = 1, key = 0;  // RandomStream (seed, key, stream)
};

struct SwarmResult {
  Status status;
  double station_profit = 0;  // best total profit found
  long lower_level_solves = 0;
  std::vector<std::vector<double>> price;  // [station][t] best prices
};

SwarmResult swarm_search(Game& game, int stations, int periods, double lower, double upper, const SwarmOptions& o);

// The paper's method as it iterates to an equilibrium: diagonalisation whose best responses are
// population searches. Each round, each station in turn runs a swarm over its own day of
// prices [t] (the others fixed; its current prices one of the particles) maximising its own
// profit; rounds until no station gains more than 1e-4 of its profit, at most `rounds`.
// lower_level_solves counts the searches' period evaluations; the certificate of the prices
// reached (Game::equilibrium_residual, not counted) is `equilibrium_residual`.
struct SwarmEquilibriumResult {
  Status status;
  double station_profit = 0;   // total at the prices reached
  double equilibrium_residual = 0;
  long lower_level_solves = 0;
  int rounds = 0;
  std::vector<std::vector<double>> price;  // [station][t]
};

SwarmEquilibriumResult swarm_equilibrium(Game& game, int stations, int periods, double lower, double upper,
                                         const SwarmOptions& o, int rounds = 5);

}  // namespace evs::kinds::stackelberg
