// EV stations: the uncoordinated charging profile as a fixed load, or coordinated within the
// day: the day's energy kept, never delivered before the vehicles needing it have arrived,
// down to -v2g_max_mw with V2G.
#include "grid/model/components/components.hpp"

namespace evs::grid {

namespace {

void add_coordinated(DispatchModel& m, const EvStationLoad& ev, int b, int station, std::vector<int>& p_ids) {
  const double base = m.base_mva();
  const int T = m.periods();
  Expression total, arrived;
  double arrived_pu = 0;  // cumulative uncoordinated energy, pu x periods
  for (int t = 0; t < T; ++t) {
    arrived_pu += ev_fixed_mw(ev, t) / base;
    // Without V2G and before any vehicle has arrived the station cannot draw power: fix it
    // at 0 rather than leave bounds and the causality row with an empty interior (Ipopt
    // then needs thousands of iterations).
    const bool idle = ev.v2g_max_mw <= 0 && arrived_pu <= 1e-12;
    const int p = m.qcqp().add_variable(-ev.v2g_max_mw / base, idle ? 0.0 : ev.p_max_mw / base,
                                        ev_fixed_mw(ev, t) / base, m.indexed_name("P_ev", t, station));
    p_ids.push_back(p);
    m.add_to_balance_p(t, b, p, -1);
    if (ev.q_per_p != 0) m.add_to_balance_q(t, b, p, -ev.q_per_p);  // the station's power factor
    total.add(p, 1);
    arrived.add(p, 1);
    // Energy cannot be delivered before the vehicles that need it have arrived (the last
    // period's row is the energy balance below).
    if (!idle && t + 1 < T)
      m.qcqp().add_constraint(arrived, -QcqpModel::inf, arrived_pu + 1e-9, m.indexed_name("ev_causal", t, station));
  }
  m.qcqp().add_constraint(total, arrived_pu, arrived_pu, m.indexed_name("ev_energy", 0, station));
}

}  // namespace

void add_ev_stations(DispatchModel& m) {
  const auto& stations = m.problem().ev_stations;
  m.components.ev_p.resize(stations.size());
  for (size_t e = 0; e < stations.size(); ++e) {
    const auto& ev = stations[e];
    const int b = m.bus_index(ev.bus, "EV station");
    if (ev.coordinated)
      add_coordinated(m, ev, b, static_cast<int>(e), m.components.ev_p[e]);
    else
      for (int t = 0; t < m.periods(); ++t)
        m.add_load(t, b, ev_fixed_mw(ev, t) / m.base_mva(), ev_fixed_mw(ev, t) * ev.q_per_p / m.base_mva());
  }
}

}  // namespace evs::grid
