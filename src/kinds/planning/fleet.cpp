#include "kinds/planning/fleet.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <tuple>

#include "core/rng.hpp"

namespace evs::kinds::planning {

FleetParams fleet_params(const Options& o) {
  FleetParams f;
  f.periods = o.planning.periods;
  f.dt_h = o.planning.dt_h;
  f.battery_kwh = o.fleet.battery_kwh;
  f.eta_c = o.fleet.charge_efficiency;
  f.eta_d = o.fleet.discharge_efficiency;
  f.soc_min = o.fleet.soc_min;
  f.soc_max = o.fleet.soc_max;
  return f;
}

std::vector<Vehicle> draw_fleet(const Options& o, const std::vector<AreaPlan>& plans, std::uint64_t seed,
                                std::uint64_t id) {
  const FleetParams f = fleet_params(o);
  const int T = f.periods;
  std::vector<Vehicle> out;
  for (size_t a = 0; a < o.areas.size(); ++a) {
    const AreaOptions& ar = o.areas[a];
    RandomStream rng(seed, id, 100 + static_cast<std::uint32_t>(a));
    const int n = static_cast<int>(plans[a].vehicles);
    for (int i = 0; i < n; ++i) {
      Vehicle v;
      v.area = static_cast<int>(a);
      const double arr_h = rng.normal(ar.arrival_mean_h, ar.arrival_sd_h);
      const double dwell_h = std::clamp(rng.normal(ar.dwell_mean_h, ar.dwell_sd_h), ar.dwell_min_h, 24 - f.dt_h);
      v.arrival = ((static_cast<int>(std::floor(arr_h / f.dt_h)) % T) + T) % T;
      v.dwell = std::clamp(static_cast<int>(std::lround(dwell_h / f.dt_h)), 1, T - 1);
      const double soc0 = std::clamp(rng.normal(ar.soc_initial_mean, ar.soc_initial_sd), f.soc_min, f.soc_max);
      v.e0_kwh = soc0 * f.battery_kwh;
      v.target_kwh = ar.soc_departure * f.battery_kwh;
      v.v2g = rng.uniform() < o.fleet.v2g_share;
      out.push_back(v);
    }
  }
  return out;
}

Disordered disordered_charging(const std::vector<Vehicle>& fleet, const std::vector<double>& pile_kw, int areas,
                               const FleetParams& f) {
  Disordered d;
  d.p_kw.assign(areas, std::vector<double>(f.periods, 0.0));
  const double e_max = f.soc_max * f.battery_kwh;
  for (const Vehicle& v : fleet) {
    double e = v.e0_kwh;
    const double p = pile_kw[v.area];
    for (int j = 0; j < v.dwell && e < e_max - 1e-12; ++j) {
      const double add = std::min(p * f.dt_h * f.eta_c, e_max - e);  // kWh into the battery
      d.p_kw[v.area][(v.arrival + j) % f.periods] += add / (f.eta_c * f.dt_h);
      e += add;
    }
    d.shortfall_kwh.push_back(std::max(0.0, v.target_kwh - e));
  }
  return d;
}

namespace {

// Energy a member aims at by the end of a window of `len` periods at pile power: its target,
// or what it can reach when the target is out of reach (never below its arrival energy).
double member_goal(const Vehicle& v, double pile_kw, int len, const FleetParams& f) {
  const double reach = std::min(f.soc_max * f.battery_kwh, v.e0_kwh + pile_kw * f.dt_h * f.eta_c * len);
  return std::max(v.e0_kwh, std::min(v.target_kwh, reach));
}

}  // namespace

std::vector<Cohort> make_cohorts(const std::vector<Vehicle>& fleet, const std::vector<double>& pile_kw, int bin,
                                 const FleetParams& f, std::vector<double>& unreachable_kwh) {
  std::map<std::tuple<int, int, int, bool>, int> index;
  std::vector<Cohort> out;
  unreachable_kwh.assign(fleet.size(), 0.0);
  const double e_max = f.soc_max * f.battery_kwh;
  for (size_t i = 0; i < fleet.size(); ++i) {
    const Vehicle& v = fleet[i];
    // Window every member of the bin is present: arrival rounded up, departure rounded down.
    int start = (v.arrival + bin - 1) / bin * bin;
    const int end = (v.arrival + v.dwell) / bin * bin;
    int len = end - start;
    // Too short for the bins, or the binned window would cost it energy it can reach in its
    // own dwell (target above what the pile gives in the binned window): its own window.
    auto reach_in = [&](int periods) { return std::min(e_max, v.e0_kwh + pile_kw[v.area] * f.dt_h * f.eta_c * periods); };
    if (len < 1 || (v.target_kwh > reach_in(len) + 1e-9 && reach_in(v.dwell) > reach_in(len))) {
      start = v.arrival;
      len = v.dwell;
    }
    start %= f.periods;
    const auto key = std::make_tuple(v.area, start, len, v.v2g);
    auto it = index.find(key);
    if (it == index.end()) {
      it = index.emplace(key, static_cast<int>(out.size())).first;
      Cohort c;
      c.area = v.area;
      c.start = start;
      c.len = len;
      c.v2g = v.v2g;
      c.pile_kw = pile_kw[v.area];
      out.push_back(c);
    }
    Cohort& c = out[it->second];
    const double reach = std::min(e_max, v.e0_kwh + c.pile_kw * f.dt_h * f.eta_c * len);
    unreachable_kwh[i] = std::max(0.0, v.target_kwh - reach);
    c.n += 1;
    c.e0_kwh += v.e0_kwh;
    const double goal = member_goal(v, c.pile_kw, len, f);
    c.need_kwh += goal;
    c.largest_need_kwh = std::max(c.largest_need_kwh, goal - v.e0_kwh);
    c.floor_kwh.resize(len, 0.0);
    for (int j = 0; j < len; ++j)
      c.floor_kwh[j] += std::max(v.v2g ? f.soc_min * f.battery_kwh : v.e0_kwh,
                                 goal - c.pile_kw * f.eta_c * f.dt_h * (len - 1 - j));
    c.members.push_back(static_cast<int>(i));
  }
  return out;
}

std::vector<double> split_cohorts(const std::vector<Vehicle>& fleet, const std::vector<Cohort>& cohorts,
                                  const std::vector<std::vector<double>>& charge_kw,
                                  const std::vector<std::vector<double>>& discharge_kw, const FleetParams& f,
                                  double& max_unplaced_kw) {
  std::vector<double> shortfall(fleet.size(), 0.0);
  max_unplaced_kw = 0;
  const double e_min = f.soc_min * f.battery_kwh, e_max = f.soc_max * f.battery_kwh;
  for (size_t k = 0; k < cohorts.size(); ++k) {
    const Cohort& c = cohorts[k];
    std::vector<double> e;  // [member] kWh
    for (int m : c.members) e.push_back(fleet[m].e0_kwh);
    std::vector<int> order(c.members.size());
    std::vector<double> goal;  // [member] kWh
    for (int m : c.members) goal.push_back(member_goal(fleet[m], c.pile_kw, c.len, f));
    for (int j = 0; j < c.len; ++j) {
      const double net_kw = charge_kw[k][j] - (discharge_kw.empty() || discharge_kw[k].empty() ? 0 : discharge_kw[k][j]);
      std::iota(order.begin(), order.end(), 0);
      double left = std::abs(net_kw);
      auto need = [&](int i) { return fleet[c.members[i]].target_kwh - e[i]; };
      if (net_kw > 0) {
        // Largest remaining need first, up to each target; what is left then up to SOC max.
        std::sort(order.begin(), order.end(), [&](int a, int b) { return need(a) > need(b); });
        std::vector<double> given(c.members.size(), 0.0);  // [member] kW this period
        for (int pass = 0; pass < 2; ++pass)
          for (int i : order) {
            const double room_kwh = pass == 0 ? std::max(0.0, need(i)) : e_max - e[i];
            const double p = std::min({left, c.pile_kw - given[i], room_kwh / (f.eta_c * f.dt_h)});
            if (p <= 0) continue;
            e[i] += p * f.eta_c * f.dt_h;
            given[i] += p;
            left -= p;
          }
      } else if (net_kw < 0) {
        // Most surplus first; first down to each member's own floor after this period (the
        // energy from which it can still reach its goal at pile power), only then towards
        // SOC min: draining one member below its floor while another has surplus left would
        // leave it short at departure although the cohort is not.
        std::sort(order.begin(), order.end(), [&](int a, int b) { return need(a) < need(b); });
        std::vector<double> taken(c.members.size(), 0.0);  // [member] kW this period
        for (int pass = 0; pass < 2; ++pass)
          for (int i : order) {
            const double own_floor =
                pass == 0 ? std::max(e_min, goal[i] - c.pile_kw * f.eta_c * f.dt_h * (c.len - 1 - j)) : e_min;
            const double p = std::min({left, c.pile_kw - taken[i], (e[i] - own_floor) * f.eta_d / f.dt_h});
            if (p <= 0) continue;
            e[i] -= p * f.dt_h / f.eta_d;
            taken[i] += p;
            left -= p;
          }
      }
      max_unplaced_kw = std::max(max_unplaced_kw, left);
    }
    for (size_t i = 0; i < c.members.size(); ++i)
      shortfall[c.members[i]] = std::max(0.0, fleet[c.members[i]].target_kwh - e[i]);
  }
  return shortfall;
}

}  // namespace evs::kinds::planning
