// OD estimation (issue 16): Sioux Falls over a day of 24 periods with every link observed,
// and synthetic grid networks (~400 nodes) with up to ~1,000 OD pairs and a share of links
// observed, for how time grows with OD pairs and observed links.
//   build/bench/bench_od_estimation --benchmark_min_time=0.1
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>

#include "io/tntp.hpp"
#include "reference_kernel.hpp"
#include "traffic/od_estimation.hpp"
#include "traffic/sue.hpp"

using namespace evs;
using namespace evs::traffic;

namespace {

void BM_Reference_DenseLU64(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(bench::reference_dense_lu64());
}

// The default study's traffic_demand profile: hour t's table is the published one times it.
const double kProfile[24] = {0.10, 0.06, 0.05, 0.05, 0.08, 0.20, 0.55, 1.00, 0.85, 0.55, 0.50, 0.55,
                             0.60, 0.55, 0.55, 0.65, 0.85, 1.00, 0.80, 0.55, 0.45, 0.35, 0.25, 0.15};

struct Instance {
  RoadNetwork road;
  TrafficNetwork net;
  std::vector<OdPair> pairs;
  std::vector<double> truth;                          // [pair]
  std::vector<double> prior;                          // [pair]
  std::vector<std::vector<LinkObservation>> periods;  // observations
};

// Counts of `truth * scale` assigned by SUE (theta 0.5), Poisson noise, every `stride`-th link.
std::vector<LinkObservation> observe(const Instance& in, double scale, int stride, std::mt19937_64& rng) {
  std::vector<DemandClass> classes;
  for (size_t k = 0; k < in.pairs.size(); ++k)
    classes.push_back({in.pairs[k].origin, in.pairs[k].destination, in.truth[k] * scale, false, 0});
  PathSet set;
  SueOptions o;
  o.theta = 0.5;
  const auto r = solve_sue(in.net, classes, set, o, "truth");
  std::vector<LinkObservation> obs;
  for (int a = 0; a < in.road.num_links; a += stride) {
    std::poisson_distribution<long> noise(std::max(r.link_flow[a], 1e-9));
    obs.push_back({a, {static_cast<double>(noise(rng))}, std::numeric_limits<double>::infinity(), 0});
  }
  return obs;
}

const Instance& sioux_falls() {
  static const Instance in = [] {
    Instance s;
    const std::string dir = std::string(EVSWEEP_SOURCE_DIR) + "/data/traffic/SiouxFalls/SiouxFalls";
    s.road = read_tntp_network(dir + "_net.tntp");
    s.net = build_traffic_network(s.road);
    const auto trips = read_tntp_trips(dir + "_trips.tntp");
    s.pairs = all_zone_pairs(s.net, s.road.num_zones);
    s.truth = prior_on_pairs(trips, s.pairs);
    std::mt19937_64 rng(16);
    std::lognormal_distribution<double> scatter(0, 0.3);
    s.prior = s.truth;
    for (double& p : s.prior) p *= 0.5 * scatter(rng);
    for (double m : kProfile) s.periods.push_back(observe(s, m, 1, rng));
    return s;
  }();
  return in;
}

// A side x side grid, both directions, every node a through node; `zones` zones spread
// over the grid (numbered first). Free-flow times 1-2, capacities 800-2400 veh/h.
Instance grid(int side, int zones, int stride) {
  Instance s;
  std::mt19937_64 rng(400 + zones);
  std::uniform_real_distribution<double> u(0, 1);
  const int n = side * side;
  // zone z sits at grid cell (z * n / zones); TNTP numbers: zones first, then the others
  std::vector<int> number(n, 0);
  std::vector<char> is_zone(n, 0);
  for (int z = 0; z < zones; ++z) {
    const int cell = static_cast<int>(static_cast<long>(z) * n / zones + side / 2) % n;
    is_zone[cell] = 1;
  }
  int next_zone = 1, next_other = zones + 1;
  for (int c = 0; c < n; ++c) number[c] = is_zone[c] ? next_zone++ : next_other++;
  s.road.source_file = "grid";
  s.road.num_zones = next_zone - 1;
  s.road.num_nodes = n;
  s.road.first_thru_node = 1;
  auto link = [&](int a, int b) {
    RoadLink L;
    L.from_node = number[a];
    L.to_node = number[b];
    L.free_flow_time = 1 + u(rng);
    L.length = L.free_flow_time;
    L.capacity = 800 + 1600 * u(rng);
    s.road.links.push_back(L);
  };
  for (int r = 0; r < side; ++r)
    for (int c = 0; c < side; ++c) {
      const int i = r * side + c;
      if (c + 1 < side) link(i, i + 1), link(i + 1, i);
      if (r + 1 < side) link(i, i + side), link(i + side, i);
    }
  s.road.num_links = static_cast<int>(s.road.links.size());
  s.net = build_traffic_network(s.road);
  s.pairs = all_zone_pairs(s.net, s.road.num_zones);
  std::lognormal_distribution<double> size(std::log(60.0), 0.8);
  for (size_t k = 0; k < s.pairs.size(); ++k) s.truth.push_back(size(rng));
  std::lognormal_distribution<double> scatter(0, 0.3);
  s.prior = s.truth;
  for (double& p : s.prior) p *= 0.7 * scatter(rng);
  s.periods.push_back(observe(s, 1.0, stride, rng));
  return s;
}

double total(const std::vector<double>& v) {
  double t = 0;
  for (double x : v) t += x;
  return t;
}

void BM_OD_SiouxFalls_Day(benchmark::State& state) {
  const Instance& s = sioux_falls();
  OdEstimationOptions o;  // defaults: SUE theta 0.5, Poisson, pattern prior weight 0.1
  double worst_total = 0, rounds = 0;
  for (auto _ : state) {
    worst_total = rounds = 0;
    for (size_t t = 0; t < s.periods.size(); ++t) {
      std::vector<double> prior = s.prior;
      const auto est = estimate_od(s.net, s.pairs, prior, s.periods[t], o, "bench");
      if (!est.status.ok()) state.SkipWithError(est.status.message.c_str());
      worst_total = std::max(worst_total, std::fabs(est.total_after / (total(s.truth) * kProfile[t]) - 1));
      rounds += est.outer_iterations;
    }
  }
  state.counters["periods"] = static_cast<double>(s.periods.size());
  state.counters["rounds_per_period"] = rounds / s.periods.size();
  state.counters["worst_total_error"] = worst_total;
}

void BM_OD_Grid(benchmark::State& state) {
  const int zones = static_cast<int>(state.range(0)), stride = static_cast<int>(state.range(1));
  const Instance s = grid(20, zones, stride);
  OdEstimationOptions o;
  double err = 0, rounds = 0, rmse = 0;
  for (auto _ : state) {
    const auto est = estimate_od(s.net, s.pairs, s.prior, s.periods[0], o, "bench");
    if (!est.status.ok()) state.SkipWithError(est.status.message.c_str());
    err = est.total_after / total(s.truth) - 1;
    rounds = est.outer_iterations;
    rmse = est.rmse_after;
  }
  state.counters["od_pairs"] = static_cast<double>(s.pairs.size());
  state.counters["observed_links"] = static_cast<double>(s.periods[0].size());
  state.counters["links"] = s.road.num_links;
  state.counters["total_error"] = err;
  state.counters["rounds"] = rounds;
  state.counters["rmse_after"] = rmse;
}

}  // namespace

BENCHMARK(BM_Reference_DenseLU64);
BENCHMARK(BM_OD_SiouxFalls_Day)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OD_Grid)
    ->Args({32, 3})   // ~1,000 pairs, a third of the links: the case
    ->Args({16, 3})   // pairs x 1/4
    ->Args({23, 3})   // pairs x 1/2
    ->Args({32, 6})   // a sixth of the links
    ->Args({32, 2})   // half of the links
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);
