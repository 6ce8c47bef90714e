#pragma once
// Everything a sue_dispatch scenario needs that does not change between scenarios, read and
// validated once per process: the kind's options, the solver-ready grid, the road network
// and trip table.
#include <cstdint>
#include <string>
#include <vector>

#include "config/study.hpp"
#include "data/grid_network.hpp"
#include "data/road_network.hpp"
#include "kinds/kind.hpp"
#include "kinds/sue_dispatch/options.hpp"

namespace evs::kinds::sue_dispatch {

struct PreparedStudy : PreparedData {
  Options options;
  std::vector<std::string> stages;  // study.stages
  std::uint64_t seed = 0;           // sweep.seed
  int stations_line = 0;            // line of 'stations:' in the study file (messages)
  GridNetwork grid;
  RoadNetwork road;
  OdMatrix trips;  // read, or the estimate (its entries the estimated pairs, period 1)
  // traffic.od_estimation: [period][entry of trips] veh/h when the estimate has one table per
  // period (else empty: trips x profiles.traffic_demand), and [entry] standard errors (NaN: none).
  std::vector<std::vector<double>> period_demand;
  std::vector<std::vector<double>> period_std_error;
  std::string od_estimate_summary;  // what the estimate was, for logs and provenance
  std::string ratings_summary;      // grid.line_rating_*: what was rated (grid/ratings.hpp)
};

// Reads the files the study names and checks that every bus and node exists; throws
// config::ConfigError naming keys and lines.
PreparedStudy prepare(const config::Study& study);

}  // namespace evs::kinds::sue_dispatch
