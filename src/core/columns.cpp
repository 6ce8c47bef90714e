#include "core/columns.hpp"

namespace evs {

std::vector<std::size_t> series_shape(const SeriesInfo& series, const std::vector<Dimension>& dims) {
  std::vector<std::size_t> shape;
  for (const auto& name : series.dims) {
    const Dimension* found = nullptr;
    for (const auto& d : dims)
      if (d.name == name) found = &d;
    if (!found) return {};
    shape.push_back(found->size);
  }
  return shape;
}

std::size_t series_size(const SeriesInfo& series, const std::vector<Dimension>& dims) {
  const auto shape = series_shape(series, dims);
  if (shape.empty()) return 0;
  std::size_t n = 1;
  for (auto s : shape) n *= s;
  return n;
}

}  // namespace evs
