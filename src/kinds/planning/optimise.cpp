#include "kinds/planning/optimise.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>

#include "core/error.hpp"
#include "core/timer.hpp"
#include "grid/backend/ipopt_nlp.hpp"
#include "grid/model/dispatch_model.hpp"
#include "grid/model/qcqp.hpp"

namespace evs::kinds::planning {

namespace {

using grid::DispatchModel;
using grid::Expression;
using grid::QcqpModel;

// What the fleet model is built into: the full DistFlow dispatch (network balances) or a
// bare QCQP with the feeder's LinDistFlow voltages as affine functions of the area loads.
struct FleetModel {
  std::vector<int> ids;                 // P[a][t], cohort c (d), shortfalls, overloads
  std::vector<std::vector<int>> P;      // [a][t] MW
  Expression f1, f2, f3;
};

double fixed_total_kw(const FleetProblem& p, int a, int t) {
  return p.fixed_kw[a][t] + (p.fixed_ev_kw.empty() ? 0.0 : p.fixed_ev_kw[a][t]);
}

// Area loads, cohorts, transformer limit, f1 and f2 (optimise.hpp). ev_term(t, area, var,
// sign) puts a cohort's charge (+1) or discharge (-1) variable, MW, on the feeder.
template <class EvTerm>
void add_fleet(QcqpModel& q, Expression& obj, const FleetProblem& p_, int T, FleetModel& fm, EvTerm ev_term) {
  const int A = static_cast<int>(p_.area_buses.size());
  const double dt = p_.fleet.dt_h, inf = 1e20;
  auto& ids = fm.ids;
  auto& P = fm.P;
  P.assign(A, std::vector<int>(T));
  std::vector<std::vector<Expression>> bal(A, std::vector<Expression>(T));  // [a][t] P - EV = fixed
  for (int a = 0; a < A; ++a)
    for (int t = 0; t < T; ++t) {
      P[a][t] = q.add_variable(-inf, inf, fixed_total_kw(p_, a, t) / 1000, DispatchModel::indexed_name("P_area", t, a));
      bal[a][t].add(P[a][t], 1);
      ids.push_back(P[a][t]);
    }
  std::vector<int> shortfalls;
  for (size_t k = 0; k < p_.cohorts.size(); ++k) {
    const Cohort& c = p_.cohorts[k];
    const double pmax = c.n * c.pile_kw / 1000;  // MW
    int e_prev = -1;
    std::vector<int> charge_ids;  // [j]
    for (int j = 0; j < c.len; ++j) {
      const int t = (c.start + j) % T;
      const int cv = q.add_variable(0, pmax, 0, DispatchModel::indexed_name("ev_charge", t, static_cast<int>(k)));
      charge_ids.push_back(cv);
      ids.push_back(cv);
      obj.add(cv, p_.throughput_penalty * dt);
      bal[c.area][t].add(cv, -1);
      ev_term(t, c.area, cv, 1.0);
      // Every member can still reach its target (Cohort::floor_kwh), except in the last
      // period, where the penalised shortfall s relaxes it.
      const double floor_mwh = j + 1 < c.len && j < static_cast<int>(c.floor_kwh.size()) ? c.floor_kwh[j] / 1000 : 0;
      const int ev = q.add_variable(std::max(c.n * p_.fleet.soc_min * p_.fleet.battery_kwh / 1000, floor_mwh),
                                    c.n * p_.fleet.soc_max * p_.fleet.battery_kwh / 1000, c.e0_kwh / 1000,
                                    DispatchModel::indexed_name("ev_energy", t, static_cast<int>(k)));
      Expression e;  // e_j - e_{j-1} - eta_c dt c + dt / eta_d d = 0 (e_{-1} = E0)
      e.add(ev, 1).add(cv, -p_.fleet.eta_c * dt);
      if (e_prev >= 0) e.add(e_prev, -1);
      const double rhs = e_prev >= 0 ? 0 : c.e0_kwh / 1000;
      if (c.v2g) {
        const int dv = q.add_variable(0, pmax, 0, DispatchModel::indexed_name("ev_discharge", t, static_cast<int>(k)));
        ids.push_back(dv);
        obj.add(dv, p_.throughput_penalty * dt);
        bal[c.area][t].add(dv, 1);
        ev_term(t, c.area, dv, -1.0);
        e.add(dv, dt / p_.fleet.eta_d);
      }
      q.add_constraint(e, rhs, rhs, DispatchModel::indexed_name("ev_energy_balance", t, static_cast<int>(k)));
      e_prev = ev;
    }
    // Cohort::pile_cut: z_j <= charge_j, z_j <= P, sum z eta dt >= need_1. (With the net
    // charge, z_j <= charge_j - discharge_j, z_j >= 0 would forbid net discharge in every
    // period of a V2G cohort; the charge alone keeps the condition necessary.)
    if (c.pile_cut && c.n > 1) {
      Expression through;
      for (int j = 0; j < c.len; ++j) {
        const int t = (c.start + j) % T;
        const int z = q.add_variable(0, c.pile_kw / 1000, 0, DispatchModel::indexed_name("ev_pile", t, static_cast<int>(k)));
        Expression lim;
        lim.add(z, 1).add(charge_ids[j], -1);
        q.add_constraint(lim, -inf, 0, DispatchModel::indexed_name("ev_pile_net", t, static_cast<int>(k)));
        through.add(z, p_.fleet.eta_c * dt);
      }
      q.add_constraint(through, c.largest_need_kwh / 1000, inf, DispatchModel::indexed_name("ev_pile_need", 0, static_cast<int>(k)));
    }
    const double need = c.need_kwh / 1000;
    const int s = q.add_variable(0, std::max(need, 0.0), 0, DispatchModel::indexed_name("ev_shortfall", 0, static_cast<int>(k)));
    shortfalls.push_back(s);
    Expression dep;
    dep.add(e_prev, 1).add(s, 1);
    q.add_constraint(dep, need, inf, DispatchModel::indexed_name("ev_departure", 0, static_cast<int>(k)));
    obj.add(s, p_.shortfall_penalty);
  }
  for (int a = 0; a < A; ++a)
    for (int t = 0; t < T; ++t) {
      const double rhs = fixed_total_kw(p_, a, t) / 1000;
      q.add_constraint(bal[a][t], rhs, rhs, DispatchModel::indexed_name("area_load", t, a));
    }
  ids.insert(ids.end(), shortfalls.begin(), shortfalls.end());
  // Transformer limit, peak-valley, variance.
  for (int a = 0; a < A; ++a) {
    const int o = q.add_variable(0, inf, 0, DispatchModel::indexed_name("overload", 0, a));
    ids.push_back(o);
    obj.add(o, p_.overload_penalty);
    const int pk = q.add_variable(-inf, inf, 0, DispatchModel::indexed_name("peak", 0, a));
    const int vl = q.add_variable(-inf, inf, 0, DispatchModel::indexed_name("valley", 0, a));
    const int mean = q.add_variable(-inf, inf, 0, DispatchModel::indexed_name("mean", 0, a));
    fm.f2.add(pk, 1).add(vl, -1);
    Expression me;
    me.add(mean, 1);
    for (int t = 0; t < T; ++t) {
      me.add(P[a][t], -1.0 / T);
      Expression lim, up, lo, dev;
      lim.add(P[a][t], 1).add(o, -1);
      q.add_constraint(lim, -inf, p_.cap_kw[a] / 1000, DispatchModel::indexed_name("transformer", t, a));
      up.add(P[a][t], 1).add(pk, -1);
      q.add_constraint(up, -inf, 0, DispatchModel::indexed_name("peak_def", t, a));
      lo.add(P[a][t], 1).add(vl, -1);
      q.add_constraint(lo, 0, inf, DispatchModel::indexed_name("valley_def", t, a));
      const int d = q.add_variable(-inf, inf, 0, DispatchModel::indexed_name("dev", t, a));
      dev.add(d, 1).add(P[a][t], -1).add(mean, 1);
      q.add_constraint(dev, 0, 0, DispatchModel::indexed_name("dev_def", t, a));
      fm.f1.add(d, d, 1.0);
    }
    q.add_constraint(me, 0, 0, DispatchModel::indexed_name("mean_def", 0, a));
  }
}

// Weighted objectives and epsilon bounds (f3's constant, if any, counts in its bound).
void add_objectives(QcqpModel& q, Expression& obj, const FleetModel& fm, const Subproblem& s_) {
  const double inf = 1e20;
  const std::array<const Expression*, 3> f = {&fm.f1, &fm.f2, &fm.f3};
  for (int i = 0; i < 3; ++i) {
    const double w = s_.weight[i] / s_.scale[i];
    if (w == 0) continue;
    for (const auto& l : f[i]->linear) obj.add(l.var, w * l.coef);
    for (const auto& qt : f[i]->quadratic) obj.add(qt.i, qt.j, w * qt.coef);
  }
  if (std::isfinite(s_.eps2)) q.add_constraint(fm.f2, -inf, s_.eps2, "eps_f2");
  if (std::isfinite(s_.eps3)) q.add_constraint(fm.f3, -inf, s_.eps3, "eps_f3");
}

double boost_of(const FleetProblem& p, int b) { return p.boost.empty() ? 1.0 : p.boost[b]; }

// The fleet on the full DistFlow dispatch. Returned ids: FleetModel::ids.
class FleetExtension : public grid::ModelExtension {
 public:
  FleetExtension(const FleetProblem& p, const Subproblem& s) : p_(p), s_(s) {}

