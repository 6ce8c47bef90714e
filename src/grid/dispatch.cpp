// The dispatch model, written family by family like the equations of MODELS.md section 1-2:
// variables first, then balances, voltage drops, branch currents, devices, objective.
#include "grid/dispatch.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/error.hpp"
#include "grid/powerflow.hpp"

namespace evs::grid {

Formulation formulation_from_string(const std::string& name) {
  if (name == "soc") return Formulation::soc;
  if (name == "exact") return Formulation::exact;
  if (name == "lin") return Formulation::lin;
  throw std::invalid_argument("unknown formulation '" + name + "' (soc, exact, lin)");
}

std::string to_string(Formulation f) {
  return f == Formulation::soc ? "soc" : f == Formulation::exact ? "exact" : "lin";
}

std::vector<double> dynamic_tou_tariff(const std::vector<double>& load, double rho0, double sigma) {
  if (load.empty()) return {};
  double mean = 0;
  for (double p : load) mean += p / static_cast<double>(load.size());
  const auto [lo, hi] = std::minmax_element(load.begin(), load.end());
  const double spread = *hi - *lo;
  std::vector<double> out;
  for (double p : load)
    out.push_back(p > mean + sigma * spread ? rho0 * (1 + sigma) : p < mean - sigma * spread ? rho0 * (1 - sigma) : rho0);
  return out;
}

namespace {

constexpr double inf = QcqpModel::inf;

// Variable and constraint ids of one built model.
struct Layout {
  std::vector<std::vector<int>> p, q, l;  // [t][branch]
  std::vector<std::vector<int>> v;        // [t][bus]
  std::vector<std::vector<int>> v_short;  // [t][bus] shortfall below vmin^2 (soft limits), -1 if none
  std::vector<int> head_p, head_q;        // [t]
  std::vector<std::vector<int>> gt_p, gt_q, st_ch, st_dis, st_e, pv_p, pv_q, wd_p, wd_q, dr_out, dr_in, ev_p;
  std::vector<std::vector<int>> p_balance;  // [t][bus] constraint ids
  std::vector<int> branch_child;            // [branch] bus index of the child end
  std::vector<int> branch_parent;           // [branch]
};

// Lowest voltage magnitude a soft-limited bus may take (pu), and the shortfall below vmin
// that counts as not holding it.
constexpr double kSoftVoltageFloor = 0.5;
constexpr double kShortfallTolerancePu = 1e-5;

class DispatchBuilder {
 public:
  explicit DispatchBuilder(const DispatchProblem& pb) : pb_(pb), net_(*pb.net) { check(); }

