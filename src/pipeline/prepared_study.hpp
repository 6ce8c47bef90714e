#pragma once
// Everything a scenario needs that does not change between scenarios, read and validated
// once per process: the study, the solver-ready grid, the road network and trip table.
#include "config/study.hpp"
#include "data/grid_network.hpp"
#include "data/road_network.hpp"

namespace evs::pipeline {

struct PreparedStudy {
  config::Study study;
  GridNetwork grid;
  RoadNetwork road;
  OdMatrix trips;
};

// Reads the files the study names; throws config::ConfigError naming keys and lines.
PreparedStudy prepare_study(const config::Study& study);

}  // namespace evs::pipeline
