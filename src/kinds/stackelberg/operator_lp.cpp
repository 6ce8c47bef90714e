#include "kinds/stackelberg/operator_lp.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

#include "grid/backend/ipopt_nlp.hpp"
#include "grid/model/network.hpp"

namespace evs::kinds::stackelberg {

using grid::Expression;
using grid::QcqpModel;

PeriodModel build_period_model(const OperatorSpec& spec, int t, const std::vector<double>& station_mw) {
  const GridNetwork& g = *spec.grid;
  const int nb = g.num_buses(), ns = static_cast<int>(spec.probability.size());
  const double base = g.base_mva, dt = spec.dt_h, scale = spec.load_scale.at(t);
  PeriodModel pm;
  QcqpModel& m = pm.model;
  std::vector<double> pd(nb), qd(nb), base_pd(nb);  // [bus] MW, MVAr incl. stations; MW of the base load
  for (int b = 0; b < nb; ++b) {
    base_pd[b] = pd[b] = g.pd[b] * base * scale;
    qd[b] = g.qd[b] * base * scale;
  }
  for (size_t k = 0; k < spec.station_bus.size(); ++k) {
    pd[spec.station_bus[k]] += station_mw[k];
    qd[spec.station_bus[k]] += station_mw[k] * spec.station_tan_phi;
  }
  pm.p_row.assign(ns, std::vector<int>(nb));
  pm.q_row.assign(ns, std::vector<int>(nb));
  pm.wind_var.assign(ns, {});
  pm.shed_var.assign(ns, std::vector<int>(nb, -1));
  const std::string ts = "[t=" + std::to_string(t);
  for (int s = 0; s < ns; ++s) {
    const double w = spec.probability[s] * dt;  // expected-cost weight
    const std::string tag = ts + ",s=" + std::to_string(s) + "]";
    const int psub = m.add_variable(0, QcqpModel::inf, 0, "p_sub" + tag);
    const int qsub = m.add_variable(-QcqpModel::inf, QcqpModel::inf, 0, "q_sub" + tag);
    m.objective().add(psub, w * spec.tariff.at(t));
    if (spec.transformer_mva > 0) grid::add_power_polygon(m, psub, qsub, spec.transformer_mva, spec.polygon_sides, "sub" + tag);
    std::vector<int> pf(nb, -1), qf(nb, -1), v(nb, -1), shed(nb, -1);  // [bus] flow from parent, voltage, shed
    for (int b = 0; b < nb; ++b) {
      const std::string bt = "[t=" + std::to_string(t) + ",s=" + std::to_string(s) + ",bus=" + std::to_string(b) + "]";
      if (b == g.slack) {
        v[b] = m.add_variable(1, 1, 1, "v" + bt);
      } else {
        v[b] = m.add_variable(g.vmin[b] > 0 ? spec.vmin_pu * spec.vmin_pu : 0, spec.vmax_pu * spec.vmax_pu, 1,
                              "v" + bt);
        pf[b] = m.add_variable(-QcqpModel::inf, QcqpModel::inf, 0, "p_line" + bt);
        qf[b] = m.add_variable(-QcqpModel::inf, QcqpModel::inf, 0, "q_line" + bt);
        const NetBranch& br = g.branches[g.tree.parent_branch[b]];
        const double rate = br.rate_pu > 0 ? br.rate_pu * base : spec.line_mva;
        if (rate > 0) grid::add_power_polygon(m, pf[b], qf[b], rate, spec.polygon_sides, "line" + bt);
      }
      // Shedding: a share of the bus's base load at its power factor.
      if (base_pd[b] > 0) {
        shed[b] = pm.shed_var[s][b] = m.add_variable(0, base_pd[b], 0, "shed" + bt);
        m.objective().add(shed[b], w * spec.shedding_cost);
      }
    }
    // Voltage drop along each branch.
    for (int b = 0; b < nb; ++b) {
      if (b == g.slack) continue;
      const NetBranch& br = g.branches[g.tree.parent_branch[b]];
      Expression e;
      e.add(v[b], 1).add(v[g.tree.parent[b]], -1).add(pf[b], 2 * br.r / base).add(qf[b], 2 * br.x / base);
      m.add_constraint(e, 0, 0, "vdrop" + tag);
    }
    // Wind plants.
    std::vector<Expression> pin(nb), qin(nb);  // [bus] injections besides the flows
    for (size_t k = 0; k < spec.wind_bus.size(); ++k) {
      const double cap = spec.wind_max_mw.at(s).at(t).at(k);
      const int pw = m.add_variable(0, cap, cap, "p_wind" + tag);
      pm.wind_var[s].push_back(pw);
      // Curtailment cost c (cap - pw): the constant goes to the objective's constant.
      m.objective().add(pw, -w * spec.curtailment_cost);
      m.objective().constant += w * spec.curtailment_cost * cap;
      pin[spec.wind_bus[k]].add(pw, 1);
      qin[spec.wind_bus[k]].add(pw, spec.wind_tan_phi);
    }
    // Balances: inflow from parent - outflow to children + injections + shed = load.
    for (int b = 0; b < nb; ++b) {
      Expression ep = pin[b], eq = qin[b];
      if (b == g.slack) {
        ep.add(psub, 1);
        eq.add(qsub, 1);
      } else {
        ep.add(pf[b], 1);
        eq.add(qf[b], 1);
      }
      if (shed[b] >= 0) {
        ep.add(shed[b], 1);
        eq.add(shed[b], g.qd[b] / g.pd[b]);
      }
      for (int c = 0; c < nb; ++c)
        if (c != g.slack && g.tree.parent[c] == b) {
          ep.add(pf[c], -1);
          eq.add(qf[c], -1);
        }
      const std::string bt = "[t=" + std::to_string(t) + ",s=" + std::to_string(s) + ",bus=" + std::to_string(b) + "]";
      pm.p_row[s][b] = m.add_constraint(ep, pd[b], pd[b], "p_balance" + bt);
      pm.q_row[s][b] = m.add_constraint(eq, qd[b], qd[b], "q_balance" + bt);
    }
  }
  return pm;
}

OperatorLp::OperatorLp(OperatorSpec spec, LpBackend backend, bool warm_start)
    : spec_(std::move(spec)), backend_(backend), warm_(warm_start) {
  if (!spec_.grid || !spec_.grid->tree.is_radial) throw std::invalid_argument("operator LP needs a radial feeder");
  const std::vector<double> zero(spec_.station_bus.size(), 0.0);
  for (int t = 0; t < spec_.periods; ++t) {
    periods_.push_back(build_period_model(spec_, t, zero));
    if (backend_ == LpBackend::clp) {
      grid::LpOptions o;
      o.warm_start = warm_;
      lp_.push_back(std::make_unique<grid::ClpLp>(periods_.back().model, o));
    }
  }
}

OperatorLp::~OperatorLp() = default;

OperatorPeriod OperatorLp::solve_period(int t, const std::vector<double>& st) {
  const GridNetwork& g = *spec_.grid;
  const int nb = g.num_buses(), ns = static_cast<int>(spec_.probability.size());
  const int nm = static_cast<int>(spec_.station_bus.size());
  OperatorPeriod out;
  std::vector<double> x, duals;
  const PeriodModel& pm = periods_[t];
  if (backend_ == LpBackend::clp) {
    // The station loads move the balance rows' bounds (the rows were built with 0).
    std::vector<double> dp(nb, 0.0), dq(nb, 0.0);  // [bus]
    for (int k = 0; k < nm; ++k) {
      dp[spec_.station_bus[k]] += st[k];
      dq[spec_.station_bus[k]] += st[k] * spec_.station_tan_phi;
    }
    for (int s = 0; s < ns; ++s)
      for (int b = 0; b < nb; ++b) {
        const auto& cp = pm.model.constraints()[pm.p_row[s][b]];
        const auto& cq = pm.model.constraints()[pm.q_row[s][b]];
        lp_[t]->set_row_bounds(pm.p_row[s][b], cp.lower + dp[b], cp.upper + dp[b]);
        lp_[t]->set_row_bounds(pm.q_row[s][b], cq.lower + dq[b], cq.upper + dq[b]);
      }
    const grid::LpResult r = lp_[t]->solve();
    out.iterations = r.iterations;
    out.status = r.status;
    out.cost = r.objective;
    x = r.x;
    duals = r.duals;
  } else {
    const PeriodModel built = build_period_model(spec_, t, st);
    grid::NlpOptions o;
    o.convex = true;
    const grid::NlpResult r = grid::solve_nlp(built.model, o);
    out.iterations = r.iterations;
    out.status = r.status;
    out.cost = r.objective;
    x = r.x;
    duals.resize(r.multipliers.size());
    for (size_t i = 0; i < duals.size(); ++i) duals[i] = -r.multipliers[i];  // Ipopt: L = f + lambda g
  }
  if (!out.status.ok()) {
    out.status.message += " (operator LP, period " + std::to_string(t) + ")";
    return out;
  }
  out.lmp.assign(nb, 0.0);
  std::vector<double> q_price(nb, 0.0);  // [bus] expected reactive balance dual, currency/MVArh
  for (int s = 0; s < ns; ++s)
    for (int b = 0; b < nb; ++b) {
      out.lmp[b] += duals[pm.p_row[s][b]] / spec_.dt_h;
      q_price[b] += duals[pm.q_row[s][b]] / spec_.dt_h;
    }
  // A station's Q follows its P: its marginal cost carries both balances.
  out.station_price.assign(nm, 0.0);
  for (int k = 0; k < nm; ++k) {
    const int b = spec_.station_bus[k];
    out.station_price[k] = out.lmp[b] + spec_.station_tan_phi * q_price[b];
  }
  for (int s = 0; s < ns; ++s) {
    for (int j : pm.wind_var[s]) out.curtailment_mwh += spec_.probability[s] * (pm.model.upper()[j] - x[j]) * spec_.dt_h;
    for (int j : pm.shed_var[s])
      if (j >= 0) out.shed_mwh += spec_.probability[s] * x[j] * spec_.dt_h;
  }
  return out;
}

OperatorResult OperatorLp::solve(const std::vector<std::vector<double>>& station_mw) {
  const int nm = static_cast<int>(spec_.station_bus.size());
  OperatorResult out;
  out.station_price.assign(nm, std::vector<double>(spec_.periods, 0.0));
  for (int t = 0; t < spec_.periods; ++t) {
    std::vector<double> st(nm);  // [station] MW in period t
    for (int k = 0; k < nm; ++k) st[k] = station_mw.at(k).at(t);
    OperatorPeriod r = solve_period(t, st);
    out.iterations += r.iterations;
    if (!r.status.ok()) {
      out.status = r.status;
      return out;
    }
    ++out.lp_solves;
    out.expected_cost += r.cost;
    out.curtailment_mwh += r.curtailment_mwh;
    out.shed_mwh += r.shed_mwh;
    for (int k = 0; k < nm; ++k) out.station_price[k][t] = r.station_price[k];
    out.lmp.push_back(std::move(r.lmp));
  }
  return out;
}

}  // namespace evs::kinds::stackelberg
