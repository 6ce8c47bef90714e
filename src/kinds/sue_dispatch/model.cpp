#include "kinds/sue_dispatch/model.hpp"

#include <stdexcept>

namespace evs::kinds::sue_dispatch {

Model nominal_model(const Options& o) {
  Model m;
  m.ev_penetration = o.ev.penetration;
  m.theta = o.traffic.theta;
  m.demand_scale = o.traffic.demand_scale;
  m.battery_kwh = o.ev.battery_kwh;
  m.charge_coefficient = o.ev.charge_coefficient;
  m.v2g_share = o.ev.v2g_share;
  return m;
}

const std::vector<Parameter>& parameters() {
  static const std::vector<Parameter> table = {
      {{"ev_penetration", "", "Share of trips made by electric vehicles (ev.penetration)", 0, 1},
       &Model::ev_penetration},
      {{"theta", "1/time unit", "Logit dispersion of route choice (traffic.theta)", 1e-6, 1e3}, &Model::theta},
      {{"pv_scale", "", "Multiplier of every PV plant's capacity", 0, 100}, &Model::pv_scale},
      {{"wind_scale", "", "Multiplier of every wind plant's capacity", 0, 100}, &Model::wind_scale},
      {{"v2g_share", "", "Share of EVs offering vehicle-to-grid (ev.v2g_share; acts under coordinated charging)",
        0, 1},
       &Model::v2g_share},
      {{"load_scale", "", "Multiplier of every bus load, on top of grid.load_scale", 0, 10}, &Model::load_scale},
      {{"demand_scale", "", "Multiplier of the whole trip table (traffic.demand_scale)", 0, 100},
       &Model::demand_scale},
      {{"battery_kwh", "kWh", "Battery capacity (ev.battery_kwh)", 1e-3, 1e4}, &Model::battery_kwh},
      {{"charge_coefficient", "", "Share of the battery refilled per station arrival (ev.charge_coefficient)", 0, 1},
       &Model::charge_coefficient},
      {{"station_capacity_scale", "", "Multiplier of every station's service capacity", 1e-3, 1e3},
       &Model::station_capacity_scale},
      {{"tariff_scale", "", "Multiplier of the purchase price (table or dynamic TOU)", 0, 100}, &Model::tariff_scale},
      {{"od_error_scale", "",
        "With traffic.od_estimation: every estimated OD entry becomes max(0, estimate + s z se), z standard "
        "normal keyed by the design point, se its standard error (0 = the estimate itself)",
        0, 10},
       &Model::od_error_scale},
  };
  return table;
}

std::vector<config::ParameterInfo> parameter_infos() { return kinds::parameter_infos(parameters()); }

void apply_values(Model& model, const std::vector<std::pair<std::string, double>>& values) {
  apply_fields(model, parameters(), values, "sue_dispatch");
}

}  // namespace evs::kinds::sue_dispatch
