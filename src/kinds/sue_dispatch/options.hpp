#pragma once
// The sections of a sue_dispatch study (paper 001's coupled pipeline), besides the shared
// study, solver, sweep and output sections.
#include <vector>

#include "config/schema.hpp"
#include "config/sections.hpp"
#include "config/study.hpp"

namespace evs::kinds::sue_dispatch {

struct Options : config::KindOptions {
  config::GridOptions grid;
  config::TrafficOptions traffic;
  std::vector<config::StationOptions> stations;
  config::EvOptions ev;
  config::ProfileOptions profiles;
  config::ResourceOptions resources;
  config::DispatchOptions dispatch;
};

config::Schema<Options> options_schema();

// Cross-field checks after every key is read (profile lengths, station names).
void check_options(const config::Study& study, config::ParseContext& ctx);

// Stages of a scenario, in order, and the series the kind can keep.
const std::vector<std::string>& stage_names();

}  // namespace evs::kinds::sue_dispatch
