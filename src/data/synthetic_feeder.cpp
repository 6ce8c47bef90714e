#include "data/synthetic_feeder.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace evs {

namespace {
// case33bw branch r, x (ohm) and bus loads (kW, kVAr), cycled.
constexpr double kR[] = {0.0922, 0.4930, 0.3660, 0.3811, 0.8190, 0.1872, 0.7114, 1.0300, 1.0440, 0.1966, 0.3744,
                         1.4680, 0.5416, 0.5910, 0.7463, 1.2890, 0.7320, 0.1640, 1.5042, 0.4095, 0.7089, 0.4512};
constexpr double kX[] = {0.0470, 0.2511, 0.1864, 0.1941, 0.7070, 0.6188, 0.2351, 0.7400, 0.7400, 0.0650, 0.1238,
                         1.1550, 0.7129, 0.5260, 0.5450, 1.7210, 0.5740, 0.1565, 1.3554, 0.4784, 0.9373, 0.3083};
constexpr double kP[] = {100, 90, 120, 60, 60, 200, 200, 60, 60, 45, 60, 60, 120, 60, 60, 60, 90, 90, 90, 90, 420};
constexpr double kQ[] = {60, 40, 80, 30, 20, 100, 100, 20, 20, 30, 35, 35, 80, 10, 20, 20, 40, 40, 40, 40, 200};
}  // namespace

GridCase make_synthetic_feeder(int n, std::uint64_t seed) {
  if (n < 2) throw std::invalid_argument("a synthetic feeder needs at least 2 buses");
  GridCase c;
  c.name = "synthetic" + std::to_string(n);
  c.source_file = "<synthetic feeder, " + std::to_string(n) + " buses>";
  c.base_mva = 10;
  const double base_kv = 12.66, zbase = base_kv * base_kv / c.base_mva;
  // Keep the electrical depth comparable to case33bw whatever the size: the main chain is
  // about 0.85 n long, so impedances scale with 1/n and loads with 1/n.
  const double load_scale = 33.0 / n;
  const double z_scale = 22.0 / n;
  std::uint64_t state = seed * 6364136223846793005ULL + 1442695040888963407ULL;
  auto next = [&]() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  };
  for (int i = 1; i <= n; ++i) {
    BusRecord b;
    b.id = i;
    b.type = i == 1 ? BusType::ref : BusType::pq;
    b.pd_mw = i == 1 ? 0 : kP[i % 21] * 1e-3 * load_scale * 4;
    b.qd_mvar = i == 1 ? 0 : kQ[i % 21] * 1e-3 * load_scale * 4;
    b.base_kv = base_kv;
    c.buses.push_back(b);
  }
  for (int i = 2; i <= n; ++i) {
    // Mostly continue the current lateral, sometimes branch off an earlier bus.
    const int parent = next() < 0.85 ? i - 1 : 1 + static_cast<int>(next() * (i - 1));
    BranchRecord br;
    br.from_bus = parent;
    br.to_bus = i;
    br.r_pu = kR[i % 22] * z_scale / zbase;
    br.x_pu = kX[i % 22] * z_scale / zbase;
    c.branches.push_back(br);
  }
  GenRecord g;
  g.bus = 1;
  g.qmax_mvar = 10;
  g.qmin_mvar = -10;
  g.pmax_mw = 10;
  c.gens.push_back(g);
  return c;
}

}  // namespace evs
