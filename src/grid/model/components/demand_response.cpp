// Demand response: per period at most max_share of the bus load shifted out or in (at the
// bus's power factor), energy neutral over the day, compensation per MWh shifted out.
#include "grid/model/components/components.hpp"

namespace evs::grid {

void add_demand_response(DispatchModel& m) {
  const auto& units = m.problem().demand_response;
  const GridNetwork& net = m.net();
  const double base = m.base_mva(), dt = m.dt_h();
  auto& ids = m.components;
  ids.dr_out.resize(units.size());
  ids.dr_in.resize(units.size());
  for (size_t d = 0; d < units.size(); ++d) {
    const auto& dr = units[d];
    const int b = m.bus_index(dr.bus, "demand response");
    const int unit = static_cast<int>(d);
    const double qratio = net.pd[b] > 0 ? net.qd[b] / net.pd[b] : 0.0;
    Expression neutral;
    for (int t = 0; t < m.periods(); ++t) {
      const double cap_pu = dr.max_share * m.load_p(t, b);
      const int out = m.qcqp().add_variable(0, cap_pu, 0, m.indexed_name("dr_out", t, unit));
      const int in = m.qcqp().add_variable(0, cap_pu, 0, m.indexed_name("dr_in", t, unit));
      ids.dr_out[d].push_back(out);
      ids.dr_in[d].push_back(in);
      m.add_to_balance_p(t, b, out, 1);
      m.add_to_balance_p(t, b, in, -1);
      m.add_to_balance_q(t, b, out, qratio);
      m.add_to_balance_q(t, b, in, -qratio);
      neutral.add(out, 1).add(in, -1);
      m.add_cost(out, dr.compensation * base * dt, "demand_response");
    }
    m.qcqp().add_constraint(neutral, 0, 0, m.indexed_name("dr_neutral", 0, unit));
  }
}

}  // namespace evs::grid
