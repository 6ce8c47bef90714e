// Power flow per solve: Newton (PETSc SNES) and sweep, case33bw and synthetic feeders.
//   build/bench/bench_powerflow --benchmark_min_time=0.5
// Solvers are created once and re-solved (what the dispatch AC check and sweeps do).
#include <benchmark/benchmark.h>

#include "data/grid_network.hpp"
#include "data/synthetic_feeder.hpp"
#include "grid/powerflow.hpp"
#include "io/matpower.hpp"
#include "reference_kernel.hpp"

using namespace evs;

namespace {

GridNetwork case33bw() { return build_grid_network(read_matpower_case(EVSWEEP_SOURCE_DIR "/data/grid/case33bw.m")); }

void run(benchmark::State& state, const GridNetwork& net, grid::PfMethod method) {
  auto solver = grid::make_power_flow_solver(net, method);
  const auto inj = grid::injections_from_network(net);
  const grid::PfOptions options{1e-8, 300};
  int iterations = 0;
  for (auto _ : state) {
    auto r = solver->solve(inj, options);
    if (!r.status.ok()) state.SkipWithError(r.status.message.c_str());
    iterations = r.iterations;
    benchmark::DoNotOptimize(r.vm.data());
  }
  state.counters["buses"] = net.num_buses();
  state.counters["iterations"] = iterations;
}

void BM_Reference_DenseLU64(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(bench::reference_dense_lu64());
}

void BM_Newton_case33bw(benchmark::State& state) { run(state, case33bw(), grid::PfMethod::newton); }
void BM_Sweep_case33bw(benchmark::State& state) { run(state, case33bw(), grid::PfMethod::sweep); }

void BM_Newton_synthetic(benchmark::State& state) {
  run(state, build_grid_network(make_synthetic_feeder(static_cast<int>(state.range(0)))), grid::PfMethod::newton);
}
void BM_Sweep_synthetic(benchmark::State& state) {
  run(state, build_grid_network(make_synthetic_feeder(static_cast<int>(state.range(0)))), grid::PfMethod::sweep);
}

}  // namespace

BENCHMARK(BM_Reference_DenseLU64)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Newton_case33bw)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Sweep_case33bw)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Newton_synthetic)->Arg(100)->Arg(300)->Arg(1000)->Arg(3000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Sweep_synthetic)->Arg(100)->Arg(300)->Arg(1000)->Arg(3000)->Unit(benchmark::kMicrosecond);
