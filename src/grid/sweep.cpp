// Radial backward/forward sweep (current summation). Branches may carry an off-nominal tap
// and line charging; the charging current uses the previous iterate's voltage.
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "core/timer.hpp"
#include "grid/powerflow_detail.hpp"

namespace evs::grid {

namespace {

class SweepSolver final : public PowerFlowSolver {
 public:
  explicit SweepSolver(const GridNetwork& net) : net_(net), y_(build_ybus(net)) {
    if (!net.tree.is_radial)
      throw InputError({net.source_file, 0, "mpc.branch"},
                       "the backward/forward sweep needs a radial network (" + std::to_string(net.num_branches()) +
                           " in-service branches for " + std::to_string(net.num_buses()) + " buses); use newton");
    for (int i = 0; i < net.num_buses(); ++i)
      if (net.bus_type[i] == BusType::pv)
        throw InputError({net.source_file, 0, "bus " + std::to_string(net.bus_id[i])},
                         "the sweep supports PQ buses and one reference bus, this bus is PV; use newton");
  }

  PfResult solve(const PfInjections& inj, const PfOptions& opt) override {
    Stopwatch clock;
    PfResult r;
    const int n = net_.num_buses();
    std::vector<cplx> v = detail::initial_voltages(net_, inj);
    std::vector<cplx> draw(n), work;
    std::vector<cplx> i_series(n);  // [bus] series current of the branch to the parent (towards the child)
    const auto& order = net_.tree.order;
    double mismatch = detail::max_mismatch(net_, y_, v, inj, work);
    r.history.push_back({0, mismatch, clock.seconds()});
    int it = 0;
    while (mismatch > opt.tolerance_pu && it < opt.max_iterations && std::isfinite(mismatch)) {
      ++it;
      // Backward: current drawn by each subtree from its parent branch.
      for (int i = 0; i < n; ++i) draw[i] = -std::conj(inj.s_net[i] / v[i]) + cplx(net_.gs[i], net_.bs[i]) * v[i];
      for (auto p = order.rbegin(); p != order.rend(); ++p) {
        const int c = *p;
        const int k = net_.tree.parent_branch[c];
        if (k < 0) continue;
        const auto& br = net_.branches[k];
        const cplx tap = std::polar(br.tap, br.shift_rad);
        const cplx half_b(0, br.b / 2);
        cplx to_parent;
        if (br.to == c) {  // parent is the from side
          i_series[c] = draw[c] + half_b * v[c];
          to_parent = (i_series[c] + half_b * v[br.from] / tap) / std::conj(tap);
        } else {           // parent is the to side
          const cplx vf_int = v[c] / tap;
          i_series[c] = -std::conj(tap) * draw[c] - half_b * vf_int;
          to_parent = -i_series[c] + half_b * v[br.to];
        }
        draw[net_.tree.parent[c]] += to_parent;
      }
      // Forward: voltages from the root down.
      for (int c : order) {
        const int k = net_.tree.parent_branch[c];
        if (k < 0) continue;
        const auto& br = net_.branches[k];
        const cplx tap = std::polar(br.tap, br.shift_rad);
        const cplx z(br.r, br.x);
        if (br.to == c)
          v[c] = v[br.from] / tap - z * i_series[c];
        else
          v[c] = tap * (v[br.to] + z * i_series[c]);
      }
      mismatch = detail::max_mismatch(net_, y_, v, inj, work);
      r.history.push_back({it, mismatch, clock.seconds()});
    }
    r.iterations = it;
    r.max_mismatch_pu = mismatch;
    if (!std::isfinite(mismatch))
      r.status = Status::failure(StatusCode::numerical_error, "sweep produced non-finite voltages");
    else if (mismatch > opt.tolerance_pu)
      r.status = Status::failure(StatusCode::not_converged, "sweep did not converge in " + std::to_string(it) +
                                                                " iterations; largest mismatch " +
                                                                detail::format_pu(mismatch));
    detail::finish_result(net_, y_, v, inj, r);
    r.solve_seconds = clock.seconds();
    return r;
  }

 private:
  const GridNetwork& net_;
  Ybus y_;
};

}  // namespace

std::unique_ptr<PowerFlowSolver> make_sweep_solver(const GridNetwork& net) { return std::make_unique<SweepSolver>(net); }

}  // namespace evs::grid
