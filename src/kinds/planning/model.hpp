#pragma once
// The quantities a planning sweep may vary, as typed fields (applied once per scenario).
#include <string>
#include <utility>
#include <vector>

#include "config/study.hpp"
#include "kinds/planning/options.hpp"
#include "kinds/typed.hpp"

namespace evs::kinds::planning {

struct Model {
  double penetration = -1;          // every residential area's penetration; < 0: the study's
  double simultaneity = -1;         // every area's charge_simultaneity; < 0: the study's
  double v2g_share = 0;             // fleet.v2g_share
  double arrival_spread = 1;        // multiplier of every area's arrival_sd_h
  double load_scale = 1;            // multiplier of the areas' base loads
};

Model nominal_model(const Options& options);

using Parameter = TypedParameter<Model>;
const std::vector<Parameter>& parameters();
std::vector<config::ParameterInfo> parameter_infos();

// Sets the named fields; throws std::invalid_argument for a name the kind does not know.
void apply_values(Model& model, const std::vector<std::pair<std::string, double>>& values);

// The study's options with the model's values put in (penetration, simultaneity, ...).
Options scenario_options(const Options& options, const Model& model);

}  // namespace evs::kinds::planning
