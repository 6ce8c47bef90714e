#pragma once
// The planning metrics, timings and series, declared once (results file, --json, docs).
#include <string>
#include <vector>

#include "core/columns.hpp"
#include "kinds/planning/scenario.hpp"
#include "kinds/typed.hpp"

namespace evs::kinds::planning {

using Metric = TypedMetric<ScenarioResult>;

const std::vector<Metric>& scenario_metrics();
const std::vector<Metric>& scenario_timings();
const std::vector<SeriesInfo>& scenario_series();

}  // namespace evs::kinds::planning
