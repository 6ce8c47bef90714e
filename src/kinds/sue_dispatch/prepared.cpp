#include "kinds/sue_dispatch/prepared.hpp"

#include <cstdio>

#include "config/schema.hpp"
#include "core/error.hpp"
#include "grid/ratings.hpp"
#include "io/matpower.hpp"
#include "io/observations.hpp"
#include "io/tntp.hpp"
#include "traffic/od_estimation.hpp"

namespace evs::kinds::sue_dispatch {

namespace {

// Every bus and road node the study names exists in the files read (file:line: key).
void check_references(const Options& o, const PreparedStudy& p, bool grid_read, bool road_read,
                      config::ParseContext& ctx) {
  if (grid_read) {
    auto check_bus = [&](const std::string& key, int bus) {
      if (p.grid.index_of(bus) < 0) ctx.error_key(key, "bus " + std::to_string(bus) + " is not in " + o.grid.case_file);
    };
    const auto& r = o.resources;
    for (size_t i = 0; i < r.storage.size(); ++i) check_bus("resources.storage[" + std::to_string(i) + "].bus", r.storage[i].bus);
    for (size_t i = 0; i < r.pv.size(); ++i) check_bus("resources.pv[" + std::to_string(i) + "].bus", r.pv[i].bus);
    for (size_t i = 0; i < r.wind.size(); ++i) check_bus("resources.wind[" + std::to_string(i) + "].bus", r.wind[i].bus);
    for (size_t i = 0; i < r.gas_turbines.size(); ++i)
      check_bus("resources.gas_turbines[" + std::to_string(i) + "].bus", r.gas_turbines[i].bus);
    for (size_t i = 0; i < r.demand_response.size(); ++i)
      check_bus("resources.demand_response[" + std::to_string(i) + "].bus", r.demand_response[i].bus);
    for (size_t i = 0; i < o.stations.size(); ++i) check_bus("stations[" + std::to_string(i) + "].bus", o.stations[i].bus);
  }
  if (road_read)
    for (size_t i = 0; i < o.stations.size(); ++i) {
      const int node = o.stations[i].node;
      if (node > p.road.num_nodes)
        ctx.error_key("stations[" + std::to_string(i) + "].node",
                      "node " + std::to_string(node) + " is not in " + o.traffic.network_file + " (" +
                          std::to_string(p.road.num_nodes) + " nodes)");
    }
}

// traffic.od_estimation: the trip table (one per period, or one for the day) estimated from
// the observations, once per process (each rank computes the same deterministic estimate).
void estimate_trips(const Options& o, PreparedStudy& p) {
  const auto& e = o.traffic.od_estimation;
  traffic::ObservationUnits units;
  units.period_minutes = e.period_minutes;
  units.km_per_length_unit = e.length_km;
  units.minutes_per_time_unit = e.time_min;
  units.speed_resolution_kmh = e.speed_resolution_kmh;
  const auto by_period =
      traffic::observations_by_period(p.road, read_link_observations(e.observations_file), units, e.observations_file);
  const int T = o.profiles.periods;
  if (by_period.size() != 1 && static_cast<int>(by_period.size()) != T)
    throw InputError({e.observations_file, 0, "period"},
                     "has " + std::to_string(by_period.size()) + " periods; the study needs 1 (a trip table for the day, "
                     "shaped by profiles.traffic_demand) or profiles.periods = " + std::to_string(T));
  OdMatrix prior;
  const bool has_prior = !e.prior_file.empty();
  if (has_prior) {
    prior = read_tntp_trips(e.prior_file);
    validate_demand(p.road, prior);
  }
  const traffic::TrafficNetwork net = traffic::build_traffic_network(p.road);
  const bool prior_pairs = has_prior && (e.pairs == "prior" || (e.pairs == "auto" && e.prior_weight == 0));
  if (e.pairs == "prior" && !has_prior)
    throw InputError({"", 0, "traffic.od_estimation.pairs"}, "'prior' needs traffic.od_estimation.prior");
  const auto pairs = prior_pairs ? traffic::prior_pairs(prior) : traffic::all_zone_pairs(net, p.road.num_zones);
  const auto prior_vec = has_prior ? traffic::prior_on_pairs(prior, pairs) : std::vector<double>{};
  traffic::OdEstimationOptions eo;
  eo.stochastic = o.traffic.model == "sue";
  eo.sue.theta = o.traffic.theta;
  eo.sue.path_set = traffic::path_set_mode_from_string(o.traffic.path_set);
  eo.sue.max_enumerated_paths = o.traffic.max_enumerated_paths;
  eo.likelihood = e.likelihood == "normal" ? traffic::OdLikelihood::normal : traffic::OdLikelihood::poisson;
  eo.prior_weight = e.prior_weight;
  eo.prior_level_free = e.prior_level == "free";
  eo.max_outer = e.max_outer;
  eo.outer_tolerance = e.tolerance;
  p.trips = OdMatrix{};
  p.trips.source_file = e.observations_file + " (estimated)";
  p.trips.num_zones = p.road.num_zones;
  for (const auto& pr : pairs) p.trips.entries.push_back({pr.origin + 1, pr.destination + 1, 0.0, 0});
  char line[240];
  p.od_estimate_summary = "trip table estimated from " + e.observations_file + (has_prior ? " with prior " + e.prior_file : "") +
                          " (" + o.traffic.model + ", " + e.likelihood + " likelihood):";
  for (size_t t = 0; t < by_period.size(); ++t) {
    const auto est = traffic::estimate_od(net, pairs, prior_vec, by_period[t], eo, e.observations_file);
    if (est.status.code != StatusCode::ok && est.status.code != StatusCode::not_converged)
      throw InputError({e.observations_file, 0, "period " + std::to_string(t + 1)}, est.status.message);
    p.period_demand.push_back(est.demand);
    p.period_std_error.push_back(est.std_error);
    std::snprintf(line, sizeof line,
                  "\n  period %zu: %d observed links (rank %d) for %zu pairs, total %.6g veh/h, count RMSE %.4g -> "
                  "%.4g veh/h, R2 %.4f, %d rounds%s",
                  t + 1, est.observed_links, est.rank, pairs.size(), est.total_after, est.rmse_before, est.rmse_after,
                  est.r2_after, est.outer_iterations, est.status.ok() ? "" : " (route choice NOT settled)");
    p.od_estimate_summary += line;
  }
  for (size_t k = 0; k < pairs.size(); ++k) p.trips.entries[k].flow = p.period_demand[0][k];
  if (by_period.size() == 1) p.period_demand.clear();  // shaped by profiles.traffic_demand like a trips file
}

}  // namespace

PreparedStudy prepare(const config::Study& study) {
  const Options& o = study.options<Options>();
  config::ParseContext ctx;
  ctx.file = study.source_file;
  ctx.key_lines = study.key_lines;
  PreparedStudy p;
  p.options = o;
  p.stages = study.study.stages;
  p.seed = static_cast<std::uint64_t>(study.sweep.seed);
  p.stations_line = study.key_lines.count("stations") ? study.key_lines.at("stations") : 0;
  bool grid_read = false, road_read = false;
  try {  // each file is read once
    p.grid = build_grid_network(read_matpower_case(o.grid.case_file));
    grid_read = true;
    p.ratings_summary = grid::apply_line_ratings(
        p.grid, {o.grid.line_rating_mva, o.grid.line_rating_margin, o.grid.line_rating_min_mva, o.grid.slack_vm_pu});
  } catch (const InputError& e) {
    ctx.error_key("grid.case", e.what());
  }
  try {
    p.road = read_tntp_network(o.traffic.network_file);
    if (o.traffic.toll_factor) p.road.toll_factor = *o.traffic.toll_factor;
    if (o.traffic.distance_factor) p.road.distance_factor = *o.traffic.distance_factor;
    road_read = true;
    if (!o.traffic.trips_file.empty()) {
      p.trips = read_tntp_trips(o.traffic.trips_file);
      validate_demand(p.road, p.trips);
    }
  } catch (const InputError& e) {
    ctx.error_key("traffic", e.what());
    road_read = false;
  }
  if (road_read && !o.traffic.od_estimation.observations_file.empty()) try {
      estimate_trips(o, p);
    } catch (const InputError& e) {
      ctx.error_key("traffic.od_estimation", e.what());
    }
  check_references(o, p, grid_read, road_read, ctx);
  if (!ctx.errors.empty()) throw config::ConfigError(ctx.errors);
  return p;
}

}  // namespace evs::kinds::sue_dispatch