  std::vector<int> add_to(grid::DispatchModel& m) const override {
    auto& q = m.qcqp();
    const int T = m.periods(), A = static_cast<int>(p_.area_buses.size());
    const double base = m.base_mva(), inf = 1e20;
    for (int a = 0; a < A; ++a) {
      const double share = p_.feeder_scale[a] / static_cast<double>(p_.area_buses[a].size());
      const double tanphi = std::tan(std::acos(p_.power_factor[a]));
      for (int t = 0; t < T; ++t)
        for (int bus : p_.area_buses[a]) {
          const int b = m.bus_index(bus, "planning area");
          const double ev = p_.fixed_ev_kw.empty() ? 0.0 : p_.fixed_ev_kw[a][t];  // active power only
          m.add_load(t, b, share * (p_.fixed_kw[a][t] + ev) / 1000 / base, share * p_.fixed_kw[a][t] / 1000 / base * tanphi);
        }
    }
    FleetModel fm;
    add_fleet(q, m.objective(), p_, T, fm, [&](int t, int a, int var, double sign) {
      const double share = p_.feeder_scale[a] / static_cast<double>(p_.area_buses[a].size());
      for (int bus : p_.area_buses[a]) m.add_to_balance_p(t, m.bus_index(bus, "planning area"), var, -sign * share / base);
    });
    for (int a = 0; a < A; ++a)
      for (int bus : p_.area_buses[a]) {
        const int b = m.bus_index(bus, "planning area");
        const double u2 = p_.u0_pu * p_.u0_pu, k = boost_of(p_, b) * boost_of(p_, b) / (2 * p_.u0_pu);
        for (int t = 0; t < T; ++t) {
          const int u = q.add_variable(0, inf, 0, m.indexed_name("vdev", t, b));
          Expression plus, minus;
          plus.add(u, 1).add(m.network.v[t][b], -k);
          minus.add(u, 1).add(m.network.v[t][b], k);
          const double c = u2 / (2 * p_.u0_pu);  // u >= +-(boost^2 v - U0^2) / (2 U0)
          q.add_constraint(plus, -c, inf, m.indexed_name("vdev_up", t, b));
          q.add_constraint(minus, c, inf, m.indexed_name("vdev_dn", t, b));
          fm.f3.add(u, 1);
        }
      }
    // True-voltage limits, soft: vmin^2 <= boost^2 v + short, boost^2 v - over <= vmax^2.
    for (int b = 0; b < m.net().num_buses(); ++b) {
      if (b == m.net().slack) continue;
      const double k = boost_of(p_, b) * boost_of(p_, b);
      for (int t = 0; t < T; ++t) {
        const int sh = q.add_variable(0, inf, 0, m.indexed_name("v_short", t, b));
        const int ov = q.add_variable(0, inf, 0, m.indexed_name("v_over", t, b));
        Expression lo, hi;
        lo.add(m.network.v[t][b], k).add(sh, 1);
        hi.add(m.network.v[t][b], k).add(ov, -1);
        q.add_constraint(lo, p_.vmin_pu * p_.vmin_pu, inf, m.indexed_name("v_min", t, b));
        q.add_constraint(hi, -inf, p_.vmax_pu * p_.vmax_pu, m.indexed_name("v_max", t, b));
        m.objective().add(sh, p_.voltage_shortfall_cost);
        m.objective().add(ov, p_.voltage_shortfall_cost);
      }
    }
    add_objectives(q, m.objective(), fm, s_);
    return fm.ids;
  }

