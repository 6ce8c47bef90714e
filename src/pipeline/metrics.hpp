#pragma once
// The per-scenario metrics, declared once: name, unit, meaning and how to read each from a
// ScenarioResult. The results file, `evsweep dispatch --json` and docs/metrics.md all
// follow this table; a new stage adds its metrics here.
#include <string>
#include <vector>

#include "pipeline/scenario.hpp"

namespace evs::pipeline {

struct MetricInfo {
  std::string name;
  std::string unit;
  std::string meaning;
  double (*get)(const ScenarioResult&);
};

const std::vector<MetricInfo>& scenario_metrics();

// Per-scenario timings (seconds): kept apart from the metrics because they depend on
// the machine and the load, not only on the scenario.
const std::vector<MetricInfo>& scenario_timings();

}  // namespace evs::pipeline
