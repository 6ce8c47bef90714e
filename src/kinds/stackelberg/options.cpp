#include "kinds/stackelberg/options.hpp"

#include <algorithm>
#include <cmath>

namespace evs::kinds::stackelberg {

using config::Schema;

config::Schema<Options> options_schema() {
  Schema<FeederOptions> g;
  g.path("case", &FeederOptions::case_file, std::nullopt, "MATPOWER case of the radial feeder")
      .number("vmin_pu", &FeederOptions::vmin_pu, 0.9, 0.5, 1.5, "pu", "Lowest bus voltage")
      .number("vmax_pu", &FeederOptions::vmax_pu, 1.1, 0.5, 1.5, "pu", "Highest bus voltage")
      .number("transformer_mva", &FeederOptions::transformer_mva, 10, 0, 1e4, "MVA", "Substation limit (0 = none)")
      .number("line_mva", &FeederOptions::line_mva, 6, 0, 1e4, "MVA", "Limit of branches without a rating (0 = none)")
      .integer("polygon_sides", &FeederOptions::polygon_sides, 12, 4, 64, "count",
               "Sides of the polygon replacing P^2 + Q^2 <= S^2")
      .number("curtailment_cost", &FeederOptions::curtailment_cost, 20, 0, 1e6, "currency/MWh", "Cost of wind not used")
      .number("shedding_cost", &FeederOptions::shedding_cost, 3000, 0, 1e7, "currency/MWh", "Cost of base load shed");
  Schema<UserOptions> u;
  u.path("network", &UserOptions::network_file, std::nullopt, "TNTP network file")
      .path("trips", &UserOptions::trips_file, std::nullopt, "TNTP trip table (peak-hour trips, veh/h)")
      .number("ev_share", &UserOptions::ev_share, 0.1, 0, 1, "", "Share of the trips that are charging EVs")
      .number("kappa", &UserOptions::kappa, 100, 1e-6, 1e6, "currency/h", "EV users' value of time")
      .number("xi", &UserOptions::xi, 0, 0, 1, "", "Residual flow coefficient (0 = no residual flow)")
      .number("time_unit_h", &UserOptions::time_unit_h, 1.0 / 60, 1e-6, 1, "h", "Hours per network time unit")
      .number("energy_kwh", &UserOptions::energy_kwh, 20, 1e-3, 1e3, "kWh", "Energy charged per vehicle")
      .number("range_km", &UserOptions::range_km, 1e3, 0, 1e6, "km", "Initial range: farther stations are not choices")
      .number("gap", &UserOptions::gap, 1e-8, 1e-14, 1e-2, "", "Relative gap of each period's user equilibrium");
  Schema<StationSpecOptions> st;
  st.string("name", &StationSpecOptions::name, std::nullopt, "Station name")
      .integer("node", &StationSpecOptions::node, std::nullopt, 1, 1000000, "node", "Road node (TNTP numbering)")
      .integer("bus", &StationSpecOptions::bus, std::nullopt, 1, 1000000, "bus", "Feeder bus (MATPOWER numbering)")
      .number("pile_kw", &StationSpecOptions::pile_kw, 60, 1e-3, 1e4, "kW", "Charging power per vehicle")
      .number("capacity_veh_per_h", &StationSpecOptions::capacity_veh_per_h, 60, 1e-3, 1e6, "veh/h",
              "Service capacity (waiting grows past it)")
      .number("s_mva", &StationSpecOptions::s_mva, 2, 0, 1e3, "MVA", "Apparent-power rating (reported as loading)");
  Schema<WindOptions> w;
  w.numbers("buses", &WindOptions::buses, 1, 1e6, "bus", "Buses with a wind plant")
      .number("capacity_mw", &WindOptions::capacity_mw, 0.8, 0, 1e4, "MW", "Capacity of each plant")
      .number("variability", &WindOptions::variability, 0.3, 0, 5, "", "Relative sd of the scenario availability")
      .number("tan_phi", &WindOptions::tan_phi, 0, -1, 1, "", "Q = P tan(phi) of the plants")
      .integer("scenarios", &WindOptions::scenarios, 10, 1, 1000, "count", "Wind scenarios per sweep scenario")
      .numbers("probabilities", &WindOptions::probabilities, 0, 1, "", "Scenario probabilities (empty: equal; sum 1)");
  Schema<DayProfiles> p;
  p.integer("periods", &DayProfiles::periods, 24, 1, 1000, "count", "Periods of the day")
      .number("dt_h", &DayProfiles::dt_h, 1, 1e-3, 24, "h", "Period length")
      .numbers("base_load", &DayProfiles::base_load, 0, 10, "", "[period] multiplier of the case loads (empty: 1)")
      .numbers("trips", &DayProfiles::trips, 0, 10, "", "[period] multiplier of the trip table (empty: 1)")
      .numbers("tariff", &DayProfiles::tariff, 0, 1e5, "currency/MWh", "[period] substation purchase price")
      .numbers("wind", &DayProfiles::wind, 0, 1, "", "[period] mean wind availability (empty: 0.5)");
  Schema<PricingOptions> pr;
  pr.choice("mode", &PricingOptions::mode, "game", {"game", "fixed"}, "Stations play the price game or keep fixed_price")
      .number("fixed_price", &PricingOptions::fixed_price, 1.2, 0, 1e3, "currency/kWh", "Price in fixed mode")
      .number("lower", &PricingOptions::lower, 0.8, 0, 1e3, "currency/kWh", "Lowest charging price")
      .number("upper", &PricingOptions::upper, 2.5, 0, 1e3, "currency/kWh", "Highest charging price")
      .integer("max_outer", &PricingOptions::max_outer, 20, 1, 10000, "count",
               "Cap on best-response rounds per period (grid phase; refinement phase)")
      .integer("certificate_points", &PricingOptions::certificate_points, 11, 2, 1000, "count",
               "Prices over the bounds: the grid of the best-response search and of the certificate's deviations")
      .integer("enumerate_limit", &PricingOptions::enumerate_limit, 2000, 0, 10000000, "count",
               "When best response cycles in a period: enumerate the grid game if it has at most this many "
               "price profiles (certificate_points ^ stations; 0: never)")
      .boolean("refine", &PricingOptions::refine, false,
               "After a grid equilibrium, local best responses off the grid (golden section within a grid step)")
      .number("price_tolerance", &PricingOptions::price_tolerance, 1e-3, 1e-9, 0.5, "", "Golden-section width / bounds")
      .number("residual_tolerance", &PricingOptions::residual_tolerance, 1e-4, 0, 1, "", "equilibrium_residual goal")
      .choice("lp_backend", &PricingOptions::lp_backend, "clp", {"clp", "ipopt"}, "Solver of the operator's LPs")
      .number("station_tan_phi", &PricingOptions::station_tan_phi, 0.2, -1, 1, "", "Q = P tan(phi) of the stations")
      .choice("baseline", &PricingOptions::baseline, "none", {"none", "swarm", "swarm_equilibrium"},
              "Also run a population-search baseline: swarm (a particle swarm on the stations' total profit) or "
              "swarm_equilibrium (best responses by swarm, station by station, iterated to an equilibrium)")
      .integer("swarm_particles", &PricingOptions::swarm_particles, 10, 2, 10000, "count", "Baseline swarm size")
      .integer("swarm_iterations", &PricingOptions::swarm_iterations, 20, 1, 100000, "count", "Baseline iterations")
      .integer("swarm_rounds", &PricingOptions::swarm_rounds, 5, 1, 1000, "count",
               "swarm_equilibrium: cap on best-response rounds over the stations");
  Schema<Options> s;
  s.section("grid", &Options::grid, g, "Distribution feeder and the operator's costs")
      .section("traffic", &Options::traffic, u, "Road network and EV users")
      .list("stations", &Options::stations, st, "Charging stations")
      .section("wind", &Options::wind, w, "Wind plants and scenarios")
      .section("profiles", &Options::profiles, p, "Daily profiles, one value per period")
      .section("pricing", &Options::pricing, pr, "Station pricing (the upper level)");
  return s;
}

void check_options(const config::Study& study, config::ParseContext& ctx) {
  const auto& o = study.options<Options>();
  const auto& p = o.profiles;
  for (auto [v, key] : {std::pair{&p.base_load, "base_load"}, {&p.trips, "trips"}, {&p.wind, "wind"}})
    if (!v->empty() && static_cast<int>(v->size()) != p.periods)
      ctx.error_key(std::string("profiles.") + key, "has " + std::to_string(v->size()) +
                                                        " values but profiles.periods is " + std::to_string(p.periods));
  if (static_cast<int>(p.tariff.size()) != p.periods)
    ctx.error_key("profiles.tariff", "needs one price per period (" + std::to_string(p.periods) + ")");
  if (o.pricing.lower > o.pricing.upper)
    ctx.error_key("pricing.lower", "price bounds reversed: lower " + config::format_number(o.pricing.lower) +
                                       " > upper " + config::format_number(o.pricing.upper));
  if (!o.wind.probabilities.empty()) {
    if (static_cast<int>(o.wind.probabilities.size()) != o.wind.scenarios)
      ctx.error_key("wind.probabilities", "has " + std::to_string(o.wind.probabilities.size()) +
                                              " values but wind.scenarios is " + std::to_string(o.wind.scenarios));
    double sum = 0;
    for (double v : o.wind.probabilities) sum += v;
    if (std::abs(sum - 1) > 1e-9)
      ctx.error_key("wind.probabilities", "sum to " + config::format_number(sum) + ", not 1");
  }
  if (o.stations.empty()) ctx.error_key("stations", "needs at least one station");
  for (size_t i = 0; i < o.stations.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (o.stations[i].name == o.stations[j].name)
        ctx.error_key("stations[" + std::to_string(i) + "].name", "duplicate station name '" + o.stations[i].name + "'");
}

}  // namespace evs::kinds::stackelberg
