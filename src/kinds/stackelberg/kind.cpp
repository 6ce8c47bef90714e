#include "kinds/stackelberg/kind.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "config/study_definition.hpp"
#include "core/error.hpp"
#include "core/rng.hpp"
#include "io/matpower.hpp"
#include "io/tntp.hpp"
#include "kinds/registry.hpp"
#include "kinds/typed.hpp"
#include "kinds/stackelberg/baseline.hpp"
#include "kinds/stackelberg/game.hpp"
#include "kinds/stackelberg/options.hpp"

namespace evs::kinds::stackelberg {

namespace {

constexpr std::uint32_t kWindStream = 31;  // RandomStream id of the wind scenarios

// The quantities a sweep may vary.
struct Model {
  double kappa = 100, xi = 0, ev_share = 0.1, wind_scale = 1, wind_variability = 0.3, wind_scenarios = 10;
  double price_lower = 0.8, price_upper = 2.5;
};
using Parameter = TypedParameter<Model>;
const std::vector<Parameter>& parameters() {
  static const std::vector<Parameter> t = {
      {{"kappa", "currency/h", "EV users' value of time (traffic.kappa)", 1e-3, 1e6}, &Model::kappa},
      {{"xi", "", "Residual flow coefficient (traffic.xi)", 0, 1}, &Model::xi},
      {{"ev_share", "", "Share of trips that are charging EVs (traffic.ev_share)", 0, 1}, &Model::ev_share},
      {{"wind_scale", "", "Multiplier of the wind capacity", 0, 100}, &Model::wind_scale},
      {{"wind_variability", "", "Relative sd of wind availability (wind.variability)", 0, 5}, &Model::wind_variability},
      {{"wind_scenarios", "count", "Number of wind scenarios (wind.scenarios; equal probabilities)", 1, 1000},
       &Model::wind_scenarios},
      {{"price_lower", "currency/kWh", "Lowest charging price (pricing.lower)", 0, 1e3}, &Model::price_lower},
      {{"price_upper", "currency/kWh", "Highest charging price (pricing.upper)", 0, 1e3}, &Model::price_upper},
  };
  return t;
}

struct Prepared : PreparedData {
  Options o;
  std::uint64_t seed = 0;
  GridNetwork grid;
  RoadNetwork road;
  traffic::TrafficNetwork net;
  EvUserSpec users;                  // reachability filled, demand not
  std::vector<double> peak_trips;    // [od] veh/h of the trip table
  std::vector<int> station_bus, wind_bus;
};

Prepared prepare_study(const config::Study& study) {
  Prepared p;
  p.o = study.options<Options>();
  p.seed = static_cast<std::uint64_t>(study.sweep.seed);
  config::ParseContext ctx;
  ctx.file = study.source_file;
  ctx.key_lines = study.key_lines;
  const auto& o = p.o;
  try {
    p.grid = build_grid_network(read_matpower_case(o.grid.case_file));
    if (!p.grid.tree.is_radial) ctx.error_key("grid.case", "the feeder must be radial");
  } catch (const InputError& e) {
    ctx.error_key("grid.case", e.what());
  }
  try {
    p.road = read_tntp_network(o.traffic.network_file);
    const OdMatrix od = read_tntp_trips(o.traffic.trips_file);
    validate_demand(p.road, od);
    p.net = traffic::build_traffic_network(p.road);
    for (const auto& e : od.entries) {
      p.users.origin.push_back(e.origin - 1);
      p.users.destination.push_back(e.destination - 1);
      p.peak_trips.push_back(e.flow);
    }
  } catch (const InputError& e) {
    ctx.error_key("traffic", e.what());
  }
  if (!ctx.errors.empty()) throw config::ConfigError(ctx.errors);
  for (size_t i = 0; i < o.stations.size(); ++i) {
    const std::string key = "stations[" + std::to_string(i) + "]";
    const int b = p.grid.index_of(o.stations[i].bus);
    if (b < 0) ctx.error_key(key + ".bus", "bus " + std::to_string(o.stations[i].bus) + " is not in " + o.grid.case_file);
    if (o.stations[i].node > p.road.num_nodes)
      ctx.error_key(key + ".node", "node " + std::to_string(o.stations[i].node) + " is not in " + o.traffic.network_file);
    p.station_bus.push_back(b);
    p.users.station_node.push_back(o.stations[i].node - 1);
    p.users.pile_kw.push_back(o.stations[i].pile_kw);
    p.users.capacity_veh_h.push_back(o.stations[i].capacity_veh_per_h);
  }
  for (size_t i = 0; i < o.wind.buses.size(); ++i) {
    const int b = p.grid.index_of(static_cast<int>(o.wind.buses[i]));
    if (b < 0) ctx.error_key("wind.buses", "bus " + config::format_number(o.wind.buses[i]) + " is not in " + o.grid.case_file);
    p.wind_bus.push_back(b);
  }
  if (!ctx.errors.empty()) throw config::ConfigError(ctx.errors);
  p.users.net = &p.net;
  for (const auto& l : p.road.links) p.users.link_km.push_back(l.length);
  p.users.range_km = o.traffic.range_km;
  compute_reachability(p.users);
  for (size_t m = 0; m < o.stations.size(); ++m) {
    bool any = false;
    for (size_t od = 0; od < p.users.origin.size(); ++od) any = any || p.users.feasible[od][m];
    if (!any)
      ctx.error_key("stations[" + std::to_string(m) + "].node",
                    "station '" + o.stations[m].name + "' is unreachable from every origin within traffic.range_km");
  }
  for (size_t od = 0; od < p.users.origin.size(); ++od)
    if (std::none_of(p.users.feasible[od].begin(), p.users.feasible[od].end(), [](char c) { return c != 0; }))
      ctx.error_key("traffic.range_km", "origin " + std::to_string(p.users.origin[od] + 1) + " reaches no station");
  if (!ctx.errors.empty()) throw config::ConfigError(ctx.errors);
  return p;
}

double profile(const std::vector<double>& v, int t, double def) { return v.empty() ? def : v[t]; }

struct Run {
  GameResult r;
  double solve_s = 0;
  double lmp_mean = NAN, lmp_max = NAN, mean_price = NAN;
  double baseline_profit = NAN, baseline_solves = NAN, baseline_residual = NAN;
};

Run run(const Prepared& p, std::uint64_t draw_key, const Model& m, double time_limit_s) {
  const auto t0 = std::chrono::steady_clock::now();
  const Options& o = p.o;
  const int T = o.profiles.periods, S = static_cast<int>(std::lround(m.wind_scenarios));
  OperatorSpec op;
  op.grid = &p.grid;
  op.periods = T;
  op.dt_h = o.profiles.dt_h;
  for (int t = 0; t < T; ++t) op.load_scale.push_back(profile(o.profiles.base_load, t, 1));
  op.tariff = o.profiles.tariff;
  op.curtailment_cost = o.grid.curtailment_cost;
  op.shedding_cost = o.grid.shedding_cost;
  op.transformer_mva = o.grid.transformer_mva;
  op.line_mva = o.grid.line_mva;
  op.polygon_sides = o.grid.polygon_sides;
  op.vmin_pu = o.grid.vmin_pu;
  op.vmax_pu = o.grid.vmax_pu;
  op.wind_bus = p.wind_bus;
  op.wind_tan_phi = o.wind.tan_phi;
  if (!o.wind.probabilities.empty() && static_cast<int>(o.wind.probabilities.size()) == S)
    op.probability = o.wind.probabilities;
  else
    op.probability.assign(S, 1.0 / S);
  RandomStream rng(p.seed, draw_key, kWindStream);  // [s][t][plant] availability draws
  op.wind_max_mw.assign(S, std::vector<std::vector<double>>(T, std::vector<double>(p.wind_bus.size())));
  for (int s = 0; s < S; ++s)
    for (int t = 0; t < T; ++t)
      for (size_t w = 0; w < p.wind_bus.size(); ++w) {
        const double a = profile(o.profiles.wind, t, 0.5) * (1 + m.wind_variability * rng.normal());
        op.wind_max_mw[s][t][w] = std::clamp(a, 0.0, 1.0) * o.wind.capacity_mw * m.wind_scale;
      }
  op.station_bus = p.station_bus;
  op.station_tan_phi = o.pricing.station_tan_phi;
  EvUserSpec users = p.users;
  users.net = &p.net;
  users.kappa_per_h = m.kappa;
  users.time_unit_h = o.traffic.time_unit_h;
  users.energy_kwh = o.traffic.energy_kwh;
  users.gap = o.traffic.gap;
  GameSpec g;
  for (int t = 0; t < T; ++t) {
    g.demand.emplace_back();
    for (double w : p.peak_trips) g.demand.back().push_back(w * m.ev_share * profile(o.profiles.trips, t, 1));
  }
  g.xi = m.xi;
  g.dt_h = o.profiles.dt_h;
  g.price_lower = m.price_lower;
  g.price_upper = m.price_upper;
  g.game = o.pricing.mode == "game";
  g.fixed_price = o.pricing.fixed_price;
  g.max_outer = o.pricing.max_outer;
  g.price_tolerance = o.pricing.price_tolerance;
  g.refine = o.pricing.refine;
  g.enumerate_limit = o.pricing.enumerate_limit;
  g.certificate_points = o.pricing.certificate_points;
  g.residual_tolerance = o.pricing.residual_tolerance;
  g.time_limit_s = time_limit_s;
  Run out;
  OperatorLp lp(op, o.pricing.lp_backend == "ipopt" ? LpBackend::ipopt : LpBackend::clp);
  Game game(g, users, lp);
  out.r = game.solve();
  if (o.pricing.baseline != "none") {
    OperatorLp lp2(op, o.pricing.lp_backend == "ipopt" ? LpBackend::ipopt : LpBackend::clp);
    Game fresh(g, users, lp2);
    SwarmOptions so;
    so.particles = o.pricing.swarm_particles;
    so.iterations = o.pricing.swarm_iterations;
    so.seed = p.seed;
    so.key = draw_key;
    const int nm = static_cast<int>(p.station_bus.size());
    if (o.pricing.baseline == "swarm") {
      const SwarmResult b = swarm_search(fresh, nm, T, m.price_lower, m.price_upper, so);
      out.baseline_profit = b.status.ok() ? b.station_profit : NAN;
      out.baseline_solves = static_cast<double>(b.lower_level_solves);
    } else {
      const SwarmEquilibriumResult b =
          swarm_equilibrium(fresh, nm, T, m.price_lower, m.price_upper, so, o.pricing.swarm_rounds);
      const bool answered = b.status.ok() || b.status.code == StatusCode::not_converged;  // cap: prices reached
      out.baseline_profit = answered ? b.station_profit : NAN;
      out.baseline_solves = static_cast<double>(b.lower_level_solves);
      out.baseline_residual = answered ? b.equilibrium_residual : NAN;
    }
  }
  const auto& d = out.r.day;
  if (!d.lmp.empty()) {
    double sum = 0, mx = -1e300, n = 0;
    for (const auto& row : d.lmp)
      for (double v : row) sum += v, mx = std::max(mx, v), n += 1;
    out.lmp_mean = sum / n;
    out.lmp_max = mx;
    double ps = 0, pn = 0;
    for (const auto& row : d.price)
      for (double v : row) ps += v, pn += 1;
    out.mean_price = ps / pn;
  }
  out.solve_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

std::vector<MetricInfo> metric_infos() {
  return {{"station_profit", "currency", "Profit of all stations over the day at the reported prices"},
          {"equilibrium_residual", "", "Largest relative profit a station gains by a unilateral price change"},
          {"operator_expected_cost", "currency", "Operator's expected cost: purchase + curtailment + shedding"},
          {"ev_user_cost", "currency", "EV users' cost: kappa x (travel + charging time) + payments"},
          {"lmp_mean", "currency/MWh", "Mean expected nodal price over buses and periods"},
          {"lmp_max", "currency/MWh", "Highest expected nodal price"},
          {"mean_charging_price", "currency/kWh", "Mean station price over stations and periods"},
          {"tstt", "veh h", "Total travel time of the EVs over the day"},
          {"curtailment_mwh", "MWh", "Expected wind curtailment over the day"},
          {"worst_ue_gap", "", "Largest final relative gap of the periods' user equilibria"},
          {"outer_iterations", "count", "Best-response rounds, summed over the periods"},
          {"periods_certified", "count", "Periods whose prices are a grid equilibrium (no grid deviation gains)"},
          {"lower_level_solves", "count", "Period evaluations (users' equilibrium + operator LP)"},
          {"station_profit_baseline", "currency",
           "Total profit at the baseline's prices (pricing.baseline: swarm, its best total; swarm_equilibrium, where "
           "its best responses ended; NaN if none)"},
          {"lower_level_solves_baseline", "count", "Period evaluations of the baseline's search"},
          {"equilibrium_residual_baseline", "",
           "The certificate at swarm_equilibrium's prices (same grid as equilibrium_residual; NaN otherwise)"}};
}

}  // namespace

class StackelbergKind final : public StudyKind {
 public:
  const std::string& name() const override {
    static const std::string n = "stackelberg";
    return n;
  }
  std::string summary() const override {
    return "paper 003: stations' charging-price game over the operator's wind-scenario LP (nodal prices) and EV "
           "users' route/station equilibrium with residual flow";
  }
  const config::StudyDefinition& definition() const override {
    static const config::StudyDefinition d = [this] {
      return config::study_definition<Options>(
          {name(), kind_names(), {}, {"station_price", "station_load", "station_profit", "lmp"}}, options_schema(),
          parameter_infos(parameters()), check_options);
    }();
    return d;
  }
  std::shared_ptr<const PreparedData> prepare(const config::Study& study) const override {
    return std::make_shared<Prepared>(prepare_study(study));
  }
  std::string describe_study(const config::Study&, const PreparedData& data) const override {
    const auto& p = static_cast<const Prepared&>(data);
    char buf[256];
    std::snprintf(buf, sizeof buf, "%zu stations, %d periods, feeder of %d buses, road network of %d nodes, %zu OD pairs",
                  p.o.stations.size(), p.o.profiles.periods, p.grid.num_buses(), p.road.num_nodes, p.peak_trips.size());
    return buf;
  }
  const std::vector<MetricInfo>& metrics() const override {
    static const std::vector<MetricInfo> m = metric_infos();
    return m;
  }
  const std::vector<MetricInfo>& timings() const override {
    static const std::vector<MetricInfo> m = {{"solve_s", "s", "Wall-clock time of the scenario"}};
    return m;
  }
  const std::vector<SeriesInfo>& series() const override {
    static const std::vector<SeriesInfo> s = {
        {"station_price", "station_price", "currency/kWh", "Charging price per station and period", {"station", "period"}},
        {"station_load", "station_mw", "MW", "Charging load per station and period", {"station", "period"}},
        {"station_profit", "station_profit", "currency", "Profit per station over the day", {"station"}},
        {"lmp", "lmp", "currency/MWh", "Expected nodal price per period and bus", {"period", "bus"}}};
    return s;
  }
  std::vector<Dimension> dimensions(const config::Study&, const PreparedData& data) const override {
    const auto& p = static_cast<const Prepared&>(data);
    Dimension period{"period", static_cast<std::size_t>(p.o.profiles.periods), "", {}, {}};
    Dimension station{"station", p.o.stations.size(), "station_names", {}, {}};
    for (const auto& s : p.o.stations) station.text_labels.push_back(s.name);
    Dimension bus{"bus", static_cast<std::size_t>(p.grid.num_buses()), "bus_ids", {}, {}};
    bus.int_labels.assign(p.grid.bus_id.begin(), p.grid.bus_id.end());
    return {period, station, bus};
  }
  Outcome solve(const config::Study&, const PreparedData& data, const Scenario& scenario,
                const RunOptions& options) const noexcept override {
    Outcome out;
    out.scenario_id = scenario.id;
    try {
      const auto& p = static_cast<const Prepared&>(data);
      Model m;
      m.kappa = p.o.traffic.kappa, m.xi = p.o.traffic.xi, m.ev_share = p.o.traffic.ev_share;
      m.wind_variability = p.o.wind.variability, m.wind_scenarios = p.o.wind.scenarios;
      m.price_lower = p.o.pricing.lower, m.price_upper = p.o.pricing.upper;
      apply_fields(m, parameters(), scenario.values, "stackelberg");
      if (m.price_lower > m.price_upper) throw std::invalid_argument("price_lower above price_upper");
      const Run r = run(p, scenario.draw_key, m, options.time_limit_s);
      const GameResult& g = r.r;
      out.status = g.status;
      out.failed_stage = g.status.ok() ? "" : "equilibrium";
      out.solver_status = p.o.pricing.mode == "fixed" ? "fixed_prices" : g.status.ok() ? "equilibrium" : std::string(to_string(g.status.code));
      const bool have = !g.day.price.empty() && !g.profit_by_station.empty();
      auto val = [&](double v) { return have ? v : NAN; };
      out.metrics = {val(g.station_profit), val(g.equilibrium_residual), val(g.operator_expected_cost),
                     val(g.ev_user_cost), r.lmp_mean, r.lmp_max, r.mean_price, val(g.tstt_veh_h),
                     val(g.curtailment_mwh), val(g.worst_ue_gap), static_cast<double>(g.outer_iterations),
                     static_cast<double>(g.periods_certified), static_cast<double>(g.lower_level_solves), r.baseline_profit, r.baseline_solves,
                     r.baseline_residual};
      out.timings = {r.solve_s};
      auto flat = [](const std::vector<std::vector<double>>& v) {
        std::vector<double> f;
        for (const auto& row : v) f.insert(f.end(), row.begin(), row.end());
        return f;
      };
      auto wants = [&](const char* n) {
        return std::find(options.keep_series.begin(), options.keep_series.end(), n) != options.keep_series.end();
      };
      out.series = {wants("station_price") ? flat(g.day.price) : std::vector<double>{},
                    wants("station_load") ? flat(g.day.station_mw) : std::vector<double>{},
                    wants("station_profit") ? g.profit_by_station : std::vector<double>{},
                    wants("lmp") ? flat(g.day.lmp) : std::vector<double>{}};
      std::vector<ExtraField> ex = {{"solve_s", r.solve_s}};
      for (size_t k = 0; k < g.profit_by_station.size(); ++k)
        ex.push_back({"station_profit_" + p.o.stations[k].name, g.profit_by_station[k]});
      out.extras = ex;
    } catch (const std::exception& e) {
      out.status = Status::failure(StatusCode::invalid_input, e.what());
      out.failed_stage = "setup";
      out.metrics.assign(metric_infos().size(), NAN);
      out.timings = {0};
      out.series.assign(4, {});
    }
    return out;
  }
  std::string describe_outcome(const Outcome& o) const override {
    auto v = [&](const char* n) { return metric_value(*this, o, n); };
    char buf[1024];
    std::snprintf(buf, sizeof buf,
                  "equilibrium  %s after %d sweeps, %d lower-level solves, residual %.2e, %.2f s\n"
                  "stations     profit %.2f, mean price %.4f /kWh\n"
                  "operator     expected cost %.2f, LMP mean %.2f max %.2f /MWh, curtailed %.3f MWh\n"
                  "EV users     cost %.2f, TSTT %.3f veh h, worst gap %.1e\n",
                  o.solver_status.c_str(), static_cast<int>(v("outer_iterations")),
                  static_cast<int>(v("lower_level_solves")), v("equilibrium_residual"), v("solve_s"),
                  v("station_profit"), v("mean_charging_price"), v("operator_expected_cost"), v("lmp_mean"),
                  v("lmp_max"), v("curtailment_mwh"), v("ev_user_cost"), v("tstt"), v("worst_ue_gap"));
    return buf;
  }
};

const StudyKind& kind() {
  static const StackelbergKind k;
  return k;
}

}  // namespace evs::kinds::stackelberg
