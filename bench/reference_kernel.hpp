#pragma once
// A fixed CPU workload measured in the same run as every benchmark, so figures can be
// reported as ratios that survive a noisy, shared machine: dense LU (no pivoting) of a
// diagonally dominant 64 x 64 matrix, the size of case33bw's Newton Jacobian.
#include <vector>

namespace evs::bench {

inline double reference_dense_lu64() {
  constexpr int n = 64;
  static std::vector<double> base = [] {
    std::vector<double> a(n * n);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) a[i * n + j] = i == j ? 2.0 * n : 1.0 / (1 + i + j);
    return a;
  }();
  std::vector<double> a = base;
  for (int k = 0; k < n; ++k)
    for (int i = k + 1; i < n; ++i) {
      const double f = a[i * n + k] / a[k * n + k];
      for (int j = k; j < n; ++j) a[i * n + j] -= f * a[k * n + j];
    }
  return a[n * n - 1];
}

}  // namespace evs::bench
