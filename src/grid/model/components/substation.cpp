// Substation purchase: the import P_head,t at the tariff of period t.
#include "grid/model/components/components.hpp"

namespace evs::grid {

void add_substation_purchase(DispatchModel& m) {
  for (int t = 0; t < m.periods(); ++t) m.add_cost(m.network.head_p[t], m.tariff(t) * m.base_mva() * m.dt_h(), "purchase");
}

}  // namespace evs::grid
