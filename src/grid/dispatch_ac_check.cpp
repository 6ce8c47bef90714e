// AC verification of a dispatch: every period's dispatched injections go into the Newton
// power flow (substation as slack, every other bus PQ); the largest |V| difference from the
// dispatch and every voltage or rating violation are reported.
#include <algorithm>
#include <cmath>

#include "grid/dispatch_result.hpp"
#include "grid/powerflow.hpp"

namespace evs::grid {

namespace {

// Net injection of every bus in period t (pu): minus the fixed load, plus the devices'.
void dispatched_injections(const DispatchModel& m, const std::vector<double>& x, int t, std::vector<cplx>& s_net) {
  const DispatchProblem& pb = m.problem();
  const auto& ids = m.components;
  const int n = m.net().num_buses();
  s_net.assign(n, cplx{});
  for (int i = 0; i < n; ++i) s_net[i] = -cplx(m.load_p(t, i), m.load_q(t, i));
  auto add = [&](const std::vector<std::vector<int>>& p_ids, const std::vector<std::vector<int>>& q_ids, int b,
                 size_t u, double sign) {
    s_net[b] += sign * cplx(x[p_ids[u][t]], q_ids.empty() ? 0.0 : x[q_ids[u][t]]);
  };
  for (size_t g = 0; g < pb.turbines.size(); ++g)
    add(ids.turbine_p, ids.turbine_q, m.bus_index(pb.turbines[g].bus, ""), g, 1);
  for (size_t u = 0; u < pb.pv.size(); ++u) add(ids.pv_p, ids.pv_q, m.bus_index(pb.pv[u].bus, ""), u, 1);
  for (size_t u = 0; u < pb.wind.size(); ++u) add(ids.wind_p, ids.wind_q, m.bus_index(pb.wind[u].bus, ""), u, 1);
  for (size_t s = 0; s < pb.storages.size(); ++s) {
    const int b = m.bus_index(pb.storages[s].bus, "");
    s_net[b] += x[ids.storage_discharge[s][t]] - x[ids.storage_charge[s][t]];
  }
  for (size_t d = 0; d < pb.demand_response.size(); ++d) {
    const int b = m.bus_index(pb.demand_response[d].bus, "");
    const double shift = x[ids.dr_out[d][t]] - x[ids.dr_in[d][t]];
    const double qratio = m.net().pd[b] > 0 ? m.net().qd[b] / m.net().pd[b] : 0.0;
    s_net[b] += cplx(shift, shift * qratio);
  }
  for (size_t e = 0; e < pb.ev_stations.size(); ++e)
    if (pb.ev_stations[e].coordinated)
      s_net[m.bus_index(pb.ev_stations[e].bus, "")] -=
          cplx(x[ids.ev_p[e][t]], x[ids.ev_p[e][t]] * pb.ev_stations[e].q_per_p);
  // The extensions' balance terms.
  const auto& terms = m.device_balance_terms();
  for (size_t k = m.first_extension_term; k < terms.size(); ++k)
    if (terms[k].t == t) {
      const double value = terms[k].coef * x[terms[k].var];
      s_net[terms[k].bus] += terms[k].reactive ? cplx(0, value) : cplx(value, 0);
    }
}

}  // namespace

void verify_dispatch_ac(const DispatchModel& m, const std::vector<double>& x, DispatchResult& r) {
  const DispatchProblem& pb = m.problem();
  GridNetwork ac = m.net();  // every bus but the substation is PQ with the dispatched injections
  for (int i = 0; i < ac.num_buses(); ++i)
    if (ac.bus_type[i] != BusType::ref) ac.bus_type[i] = BusType::pq;
  auto solver = make_power_flow_solver(ac, PfMethod::newton);
  PfInjections inj;
  inj.vm_set.assign(ac.num_buses(), 1.0);
  inj.vm_set[ac.slack] = pb.slack_vm_pu;
  r.ac_vmin_pu = INFINITY;
  for (int t = 0; t < m.periods(); ++t) {
    dispatched_injections(m, x, t, inj.s_net);
    const PfResult pf = solver->solve(inj, {1e-10, 30});
    if (!pf.status.ok()) {
      r.ac_status = Status::failure(pf.status.code, "AC check, period " + std::to_string(t) + ": " + pf.status.message);
      return;
    }
    for (int i = 0; i < ac.num_buses(); ++i) {
      r.ac_max_dv_pu = std::max(r.ac_max_dv_pu, std::fabs(pf.vm[i] - r.vm_pu[t][i]));
      r.ac_vmin_pu = std::min(r.ac_vmin_pu, pf.vm[i]);
      if (i != ac.slack && (pf.vm[i] < pb.vmin_pu - 1e-6 || pf.vm[i] > pb.vmax_pu + 1e-6))
        r.ac_violations.push_back("period " + std::to_string(t) + ": bus " + std::to_string(ac.bus_id[i]) +
                                  " voltage " + std::to_string(pf.vm[i]) + " pu outside [" +
                                  std::to_string(pb.vmin_pu) + ", " + std::to_string(pb.vmax_pu) + "]");
    }
    for (int k = 0; k < ac.num_branches(); ++k)
      if (ac.branches[k].rate_pu > 0 &&
          std::max(std::abs(pf.s_from[k]), std::abs(pf.s_to[k])) > ac.branches[k].rate_pu * (1 + 1e-6))
        r.ac_violations.push_back("period " + std::to_string(t) + ": branch " + std::to_string(k + 1) + " overloaded");
  }
}

}  // namespace evs::grid
