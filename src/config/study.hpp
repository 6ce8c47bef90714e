#pragma once
// A study: one YAML file read into typed structs. The sections every kind shares (study,
// solver, sweep, output) are here; the kind's own sections (grid, traffic, ...) live in
// the kind's options struct, reached through Study::options<T>(). Every option is declared
// once (config/sections.cpp, config/study.cpp, each kind's options.cpp): name, meaning,
// unit, default, bounds; see docs/config-reference.md.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <typeinfo>
#include <vector>

#include "config/schema_types.hpp"

namespace evs::config {

struct StudyInfo {
  std::string name;
  std::string description;
  std::string kind;                 // study kind (kinds/registry); "" is read as sue_dispatch
  std::vector<std::string> stages;  // stages run per scenario (the kind's list)
};

struct SolverOptions {
  std::string pf_method;
  double pf_tolerance_pu = 0;
  int pf_max_iterations = 0;
  std::string log_level;
};

struct SweepParameter {
  std::string name;
  std::string distribution;
  std::optional<double> low, high, mean, sd;
  std::vector<double> values;
};

struct SweepOptions {
  std::string design;
  int scenarios = 0;
  std::int64_t seed = 0;
  int morris_levels = 0;
  int replicates = 1;     // independent random draws per design point
  std::vector<SweepParameter> parameters;
  double timeout_s = 0;   // per scenario attempt, wall clock
  int max_attempts = 0;   // retry cap for failures that may pass on retry
  int chunk = 0;          // scenarios handed out per request
};

struct OutputOptions {
  std::string directory;              // results directory ("" = results/<study.name>)
  std::vector<std::string> series;    // per-scenario series kept (names of the kind's series)
  double flush_interval_s = 0;        // finished rows reach disk at least this often
  double progress_interval_s = 0;     // plain progress lines in batch logs
};

// Base of a kind's own option sections (e.g. kinds::sue_dispatch::Options).
struct KindOptions {
  virtual ~KindOptions() = default;
};

struct Study {
  StudyInfo study;
  SolverOptions solver;
  SweepOptions sweep;
  OutputOptions output;
  std::shared_ptr<KindOptions> kind_options;  // the kind's sections, made by its definition

  std::string source_file;  // the YAML file
  std::string source_text;  // its text, for provenance
  std::map<std::string, int> key_lines;  // dotted key -> line in the YAML file

  // The kind's sections; throws std::bad_cast when the study is of another kind.
  template <class T>
  const T& options() const {
    const T* p = dynamic_cast<const T*>(kind_options.get());
    if (!p) throw std::bad_cast();
    return *p;
  }
  template <class T>
  T& options() {
    T* p = dynamic_cast<T*>(kind_options.get());
    if (!p) throw std::bad_cast();
    return *p;
  }
};

// All problems found in a study file, one per line ("file:line: key: message").
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::vector<std::string> errors);
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::vector<std::string> errors_;
};

// A model quantity a kind lets a sweep vary (declared by the kind).
struct ParameterInfo {
  std::string name;
  std::string unit;
  std::string meaning;
  double lower = 0, upper = 0;  // values outside [lower, upper] are refused when the study is read
};

// Reports a problem with a key after parsing: "file:line: key: message", with the key's
// recorded line (or its parent's).
std::string located_error(const Study& study, const std::string& key, const std::string& message);

// "study.kind" of a YAML text and its line (nullopt when absent or unreadable).
struct KindMention {
  std::string kind;
  int line = 0;
};
std::optional<KindMention> find_kind(const std::string& yaml_text);

}  // namespace evs::config
