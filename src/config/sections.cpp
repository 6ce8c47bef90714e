// Declarations of the option sections that study kinds compose (config/sections.hpp).
#include "config/section_schemas.hpp"

namespace evs::config {

Schema<GridOptions> grid_schema(bool line_ratings) {
  Schema<GridOptions> s;
  s.path("case", &GridOptions::case_file, std::nullopt, "MATPOWER case file (format version 2) of the feeder")
      .number("vmin_pu", &GridOptions::vmin_pu, 0.95, 0.5, 1.5, "pu", "Lowest allowed bus voltage magnitude")
      .number("vmax_pu", &GridOptions::vmax_pu, 1.05, 0.5, 1.5, "pu", "Highest allowed bus voltage magnitude")
      .number("slack_vm_pu", &GridOptions::slack_vm_pu, 1.0, 0.8, 1.2, "pu",
              "Voltage magnitude held at the substation (reference) bus")
      .number("load_scale", &GridOptions::load_scale, 1.0, 0, 10, "",
              "Multiplier applied to every bus load of the case")
      .choice("export", &GridOptions::export_rule, "credit", {"credit", "forbid", "price"},
              "Reverse flow at the substation: credited at the purchase tariff (credit), not allowed (forbid: "
              "import >= 0 every period), or credited at profiles.export_price (price; at most the tariff)");
  if (line_ratings)
    s.number("line_rating_mva", &GridOptions::line_rating_mva, 0.0, 0, 1e6, "MVA",
             "Thermal rating of every branch the case leaves unrated (MATPOWER rateA = 0); 0 = none")
        .number("line_rating_margin", &GridOptions::line_rating_margin, 0.0, 0, 100, "",
                "Rate every unrated branch at this multiple of its apparent power in the AC power flow of the case's "
                "own loads (a planning margin: 1.5 = the design peak loads the branch to 67 %); 0 = off")
        .number("line_rating_min_mva", &GridOptions::line_rating_min_mva, 0.0, 0, 1e6, "MVA",
                "With line_rating_margin: the smallest rating a branch gets (the feeder's smallest conductor)");
  return s;
}

Schema<OdEstimationOptions> od_estimation_schema() {
  Schema<OdEstimationOptions> s;
  s.path("observations", &OdEstimationOptions::observations_file, "",
         "CSV of link observations (period,init_node,term_node,count or speed_kmh): the trip table is estimated "
         "from them once per run (docs/traffic.md, 'OD estimation')")
      .path("prior", &OdEstimationOptions::prior_file, "", "TNTP trip table used as prior (seed) matrix, veh/h")
      .number("prior_weight", &OdEstimationOptions::prior_weight, 0.1, 0, 1e6, "",
              "Pseudo-observations of every OD entry the prior counts as (0: start and pair list only)")
      .choice("prior_level", &OdEstimationOptions::prior_level, "free", {"free", "fixed"},
              "free: the prior gives the pattern and the counts the level; fixed: the prior's level is believed too")
      .choice("likelihood", &OdEstimationOptions::likelihood, "poisson", {"poisson", "normal"},
              "Counts as independent Poisson variables, or the paper's normal approximation")
      .choice("pairs", &OdEstimationOptions::pairs, "auto", {"auto", "all", "prior"},
              "OD pairs estimated: all zone pairs, the prior's positive entries, or auto (prior when prior_weight "
              "is 0, else all)")
      .number("period_minutes", &OdEstimationOptions::period_minutes, 60, 1e-6, 1e6, "min",
              "Length of an observation period: counts are vehicles per period")
      .number("length_km", &OdEstimationOptions::length_km, 1, 1e-9, 1e9, "km",
              "Kilometres per length unit of the network file (speed observations)")
      .number("time_min", &OdEstimationOptions::time_min, 1, 1e-9, 1e9, "min",
              "Minutes per time unit of the network's free-flow times (speed observations)")
      .number("speed_resolution_kmh", &OdEstimationOptions::speed_resolution_kmh, 1, 1e-9, 1e6, "km/h",
              "A speed at free flow bounds the flow by the flow at which the speed would be this much lower")
      .integer("max_outer", &OdEstimationOptions::max_outer, 100, 1, 100000, "",
               "Assignment/estimation rounds at most")
      .number("tolerance", &OdEstimationOptions::tolerance, 1e-4, 1e-12, 1, "",
              "Stop when less than this share of the demand changes route between rounds");
  return s;
}

Schema<TrafficOptions> traffic_schema() {
  Schema<TrafficOptions> s;
  s.path("network", &TrafficOptions::network_file, std::nullopt, "TNTP network file (*_net.tntp)")
      .path("trips", &TrafficOptions::trips_file, "",
            "TNTP trip table (*_trips.tntp), vehicles per hour; required unless od_estimation is given")
      .section("od_estimation", &TrafficOptions::od_estimation, od_estimation_schema(),
               "Estimate the trip table from link counts or speeds instead of reading it (paper 001, eq. 1)")
      .choice("model", &TrafficOptions::model, "sue", {"sue", "ue"},
              "Route choice: logit stochastic user equilibrium or deterministic user equilibrium")
      .number("theta", &TrafficOptions::theta, 0.5, 1e-6, 1e3, "1/time unit",
              "Logit dispersion: small = drivers choose almost at random, large = close to UE")
      .choice("step_rule", &TrafficOptions::step_rule, "newton", {"msa", "sra", "newton"},
              "SUE step rule: the paper's method of successive averages, self-regulated averaging, or Newton "
              "(exact logit Jacobian, conjugate gradients)")
      .choice("path_set", &TrafficOptions::path_set, "auto", {"auto", "enumerate", "generate"},
              "SUE route choice set: every acyclic route (enumerate), shortest paths added as costs change "
              "(generate), or enumerate when every OD pair has at most max_enumerated_paths routes (auto)")
      .integer("max_enumerated_paths", &TrafficOptions::max_enumerated_paths, 500, 1, 1000000, "",
               "Largest route set per OD pair that 'auto' and 'enumerate' accept")
      .number("residual_share", &TrafficOptions::residual_share, 0, 0, 1, "",
              "xi: share of trips unfinished at the end of a period carried into the next (paper 003)")
      .boolean("warm_start", &TrafficOptions::warm_start, true,
               "Start each period from the previous period's equilibrium (paper 001)")
      .number("tolerance", &TrafficOptions::tolerance, 1e-8, 1e-15, 1, "",
              "Stop when the SUE residual ||y-x||/||x|| (or the UE relative gap) falls below this")
      .integer("max_iterations", &TrafficOptions::max_iterations, 10000, 1, 10000000, "", "Iteration limit per period")
      .number("demand_scale", &TrafficOptions::demand_scale, 1.0, 0, 100, "", "Multiplier of the whole trip table")
      .optional_number("toll_factor", &TrafficOptions::toll_factor, 0, 1e6, "time unit/toll unit",
                       "Generalised cost = time + toll_factor x toll + distance_factor x length (unset: the "
                       "network file's <TOLL FACTOR>, else 0)")
      .optional_number("distance_factor", &TrafficOptions::distance_factor, 0, 1e6, "time unit/length unit",
                       "Distance factor of the generalised cost (unset: the file's <DISTANCE FACTOR>, else 0)");
  return s;
}

Schema<StationOptions> station_schema() {
  Schema<StationOptions> s;
  s.string("name", &StationOptions::name, std::nullopt, "Station name")
      .integer("node", &StationOptions::node, std::nullopt, 1, 100000000, "", "Road node the station sits at (TNTP number)")
      .integer("bus", &StationOptions::bus, std::nullopt, 1, 100000000, "", "Grid bus that feeds it (MATPOWER number)")
      .number("capacity_veh_per_h", &StationOptions::capacity_veh_per_h, 60, 1e-6, 1e6, "veh/h",
              "Service capacity of the station queue (Davidson c)")
      .number("service_time_min", &StationOptions::service_time_min, 20, 0, 1e4, "min",
              "Time at the station with no queue (Davidson t0)")
      .number("davidson_j", &StationOptions::davidson_j, 0.5, 0, 100, "", "Davidson delay parameter J (R in MODELS.md)")
      .number("pile_kw", &StationOptions::pile_kw, 60, 0, 1e5, "kW", "Power of one charging pile")
      .number("power_factor", &StationOptions::power_factor, 1, 0.1, 1, "",
              "Power factor of the station's load (lagging): it draws P tan(acos(pf)) reactive power");
  return s;
}

Schema<EvOptions> ev_schema() {
  Schema<EvOptions> s;
  s.number("penetration", &EvOptions::penetration, 0.2, 0, 1, "", "Share of trips made by electric vehicles")
      .number("battery_kwh", &EvOptions::battery_kwh, 60, 1e-3, 1e4, "kWh", "Battery capacity E_B")
      .number("charge_coefficient", &EvOptions::charge_coefficient, 0.5, 0, 1, "",
              "gamma: share of the battery refilled per station arrival")
      .number("v2g_share", &EvOptions::v2g_share, 0, 0, 1, "", "Share of EVs that offer vehicle-to-grid")
      .number("consumption_kwh_per_km", &EvOptions::consumption_kwh_per_km, 0.18, 0.01, 2, "kWh/km",
              "Energy use while driving (fast-charge Monte Carlo)")
      .number("departure_soc_mean", &EvOptions::departure_soc_mean, 0.55, 0.05, 1, "",
              "Mean state of charge at departure (fast-charge Monte Carlo)")
      .number("departure_soc_sd", &EvOptions::departure_soc_sd, 0.2, 0, 1, "", "Its standard deviation")
      .number("trip_km_median", &EvOptions::trip_km_median, 18, 0.1, 1000, "km", "Median trip length (lognormal)")
      .number("trip_km_sigma", &EvOptions::trip_km_sigma, 0.8, 0, 5, "", "Lognormal sigma of the trip length")
      .number("soc_threshold", &EvOptions::soc_threshold, 0.25, 0, 1, "",
              "An EV seeks a fast charge when it would arrive below this state of charge")
      .integer("monte_carlo_samples", &EvOptions::monte_carlo_samples, 20000, 100, 100000000, "",
               "Simulated trips in the fast-charge Monte Carlo");
  return s;
}

Schema<ProfileOptions> profile_schema() {
  Schema<ProfileOptions> s;
  s.integer("periods", &ProfileOptions::periods, 24, 1, 100000, "", "Number of periods T")
      .number("dt_h", &ProfileOptions::dt_h, 1.0, 1e-4, 24, "h", "Period length")
      .numbers("base_load", &ProfileOptions::base_load, 0, 10, "", "Per period: multiplier of the case loads (empty = 1)")
      .numbers("traffic_demand", &ProfileOptions::traffic_demand, 0, 100, "",
               "Per period: multiplier of the trip table (empty = 1)")
      .numbers("pv", &ProfileOptions::pv, 0, 1, "", "Per period: PV availability, share of installed capacity")
      .numbers("wind", &ProfileOptions::wind, 0, 1, "", "Per period: wind availability, share of installed capacity")
      .numbers("tariff", &ProfileOptions::tariff, 0, 1e6, "currency/MWh", "Per period: energy purchase price")
      .numbers("export_price", &ProfileOptions::export_price, 0, 1e6, "currency/MWh",
               "Per period: price paid for energy exported at the substation (grid.export: price)");
  return s;
}

Schema<StorageOptions> storage_schema() {
  Schema<StorageOptions> s;
  s.integer("bus", &StorageOptions::bus, std::nullopt, 1, 100000000, "", "Grid bus (MATPOWER number)")
      .number("power_mw", &StorageOptions::power_mw, 0.3, 0, 1e4, "MW", "Charge and discharge limit")
      .number("energy_mwh", &StorageOptions::energy_mwh, 1.2, 1e-6, 1e5, "MWh", "Energy capacity Emax")
      .number("eta_charge", &StorageOptions::eta_charge, 0.95, 0.01, 1, "", "Charging efficiency")
      .number("eta_discharge", &StorageOptions::eta_discharge, 0.95, 0.01, 1, "", "Discharging efficiency")
      .number("soc_min", &StorageOptions::soc_min, 0.2, 0, 1, "", "Lowest state of charge")
      .number("soc_max", &StorageOptions::soc_max, 0.8, 0, 1, "", "Highest state of charge")
      .number("soc_initial", &StorageOptions::soc_initial, 0.5, 0, 1, "", "State of charge at the start of the day")
      .boolean("cyclic", &StorageOptions::cyclic, true, "End the day at the initial state of charge");
  return s;
}

Schema<RenewableOptions> renewable_schema() {
  Schema<RenewableOptions> s;
  s.integer("bus", &RenewableOptions::bus, std::nullopt, 1, 100000000, "", "Grid bus (MATPOWER number)")
      .number("capacity_mw", &RenewableOptions::capacity_mw, std::nullopt, 0, 1e4, "MW",
              "Installed capacity (times the profile's availability and the scenario's scale)")
      .number("curtailment_cost", &RenewableOptions::curtailment_cost, 0, 0, 1e6, "currency/MWh",
              "Penalty on available energy not used")
      .number("max_q_ratio", &RenewableOptions::max_q_ratio, 0.33, 0, 10, "",
              "Reactive capability |Q| <= ratio x P (0.33: power factor 0.95)");
  return s;
}

Schema<TurbineOptions> turbine_schema() {
  Schema<TurbineOptions> s;
  s.integer("bus", &TurbineOptions::bus, std::nullopt, 1, 100000000, "", "Grid bus (MATPOWER number)")
      .number("pmax_mw", &TurbineOptions::pmax_mw, 0.5, 0, 1e4, "MW", "Output limit")
      .number("qmin_mvar", &TurbineOptions::qmin_mvar, -0.3, -1e4, 1e4, "MVAr", "Reactive lower limit")
      .number("qmax_mvar", &TurbineOptions::qmax_mvar, 0.3, -1e4, 1e4, "MVAr", "Reactive upper limit")
      .number("ramp_mw_per_h", &TurbineOptions::ramp_mw_per_h, 0.2, 0, 1e4, "MW/h", "Ramp limit")
      .number("cost_a", &TurbineOptions::cost_a, 2.4, 0, 1e9, "currency/(MW^2 h)",
              "Quadratic cost coefficient (paper 001: 0.024 with P in units of 100 kW)")
      .number("cost_b", &TurbineOptions::cost_b, 850, 0, 1e9, "currency/MWh",
              "Linear cost coefficient (paper 001: 85 per 100 kWh)");
  return s;
}

Schema<DemandResponseOptions> dr_schema() {
  Schema<DemandResponseOptions> s;
  s.integer("bus", &DemandResponseOptions::bus, std::nullopt, 1, 100000000, "", "Grid bus (MATPOWER number)")
      .number("max_share", &DemandResponseOptions::max_share, 0.3, 0, 1, "",
              "Largest share of the bus load shifted out, or in, per period")
      .number("compensation", &DemandResponseOptions::compensation, 105, 0, 1e9, "currency/MWh",
              "Paid per MWh shifted out (paper 001: pi = 105)");
  return s;
}

Schema<ResourceOptions> resource_schema() {
  Schema<ResourceOptions> s;
  s.list("storage", &ResourceOptions::storage, storage_schema(), "Batteries")
      .list("pv", &ResourceOptions::pv, renewable_schema(), "PV plants (availability: profiles.pv)")
      .list("wind", &ResourceOptions::wind, renewable_schema(), "Wind plants (availability: profiles.wind)")
      .list("gas_turbines", &ResourceOptions::gas_turbines, turbine_schema(), "Gas turbines")
      .list("demand_response", &ResourceOptions::demand_response, dr_schema(), "Shiftable load");
  return s;
}

Schema<DispatchOptions> dispatch_schema() {
  Schema<DispatchOptions> s;
  s.choice("formulation", &DispatchOptions::formulation, "soc", {"soc", "exact", "lin"},
           "DistFlow formulation: SOC relaxation, exact branch flow, LinDistFlow")
      .choice("exact_start", &DispatchOptions::exact_start, "relaxation", {"relaxation", "flat"},
              "Starting point of the exact formulation: the SOC relaxation's optimum (robust for many periods), "
              "or the flat start, 1 pu and no flows (as MATPOWER; fastest for a single period)")
      .choice("linear_solver", &DispatchOptions::linear_solver, "ldl", {"ldl", "mumps"},
              "Ipopt's linear solver: ldl (built in: AMD ordering, regularised LDL^T; ~10x faster here) or mumps "
              "(with pivoting; a retry always uses it)")
      .choice("ev_charging", &DispatchOptions::ev_charging, "fixed", {"fixed", "coordinated"},
              "EV station load as computed by traffic, or re-scheduled within the day (energy kept, with V2G)")
      .choice("tariff", &DispatchOptions::tariff, "table", {"table", "dynamic_tou"},
              "Purchase price: profiles.tariff, or the dynamic time-of-use rule of paper 001 (eq. 22)")
      .number("tou_rho0", &DispatchOptions::tou_rho0, 600, 0, 1e6, "currency/MWh", "Dynamic TOU base price rho0")
      .number("tou_sigma", &DispatchOptions::tou_sigma, 0.3, 0, 1, "", "Dynamic TOU band sigma")
      .number("weight_cost", &DispatchOptions::weight_cost, 1, 0, 1e9, "", "Weight of the operating cost")
      .number("weight_loss", &DispatchOptions::weight_loss, 0, 0, 1e9, "currency/MWh",
              "mu_loss: price of network losses added to the objective")
      .number("weight_voltage_deviation", &DispatchOptions::weight_voltage_deviation, 0, 0, 1e12, "",
              "Weight of sum |v - 1| over buses and periods (paper 000)")
      .number("weight_load_variance", &DispatchOptions::weight_load_variance, 0, 0, 1e12, "1/MW^2",
              "Weight of the feeder-head load variance (paper 002 f1)")
      .number("weight_peak_valley", &DispatchOptions::weight_peak_valley, 0, 0, 1e12, "1/MW",
              "Weight of the feeder-head peak-valley difference (paper 002 f2)")
      .boolean("ac_check", &DispatchOptions::ac_check, true, "Verify every period with the AC power flow")
      .boolean("v2g", &DispatchOptions::v2g, true,
               "Coordinated stations may feed the grid, up to ev.v2g_share of their charging capacity "
               "(false: the same scenarios without vehicle-to-grid)")
      .number("voltage_shortfall_cost", &DispatchOptions::voltage_shortfall_cost, 1e6, 0, 1e12, "currency/(pu h)",
              "Soft voltage floor: price of each pu below vmin_pu per bus and hour in the objective. A scenario "
              "that cannot hold vmin is then reported infeasible with its dispatch and the shortfall measured, "
              "in a few dozen iterations. 0: hard floor (Ipopt must prove infeasibility, which can take minutes)")
      .number("line_overload_cost", &DispatchOptions::line_overload_cost, 1e6, 0, 1e12, "currency/h",
              "Soft branch ratings: price per period-hour of each branch's loading^2 above 1. "
              "An overloaded scenario is then reported infeasible with its dispatch and max_line_loading > 1. "
              "0: hard ratings. Only branches with a rating count (the case's rateA, grid.line_rating_*)");
  return s;
}

namespace {
std::string num(double v) { return format_number(v); }
}  // namespace

void check_traffic(const TrafficOptions& t, ParseContext& ctx, const std::string& key) {
  const bool trips = !t.trips_file.empty(), estimated = !t.od_estimation.observations_file.empty();
  if (trips && estimated)
    ctx.error_key(key + ".od_estimation", "give either " + key + ".trips or " + key +
                                              ".od_estimation.observations, not both (the estimate replaces the trips)");
  else if (!trips && !estimated)
    ctx.error_key(key, "needs a demand: 'trips' (a TNTP trip table) or 'od_estimation: {observations: ...}'");
  if (!t.od_estimation.prior_file.empty() && !estimated)
    ctx.error_key(key + ".od_estimation.prior", "a prior without observations estimates nothing");
}

void check_grid(const GridOptions& g, ParseContext& ctx, const std::string& key) {
  if (!(g.vmin_pu < g.vmax_pu))
    ctx.error_key(key + ".vmax_pu", "must be above " + key + ".vmin_pu (" + num(g.vmax_pu) + " <= " + num(g.vmin_pu) + ")");
  else if (g.slack_vm_pu < g.vmin_pu || g.slack_vm_pu > g.vmax_pu)
    ctx.error_key(key + ".slack_vm_pu", num(g.slack_vm_pu) + " is outside the band " + key + ".vmin_pu.." + key +
                                            ".vmax_pu [" + num(g.vmin_pu) + ", " + num(g.vmax_pu) + "]");
  if (g.line_rating_mva > 0 && g.line_rating_margin > 0)
    ctx.error_key(key + ".line_rating_margin", "give " + key + ".line_rating_mva or " + key +
                                                   ".line_rating_margin, not both (both rate the unrated branches)");
  else if (g.line_rating_margin > 0 && g.line_rating_margin < 1)
    ctx.error_key(key + ".line_rating_margin", num(g.line_rating_margin) +
                                                   " rates every branch below its flow at the case's own loads, "
                                                   "so the base case itself would overload; use >= 1");
}

void check_resources(const ResourceOptions& r, ParseContext& ctx, const std::string& key) {
  for (std::size_t i = 0; i < r.storage.size(); ++i) {
    const auto& s = r.storage[i];
    const std::string k = key + ".storage[" + std::to_string(i) + "]";
    if (s.soc_min > s.soc_max)
      ctx.error_key(k + ".soc_max", "is below " + k + ".soc_min (" + num(s.soc_max) + " < " + num(s.soc_min) + ")");
    else if (s.soc_initial < s.soc_min || s.soc_initial > s.soc_max)
      ctx.error_key(k + ".soc_initial", num(s.soc_initial) + " is outside " + k + ".soc_min.." + k + ".soc_max [" +
                                            num(s.soc_min) + ", " + num(s.soc_max) + "]");
  }
  for (std::size_t i = 0; i < r.gas_turbines.size(); ++i) {
    const auto& g = r.gas_turbines[i];
    const std::string k = key + ".gas_turbines[" + std::to_string(i) + "]";
    if (g.qmin_mvar > g.qmax_mvar)
      ctx.error_key(k + ".qmax_mvar", "is below " + k + ".qmin_mvar (" + num(g.qmax_mvar) + " < " + num(g.qmin_mvar) + ")");
  }
}

}  // namespace evs::config
