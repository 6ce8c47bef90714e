#pragma once
// A study kind: one model that the shared sweep engine runs per scenario (DESIGN.md,
// "Study kinds"). A kind declares, each in one place, its YAML sections and the model
// fields a sweep may vary (its StudyDefinition), its prepared read-once data, its pure
// per-scenario function, and its metrics and series. The driver, planner, results files
// and CLI know kinds only through this interface; kinds/registry.cpp lists them.
// A kind never includes mpi.h or HDF5 and never throws out of solve().
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "config/study.hpp"
#include "core/columns.hpp"
#include "core/status.hpp"

namespace evs::config {
struct StudyDefinition;
}

namespace evs::kinds {

// A kind's read-once data (files read, networks built); derived per kind.
struct PreparedData {
  virtual ~PreparedData() = default;
};

// One scenario: its id, the key of its random draws and the values of the sweep's
// parameters (names of the kind's parameters; absent ones keep the study's nominal values).
struct Scenario {
  std::uint64_t id = 0;  // 0 = the base case
  // Every random draw of the scenario comes from (study seed, draw_key, stream). The design
  // gives rows that a sensitivity estimator compares the same key (common random numbers:
  // plan::Design::draw_keys), so they differ only by their parameters.
  std::uint64_t draw_key = 0;
  std::vector<std::pair<std::string, double>> values;
};

struct RunOptions {
  std::vector<std::string> keep_series;  // names of the kind's series to fill
  int attempt = 1;                       // > 1: the solvers' robust settings (a retry)
  double time_limit_s = 0;               // wall clock for the whole scenario; 0 = none
};

// A value the single-scenario command prints besides the metrics (e.g. the linear solver).
struct ExtraField {
  std::string name;
  std::variant<double, long long, std::string> value;
};

// What a kind's solve() returns: status and the kind's declared outputs.
struct Outcome {
  std::uint64_t scenario_id = 0;
  Status status;
  std::string failed_stage;   // "" when ok
  std::string solver_status;  // the last solver's own status text
  std::vector<double> metrics;              // [metric] in the kind's metrics() order; NaN = not produced
  std::vector<double> timings;              // [timing] in timings() order, seconds
  std::vector<std::vector<double>> series;  // [series] in series() order, row-major; empty = not kept
  std::vector<ExtraField> extras;
};

class StudyKind {
 public:
  virtual ~StudyKind() = default;
  virtual const std::string& name() const = 0;
  virtual std::string summary() const = 0;  // one line for `evsweep kinds` and --help

  // Reading the study file: sections, parameters, cross-field checks.
  virtual const config::StudyDefinition& definition() const = 0;

  // Reads and checks every file the study names; throws config::ConfigError naming keys.
  virtual std::shared_ptr<const PreparedData> prepare(const config::Study& study) const = 0;
  // One line describing a prepared study (`evsweep validate`).
  virtual std::string describe_study(const config::Study& study, const PreparedData& data) const = 0;

  virtual const std::vector<MetricInfo>& metrics() const = 0;
  virtual const std::vector<MetricInfo>& timings() const = 0;
  virtual const std::vector<SeriesInfo>& series() const = 0;
  // Sizes and labels of the dimensions the series use.
  virtual std::vector<Dimension> dimensions(const config::Study& study, const PreparedData& data) const = 0;

  // The pure per-scenario function: no MPI, no file I/O, randomness only from (study
  // seed, scenario.draw_key, stream); never throws (a failure is the outcome's status).
  virtual Outcome solve(const config::Study& study, const PreparedData& data, const Scenario& scenario,
                        const RunOptions& options) const noexcept = 0;

  // Text report of one outcome for the single-scenario command.
  virtual std::string describe_outcome(const Outcome& outcome) const = 0;
};

// The value of metric `name` in an outcome of `kind` (NaN when it has no such metric).
double metric_value(const StudyKind& kind, const Outcome& outcome, const std::string& name);

}  // namespace evs::kinds
