#pragma once
// Everything a conav scenario needs that does not change between scenarios: the options,
// the feeder (unrated branches given feeder.line_rating_mva), the road network, its cell
// network and the background traffic per cell.
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config/study.hpp"
#include "data/grid_network.hpp"
#include "data/road_network.hpp"
#include "grid/backend/clp_lp.hpp"
#include "kinds/conav/ctm.hpp"
#include "kinds/conav/options.hpp"
#include "kinds/kind.hpp"

namespace evs::kinds::conav {

// feeder.solver clp: the optimal basis of the nominal scenario (the nominal model, draw key 0),
// solved once on first use; every scenario's LP starts from it (a few percent of a cold
// solve's simplex iterations), and since every rank starts every scenario from the same
// basis a scenario's result does not depend on what a rank solved before it.
struct NominalBasis {
  std::once_flag once;
  grid::LpBasis basis;
};

struct PreparedStudy : PreparedData {
  Options options;
  std::uint64_t seed = 0;  // sweep.seed
  GridNetwork grid;
  RoadNetwork road;
  OdMatrix trips;
  CellNetwork cells;
  std::vector<double> background_unit;  // [cell] background veh/step at background_scale = 1
  std::string warning;                  // links shorter than one step ("" when none)
  std::shared_ptr<NominalBasis> nominal_basis = std::make_shared<NominalBasis>();
};

CellParameters cell_parameters(const Options& o);

// Reads the files, checks every node and bus the study names and that the dispatched
// vehicles fit on distinct road cells; throws config::ConfigError naming keys and lines.
PreparedStudy prepare(const config::Study& study);

}  // namespace evs::kinds::conav
