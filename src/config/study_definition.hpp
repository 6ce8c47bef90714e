#pragma once
// How a study of one kind is read: the kind's sections embedded in the shared root schema
// (study, solver, sweep, output), the parameters a sweep may vary, and the kind's
// cross-field checks. A kind builds one StudyDefinition with study_definition<K>(); the
// kinds registry passes it to parse_study. Uses the declarative Schema (yaml-cpp inside).
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "config/schema.hpp"
#include "config/study.hpp"

namespace evs::config {

// What the shared sections need to know of a kind.
struct KindSpec {
  std::string name;                        // study.kind
  std::vector<std::string> known_kinds;    // every registered kind (choices of study.kind)
  std::vector<std::string> stages;         // choices of study.stages (may be empty: no stages)
  std::vector<std::string> series;         // choices of output.series
};

Schema<StudyInfo> study_info_schema(const KindSpec& spec);
Schema<SolverOptions> solver_schema();
Schema<SweepOptions> sweep_schema();
Schema<OutputOptions> output_schema(const std::vector<std::string>& series);

struct StudyDefinition {
  std::string kind;
  Schema<Study> schema;  // the whole file: shared sections + the kind's
  std::vector<ParameterInfo> parameters;
  std::function<std::shared_ptr<KindOptions>()> make_options;
  // Cross-field checks of the kind's sections (after every key parsed); report with
  // ctx.error_key(key, message).
  std::function<void(const Study&, ParseContext&)> check;
};

// The root schema of kind K: study, then K's sections (in the order Schema<K> declares
// them), then solver, sweep and output.
template <class K>
StudyDefinition study_definition(const KindSpec& spec, const Schema<K>& sections,
                                 std::vector<ParameterInfo> parameters,
                                 std::function<void(const Study&, ParseContext&)> check = {}) {
  static_assert(std::is_base_of_v<KindOptions, K>, "a kind's options derive from config::KindOptions");
  StudyDefinition d;
  d.kind = spec.name;
  d.schema.section("study", &Study::study, study_info_schema(spec), "Identification of the study and its kind")
      .embed(sections, [](Study& s) -> K& { return static_cast<K&>(*s.kind_options); })
      .section("solver", &Study::solver, solver_schema(), "Numerical options")
      .section("sweep", &Study::sweep, sweep_schema(), "Scenario design and scheduling")
      .section("output", &Study::output, output_schema(spec.series), "Results file");
  d.parameters = std::move(parameters);
  d.make_options = [] { return std::make_shared<K>(); };
  d.check = std::move(check);
  return d;
}

// Reads, validates (types, bounds, files, the kind's checks, sweep parameters against the
// kind's list and bounds) and resolves paths. overrides: "dotted.key=value" applied to the
// YAML before reading (the single-scenario command's --set). Throws ConfigError listing
// every problem.
Study parse_study(const std::string& yaml_text, const std::string& source_name, const std::string& base_dir,
                  const StudyDefinition& definition, const std::vector<std::string>& overrides = {});
Study load_study(const std::string& path, const StudyDefinition& definition,
                 const std::vector<std::string>& overrides = {});

// Every option of a definition, for `evsweep options` and docs/config-reference.md.
std::vector<OptionDoc> option_reference(const StudyDefinition& definition);

}  // namespace evs::config
