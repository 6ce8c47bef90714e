#include "kinds/planning/optimise.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include "core/error.hpp"
#include "core/timer.hpp"
#include "grid/model/dispatch_model.hpp"

namespace evs::kinds::planning {

namespace {

// Returned ids, in this order: P[a][t] (area load, MW), then per cohort c[j] and (V2G) d[j],
// then the shortfall s[k] per cohort, then the overload o[a].
class FleetExtension : public grid::ModelExtension {
 public:
  FleetExtension(const FleetProblem& p, const Subproblem& s) : p_(p), s_(s) {}

  std::vector<int> add_to(grid::DispatchModel& m) const override {
    auto& q = m.qcqp();
    const int T = m.periods(), A = static_cast<int>(p_.area_buses.size());
    const double base = m.base_mva(), dt = p_.fleet.dt_h, inf = 1e20;
    std::vector<int> ids;
    std::vector<std::vector<int>> P(A, std::vector<int>(T));  // [a][t]
    std::vector<std::vector<grid::Expression>> bal(A, std::vector<grid::Expression>(T));  // [a][t] P - EV = fixed
    for (int a = 0; a < A; ++a)
      for (int t = 0; t < T; ++t) {
        P[a][t] = q.add_variable(-inf, inf, p_.fixed_kw[a][t] / 1000, m.indexed_name("P_area", t, a));
        bal[a][t].add(P[a][t], 1);
        ids.push_back(P[a][t]);
        const double share = p_.feeder_scale[a] / static_cast<double>(p_.area_buses[a].size());
        const double tanphi = std::tan(std::acos(p_.power_factor[a]));
        for (int bus : p_.area_buses[a]) {
          const int b = m.bus_index(bus, "planning area");
          m.add_load(t, b, share * p_.fixed_kw[a][t] / 1000 / base, share * p_.fixed_kw[a][t] / 1000 / base * tanphi);
        }
      }
    std::vector<int> shortfalls;
    for (size_t k = 0; k < p_.cohorts.size(); ++k) {
      const Cohort& c = p_.cohorts[k];
      const double pmax = c.n * c.pile_kw / 1000;  // MW
      const double share = p_.feeder_scale[c.area] / static_cast<double>(p_.area_buses[c.area].size());
      int e_prev = -1;
      grid::Expression last;
      for (int j = 0; j < c.len; ++j) {
        const int t = (c.start + j) % T;
        const int cv = q.add_variable(0, pmax, 0, m.indexed_name("ev_charge", t, static_cast<int>(k)));
        ids.push_back(cv);
        m.objective().add(cv, p_.throughput_penalty * dt);
        bal[c.area][t].add(cv, -1);
        for (int bus : p_.area_buses[c.area]) m.add_to_balance_p(t, m.bus_index(bus, "planning area"), cv, -share / base);
        // Every member can still reach its target (Cohort::floor_kwh), except in the last
        // period, where the penalised shortfall s relaxes it.
        const double floor_mwh = j + 1 < c.len && j < static_cast<int>(c.floor_kwh.size()) ? c.floor_kwh[j] / 1000 : 0;
        const int ev = q.add_variable(std::max(c.n * p_.fleet.soc_min * p_.fleet.battery_kwh / 1000, floor_mwh),
                                      c.n * p_.fleet.soc_max * p_.fleet.battery_kwh / 1000, c.e0_kwh / 1000,
                                      m.indexed_name("ev_energy", t, static_cast<int>(k)));
        grid::Expression e;  // e_j - e_{j-1} - eta_c dt c + dt / eta_d d = 0 (e_{-1} = E0)
        e.add(ev, 1).add(cv, -p_.fleet.eta_c * dt);
        if (e_prev >= 0) e.add(e_prev, -1);
        const double rhs = e_prev >= 0 ? 0 : c.e0_kwh / 1000;
        if (c.v2g) {
          const int dv = q.add_variable(0, pmax, 0, m.indexed_name("ev_discharge", t, static_cast<int>(k)));
          ids.push_back(dv);
          m.objective().add(dv, p_.throughput_penalty * dt);
          bal[c.area][t].add(dv, 1);
          for (int bus : p_.area_buses[c.area]) m.add_to_balance_p(t, m.bus_index(bus, "planning area"), dv, share / base);
          e.add(dv, dt / p_.fleet.eta_d);
        }
        q.add_constraint(e, rhs, rhs, m.indexed_name("ev_energy_balance", t, static_cast<int>(k)));
        e_prev = ev;
      }
      const double need = c.need_kwh / 1000;
      const int s = q.add_variable(0, std::max(need, 0.0), 0, m.indexed_name("ev_shortfall", 0, static_cast<int>(k)));
      shortfalls.push_back(s);
      grid::Expression dep;
      dep.add(e_prev, 1).add(s, 1);
      q.add_constraint(dep, need, inf, m.indexed_name("ev_departure", 0, static_cast<int>(k)));
      m.objective().add(s, p_.shortfall_penalty);
    }
    for (int a = 0; a < A; ++a)
      for (int t = 0; t < T; ++t) {
        const double rhs = p_.fixed_kw[a][t] / 1000;
        q.add_constraint(bal[a][t], rhs, rhs, m.indexed_name("area_load", t, a));
      }
    ids.insert(ids.end(), shortfalls.begin(), shortfalls.end());
    // Transformer limit, peak-valley, variance.
    grid::Expression f1, f2, f3;
    for (int a = 0; a < A; ++a) {
      const int o = q.add_variable(0, inf, 0, m.indexed_name("overload", 0, a));
      ids.push_back(o);
      m.objective().add(o, p_.overload_penalty);
      const int pk = q.add_variable(-inf, inf, 0, m.indexed_name("peak", 0, a));
      const int vl = q.add_variable(-inf, inf, 0, m.indexed_name("valley", 0, a));
      const int mean = q.add_variable(-inf, inf, 0, m.indexed_name("mean", 0, a));
      f2.add(pk, 1).add(vl, -1);
      grid::Expression me;
      me.add(mean, 1);
      for (int t = 0; t < T; ++t) {
        me.add(P[a][t], -1.0 / T);
        grid::Expression lim, up, lo, dev;
        lim.add(P[a][t], 1).add(o, -1);
        q.add_constraint(lim, -inf, p_.cap_kw[a] / 1000, m.indexed_name("transformer", t, a));
        up.add(P[a][t], 1).add(pk, -1);
        q.add_constraint(up, -inf, 0, m.indexed_name("peak_def", t, a));
        lo.add(P[a][t], 1).add(vl, -1);
        q.add_constraint(lo, 0, inf, m.indexed_name("valley_def", t, a));
        const int d = q.add_variable(-inf, inf, 0, m.indexed_name("dev", t, a));
        dev.add(d, 1).add(P[a][t], -1).add(mean, 1);
        q.add_constraint(dev, 0, 0, m.indexed_name("dev_def", t, a));
        f1.add(d, d, 1.0);
      }
      q.add_constraint(me, 0, 0, m.indexed_name("mean_def", 0, a));
      for (int bus : p_.area_buses[a]) {
        const int b = m.bus_index(bus, "planning area");
        const double u2 = p_.u0_pu * p_.u0_pu, k = boost(b) * boost(b) / (2 * p_.u0_pu);
        for (int t = 0; t < T; ++t) {
          const int u = q.add_variable(0, inf, 0, m.indexed_name("vdev", t, b));
          grid::Expression plus, minus;
          plus.add(u, 1).add(m.network.v[t][b], -k);
          minus.add(u, 1).add(m.network.v[t][b], k);
          const double c = u2 / (2 * p_.u0_pu);  // u >= +-(boost^2 v - U0^2) / (2 U0)
          q.add_constraint(plus, -c, inf, m.indexed_name("vdev_up", t, b));
          q.add_constraint(minus, c, inf, m.indexed_name("vdev_dn", t, b));
          f3.add(u, 1);
        }
      }
    }
    // True-voltage limits, soft: vmin^2 <= boost^2 v + short, boost^2 v - over <= vmax^2.
    for (int b = 0; b < m.net().num_buses(); ++b) {
      if (b == m.net().slack) continue;
      const double k = boost(b) * boost(b);
      for (int t = 0; t < T; ++t) {
        const int sh = q.add_variable(0, inf, 0, m.indexed_name("v_short", t, b));
        const int ov = q.add_variable(0, inf, 0, m.indexed_name("v_over", t, b));
        grid::Expression lo, hi;
        lo.add(m.network.v[t][b], k).add(sh, 1);
        hi.add(m.network.v[t][b], k).add(ov, -1);
        q.add_constraint(lo, p_.vmin_pu * p_.vmin_pu, inf, m.indexed_name("v_min", t, b));
        q.add_constraint(hi, -inf, p_.vmax_pu * p_.vmax_pu, m.indexed_name("v_max", t, b));
        m.objective().add(sh, p_.voltage_shortfall_cost);
        m.objective().add(ov, p_.voltage_shortfall_cost);
      }
    }
    const std::array<const grid::Expression*, 3> f = {&f1, &f2, &f3};
    for (int i = 0; i < 3; ++i) {
      const double w = s_.weight[i] / s_.scale[i];
      if (w == 0) continue;
      for (const auto& l : f[i]->linear) m.objective().add(l.var, w * l.coef);
      for (const auto& qt : f[i]->quadratic) m.objective().add(qt.i, qt.j, w * qt.coef);
    }
    if (std::isfinite(s_.eps2)) q.add_constraint(f2, -inf, s_.eps2, "eps_f2");
    if (std::isfinite(s_.eps3)) q.add_constraint(f3, -inf, s_.eps3, "eps_f3");
    return ids;
  }

