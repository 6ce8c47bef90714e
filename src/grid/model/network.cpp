// The network part of the dispatch in its three formulations (MODELS.md section 1): per
// period branch flows P, Q, squared currents l, squared voltages v, the substation import,
// the network's terms of the bus balances, voltage drops, current definitions and ratings.
#include "grid/model/network.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace evs::grid {

namespace {

constexpr double inf = QcqpModel::inf;

// Which end of each branch is the parent (towards the substation) and which the child.
void number_branch_ends(DispatchModel& m) {
  const GridNetwork& net = m.net();
  auto& ids = m.network;
  ids.branch_child.assign(net.num_branches(), -1);
  ids.branch_parent.assign(net.num_branches(), -1);
  for (int j = 0; j < net.num_buses(); ++j)
    if (int k = net.tree.parent_branch[j]; k >= 0) {
      ids.branch_child[k] = j;
      ids.branch_parent[k] = net.tree.parent[j];
    }
}

// Load of the subtree below each bus, pu: the flow into it at the start point.
void subtree_loads(const GridNetwork& net, std::vector<double>& sub_p, std::vector<double>& sub_q) {
  sub_p.assign(net.num_buses(), 0);
  sub_q.assign(net.num_buses(), 0);
  for (auto it = net.tree.order.rbegin(); it != net.tree.order.rend(); ++it) {
    const int j = *it;
    sub_p[j] += net.pd[j];
    sub_q[j] += net.qd[j];
    if (net.tree.parent[j] >= 0) {
      sub_p[net.tree.parent[j]] += sub_p[j];
      sub_q[net.tree.parent[j]] += sub_q[j];
    }
  }
}

// Per period: P, Q, l per branch; v (and the soft floor's shortfall) per bus; the substation.
void add_network_variables(DispatchModel& m) {
  const DispatchProblem& pb = m.problem();
  const GridNetwork& net = m.net();
  auto& ids = m.network;
  auto& qp = m.qcqp();
  std::vector<double> sub_p, sub_q;  // [bus]
  subtree_loads(net, sub_p, sub_q);
  const double v0 = pb.slack_vm_pu * pb.slack_vm_pu;
  const double vlo = pb.vmin_pu * pb.vmin_pu, vhi = pb.vmax_pu * pb.vmax_pu;
  const bool current = has_current(pb.formulation);
  const int T = m.periods();
  ids.p.resize(T), ids.q.resize(T), ids.l.resize(T), ids.v.resize(T);
  for (int t = 0; t < T; ++t) {
    const double s = m.load_scale(t);
    for (int k = 0; k < net.num_branches(); ++k) {
      const int j = ids.branch_child[k];
      ids.p[t].push_back(qp.add_variable(-inf, inf, sub_p[j] * s, m.indexed_name("P", t, k)));
      ids.q[t].push_back(qp.add_variable(-inf, inf, sub_q[j] * s, m.indexed_name("Q", t, k)));
      const double l0 = (sub_p[j] * sub_p[j] + sub_q[j] * sub_q[j]) * s * s / v0;
      ids.l[t].push_back(qp.add_variable(0, current ? inf : 0, current ? l0 : 0, m.indexed_name("l", t, k)));
    }
    ids.v_short.emplace_back(net.num_buses(), -1);
    for (int i = 0; i < net.num_buses(); ++i) {
      const bool root = i == net.slack, soft = !root && pb.voltage_shortfall_cost > 0;
      // Soft lower limit: v + shortfall >= vmin^2, the shortfall priced in the objective
      // (components/voltage_floor.cpp), so a scenario that cannot hold vmin still gets a
      // dispatch and a measured shortfall. The shortfall variable is created here, next to
      // its v, to keep the variable order.
      const double lower = root ? v0 : soft ? std::min(vlo, kSoftVoltageFloorPu * kSoftVoltageFloorPu) : vlo;
      ids.v[t].push_back(qp.add_variable(lower, root ? v0 : vhi, v0, m.indexed_name("v", t, i)));
      if (soft) ids.v_short[t][i] = qp.add_variable(0, vlo - lower, 0, m.indexed_name("v_short", t, i));
    }
    ids.head_p.push_back(qp.add_variable(-inf, inf, sub_p[net.slack] * s, m.indexed_name("P_head", t, 0)));
    ids.head_q.push_back(qp.add_variable(-inf, inf, sub_q[net.slack] * s, m.indexed_name("Q_head", t, 0)));
  }
}

// The network's terms of the balances: shunts (consume g v, produce b v), the substation's
// import, flow in from the parent branch (less its losses) and out to the children.
void add_network_balance_terms(DispatchModel& m) {
  const GridNetwork& net = m.net();
  const auto& ids = m.network;
  for (int t = 0; t < m.periods(); ++t) {
    for (int i = 0; i < net.num_buses(); ++i) {
      if (net.gs[i] != 0) m.balance_p(t, i).add(ids.v[t][i], -net.gs[i]);
      if (net.bs[i] != 0) m.balance_q(t, i).add(ids.v[t][i], net.bs[i]);
    }
    m.balance_p(t, net.slack).add(ids.head_p[t], 1);
    m.balance_q(t, net.slack).add(ids.head_q[t], 1);
    for (int k = 0; k < net.num_branches(); ++k) {
      const auto& br = net.branches[k];
      const int i = ids.branch_parent[k], j = ids.branch_child[k];
      m.balance_p(t, j).add(ids.p[t][k], 1).add(ids.l[t][k], -br.r);
      m.balance_q(t, j).add(ids.q[t][k], 1).add(ids.l[t][k], -br.x);
      m.balance_p(t, i).add(ids.p[t][k], -1);
      m.balance_q(t, i).add(ids.q[t][k], -1);
    }
  }
}

// The current definition of branch k in period t, per formulation:
//   soc    P^2 + Q^2 - l v_parent <= 0  (relaxation)
//   exact  P^2 + Q^2 - l v_parent  = 0
//   lin    none (no current variable)
void add_current_definition(DispatchModel& m, int t, int k) {
  const Formulation f = m.problem().formulation;
  if (!has_current(f)) return;
  const auto& ids = m.network;
  const int p = ids.p[t][k], q = ids.q[t][k], l = ids.l[t][k];
  Expression cur;
  cur.add(p, p, 1).add(q, q, 1).add(l, ids.v[t][ids.branch_parent[k]], -1);
  m.qcqp().add_constraint(cur, f == Formulation::exact ? 0.0 : -inf, 0, m.indexed_name("current", t, k));
}

// Per period and branch: voltage drop, current definition, apparent-power rating. Soft
// ratings (DispatchProblem::line_overload_cost > 0): P^2 + Q^2 - o <= rate^2 with an overload
// o >= 0 per branch and period priced per (loading^2 - 1) in the objective (not in the
// operating cost), so an overloaded scenario still gets a dispatch and its overload measured.
// (One overload per period shared by the branches, 24 variables instead of 768, took Ipopt
// 100x more iterations on the default study.)
void add_branch_physics(DispatchModel& m) {
  const GridNetwork& net = m.net();
  const auto& ids = m.network;
  const double overload_price = m.problem().line_overload_cost * m.dt_h();
  const bool current = has_current(m.problem().formulation);
  for (int t = 0; t < m.periods(); ++t)
    for (int k = 0; k < net.num_branches(); ++k) {
      const auto& br = net.branches[k];
      const int i = ids.branch_parent[k], j = ids.branch_child[k];
      Expression drop;  // v_j - v_i + 2 (r P + x Q) - (r^2 + x^2) l = 0
      drop.add(ids.v[t][j], 1).add(ids.v[t][i], -1).add(ids.p[t][k], 2 * br.r).add(ids.q[t][k], 2 * br.x);
      if (current) drop.add(ids.l[t][k], -(br.r * br.r + br.x * br.x));
      m.qcqp().add_constraint(drop, 0, 0, m.indexed_name("drop", t, k));
      add_current_definition(m, t, k);
      const int sides = m.problem().rating_polygon_sides;
      if (br.rate_pu > 0 && !current && sides > 0) {
        int o = -1;
        if (overload_price > 0) {  // priced per (loading - 1)
          o = m.qcqp().add_variable(0, inf, 0, m.indexed_name("overload", t, k));
          m.objective().add(o, overload_price / br.rate_pu);
          m.objective_part("line_overload").add(o, overload_price / br.rate_pu);
        }
        add_power_polygon(m.qcqp(), ids.p[t][k], ids.q[t][k], br.rate_pu, sides, m.indexed_name("rating", t, k), o);
      } else if (br.rate_pu > 0) {
        Expression s2;
        s2.add(ids.p[t][k], ids.p[t][k], 1).add(ids.q[t][k], ids.q[t][k], 1);
        if (overload_price > 0) {
          const int o = m.qcqp().add_variable(0, inf, 0, m.indexed_name("overload", t, k));
          s2.add(o, -1);
          const double price = overload_price / (br.rate_pu * br.rate_pu);
          m.objective().add(o, price);
          m.objective_part("line_overload").add(o, price);
        }
        m.qcqp().add_constraint(s2, -inf, br.rate_pu * br.rate_pu, m.indexed_name("rating", t, k));
      }
    }
}

}  // namespace

bool has_current(Formulation f) { return f != Formulation::lin; }

void add_power_polygon(QcqpModel& m, int p, int q, double s, int sides, const std::string& name, int over) {
  for (int k = 0; k < sides; ++k) {
    const double a = 2 * M_PI * k / sides;
    Expression e;
    e.add(p, std::cos(a)).add(q, std::sin(a));
    if (over >= 0) e.add(over, -1);
    m.add_constraint(e, -QcqpModel::inf, s, name + "[" + std::to_string(k) + "]");
  }
}

void add_network(DispatchModel& m) {
  number_branch_ends(m);
  add_network_variables(m);
  add_network_balance_terms(m);
  add_branch_physics(m);
}

}  // namespace evs::grid
