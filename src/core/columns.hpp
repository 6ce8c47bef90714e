#pragma once
// Descriptions of what a study kind reports per scenario: metrics (one number each),
// series (arrays over named dimensions) and the dimensions with their labels. A kind
// declares them once; the results files, `--json`, `evsweep metrics` and
// docs/results-schema.md are generated from them. Plain data: no library behind it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace evs {

// One per-scenario number.
struct MetricInfo {
  std::string name;     // dataset name under /scenarios (or /timings)
  std::string unit;     // "" when dimensionless; "count" and "bus" are integers
  std::string meaning;
};

// One per-scenario array, stored row-major over its dimensions.
struct SeriesInfo {
  std::string name;               // what output.series names, e.g. "station_load"
  std::string dataset;            // dataset under /series, e.g. "station_mw"
  std::string unit;
  std::string meaning;
  std::vector<std::string> dims;  // dimension names, outermost first, e.g. {"station", "period"}
};

// A dimension of the kind's series, with its labels (text or numbers; may be empty).
struct Dimension {
  std::string name;                      // e.g. "period", "station", "bus"
  std::size_t size = 0;
  std::string labels_dataset;            // dataset under /layout holding the labels ("" = none)
  std::vector<std::string> text_labels;  // [index] (when the labels are names)
  std::vector<std::int64_t> int_labels;  // [index] (when the labels are numbers)
};

// Number of values of a series with these dimensions (0 when a dimension is unknown).
std::size_t series_size(const SeriesInfo& series, const std::vector<Dimension>& dims);
// Sizes of its dimensions, outermost first (empty when a dimension is unknown).
std::vector<std::size_t> series_shape(const SeriesInfo& series, const std::vector<Dimension>& dims);

}  // namespace evs
