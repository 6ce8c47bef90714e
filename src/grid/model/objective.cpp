#include "grid/model/objective.hpp"

namespace evs::grid {

namespace {
constexpr double inf = QcqpModel::inf;
}  // namespace

void add_loss_term(DispatchModel& m) {
  const double weight = m.problem().weights.loss;  // currency / MWh of losses
  if (weight <= 0) return;
  const GridNetwork& net = m.net();
  for (int t = 0; t < m.periods(); ++t)
    for (int k = 0; k < net.num_branches(); ++k)
      m.objective().add(m.network.l[t][k], weight * net.branches[k].r * m.base_mva() * m.dt_h());
  for (int t = 0; t < m.periods(); ++t)
    for (int k = 0; k < net.num_branches(); ++k)
      m.objective_part("losses").add(m.network.l[t][k], weight * net.branches[k].r * m.base_mva() * m.dt_h());
}

void add_voltage_deviation_term(DispatchModel& m) {
  const double weight = m.problem().weights.voltage_deviation;
  if (weight <= 0) return;
  const GridNetwork& net = m.net();
  for (int t = 0; t < m.periods(); ++t)
    for (int i = 0; i < net.num_buses(); ++i) {
      if (i == net.slack) continue;
      const int v = m.network.v[t][i];
      const int u = m.qcqp().add_variable(0, inf, 0, m.indexed_name("vdev", t, i));
      Expression above, below;  // u >= v - 1, u >= 1 - v
      above.add(u, 1).add(v, -1);
      below.add(u, 1).add(v, 1);
      m.qcqp().add_constraint(above, -1, inf, m.indexed_name("vdev+", t, i));
      m.qcqp().add_constraint(below, 1, inf, m.indexed_name("vdev-", t, i));
      m.objective().add(u, weight);
      m.objective_part("voltage_deviation").add(u, weight);
    }
}

void add_load_variance_term(DispatchModel& m) {
  if (m.problem().weights.load_variance <= 0) return;
  const int T = m.periods();
  const auto& head = m.network.head_p;  // [t]
  const double c = m.problem().weights.load_variance * m.base_mva() * m.base_mva();
  for (int s = 0; s < T; ++s) {
    m.objective().add(head[s], head[s], c * (1 - 1.0 / T));
    m.objective_part("load_variance").add(head[s], head[s], c * (1 - 1.0 / T));
    for (int u = s + 1; u < T; ++u) {
      m.objective().add(head[s], head[u], -2 * c / T);
      m.objective_part("load_variance").add(head[s], head[u], -2 * c / T);
    }
  }
}

void add_peak_valley_term(DispatchModel& m) {
  const double weight = m.problem().weights.peak_valley;
  if (weight <= 0) return;
  auto& qp = m.qcqp();
  const int peak = qp.add_variable(-inf, inf, 0, "peak"), valley = qp.add_variable(-inf, inf, 0, "valley");
  for (int t = 0; t < m.periods(); ++t) {
    Expression above, below;  // peak >= P_head,t >= valley
    above.add(peak, 1).add(m.network.head_p[t], -1);
    below.add(valley, -1).add(m.network.head_p[t], 1);
    qp.add_constraint(above, 0, inf, m.indexed_name("peak", t, 0));
    qp.add_constraint(below, 0, inf, m.indexed_name("valley", t, 0));
  }
  m.objective().add(peak, weight * m.base_mva()).add(valley, -weight * m.base_mva());
  m.objective_part("peak_valley").add(peak, weight * m.base_mva()).add(valley, -weight * m.base_mva());
}

}  // namespace evs::grid
