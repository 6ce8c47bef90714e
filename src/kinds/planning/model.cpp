#include "kinds/planning/model.hpp"

#include <stdexcept>

namespace evs::kinds::planning {

Model nominal_model(const Options& o) {
  Model m;
  m.v2g_share = o.fleet.v2g_share;
  return m;
}

const std::vector<Parameter>& parameters() {
  static const std::vector<Parameter> table = {
      {{"penetration", "", "EV penetration of every residential area (areas[].penetration)", 0, 1},
       &Model::penetration},
      {{"simultaneity", "", "Charging simultaneity beta of every area (areas[].charge_simultaneity)", 0, 1},
       &Model::simultaneity},
      {{"v2g_share", "", "Share of vehicles taking part in V2G (fleet.v2g_share)", 0, 1}, &Model::v2g_share},
      {{"arrival_spread", "", "Multiplier of every area's arrival-time standard deviation", 0, 10},
       &Model::arrival_spread},
      {{"load_scale", "", "Multiplier of every area's base load", 0, 10}, &Model::load_scale},
  };
  return table;
}

std::vector<config::ParameterInfo> parameter_infos() { return kinds::parameter_infos(parameters()); }

void apply_values(Model& model, const std::vector<std::pair<std::string, double>>& values) {
  apply_fields(model, parameters(), values, "planning");
}

Options scenario_options(const Options& o, const Model& m) {
  Options s = o;
  s.fleet.v2g_share = m.v2g_share;
  for (auto& a : s.areas) {
    if (m.penetration >= 0 && a.type == "residential") a.penetration = m.penetration;
    if (m.simultaneity >= 0) a.charge_simultaneity = m.simultaneity;
    a.arrival_sd_h *= m.arrival_spread;
    a.base_peak_kw *= m.load_scale;
    if (a.base_peak_kw == 0) a.household_kw *= m.load_scale;  // P_R scales the base load
  }
  return s;
}

}  // namespace evs::kinds::planning
