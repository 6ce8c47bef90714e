#include "kinds/planning/options.hpp"

#include <cmath>

#include "config/section_schemas.hpp"

namespace evs::kinds::planning {

using namespace evs::config;

namespace {

Schema<AreaOptions> area_schema() {
  Schema<AreaOptions> s;
  s.string("name", &AreaOptions::name, std::nullopt, "Name of the area (labels of series and tables)")
      .choice("type", &AreaOptions::type, "residential", {"residential", "commercial", "station"},
              "Area type: sets the default base-load shape and the index rules")
      .numbers("buses", &AreaOptions::buses, 1, 1e9, "bus", "Feeder buses of the area; its load is split evenly")
      .number("households", &AreaOptions::households, 0.0, 0, 1e7, "count", "Households (residential P_J)")
      .number("household_kw", &AreaOptions::household_kw, 8.0, 0, 1e4, "kW", "Planning load per household")
      .number("demand_coefficient", &AreaOptions::demand_coefficient, 0.6, 0, 1, "", "Demand coefficient zeta")
      .number("load_simultaneity", &AreaOptions::load_simultaneity, 0.6, 0, 1, "",
              "Simultaneity delta of the planning load (eq. 5)")
      .number("power_factor", &AreaOptions::power_factor, 0.85, 0.1, 1, "", "Load power factor cos(phi)")
      .number("planning_margin", &AreaOptions::planning_margin, 0.8, 0.1, 1, "", "Distribution planning margin")
      .number("cars", &AreaOptions::cars, 0.0, 0, 1e7, "count", "Cars in the area (residential)")
      .number("penetration", &AreaOptions::penetration, 0.5, 0, 1, "", "EV penetration alpha = N_EV / N_cars")
      .number("piles", &AreaOptions::piles, 0.0, 0, 1e7, "count", "Charging piles (commercial, station)")
      .number("vehicles_per_pile", &AreaOptions::vehicles_per_pile, 1.0, 0, 100, "",
              "Vehicles served per pile and day (commercial, station)")
      .number("charge_simultaneity", &AreaOptions::charge_simultaneity, 0.6, 0, 1, "",
              "Charging simultaneity beta used by the planned EV capacity S_ev (eq. 4)")
      .number("pile_kw", &AreaOptions::pile_kw, 7.0, -1e9, 1e4, "kW", "Rated pile power (> 0)")
      .number("base_peak_kw", &AreaOptions::base_peak_kw, 0.0, 0, 1e7, "kW",
              "Peak of the area's base load; 0 = the planning load P_R")
      .numbers("base_profile", &AreaOptions::base_profile, 0, 10, "",
               "Base-load shape, 24 hourly values or one per period (scaled to max 1); empty = by type")
      .number("feeder_scale", &AreaOptions::feeder_scale, 0.05, 0, 1, "",
              "Share of the area's load (base + EV) that the feeder model carries at its buses")
      .number("arrival_mean_h", &AreaOptions::arrival_mean_h, 18.5, 0, 24, "h", "Mean arrival time of day")
      .number("arrival_sd_h", &AreaOptions::arrival_sd_h, 1.5, 0, 12, "h", "Standard deviation of arrival")
      .number("dwell_mean_h", &AreaOptions::dwell_mean_h, 12.5, -1e3, 24, "h",
              "Mean plugged-in time (departure - arrival, > 0)")
      .number("dwell_sd_h", &AreaOptions::dwell_sd_h, 1.0, 0, 12, "h", "Standard deviation of the dwell time")
      .number("dwell_min_h", &AreaOptions::dwell_min_h, 0.25, 0, 24, "h", "Shortest dwell drawn")
      .number("soc_initial_mean", &AreaOptions::soc_initial_mean, 0.4, 0, 1, "", "Mean SOC at arrival")
      .number("soc_initial_sd", &AreaOptions::soc_initial_sd, 0.1, 0, 1, "", "Standard deviation of arrival SOC")
      .number("soc_departure", &AreaOptions::soc_departure, 0.9, 0, 1, "", "SOC the driver needs at departure");
  return s;
}

Schema<FleetOptions> fleet_schema() {
  Schema<FleetOptions> s;
  s.number("battery_kwh", &FleetOptions::battery_kwh, 25.0, 1e-3, 1e4, "kWh", "Battery capacity")
      .number("charge_efficiency", &FleetOptions::charge_efficiency, 0.95, 0.1, 1, "", "Charger efficiency eta_c")
      .number("discharge_efficiency", &FleetOptions::discharge_efficiency, 0.95, 0.1, 1, "",
              "Discharge efficiency eta_d (V2G)")
      .number("soc_min", &FleetOptions::soc_min, 0.1, 0, 1, "", "Lowest SOC while plugged in")
      .number("soc_max", &FleetOptions::soc_max, 0.95, 0, 1, "", "Highest SOC")
      .number("v2g_share", &FleetOptions::v2g_share, 0.5, 0, 1, "", "Share of vehicles taking part in V2G")
      .integer("cohort_bin_periods", &FleetOptions::cohort_bin_periods, 4, 1, 96, "periods",
               "Cohorts group vehicles whose arrival and departure fall in the same bin of this many "
               "periods; a cohort's window is the part every member is present")
      .number("shortfall_penalty", &FleetOptions::shortfall_penalty, 1e3, 0, 1e9, "1/MWh",
              "Objective weight of unmet departure energy (normalised objective units)")
      .number("throughput_penalty", &FleetOptions::throughput_penalty, 1e-4, 0, 1e9, "1/MWh",
              "Objective weight of the energy charged plus discharged: keeps cohorts from charging and "
              "discharging in the same period to waste energy (periods where both remain are reported)");
  return s;
}

Schema<PlanningOptions> planning_schema() {
  Schema<PlanningOptions> s;
  s.integer("periods", &PlanningOptions::periods, 96, 2, 10000, "count", "Periods of the day")
      .number("dt_h", &PlanningOptions::dt_h, 0.25, 1e-3, 24, "h", "Period length")
      .number("unit_kva", &PlanningOptions::unit_kva, 1000.0, 1, 1e7, "kVA", "Standard transformer unit S_U")
      .number("unit_cost", &PlanningOptions::unit_cost, 1.75e6, 0, 1e12, "currency", "Investment per unit")
      .number("voltage_reference_pu", &PlanningOptions::voltage_reference_pu, 1.0, 0.5, 1.5, "pu",
              "U0 of the voltage deviation objective f3")
      .number("overload_penalty", &PlanningOptions::overload_penalty, 1e3, 0, 1e9, "1/MW",
              "Objective weight of load above the existing transformer units (normalised objective units)");
  return s;
}

Schema<ParetoOptions> pareto_schema() {
  Schema<ParetoOptions> s;
  s.integer("divisions", &ParetoOptions::divisions, 5, 1, 50, "count",
            "Epsilon levels G of f2, and of f3 within each f2 level: G (G + 2) subproblems besides the 3 payoff solves")
      .number("augmentation", &ParetoOptions::augmentation, 1e-3, 0, 1, "",
              "Weight of the other normalised objectives in each subproblem (proper Pareto optima)")
      .choice("formulation", &ParetoOptions::formulation, "lin", {"soc", "lin"},
              "DistFlow formulation of the front (lin: LinDistFlow, a convex QP; soc: with losses, see docs)")
      .number("loss_weight", &ParetoOptions::loss_weight, 1e-2, 0, 1e6, "1/MWh", "Objective weight of losses")
      .number("voltage_shortfall_cost", &ParetoOptions::voltage_shortfall_cost, 1e3, 0, 1e9, "1/pu",
              "Soft voltage limits: cost per pu^2 outside [grid.vmin_pu, grid.vmax_pu], per bus and period")
      .boolean("mopso", &ParetoOptions::mopso, false,
               "Also run the paper's particle-swarm baseline on the same scenario (hypervolume_mopso, mopso_s; slow)")
      .integer("mopso_particles", &ParetoOptions::mopso_particles, 60, 2, 100000, "count",
               "Particles of the swarm baseline (the paper's 60)")
      .integer("mopso_iterations", &ParetoOptions::mopso_iterations, 300, 1, 1000000, "count",
               "Iterations of the swarm baseline (the paper's 300)");
  return s;
}

}  // namespace

config::Schema<Options> options_schema() {
  config::Schema<Options> s;
  s.section("grid", &Options::grid, grid_schema(), "Distribution feeder")
      .list("areas", &Options::areas, area_schema(), "Load areas with their EV fleets")
      .section("fleet", &Options::fleet, fleet_schema(), "Vehicles and batteries")
      .section("planning", &Options::planning, planning_schema(), "Day, transformer units and investment")
      .section("pareto", &Options::pareto, pareto_schema(), "Multi-objective ordered charging / V2G");
  return s;
}

const std::vector<std::string>& stage_names() {
  static const std::vector<std::string> names = {};
  return names;
}

void check_options(const config::Study& study, config::ParseContext& ctx) {
  const auto& o = study.options<Options>();
  if (o.areas.empty()) ctx.error_key("areas", "needs at least one area");
  for (size_t i = 0; i < o.areas.size(); ++i) {
    const auto& a = o.areas[i];
    const std::string k = "areas[" + std::to_string(i) + "].";
    if (a.buses.empty()) ctx.error_key(k + "buses", "needs at least one bus");
    for (double b : a.buses)
      if (b != std::floor(b)) ctx.error_key(k + "buses", "bus " + format_number(b) + " is not an integer");
    if (!(a.pile_kw > 0)) ctx.error_key(k + "pile_kw", "must be positive, is " + format_number(a.pile_kw));
    if (!(a.dwell_mean_h > 0))
      ctx.error_key(k + "dwell_mean_h", "departure must come after arrival (dwell " + format_number(a.dwell_mean_h) +
                                            " h)");
    const size_t n = a.base_profile.size();
    if (n != 0 && n != 24 && static_cast<int>(n) != o.planning.periods)
      ctx.error_key(k + "base_profile", "has " + std::to_string(n) + " values; needs 24 or planning.periods (" +
                                            std::to_string(o.planning.periods) + ")");
    if (a.soc_departure > o.fleet.soc_max + 1e-12)
      ctx.error_key(k + "soc_departure", "is above fleet.soc_max (" + format_number(o.fleet.soc_max) + ")");
    for (size_t j = 0; j < i; ++j)
      if (o.areas[j].name == a.name) ctx.error_key(k + "name", "duplicate area name '" + a.name + "'");
  }
  if (o.fleet.soc_min >= o.fleet.soc_max)
    ctx.error_key("fleet.soc_min", "must be below fleet.soc_max (" + format_number(o.fleet.soc_min) +
                                       " >= " + format_number(o.fleet.soc_max) + ")");
  if (std::abs(o.planning.periods * o.planning.dt_h - 24) > 1e-6)
    ctx.error_key("planning.dt_h", "periods x dt_h must be 24 h");
}

}  // namespace evs::kinds::planning
