#pragma once
// Lower level 1 of the stackelberg kind: the distribution operator's expected-cost LP over
// wind scenarios (MODELS.md section 6). Per period t and wind scenario s, LinDistFlow on the
// radial feeder: lossless branch flows from parent to child, squared voltages
// v_j = v_i - 2 (r P + x Q) / base, bus balances, substation purchase at the period's tariff,
// wind up to its scenario maximum (curtailment cost for the rest), load shedding at a high
// cost (keeps every LP feasible), polygon-linearised line and transformer MVA limits. Periods
// do not couple, so each period is its own LP (all scenarios in it), re-solved with Clp's
// warm-started dual simplex when the station loads change. Nodal prices are the expected
// balance duals: lmp[t][bus] = sum_s dual(P balance at bus, s, t) / dt, the derivative of the
// expected cost with respect to an active load at the bus, per MWh; a station's price c_ele
// adds tan(phi) times the reactive balance's dual, since its Q follows its P.
#include <memory>
#include <vector>

#include "core/status.hpp"
#include "data/grid_network.hpp"
#include "grid/backend/clp_lp.hpp"
#include "grid/model/qcqp.hpp"

namespace evs::kinds::stackelberg {

struct OperatorSpec {
  const GridNetwork* grid = nullptr;  // radial, slack at the root
  int periods = 24;
  double dt_h = 1;
  std::vector<double> load_scale;    // [t] multiplier of the case's bus loads
  std::vector<double> tariff;        // [t] substation purchase price, currency/MWh
  double curtailment_cost = 0;       // currency/MWh of wind not used
  double shedding_cost = 1e4;        // currency/MWh of load shed
  double transformer_mva = 0;        // substation limit, 0 = none
  double line_mva = 0;               // limit of branches without a rating in the case, 0 = none
  int polygon_sides = 12;            // sides of the polygon around P^2 + Q^2 <= S^2 (grid::add_power_polygon)
  double vmin_pu = 0.9, vmax_pu = 1.1;
  std::vector<int> wind_bus;         // [plant] bus index
  double wind_tan_phi = 0;           // Q = P tan(phi) of the wind plants
  std::vector<double> probability;   // [s] sums to 1
  std::vector<std::vector<std::vector<double>>> wind_max_mw;  // [s][t][plant]
  std::vector<int> station_bus;      // [station] bus index
  double station_tan_phi = 0;        // Q = P tan(phi) of the stations
};

enum class LpBackend { clp, ipopt };

struct OperatorResult {
  Status status;
  double expected_cost = 0;                      // currency over the day: purchase + curtailment + shedding
  double curtailment_mwh = 0;                    // expected
  double shed_mwh = 0;                           // expected
  std::vector<std::vector<double>> lmp;          // [t][bus] expected nodal price, currency/MWh
  // [station][t] the station's marginal cost, currency/MWh: d expected cost / d P of the
  // station with its Q = P tan(phi) following (P and Q balance duals at its bus).
  std::vector<std::vector<double>> station_price;
  int lp_solves = 0;
  int iterations = 0;                            // simplex (or Ipopt) iterations
};

// One period's solution.
struct OperatorPeriod {
  Status status;
  double cost = 0;                     // expected cost of the period, currency
  double curtailment_mwh = 0, shed_mwh = 0;  // expected
  std::vector<double> lmp;             // [bus] currency/MWh
  std::vector<double> station_price;   // [station] currency/MWh (see OperatorResult)
  int iterations = 0;
};

// One period's LP and where its rows are.
struct PeriodModel {
  grid::QcqpModel model;
  std::vector<std::vector<int>> p_row, q_row;  // [s][bus] balance rows
  std::vector<std::vector<int>> wind_var;      // [s][plant] wind power variable
  std::vector<std::vector<int>> shed_var;      // [s][bus] shed variable, -1 where the bus has no load
};

// Builds period t's LP for the given station loads (MW, [station]).
PeriodModel build_period_model(const OperatorSpec& spec, int t, const std::vector<double>& station_mw);

class OperatorLp {
 public:
  explicit OperatorLp(OperatorSpec spec, LpBackend backend = LpBackend::clp, bool warm_start = true);
  ~OperatorLp();
  // station_mw: [station][t] MW drawn by each station.
  OperatorResult solve(const std::vector<std::vector<double>>& station_mw);
  // Period t alone: station_mw [station].
  OperatorPeriod solve_period(int t, const std::vector<double>& station_mw);
  const OperatorSpec& spec() const { return spec_; }

 private:
  OperatorSpec spec_;
  LpBackend backend_;
  bool warm_;
  std::vector<PeriodModel> periods_;              // [t] the model as first built (rows, base bounds)
  std::vector<std::unique_ptr<grid::ClpLp>> lp_;  // [t]
};

}  // namespace evs::kinds::stackelberg
