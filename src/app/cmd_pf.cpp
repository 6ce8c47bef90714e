// evsweep pf CASE.m [--method newton|sweep] [--json]
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "core/error.hpp"
#include "data/grid_network.hpp"
#include "driver/mpi_session.hpp"
#include "grid/backend/petsc_runtime.hpp"
#include "grid/powerflow.hpp"
#include "io/matpower.hpp"

namespace evs::app {

namespace {

struct PfArgs {
  std::string case_file;
  std::string method = "newton";
  bool json = false;
  double tolerance = 1e-8;
  int max_iterations = 30;
};

nlohmann::ordered_json to_json(const GridNetwork& net, const grid::PfResult& r, const grid::PfSummary& s,
                               const std::string& method) {
  nlohmann::ordered_json j;
  j["case"] = net.source_file;
  j["method"] = method;
  j["converged"] = r.status.ok();
  j["status"] = std::string(to_string(r.status.code));
  j["message"] = r.status.message;
  j["iterations"] = r.iterations;
  j["max_mismatch_pu"] = r.max_mismatch_pu;
  j["loss_mw"] = s.loss_mw;
  j["loss_mvar"] = s.loss_mvar;
  j["slack_p_mw"] = s.slack_p_mw;
  j["slack_q_mvar"] = s.slack_q_mvar;
  j["vmin_pu"] = s.vmin_pu;
  j["vmin_bus"] = s.vmin_bus;
  j["vmax_pu"] = s.vmax_pu;
  j["vmax_bus"] = s.vmax_bus;
  j["max_line_loading"] = s.max_line_loading;
  j["solve_s"] = r.solve_seconds;
  nlohmann::ordered_json vm = nlohmann::ordered_json::object(), va = nlohmann::ordered_json::object();
  for (int i = 0; i < net.num_buses(); ++i) {
    vm[std::to_string(net.bus_id[i])] = r.vm[i];
    va[std::to_string(net.bus_id[i])] = r.va[i] * 180.0 / M_PI;
  }
  j["vm_pu"] = vm;
  j["va_deg"] = va;
  nlohmann::ordered_json hist = nlohmann::ordered_json::array();
  for (const auto& h : r.history) hist.push_back({{"iteration", h.iteration}, {"max_mismatch_pu", h.max_mismatch_pu}});
  j["history"] = hist;
  return j;
}

void print_text(const GridNetwork& net, const grid::PfResult& r, const grid::PfSummary& s, const std::string& method) {
  std::printf("%s: %d buses, %d branches in service, base %.6g MVA\n", net.source_file.c_str(), net.num_buses(),
              net.num_branches(), net.base_mva);
  std::printf("%s: %s after %d iterations (largest mismatch %.3g pu, %.3f ms)\n", method.c_str(),
              r.status.ok() ? "converged" : "NOT converged", r.iterations, r.max_mismatch_pu, r.solve_seconds * 1e3);
  std::printf("losses        %12.3f kW   %12.3f kVAr\n", s.loss_mw * 1e3, s.loss_mvar * 1e3);
  std::printf("substation    %12.3f kW   %12.3f kVAr\n", s.slack_p_mw * 1e3, s.slack_q_mvar * 1e3);
  std::printf("voltage min   %12.5f pu at bus %d\n", s.vmin_pu, s.vmin_bus);
  std::printf("voltage max   %12.5f pu at bus %d\n", s.vmax_pu, s.vmax_bus);
  if (s.max_line_loading > 0) std::printf("line loading  %12.1f %% (worst branch)\n", s.max_line_loading * 100);
}

}  // namespace

Runner add_pf_command(CLI::App& app, const GlobalOptions&) {
  auto args = std::make_shared<PfArgs>();
  app.add_option("CASE", args->case_file, "MATPOWER case file (.m, format version 2)")->required();
  app.add_option("--method", args->method, "newton (any network) or sweep (radial backward/forward sweep)")
      ->check(CLI::IsMember({"newton", "sweep"}))
      ->capture_default_str();
  app.add_option("--tol", args->tolerance, "Convergence tolerance: largest P or Q mismatch in per unit")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--max-iter", args->max_iterations, "Iteration limit")->check(CLI::PositiveNumber)->capture_default_str();
  app.add_flag("--json", args->json, "Print the result as one JSON object (per-bus voltages keyed by bus number)");
  app.footer("Exit code 0 when the power flow converges, 2 for bad input, 3 when it does not converge.");
  return [args]() -> int {
    GridNetwork net;
    try {
      net = build_grid_network(read_matpower_case(args->case_file), true);
      for (const auto& note : net.notes) std::fprintf(stderr, "evsweep: note: %s\n", note.c_str());
    } catch (const InputError& e) {
      report_error(e.what());
      return exit_input;
    }
    SolverSession session;
    grid::PfOptions options;
    options.tolerance_pu = args->tolerance;
    options.max_iterations = args->max_iterations;
    grid::PfResult result;
    try {
      result = grid::make_power_flow_solver(net, grid::pf_method_from_string(args->method))->solve(
          grid::injections_from_network(net), options);
    } catch (const InputError& e) {
      report_error(e.what());
      return exit_input;
    }
    const auto summary = grid::summarize(net, result);
    if (args->json)
      std::cout << to_json(net, result, summary, args->method).dump(2) << "\n";
    else
      print_text(net, result, summary, args->method);
    if (!result.status.ok()) {
      report_error("power flow " + std::string(to_string(result.status.code)) + ": " + result.status.message);
      return exit_solver;
    }
    return exit_ok;
  };
}

}  // namespace evs::app