 private:
  const FleetProblem& p_;
  const Subproblem& s_;
};

// The fleet with the feeder's LinDistFlow voltages as affine functions of the area loads
// (FleetProblem::linear): boost^2 v_t,b = boost^2 (v0_t,b + sum_a K_b,a (1000 P_a,t - fixed_a,t)).
// Over the box of the EV load (each cohort within [-P (V2G) or 0, P]) every such voltage has
// a range; a voltage limit that no schedule can reach is left out, and where the sign of
// boost^2 v - U0^2 is fixed f3's term is linear without its |.| variable. Returns the model,
// FleetModel::ids, and each (t, b)'s affine form for the voltages afterwards.
struct LinearFleet {
  QcqpModel q;
  FleetModel fm;
};

void build_linear(const FleetProblem& p_, const Subproblem& s_, LinearFleet& lf) {
  const LinearVoltages& lv = *p_.linear;
  const int T = p_.fleet.periods, A = static_cast<int>(p_.area_buses.size());
  const int B = static_cast<int>(lv.k.size());
  const double inf = 1e20;
  auto& q = lf.q;
  auto& fm = lf.fm;
  add_fleet(q, q.objective(), p_, T, fm, [](int, int, int, double) {});
  std::vector<std::vector<double>> ev_lo(A, std::vector<double>(T, 0.0)), ev_hi = ev_lo;  // kW
  for (const Cohort& c : p_.cohorts)
    for (int j = 0; j < c.len; ++j) {
      const int t = (c.start + j) % T;
      ev_hi[c.area][t] += c.n * c.pile_kw;
      if (c.v2g) ev_lo[c.area][t] -= c.n * c.pile_kw;
    }
  // w = boost^2 v as constant + sum_a coef_a P_a,t, with its range over the EV box.
  auto affine = [&](int t, int b, Expression& e, double& lo, double& hi) {
    const double k2 = boost_of(p_, b) * boost_of(p_, b);
    double c = lv.v0[t][b];
    lo = hi = lv.v0[t][b];
    for (int a = 0; a < A; ++a) {
      const double kk = lv.k[b][a];
      if (kk == 0) continue;
      e.add(fm.P[a][t], k2 * kk * 1000);
      c -= kk * fixed_total_kw(p_, a, t);
      // the fixed EV load is part of v0? no: v0 is without any EV load; fixed_total includes it
      const double x1 = kk * (ev_lo[a][t] + (p_.fixed_ev_kw.empty() ? 0.0 : p_.fixed_ev_kw[a][t]));
      const double x2 = kk * (ev_hi[a][t] + (p_.fixed_ev_kw.empty() ? 0.0 : p_.fixed_ev_kw[a][t]));
      lo += std::min(x1, x2), hi += std::max(x1, x2);
    }
    e.constant = k2 * c;
    lo *= k2, hi *= k2;
  };
  const double u2 = p_.u0_pu * p_.u0_pu;
  for (int a = 0; a < A; ++a)
    for (int bus : p_.area_buses[a]) {
      const int b = p_.net->index_of(bus);
      for (int t = 0; t < T; ++t) {
        Expression w;
        double lo, hi;
        affine(t, b, w, lo, hi);
        // (w - U0^2) / (2 U0)
        if (lo >= u2 || hi <= u2) {
          const double sgn = lo >= u2 ? 1.0 : -1.0;
          for (const auto& l : w.linear) fm.f3.add(l.var, sgn * l.coef / (2 * p_.u0_pu));
          fm.f3.constant += sgn * (w.constant - u2) / (2 * p_.u0_pu);
        } else {
          const int u = q.add_variable(0, inf, 0, DispatchModel::indexed_name("vdev", t, b));
          Expression plus = w, minus = w;  // u - (w - U0^2)/(2U0) >= 0, u + (w - U0^2)/(2U0) >= 0
          for (auto& l : plus.linear) l.coef = -l.coef / (2 * p_.u0_pu);
          for (auto& l : minus.linear) l.coef = l.coef / (2 * p_.u0_pu);
          plus.constant = -(w.constant - u2) / (2 * p_.u0_pu);
          minus.constant = (w.constant - u2) / (2 * p_.u0_pu);
          plus.add(u, 1), minus.add(u, 1);
          q.add_constraint(plus, 0, inf, DispatchModel::indexed_name("vdev_up", t, b));
          q.add_constraint(minus, 0, inf, DispatchModel::indexed_name("vdev_dn", t, b));
          fm.f3.add(u, 1);
        }
      }
    }
  const double vlo = p_.vmin_pu * p_.vmin_pu, vhi = p_.vmax_pu * p_.vmax_pu;
  for (int b = 0; b < B; ++b) {
    if (b == p_.net->slack) continue;
    for (int t = 0; t < T; ++t) {
      Expression w;
      double lo, hi;
      affine(t, b, w, lo, hi);
      if (lo < vlo) {
        const int sh = q.add_variable(0, inf, 0, DispatchModel::indexed_name("v_short", t, b));
        Expression e = w;
        e.add(sh, 1);
        q.add_constraint(e, vlo, inf, DispatchModel::indexed_name("v_min", t, b));
        q.objective().add(sh, p_.voltage_shortfall_cost);
      }
      if (hi > vhi) {
        const int ov = q.add_variable(0, inf, 0, DispatchModel::indexed_name("v_over", t, b));
        Expression e = w;
        e.add(ov, -1);
        q.add_constraint(e, -inf, vhi, DispatchModel::indexed_name("v_max", t, b));
        q.objective().add(ov, p_.voltage_shortfall_cost);
      }
    }
  }
  add_objectives(q, q.objective(), fm, s_);
}

}  // namespace

LinearVoltages linear_voltages(const FleetProblem& problem, const grid::NlpOptions& nlp) {
  FleetProblem base = problem;
  base.cohorts.clear();
  base.linear = nullptr;
  base.ac_check = false;  // the LinDistFlow voltages are what is measured
  const int A = static_cast<int>(problem.area_buses.size());
  auto squared = [&](const FleetProblem& p) {
    const FleetSolution s = solve_fleet(p, Subproblem{}, nlp);
    if (!s.has_solution)
      throw std::runtime_error("linear voltages: the feeder without flexible EV load has no solution: " + s.status.message);
    std::vector<std::vector<double>> v = s.vm_pu;
    for (auto& row : v)
      for (double& x : row) x *= x;
    return v;
  };
  LinearVoltages lv;
  base.fixed_ev_kw.clear();
  lv.v0 = squared(base);
  const int B = lv.v0.empty() ? 0 : static_cast<int>(lv.v0[0].size());
  lv.k.assign(B, std::vector<double>(A, 0.0));
  constexpr double delta_kw = 1000;  // area-level kW; the model is affine, any size will do
  // The model is affine, so K is the same in every period: it is measured on one period (the
  // first), a model 1/T the size, instead of averaging T periods' differences.
  FleetProblem one = base;
  one.fleet.periods = 1;
  for (auto& row : one.fixed_kw) row.resize(1);
  one.fixed_ev_kw.assign(A, std::vector<double>(1, 0.0));
  const auto v1 = squared(one);
  for (int a = 0; a < A; ++a) {
    FleetProblem pb = one;  // the EV load is active power only (fixed_ev_kw)
    pb.fixed_ev_kw[a][0] = delta_kw;
    const auto vb = squared(pb);
    for (int b = 0; b < B; ++b) lv.k[b][a] = (vb[0][b] - v1[0][b]) / delta_kw;
  }
  return lv;
}

FleetSolution solve_fleet(const FleetProblem& p, const Subproblem& sub, const grid::NlpOptions& nlp) {
  Stopwatch clock;
  FleetSolution r;
  const int T = p.fleet.periods, A = static_cast<int>(p.area_buses.size());
  std::vector<double> x;                 // FleetModel::ids' values, model units: MW, MWh
  std::vector<std::vector<double>> vm;   // [t][b] model voltage magnitudes
  grid::DispatchResult d;
  if (p.linear == nullptr) {
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
    pb.ac_check = p.ac_check;
    pb.weights = {1, p.loss_weight, 0, 0, 0};
    pb.extensions.push_back(std::make_shared<FleetExtension>(p, sub));
    grid::NlpOptions o = nlp;
    o.convex = o.convex || (p.formulation == grid::Formulation::lin && !o.robust);
    d = grid::solve_dispatch(pb, o);
    r.solve_s = clock.seconds();
    r.status = d.status;
    r.solver_status = d.solver_status;
    r.iterations = d.iterations;
    r.ipopt_s = d.solve_seconds;
    r.has_solution = d.has_solution;
    if (!d.has_solution) return r;
    x = d.extension_values.at(0);
    vm = d.vm_pu;
    r.objective = d.objective;
  } else {
    LinearFleet lf;
    build_linear(p, sub, lf);
    grid::NlpOptions o = nlp;
    o.convex = o.convex || !o.robust;  // a convex QP
    grid::NlpResult n = grid::solve_nlp(lf.q, o);
    if (!n.status.ok() && o.convex && n.status.code != StatusCode::timeout) {
      // as grid::solve_dispatch: settle a failure with the standard algorithm
      r.iterations += n.iterations;
      o.convex = false;
      n = grid::solve_nlp(lf.q, o);
    }
    r.solve_s = clock.seconds();
    r.status = n.status;
    r.solver_status = n.solver_status;
    r.iterations += n.iterations;
    r.ipopt_s = n.solve_seconds;
    r.has_solution = n.status.ok() && n.x.size() == static_cast<size_t>(lf.q.num_variables());
    if (!r.has_solution) return r;
    for (int id : lf.fm.ids) x.push_back(n.x[id]);
    r.objective = n.objective;
  }
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
  if (p.linear != nullptr) {  // v = v0 + sum_a K ev, ev = area load - base load
    const LinearVoltages& lv = *p.linear;
    const int B = static_cast<int>(lv.k.size());
    vm.assign(T, std::vector<double>(B));
    for (int t = 0; t < T; ++t)
      for (int b = 0; b < B; ++b) {
        double v = lv.v0[t][b];
        for (int a = 0; a < A; ++a) v += lv.k[b][a] * (r.area_kw[a][t] - p.fixed_kw[a][t]);
        vm[t][b] = std::sqrt(std::max(v, 0.0));
      }
  }
  auto bst = [&](int b) { return p.boost.empty() ? 1.0 : p.boost[b]; };
  r.vmin_pu = INFINITY, r.vmax_pu = -INFINITY;
  for (int t = 0; t < T; ++t)
    for (int b = 0; b < p.net->num_buses(); ++b) {
      r.vmin_pu = std::min(r.vmin_pu, vm[t][b] * bst(b));
      r.vmax_pu = std::max(r.vmax_pu, vm[t][b] * bst(b));
    }
  r.voltage_violation_pu = std::max({0.0, p.vmin_pu - r.vmin_pu, r.vmax_pu - p.vmax_pu});
  r.vm_pu = vm;
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
        const double v = vm[t][b] * vm[t][b] * bst(b) * bst(b);
        r.f[2] += std::abs(v - p.u0_pu * p.u0_pu) / (2 * p.u0_pu);
      }
    }
  }
  if (p.linear == nullptr) {
    r.max_relaxation_gap = d.max_relaxation_gap;
    r.ac_max_dv_pu = d.ac_max_dv_pu;
    r.ac_violations = static_cast<int>(d.ac_violations.size());
    if (r.status.ok() && !d.ac_status.ok()) r.status = d.ac_status;
  }
  if (r.status.ok() && r.voltage_violation_pu > 1e-5)
    r.status = Status::failure(StatusCode::infeasible, "voltage limits cannot be held: " +
                                                           std::to_string(r.voltage_violation_pu) + " pu outside");
  return r;
}

}  // namespace evs::kinds::planning
