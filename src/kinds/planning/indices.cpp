#include "kinds/planning/indices.hpp"

#include <algorithm>
#include <cmath>

namespace evs::kinds::planning {

namespace {

// Built-in base-load shapes by hour (max 1): typical Chinese urban load days.
const std::vector<double>& shape(const std::string& type) {
  static const std::vector<double> residential = {0.45, 0.40, 0.37, 0.35, 0.35, 0.38, 0.48, 0.58, 0.55, 0.50,
                                                  0.48, 0.52, 0.55, 0.50, 0.48, 0.50, 0.58, 0.70, 0.85, 0.95,
                                                  1.00, 0.95, 0.80, 0.60};
  static const std::vector<double> commercial = {0.30, 0.28, 0.27, 0.27, 0.28, 0.32, 0.42, 0.60, 0.80, 0.95,
                                                 1.00, 0.98, 0.90, 0.92, 0.95, 0.93, 0.88, 0.80, 0.72, 0.65,
                                                 0.58, 0.50, 0.40, 0.34};
  static const std::vector<double> station = {0.55, 0.50, 0.47, 0.45, 0.46, 0.52, 0.65, 0.80, 0.90, 0.95,
                                              0.97, 1.00, 0.95, 0.92, 0.93, 0.95, 0.97, 0.98, 0.96, 0.92,
                                              0.85, 0.78, 0.68, 0.60};
  if (type == "commercial") return commercial;
  if (type == "station") return station;
  return residential;
}

}  // namespace

AreaPlan plan_area(const AreaOptions& a, double eta, double unit_kva) {
  AreaPlan p;
  if (a.type == "residential") {
    p.vehicles = std::round(a.cars * a.penetration);
    p.penetration = a.cars > 0 ? p.vehicles / a.cars : 0;
    p.s_ev_kw = a.pile_kw * p.penetration * a.cars * a.charge_simultaneity / eta;
  } else {
    p.vehicles = std::round(a.piles * a.vehicles_per_pile);
    p.penetration = a.piles > 0 ? p.vehicles / a.piles : 0;
    p.s_ev_kw = a.pile_kw * a.piles * a.charge_simultaneity / eta;
  }
  p.p_r_kw = a.households * a.household_kw * a.demand_coefficient * a.load_simultaneity;
  p.base_peak_kw = a.base_peak_kw > 0 ? a.base_peak_kw : p.p_r_kw;
  if (a.type != "residential" && p.p_r_kw == 0) p.p_r_kw = p.base_peak_kw;
  p.s_r_kva = p.p_r_kw / (a.planning_margin * a.power_factor);
  p.units_base = static_cast<int>(std::ceil(p.s_r_kva / unit_kva - 1e-9));
  p.units_planned = static_cast<int>(std::ceil((p.s_r_kva + p.s_ev_kw / a.power_factor) / unit_kva - 1e-9));
  return p;
}

std::vector<double> base_load_kw(const AreaOptions& a, const AreaPlan& plan, int periods) {
  const std::vector<double>& s = a.base_profile.empty() ? shape(a.type) : a.base_profile;
  std::vector<double> out(periods);  // [period]
  const int n = static_cast<int>(s.size());
  for (int t = 0; t < periods; ++t) {
    if (n == periods) {
      out[t] = s[t];
      continue;
    }
    const double x = (t + 0.5) * n / periods - 0.5;  // position on the hourly grid (cyclic)
    const double f = std::floor(x);
    const int i0 = (static_cast<int>(f) % n + n) % n, i1 = (i0 + 1) % n;
    out[t] = s[i0] + (x - f) * (s[i1] - s[i0]);
  }
  const double mx = *std::max_element(out.begin(), out.end());
  for (double& v : out) v = mx > 0 ? v / mx * plan.base_peak_kw : 0;
  return out;
}

LoadIndices load_indices(const std::vector<double>& p_ev_kw, const std::vector<double>& p_base_kw,
                         const AreaOptions& a, const AreaPlan& plan, double unit_kva, double unit_cost) {
  LoadIndices r;
  const size_t T = p_base_kw.size();
  std::vector<double> total(T);  // [period] kW
  for (size_t t = 0; t < T; ++t) total[t] = p_base_kw[t] + (t < p_ev_kw.size() ? p_ev_kw[t] : 0);
  const double ev_max = p_ev_kw.empty() ? 0 : *std::max_element(p_ev_kw.begin(), p_ev_kw.end());
  const double base_max = *std::max_element(p_base_kw.begin(), p_base_kw.end());
  r.peak_kw = *std::max_element(total.begin(), total.end());
  r.valley_kw = *std::min_element(total.begin(), total.end());
  r.peak_valley_kw = r.peak_kw - r.valley_kw;
  double mean = 0, var = 0;
  for (double p : total) mean += p / static_cast<double>(T);
  for (double p : total) var += (p - mean) * (p - mean) / static_cast<double>(T);
  r.std_kw = std::sqrt(var);
  r.simultaneity = plan.vehicles > 0 ? ev_max / (a.pile_kw * plan.vehicles) : 0;
  r.superposition = ev_max + base_max > 0 ? r.peak_kw / (ev_max + base_max) : 0;
  const double by_peak = r.peak_kw / (unit_kva * a.power_factor);
  r.units = std::max(plan.units_base, static_cast<int>(std::ceil(by_peak - 1e-9)));
  r.max_load_rate = r.units > 0 ? r.peak_kw / (r.units * unit_kva * a.power_factor) : 0;
  r.investment = r.units * unit_cost;
  return r;
}

}  // namespace evs::kinds::planning
