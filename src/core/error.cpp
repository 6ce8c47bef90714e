#include "core/error.hpp"

namespace evs {

std::string format_location(const SourceLocation& where) {
  std::string out = where.file.empty() ? std::string("<input>") : where.file;
  if (where.line > 0) out += ":" + std::to_string(where.line);
  if (!where.field.empty()) out += ": " + where.field;
  return out;
}

InputError::InputError(SourceLocation where, const std::string& what)
    : std::runtime_error(format_location(where) + ": " + what), where_(std::move(where)), reason_(what) {}

}  // namespace evs
