#pragma once
// Share of EV trips that need a fast charge, per period (paper 001 eq. 2, MODELS.md 3):
// a Monte Carlo of departure time, trip length and departure state of charge. A sampled
// EV needs a fast charge when its state of charge on arrival would fall below the
// threshold. Reproducible: draws come from RandomStream(seed, scenario, stream_ev_trips).
#include <cstdint>
#include <vector>

namespace evs::traffic {

struct EvTripModel {
  int samples = 20000;                 // simulated EV trips
  double battery_kwh = 60;
  double consumption_kwh_per_km = 0.18;
  double soc_mean = 0.55, soc_sd = 0.2;  // departure SOC, truncated to [0.05, 1]
  double trip_km_median = 18, trip_km_sigma = 0.8;  // lognormal trip length
  double morning_peak_h = 7.5, morning_sd_h = 1.5;  // departure time: two peaks + flat
  double evening_peak_h = 17.5, evening_sd_h = 2.0;
  double morning_share = 0.4, evening_share = 0.4;  // the rest uniform over the day
  double soc_threshold = 0.25;         // charge when arrival SOC would be below
};

// [period] share of EV trips departing in the period that need a fast charge (0 when no
// sampled trip departs in it). Periods of dt_h hours starting at midnight.
std::vector<double> fast_charge_share(const EvTripModel& model, int periods, double dt_h, std::uint64_t seed,
                                      std::uint64_t scenario);

}  // namespace evs::traffic
