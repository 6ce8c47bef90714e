#pragma once
// The paper-001 placement on case33bw used by the dispatch tests (and mirrored by
// configs/default.yaml): storage at 18, PV at 28, wind at 14, EV stations at 16, 20, 32,
// demand response at 7, 8, 24, 25, a gas turbine at 33; 24 hourly periods.
#include <vector>

#include "data/grid_network.hpp"
#include "grid/dispatch.hpp"
#include "io/matpower.hpp"
#include "test_support.hpp"

namespace evs::test {

inline GridNetwork case33bw_network() {
  return build_grid_network(read_matpower_case(source_path("data/grid/case33bw.m")));
}

inline const std::vector<double>& day_load() {
  static const std::vector<double> v = {0.67, 0.63, 0.60, 0.59, 0.59, 0.60, 0.74, 0.86, 0.95, 0.96, 0.96, 0.95,
                                        0.95, 0.95, 0.93, 0.94, 0.99, 1.00, 1.00, 0.96, 0.91, 0.83, 0.73, 0.63};
  return v;
}

inline grid::DispatchProblem paper001_problem(const GridNetwork& net, int periods = 24) {
  grid::DispatchProblem pb;
  pb.net = &net;
  pb.periods = periods;
  const std::vector<double> pv = {0, 0, 0, 0, 0, 0, 0.07, 0.20, 0.38, 0.56, 0.71, 0.84,
                                  0.84, 0.71, 0.56, 0.38, 0.20, 0.07, 0, 0, 0, 0, 0, 0};
  const std::vector<double> wind = {0.63, 0.67, 0.69, 0.70, 0.69, 0.67, 0.63, 0.58, 0.51, 0.45, 0.38, 0.32,
                                    0.27, 0.23, 0.21, 0.20, 0.21, 0.23, 0.27, 0.32, 0.38, 0.45, 0.51, 0.58};
  const std::vector<double> tariff = {300, 300, 300, 300, 300, 300, 300, 600, 600, 600, 900, 900,
                                      900, 900, 900, 600, 600, 600, 900, 900, 900, 600, 600, 300};
  pb.load_scale.assign(day_load().begin(), day_load().begin() + periods);
  pb.tariff.assign(tariff.begin(), tariff.begin() + periods);
  pb.storages.push_back({18, 0.3, 1.2, 0.95, 0.95, 0.2, 0.8, 0.5, true});
  pb.pv.push_back({28, 0.8, std::vector<double>(pv.begin(), pv.begin() + periods), 0, 0.33});
  pb.wind.push_back({14, 0.8, std::vector<double>(wind.begin(), wind.begin() + periods), 0, 0.33});
  pb.turbines.push_back({33, 0.5, -0.3, 0.3, 0.2, 2.4, 850});
  for (int b : {7, 8, 24, 25}) pb.demand_response.push_back({b, 0.3, 105});
  for (int b : {16, 20, 32}) {
    grid::EvStationLoad ev;
    ev.bus = b;
    for (int t = 0; t < periods; ++t) ev.p_mw.push_back(0.05 + 0.1 * (t >= 17 && t <= 21));
    ev.p_max_mw = 0.3;
    pb.ev_stations.push_back(ev);
  }
  return pb;
}

}  // namespace evs::test
