#pragma once
// Cell-transmission model (CTM) of a road network for the conav kind (paper 000, MODELS.md
// section 4): the cell network built from a TNTP network, the background traffic's fixed
// occupancy, and the linear CTM constraints of the dispatched vehicle types written into a
// grid::QcqpModel (so that they share one optimisation with the feeder).
// Units: tau in minutes; Q and N in vehicles (per step / held); time in steps.
#include <string>
#include <vector>

#include "data/road_network.hpp"
#include "grid/model/qcqp.hpp"

namespace evs::kinds::conav {

enum class CellKind { road, station, terminal };

struct Cell {
  CellKind kind = CellKind::road;
  int link = -1;      // road cells: index of the link in RoadNetwork::links
  int position = 0;   // road cells: 0 = first cell of its link
  int node = 0;       // station and terminal cells: the road node they hang on (external number)
  int station = -1;   // station cells: index of the station
  double q_veh = 0;   // Q: most vehicles leaving (and entering) per step
  double n_veh = 0;   // N: most vehicles held
  double delta = 1;   // congestion factor of the receiving limit delta (N - n)
};

// A link shorter than its cells: t0 differs from cells x tau by error_min.
struct RoundedLink {
  int link = 0;  // index into RoadNetwork::links
  double t0_min = 0, cells_min = 0, error_min = 0;
};

struct CellParameters {
  double tau_min = 3;            // step length
  double time_unit_min = 1;      // minutes per free-flow-time unit of the network file
  double q_veh = 0;              // Q of road cells; 0 = capacity (veh/h) x tau / 60
  double n_veh = 0;              // N of road cells; 0 = jam density x cell length
  double jam_density_veh_per_km = 150;
  double length_unit_km = 1;     // km per length unit of the network file
  double delta = 1;
  double station_n_veh = 30, terminal_n_veh = 30;
  double station_q_veh = 0, terminal_q_veh = 0;  // 0 = the road cells' Q (when set) else 1e6
};

struct CellNetwork {
  double tau_min = 0;
  std::vector<Cell> cells;                      // [cell]
  std::vector<int> edge_from, edge_to;          // [edge] cell ids: vehicles move from -> to in a step
  std::vector<std::vector<int>> out_edges, in_edges;  // [cell] edge ids
  std::vector<std::vector<int>> link_cells;     // [link] cell ids, first to last
  std::vector<int> station_cells;               // [station] cell id
  std::vector<int> terminal_cells;              // [terminal] cell id
  std::vector<RoundedLink> rounded_links;       // links with t0 < tau (one cell longer than the link)
  int num_edges() const { return static_cast<int>(edge_from.size()); }
  int num_cells() const { return static_cast<int>(cells.size()); }
  std::vector<int> road_cells() const;
};

// Each link -> max(1, round(t0 / tau)) cells in a chain; the last cell of a link entering
// node v feeds the first cell of every link leaving v (no U-turn back along the same pair
// of nodes unless it is the only way on) and the station and terminal cells at v; a station
// cell feeds the links leaving its node; terminal cells absorb. Throws InputError for a
// station or terminal node the network lacks or tau <= 0.
CellNetwork build_cell_network(const RoadNetwork& road, const CellParameters& p, const std::vector<int>& station_nodes,
                               const std::vector<int>& terminal_nodes);

// Text of the warning about links shorter than one step ("" when none).
std::string rounded_links_warning(const RoadNetwork& road, const CellNetwork& net);

// Background vehicles by a fixed rule: every OD flow of the trip table (veh/h, times scale)
// on its free-flow shortest path (all or nothing, ties to the lower link index), in steady
// state: each road cell of a link with flow x carries x tau / 60 vehicles per step and holds
// as many. Returns [cell] vehicles per step (0 at station and terminal cells).
std::vector<double> background_flow(const RoadNetwork& road, const OdMatrix& trips, const CellNetwork& net,
                                    double time_unit_min, double scale);

// The linear CTM of the dispatched types over `steps` steps (MODELS.md section 4):
//   n[s][t+1][a] = n[s][t][a] + sum_in y[s][t][e] - sum_out y[s][t][e]
//   sum_out y[s][t] <= n[s][t][a];  sum_s sum_out y <= Q_a - bg_a;  sum_s sum_in y <= Q_a - bg_a;
//   sum_s sum_in y <= delta_a (N_a - bg_a - sum_s n[s][t][a]).
struct CtmProblem {
  const CellNetwork* net = nullptr;
  int steps = 0;
  std::vector<std::vector<double>> initial;  // [type][cell] vehicles at step 0
  std::vector<double> background;            // [cell] background vehicles per step (may be empty)
  std::vector<double> road_time_cost;        // [type] objective per vehicle-step on a road cell
  // Objective per vehicle-step that stays in a road cell (n - sum_out y): makes holding cost
  // something where the rest of the objective is indifferent (0 = none).
  double hold_cost = 0;
  // [type][t][cell] vehicles arriving from outside the network during step t (may be empty)
  std::vector<std::vector<std::vector<double>>> inflow;
  double inflow_at(int s, int t, int a) const {
    return s < static_cast<int>(inflow.size()) && t < static_cast<int>(inflow[s].size()) ? inflow[s][t][a] : 0.0;
  }
};
struct CtmIds {
  std::vector<std::vector<std::vector<int>>> n;  // [type][t][cell], t = 0..steps
  std::vector<std::vector<std::vector<int>>> y;  // [type][t][edge], t = 0..steps-1
};
CtmIds add_ctm(grid::QcqpModel& model, const CtmProblem& problem);

// Values of a solution: n [type][t][cell] and y [type][t][edge].
struct CtmValues {
  std::vector<std::vector<std::vector<double>>> n, y;
};
CtmValues ctm_values(const CtmIds& ids, const std::vector<double>& x);

// Share of dispatched vehicle-steps on road cells that stayed although their cell could
// still send and a child could still receive (holding). 0 when no vehicle-steps.
double holding_share(const CtmProblem& problem, const CtmValues& v);

// Largest |n[t+1] - n[t] - in + out| over types, steps and cells, and the largest change of
// the total number of vehicles per type between steps (conservation, both ~0).
double conservation_error(const CtmProblem& problem, const CtmValues& v);

}  // namespace evs::kinds::conav
