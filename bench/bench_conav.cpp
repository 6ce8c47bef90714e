// conav (paper 000): time per scenario of the joint CTM + feeder optimisation on
// configs/conav.yaml, growing with steps, cells (road.time_unit_min 1 -> 112 cells, 3 -> 320
// cells) and vehicles; the same run's dense-LU reference kernel for ratios (BENCHMARKS.md).
//   build/bench/bench_conav
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "kinds/conav/prepared.hpp"
#include "kinds/conav/scenario.hpp"
#include "kinds/registry.hpp"
#include "reference_kernel.hpp"

using namespace evs;
using namespace evs::kinds::conav;

namespace {

// Arguments: time unit (min), steps, charging EVs.
void conav_case(benchmark::State& state, std::vector<std::string> overrides) {
  overrides.insert(overrides.end(),
                   {"road.time_unit_min=" + std::to_string(state.range(0)), "cells.steps=" + std::to_string(state.range(1)),
                    "vehicles.charging_count=" + std::to_string(state.range(2)), "vehicles.charging_need_kwh=2"});
  const PreparedStudy p = prepare(kinds::load_study(EVSWEEP_SOURCE_DIR "/configs/conav.yaml", overrides));
  const Model m = nominal_model(p.options);
  int iterations = 0;
  for (auto _ : state) {
    const ScenarioResult r = run_model(p, 1, m);
    if (!r.status.ok() && r.status.code != StatusCode::infeasible) state.SkipWithError(r.status.message.c_str());
    iterations = r.iterations;
  }
  state.counters["cells"] = p.cells.num_cells();
  state.counters["iterations"] = iterations;
}

// The study as shipped (SOC relaxation, Ipopt).
void BM_Conav(benchmark::State& state) { conav_case(state, {}); }

// LinDistFlow with polygon ratings: the joint model is an LP, solved by Ipopt or by Clp's
// dual simplex after presolve (feeder.solver).
void BM_ConavLinIpopt(benchmark::State& state) { conav_case(state, {"feeder.formulation=lin"}); }
void BM_ConavLinClp(benchmark::State& state) {
  conav_case(state, {"feeder.formulation=lin", "feeder.solver=clp"});
}

// The paper's Table 1 (computation time by case): A the full model (configs/conav.yaml),
// B without the voltage term, C without the traffic term, as shipped (SOC, Ipopt); case D,
// the time to the first feasible point of A, is A's first_feasible_s (Ipopt's first iterate
// within the constraint tolerance).
void BM_ConavPaperCases(benchmark::State& state) {
  static const char* configs[] = {"conav.yaml", "conav_no_voltage.yaml", "conav_no_traffic.yaml"};
  const PreparedStudy p =
      prepare(kinds::load_study(std::string(EVSWEEP_SOURCE_DIR "/configs/") + configs[state.range(0)], {}));
  const Model m = nominal_model(p.options);
  ScenarioResult r;
  for (auto _ : state) r = run_model(p, 0, m);
  if (!r.status.ok()) state.SkipWithError(r.status.message.c_str());
  state.counters["solve_s"] = r.solve_s;
  state.counters["first_feasible_s"] = r.first_feasible_s;
  state.counters["iterations"] = r.iterations;
}

void BM_Reference_DenseLU64(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(bench::reference_dense_lu64());
}

}  // namespace

BENCHMARK(BM_Reference_DenseLU64)->Unit(benchmark::kMicrosecond)->Repetitions(3)->ReportAggregatesOnly(true);
BENCHMARK(BM_Conav)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->Args({1, 2, 70})
    ->Args({1, 4, 70})
    ->Args({1, 6, 70})
    ->Args({1, 6, 20})
    ->Args({3, 2, 70})
    ->Args({3, 4, 70});
// A sweep's scenarios after the first: each LP starts from the nominal scenario's optimal basis
// (PreparedStudy::nominal_basis, solved before the timing); scenarios 1..5, their own initial
// cells, timed per scenario.
void BM_ConavLinClpWarm(benchmark::State& state) {
  const std::vector<std::string> overrides = {
      "feeder.formulation=lin", "feeder.solver=clp", "road.time_unit_min=" + std::to_string(state.range(0)),
      "cells.steps=" + std::to_string(state.range(1)), "vehicles.charging_count=" + std::to_string(state.range(2))};
  const PreparedStudy p = prepare(kinds::load_study(EVSWEEP_SOURCE_DIR "/configs/conav.yaml", overrides));
  const Model m = nominal_model(p.options);
  ScenarioResult r = run_model(p, 1, m);  // solves the nominal basis too
  int iterations = 0, runs = 0;
  for (auto _ : state)
    for (std::uint64_t id = 1; id <= 5; ++id) {
      r = run_model(p, id, m);
      if (!r.status.ok() && r.status.code != StatusCode::infeasible) state.SkipWithError(r.status.message.c_str());
      iterations += r.iterations;
      ++runs;
    }
  state.counters["cells"] = p.cells.num_cells();
  state.counters["iterations"] = static_cast<double>(iterations) / runs;
  state.counters["scenarios"] = runs;
}

BENCHMARK(BM_ConavPaperCases)->Unit(benchmark::kMillisecond)->Iterations(1)->DenseRange(0, 2);
BENCHMARK(BM_ConavLinIpopt)->Unit(benchmark::kMillisecond)->Iterations(1)->Args({1, 10, 70})->Args({3, 20, 70});
// up to the paper's scale: 320 cells x 40 steps of 3 minutes, 70 + 10 dispatched EVs
BENCHMARK(BM_ConavLinClp)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->Args({1, 10, 70})
    ->Args({3, 20, 70})
    ->Args({3, 40, 70});
BENCHMARK(BM_ConavLinClpWarm)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->Args({1, 10, 70})
    ->Args({3, 40, 70})
    ->Args({30, 40, 70});  // 3,146 cells: the nominal basis does not pass the check, every scenario is cold
