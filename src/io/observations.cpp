#include "io/observations.hpp"

#include <cmath>

#include "core/error.hpp"
#include "core/text.hpp"

namespace evs {

namespace {

std::string column_label(const std::string& name, int index) {
  return name + " (column " + std::to_string(index + 1) + ")";
}

}  // namespace

std::vector<ObservationRecord> parse_link_observations(const std::string& text, const std::string& file) {
  std::vector<ObservationRecord> out;
  int col_period = -1, col_from = -1, col_to = -1, col_count = -1, col_speed = -1;
  size_t width = 0;
  bool header = false;
  int line = 0;
  size_t start = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;  // byte-order mark
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    ++line;
    const auto row = trim(std::string_view(text).substr(start, end - start));
    start = end + 1;
    if (row.empty() || row.front() == '#') continue;
    const auto cells = split_csv_row(row);
    if (!header) {
      header = true;
      width = cells.size();
      for (size_t c = 0; c < cells.size(); ++c) {
        const std::string name = to_lower(cells[c]);
        int* slot = name == "period"      ? &col_period
                    : name == "init_node" ? &col_from
                    : name == "term_node" ? &col_to
                    : name == "count"     ? &col_count
                    : name == "speed_kmh" ? &col_speed
                                          : nullptr;
        if (slot) {
          if (*slot >= 0) throw InputError({file, line, column_label(name, static_cast<int>(c))}, "column named twice");
          *slot = static_cast<int>(c);
        }
      }
      std::string missing;
      if (col_period < 0) missing += " period";
      if (col_from < 0) missing += " init_node";
      if (col_to < 0) missing += " term_node";
      if (col_count < 0 && col_speed < 0) missing += " count|speed_kmh";
      if (!missing.empty())
        throw InputError({file, line, "header"}, "missing column(s):" + missing +
                                                     " (expected period,init_node,term_node,count or speed_kmh)");
      continue;
    }
    if (cells.size() != width)
      throw InputError({file, line, ""}, "row has " + std::to_string(cells.size()) + " cells, the header " +
                                             std::to_string(width));
    auto integer = [&](int col, const char* name) {
      const auto v = parse_integer(cells[col]);
      if (!v) throw InputError({file, line, column_label(name, col)}, "'" + std::string(cells[col]) + "' is not an integer");
      return static_cast<int>(*v);
    };
    ObservationRecord r;
    r.line = line;
    r.period = integer(col_period, "period");
    r.from_node = integer(col_from, "init_node");
    r.to_node = integer(col_to, "term_node");
    const bool has_count = col_count >= 0 && !cells[col_count].empty();
    const bool has_speed = col_speed >= 0 && !cells[col_speed].empty();
    if (has_count == has_speed)
      throw InputError({file, line, ""}, has_count ? "both count and speed_kmh given: one observation per row"
                                                   : "neither count nor speed_kmh given");
    const int col = has_count ? col_count : col_speed;
    const auto v = parse_double(cells[col]);
    if (!v || std::isnan(*v))
      throw InputError({file, line, column_label(has_count ? "count" : "speed_kmh", col)},
                       "'" + std::string(cells[col]) + "' is not a number");
    r.is_speed = has_speed;
    r.value = *v;
    r.column = col + 1;
    out.push_back(r);
  }
  if (!header) throw InputError({file, 0, ""}, "empty observations file (no header)");
  return out;
}

std::vector<ObservationRecord> read_link_observations(const std::string& path) {
  return parse_link_observations(read_file_text(path), path);
}

}  // namespace evs
