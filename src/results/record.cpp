#include "results/record.hpp"

#include "core/status.hpp"

namespace evs::results {

std::size_t RowLayout::dimension_size(const std::string& name) const {
  for (const auto& d : dimensions)
    if (d.name == name) return d.size;
  return 0;
}

std::vector<std::string> RowLayout::metric_names() const {
  std::vector<std::string> out;
  for (const auto& m : metrics) out.push_back(m.name);
  return out;
}

std::vector<std::string> RowLayout::timing_names() const {
  std::vector<std::string> out;
  for (const auto& m : timings) out.push_back(m.name);
  return out;
}

bool same_columns(const RowLayout& a, const RowLayout& b) {
  if (a.metric_names() != b.metric_names() || a.timing_names() != b.timing_names()) return false;
  if (a.series.size() != b.series.size()) return false;
  for (std::size_t k = 0; k < a.series.size(); ++k)
    if (a.series[k].dataset != b.series[k].dataset || a.series_size(k) != b.series_size(k)) return false;
  return true;
}

bool retryable(int status) {
  switch (static_cast<StatusCode>(status)) {
    case StatusCode::timeout:
    case StatusCode::numerical_error:
    case StatusCode::not_converged:
    case StatusCode::internal_error:
      return true;
    default:
      return false;
  }
}

}  // namespace evs::results
