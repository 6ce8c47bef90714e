#pragma once
// Minimal reader for numeric CSV tables with a header row (reference results).
#include <map>
#include <string>
#include <vector>

namespace evs {

struct NumericTable {
  std::vector<std::string> columns;
  std::vector<std::vector<double>> rows;
  const std::vector<double> column(const std::string& name) const;  // throws if absent
};

NumericTable read_numeric_csv(const std::string& path);

}  // namespace evs