  QcqpModel build(Layout& lay) {
    QcqpModel m;
    const int T = pb_.periods, n = net_.num_buses(), nb = net_.num_branches();
    const double base = net_.base_mva, dt = pb_.dt_h;
    lay.branch_child.assign(nb, -1);
    lay.branch_parent.assign(nb, -1);
    for (int j = 0; j < n; ++j)
      if (int k = net_.tree.parent_branch[j]; k >= 0) {
        lay.branch_child[k] = j;
        lay.branch_parent[k] = net_.tree.parent[j];
      }
    // Power through each branch at the start point: the subtree's load.
    std::vector<double> sub_p(n, 0), sub_q(n, 0);
    for (auto it = net_.tree.order.rbegin(); it != net_.tree.order.rend(); ++it) {
      const int j = *it;
      sub_p[j] += net_.pd[j];
      sub_q[j] += net_.qd[j];
      if (net_.tree.parent[j] >= 0) {
        sub_p[net_.tree.parent[j]] += sub_p[j];
        sub_q[net_.tree.parent[j]] += sub_q[j];
      }
    }
    const double v0 = pb_.slack_vm_pu * pb_.slack_vm_pu;
    const double vlo = pb_.vmin_pu * pb_.vmin_pu, vhi = pb_.vmax_pu * pb_.vmax_pu;
    const bool has_current = pb_.formulation != Formulation::lin;
    auto name = [](const char* what, int t, int i) {
      return std::string(what) + "[" + std::to_string(t) + "," + std::to_string(i) + "]";
    };

    // ---- variables: branch flows, squared currents, squared voltages, substation ----
    lay.p.resize(T), lay.q.resize(T), lay.l.resize(T), lay.v.resize(T);
    for (int t = 0; t < T; ++t) {
      const double s = scale(t);
      for (int k = 0; k < nb; ++k) {
        const int j = lay.branch_child[k];
        lay.p[t].push_back(m.add_variable(-inf, inf, sub_p[j] * s, name("P", t, k)));
        lay.q[t].push_back(m.add_variable(-inf, inf, sub_q[j] * s, name("Q", t, k)));
        const double l0 = (sub_p[j] * sub_p[j] + sub_q[j] * sub_q[j]) * s * s / v0;
        lay.l[t].push_back(m.add_variable(0, has_current ? inf : 0, has_current ? l0 : 0, name("l", t, k)));
      }
      lay.v_short.emplace_back(n, -1);
      for (int i = 0; i < n; ++i) {
        const bool root = i == net_.slack, soft = !root && pb_.voltage_shortfall_cost > 0;
        // Soft lower limit: v + shortfall >= vmin^2, the shortfall priced in the objective,
        // so a scenario that cannot hold vmin still gets a dispatch and a measured shortfall.
        const double lower = root ? v0 : soft ? std::min(vlo, kSoftVoltageFloor * kSoftVoltageFloor) : vlo;
        lay.v[t].push_back(m.add_variable(lower, root ? v0 : vhi, v0, name("v", t, i)));
        if (soft) lay.v_short[t][i] = m.add_variable(0, vlo - lower, 0, name("v_short", t, i));
      }
      lay.head_p.push_back(m.add_variable(-inf, inf, sub_p[net_.slack] * s, name("P_head", t, 0)));
      lay.head_q.push_back(m.add_variable(-inf, inf, sub_q[net_.slack] * s, name("Q_head", t, 0)));
    }

    // Balance expressions (inflow - outflow + generation - flexible consumption = fixed load).
    std::vector<std::vector<Expression>> pbal(T, std::vector<Expression>(n)), qbal(T, std::vector<Expression>(n));
    std::vector<std::vector<double>> pload(T, std::vector<double>(n)), qload(T, std::vector<double>(n));
    for (int t = 0; t < T; ++t) {
      for (int i = 0; i < n; ++i) {
        pload[t][i] = net_.pd[i] * scale(t);
        qload[t][i] = net_.qd[i] * scale(t);
        // Bus shunts consume g v and produce b v.
        if (net_.gs[i] != 0) pbal[t][i].add(lay.v[t][i], -net_.gs[i]);
        if (net_.bs[i] != 0) qbal[t][i].add(lay.v[t][i], net_.bs[i]);
      }
      pbal[t][net_.slack].add(lay.head_p[t], 1);
      qbal[t][net_.slack].add(lay.head_q[t], 1);
      for (int k = 0; k < nb; ++k) {
        const auto& br = net_.branches[k];
        const int i = lay.branch_parent[k], j = lay.branch_child[k];
        pbal[t][j].add(lay.p[t][k], 1).add(lay.l[t][k], -br.r);
        qbal[t][j].add(lay.q[t][k], 1).add(lay.l[t][k], -br.x);
        pbal[t][i].add(lay.p[t][k], -1);
        qbal[t][i].add(lay.q[t][k], -1);
      }
    }

    // ---- branch physics: voltage drop, current definition, ratings ----
    for (int t = 0; t < T; ++t)
      for (int k = 0; k < nb; ++k) {
        const auto& br = net_.branches[k];
        const int i = lay.branch_parent[k], j = lay.branch_child[k];
        Expression drop;  // v_j - v_i + 2 (r P + x Q) - (r^2 + x^2) l = 0
        drop.add(lay.v[t][j], 1).add(lay.v[t][i], -1).add(lay.p[t][k], 2 * br.r).add(lay.q[t][k], 2 * br.x);
        if (has_current) drop.add(lay.l[t][k], -(br.r * br.r + br.x * br.x));
        m.add_constraint(drop, 0, 0, name("drop", t, k));
        if (has_current) {
          Expression cur;  // P^2 + Q^2 - l v_i  (<= 0 relaxed, = 0 exact)
          cur.add(lay.p[t][k], lay.p[t][k], 1).add(lay.q[t][k], lay.q[t][k], 1).add(lay.l[t][k], lay.v[t][i], -1);
          m.add_constraint(cur, pb_.formulation == Formulation::exact ? 0.0 : -inf, 0, name("current", t, k));
        }
        if (br.rate_pu > 0) {
          Expression s2;
          s2.add(lay.p[t][k], lay.p[t][k], 1).add(lay.q[t][k], lay.q[t][k], 1);
          m.add_constraint(s2, -inf, br.rate_pu * br.rate_pu, name("rating", t, k));
        }
      }

    Expression& obj = m.objective();
    cost_ = Expression{};
    const double w = pb_.weights.cost;
    auto cost_term = [&](int var, double coef) {
      obj.add(var, w * coef);
      cost_.add(var, coef);
    };

    // ---- substation purchase ----
    for (int t = 0; t < T; ++t) cost_term(lay.head_p[t], tariff(t) * base * dt);

    // ---- soft voltage floor: shortfall in v = V^2, priced per pu of V (dv ~ 2 vmin dV) ----
    for (int t = 0; t < T; ++t)
      for (int i = 0; i < n; ++i)
        if (const int s = lay.v_short[t][i]; s >= 0) {
          Expression floor;
          floor.add(lay.v[t][i], 1).add(s, 1);
          m.add_constraint(floor, vlo, inf, name("vmin", t, i));
          obj.add(s, pb_.voltage_shortfall_cost * dt / (2 * pb_.vmin_pu));
        }

    // ---- gas turbines: quadratic cost, ramp limits ----
    lay.gt_p.resize(pb_.turbines.size());
    lay.gt_q.resize(pb_.turbines.size());
    for (size_t g = 0; g < pb_.turbines.size(); ++g) {
      const auto& gt = pb_.turbines[g];
      const int b = bus(gt.bus, "gas turbine");
      for (int t = 0; t < T; ++t) {
        const int pv = m.add_variable(0, gt.pmax_mw / base, 0, name("P_gt", t, static_cast<int>(g)));
        const int qv = m.add_variable(gt.qmin_mvar / base, gt.qmax_mvar / base, 0, name("Q_gt", t, static_cast<int>(g)));
        lay.gt_p[g].push_back(pv);
        lay.gt_q[g].push_back(qv);
        pbal[t][b].add(pv, 1);
        qbal[t][b].add(qv, 1);
        cost_term(pv, gt.cost_b * base * dt);
        obj.add(pv, pv, w * gt.cost_a * base * base * dt);
        cost_.add(pv, pv, gt.cost_a * base * base * dt);
        if (t > 0) {
          Expression ramp;
          ramp.add(pv, 1).add(lay.gt_p[g][t - 1], -1);
          const double r = gt.ramp_mw_per_h * dt / base;
          m.add_constraint(ramp, -r, r, name("ramp", t, static_cast<int>(g)));
        }
      }
    }

    // ---- storage: energy balance, SOC window, cyclic end ----
    const size_t ns = pb_.storages.size();
    lay.st_ch.resize(ns), lay.st_dis.resize(ns), lay.st_e.resize(ns);
    for (size_t s = 0; s < ns; ++s) {
      const auto& st = pb_.storages[s];
      const int b = bus(st.bus, "storage");
      const double e0 = st.soc_initial * st.energy_mwh;
      for (int t = 0; t < T; ++t) {
        const int ch = m.add_variable(0, st.power_mw / base, 0, name("P_ch", t, static_cast<int>(s)));
        const int dis = m.add_variable(0, st.power_mw / base, 0, name("P_dis", t, static_cast<int>(s)));
        const int e = m.add_variable(st.soc_min * st.energy_mwh, st.soc_max * st.energy_mwh, e0,
                                     name("E", t, static_cast<int>(s)));
        lay.st_ch[s].push_back(ch);
        lay.st_dis[s].push_back(dis);
        lay.st_e[s].push_back(e);
        pbal[t][b].add(dis, 1).add(ch, -1);
        Expression energy;  // E_t - E_{t-1} - (eta_c P_ch - P_dis / eta_d) base dt = 0
        energy.add(e, 1).add(ch, -st.eta_charge * base * dt).add(dis, base * dt / st.eta_discharge);
        if (t > 0)
          energy.add(lay.st_e[s][t - 1], -1);
        else
          energy.constant = -e0;
        m.add_constraint(energy, 0, 0, name("energy", t, static_cast<int>(s)));
      }
      if (st.cyclic) m.fix(lay.st_e[s][T - 1], e0);
    }

    // ---- PV and wind: availability, reactive capability, curtailment penalty ----
    auto renewables = [&](const std::vector<Renewable>& units, const char* kind, std::vector<std::vector<int>>& pvars,
                          std::vector<std::vector<int>>& qvars) {
      pvars.resize(units.size());
      qvars.resize(units.size());
      for (size_t u = 0; u < units.size(); ++u) {
        const auto& r = units[u];
        const int b = bus(r.bus, kind);
        for (int t = 0; t < T; ++t) {
          const double avail = (t < static_cast<int>(r.availability.size()) ? r.availability[t] : 0.0) * r.capacity_mw;
          const int pv = m.add_variable(0, avail / base, avail / base, name(kind, t, static_cast<int>(u)));
          // With nothing available P and Q are fixed at 0 by their bounds: the capability
          // constraints below would have an empty interior (bad for an interior point).
          const double qcap = avail > 0 ? inf : 0.0;
          const int qv = m.add_variable(-qcap, qcap, 0, name(kind, t, static_cast<int>(u)) + ".q");
          pvars[u].push_back(pv);
          qvars[u].push_back(qv);
          pbal[t][b].add(pv, 1);
          qbal[t][b].add(qv, 1);
          if (avail > 0) {
            Expression up, down;  // -ratio P <= Q <= ratio P
            up.add(qv, 1).add(pv, -r.max_q_ratio);
            down.add(qv, -1).add(pv, -r.max_q_ratio);
            m.add_constraint(up, -inf, 0, name("q_cap", t, static_cast<int>(u)));
            m.add_constraint(down, -inf, 0, name("q_cap", t, static_cast<int>(u)));
          }
          if (r.curtailment_cost > 0) {  // c (available - used) dt
            cost_term(pv, -r.curtailment_cost * base * dt);
            obj.constant += w * r.curtailment_cost * avail * dt;
            cost_.constant += r.curtailment_cost * avail * dt;
          }
        }
      }
    };
    renewables(pb_.pv, "pv", lay.pv_p, lay.pv_q);
    renewables(pb_.wind, "wind", lay.wd_p, lay.wd_q);

    // ---- demand response: shift out / in, energy neutral over the day ----
    const size_t nd = pb_.demand_response.size();
    lay.dr_out.resize(nd), lay.dr_in.resize(nd);
    for (size_t d = 0; d < nd; ++d) {
      const auto& dr = pb_.demand_response[d];
      const int b = bus(dr.bus, "demand response");
      const double qratio = net_.pd[b] > 0 ? net_.qd[b] / net_.pd[b] : 0.0;
      Expression neutral;
      for (int t = 0; t < T; ++t) {
        const double cap = dr.max_share * pload[t][b];
        const int out = m.add_variable(0, cap, 0, name("dr_out", t, static_cast<int>(d)));
        const int in = m.add_variable(0, cap, 0, name("dr_in", t, static_cast<int>(d)));
        lay.dr_out[d].push_back(out);
        lay.dr_in[d].push_back(in);
        pbal[t][b].add(out, 1).add(in, -1);
        qbal[t][b].add(out, qratio).add(in, -qratio);
        neutral.add(out, 1).add(in, -1);
        cost_term(out, dr.compensation * base * dt);
      }
      m.add_constraint(neutral, 0, 0, name("dr_neutral", 0, static_cast<int>(d)));
    }

    // ---- EV stations: fixed load, or coordinated within the day ----
    lay.ev_p.resize(pb_.ev_stations.size());
    for (size_t e = 0; e < pb_.ev_stations.size(); ++e) {
      const auto& ev = pb_.ev_stations[e];
      const int b = bus(ev.bus, "EV station");
      if (!ev.coordinated) {
        for (int t = 0; t < T; ++t) pload[t][b] += ev_fixed(ev, t) / base;
        continue;
      }
      Expression total, arrived;
      double cumulative = 0;
      for (int t = 0; t < T; ++t) {
        cumulative += ev_fixed(ev, t) / base;
        // Without V2G and before any vehicle has arrived the station cannot draw power: fix it
        // at 0 rather than leave bounds and the causality row with an empty interior (Ipopt
        // then needs thousands of iterations).
        const bool idle = ev.v2g_max_mw <= 0 && cumulative <= 1e-12;
        const int pv = m.add_variable(-ev.v2g_max_mw / base, idle ? 0.0 : ev.p_max_mw / base, ev_fixed(ev, t) / base,
                                      name("P_ev", t, static_cast<int>(e)));
        lay.ev_p[e].push_back(pv);
        pbal[t][b].add(pv, -1);
        total.add(pv, 1);
        arrived.add(pv, 1);
        // Energy cannot be delivered before the vehicles that need it have arrived (the last
        // period's row is the energy balance below).
        if (!idle && t + 1 < T)
          m.add_constraint(arrived, -inf, cumulative + 1e-9, name("ev_causal", t, static_cast<int>(e)));
      }
      m.add_constraint(total, cumulative, cumulative, name("ev_energy", 0, static_cast<int>(e)));
    }

    // ---- balances ----
    lay.p_balance.assign(T, std::vector<int>(n, -1));
    for (int t = 0; t < T; ++t)
      for (int i = 0; i < n; ++i) {
        lay.p_balance[t][i] = m.add_constraint(pbal[t][i], pload[t][i], pload[t][i], name("p_balance", t, i));
        m.add_constraint(qbal[t][i], qload[t][i], qload[t][i], name("q_balance", t, i));
      }
    fixed_load_ = pload;

    // ---- other objectives ----
    if (pb_.weights.loss > 0)
      for (int t = 0; t < T; ++t)
        for (int k = 0; k < nb; ++k) obj.add(lay.l[t][k], pb_.weights.loss * net_.branches[k].r * base * dt);
    if (pb_.weights.voltage_deviation > 0)
      for (int t = 0; t < T; ++t)
        for (int i = 0; i < n; ++i) {
          if (i == net_.slack) continue;
          const int u = m.add_variable(0, inf, 0, name("vdev", t, i));
          Expression a, b;  // u >= v - 1, u >= 1 - v
          a.add(u, 1).add(lay.v[t][i], -1);
          b.add(u, 1).add(lay.v[t][i], 1);
          m.add_constraint(a, -1, inf, name("vdev+", t, i));
          m.add_constraint(b, 1, inf, name("vdev-", t, i));
          obj.add(u, pb_.weights.voltage_deviation);
        }
    if (pb_.weights.load_variance > 0) {
      const double c = pb_.weights.load_variance * base * base;
      for (int s = 0; s < T; ++s) {
        obj.add(lay.head_p[s], lay.head_p[s], c * (1 - 1.0 / T));
        for (int u = s + 1; u < T; ++u) obj.add(lay.head_p[s], lay.head_p[u], -2 * c / T);
      }
    }
    if (pb_.weights.peak_valley > 0) {
      const int peak = m.add_variable(-inf, inf, 0, "peak"), valley = m.add_variable(-inf, inf, 0, "valley");
      for (int t = 0; t < T; ++t) {
        Expression a, b;
        a.add(peak, 1).add(lay.head_p[t], -1);
        b.add(valley, -1).add(lay.head_p[t], 1);
        m.add_constraint(a, 0, inf, name("peak", t, 0));
        m.add_constraint(b, 0, inf, name("valley", t, 0));
      }
      obj.add(peak, pb_.weights.peak_valley * base).add(valley, -pb_.weights.peak_valley * base);
    }
    return m;
  }

