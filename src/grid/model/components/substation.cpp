// Substation purchase: the import P_head,t at the tariff of period t. Reverse flow (import
// below 0) is credited at the tariff (ExportRule::credit), forbidden (forbid), or credited at
// an export price (price: an export variable e_t >= max(0, -P_head,t) carries the difference
// tariff - export price, so the net credit of exported energy is the export price).
#include <algorithm>

#include "grid/model/components/components.hpp"

namespace evs::grid {

void add_substation_purchase(DispatchModel& m) {
  const DispatchProblem& pb = m.problem();
  for (int t = 0; t < m.periods(); ++t) {
    const int head = m.network.head_p[t];
    m.add_cost(head, m.tariff(t) * m.base_mva() * m.dt_h(), "purchase");
    if (pb.export_rule == ExportRule::forbid) m.qcqp().set_lower(head, 0);
    if (pb.export_rule == ExportRule::price) {
      // An export price above the tariff would let import and export grow together without
      // bound; studies are checked for it, and the model caps it at the tariff.
      const double price = std::min(t < static_cast<int>(pb.export_price.size()) ? pb.export_price[t] : 0.0, m.tariff(t));
      const int exported = m.qcqp().add_variable(0, QcqpModel::inf, 0, m.indexed_name("P_export", t, 0));
      Expression covers;  // e_t + P_head,t >= 0
      covers.add(exported, 1).add(head, 1);
      m.qcqp().add_constraint(covers, 0, QcqpModel::inf, m.indexed_name("export", t, 0));
      m.add_cost(exported, (m.tariff(t) - price) * m.base_mva() * m.dt_h(), "purchase");
    }
  }
}

}  // namespace evs::grid
