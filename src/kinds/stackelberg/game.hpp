#pragma once
// The stackelberg equilibrium (MODELS.md section 6): stations set charging prices
// rho[station][t] (currency/kWh) within bounds; given them, EV users equilibrate period by
// period (ev_users.hpp) with semi-dynamic residual flow
//   W_mod[od][t] = W[od][t] + xi r[od][t-1] - xi r[od][t],  r[od][t] = sum_paths f T / dt
// (T = travel + charging time, h; r solved as a fixed point within each period), the station
// loads P = arrivals x energy go to the operator's LP (operator_lp.hpp), whose nodal prices
// c_ele set the stations' costs. Profit of station m: sum_t (1000 rho - c_ele) P dt.
//
// Deterministic method: period by period (the carried residual r[t-1] fixed by the periods
// already solved, as the certificate holds it), the period's price game among the stations:
//  1. best response on the price grid (the certificate's `certificate_points` prices over the
//     bounds), Gauss-Seidel over the stations, from the previous period's equilibrium prices
//     snapped to the grid, until no station gains by moving (a grid equilibrium) or a profile
//     repeats (best response cycles) or `max_outer` rounds;
//     1b. if it did not settle and the grid game has at most `enumerate_limit` profiles,
//     every profile: a pure grid equilibrium where one exists (the largest total profit
//     among several), else the profile with the smallest largest relative gain;
//  2. (refine) local best responses off the grid: golden-section search within one grid step
//     of each price to price_tolerance x (upper - lower), Gauss-Seidel rounds until no price
//     moves by more than 3 x that; the refined prices are kept only if no station gains more
//     on the grid there than at the grid equilibrium.
// A period evaluation ("lower-level solve") is the users' equilibrium with its residual fixed
// point plus the period's LP; evaluations are cached per period by price vector.
// Certificate: equilibrium_residual = max over stations of sum_t max(0, best profit on the
// grid of deviations of rho[m][t] - current profit)[t] / max(|profit of m|, mean |profit| of
// the stations), the deviations evaluated period by period like the search (carried residual
// held fixed). At a grid equilibrium it is 0 by construction: the certificate's deviations are
// the search's grid (tests check it against a finer grid of deviations).
#include <vector>

#include "core/status.hpp"
#include "kinds/stackelberg/ev_users.hpp"
#include "kinds/stackelberg/operator_lp.hpp"

namespace evs::kinds::stackelberg {

struct GameSpec {
  std::vector<std::vector<double>> demand;  // [t][od] EV trips, veh/h
  double xi = 0;                            // residual flow coefficient, 0 = none
  double dt_h = 1;
  double price_lower = 0.5, price_upper = 2.0;  // currency/kWh
  bool game = true;                         // false: every price stays at fixed_price
  double fixed_price = 1.0;                 // currency/kWh
  int max_outer = 20;                       // best-response rounds per period (each phase)
  double price_tolerance = 1e-3;            // relative to the bounds' width
  bool refine = false;                      // phase 2: local best responses off the grid
  int certificate_points = 11;              // the price grid of phase 1 and of the certificate
  double enumerate_limit = 2000;            // profiles: enumerate the grid game when best response cycles
  double residual_tolerance = 1e-4;         // equilibrium_residual goal
  double time_limit_s = 0;
};

struct DayState {
  std::vector<std::vector<double>> price;      // [station][t] currency/kWh
  std::vector<std::vector<double>> station_mw; // [station][t]
  std::vector<std::vector<double>> c_ele;      // [station][t] currency/MWh
  std::vector<std::vector<double>> lmp;        // [t][bus] currency/MWh
  std::vector<std::vector<double>> residual;   // [t][od] veh/h not finished at the end of t
  std::vector<std::vector<double>> profit;     // [station][t] currency
  std::vector<double> operator_cost;           // [t] currency
  std::vector<double> tstt_veh_h;              // [t] veh h
  std::vector<double> user_cost;               // [t] currency
  std::vector<double> ue_gap;                  // [t]
  std::vector<double> curtailment_mwh;         // [t] expected
  std::vector<PathState> paths;                // [t]
};

struct GameResult {
  Status status;
  DayState day;
  double station_profit = 0;         // currency, all stations over the day
  std::vector<double> profit_by_station;  // [station]
  double operator_expected_cost = 0; // currency
  double ev_user_cost = 0;           // currency over the day
  double tstt_veh_h = 0;
  double equilibrium_residual = 0;
  double worst_ue_gap = 0;
  double curtailment_mwh = 0;
  int outer_iterations = 0;          // best-response rounds, summed over the periods
  int periods_certified = 0;         // periods whose prices no grid deviation improves
  long lower_level_solves = 0;       // period evaluations (users + LP)
};

class Game {
 public:
  Game(GameSpec spec, EvUserSpec users, OperatorLp& op);
  GameResult solve();
  // Evaluates the whole day at the given prices [station][t] (one forward pass).
  GameResult evaluate(const std::vector<std::vector<double>>& price);
  long lower_level_solves() const { return solves_; }
  // The certificate of a day's prices (an evaluated DayState) over `points` deviations per
  // station and period (certificate_points when 0).
  double equilibrium_residual(DayState& day, int points = 0);

 private:
  struct PeriodEval {
    Status status;
    PeriodFlows flows;
    OperatorPeriod op;
    std::vector<double> station_mw, residual, profit;  // [station], [od], [station]
    PathState paths;
  };
  PeriodEval eval_period(int t, const std::vector<double>& price, const std::vector<double>& r_prev,
                         const PathState& warm);
  DayState empty_day(const std::vector<std::vector<double>>& price) const;  // sized, zeros, no paths
  Status forward_pass(DayState& day);
  void store(DayState& day, int t, PeriodEval&& e);
  struct PeriodOutcome;
  PeriodOutcome period_equilibrium(int t, std::vector<double> price, const std::vector<double>& r_prev,
                                   const PathState& warm);
  GameResult finish(DayState&& day, Status status, int outer);

  GameSpec spec_;
  EvUserSpec users_;
  OperatorLp& op_;
  long solves_ = 0;
};

}  // namespace evs::kinds::stackelberg