  const Expression& cost() const { return cost_; }
  const std::vector<std::vector<double>>& fixed_load() const { return fixed_load_; }
  double scale(int t) const { return t < static_cast<int>(pb_.load_scale.size()) ? pb_.load_scale[t] : 1.0; }
  double tariff(int t) const { return t < static_cast<int>(pb_.tariff.size()) ? pb_.tariff[t] : 0.0; }
  static double ev_fixed(const EvStationLoad& ev, int t) {
    return t < static_cast<int>(ev.p_mw.size()) ? ev.p_mw[t] : 0.0;
  }
  int bus(int external, const char* what) const {
    const int i = net_.index_of(external);
    if (i < 0)
      throw InputError({net_.source_file, 0, what},
                       std::string(what) + " at bus " + std::to_string(external) + ": no such bus in the case");
    return i;
  }

 private:
  void check() const {
    if (!pb_.net) throw std::invalid_argument("dispatch problem without a network");
    if (!net_.tree.is_radial)
      throw InputError({net_.source_file, 0, "mpc.branch"}, "the dispatch (DistFlow) needs a radial feeder");
    for (const auto& br : net_.branches)
      if (br.tap != 1 || br.shift_rad != 0 || br.b != 0)
        throw InputError({net_.source_file, 0, "mpc.branch"},
                         "the dispatch (DistFlow) supports lines without transformers, phase shifters or line charging");
    if (pb_.periods < 1) throw std::invalid_argument("dispatch needs at least one period");
  }

