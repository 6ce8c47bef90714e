#pragma once
// OD matrix estimation from link observations (paper 001's first step, its eq. 1; MODELS.md
// section 3; docs/traffic.md "OD estimation"). A bi-level scheme:
//
//   1. assign the current OD vector (logit SUE or UE) and read every OD pair's route-choice
//      shares: M_ar = share of pair r's demand that uses observed link a (the paper's A P');
//   2. with M fixed, maximise the likelihood of the observed counts over O >= 0
//      (od_mle.hpp: Poisson or normal, optional prior matrix);
//   3. repeat until the route choice settles: the share of demand whose route-choice
//      proportions changed between two assignments, sum_r O_r sum_k |p_k - p'_k| / (2 sum O),
//      falls below `outer_tolerance`.
//
// At the end the route choice is the assignment of the estimate itself, so the reported
// flows, RMSE and R^2 are those a user gets by assigning the written trip table.
#include <limits>
#include <string>
#include <vector>

#include "core/status.hpp"
#include "data/link_observations.hpp"
#include "data/road_network.hpp"
#include "traffic/network.hpp"
#include "traffic/od_mle.hpp"
#include "traffic/sue.hpp"
#include "traffic/ue.hpp"

namespace evs::traffic {

struct OdPair {
  int origin = 0, destination = 0;  // 0-based nodes (zones)
};

// One observed road link in one period, in vehicles per hour.
struct LinkObservation {
  int link = 0;                  // road link id (file order)
  std::vector<double> samples;   // flows from counts or from speeds below free flow
  double upper = std::numeric_limits<double>::infinity();  // speeds at free flow: flow <= upper
  int line = 0;                  // first line of the observations file that names it
};

struct ObservationUnits {
  double period_minutes = 60;        // a count is vehicles per period; trips are per hour
  double km_per_length_unit = 1;     // of the network's length column
  double minutes_per_time_unit = 1;  // of the network's free-flow time column
  double speed_resolution_kmh = 1;   // a free-flow speed says: slower by this much would have shown
};

// Flow of a link at a travel time, through the inverse of its BPR function. A speed at or
// above the link's free-flow speed gives only an upper bound: the flow at which the speed
// would have fallen by `speed_resolution_kmh` (stored in LinkObservation::upper).
// Observations grouped by period (index 0 = period 1). Throws InputError naming the file,
// line and column: a link the network lacks, a negative count, a speed on a link without a
// length or with a flat time function, periods not numbered 1..T without gaps.
std::vector<std::vector<LinkObservation>> observations_by_period(const RoadNetwork& road,
                                                                 const std::vector<ObservationRecord>& records,
                                                                 const ObservationUnits& units,
                                                                 const std::string& source_file);

// The inverse of the BPR time function at travel time t (network time units); -1 when t
// is at or below free flow.
double bpr_flow_at_time(const RoadLink& link, double t);

struct OdEstimationOptions {
  bool stochastic = true;  // logit SUE (else deterministic UE)
  SueOptions sue;
  UeOptions ue;
  OdLikelihood likelihood = OdLikelihood::poisson;
  double prior_weight = 0.1;     // pseudo-observations of every OD entry
  // free: the prior gives the pattern and the counts the level (the prior is rescaled to the
  // estimate's total before every estimation round); fixed: its level is believed too.
  bool prior_level_free = true;
  double censor_weight = 1;
  int max_outer = 100;
  double outer_tolerance = 1e-4;  // share of demand rerouted between two assignments
  bool accelerate = true;         // SQUAREM extrapolation of the outer iterates
  double mle_tolerance = 1e-10;
  int mle_max_iterations = 200;
  double demand_floor = 1e-6;     // veh/h given to empty pairs so their route choice is defined
};

struct OdEstimate {
  Status status;  // not_converged when the route choice did not settle within max_outer
  std::vector<double> demand;      // [pair] veh/h
  std::vector<char> identified;    // [pair] by the observed links alone
  std::vector<double> std_error;   // [pair] veh/h (od_mle.hpp: identify)
  int rank = 0;                    // independent observed links
  int observed_links = 0;          // links with counts or speeds (censored ones included)
  double log_likelihood_before = 0, log_likelihood_after = 0;
  double rmse_before = 0, rmse_after = 0;  // veh/h, observed links (mean of samples vs assigned)
  double r2_before = 0, r2_after = 0;
  double total_before = 0, total_after = 0;  // veh/h
  int outer_iterations = 0, mle_iterations = 0;
  double rerouted_share = 0;       // of the last outer iteration
  std::vector<double> link_flow;   // [link] assignment of the estimate
  double seconds = 0;
};

// `prior`: [pair] veh/h, or empty (then the start is a uniform matrix whose assigned
// flows match the observed total). Pairs are estimated as given (od_pairs_of helps).
OdEstimate estimate_od(const TrafficNetwork& net, const std::vector<OdPair>& pairs, const std::vector<double>& prior,
                       const std::vector<LinkObservation>& observations, const OdEstimationOptions& options,
                       const std::string& source_name);

// Every ordered pair of distinct zones that a path connects (all), or the prior's positive
// entries (prior).
std::vector<OdPair> all_zone_pairs(const TrafficNetwork& net, int num_zones);
std::vector<OdPair> prior_pairs(const OdMatrix& prior);
// The prior's flows on `pairs` (0 where it has none).
std::vector<double> prior_on_pairs(const OdMatrix& prior, const std::vector<OdPair>& pairs);

}  // namespace evs::traffic
