// evsweep assign --net NET --trips TRIPS [--model ue|sue] [--method path|bush] [--theta X] [--gap G] [--json]
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

#include "app/commands.hpp"
#include "core/error.hpp"
#include "io/tntp.hpp"
#include "traffic/sue.hpp"
#include "traffic/ue.hpp"
#include "traffic/ue_bush.hpp"

namespace evs::app {

namespace {

std::string format_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

struct AssignArgs {
  std::string net_file, trips_file;
  std::string model = "ue";
  std::string method = "path";
  double theta = 0.5;
  double gap = -1;  // default depends on the model
  std::string rule = "newton";
  std::string paths = "auto";
  int max_iterations = 100000;
  double demand_scale = 1.0;
  bool json = false;
  std::optional<double> toll_factor, distance_factor;
};

}  // namespace

Runner add_assign_command(CLI::App& app, const GlobalOptions&) {
  auto a = std::make_shared<AssignArgs>();
  app.add_option("--net", a->net_file, "TNTP network file (*_net.tntp)")->required();
  app.add_option("--trips", a->trips_file, "TNTP trip table (*_trips.tntp)")->required();
  app.add_option("--model", a->model, "ue: deterministic user equilibrium; sue: logit stochastic user equilibrium")
      ->check(CLI::IsMember({"ue", "sue"}))
      ->capture_default_str();
  app.add_option("--method", a->method,
                 "UE algorithm: path (gradient projection on path sets, the default) or bush (Dial's Algorithm B, "
                 "one acyclic subnetwork per origin; regular demand only, no path set)")
      ->check(CLI::IsMember({"path", "bush"}))
      ->capture_default_str();
  app.add_option("--theta", a->theta, "SUE logit dispersion (1 / time unit)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--gap", a->gap,
                 "Stop criterion: UE relative gap (default 1e-10) or SUE relative residual ||y-x||/||x|| (default 1e-8)")
      ->check(CLI::PositiveNumber);
  app.add_option("--rule", a->rule, "SUE step rule: msa (the paper's), sra (self-regulated averaging), newton")
      ->check(CLI::IsMember({"msa", "sra", "newton"}))
      ->capture_default_str();
  app.add_option("--paths", a->paths, "SUE path set: auto, enumerate (all routes), generate (column generation)")
      ->check(CLI::IsMember({"auto", "enumerate", "generate"}))
      ->capture_default_str();
  app.add_option("--max-iter", a->max_iterations, "Iteration limit")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_option("--demand-scale", a->demand_scale, "Multiplier of the trip table")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--toll-factor", a->toll_factor,
                 "Generalised cost = time + toll factor x toll + distance factor x length: the toll factor "
                 "(default: the file's <TOLL FACTOR>, else 0)");
  app.add_option("--distance-factor", a->distance_factor,
                 "The distance factor of the generalised cost (default: the file's <DISTANCE FACTOR>, else 0)");
  app.add_flag("--json", a->json, "Print the result as JSON (link_flow and link_time in file order, history)");
  app.footer("Exit code 0 when converged, 2 for bad input, 3 at the iteration limit.");
  return [a]() -> int {
    try {
      RoadNetwork road = read_tntp_network(a->net_file);
      if (a->toll_factor) road.toll_factor = *a->toll_factor;
      if (a->distance_factor) road.distance_factor = *a->distance_factor;
      const OdMatrix od = read_tntp_trips(a->trips_file);
      validate_demand(road, od);
      const traffic::TrafficNetwork net = traffic::build_traffic_network(road);
      const auto demand = traffic::demand_from_trips(od, a->demand_scale);
      if (a->model == "sue" && a->method == "bush")
        throw std::invalid_argument("--method bush is a UE algorithm: it needs --model ue");
      const bool bush = a->model == "ue" && a->method == "bush";
      traffic::PathSet set;
      traffic::AssignmentResult r;
      if (a->model == "ue") {
        traffic::UeOptions o;
        o.gap = a->gap > 0 ? a->gap : 1e-10;
        o.max_iterations = a->max_iterations;
        r = bush ? traffic::solve_ue_bush(net, demand, o, od.source_file)
                 : traffic::solve_ue(net, demand, set, o, od.source_file);
      } else {
        traffic::SueOptions o;
        o.theta = a->theta;
        o.tolerance = a->gap > 0 ? a->gap : 1e-8;
        o.rule = traffic::step_rule_from_string(a->rule);
        o.path_set = traffic::path_set_mode_from_string(a->paths);
        o.max_iterations = a->max_iterations;
        r = traffic::solve_sue(net, demand, set, o, od.source_file);
      }
      if (a->json) {
        nlohmann::ordered_json j;
        j["model"] = a->model;
        if (a->model == "ue") j["method"] = a->method;
        if (a->model == "sue") {
          j["theta"] = a->theta;
          j["rule"] = a->rule;
        }
        j["converged"] = r.status.ok();
        j["status"] = std::string(to_string(r.status.code));
        j["stop_criterion"] = r.stop_criterion;
        j["iterations"] = r.iterations;
        j[a->model == "ue" ? "gap" : "residual"] = r.gap;
        j[a->model == "ue" ? "excess_cost" : "max_abs_residual_veh"] = r.max_abs;
        j["tstt"] = r.tstt;
        j["total_cost"] = r.total_cost;
        j["toll_factor"] = road.toll_factor;
        j["distance_factor"] = road.distance_factor;
        j["gap_of"] = "generalised cost (time + toll factor x toll + distance factor x length)";
        j["beckmann"] = r.beckmann;
        // The bush method has no path set; its size is the links of all bushes.
        const char* size_key = bush ? "bush_links" : "paths";
        j[size_key] = bush ? r.history.back().paths : set.num_paths();
        j["time_s"] = r.seconds;
        j["link_flow"] = r.link_flow;
        j["link_time"] = r.link_time;
        nlohmann::ordered_json hist = nlohmann::ordered_json::array();
        for (const auto& h : r.history)
          hist.push_back({{"iteration", h.iteration}, {"gap", h.gap}, {"max_abs", h.max_abs}, {"step", h.step},
                          {size_key, h.paths}, {"seconds", h.seconds}});
        j["history"] = hist;
        std::cout << j.dump(2) << "\n";
      } else {
        std::printf("%s: %d nodes, %d links, %zu OD pairs, %.1f trips\n", a->net_file.c_str(), road.num_nodes,
                    net.num_road_links, demand.size(), od.total_flow() * a->demand_scale);
        std::printf("%s%s: %s after %d iterations (%s), %.3f ms, %d %s\n", a->model.c_str(),
                    a->model == "sue" ? (" theta " + format_number(a->theta) + " " + a->rule).c_str()
                    : bush            ? " bush"
                                      : "",
                    r.status.ok() ? "converged" : "NOT converged", r.iterations, r.stop_criterion.c_str(),
                    r.seconds * 1e3, bush ? r.history.back().paths : set.num_paths(), bush ? "bush links" : "paths");
        std::printf("%s %.3e\n", a->model == "ue" ? "relative gap        " : "relative residual   ", r.gap);
        std::printf("total travel time   %.10g\n", r.tstt);
        if (road.toll_factor != 0 || road.distance_factor != 0)
          std::printf("total generalised cost %.10g (toll factor %g, distance factor %g; the %s refers to it)\n",
                      r.total_cost, road.toll_factor, road.distance_factor, a->model == "ue" ? "gap" : "residual");
        if (a->model == "ue") std::printf("Beckmann objective  %.10g\n", r.beckmann);
      }
      if (!r.status.ok()) {
        report_error(r.status.message);
        return exit_solver;
      }
      return exit_ok;
    } catch (const InputError& e) {
      report_error(e.what());
      return exit_input;
    } catch (const std::invalid_argument& e) {
      report_error(e.what());
      return exit_input;
    }
  };
}

}  // namespace evs::app
