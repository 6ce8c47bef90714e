#include "kinds/registry.hpp"

#include <cmath>

#include "config/study_definition.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "kinds/conav/kind.hpp"
#include "kinds/planning/kind.hpp"
#include "kinds/stackelberg/kind.hpp"
#include "kinds/sue_dispatch/kind.hpp"

namespace evs::kinds {

const std::vector<const StudyKind*>& all_kinds() {
  static const std::vector<const StudyKind*> kinds = {
      &sue_dispatch::kind(),
      &conav::kind(),
      &planning::kind(),
      &stackelberg::kind(),
  };
  return kinds;
}

std::vector<std::string> kind_names() {
  std::vector<std::string> names;
  for (const auto* k : all_kinds()) names.push_back(k->name());
  return names;
}

const StudyKind* find_kind(const std::string& name) {
  for (const auto* k : all_kinds())
    if (k->name() == name) return k;
  return nullptr;
}

const StudyKind& kind_of(const config::Study& study) {
  const StudyKind* k = find_kind(study.study.kind.empty() ? kDefaultKind : study.study.kind);
  if (!k) throw config::ConfigError({located_error(study, "study.kind", "unknown kind '" + study.study.kind + "'")});
  return *k;
}

namespace {

// The kind a study text names (study.kind), or the default kind.
const StudyKind& kind_in(const std::string& text, const std::string& source_name) {
  std::string name = kDefaultKind;
  if (auto mention = config::find_kind(text)) {
    if (!find_kind(mention->kind)) {
      std::string all;
      for (const auto& n : kind_names()) all += (all.empty() ? "" : " | ") + n;
      const std::string where = source_name + (mention->line > 0 ? ":" + std::to_string(mention->line) : "");
      throw config::ConfigError({where + ": study.kind: '" + mention->kind + "' is not one of " + all +
                                 config::detail::suggestion(mention->kind, kind_names())});
    }
    name = mention->kind;
  }
  return *find_kind(name);
}

}  // namespace

config::Study load_study(const std::string& path, const std::vector<std::string>& overrides) {
  std::string text;
  try {
    text = read_file_text(path);
  } catch (const InputError& e) {
    throw config::ConfigError({e.what()});
  }
  return config::load_study(path, kind_in(text, path).definition(), overrides);
}

config::Study parse_study(const std::string& text, const std::string& source_name, const std::string& base_dir,
                          const std::vector<std::string>& overrides) {
  return config::parse_study(text, source_name, base_dir, kind_in(text, source_name).definition(), overrides);
}

PreparedStudy prepare_study(const config::Study& study) {
  PreparedStudy p;
  p.study = study;
  p.kind = &kind_of(study);
  p.data = p.kind->prepare(study);
  return p;
}

double metric_value(const StudyKind& kind, const Outcome& outcome, const std::string& name) {
  const auto& m = kind.metrics();
  for (std::size_t i = 0; i < m.size() && i < outcome.metrics.size(); ++i)
    if (m[i].name == name) return outcome.metrics[i];
  const auto& t = kind.timings();
  for (std::size_t i = 0; i < t.size() && i < outcome.timings.size(); ++i)
    if (t[i].name == name) return outcome.timings[i];
  return NAN;
}

}  // namespace evs::kinds
