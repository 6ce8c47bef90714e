#pragma once
// Reader of link observations for OD estimation (docs/input-formats.md "Link observations"):
// a CSV with a header naming the columns period, init_node, term_node and count and/or
// speed_kmh (any order, other columns ignored); one observation per row, the other value
// column empty. '#' starts a comment line. Throws InputError naming file, line and column.
#include <string>
#include <vector>

#include "data/link_observations.hpp"

namespace evs {

std::vector<ObservationRecord> read_link_observations(const std::string& path);
std::vector<ObservationRecord> parse_link_observations(const std::string& text, const std::string& source);

}  // namespace evs
