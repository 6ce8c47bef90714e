#pragma once
// Reader for MATPOWER case files (format version 2). See docs/input-formats.md for the
// MATLAB constructs it understands. Throws InputError naming file, line and field.
#include <string>

#include "data/grid_case.hpp"

namespace evs {

GridCase read_matpower_case(const std::string& path);
// Same, from text already in memory; `source_name` is used in error messages.
GridCase parse_matpower_case(const std::string& text, const std::string& source_name);

}  // namespace evs
