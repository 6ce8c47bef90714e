#pragma once
// The study's results file (results.h5): provenance, the design, and per scenario its
// status, attempts, metrics, timings and optional series. Written first with the design
// only (state "planned", before any solve), rewritten complete by the merge. Every write
// goes to a temporary file renamed into place, so the file on disk is always whole.
// Layout: docs/results-schema.md (schema_version below).
#include <optional>
#include <string>
#include <vector>

#include "plan/design.hpp"
#include "results/record.hpp"

namespace evs::results {

// 2: the study kind and its metrics, timings, series and dimensions are recorded in the
// file (/layout); 1 (evsweep before study kinds) had sue_dispatch's fixed layout.
constexpr int kSchemaVersion = 2;

struct Provenance {
  std::string study_name, description;
  std::string config_file, config_text, config_hash;
  std::string evsweep_version, git_sha;
  std::string created_utc;  // when the plan was made
  std::vector<std::string> stages;
  int max_attempts = 1;
  // What the kind made of the study's inputs at plan time (its describe_study text, e.g. a
  // trip table estimated from link counts): dataset /prepared_inputs, empty when absent.
  std::string prepared_inputs;
};

struct ResultsContent {
  plan::Design design;
  Provenance provenance;
  RowLayout layout;  // the kind's columns, kept series and dimensions
  // [design row] the final attempt of each scenario; nullopt = not solved (yet).
  // Empty vector: a plan without results.
  std::vector<std::optional<ScenarioRecord>> records;
};

void write_results(const std::string& path, const ResultsContent& content);

// Reads back the design, provenance and layout (not the scenarios): what a resumed run,
// a part job or the merge needs. Throws std::runtime_error naming the file.
ResultsContent read_plan(const std::string& path);

// "2026-11-21T10:00:00Z"
std::string utc_now();

}  // namespace evs::results
