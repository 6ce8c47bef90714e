#include "config/study.hpp"

#include <algorithm>
#include <filesystem>
#include <limits>

#include "config/schema.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "data/grid_network.hpp"
#include "io/matpower.hpp"
#include "io/tntp.hpp"

namespace evs::config {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

Schema<StudyInfo> study_info_schema() {
  Schema<StudyInfo> s;
  s.string("name", &StudyInfo::name, "study", "Short name, used in logs and the results file")
      .string("description", &StudyInfo::description, "", "Free text stored with the results")
      .choices("stages", &StudyInfo::stages, {"traffic", "dispatch"}, {"traffic", "dispatch"},
               "Pipeline stages run per scenario: traffic (assignment and station loads), dispatch (grid "
               "dispatch and AC check; without traffic the stations draw no power)");
  return s;
}

Schema<GridOptions> grid_schema() {
  Schema<GridOptions> s;
  s.path("case", &GridOptions::case_file, std::nullopt, "MATPOWER case file (format version 2) of the feeder")
      .number("vmin_pu", &GridOptions::vmin_pu, 0.95, 0.5, 1.5, "pu", "Lowest allowed bus voltage magnitude")
      .number("vmax_pu", &GridOptions::vmax_pu, 1.05, 0.5, 1.5, "pu", "Highest allowed bus voltage magnitude")
      .number("slack_vm_pu", &GridOptions::slack_vm_pu, 1.0, 0.8, 1.2, "pu",
              "Voltage magnitude held at the substation (reference) bus")
      .number("load_scale", &GridOptions::load_scale, 1.0, 0, 10, "",
              "Multiplier applied to every bus load of the case");
  return s;
}

Schema<TrafficOptions> traffic_schema() {
  Schema<TrafficOptions> s;
  s.path("network", &TrafficOptions::network_file, std::nullopt, "TNTP network file (*_net.tntp)")
      .path("trips", &TrafficOptions::trips_file, std::nullopt, "TNTP trip table (*_trips.tntp), vehicles per hour")
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
      .number("demand_scale", &TrafficOptions::demand_scale, 1.0, 0, 100, "", "Multiplier of the whole trip table");
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
      .number("pile_kw", &StationOptions::pile_kw, 60, 0, 1e5, "kW", "Power of one charging pile");
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
      .numbers("tariff", &ProfileOptions::tariff, 0, 1e6, "currency/MWh", "Per period: energy purchase price");
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
              "in a few dozen iterations. 0: hard floor (Ipopt must prove infeasibility, which can take minutes)");
  return s;
}

Schema<SolverOptions> solver_schema() {
  Schema<SolverOptions> s;
  s.choice("pf_method", &SolverOptions::pf_method, "newton", {"newton", "sweep"},
           "AC power flow: Newton-Raphson (any network) or backward/forward sweep (radial only)")
      .number("pf_tolerance_pu", &SolverOptions::pf_tolerance_pu, 1e-8, 1e-14, 1, "pu",
              "Power-flow convergence: largest P or Q mismatch")
      .integer("pf_max_iterations", &SolverOptions::pf_max_iterations, 30, 1, 10000, "", "Power-flow iteration limit")
      .choice("log_level", &SolverOptions::log_level, "info", {"debug", "info", "warn", "error", "off"},
              "Least severe log message shown");
  return s;
}

Schema<SweepParameter> parameter_schema() {
  Schema<SweepParameter> s;
  s.string("name", &SweepParameter::name, std::nullopt, "Model quantity to vary (see 'Sweep parameters' below)")
      .choice("distribution", &SweepParameter::distribution, "uniform",
              {"fixed", "uniform", "normal", "truncated_normal", "lognormal", "beta", "discrete"},
              "Distribution the values are drawn from")
      .optional_number("low", &SweepParameter::low, -kInf, kInf, "", "Lower bound (uniform, truncated_normal, beta)")
      .optional_number("high", &SweepParameter::high, -kInf, kInf, "", "Upper bound (uniform, truncated_normal, beta)")
      .optional_number("mean", &SweepParameter::mean, -kInf, kInf, "",
                       "Mean (normal, truncated_normal, lognormal: of the log), or the value (fixed)")
      .optional_number("sd", &SweepParameter::sd, 0, kInf, "",
                       "Standard deviation (normal, truncated_normal, beta; lognormal: of the log)")
      .numbers("values", &SweepParameter::values, -kInf, kInf, "", "Values of a discrete parameter (equally likely)");
  return s;
}

