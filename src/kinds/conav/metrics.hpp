#pragma once
// The conav metrics, timings and series, declared once (see sue_dispatch/metrics.hpp).
#include <string>
#include <vector>

#include "core/columns.hpp"
#include "kinds/conav/scenario.hpp"
#include "kinds/typed.hpp"

namespace evs::kinds::conav {

using Metric = TypedMetric<ScenarioResult>;

const std::vector<Metric>& scenario_metrics();
const std::vector<Metric>& scenario_timings();
const std::vector<SeriesInfo>& scenario_series();

}  // namespace evs::kinds::conav
