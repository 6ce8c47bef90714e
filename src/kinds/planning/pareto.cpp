#include "kinds/planning/pareto.hpp"

#include <algorithm>
#include <cmath>

#include "core/timer.hpp"

namespace evs::kinds::planning {

Point normalise(const Point& f, const Point& u, const Point& n) {
  Point out;
  for (int i = 0; i < 3; ++i) out[i] = (f[i] - u[i]) / std::max(n[i] - u[i], 1e-12);
  return out;
}

std::vector<int> non_dominated(const std::vector<Point>& pts, double tol) {
  Point lo{INFINITY, INFINITY, INFINITY}, hi{-INFINITY, -INFINITY, -INFINITY};
  for (const auto& p : pts)
    for (int i = 0; i < 3; ++i) lo[i] = std::min(lo[i], p[i]), hi[i] = std::max(hi[i], p[i]);
  Point eps;
  for (int i = 0; i < 3; ++i) eps[i] = tol * std::max(hi[i] - lo[i], 1e-12);
  std::vector<int> keep;
  for (size_t a = 0; a < pts.size(); ++a) {
    bool dominated = false;
    for (size_t b = 0; b < pts.size() && !dominated; ++b) {
      if (a == b) continue;
      bool le = true, lt = false, same = true;
      for (int i = 0; i < 3; ++i) {
        if (pts[b][i] > pts[a][i] + eps[i]) le = false;
        if (pts[b][i] < pts[a][i] - eps[i]) lt = true;
        if (std::abs(pts[b][i] - pts[a][i]) > eps[i]) same = false;
      }
      dominated = (le && lt) || (same && b < a);
    }
    if (!dominated) keep.push_back(static_cast<int>(a));
  }
  return keep;
}

namespace {
// 2-D area dominated by points (x, y) below ref.
double area2(std::vector<std::array<double, 2>> p, double ref) {
  std::sort(p.begin(), p.end());
  double area = 0, ybest = ref;
  // strips: sweep x increasing, running minimum of y
  for (size_t i = 0; i < p.size(); ++i) {
    ybest = std::min(ybest, p[i][1]);
    const double xnext = i + 1 < p.size() ? p[i + 1][0] : ref;
    area += (xnext - p[i][0]) * (ref - ybest);
  }
  return area;
}
}  // namespace

double hypervolume(const std::vector<Point>& pts, double ref) {
  std::vector<Point> p;
  for (const auto& q : pts)
    if (q[0] < ref && q[1] < ref && q[2] < ref) p.push_back(q);
  std::sort(p.begin(), p.end(), [](const Point& a, const Point& b) { return a[2] < b[2]; });
  double hv = 0;
  std::vector<std::array<double, 2>> slice;
  for (size_t i = 0; i < p.size(); ++i) {
    slice.push_back({p[i][0], p[i][1]});
    const double znext = i + 1 < p.size() ? p[i + 1][2] : ref;
    if (znext > p[i][2]) hv += area2(slice, ref) * (znext - p[i][2]);
  }
  return hv;
}

namespace {
constexpr int kMaxIterations = 150;  // a feasible subproblem takes 25-40 (lin, 96 periods)
}  // namespace

ParetoFront pareto_front(const FleetProblem& problem_in, int divisions, double rho, const grid::NlpOptions& nlp,
                          const Point& reference) {
  Stopwatch clock;
  ParetoFront front;
  // LinDistFlow: the feeder's voltages are affine in the area loads; the subproblems take
  // them as such instead of carrying the network (optimise.hpp, FleetProblem::linear).
  FleetProblem problem = problem_in;
  LinearVoltages lv;
  if (problem.linear == nullptr && problem.affine_voltages && problem.formulation == grid::Formulation::lin) {
    lv = linear_voltages(problem, nlp);
    problem.linear = &lv;
  }
  std::vector<Point> pts;
  std::vector<Subproblem> subs;
  std::vector<FleetSolution> sols;
  auto run = [&](const Subproblem& s) {
    ++front.subproblems;
    grid::NlpOptions o = nlp;
    o.max_iterations = std::min(o.max_iterations, kMaxIterations);  // infeasible bounds: stop early
    FleetSolution r = solve_fleet(problem, s, o);
    if (!r.has_solution || !r.status.ok()) {
      if (front.failed++ == 0) front.first_failure = r.status.message;
      return;
    }
    pts.push_back(r.f);
    subs.push_back(s);
    sols.push_back(std::move(r));
  };
  // Payoff table. Scales for it: how far the reference (disordered) point is from a first
  // f1 optimum, so that each objective's attainable change is O(1) against the penalties.
  Subproblem s1;
  s1.weight = {1, 0, 0};
  run(s1);
  if (pts.empty()) {
    front.solve_s = clock.seconds();
    return front;
  }
  Point scale;
  for (int i = 0; i < 3; ++i)
    scale[i] = std::max({std::abs(reference[i] - pts[0][i]), 1e-3 * std::abs(pts[0][i]), 1e-9});
  pts.clear(), subs.clear(), sols.clear();
  for (int i = 0; i < 3; ++i) {
    Subproblem s;
    s.scale = scale;
    s.weight = {rho, rho, rho};
    s.weight[i] = 1;
    run(s);
  }
  if (pts.size() < 3) {
    front.solve_s = clock.seconds();
    return front;
  }
  for (int i = 0; i < 3; ++i) {
    front.utopia[i] = pts[i][i];
    front.nadir[i] = std::max({pts[0][i], pts[1][i], pts[2][i]});
    if (front.nadir[i] - front.utopia[i] < 1e-9 * std::max(1.0, std::abs(front.utopia[i])))
      front.nadir[i] = front.utopia[i] + 1e-9 * std::max(1.0, std::abs(front.utopia[i]));
  }
  Point range;
  for (int i = 0; i < 3; ++i) range[i] = front.nadir[i] - front.utopia[i];
  // Epsilon grid inside the attainable set, row by row: for each of G levels of f2 over the
  // payoff table's range, e2 = u2 + (n2 - u2) (a + 1) / (G + 1), the two ends of the row come
  // first:
  //   A: min f1 + rho (f2 + f3) s.t. f2 <= e2   (its f3 is the row's largest useful level)
  //   B: min f3 + rho (f1 + f2) s.t. f2 <= e2   (the row's smallest attainable f3)
  // then G levels e3 strictly between f3(B) and f3(A): min f1 + rho (f2 + f3) s.t. f2 <= e2,
  // f3 <= e3. The model is convex (lin), so every one of these has a solution: G (G + 2)
  // subproblems at most, none infeasible by construction. (Where e2 is above f2(x1), A is x1
  // and is not solved; the row's other points are new.)
  const int G = divisions;
  const Point x1 = pts[0];
  for (int a = 0; a < G; ++a) {
    const double e2 = front.utopia[1] + range[1] * (a + 1) / (G + 1);
    Subproblem sa, sb;
    sa.scale = sb.scale = range;
    sa.weight = {1, rho, rho};
    sb.weight = {rho, rho, 1};
    sa.eps2 = sb.eps2 = e2;
    // Where e2 is above the f1 payoff optimum's f2, that optimum x1 meets the bound: A is x1
    // (up to the augmentation's scales), not solved again.
    double hi3 = x1[2];
    if (e2 < x1[1]) {
      const size_t before = pts.size();
      run(sa);
      if (pts.size() > before) hi3 = pts.back()[2];
    }
    const size_t before_b = pts.size();
    run(sb);
    if (pts.size() == before_b) continue;  // failed: the row has no lower end
    const double lo3 = pts.back()[2];
    for (int b = 0; b < G; ++b) {
      Subproblem s = sa;
      s.eps3 = lo3 + (hi3 - lo3) * (b + 1) / (G + 1);
      run(s);
    }
  }
  for (int i : non_dominated(pts, 1e-6)) {
    front.f.push_back(pts[i]);
    front.sub.push_back(subs[i]);
    front.sol.push_back(std::move(sols[i]));
  }
  std::vector<Point> norm;
  double best = INFINITY;
  for (size_t k = 0; k < front.f.size(); ++k) {
    norm.push_back(normalise(front.f[k], front.utopia, front.nadir));
    const double d = std::hypot(norm.back()[0], norm.back()[1], norm.back()[2]);
    if (d < best) best = d, front.chosen = static_cast<int>(k);
  }
  front.hypervolume = hypervolume(norm) / (1.1 * 1.1 * 1.1);
  front.solve_s = clock.seconds();
  return front;
}

}  // namespace evs::kinds::planning