Schema<SweepOptions> sweep_schema() {
  Schema<SweepOptions> s;
  s.choice("design", &SweepOptions::design, "monte_carlo",
           {"grid", "monte_carlo", "lhs", "sobol", "saltelli", "morris"}, "Sampling design")
      .integer("scenarios", &SweepOptions::scenarios, 100, 1, 100000000, "",
               "Size of the design: scenarios (monte_carlo, lhs, sobol), points per parameter (grid), base "
               "sample N giving N (d + 2) scenarios (saltelli), trajectories giving r (d + 1) scenarios (morris)")
      .integer("seed", &SweepOptions::seed, 1, 0, 4294967295LL, "", "Seed of every random draw in the study")
      .integer("morris_levels", &SweepOptions::morris_levels, 4, 2, 1000, "",
               "Morris: number of grid levels p per parameter (the step is p / (2 (p - 1)))")
      .list("parameters", &SweepOptions::parameters, parameter_schema(), "Uncertain parameters")
      .number("timeout_s", &SweepOptions::timeout_s, 600, 0.001, 1e7, "s",
              "Wall-clock limit of one attempt at one scenario; a scenario over it fails with status timeout")
      .integer("max_attempts", &SweepOptions::max_attempts, 2, 1, 100, "",
               "Attempts per scenario for failures that may pass on retry (timeout, numerical_error, "
               "not_converged, internal_error); later attempts use the solvers' robust settings")
      .integer("chunk", &SweepOptions::chunk, 1, 1, 1000000, "",
               "Scenarios a rank takes per request to the shared counter (raise for sub-millisecond scenarios)");
  return s;
}

Schema<OutputOptions> output_schema() {
  Schema<OutputOptions> s;
  s.string("directory", &OutputOptions::directory, "",
           "Results directory (relative to the working directory); empty: results/<study.name>; "
           "'evsweep run -o' overrides it")
      .choices("series", &OutputOptions::series, {}, series_names(),
               "Per-scenario time series stored in the results file (see docs/results-schema.md)")
      .number("flush_interval_s", &OutputOptions::flush_interval_s, 10, 0, 86400, "s",
              "Finished scenarios reach the disk at least this often (0: after every scenario)")
      .number("progress_interval_s", &OutputOptions::progress_interval_s, 10, 0.1, 86400, "s",
              "Interval of the progress lines printed when stderr is not a terminal");
  return s;
}

const Schema<Study>& study_schema() {
  static const Schema<Study> s = [] {
    Schema<Study> st;
    st.section("study", &Study::study, study_info_schema(), "Identification of the study")
        .section("grid", &Study::grid, grid_schema(), "Distribution feeder")
        .section("traffic", &Study::traffic, traffic_schema(), "Road network and traffic assignment")
        .list("stations", &Study::stations, station_schema(), "Charging stations and their grid coupling")
        .section("ev", &Study::ev, ev_schema(), "Electric vehicles")
        .section("profiles", &Study::profiles, profile_schema(), "Daily profiles, one value per period")
        .section("resources", &Study::resources, resource_schema(), "Distributed resources on the feeder")
        .section("dispatch", &Study::dispatch, dispatch_schema(), "Multi-period dispatch")
        .section("solver", &Study::solver, solver_schema(), "Numerical options")
        .section("sweep", &Study::sweep, sweep_schema(), "Scenario design and scheduling")
        .section("output", &Study::output, output_schema(), "Results file");
    return st;
  }();
  return s;
}

void check_profiles(const Study& s, ParseContext& ctx) {
  const auto& p = s.profiles;
  for (auto [values, key] : {std::pair{&p.base_load, "base_load"}, {&p.traffic_demand, "traffic_demand"},
                             {&p.pv, "pv"}, {&p.wind, "wind"}, {&p.tariff, "tariff"}})
    if (!values->empty() && static_cast<int>(values->size()) != p.periods)
      ctx.error_key(std::string("profiles.") + key,
                   "has " + std::to_string(values->size()) + " values but profiles.periods is " +
                       std::to_string(p.periods));
}

