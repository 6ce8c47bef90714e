#include "kinds/conav/model.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace evs::kinds::conav {

Model nominal_model(const Options& o) {
  Model m;
  m.charging_count = o.vehicles.charging_count;
  m.v2g_count = o.vehicles.v2g_count;
  m.charging_need_kwh = o.vehicles.charging_need_kwh;
  m.v2g_energy_kwh = o.vehicles.v2g_energy_kwh;
  m.charging_max_kw = o.vehicles.charging_max_kw;
  m.v2g_max_kw = o.vehicles.v2g_max_kw;
  m.background_scale = o.road.background_scale;
  m.weight_traffic = o.objective.weight_traffic;
  m.weight_voltage = o.objective.weight_voltage;
  return m;
}

const std::vector<Parameter>& parameters() {
  static const std::vector<Parameter> table = [] {
    std::vector<Parameter> t = {
        {{"charging_count", "count", "Charging EVs (vehicles.charging_count, rounded)", 0, 100000}, &Model::charging_count},
        {{"v2g_count", "count", "V2G EVs (vehicles.v2g_count, rounded)", 0, 100000}, &Model::v2g_count},
        {{"charging_need_kwh", "kWh", "Energy each charging EV needs", 0, 1e4}, &Model::charging_need_kwh},
        {{"v2g_energy_kwh", "kWh", "Energy each V2G EV may give", 0, 1e4}, &Model::v2g_energy_kwh},
        {{"charging_max_kw", "kW", "Charging power per EV", 0, 1e4}, &Model::charging_max_kw},
        {{"v2g_max_kw", "kW", "Discharging power per V2G EV", 0, 1e4}, &Model::v2g_max_kw},
        {{"load_scale", "", "Multiplier of every bus load, on top of grid.load_scale", 0, 10}, &Model::load_scale},
        {{"background_scale", "", "Share of the trip table driven as background (road.background_scale)", 0, 1e3},
         &Model::background_scale},
        {{"weight_traffic", "1/(veh min)", "objective.weight_traffic", 0, 1e12}, &Model::weight_traffic},
        {{"weight_voltage", "1/pu", "objective.weight_voltage", 0, 1e12}, &Model::weight_voltage},
    };
    for (int k = 0; k < 4; ++k)
      t.push_back({{"station_" + std::to_string(k + 1) + "_candidate", "",
                    "Index (floor) into stations[" + std::to_string(k) + "].candidate_buses: the station's bus", 0, 1e6},
                   nullptr, k});
    return t;
  }();
  return table;
}

std::vector<config::ParameterInfo> parameter_infos() { return kinds::parameter_infos(parameters()); }

void apply_values(Model& model, const std::vector<std::pair<std::string, double>>& values) {
  apply_fields(model, parameters(), values, "conav");
  for (const auto& [name, value] : values)  // the station choices
    if (const auto& p = find_parameter(parameters(), name, "conav"); !p.field) model.candidate[p.index] = value;
}

int station_bus(const Options& o, const Model& m, int k) {
  const auto& st = o.stations[k];
  if (k < static_cast<int>(m.candidate.size()) && m.candidate[k] >= 0) {
    if (st.candidate_buses.empty())
      throw std::invalid_argument("station_" + std::to_string(k + 1) + "_candidate is swept but stations[" +
                                  std::to_string(k) + "].candidate_buses is empty");
    const auto i = std::min<std::size_t>(static_cast<std::size_t>(std::floor(m.candidate[k])),
                                         st.candidate_buses.size() - 1);
    return static_cast<int>(st.candidate_buses[i]);
  }
  return st.bus;
}

}  // namespace evs::kinds::conav
