#pragma once
// The quantities a conav sweep may vary, as typed fields (see sue_dispatch/model.hpp).
#include <string>
#include <utility>
#include <vector>

#include "config/study.hpp"
#include "kinds/conav/options.hpp"
#include "kinds/typed.hpp"

namespace evs::kinds::conav {

struct Model {
  double charging_count = 0, v2g_count = 0;       // vehicles (rounded to whole)
  double charging_need_kwh = 0, v2g_energy_kwh = 0;
  double charging_max_kw = 0, v2g_max_kw = 0;
  double load_scale = 1;                          // times grid.load_scale
  double background_scale = 0;                    // road.background_scale
  double weight_traffic = 0, weight_voltage = 0;  // objective.*
  // [station] index into stations[k].candidate_buses (floor); -1 = the station's bus
  std::vector<double> candidate = {-1, -1, -1, -1};
};

Model nominal_model(const Options& options);

// index: the station of a station_<k>_candidate parameter (its field is nullptr).
using Parameter = TypedParameter<Model>;
const std::vector<Parameter>& parameters();
std::vector<config::ParameterInfo> parameter_infos();

// Sets the named fields; throws std::invalid_argument for a name the kind does not know.
void apply_values(Model& model, const std::vector<std::pair<std::string, double>>& values);

// The feeder bus of station k under the model (its bus, or the chosen candidate).
int station_bus(const Options& options, const Model& model, int k);

}  // namespace evs::kinds::conav
