// Dispatch: the default 24-period case (SOC, exact, LinDistFlow), a single-period AC OPF on
// case33bw (exact branch flow, no resources: MATPOWER's runopf takes 107 ms under Octave
// here), growth with periods (24, 96) and feeder size; each with the built-in LDL^T and with
// MUMPS (the same run's reference for the linear solver).
//   build/bench/bench_dispatch --benchmark_min_time=0.2
#include <benchmark/benchmark.h>

#include <map>

#include "data/synthetic_feeder.hpp"
#include "grid/dispatch.hpp"
#include "io/matpower.hpp"
#include "reference_kernel.hpp"

using namespace evs;
using namespace evs::grid;

namespace {

const GridNetwork& case33() {
  static const GridNetwork net =
      build_grid_network(read_matpower_case(EVSWEEP_SOURCE_DIR "/data/grid/case33bw.m"));
  return net;
}

// The default study's placement, periods repeating the 24-hour profiles.
DispatchProblem placement(const GridNetwork& net, int periods, Formulation f) {
  static const std::vector<double> load = {0.67, 0.63, 0.60, 0.59, 0.59, 0.60, 0.74, 0.86, 0.95, 0.96, 0.96, 0.95,
                                           0.95, 0.95, 0.93, 0.94, 0.99, 1.00, 1.00, 0.96, 0.91, 0.83, 0.73, 0.63};
  static const std::vector<double> pv = {0, 0, 0, 0, 0, 0, 0.07, 0.20, 0.38, 0.56, 0.71, 0.84,
                                         0.84, 0.71, 0.56, 0.38, 0.20, 0.07, 0, 0, 0, 0, 0, 0};
  static const std::vector<double> tariff = {300, 300, 300, 300, 300, 300, 300, 600, 600, 600, 900, 900,
                                             900, 900, 900, 600, 600, 600, 900, 900, 900, 600, 600, 300};
  DispatchProblem pb;
  pb.net = &net;
  pb.periods = periods;
  pb.dt_h = 24.0 / 24;
  pb.slack_vm_pu = 1.05;
  pb.formulation = f;
  pb.ac_check = false;
  std::vector<double> avail;
  for (int t = 0; t < periods; ++t) {
    pb.load_scale.push_back(load[t % 24]);
    pb.tariff.push_back(tariff[t % 24]);
    avail.push_back(pv[t % 24]);
  }
  const int n = net.num_buses();
  auto bus = [&](int b33) { return 1 + (b33 - 1) * (n - 1) / 32; };  // same relative place on any feeder
  pb.storages.push_back({bus(18), 0.3, 1.2, 0.95, 0.95, 0.2, 0.8, 0.5, true});
  pb.pv.push_back({bus(28), 0.8, avail, 0, 0.33});
  pb.turbines.push_back({bus(33), 0.5, -0.3, 0.3, 0.2, 2.4, 850});
  for (int b : {7, 8, 24, 25}) pb.demand_response.push_back({bus(b), 0.3, 105});
  return pb;
}

// Benchmark argument 0: the linear solver inside Ipopt (0 = built-in ldl, 1 = MUMPS).
NlpOptions solver_options(const benchmark::State& state) {
  NlpOptions o;
  o.linear_solver = state.range(0) == 0 ? LinearSolver::ldl : LinearSolver::mumps;
  return o;
}

void run(benchmark::State& state, const DispatchProblem& pb, evs::StatusCode expected = evs::StatusCode::ok) {
  const NlpOptions options = solver_options(state);
  int iterations = 0;
  for (auto _ : state) {
    auto r = solve_dispatch(pb, options);
    if (r.status.code != expected)
      state.SkipWithError(r.status.ok() ? "expected a failed solve" : r.status.message.c_str());
    iterations = r.iterations;
  }
  state.counters["ipopt_iterations"] = iterations;
  state.SetLabel(state.range(0) == 0 ? "ldl" : "mumps");
}

void BM_Reference_DenseLU64(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(bench::reference_dense_lu64());
}
void BM_Dispatch24_soc(benchmark::State& s) { run(s, placement(case33(), 24, Formulation::soc)); }
void BM_Dispatch24_exact(benchmark::State& s) { run(s, placement(case33(), 24, Formulation::exact)); }
void BM_Dispatch24_lin(benchmark::State& s) { run(s, placement(case33(), 24, Formulation::lin)); }
void BM_Dispatch96_soc(benchmark::State& s) { run(s, placement(case33(), 96, Formulation::soc)); }
// The sweep's typical infeasible scenario: the soft voltage floor (configs/default.yaml's
// voltage_shortfall_cost) with a slack at 1.00 pu that cannot hold 0.95 pu at peak.
void BM_Dispatch24_soc_soft_infeasible(benchmark::State& s) {
  DispatchProblem pb = placement(case33(), 24, Formulation::soc);
  pb.slack_vm_pu = 1.0;
  pb.voltage_shortfall_cost = 1e6;
  run(s, pb, evs::StatusCode::infeasible);
}
// Argument 1: 0 = flat start (MATPOWER's runopf starts flat), 1 = from the SOC optimum.
void BM_AcOpf_case33bw(benchmark::State& s) {
  DispatchProblem pb;
  pb.net = &case33();
  pb.periods = 1;
  pb.load_scale = {1.0};
  pb.tariff = {20};  // MATPOWER's cost: 20 per MWh
  pb.vmin_pu = 0.9;
  pb.vmax_pu = 1.1;
  pb.formulation = Formulation::exact;
  pb.exact_from_relaxation = s.range(1) == 1;
  pb.ac_check = false;
  run(s, pb);
}
void BM_Dispatch24_soc_synthetic(benchmark::State& s) {
  static std::map<int, GridNetwork> nets;
  const int n = static_cast<int>(s.range(1));
  if (!nets.count(n)) nets[n] = build_grid_network(make_synthetic_feeder(n));
  DispatchProblem pb = placement(nets[n], 24, Formulation::soc);
  pb.vmin_pu = 0.85;  // synthetic feeders sit near 0.9 pu at peak (make_synthetic_feeder)
  pb.vmax_pu = 1.1;   // and the scaled-down loads let the PV push voltages up
  run(s, pb);
}

}  // namespace

// Medians of 5 repetitions (the issue asks for median solve times).
#define EVS_DISPATCH_BENCH(name) BENCHMARK(name)->Unit(benchmark::kMillisecond)->Repetitions(5)->ReportAggregatesOnly(true)
BENCHMARK(BM_Reference_DenseLU64)->Unit(benchmark::kMicrosecond)->Repetitions(5)->ReportAggregatesOnly(true);
EVS_DISPATCH_BENCH(BM_AcOpf_case33bw)->Args({0, 0})->Args({0, 1})->Args({1, 0});
EVS_DISPATCH_BENCH(BM_Dispatch24_soc)->Arg(0)->Arg(1);
EVS_DISPATCH_BENCH(BM_Dispatch24_exact)->Arg(0)->Arg(1);
EVS_DISPATCH_BENCH(BM_Dispatch24_lin)->Arg(0)->Arg(1);
EVS_DISPATCH_BENCH(BM_Dispatch24_soc_soft_infeasible)->Arg(0)->Arg(1);
EVS_DISPATCH_BENCH(BM_Dispatch96_soc)->Arg(0);
EVS_DISPATCH_BENCH(BM_Dispatch24_soc_synthetic)->Args({0, 300})->Args({1, 300})->Args({0, 1000})->Args({0, 3000});
