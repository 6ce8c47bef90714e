#pragma once
// Parts of the option schema that do not depend on yaml-cpp (safe to include anywhere).
#include <string>
#include <vector>

namespace evs::config {

// One declared option, as shown by `evsweep options` and docs/config-reference.md.
struct OptionDoc {
  std::string key;           // dotted path; list items as "stations[].bus"
  std::string kind;          // number, integer, boolean, string, path, choice, numbers, section, list
  std::string meaning;
  std::string unit;          // "" when dimensionless or not applicable
  std::string default_text;  // "(required)" when there is no default
  std::string bounds;        // "[lo, hi]", or the choices "a | b"
};

std::string format_reference_text(const std::vector<OptionDoc>& docs);
std::string format_reference_markdown(const std::vector<OptionDoc>& docs);

}  // namespace evs::config