  const DispatchProblem& pb_;
  const GridNetwork& net_;
  Expression cost_;
  std::vector<std::vector<double>> fixed_load_;
};

void ac_verification(const DispatchProblem& pb, const DispatchBuilder& builder, const Layout& lay,
                     const std::vector<double>& x, DispatchResult& r) {
  const GridNetwork& net = *pb.net;
  GridNetwork ac = net;  // every bus but the substation is PQ with the dispatched injections
  for (int i = 0; i < ac.num_buses(); ++i)
    if (ac.bus_type[i] != BusType::ref) ac.bus_type[i] = BusType::pq;
  auto solver = make_power_flow_solver(ac, PfMethod::newton);
  PfInjections inj;
  inj.vm_set.assign(ac.num_buses(), 1.0);
  inj.vm_set[ac.slack] = pb.slack_vm_pu;
  r.ac_vmin_pu = INFINITY;
  const int T = pb.periods;
  for (int t = 0; t < T; ++t) {
    inj.s_net.assign(ac.num_buses(), cplx{});
    for (int i = 0; i < ac.num_buses(); ++i)
      inj.s_net[i] = -cplx(builder.fixed_load()[t][i], net.qd[i] * builder.scale(t));
    auto add = [&](const std::vector<std::vector<int>>& pv, const std::vector<std::vector<int>>& qv, int b, size_t u,
                   double sign) {
      inj.s_net[b] += sign * cplx(x[pv[u][t]], qv.empty() ? 0.0 : x[qv[u][t]]);
    };
    for (size_t g = 0; g < pb.turbines.size(); ++g) add(lay.gt_p, lay.gt_q, builder.bus(pb.turbines[g].bus, ""), g, 1);
    for (size_t u = 0; u < pb.pv.size(); ++u) add(lay.pv_p, lay.pv_q, builder.bus(pb.pv[u].bus, ""), u, 1);
    for (size_t u = 0; u < pb.wind.size(); ++u) add(lay.wd_p, lay.wd_q, builder.bus(pb.wind[u].bus, ""), u, 1);
    for (size_t s = 0; s < pb.storages.size(); ++s) {
      const int b = builder.bus(pb.storages[s].bus, "");
      inj.s_net[b] += x[lay.st_dis[s][t]] - x[lay.st_ch[s][t]];
    }
    for (size_t d = 0; d < pb.demand_response.size(); ++d) {
      const int b = builder.bus(pb.demand_response[d].bus, "");
      const double shift = x[lay.dr_out[d][t]] - x[lay.dr_in[d][t]];
      const double qratio = net.pd[b] > 0 ? net.qd[b] / net.pd[b] : 0.0;
      inj.s_net[b] += cplx(shift, shift * qratio);
    }
    for (size_t e = 0; e < pb.ev_stations.size(); ++e)
      if (pb.ev_stations[e].coordinated) inj.s_net[builder.bus(pb.ev_stations[e].bus, "")] -= x[lay.ev_p[e][t]];
    const PfResult pf = solver->solve(inj, {1e-10, 30});
    if (!pf.status.ok()) {
      r.ac_status = Status::failure(pf.status.code, "AC check, period " + std::to_string(t) + ": " + pf.status.message);
      return;
    }
    for (int i = 0; i < ac.num_buses(); ++i) {
      r.ac_max_dv_pu = std::max(r.ac_max_dv_pu, std::fabs(pf.vm[i] - r.vm_pu[t][i]));
      r.ac_vmin_pu = std::min(r.ac_vmin_pu, pf.vm[i]);
      if (i != ac.slack && (pf.vm[i] < pb.vmin_pu - 1e-6 || pf.vm[i] > pb.vmax_pu + 1e-6))
        r.ac_violations.push_back("period " + std::to_string(t) + ": bus " + std::to_string(net.bus_id[i]) +
                                  " voltage " + std::to_string(pf.vm[i]) + " pu outside [" +
                                  std::to_string(pb.vmin_pu) + ", " + std::to_string(pb.vmax_pu) + "]");
    }
    for (int k = 0; k < ac.num_branches(); ++k)
      if (ac.branches[k].rate_pu > 0 &&
          std::max(std::abs(pf.s_from[k]), std::abs(pf.s_to[k])) > ac.branches[k].rate_pu * (1 + 1e-6))
        r.ac_violations.push_back("period " + std::to_string(t) + ": branch " + std::to_string(k + 1) + " overloaded");
  }
}

}  // namespace

QcqpModel build_dispatch_model(const DispatchProblem& pb) {
  DispatchBuilder b(pb);
  Layout lay;
  return b.build(lay);
}

DispatchResult solve_dispatch(const DispatchProblem& pb, const NlpOptions& options, const Logger& log) {
  DispatchBuilder builder(pb);
  Layout lay;
  const QcqpModel model = builder.build(lay);
  NlpOptions opt = options;
  // soc and lin are convex: Mehrotra's predictor-corrector saves ~15 % of the iterations.
  opt.convex = pb.formulation != Formulation::exact && !opt.robust;
  DispatchResult r;
  NlpResult nlp;
  if (pb.formulation == Formulation::exact && pb.exact_from_relaxation && opt.start.empty()) {
    // The exact model is non-convex: start it from the SOC relaxation's optimum.
    DispatchProblem relaxed = pb;
    relaxed.formulation = Formulation::soc;
    DispatchBuilder rb(relaxed);
    Layout rl;
    NlpOptions relaxed_opt = opt;
    relaxed_opt.convex = !opt.robust;
    const NlpResult first = solve_nlp(rb.build(rl), relaxed_opt, log);
    if (first.status.ok()) opt.start = first.x;
    r.iterations += first.iterations;
  }
  nlp = solve_nlp(model, opt, log);
  if (!nlp.status.ok() && opt.convex && nlp.status.code != StatusCode::timeout) {
    // Mehrotra's method is poor at proving infeasibility (it ends in restoration failures):
    // settle what the failure is with the standard algorithm.
    r.iterations += nlp.iterations;
    opt.convex = false;
    nlp = solve_nlp(model, opt, log);
  }
  r.status = nlp.status;
  r.solver_status = nlp.solver_status;
  r.linear_solver = nlp.linear_solver;
  r.iterations += nlp.iterations;
  r.solve_seconds = nlp.solve_seconds;
  if (nlp.x.size() != static_cast<size_t>(model.num_variables())) return r;
  const auto& x = nlp.x;
  const GridNetwork& net = *pb.net;
  const int T = pb.periods, n = net.num_buses(), nb = net.num_branches();
  const double base = net.base_mva, dt = pb.dt_h;
  r.objective = nlp.objective;
  r.operating_cost = builder.cost().value(x.data());
  r.vmin_pu = INFINITY;
  r.vmax_pu = -INFINITY;
  r.vm_pu.assign(T, std::vector<double>(n));
  r.lmp.assign(T, std::vector<double>(n));
  for (int t = 0; t < T; ++t) {
    r.head_mw.push_back(x[lay.head_p[t]] * base);
    r.head_mvar.push_back(x[lay.head_q[t]] * base);
    double loss = 0;
    for (int k = 0; k < nb; ++k) {
      loss += net.branches[k].r * x[lay.l[t][k]] * base;
      const double p = x[lay.p[t][k]], q = x[lay.q[t][k]];
      if (pb.formulation != Formulation::lin) {
        const double lv = x[lay.l[t][k]] * x[lay.v[t][lay.branch_parent[k]]];
        if (lv > 1e-10) r.max_relaxation_gap = std::max(r.max_relaxation_gap, std::fabs(p * p + q * q - lv) / lv);
      }
      if (net.branches[k].rate_pu > 0)
        r.max_line_loading = std::max(r.max_line_loading, std::sqrt(p * p + q * q) / net.branches[k].rate_pu);
    }
    r.loss_mw.push_back(loss);
    r.loss_mwh += loss * dt;
    for (int i = 0; i < n; ++i) {
      const double vm = std::sqrt(std::max(x[lay.v[t][i]], 0.0));
      r.vm_pu[t][i] = vm;
      if (vm < r.vmin_pu) r.vmin_pu = vm, r.vmin_bus = net.bus_id[i];
      if (vm > r.vmax_pu) r.vmax_pu = vm, r.vmax_bus = net.bus_id[i];
      // d cost / d load = -lambda (Ipopt: L = f + lambda^T g); per MWh of load.
      r.lmp[t][i] = -nlp.multipliers[lay.p_balance[t][i]] / (base * dt);
    }
  }
  for (size_t s = 0; s < pb.storages.size(); ++s) {
    r.storage_soc.emplace_back();
    for (int t = 0; t < T; ++t) {
      r.storage_soc.back().push_back(x[lay.st_e[s][t]] / pb.storages[s].energy_mwh);
      if (x[lay.st_ch[s][t]] * base > 1e-6 && x[lay.st_dis[s][t]] * base > 1e-6)
        r.simultaneous_storage_periods.push_back(t);
    }
  }
  for (size_t u = 0; u < pb.pv.size(); ++u)
    for (int t = 0; t < T; ++t)
      r.curtailment_mwh += (pb.pv[u].availability.size() > static_cast<size_t>(t) ? pb.pv[u].availability[t] : 0) *
                               pb.pv[u].capacity_mw * dt - x[lay.pv_p[u][t]] * base * dt;
  for (size_t u = 0; u < pb.wind.size(); ++u)
    for (int t = 0; t < T; ++t)
      r.curtailment_mwh += (pb.wind[u].availability.size() > static_cast<size_t>(t) ? pb.wind[u].availability[t] : 0) *
                               pb.wind[u].capacity_mw * dt - x[lay.wd_p[u][t]] * base * dt;
  for (size_t e = 0; e < pb.ev_stations.size(); ++e) {
    r.ev_mw.emplace_back();
    for (int t = 0; t < T; ++t)
      r.ev_mw.back().push_back(pb.ev_stations[e].coordinated ? x[lay.ev_p[e][t]] * base
                                                             : DispatchBuilder::ev_fixed(pb.ev_stations[e], t));
  }
  for (size_t g = 0; g < pb.turbines.size(); ++g) {
    r.turbine_mw.emplace_back();
    for (int t = 0; t < T; ++t) r.turbine_mw.back().push_back(x[lay.gt_p[g][t]] * base);
  }
  r.has_solution = r.status.ok();
  if (r.status.ok() && pb.voltage_shortfall_cost > 0) {
    for (int t = 0; t < T; ++t)
      for (int i = 0; i < n; ++i)
        if (lay.v_short[t][i] >= 0 && pb.vmin_pu - r.vm_pu[t][i] > r.voltage_shortfall_pu) {
          r.voltage_shortfall_pu = pb.vmin_pu - r.vm_pu[t][i];
          r.shortfall_bus = net.bus_id[i];
          r.shortfall_period = t;
        }
    if (r.voltage_shortfall_pu > kShortfallTolerancePu)
      r.status = Status::failure(
          StatusCode::infeasible, "the voltage floor " + std::to_string(pb.vmin_pu) + " pu cannot be held: " +
                                      std::to_string(r.voltage_shortfall_pu) + " pu short at bus " +
                                      std::to_string(r.shortfall_bus) + " in period " +
                                      std::to_string(r.shortfall_period) + " (soft floor)");
  }
  if (pb.ac_check && r.has_solution) ac_verification(pb, builder, lay, x, r);
  return r;
}

}  // namespace evs::grid