void check_parameters(const Study& s, ParseContext& ctx) {
  const auto& names = sweep_parameter_names();
  for (size_t i = 0; i < s.sweep.parameters.size(); ++i) {
    const auto& p = s.sweep.parameters[i];
    const std::string key = "sweep.parameters[" + std::to_string(i) + "]";
    if (std::find(names.begin(), names.end(), p.name) == names.end()) {
      ctx.error_key(key + ".name", "unknown parameter '" + p.name + "'" + detail::suggestion(p.name, names));
      continue;
    }
    const std::string& d = p.distribution;
    auto need = [&](const std::optional<double>& v, const char* field) {
        if (!v) ctx.error_key(key + "." + field, "required by distribution '" + d + "'");
    };
    if (d == "fixed") need(p.mean, "mean");
    if (d == "uniform" || d == "truncated_normal" || d == "beta") {
      need(p.low, "low");
      need(p.high, "high");
      if (p.low && p.high && !(*p.low < *p.high)) ctx.error_key(key + ".high", "must be greater than low");
    }
    if (d == "normal" || d == "truncated_normal" || d == "lognormal" || d == "beta") {
      need(p.mean, "mean");
      need(p.sd, "sd");
      if (p.sd && *p.sd <= 0) ctx.error_key(key + ".sd", "must be positive");
    }
    if (d == "beta" && p.low && p.high && p.mean && p.sd && *p.low < *p.high) {
      const double w = *p.high - *p.low, m = (*p.mean - *p.low) / w;
      if (!(m > 0 && m < 1))
        ctx.error_key(key + ".mean", "a beta mean must lie strictly between low and high");
      else if (!(*p.sd / w * (*p.sd / w) < m * (1 - m)))
        ctx.error_key(key + ".sd", "too large for a beta distribution with this mean (sd^2 < (mean-low)(high-mean))");
    }
    if (d == "discrete" && p.values.empty()) ctx.error_key(key + ".values", "a discrete parameter needs values");
    for (size_t j = 0; j < i; ++j)
      if (s.sweep.parameters[j].name == p.name)
        ctx.error_key(key + ".name", "'" + p.name + "' is already sweep.parameters[" + std::to_string(j) + "]");
  }
  const std::string& design = s.sweep.design;
  if ((design == "saltelli" || design == "morris") &&
      std::none_of(s.sweep.parameters.begin(), s.sweep.parameters.end(),
                   [](const SweepParameter& p) { return p.distribution != "fixed"; }))
    ctx.error_key("sweep.design", "'" + design + "' needs at least one parameter that is not fixed");
  if (design == "grid") {
    double points = 1;
    for (const auto& p : s.sweep.parameters)
      points *= p.distribution == "discrete" ? static_cast<double>(p.values.size())
                : p.distribution == "fixed"  ? 1.0
                                             : s.sweep.scenarios;
    if (points > 1e8)
      ctx.error_key("sweep.scenarios", "a full grid of " + format_number(s.sweep.scenarios) +
                                           " points per parameter has " + format_number(points) +
                                           " scenarios (at most 1e8)");
  }
  if (s.study.stages.empty()) ctx.error_key("study.stages", "needs at least one stage (traffic, dispatch)");
}

}  // namespace

ConfigError::ConfigError(std::vector<std::string> errors)
    : std::runtime_error([&] {
        std::string all;
        for (const auto& e : errors) all += (all.empty() ? "" : "\n") + e;
        return all;
      }()),
      errors_(std::move(errors)) {}

const std::vector<std::string>& series_names() {
  static const std::vector<std::string> names = {"head_load", "station_load", "bus_voltage"};
  return names;
}

const std::vector<std::string>& sweep_parameter_names() {
  static const std::vector<std::string> names = {"ev_penetration", "theta",          "pv_scale",
                                                 "wind_scale",     "v2g_share",      "load_scale",
                                                 "demand_scale",   "battery_kwh",    "charge_coefficient",
                                                 "station_capacity_scale", "tariff_scale"};
  return names;
}

