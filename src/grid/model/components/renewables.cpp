// PV and wind: 0 <= P <= availability x capacity, |Q| <= ratio P, optional curtailment
// penalty c (available - used) dt in the operating cost.
#include "grid/model/components/components.hpp"

namespace evs::grid {

namespace {

void add_units(DispatchModel& m, const std::vector<Renewable>& units, const char* kind,
               std::vector<std::vector<int>>& p_ids, std::vector<std::vector<int>>& q_ids) {
  constexpr double inf = QcqpModel::inf;
  const double base = m.base_mva(), dt = m.dt_h(), w = m.cost_weight();
  p_ids.resize(units.size());
  q_ids.resize(units.size());
  for (size_t u = 0; u < units.size(); ++u) {
    const auto& r = units[u];
    const int b = m.bus_index(r.bus, kind);
    const int unit = static_cast<int>(u);
    for (int t = 0; t < m.periods(); ++t) {
      const double avail_mw = (t < static_cast<int>(r.availability.size()) ? r.availability[t] : 0.0) * r.capacity_mw;
      const int p = m.qcqp().add_variable(0, avail_mw / base, avail_mw / base, m.indexed_name(kind, t, unit));
      // With nothing available P and Q are fixed at 0 by their bounds: the capability
      // constraints below would have an empty interior (bad for an interior point).
      const double qcap = avail_mw > 0 ? inf : 0.0;
      const int q = m.qcqp().add_variable(-qcap, qcap, 0, m.indexed_name(kind, t, unit) + ".q");
      p_ids[u].push_back(p);
      q_ids[u].push_back(q);
      m.add_to_balance_p(t, b, p, 1);
      m.add_to_balance_q(t, b, q, 1);
      if (avail_mw > 0) {
        Expression up, down;  // -ratio P <= Q <= ratio P
        up.add(q, 1).add(p, -r.max_q_ratio);
        down.add(q, -1).add(p, -r.max_q_ratio);
        m.qcqp().add_constraint(up, -inf, 0, m.indexed_name("q_cap", t, unit));
        m.qcqp().add_constraint(down, -inf, 0, m.indexed_name("q_cap", t, unit));
      }
      if (r.curtailment_cost > 0) {  // c (available - used) dt
        m.add_cost(p, -r.curtailment_cost * base * dt, "curtailment");
        m.objective().constant += w * r.curtailment_cost * avail_mw * dt;
        m.objective_part("curtailment").constant += w * r.curtailment_cost * avail_mw * dt;
        m.operating_cost().constant += r.curtailment_cost * avail_mw * dt;
      }
    }
  }
}

}  // namespace

void add_renewables(DispatchModel& m) {
  auto& ids = m.components;
  add_units(m, m.problem().pv, "pv", ids.pv_p, ids.pv_q);
  add_units(m, m.problem().wind, "wind", ids.wind_p, ids.wind_q);
}

}  // namespace evs::grid
