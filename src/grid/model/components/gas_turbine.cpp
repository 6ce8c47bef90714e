// Gas turbines: 0 <= P <= Pmax, Q limits, ramp limit between periods, cost a P^2 + b P.
#include "grid/model/components/components.hpp"

namespace evs::grid {

void add_gas_turbines(DispatchModel& m) {
  const auto& turbines = m.problem().turbines;
  const double base = m.base_mva(), dt = m.dt_h(), w = m.cost_weight();
  auto& ids = m.components;
  ids.turbine_p.resize(turbines.size());
  ids.turbine_q.resize(turbines.size());
  for (size_t g = 0; g < turbines.size(); ++g) {
    const auto& gt = turbines[g];
    const int b = m.bus_index(gt.bus, "gas turbine");
    const int unit = static_cast<int>(g);
    for (int t = 0; t < m.periods(); ++t) {
      const int p = m.qcqp().add_variable(0, gt.pmax_mw / base, 0, m.indexed_name("P_gt", t, unit));
      const int q = m.qcqp().add_variable(gt.qmin_mvar / base, gt.qmax_mvar / base, 0, m.indexed_name("Q_gt", t, unit));
      ids.turbine_p[g].push_back(p);
      ids.turbine_q[g].push_back(q);
      m.add_to_balance_p(t, b, p, 1);
      m.add_to_balance_q(t, b, q, 1);
      m.add_cost(p, gt.cost_b * base * dt, "turbine_fuel");
      // The quadratic cost piece, weighted as written (w a base^2 dt) to keep the model's bits;
      // none for a linear cost (a = 0), so that such a model stays an LP.
      if (gt.cost_a != 0) {
        m.objective().add(p, p, w * gt.cost_a * base * base * dt);
        m.objective_part("turbine_fuel").add(p, p, w * gt.cost_a * base * base * dt);
        m.operating_cost().add(p, p, gt.cost_a * base * base * dt);
      }
      if (t > 0) {
        Expression ramp;
        ramp.add(p, 1).add(ids.turbine_p[g][t - 1], -1);
        const double r = gt.ramp_mw_per_h * dt / base;
        m.qcqp().add_constraint(ramp, -r, r, m.indexed_name("ramp", t, unit));
      }
    }
  }
}

}  // namespace evs::grid
