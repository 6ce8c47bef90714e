#include "traffic/ev_demand.hpp"

#include <algorithm>
#include <cmath>

#include "core/rng.hpp"

namespace evs::traffic {

std::vector<double> fast_charge_share(const EvTripModel& m, int periods, double dt_h, std::uint64_t seed,
                                      std::uint64_t scenario) {
  RandomStream rng(seed, scenario, stream_ev_trips);
  std::vector<double> departing(periods, 0.0), needing(periods, 0.0);
  const double day_h = periods * dt_h;
  for (int k = 0; k < m.samples; ++k) {
    const double pick = rng.uniform();
    double hour;
    if (pick < m.morning_share)
      hour = rng.normal(m.morning_peak_h, m.morning_sd_h);
    else if (pick < m.morning_share + m.evening_share)
      hour = rng.normal(m.evening_peak_h, m.evening_sd_h);
    else
      hour = rng.uniform(0, day_h);
    hour = std::fmod(std::fmod(hour, day_h) + day_h, day_h);
    const double soc = std::clamp(rng.normal(m.soc_mean, m.soc_sd), 0.05, 1.0);
    const double km = rng.lognormal(std::log(m.trip_km_median), m.trip_km_sigma);
    const double arrival_soc = soc - km * m.consumption_kwh_per_km / m.battery_kwh;
    const int t = std::min(periods - 1, static_cast<int>(hour / dt_h));
    departing[t] += 1;
    if (arrival_soc < m.soc_threshold) needing[t] += 1;
  }
  std::vector<double> share(periods, 0.0);
  for (int t = 0; t < periods; ++t) share[t] = departing[t] > 0 ? needing[t] / departing[t] : 0.0;
  return share;
}

}  // namespace evs::traffic
