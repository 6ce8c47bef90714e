#pragma once
// Planning indices of paper 002 (MODELS.md section 5), pure functions of an area's
// options and its load curves. Units: kW, kVA.
#include <vector>

#include "kinds/planning/options.hpp"

namespace evs::kinds::planning {

struct AreaPlan {
  double vehicles = 0;        // N_EV
  double penetration = 0;     // alpha = N_EV / N_cars (residential) or N_EV / piles
  double s_ev_kw = 0;         // planned EV charging capacity S_ev = P alpha N beta / eta (eq. 4)
  double p_r_kw = 0;          // regional planning load P_R = P_J zeta delta (eq. 5-6)
  double s_r_kva = 0;         // transformer capacity S_R = P_R / (phi cos) (eq. 7)
  int units_base = 0;         // ceil(S_R / S_U)
  int units_planned = 0;      // ceil((S_R + S_ev / cos) / S_U): planned with the EV capacity
  double base_peak_kw = 0;    // peak of the base-load curve
};

AreaPlan plan_area(const AreaOptions& a, double charge_efficiency, double unit_kva);

// Indices of one load curve (one mode). p_ev_kw, p_base_kw: [period].
struct LoadIndices {
  double simultaneity = 0;    // beta = max P_ev / (P_pile N_EV)
  double superposition = 0;   // gamma = max P / (max P_ev + max P_base)
  double peak_kw = 0, valley_kw = 0, peak_valley_kw = 0, std_kw = 0;
  int units = 0;              // m: m S_U >= S_R and m S_U cos >= max P (eq. 8)
  double max_load_rate = 0;   // max P / (m S_U cos)
  double investment = 0;      // units x unit cost
};

LoadIndices load_indices(const std::vector<double>& p_ev_kw, const std::vector<double>& p_base_kw,
                         const AreaOptions& a, const AreaPlan& plan, double unit_kva, double unit_cost);

// The area's base load, kW per period: base_profile (or the type's built-in 24-hour shape)
// interpolated to the periods and scaled to peak base_peak_kw (or P_R).
std::vector<double> base_load_kw(const AreaOptions& a, const AreaPlan& plan, int periods);

}  // namespace evs::kinds::planning
