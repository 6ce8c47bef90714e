#pragma once
// Logit stochastic user equilibrium (paper 001, MODELS.md section 3), path based: the
// logit loading y(x) spreads every class's demand over its paths with probabilities
// exp(-theta c_k) / sum exp(-theta c_l) at the costs of link flows x. Fixed point x = y(x).
//
// Step rules:
//   msa     the paper's method of successive averages, x += (y - x) / n
//   sra     self-regulated averaging (Liu, Lam & Wong 2009): x += (y - x) / beta_n, beta_n
//           grows by sra_up when the residual did not fall and by sra_down when it did
//   newton  Newton's method on F(x) = y(x) - x with the exact Jacobian of the logit loading,
//           solved matrix-free by conjugate gradients on the symmetrised system, with
//           backtracking on ||F||
// Path sets: every acyclic path when there are few (exact logit over all routes, as the
// Nguyen-Dupuis references), otherwise grown by column generation each iteration.
#include <string>
#include <vector>

#include "traffic/assignment.hpp"
#include "traffic/network.hpp"
#include "traffic/paths.hpp"

namespace evs::traffic {

enum class StepRule { msa, sra, newton };
StepRule step_rule_from_string(const std::string& name);  // msa | sra | newton
std::string to_string(StepRule rule);

struct SueOptions {
  double theta = 0.5;        // 1 / time unit
  StepRule rule = StepRule::newton;
  double tolerance = 1e-8;   // stop when ||y - x|| / ||x|| <= tolerance (and no new path)
  int max_iterations = 10000;
  PathSetMode path_set = PathSetMode::automatic;
  int max_enumerated_paths = 500;  // per class, for enumerate / automatic
  double sra_up = 1.5, sra_down = 0.3;
};

// `set` may hold paths from an earlier solve (kept and extended); `warm_link_flow`, when
// given, is the starting point (e.g. the previous period's equilibrium); otherwise the
// start is the loading at free-flow costs. The step schedule restarts at every call.
AssignmentResult solve_sue(const TrafficNetwork& net, const std::vector<DemandClass>& classes, PathSet& set,
                           const SueOptions& options, const std::string& demand_source,
                           const std::vector<double>* warm_link_flow = nullptr);

}  // namespace evs::traffic
