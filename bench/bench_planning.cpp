// planning (paper 002): time per scenario of the deterministic V2G Pareto front
// (pareto.hpp) against the paper's particle swarm (mopso.hpp, 60 particles x 300
// iterations) on configs/planning.yaml (96 periods, IEEE 34), with both hypervolumes in the
// front's normalisation and reference point, and the same run's dense-LU reference kernel for
// ratios (BENCHMARKS.md). Vehicles scale the paper case's areas (2,000 vehicles = x1; make_case).
//   build/bench/bench_planning                      (front and swarm, 1,000 and 2,000 vehicles)
//   build/bench/bench_planning --benchmark_filter=BM_PlanningFront/   (front only, up to 10,000 vehicles)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/timer.hpp"
#include "kinds/planning/fleet.hpp"
#include "kinds/planning/mopso.hpp"
#include "kinds/planning/pareto.hpp"
#include "kinds/planning/prepared.hpp"
#include "kinds/planning/scenario.hpp"
#include "kinds/registry.hpp"
#include "reference_kernel.hpp"

using namespace evs;
using namespace evs::kinds::planning;

namespace {

struct Case {
  PreparedStudy ps;
  FleetProblem front_problem;  // the V2G cohorts
  Point disordered{};          // objectives of the disordered schedule (payoff scales)
  int vehicles = 0;
};

// The paper case with every area scaled by s = vehicles / 2,000 (its fleet, households and
// base load) and its feeder share divided by s: the feeder carries the same load as in the
// paper case, the optimisation has s times the vehicles (more cohorts).
Case make_case(int vehicles) {
  Case c;
  c.ps = prepare(kinds::load_study(EVSWEEP_SOURCE_DIR "/configs/planning.yaml"));
  Options& o = c.ps.options;
  const double s = vehicles / 2000.0;
  for (auto& a : o.areas)
    a.cars *= s, a.piles *= s, a.households *= s, a.base_peak_kw *= s, a.feeder_scale /= s;
  std::vector<AreaPlan> plans;
  std::vector<double> pile;
  for (const auto& a : o.areas) plans.push_back(plan_area(a, o.fleet.charge_efficiency, o.planning.unit_kva)), pile.push_back(a.pile_kw);
  const auto fleet = draw_fleet(o, plans, c.ps.seed, 1);
  c.vehicles = static_cast<int>(fleet.size());
  FleetProblem p = base_problem(c.ps, o, plans);
  FleetProblem pd = p;
  const auto dis = disordered_charging(fleet, pile, static_cast<int>(o.areas.size()), fleet_params(o));
  for (size_t a = 0; a < o.areas.size(); ++a)
    for (int t = 0; t < o.planning.periods; ++t) pd.fixed_kw[a][t] += dis.p_kw[a][t];
  c.disordered = solve_fleet(pd, {}, {}).f;
  std::vector<double> unreachable;
  p.cohorts = make_cohorts(fleet, pile, o.fleet.cohort_bin_periods, fleet_params(o), unreachable);
  c.front_problem = p;
  return c;
}

// Arguments: vehicles, divisions G (4 + G (G + 2) subproblems), affine voltages (1) or the
// network in every subproblem (0, as before the affine voltages).
void BM_PlanningFront(benchmark::State& state) {
  Case c = make_case(static_cast<int>(state.range(0)));
  c.front_problem.affine_voltages = state.range(2) != 0;
  ParetoFront f;
  for (auto _ : state) f = pareto_front(c.front_problem, static_cast<int>(state.range(1)), c.ps.options.pareto.augmentation, {}, c.disordered);
  state.counters["vehicles"] = c.vehicles;
  state.counters["cohorts"] = static_cast<double>(c.front_problem.cohorts.size());
  state.counters["subproblems"] = f.subproblems;
  state.counters["failed"] = f.failed;
  state.counters["points"] = static_cast<double>(f.f.size());
  state.counters["hv"] = f.hypervolume;
}

// Arguments: vehicles, divisions. The front and the swarm on the same scenario, each timed
// once (wall clock), hypervolumes in the front's normalisation.
void BM_PlanningFrontVsMopso(benchmark::State& state) {
  const Case c = make_case(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    Stopwatch t0;
    const ParetoFront f = pareto_front(c.front_problem, static_cast<int>(state.range(1)), c.ps.options.pareto.augmentation, {}, c.disordered);
    const double front_s = t0.seconds();
    MopsoOptions mo;
    mo.seed = c.ps.seed;
    mo.scenario_id = 1;
    Stopwatch t1;
    const MopsoResult m = mopso(c.front_problem, mo, {});
    const double mopso_s = t1.seconds();
    std::vector<Point> norm;
    Point best{INFINITY, INFINITY, INFINITY};  // the swarm's lowest normalised value of each objective
    for (const auto& p : m.f) {
      norm.push_back(normalise(p, f.utopia, f.nadir));
      for (int i = 0; i < 3; ++i) best[i] = std::min(best[i], norm.back()[i]);
    }
    state.counters["mopso_least_overload_mw"] = m.least_violation.overload_mw;
    state.counters["mopso_least_vviol_pu"] = m.least_violation.voltage_violation_pu;
    double front_overload = 0;  // largest over the front's points
    for (const auto& sol : f.sol) front_overload = std::max(front_overload, sol.overload_mw);
    state.counters["front_max_overload_mw"] = front_overload;
    state.counters["mopso_min_f1n"] = best[0];
    state.counters["mopso_min_f2n"] = best[1];
    state.counters["mopso_min_f3n"] = best[2];
    state.counters["front_s"] = front_s;
    state.counters["mopso_s"] = mopso_s;
    state.counters["hv_front"] = f.hypervolume;
    state.counters["hv_mopso"] = hypervolume(norm) / (1.1 * 1.1 * 1.1);
    state.counters["points_front"] = static_cast<double>(f.f.size());
    state.counters["points_mopso"] = static_cast<double>(m.f.size());
    state.counters["mopso_feasible_share"] = m.evaluations ? static_cast<double>(m.feasible_evaluations) / m.evaluations : 0;
  }
  state.counters["vehicles"] = c.vehicles;
  state.counters["cohorts"] = static_cast<double>(c.front_problem.cohorts.size());
}

void BM_Reference_DenseLU64(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(bench::reference_dense_lu64());
}

}  // namespace

BENCHMARK(BM_Reference_DenseLU64)->Unit(benchmark::kMicrosecond)->Repetitions(3)->ReportAggregatesOnly(true);
BENCHMARK(BM_PlanningFrontVsMopso)->Unit(benchmark::kSecond)->Iterations(1)->Args({1000, 4})->Args({2000, 4});
BENCHMARK(BM_PlanningFront)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->Args({1000, 4, 0})
    ->Args({1000, 4, 1})
    ->Args({2000, 4, 1})
    ->Args({5000, 4, 1})
    ->Args({10000, 4, 1});