Study parse_study(const std::string& text, const std::string& source_name, const std::string& base_dir) {
  ParseContext ctx;
  ctx.file = source_name;
  ctx.base_dir = base_dir;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    ctx.error_at(e.mark.line >= 0 ? e.mark.line + 1 : 0, "(syntax)", e.msg);
    throw ConfigError(ctx.errors);
  }
  Study s;
  study_schema().apply_defaults(s);
  if (!root.IsDefined() || root.IsNull()) {
    ctx.error_key("(top level)", "the study file is empty");
    throw ConfigError(ctx.errors);
  }
  study_schema().parse(s, root, ctx, "");
  if (ctx.errors.empty()) {
    check_profiles(s, ctx);
    check_parameters(s, ctx);
    std::vector<std::string> names;
    for (size_t i = 0; i < s.stations.size(); ++i) {
      if (std::find(names.begin(), names.end(), s.stations[i].name) != names.end())
        ctx.error_key("stations[" + std::to_string(i) + "].name", "duplicate station name '" + s.stations[i].name + "'");
      names.push_back(s.stations[i].name);
    }
  }
  if (!ctx.errors.empty()) throw ConfigError(ctx.errors);
  s.source_file = source_name;
  s.source_text = text;
  s.key_lines = ctx.key_lines;
  return s;
}

Study load_study(const std::string& path) {
  std::string text;
  try {
    text = read_file_text(path);
  } catch (const InputError& e) {
    throw ConfigError({e.what()});
  }
  const auto dir = std::filesystem::absolute(path).parent_path();
  return parse_study(text, path, dir.string());
}

void check_study_references(const Study& s) {
  ParseContext ctx;
  ctx.file = s.source_file;
  ctx.key_lines = s.key_lines;
  std::vector<std::string>& errors = ctx.errors;
  try {
    const GridNetwork net = build_grid_network(read_matpower_case(s.grid.case_file));
    auto check_bus = [&](const std::string& key, int bus) {
      if (net.index_of(bus) < 0) ctx.error_key(key, "bus " + std::to_string(bus) + " is not in " + s.grid.case_file);
    };
    const auto& r = s.resources;
    for (size_t i = 0; i < r.storage.size(); ++i) check_bus("resources.storage[" + std::to_string(i) + "].bus", r.storage[i].bus);
    for (size_t i = 0; i < r.pv.size(); ++i) check_bus("resources.pv[" + std::to_string(i) + "].bus", r.pv[i].bus);
    for (size_t i = 0; i < r.wind.size(); ++i) check_bus("resources.wind[" + std::to_string(i) + "].bus", r.wind[i].bus);
    for (size_t i = 0; i < r.gas_turbines.size(); ++i)
      check_bus("resources.gas_turbines[" + std::to_string(i) + "].bus", r.gas_turbines[i].bus);
    for (size_t i = 0; i < r.demand_response.size(); ++i)
      check_bus("resources.demand_response[" + std::to_string(i) + "].bus", r.demand_response[i].bus);
    for (size_t i = 0; i < s.stations.size(); ++i)
      if (net.index_of(s.stations[i].bus) < 0)
        ctx.error_key("stations[" + std::to_string(i) + "].bus",
                      "bus " + std::to_string(s.stations[i].bus) + " is not in " + s.grid.case_file);
  } catch (const InputError& e) {
    ctx.error_key("grid.case", e.what());
  }
  try {
    const RoadNetwork road = read_tntp_network(s.traffic.network_file);
    const OdMatrix od = read_tntp_trips(s.traffic.trips_file);
    validate_demand(road, od);
    for (size_t i = 0; i < s.stations.size(); ++i) {
      const int node = s.stations[i].node;
      if (node > road.num_nodes)
        ctx.error_key("stations[" + std::to_string(i) + "].node",
                      "node " + std::to_string(node) + " is not in " + s.traffic.network_file + " (" +
                          std::to_string(road.num_nodes) + " nodes)");
    }
  } catch (const InputError& e) {
    ctx.error_key("traffic", e.what());
  }
  if (!errors.empty()) throw ConfigError(errors);
}

std::vector<OptionDoc> option_reference() {
  std::vector<OptionDoc> docs;
  study_schema().document(docs, "");
  return docs;
}

}  // namespace evs::config
