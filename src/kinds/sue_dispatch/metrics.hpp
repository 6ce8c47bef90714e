#pragma once
// The sue_dispatch metrics, declared once: name, unit, meaning and how to read each from a
// ScenarioResult. The results file, `evsweep solve --json`, `evsweep metrics` and
// docs/results-schema.md all follow this table; a new stage adds its metrics here.
#include <string>
#include <vector>

#include "core/columns.hpp"

#include "kinds/sue_dispatch/scenario.hpp"
#include "kinds/typed.hpp"

namespace evs::kinds::sue_dispatch {

using Metric = TypedMetric<ScenarioResult>;

const std::vector<Metric>& scenario_metrics();

// Per-scenario timings (seconds): kept apart from the metrics because they depend on
// the machine and the load, not only on the scenario.
const std::vector<Metric>& scenario_timings();

// The series a study may keep (output.series), in the order of ScenarioResult's fields.
const std::vector<SeriesInfo>& scenario_series();

}  // namespace evs::kinds::sue_dispatch
