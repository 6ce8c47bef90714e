// The stackelberg kind's operator LP: one period of IEEE 33 with 10 wind scenarios, re-solved
// with slightly different station loads (what the price search does), by Clp warm-started,
// Clp cold, and Ipopt (rebuilt each time).
//   build/bench/bench_stackelberg --benchmark_min_time=0.5
#include <benchmark/benchmark.h>

#include "io/matpower.hpp"
#include "kinds/stackelberg/operator_lp.hpp"

using namespace evs;
using namespace evs::kinds::stackelberg;

namespace {

const GridNetwork& feeder() {
  static const GridNetwork g = build_grid_network(read_matpower_case(EVSWEEP_SOURCE_DIR "/data/grid/case33bw.m"));
  return g;
}

OperatorSpec spec(int scenarios) {
  OperatorSpec s;
  s.grid = &feeder();
  s.periods = 1;
  s.load_scale = {1.0};
  s.tariff = {110};
  s.curtailment_cost = 20;
  s.shedding_cost = 3000;
  s.transformer_mva = 10;
  s.line_mva = 6;
  s.wind_bus = {feeder().index_of(18), feeder().index_of(33)};
  s.probability.assign(scenarios, 1.0 / scenarios);
  for (int k = 0; k < scenarios; ++k) s.wind_max_mw.push_back({{0.1 + 0.07 * k, 0.8 - 0.06 * k}});
  s.station_bus = {feeder().index_of(3), feeder().index_of(19), feeder().index_of(23)};
  s.station_tan_phi = 0.2;
  return s;
}

void run(benchmark::State& state, LpBackend backend, bool warm) {
  OperatorLp op(spec(static_cast<int>(state.range(0))), backend, warm);
  int i = 0;
  long iterations = 0, solves = 0;
  for (auto _ : state) {
    const double a = 0.2 + 0.01 * (i++ % 50);  // station loads move a little each solve
    const OperatorPeriod r = op.solve_period(0, {a, 0.9 - a, 0.4});
    if (!r.status.ok()) state.SkipWithError(r.status.message.c_str());
    iterations += r.iterations;
    ++solves;
    benchmark::DoNotOptimize(r.cost);
  }
  state.counters["iterations_per_solve"] = solves ? static_cast<double>(iterations) / solves : 0;
}

void BM_OperatorLp_ClpWarm(benchmark::State& s) { run(s, LpBackend::clp, true); }
void BM_OperatorLp_ClpCold(benchmark::State& s) { run(s, LpBackend::clp, false); }
void BM_OperatorLp_Ipopt(benchmark::State& s) { run(s, LpBackend::ipopt, false); }

}  // namespace

BENCHMARK(BM_OperatorLp_ClpWarm)->Arg(1)->Arg(10)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OperatorLp_ClpCold)->Arg(1)->Arg(10)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OperatorLp_Ipopt)->Arg(1)->Arg(10)->Unit(benchmark::kMillisecond);
