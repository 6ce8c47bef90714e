#pragma once
// One stored attempt at one scenario: what the results files hold per row, and the layout
// of those rows (the study kind's metrics, timings and kept series with their dimensions).
// The layout is recorded in every file, so reading a file needs no kind's code.
#include <cstdint>
#include <string>
#include <vector>

#include "core/columns.hpp"

namespace evs::results {

struct RowLayout {
  std::string study_kind;
  std::vector<MetricInfo> metrics;
  std::vector<MetricInfo> timings;
  std::vector<SeriesInfo> series;       // the series the study keeps (output.series)
  std::vector<Dimension> dimensions;    // every dimension of the kind, with labels

  std::size_t series_size(std::size_t k) const { return evs::series_size(series[k], dimensions); }
  std::vector<std::size_t> series_shape(std::size_t k) const { return evs::series_shape(series[k], dimensions); }
  std::size_t dimension_size(const std::string& name) const;  // 0 when absent
  std::vector<std::string> metric_names() const;
  std::vector<std::string> timing_names() const;
};

struct ScenarioRecord {
  std::uint64_t id = 0;
  int attempt = 0;          // 1-based
  int status = 0;           // StatusCode as int
  int rank = -1;            // MPI rank that solved it (not part of the results proper)
  std::string stage;        // failed stage, "" when ok
  std::string message;
  std::string solver_status;
  std::vector<double> metrics;              // [metric] RowLayout::metrics order
  std::vector<double> timings;              // [timing] RowLayout::timings order
  std::vector<std::vector<double>> series;  // [kept series] row-major, RowLayout::series_size(k) values
};

// Rows of one layout decode into the other's columns: the same metrics, timings, and series
// (dataset and size).
bool same_columns(const RowLayout& a, const RowLayout& b);

// Failures worth another attempt: the answer may differ with the robust settings or more time.
bool retryable(int status);

}  // namespace evs::results
