#include "results/record.hpp"

#include <cmath>

#include "pipeline/metrics.hpp"

namespace evs::results {

ScenarioRecord make_record(const pipeline::ScenarioResult& r, int attempt, int rank, const SeriesShape& shape) {
  ScenarioRecord rec;
  rec.id = r.scenario_id;
  rec.attempt = attempt;
  rec.status = static_cast<int>(r.status.code);
  rec.rank = rank;
  rec.stage = r.failed_stage;
  rec.message = r.status.message;
  rec.solver_status = r.solver_status;
  for (const auto& m : pipeline::scenario_metrics()) rec.metrics.push_back(m.get(r));
  for (const auto& m : pipeline::scenario_timings()) rec.timings.push_back(m.get(r));
  const int T = shape.periods;
  rec.head_mw.assign(shape.head_size(), NAN);
  rec.station_mw.assign(shape.station_size(), NAN);
  rec.vm_pu.assign(shape.voltage_size(), NAN);
  if (shape.head && static_cast<int>(r.head_mw.size()) == T) rec.head_mw = r.head_mw;
  if (shape.station && static_cast<int>(r.station_mw.size()) == shape.stations)
    for (int k = 0; k < shape.stations; ++k)
      for (int t = 0; t < T && t < static_cast<int>(r.station_mw[k].size()); ++t)
        rec.station_mw[static_cast<std::size_t>(k) * T + t] = r.station_mw[k][t];
  if (shape.voltage && static_cast<int>(r.vm_pu.size()) == T)
    for (int t = 0; t < T; ++t)
      for (int i = 0; i < shape.buses && i < static_cast<int>(r.vm_pu[t].size()); ++i)
        rec.vm_pu[static_cast<std::size_t>(t) * shape.buses + i] = r.vm_pu[t][i];
  return rec;
}

bool retryable(int status) {
  switch (static_cast<StatusCode>(status)) {
    case StatusCode::timeout:
    case StatusCode::numerical_error:
    case StatusCode::not_converged:
    case StatusCode::internal_error:
      return true;
    default:
      return false;
  }
}

}  // namespace evs::results
