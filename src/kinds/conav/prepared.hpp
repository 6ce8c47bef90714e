#pragma once
// Everything a conav scenario needs that does not change between scenarios: the options,
// the feeder (unrated branches given feeder.line_rating_mva), the road network, its cell
// network and the background traffic per cell.
#include <cstdint>
#include <string>
#include <vector>

#include "config/study.hpp"
#include "data/grid_network.hpp"
#include "data/road_network.hpp"
#include "kinds/conav/ctm.hpp"
#include "kinds/conav/options.hpp"
#include "kinds/kind.hpp"

namespace evs::kinds::conav {

struct PreparedStudy : PreparedData {
  Options options;
  std::uint64_t seed = 0;  // sweep.seed
  GridNetwork grid;
  RoadNetwork road;
  OdMatrix trips;
  CellNetwork cells;
  std::vector<double> background_unit;  // [cell] background veh/step at background_scale = 1
  std::string warning;                  // links shorter than one step ("" when none)
};

CellParameters cell_parameters(const Options& o);

// Reads the files, checks every node and bus the study names and that the dispatched
// vehicles fit on distinct road cells; throws config::ConfigError naming keys and lines.
PreparedStudy prepare(const config::Study& study);

}  // namespace evs::kinds::conav
