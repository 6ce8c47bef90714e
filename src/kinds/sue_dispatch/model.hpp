#pragma once
// The model quantities a sue_dispatch sweep may vary, as typed fields. A scenario's values
// are applied once, through the declarations below, to a copy of the study's nominal
// model; the per-scenario code then reads the fields.
#include <string>
#include <utility>
#include <vector>

#include "config/study.hpp"
#include "kinds/sue_dispatch/options.hpp"
#include "kinds/typed.hpp"

namespace evs::kinds::sue_dispatch {

struct Model {
  double ev_penetration = 0;          // share of trips made by EVs (ev.penetration)
  double theta = 0;                   // logit dispersion (traffic.theta)
  double demand_scale = 1;            // trip-table multiplier (traffic.demand_scale)
  double battery_kwh = 0;             // ev.battery_kwh
  double charge_coefficient = 0;      // ev.charge_coefficient
  double v2g_share = 0;               // ev.v2g_share
  double load_scale = 1;              // extra multiplier of every bus load (times grid.load_scale)
  double pv_scale = 1, wind_scale = 1;  // multipliers of the installed capacities
  double station_capacity_scale = 1;  // multiplier of every station's service capacity
  double tariff_scale = 1;            // multiplier of the purchase price
  double od_error_scale = 0;          // estimated trip tables: draws of z * standard error, times this
};

// The study's values: every scale 1, every field the study sets as the study sets it.
Model nominal_model(const Options& options);

using Parameter = TypedParameter<Model>;
const std::vector<Parameter>& parameters();
std::vector<config::ParameterInfo> parameter_infos();

// Sets the named fields; throws std::invalid_argument for a name the kind does not know.
void apply_values(Model& model, const std::vector<std::pair<std::string, double>>& values);

}  // namespace evs::kinds::sue_dispatch
