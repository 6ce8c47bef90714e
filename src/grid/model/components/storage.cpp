// Storage: charge and discharge limits, E_t = E_{t-1} + (eta_c P_ch - P_dis / eta_d) dt in
// the SOC window, optionally back at the initial state of charge at the end of the day.
#include "grid/model/components/components.hpp"

namespace evs::grid {

void add_storage(DispatchModel& m) {
  const auto& storages = m.problem().storages;
  const double base = m.base_mva(), dt = m.dt_h();
  const int T = m.periods();
  auto& ids = m.components;
  ids.storage_charge.resize(storages.size());
  ids.storage_discharge.resize(storages.size());
  ids.storage_energy.resize(storages.size());
  for (size_t s = 0; s < storages.size(); ++s) {
    const auto& st = storages[s];
    const int b = m.bus_index(st.bus, "storage");
    const int unit = static_cast<int>(s);
    const double e0_mwh = st.soc_initial * st.energy_mwh;
    auto& energy_ids = ids.storage_energy[s];
    for (int t = 0; t < T; ++t) {
      const int ch = m.qcqp().add_variable(0, st.power_mw / base, 0, m.indexed_name("P_ch", t, unit));
      const int dis = m.qcqp().add_variable(0, st.power_mw / base, 0, m.indexed_name("P_dis", t, unit));
      const int e = m.qcqp().add_variable(st.soc_min * st.energy_mwh, st.soc_max * st.energy_mwh, e0_mwh,
                                          m.indexed_name("E", t, unit));
      ids.storage_charge[s].push_back(ch);
      ids.storage_discharge[s].push_back(dis);
      energy_ids.push_back(e);
      m.add_to_balance_p(t, b, dis, 1);
      m.add_to_balance_p(t, b, ch, -1);
      Expression energy;  // E_t - E_{t-1} - (eta_c P_ch - P_dis / eta_d) base dt = 0
      energy.add(e, 1).add(ch, -st.eta_charge * base * dt).add(dis, base * dt / st.eta_discharge);
      if (t > 0)
        energy.add(energy_ids[t - 1], -1);
      else
        energy.constant = -e0_mwh;
      m.qcqp().add_constraint(energy, 0, 0, m.indexed_name("energy", t, unit));
    }
    if (st.cyclic) m.qcqp().fix(energy_ids[T - 1], e0_mwh);
  }
}

}  // namespace evs::grid
