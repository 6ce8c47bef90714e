// Soft voltage floor (DispatchProblem::voltage_shortfall_cost > 0): v + shortfall >= vmin^2
// on every bus but the substation; the shortfall (created with v, model/network.cpp) is in
// v = V^2 and priced per pu of V (dv ~ 2 vmin dV) in the objective, not in the operating cost.
#include "grid/model/components/components.hpp"

namespace evs::grid {

void add_soft_voltage_floor(DispatchModel& m) {
  const DispatchProblem& pb = m.problem();
  const double vlo = pb.vmin_pu * pb.vmin_pu;
  const auto& ids = m.network;
  for (int t = 0; t < m.periods(); ++t)
    for (int i = 0; i < m.net().num_buses(); ++i)
      if (const int s = ids.v_short[t][i]; s >= 0) {
        Expression floor;
        floor.add(ids.v[t][i], 1).add(s, 1);
        m.qcqp().add_constraint(floor, vlo, QcqpModel::inf, m.indexed_name("vmin", t, i));
        m.objective().add(s, pb.voltage_shortfall_cost * m.dt_h() / (2 * pb.vmin_pu));
        m.objective_part("voltage_floor").add(s, pb.voltage_shortfall_cost * m.dt_h() / (2 * pb.vmin_pu));
      }
}

}  // namespace evs::grid
