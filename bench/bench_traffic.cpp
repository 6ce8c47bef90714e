// Traffic assignment: UE on Sioux Falls to several gaps; SUE step rules on Nguyen-Dupuis
// and Sioux Falls; the 24-period warm-started SUE day on Nguyen-Dupuis; UE to gap 1e-10 on
// four public networks of 900-3,000 links, path-based against bush-based (Algorithm B).
//   build/bench/bench_traffic --benchmark_min_time=0.5
#include <benchmark/benchmark.h>

#include <cmath>
#include <map>

#include "io/tntp.hpp"
#include "reference_kernel.hpp"
#include "traffic/multiperiod.hpp"
#include "traffic/sue.hpp"
#include "traffic/ue.hpp"
#include "traffic/ue_bush.hpp"

using namespace evs;
using namespace evs::traffic;

namespace {

struct Net {
  TrafficNetwork net;
  std::vector<DemandClass> demand;
  std::string trips;
};

Net load(const std::string& name) {
  const std::string dir = std::string(EVSWEEP_SOURCE_DIR) + "/data/traffic/" + name + "/" + name;
  Net n;
  n.net = build_traffic_network(read_tntp_network(dir + "_net.tntp"));
  const auto od = read_tntp_trips(dir + "_trips.tntp");
  n.demand = demand_from_trips(od);
  n.trips = od.source_file;
  return n;
}

void BM_Reference_DenseLU64(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(bench::reference_dense_lu64());
}

void BM_UE_SiouxFalls(benchmark::State& state) {
  static const Net sf = load("SiouxFalls");
  const double gap = std::pow(10.0, -static_cast<double>(state.range(0)));
  int iterations = 0;
  for (auto _ : state) {
    PathSet set;
    auto r = solve_ue(sf.net, sf.demand, set, {gap, 100000, 16}, sf.trips);
    if (!r.status.ok()) state.SkipWithError("not converged");
    iterations = r.iterations;
  }
  state.counters["gap_exp"] = -static_cast<double>(state.range(0));
  state.counters["iterations"] = iterations;
}

void sue(benchmark::State& state, const char* name, StepRule rule, PathSetMode paths) {
  static std::map<std::string, Net> cache;
  if (!cache.count(name)) cache[name] = load(name);
  const Net& n = cache[name];
  SueOptions o;
  o.theta = 0.5;
  o.rule = rule;
  o.tolerance = 1e-8;
  o.path_set = paths;
  o.max_iterations = 20000000;
  int iterations = 0;
  for (auto _ : state) {
    PathSet set;
    auto r = solve_sue(n.net, n.demand, set, o, n.trips);
    if (!r.status.ok()) state.SkipWithError("not converged");
    iterations = r.iterations;
  }
  state.counters["iterations"] = iterations;
}

void BM_SUE_ND_msa(benchmark::State& s) { sue(s, "NguyenDupuis", StepRule::msa, PathSetMode::automatic); }
void BM_SUE_ND_sra(benchmark::State& s) { sue(s, "NguyenDupuis", StepRule::sra, PathSetMode::automatic); }
void BM_SUE_ND_newton(benchmark::State& s) { sue(s, "NguyenDupuis", StepRule::newton, PathSetMode::automatic); }
void BM_SUE_SF_sra(benchmark::State& s) { sue(s, "SiouxFalls", StepRule::sra, PathSetMode::generate); }
void BM_SUE_SF_newton(benchmark::State& s) { sue(s, "SiouxFalls", StepRule::newton, PathSetMode::generate); }
void BM_SUE_SF_msa(benchmark::State& s) { sue(s, "SiouxFalls", StepRule::msa, PathSetMode::generate); }

void BM_Day24_ND_warm(benchmark::State& state) {
  static const Net nd = load("NguyenDupuis");
  DayOptions o;
  o.sue.theta = 0.5;
  o.sue.rule = static_cast<StepRule>(state.range(0));
  o.sue.tolerance = 1e-8;
  o.demand_multiplier = {0.10, 0.06, 0.05, 0.05, 0.08, 0.20, 0.55, 1.00, 0.85, 0.55, 0.50, 0.55,
                         0.60, 0.55, 0.55, 0.65, 0.85, 1.00, 0.80, 0.55, 0.45, 0.35, 0.25, 0.15};
  int iterations = 0;
  for (auto _ : state) {
    auto day = solve_day(nd.net, nd.demand, o, nd.trips);
    if (!day.status.ok()) state.SkipWithError("not converged");
    iterations = day.total_iterations;
  }
  state.counters["iterations"] = iterations;
}

// UE to relative gap 1e-10 on a public network: path-based (arg 0) or bush-based (arg 1).
void ue_network(benchmark::State& state, const char* name) {
  static std::map<std::string, Net> cache;
  if (!cache.count(name)) cache.emplace(name, load(name));
  const Net& n = cache.at(name);
  int iterations = 0;
  for (auto _ : state) {
    PathSet set;
    const UeOptions o{1e-10, 100000, 16};
    auto r = state.range(0) == 0 ? solve_ue(n.net, n.demand, set, o, n.trips) : solve_ue_bush(n.net, n.demand, o, n.trips);
    if (!r.status.ok()) state.SkipWithError("not converged");
    iterations = r.iterations;
  }
  state.counters["iterations"] = iterations;
  state.counters["links"] = n.net.num_road_links;
  state.SetLabel(state.range(0) == 0 ? "path" : "bush");
}
void BM_UE_Anaheim(benchmark::State& s) { ue_network(s, "Anaheim"); }
void BM_UE_Barcelona(benchmark::State& s) { ue_network(s, "Barcelona"); }
void BM_UE_Winnipeg(benchmark::State& s) { ue_network(s, "Winnipeg"); }
void BM_UE_ChicagoSketch(benchmark::State& s) { ue_network(s, "ChicagoSketch"); }

}  // namespace

BENCHMARK(BM_Reference_DenseLU64)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_UE_SiouxFalls)->Arg(4)->Arg(6)->Arg(10)->Arg(12)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SUE_ND_msa)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_SUE_ND_sra)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SUE_ND_newton)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SUE_SF_msa)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_SUE_SF_sra)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_SUE_SF_newton)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Day24_ND_warm)->Arg(static_cast<int>(StepRule::msa))->Arg(static_cast<int>(StepRule::sra))
    ->Arg(static_cast<int>(StepRule::newton))->Unit(benchmark::kMillisecond);
BENCHMARK(BM_UE_Anaheim)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_UE_Barcelona)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_UE_Winnipeg)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_UE_ChicagoSketch)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(3);
