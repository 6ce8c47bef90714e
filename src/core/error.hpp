#pragma once
// Errors in user input. Every one names where the problem is: the file, the line
// (1-based, 0 when unknown) and the field or key, so the message can be acted on.
#include <stdexcept>
#include <string>

namespace evs {

struct SourceLocation {
  std::string file;   // path as the user gave it
  int line = 0;       // 1-based; 0 = whole file
  std::string field;  // column name, YAML key or record kind; may be empty
};

std::string format_location(const SourceLocation& where);  // "file:line: field"

class InputError : public std::runtime_error {
 public:
  InputError(SourceLocation where, const std::string& what);
  const SourceLocation& where() const { return where_; }
  const std::string& reason() const { return reason_; }

 private:
  SourceLocation where_;
  std::string reason_;
};

}  // namespace evs
