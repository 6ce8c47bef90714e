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

}  // namespace evs::kinds::stackelberg
