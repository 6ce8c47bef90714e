#include "kinds/planning/feeder.hpp"

namespace evs::kinds::planning {

FeederEquivalent distflow_equivalent(const GridNetwork& in) {
  FeederEquivalent e;
  e.net = in;
  const int n = in.num_buses();
  e.boost.assign(n, 1.0);
  // MATPOWER: the tap is on the from side, V_from / tap = voltage behind the series impedance.
  for (int bus : in.tree.order) {
    const int br = in.tree.parent_branch[bus];
    if (br < 0) continue;
    const NetBranch& b = in.branches[br];
    const int parent = in.tree.parent[bus];
    e.boost[bus] = b.from == parent ? e.boost[parent] / b.tap : e.boost[parent] * b.tap;
  }
  for (auto& b : e.net.branches) {
    const int child = in.tree.parent[b.to] == b.from ? b.to : b.from;
    const double k = e.boost[child] * e.boost[child];
    if (b.tap != 1) ++e.regulators;
    if (b.b != 0) ++e.charging_dropped;
    b.r /= k;
    b.x /= k;
    b.tap = 1;
    b.shift_rad = 0;
    b.b = 0;
  }
  for (int i = 0; i < n; ++i) {
    e.net.vm0[i] /= e.boost[i];  // the case's tap-consistent start, referred
    e.net.gs[i] *= e.boost[i] * e.boost[i];
    e.net.bs[i] *= e.boost[i] * e.boost[i];
  }
  return e;
}

}  // namespace evs::kinds::planning
