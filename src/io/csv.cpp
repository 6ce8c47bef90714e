#include "io/csv.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/text.hpp"

namespace evs {

const std::vector<double> NumericTable::column(const std::string& name) const {
  auto it = std::find(columns.begin(), columns.end(), name);
  if (it == columns.end()) throw InputError({"", 0, name}, "no such column");
  const size_t c = static_cast<size_t>(it - columns.begin());
  std::vector<double> out;
  for (const auto& r : rows) out.push_back(r[c]);
  return out;
}

NumericTable read_numeric_csv(const std::string& path) {
  const std::string text = read_file_text(path);
  NumericTable t;
  int line = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    ++line;
    const auto row = trim(std::string_view(text).substr(start, end - start));
    start = end + 1;
    if (row.empty() || row.front() == '#') continue;
    const std::vector<std::string_view> cells = split_csv_row(row);
    if (t.columns.empty()) {
      for (auto c : cells) t.columns.emplace_back(c);
      continue;
    }
    if (cells.size() != t.columns.size())
      throw InputError({path, line, ""}, "row has " + std::to_string(cells.size()) + " cells, header has " +
                                             std::to_string(t.columns.size()));
    std::vector<double> values;
    for (size_t c = 0; c < cells.size(); ++c) {
      auto v = parse_double(cells[c]);
      if (!v || std::isnan(*v)) throw InputError({path, line, t.columns[c]}, "not a number");
      values.push_back(*v);
    }
    t.rows.push_back(std::move(values));
  }
  if (t.columns.empty()) throw InputError({path, 0, ""}, "empty CSV file");
  return t;
}

}  // namespace evs
