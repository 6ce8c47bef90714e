// evsweep estimate-od NET --observations OBS.csv [--prior TRIPS] -o OUT_trips.tntp [--json]
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "core/error.hpp"
#include "core/timer.hpp"
#include "io/observations.hpp"
#include "io/tntp.hpp"
#include "traffic/od_estimation.hpp"

namespace evs::app {

namespace {

struct EstimateArgs {
  std::string net_file, observations, prior, output;
  double prior_weight = 0.1;
  std::string pairs = "auto";
  std::string prior_level = "free";
  std::string model = "sue";
  double theta = 0.5;
  std::string likelihood = "poisson";
  double period_minutes = 60, length_km = 1, time_min = 1, speed_resolution = 1;
  int max_outer = 100;
  double tolerance = 1e-4;
  bool json = false;
};

// OUT for one period; with several, OUT with {period} replaced, or _p<k> before the extension.
std::string period_file(const std::string& out, int period, int periods) {
  if (periods == 1 && out.find("{period}") == std::string::npos) return out;
  const std::string tag = std::to_string(period);
  if (auto at = out.find("{period}"); at != std::string::npos) return out.substr(0, at) + tag + out.substr(at + 8);
  const auto slash = out.find_last_of('/');
  const auto dot = out.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return out + "_p" + tag;
  return out.substr(0, dot) + "_p" + tag + out.substr(dot);
}

double json_number(double v) { return std::isfinite(v) ? v : 0.0; }

}  // namespace

Runner add_estimate_od_command(CLI::App& app, const GlobalOptions&) {
  auto a = std::make_shared<EstimateArgs>();
  app.add_option("NET", a->net_file, "TNTP network file (*_net.tntp)")->required();
  app.add_option("--observations", a->observations,
                 "CSV of link observations: period,init_node,term_node,count (vehicles per period) or "
                 "...,speed_kmh; several rows of one link and period are samples")
      ->required();
  app.add_option("--prior", a->prior, "TNTP trip table used as prior (seed) matrix and starting point, veh/h");
  app.add_option("--prior-weight", a->prior_weight,
                 "Weight of the prior: pseudo-observations of every OD entry's share (0: start and pair list only)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--pairs", a->pairs,
                 "OD pairs estimated: all (every pair of distinct zones), prior (the prior's positive entries), "
                 "auto (prior when a prior is given with weight 0, else all)")
      ->check(CLI::IsMember({"auto", "all", "prior"}))
      ->capture_default_str();
  app.add_option("--prior-level", a->prior_level,
                 "free: the prior gives the pattern and the counts the level; fixed: the prior's level is believed too")
      ->check(CLI::IsMember({"free", "fixed"}))
      ->capture_default_str();
  app.add_option("--model", a->model, "Route choice of the assignment: sue (logit) or ue")
      ->check(CLI::IsMember({"sue", "ue"}))
      ->capture_default_str();
  app.add_option("--theta", a->theta, "SUE logit dispersion (1 / time unit)")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--likelihood", a->likelihood,
                 "poisson (independent Poisson counts) or normal (the paper's normal approximation, variance at "
                 "the observations)")
      ->check(CLI::IsMember({"poisson", "normal"}))
      ->capture_default_str();
  app.add_option("--period-minutes", a->period_minutes, "Length of a period: counts are vehicles per period")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--length-km", a->length_km, "Kilometres per length unit of the network file (speeds)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--time-min", a->time_min, "Minutes per time unit of the network's free-flow times (speeds)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--speed-resolution", a->speed_resolution,
                 "km/h: a speed at free flow bounds the flow by the flow at which the speed would be this much lower")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--max-outer", a->max_outer, "Assignment/estimation rounds at most")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--tolerance", a->tolerance, "Stop when less than this share of the demand changes route between rounds")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("-o,--output", a->output,
                 "Trip table written (TNTP, veh/h); with several periods {period} in the name is replaced, or _p<k> "
                 "goes before the extension")
      ->required();
  app.add_flag("--json", a->json, "Print the result as JSON");
  app.footer(
      "Maximum-likelihood OD estimation (paper 001, eq. 1): assignment and estimation alternate until route "
      "choice settles; see docs/traffic.md. Exit code 0 when every period settled, 2 for bad input, 3 when a "
      "period did not settle (its estimate is written anyway).");
  return [a]() -> int {
    try {
      Stopwatch clock;
      const RoadNetwork road = read_tntp_network(a->net_file);
      const auto records = read_link_observations(a->observations);
      traffic::ObservationUnits units;
      units.period_minutes = a->period_minutes;
      units.km_per_length_unit = a->length_km;
      units.minutes_per_time_unit = a->time_min;
      units.speed_resolution_kmh = a->speed_resolution;
      const auto by_period = traffic::observations_by_period(road, records, units, a->observations);
      OdMatrix prior;
      const bool has_prior = !a->prior.empty();
      if (has_prior) {
        prior = read_tntp_trips(a->prior);
        validate_demand(road, prior);
      }
      const traffic::TrafficNetwork net = traffic::build_traffic_network(road);
      const bool use_prior_pairs = has_prior && (a->pairs == "prior" || (a->pairs == "auto" && a->prior_weight == 0));
      if (a->pairs == "prior" && !has_prior) throw InputError({"", 0, "--pairs"}, "--pairs prior needs --prior");
      const auto pairs = use_prior_pairs ? traffic::prior_pairs(prior) : traffic::all_zone_pairs(net, road.num_zones);
      const auto prior_vec = has_prior ? traffic::prior_on_pairs(prior, pairs) : std::vector<double>{};
      traffic::OdEstimationOptions o;
      o.stochastic = a->model == "sue";
      o.sue.theta = a->theta;
      o.likelihood = a->likelihood == "poisson" ? traffic::OdLikelihood::poisson : traffic::OdLikelihood::normal;
      o.prior_weight = a->prior_weight;
      o.prior_level_free = a->prior_level == "free";
      o.max_outer = a->max_outer;
      o.outer_tolerance = a->tolerance;
      const double to_count = a->period_minutes / 60;  // veh/h -> vehicles per period
      const int periods = static_cast<int>(by_period.size());
      nlohmann::ordered_json per = nlohmann::ordered_json::array();
      double loglik = 0, sse_before = 0, sse_after = 0, total = 0, r2_min = 1;
      int nobs = 0, outer = 0, worst_rank = static_cast<int>(pairs.size());
      bool settled = true;
      for (int p = 0; p < periods; ++p) {
        const auto est = traffic::estimate_od(net, pairs, prior_vec, by_period[p], o, a->observations);
        settled = settled && est.status.ok();
        OdMatrix out;
        out.num_zones = road.num_zones;
        for (size_t k = 0; k < pairs.size(); ++k)
          if (est.demand[k] > 0) out.entries.push_back({pairs[k].origin + 1, pairs[k].destination + 1, est.demand[k], 0});
        const std::string file = period_file(a->output, p + 1, periods);
        char note[200];
        std::snprintf(note, sizeof note, "estimated by evsweep estimate-od from %s, period %d (%s, %s likelihood)",
                      a->observations.c_str(), p + 1, a->model.c_str(), a->likelihood.c_str());
        write_tntp_trips(file, out, {note});
        int counted = 0, identified = 0;
        for (const auto& obs : by_period[p]) counted += obs.samples.empty() ? 0 : 1;
        for (char c : est.identified) identified += c ? 1 : 0;
        loglik += est.log_likelihood_after;
        sse_before += counted * std::pow(est.rmse_before * to_count, 2);
        sse_after += counted * std::pow(est.rmse_after * to_count, 2);
        nobs += counted;
        total += est.total_after;
        r2_min = std::min(r2_min, est.r2_after);
        outer = std::max(outer, est.outer_iterations);
        worst_rank = std::min(worst_rank, est.rank);
        if (a->json) {
          nlohmann::ordered_json j;
          j["period"] = p + 1;
          j["status"] = std::string(to_string(est.status.code));
          if (!est.status.ok()) j["message"] = est.status.message;
          j["file"] = file;
          j["observed_links"] = est.observed_links;
          j["rank"] = est.rank;
          j["identified_pairs"] = identified;
          j["log_likelihood_before"] = json_number(est.log_likelihood_before);
          j["log_likelihood"] = json_number(est.log_likelihood_after);
          j["count_rmse_before"] = est.rmse_before * to_count;
          j["count_rmse_after"] = est.rmse_after * to_count;
          j["count_r2_before"] = est.r2_before;
          j["count_r2_after"] = est.r2_after;
          j["total_demand_before"] = est.total_before;
          j["total_demand"] = est.total_after;
          j["outer_iterations"] = est.outer_iterations;
          j["rerouted_share"] = est.rerouted_share;
          j["solve_s"] = est.seconds;
          nlohmann::ordered_json od = nlohmann::ordered_json::array();
          for (size_t k = 0; k < pairs.size(); ++k) {
            nlohmann::ordered_json e = {{"origin", pairs[k].origin + 1},
                                        {"destination", pairs[k].destination + 1},
                                        {"estimate", est.demand[k]},
                                        {"identified", est.identified[k] != 0}};
            e["std_error"] = std::isfinite(est.std_error[k]) ? nlohmann::ordered_json(est.std_error[k]) : nullptr;
            if (has_prior) e["prior"] = prior_vec[k];
            od.push_back(e);
          }
          j["od"] = od;
          per.push_back(j);
        } else {
          std::printf("period %d: %d observed links (rank %d), %zu OD pairs (%d identified by the links alone)%s\n", p + 1,
                      est.observed_links, est.rank, pairs.size(), identified,
                      est.rank < static_cast<int>(pairs.size()) ? (has_prior && o.prior_weight > 0
                                                                        ? ": under-determined, the prior fills in"
                                                                        : ": under-determined, the others stay at their start")
                                                                 : "");
          if (identified < static_cast<int>(pairs.size())) {
            std::string list;
            int shown = 0;
            for (size_t k = 0; k < pairs.size() && shown < 12; ++k)
              if (!est.identified[k])
                list += (shown++ ? ", " : "") + std::to_string(pairs[k].origin + 1) + "->" +
                        std::to_string(pairs[k].destination + 1);
            const int missing = static_cast<int>(pairs.size()) - identified;
            std::printf("  not identified by the links alone (%d): %s%s\n", missing, list.c_str(),
                        missing > shown ? ", ... (--json lists every pair)" : "");
          }
          std::printf("  total demand %.6g -> %.6g veh/h; count RMSE %.4g -> %.4g, R2 %.4f -> %.4f; log-likelihood "
                      "%.8g -> %.8g\n",
                      est.total_before, est.total_after, est.rmse_before * to_count, est.rmse_after * to_count,
                      est.r2_before, est.r2_after, est.log_likelihood_before, est.log_likelihood_after);
          std::printf("  %s after %d rounds (rerouted share %.2e), %.3f s -> %s\n",
                      est.status.ok() ? "route choice settled" : "NOT settled", est.outer_iterations,
                      est.rerouted_share, est.seconds, file.c_str());
        }
      }
      if (a->json) {
        nlohmann::ordered_json j;
        j["status"] = settled ? "ok" : "not_converged";
        j["periods"] = periods;
        j["od_pairs"] = pairs.size();
        int observed = 0;
        for (const auto& list : by_period) observed = std::max(observed, static_cast<int>(list.size()));
        j["observed_links"] = observed;
        j["rank"] = worst_rank;
        j["under_determined"] = worst_rank < static_cast<int>(pairs.size());
        j["model"] = a->model;
        j["likelihood"] = a->likelihood;
        j["log_likelihood"] = loglik;
        j["count_rmse_before"] = nobs ? std::sqrt(sse_before / nobs) : 0.0;
        j["count_rmse_after"] = nobs ? std::sqrt(sse_after / nobs) : 0.0;
        j["count_r2_after"] = r2_min;
        j["total_demand"] = total;
        j["outer_iterations"] = outer;
        j["solve_s"] = clock.seconds();
        j["per_period"] = per;
        std::cout << j.dump(2) << "\n";
      }
      return settled ? exit_ok : exit_solver;
    } catch (const InputError& e) {
      report_error(e.what());
      return exit_input;
    }
  };
}

}  // namespace evs::app
