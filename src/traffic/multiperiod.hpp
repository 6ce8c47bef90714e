#pragma once
// Period-by-period assignment over a day (paper 001): every period's equilibrium starts
// from the previous period's (warm start, step schedule restarted), regular and charging
// demand share the roads, and charging EVs pass through one station each.
//
// Demand in period t for OD pair rs with trips W_rs (the trip table, veh/h):
//   W_rs,t  = W_rs * demand_multiplier[t] (+ carried-over residual, below)
//   charging = W_rs,t * ev_penetration * fast_charge_share[t]   (origin -> station -> destination)
//   regular  = W_rs,t - charging
// Residual flow (paper 003, optional share xi): trips still travelling at the end of a period,
// r_rs,t = W_rs,t * min(1, c_rs,t / period_minutes) with c_rs,t the class's mean path time, are
// carried into the next period: W_mod,t = W_t + xi r_{t-1} - xi r_t. The period is solved with
// W_t + xi r_{t-1}, r_t is computed from its costs, and it is solved again with W_mod,t.
// Station outputs: arrivals (veh/h on the station link), queue delay (Davidson time above the
// service time) and charging power P_s,t = charge_coefficient * arrivals * battery_kwh (kW).
#include <string>
#include <vector>

#include "traffic/assignment.hpp"
#include "traffic/network.hpp"
#include "traffic/sue.hpp"
#include "traffic/ue.hpp"

namespace evs::traffic {

struct DayOptions {
  bool stochastic = true;  // logit SUE (else deterministic UE)
  SueOptions sue;
  UeOptions ue;
  bool warm_start = true;
  std::vector<double> demand_multiplier;  // [period]
  // [period][od pair] veh/h: when given (e.g. one estimated trip table per period), replaces
  // od_pairs[i].demand * demand_multiplier[t]
  std::vector<std::vector<double>> period_demand;
  std::vector<double> fast_charge_share;  // [period] share of EV trips needing a fast charge
  double ev_penetration = 0;
  double charge_coefficient = 0.5;        // gamma
  double battery_kwh = 60;                // E_B
  double residual_share = 0;              // xi
  double period_minutes = 60;
};

struct PeriodResult {
  AssignmentResult assignment;
  std::vector<double> station_arrivals;  // [station] veh/h
  std::vector<double> station_delay;     // [station] queue delay, network time unit
  std::vector<double> charging_kw;       // [station]
  double regular_demand = 0, charging_demand = 0, carried_in = 0;  // veh/h
};

struct DayResult {
  Status status;  // worst over the periods
  std::vector<PeriodResult> periods;
  int total_iterations = 0;
  double seconds = 0;
};

// `od_pairs`: the regular demand of the trip table (demand_from_trips), multiplied per period.
DayResult solve_day(const TrafficNetwork& net, const std::vector<DemandClass>& od_pairs, const DayOptions& options,
                    const std::string& demand_source);

}  // namespace evs::traffic
