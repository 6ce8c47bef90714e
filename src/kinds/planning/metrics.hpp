#pragma once
// The planning metrics, timings and series, declared once (results file, --json, docs).
#include <string>
#include <vector>

#include "core/columns.hpp"
#include "kinds/planning/scenario.hpp"

namespace evs::kinds::planning {

struct Metric {
  std::string name, unit, meaning;
  double (*get)(const ScenarioResult&);
};

const std::vector<Metric>& scenario_metrics();
const std::vector<Metric>& scenario_timings();
const std::vector<SeriesInfo>& scenario_series();

}  // namespace evs::kinds::planning
