#pragma once
// Coupling of the road and grid models at charging stations: a station is a queue on the
// road network (traffic/network.hpp) and a load at a feeder bus (grid/dispatch.hpp).
// These functions turn one side's view into the other's; study kinds call them.
#include <string>
#include <vector>

#include "grid/dispatch.hpp"
#include "traffic/network.hpp"

namespace evs::coupling {

struct ChargingStation {
  std::string name;
  int node = 0;  // road node (TNTP number)
  int bus = 0;   // feeder bus (MATPOWER number)
  double capacity_veh_per_h = 0;  // service capacity of the station queue
  double service_time_min = 0;
  double davidson_j = 0;
  double power_factor = 1;  // of its load at the bus
};

// The stations as queues on the road network, their capacity times capacity_scale.
std::vector<traffic::StationSpec> traffic_stations(const std::vector<ChargingStation>& stations,
                                                   double capacity_scale, int config_line);

// How the grid may re-schedule station loads.
struct ChargingFlexibility {
  bool coordinated = false;      // re-schedule within the day (energy kept, never ahead of arrivals)
  bool v2g = false;              // coordinated stations may discharge
  double capacity_scale = 1;     // station service-capacity multiplier
  double charge_coefficient = 0; // share of the battery refilled per visit
  double battery_kwh = 0;
  double v2g_share = 0;          // share of the charging limit that may flow back
};

// Station loads at their buses from the traffic model's charging power.
// station_kw: [period][station] (empty: the stations draw nothing).
std::vector<grid::EvStationLoad> grid_station_loads(const std::vector<ChargingStation>& stations,
                                                    const std::vector<std::vector<double>>& station_kw, int periods,
                                                    const ChargingFlexibility& flexibility);

}  // namespace evs::coupling
