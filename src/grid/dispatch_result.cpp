#include "grid/dispatch_result.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace evs::grid {

namespace {

// Substation import, losses, relaxation gap, line loading, voltages and LMPs per period.
void read_network(const DispatchModel& m, const NlpResult& nlp, DispatchResult& r) {
  const auto& x = nlp.x;
  const auto& ids = m.network;
  const GridNetwork& net = m.net();
  const int T = m.periods(), n = net.num_buses(), nb = net.num_branches();
  const double base = m.base_mva(), dt = m.dt_h();
  r.vmin_pu = INFINITY;
  r.vmax_pu = -INFINITY;
  r.vm_pu.assign(T, std::vector<double>(n));
  r.lmp.assign(T, std::vector<double>(n));
  r.branch_p_mw.assign(T, std::vector<double>(nb));
  r.branch_q_mvar.assign(T, std::vector<double>(nb));
  r.branch_loading.assign(T, std::vector<double>(nb, NAN));
  r.branch_loss_mw.assign(T, std::vector<double>(nb));
  r.bus_load_mw.assign(T, std::vector<double>(n));
  r.bus_load_mvar.assign(T, std::vector<double>(n));
  for (int t = 0; t < T; ++t) {
    r.head_mw.push_back(x[ids.head_p[t]] * base);
    r.head_mvar.push_back(x[ids.head_q[t]] * base);
    double loss = 0;
    for (int k = 0; k < nb; ++k) {
      loss += net.branches[k].r * x[ids.l[t][k]] * base;
      r.branch_loss_mw[t][k] = net.branches[k].r * x[ids.l[t][k]] * base;
      const double p = x[ids.p[t][k]], q = x[ids.q[t][k]];
      r.branch_p_mw[t][k] = p * base;
      r.branch_q_mvar[t][k] = q * base;
      if (net.branches[k].rate_pu > 0) r.branch_loading[t][k] = std::sqrt(p * p + q * q) / net.branches[k].rate_pu;
      if (m.problem().formulation != Formulation::lin) {
        const double lv = x[ids.l[t][k]] * x[ids.v[t][ids.branch_parent[k]]];
        if (lv > 1e-10) r.max_relaxation_gap = std::max(r.max_relaxation_gap, std::fabs(p * p + q * q - lv) / lv);
      }
      if (net.branches[k].rate_pu > 0)
        r.max_line_loading = std::max(r.max_line_loading, std::sqrt(p * p + q * q) / net.branches[k].rate_pu);
    }
    r.loss_mw.push_back(loss);
    r.loss_mwh += loss * dt;
    for (int i = 0; i < n; ++i) {
      r.bus_load_mw[t][i] = m.load_p(t, i) * base;
      r.bus_load_mvar[t][i] = m.load_q(t, i) * base;
      const double vm = std::sqrt(std::max(x[ids.v[t][i]], 0.0));
      r.vm_pu[t][i] = vm;
      if (vm < r.vmin_pu) r.vmin_pu = vm, r.vmin_bus = net.bus_id[i];
      if (vm > r.vmax_pu) r.vmax_pu = vm, r.vmax_bus = net.bus_id[i];
      // d cost / d load = -lambda (Ipopt: L = f + lambda^T g); per MWh of load.
      r.lmp[t][i] = -nlp.multipliers[ids.p_balance[t][i]] / (base * dt);
    }
  }
}

// Adds the curtailed energy of PV or wind units to sum_mwh, term by term.
void add_curtailment(const DispatchModel& m, const std::vector<Renewable>& units,
                     const std::vector<std::vector<int>>& p_ids, const std::vector<double>& x, double& sum_mwh) {
  const double base = m.base_mva(), dt = m.dt_h();
  for (size_t u = 0; u < units.size(); ++u)
    for (int t = 0; t < m.periods(); ++t)
      sum_mwh += (units[u].availability.size() > static_cast<size_t>(t) ? units[u].availability[t] : 0) *
                     units[u].capacity_mw * dt - x[p_ids[u][t]] * base * dt;
}

// [unit][t] values of variables, times scale.
std::vector<std::vector<double>> values(const std::vector<std::vector<int>>& ids, const std::vector<double>& x,
                                        double scale) {
  std::vector<std::vector<double>> out;
  for (const auto& row : ids) {
    out.emplace_back();
    for (int var : row) out.back().push_back(x[var] * scale);
  }
  return out;
}

// Available minus used renewable power, MW: [unit][t].
std::vector<std::vector<double>> curtailed(const DispatchModel& m, const std::vector<Renewable>& units,
                                          const std::vector<std::vector<double>>& used_mw) {
  std::vector<std::vector<double>> out;
  for (size_t u = 0; u < units.size(); ++u) {
    out.emplace_back();
    for (int t = 0; t < m.periods(); ++t)
      out.back().push_back((units[u].availability.size() > static_cast<size_t>(t) ? units[u].availability[t] : 0) *
                               units[u].capacity_mw -
                           used_mw[u][t]);
  }
  return out;
}

// Storage state of charge, curtailment, EV charging, turbine output, extension values.
void read_devices(const DispatchModel& m, const std::vector<double>& x, DispatchResult& r) {
  const DispatchProblem& pb = m.problem();
  const auto& ids = m.components;
  const int T = m.periods();
  const double base = m.base_mva();
  for (size_t s = 0; s < pb.storages.size(); ++s) {
    r.storage_soc.emplace_back();
    for (int t = 0; t < T; ++t) {
      r.storage_soc.back().push_back(x[ids.storage_energy[s][t]] / pb.storages[s].energy_mwh);
      if (x[ids.storage_charge[s][t]] * base > 1e-6 && x[ids.storage_discharge[s][t]] * base > 1e-6)
        r.simultaneous_storage_periods.push_back(t);
    }
  }
  add_curtailment(m, pb.pv, ids.pv_p, x, r.curtailment_mwh);
  add_curtailment(m, pb.wind, ids.wind_p, x, r.curtailment_mwh);
  for (size_t e = 0; e < pb.ev_stations.size(); ++e) {
    r.ev_mw.emplace_back();
    for (int t = 0; t < T; ++t)
      r.ev_mw.back().push_back(pb.ev_stations[e].coordinated ? x[ids.ev_p[e][t]] * base
                                                             : ev_fixed_mw(pb.ev_stations[e], t));
  }
  for (size_t g = 0; g < pb.turbines.size(); ++g) {
    r.turbine_mw.emplace_back();
    for (int t = 0; t < T; ++t) r.turbine_mw.back().push_back(x[ids.turbine_p[g][t]] * base);
  }
  r.turbine_mvar = values(ids.turbine_q, x, base);
  r.storage_charge_mw = values(ids.storage_charge, x, base);
  r.storage_discharge_mw = values(ids.storage_discharge, x, base);
  r.dr_out_mw = values(ids.dr_out, x, base);
  r.dr_in_mw = values(ids.dr_in, x, base);
  r.pv_mw = values(ids.pv_p, x, base);
  r.pv_mvar = values(ids.pv_q, x, base);
  r.pv_curtailed_mw = curtailed(m, pb.pv, r.pv_mw);
  r.wind_mw = values(ids.wind_p, x, base);
  r.wind_mvar = values(ids.wind_q, x, base);
  r.wind_curtailed_mw = curtailed(m, pb.wind, r.wind_mw);
  for (const auto& reported : m.extension_reports) {
    r.extension_values.emplace_back();
    for (int var : reported) r.extension_values.back().push_back(x[var]);
  }
}

// The largest shortfall below vmin on a soft-limited bus; infeasible beyond the tolerance.
void check_soft_floor(const DispatchModel& m, DispatchResult& r) {
  const DispatchProblem& pb = m.problem();
  for (int t = 0; t < m.periods(); ++t)
    for (int i = 0; i < m.net().num_buses(); ++i)
      if (m.network.v_short[t][i] >= 0 && pb.vmin_pu - r.vm_pu[t][i] > r.voltage_shortfall_pu) {
        r.voltage_shortfall_pu = pb.vmin_pu - r.vm_pu[t][i];
        r.shortfall_bus = m.net().bus_id[i];
        r.shortfall_period = t;
      }
  if (r.voltage_shortfall_pu > kShortfallTolerancePu)
    r.status = Status::failure(
        StatusCode::infeasible, "the voltage floor " + std::to_string(pb.vmin_pu) + " pu cannot be held: " +
                                    std::to_string(r.voltage_shortfall_pu) + " pu short at bus " +
                                    std::to_string(r.shortfall_bus) + " in period " +
                                    std::to_string(r.shortfall_period) + " (soft floor)");
}

// Soft ratings: a loading above 1 (beyond the tolerance) makes the scenario infeasible, with
// the floor's message if both are broken.
void check_soft_ratings(const DispatchModel& m, DispatchResult& r) {
  if (r.max_line_loading <= 1 + kOverloadTolerance) return;
  int worst_t = 0, worst_k = 0;
  double worst = -1;
  for (int t = 0; t < m.periods(); ++t)
    for (int k = 0; k < m.net().num_branches(); ++k)
      if (r.branch_loading[t][k] > worst) worst = r.branch_loading[t][k], worst_t = t, worst_k = k;
  const auto& br = m.net().branches[worst_k];
  char buf[256];
  std::snprintf(buf, sizeof buf, "branch %d-%d loaded to %.1f %% of its rating in period %d (soft ratings)",
                m.net().bus_id[br.from], m.net().bus_id[br.to], r.max_line_loading * 100, worst_t);
  if (r.status.ok())
    r.status = Status::failure(StatusCode::infeasible, std::string("the line ratings cannot be held: ") + buf);
  else
    r.status.message += "; and " + std::string(buf);
}

}  // namespace

void read_dispatch_solution(const DispatchModel& m, const NlpResult& nlp, DispatchResult& r) {
  r.objective = nlp.objective;
  r.operating_cost = m.operating_cost().value(nlp.x.data());
  double parts = 0;
  for (const auto& [name, e] : m.objective_parts()) {
    r.objective_terms.emplace_back(name, e.value(nlp.x.data()));
    parts += r.objective_terms.back().second;
  }
  // Terms an extension added straight to the objective, without a part.
  const double rest = nlp.objective - parts;
  if (std::fabs(rest) > 1e-9 * std::max(1.0, std::fabs(nlp.objective))) {
    bool found = false;
    for (auto& [name, v] : r.objective_terms)
      if (name == "extensions") v += rest, found = true;
    if (!found) r.objective_terms.emplace_back("extensions", rest);
  }
  read_network(m, nlp, r);
  read_devices(m, nlp.x, r);
  r.has_solution = r.status.ok();
  if (r.has_solution && m.problem().voltage_shortfall_cost > 0) check_soft_floor(m, r);
  if (r.has_solution && m.problem().line_overload_cost > 0) check_soft_ratings(m, r);
}

}  // namespace evs::grid
