#pragma once
// The Pareto front of the V2G dispatch by the augmented epsilon-constraint method with the
// epsilon grid set inside the attainable set: three payoff solves (each objective minimised,
// the other two weighted by the augmentation rho) give the utopia u and the nadir estimate n;
// then, with r = n - u, for each of G levels of f2 e2 = u2 + r2 (a + 1) / (G + 1) the row's
// two ends
//   A: min f1/r1 + rho (f2/r2 + f3/r3) s.t. f2 <= e2,  B: min f3/r3 + rho (f1/r1 + f2/r2) s.t. f2 <= e2
// and G levels e3 strictly between f3(B) and f3(A):
//   min f1/r1 + rho (f2/r2 + f3/r3)  s.t.  f2 <= e2, f3 <= e3,
// each a proper Pareto optimum (rho > 0) of a feasible (convex) subproblem: 4 + G (G + 2)
// solves (a first f1 solve sets the payoff solves' scales). Points are normalised by (f - utopia) / (nadir - utopia); the chosen point is the
// one closest to the utopia point (0, 0, 0) in that space; hypervolume against the reference
// point (1.1, 1.1, 1.1), divided by 1.1^3.
#include <array>
#include <chrono>
#include <string>
#include <vector>

#include "kinds/planning/optimise.hpp"

namespace evs::kinds::planning {

using Point = std::array<double, 3>;

// Indices of the points no other point dominates (within tol, relative to each range), first
// of any duplicates kept.
std::vector<int> non_dominated(const std::vector<Point>& pts, double tol = 1e-9);

// Hypervolume dominated by normalised points (each coordinate <= ref), exact (slicing).
double hypervolume(const std::vector<Point>& normalised, double ref = 1.1);

struct ParetoFront {
  std::vector<Point> f;              // [point] raw objectives of the non-dominated points
  std::vector<Subproblem> sub;       // [point] the subproblem it solves
  std::vector<FleetSolution> sol;    // [point]
  Point utopia{}, nadir{};
  int subproblems = 0, failed = 0;
  std::string first_failure;        // status message of the first failed subproblem
  int chosen = -1;                   // index into f
  double hypervolume = NAN;          // normalised
  double solve_s = 0;
};

// reference: objectives of a known feasible schedule (the disordered one), for the scales of
// the payoff solves.
ParetoFront pareto_front(const FleetProblem& problem, int divisions, double augmentation, const grid::NlpOptions& nlp,
                          const Point& reference);

Point normalise(const Point& f, const Point& utopia, const Point& nadir);

}  // namespace evs::kinds::planning
