#include "grid/ratings.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdio>

#include "core/error.hpp"
#include "grid/powerflow.hpp"

namespace evs::grid {

std::string apply_line_ratings(GridNetwork& net, const LineRatingRule& rule) {
  if (rule.uniform_mva <= 0 && rule.peak_margin <= 0) return "";
  int rated = 0;
  double lo = 1e300, hi = 0;
  if (rule.uniform_mva > 0) {
    for (auto& br : net.branches)
      if (br.rate_pu <= 0) {
        br.rate_pu = rule.uniform_mva / net.base_mva;
        ++rated;
      }
    lo = hi = rule.uniform_mva;
  } else {
    GridNetwork base = net;
    base.vm0[base.slack] = rule.slack_vm_pu;
    // The dispatch needs a radial feeder, so the backward/forward sweep applies (it refuses
    // what it cannot model) and needs no numerics runtime at prepare time.
    const PfResult pf = solve_power_flow(base, PfMethod::sweep);
    if (!pf.status.ok())
      throw InputError({net.source_file, 0, "grid.line_rating_margin"},
                       "the power flow of the case's own loads, which the rating rule needs, does not converge: " +
                           pf.status.message);
    for (int k = 0; k < net.num_branches(); ++k) {
      auto& br = net.branches[k];
      if (br.rate_pu > 0) continue;
      // A branch that carries nothing at the design peak still gets a rating: that of the
      // smallest loaded branch, so a station on an empty lateral is limited too.
      const double s = std::max(std::abs(pf.s_from[k]), std::abs(pf.s_to[k]));
      br.rate_pu = std::max(rule.peak_margin * s, rule.min_mva / net.base_mva);
      ++rated;
    }
    double smallest = 1e300;
    for (const auto& br : net.branches)
      if (br.rate_pu > 1e-9) smallest = std::min(smallest, br.rate_pu);
    for (auto& br : net.branches) {
      if (br.rate_pu <= 1e-9) br.rate_pu = smallest;
      lo = std::min(lo, br.rate_pu * net.base_mva);
      hi = std::max(hi, br.rate_pu * net.base_mva);
    }
  }
  char buf[256];
  std::snprintf(buf, sizeof buf, "%d unrated branches given ratings of %.4g-%.4g MVA (%s)", rated, lo, hi,
                rule.uniform_mva > 0 ? "grid.line_rating_mva"
                                     : "grid.line_rating_margin x the case's peak-load flow");
  return buf;
}

}  // namespace evs::grid
