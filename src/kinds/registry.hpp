#pragma once
// The study kinds evsweep knows, by name, and reading a study of any kind. Adding a kind
// is one line in registry.cpp (plus the kind's own folder, tests, configs and docs).
#include <memory>
#include <string>
#include <vector>

#include "config/study.hpp"
#include "kinds/kind.hpp"

namespace evs::kinds {

// The kind of a study without study.kind (paper 001's coupled pipeline).
inline const std::string kDefaultKind = "sue_dispatch";

const std::vector<const StudyKind*>& all_kinds();
std::vector<std::string> kind_names();
const StudyKind* find_kind(const std::string& name);  // nullptr when unknown

// A study of any kind, read and prepared once per process.
struct PreparedStudy {
  config::Study study;
  const StudyKind* kind = nullptr;
  std::shared_ptr<const PreparedData> data;
};

// Reads a study file: finds its kind (study.kind), then reads it with that kind's
// definition. overrides: "dotted.key=value" (--set). Throws config::ConfigError.
config::Study load_study(const std::string& path, const std::vector<std::string>& overrides = {});
// The same from a YAML text (tests, tools); base_dir resolves relative paths.
config::Study parse_study(const std::string& yaml_text, const std::string& source_name, const std::string& base_dir,
                          const std::vector<std::string>& overrides = {});
const StudyKind& kind_of(const config::Study& study);

// Reads the files the study names (the kind's prepare). Throws config::ConfigError.
PreparedStudy prepare_study(const config::Study& study);

}  // namespace evs::kinds
