#include "coupling/charging.hpp"

#include <cmath>

namespace evs::coupling {

std::vector<traffic::StationSpec> traffic_stations(const std::vector<ChargingStation>& stations,
                                                   double capacity_scale, int config_line) {
  std::vector<traffic::StationSpec> specs;
  for (const auto& st : stations)
    specs.push_back({st.name, st.node, st.capacity_veh_per_h * capacity_scale, st.service_time_min, st.davidson_j, 0,
                     config_line});
  return specs;
}

std::vector<grid::EvStationLoad> grid_station_loads(const std::vector<ChargingStation>& stations,
                                                    const std::vector<std::vector<double>>& station_kw, int periods,
                                                    const ChargingFlexibility& f) {
  std::vector<grid::EvStationLoad> loads;
  for (size_t k = 0; k < stations.size(); ++k) {
    grid::EvStationLoad ev;
    ev.bus = stations[k].bus;
    for (int t = 0; t < periods; ++t) ev.p_mw.push_back(station_kw.empty() ? 0.0 : station_kw[t][k] / 1000.0);
    ev.coordinated = f.coordinated;
    // Station power limit: its service capacity times the energy per visit.
    ev.p_max_mw = stations[k].capacity_veh_per_h * f.capacity_scale * f.charge_coefficient * f.battery_kwh / 1000.0;
    ev.v2g_max_mw = f.v2g ? f.v2g_share * ev.p_max_mw : 0.0;
    const double pf = stations[k].power_factor;
    ev.q_per_p = pf < 1 ? std::sqrt(1 - pf * pf) / pf : 0.0;
    loads.push_back(ev);
  }
  return loads;
}

}  // namespace evs::coupling