 private:
  double boost(int b) const { return p_.boost.empty() ? 1.0 : p_.boost[b]; }
  const FleetProblem& p_;
  const Subproblem& s_;
};

}  // namespace

FleetSolution solve_fleet(const FleetProblem& p, const Subproblem& sub, const grid::NlpOptions& nlp) {
  Stopwatch clock;
  FleetSolution r;
  const int T = p.fleet.periods, A = static_cast<int>(p.area_buses.size());
  grid::DispatchProblem pb;
  pb.net = p.net;
  pb.periods = T;
  pb.dt_h = p.fleet.dt_h;
  pb.load_scale.assign(T, p.grid_load_scale);
  pb.tariff.assign(T, 0.0);
  pb.slack_vm_pu = p.slack_vm_pu;
  pb.vmin_pu = 0.6;  // the true limits are the extension's (boost)
  pb.vmax_pu = 1.5;
  pb.voltage_shortfall_cost = 0;
  pb.formulation = p.formulation;
  pb.ac_check = true;
  pb.weights = {1, p.loss_weight, 0, 0, 0};
  pb.extensions.push_back(std::make_shared<FleetExtension>(p, sub));
  grid::NlpOptions o = nlp;
  o.convex = o.convex || (p.formulation == grid::Formulation::lin && !o.robust);
  const grid::DispatchResult d = grid::solve_dispatch(pb, o);
  r.solve_s = clock.seconds();
  r.status = d.status;
  r.solver_status = d.solver_status;
  r.iterations = d.iterations;
  r.has_solution = d.has_solution;
  if (!d.has_solution) return r;
  const auto& x = d.extension_values.at(0);  // model units: MW, MWh
  size_t at = 0;
  r.area_kw.assign(A, std::vector<double>(T));
  for (int a = 0; a < A; ++a)
    for (int t = 0; t < T; ++t) r.area_kw[a][t] = x[at++] * 1000;
  for (const Cohort& c : p.cohorts) {
    std::vector<double> ch(c.len), dis;
    if (c.v2g) dis.assign(c.len, 0.0);
    for (int j = 0; j < c.len; ++j) {
      ch[j] = x[at++] * 1000;
      if (c.v2g) dis[j] = x[at++] * 1000;
      if (c.v2g && ch[j] > 1e-3 && dis[j] > 1e-3) ++r.simultaneous;
    }
    r.charge_kw.push_back(ch);
    r.discharge_kw.push_back(dis);
  }
  for (size_t k = 0; k < p.cohorts.size(); ++k) r.shortfall_mwh += x[at++];
  for (int a = 0; a < A; ++a) r.overload_mw = std::max(r.overload_mw, x[at++]);
  auto bst = [&](int b) { return p.boost.empty() ? 1.0 : p.boost[b]; };
  r.vmin_pu = INFINITY, r.vmax_pu = -INFINITY;
  for (int t = 0; t < T; ++t)
    for (int b = 0; b < p.net->num_buses(); ++b) {
      r.vmin_pu = std::min(r.vmin_pu, d.vm_pu[t][b] * bst(b));
      r.vmax_pu = std::max(r.vmax_pu, d.vm_pu[t][b] * bst(b));
    }
  r.voltage_violation_pu = std::max({0.0, p.vmin_pu - r.vmin_pu, r.vmax_pu - p.vmax_pu});
  r.vm_pu = d.vm_pu;
  // Objectives from the solution, as the model states them.
  r.f = {0, 0, 0};
  for (int a = 0; a < A; ++a) {
    const auto& P = r.area_kw[a];
    double mean = 0;
    for (double v : P) mean += v / 1000 / T;
    for (double v : P) r.f[0] += (v / 1000 - mean) * (v / 1000 - mean);
    r.f[1] += (*std::max_element(P.begin(), P.end()) - *std::min_element(P.begin(), P.end())) / 1000;
    for (int bus : p.area_buses[a]) {
      const int b = p.net->index_of(bus);
      for (int t = 0; t < T; ++t) {
        const double v = d.vm_pu[t][b] * d.vm_pu[t][b] * bst(b) * bst(b);
        r.f[2] += std::abs(v - p.u0_pu * p.u0_pu) / (2 * p.u0_pu);
      }
    }
  }
  r.objective = d.objective;
  r.max_relaxation_gap = d.max_relaxation_gap;
  r.ac_max_dv_pu = d.ac_max_dv_pu;
  r.ac_violations = static_cast<int>(d.ac_violations.size());
  if (r.status.ok() && !d.ac_status.ok()) r.status = d.ac_status;
  if (r.status.ok() && r.voltage_violation_pu > 1e-5)
    r.status = Status::failure(StatusCode::infeasible, "voltage limits cannot be held: " +
                                                           std::to_string(r.voltage_violation_pu) + " pu outside");
  return r;
}

}  // namespace evs::kinds::planning
