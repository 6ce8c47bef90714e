#pragma once
// The dispatch model under construction (docs/dispatch.md): the QcqpModel that the Ipopt
// adapter solves, the ids of its variables and constraints, the open bus balances and the
// operating cost. The network formulation (network.cpp), the components (components/),
// the objective terms (objective.cpp) and ModelExtensions from outside grid/ all write into
// one DispatchModel; build_dispatch_model() composes them in a fixed order.
// Units: the model works in per unit of the network's base MVA; costs in currency.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "grid/dispatch.hpp"
#include "grid/model/qcqp.hpp"

namespace evs::grid {

// Lowest voltage magnitude a soft-limited bus may take (pu), and the shortfall below vmin
// that counts as not holding it.
constexpr double kSoftVoltageFloorPu = 0.5;
constexpr double kShortfallTolerancePu = 1e-5;
constexpr double kOverloadTolerance = 1e-4;  // loading above 1 + this breaks a soft rating

// Ids of the network's variables and constraints (network.cpp).
struct NetworkIds {
  std::vector<std::vector<int>> p, q, l;    // [t][branch] flows and squared current (pu)
  std::vector<std::vector<int>> v;          // [t][bus] squared voltage (pu^2)
  std::vector<std::vector<int>> v_short;    // [t][bus] shortfall below vmin^2 (soft floor), -1 if none
  std::vector<int> head_p, head_q;          // [t] substation import (pu)
  std::vector<std::vector<int>> p_balance;  // [t][bus] constraint ids, once the balances are closed
  std::vector<int> branch_parent, branch_child;  // [branch] bus index of each end
};

// Ids of the built-in components' variables (components/).
struct ComponentIds {
  std::vector<std::vector<int>> turbine_p, turbine_q;                               // [turbine][t]
  std::vector<std::vector<int>> storage_charge, storage_discharge, storage_energy;  // [storage][t]
  std::vector<std::vector<int>> pv_p, pv_q, wind_p, wind_q;                         // [unit][t]
  std::vector<std::vector<int>> dr_out, dr_in;                                      // [unit][t]
  std::vector<std::vector<int>> ev_p;  // [station][t], empty for a fixed-load station
};

// One term a device (component or extension) added to a bus balance.
struct BalanceTerm {
  int t, bus, var;
  double coef;
  bool reactive;
};

class DispatchModel {
 public:
  // Throws InputError when the network does not fit the DistFlow model (meshed, transformers,
  // line charging), std::invalid_argument for a problem without network or periods.
  explicit DispatchModel(const DispatchProblem& problem);

  const DispatchProblem& problem() const { return problem_; }
  const GridNetwork& net() const { return net_; }
  int periods() const { return problem_.periods; }
  double dt_h() const { return problem_.dt_h; }
  double base_mva() const { return net_.base_mva; }
  double load_scale(int t) const;  // the case loads' multiplier in period t
  double tariff(int t) const;      // currency / MWh at the substation in period t
  // Bus index of an external bus number; throws InputError naming `what` when there is none.
  int bus_index(int external_bus, const char* what) const;
  // "what[t,i]", the naming scheme of the model's variables and constraints.
  static std::string indexed_name(const char* what, int t, int i);

  QcqpModel& qcqp() { return qcqp_; }
  const QcqpModel& qcqp() const { return qcqp_; }

  // ---- bus balances: inflow - outflow + injections = fixed load, per period and bus ----
  // A device's term: coef > 0 injects into the bus (generation), coef < 0 consumes; in pu of
  // base MVA per unit of var. Allowed until the builder closes the balances (after the
  // extensions); the AC check of solve_dispatch includes the injection.
  void add_to_balance_p(int t, int bus, int var, double coef);
  void add_to_balance_q(int t, int bus, int var, double coef);
  // Fixed load (pu) at a bus in period t, on top of the case's scaled load; q only when non-zero.
  void add_load(int t, int bus, double p_pu, double q_pu = 0);
  double load_p(int t, int bus) const { return load_p_[t][bus]; }  // pu
  double load_q(int t, int bus) const { return load_q_[t][bus]; }  // pu
  // The network's own terms (flows, shunts, substation) go straight into the expressions.
  Expression& balance_p(int t, int bus) { return balance_p_[t][bus]; }
  Expression& balance_q(int t, int bus) { return balance_q_[t][bus]; }
  // Adds the p_balance and q_balance rows of every period and bus (the builder, after the extensions).
  void close_balances();
  bool balances_closed() const { return closed_; }
  const std::vector<BalanceTerm>& device_balance_terms() const { return device_terms_; }

  // ---- objective ----
  // A piece of the operating cost (currency per unit of var): enters the reported operating
  // cost and, times the cost weight, the objective.
  // part: which objective term it belongs to (DispatchResult::objective_terms).
  void add_cost(int var, double currency_per_unit, const char* part = "extensions");
  double cost_weight() const { return problem_.weights.cost; }
  Expression& operating_cost() { return operating_cost_; }  // currency, unweighted
  const Expression& operating_cost() const { return operating_cost_; }
  Expression& objective() { return qcqp_.objective(); }    // what is minimised
  // The objective's terms by name, as they enter it (weighted): a copy of each term a part
  // adds to objective(), so that the result can report them one by one. Terms added to
  // objective() without a part are reported together as "extensions".
  Expression& objective_part(const std::string& name);
  const std::vector<std::pair<std::string, Expression>>& objective_parts() const { return parts_; }

  NetworkIds network;
  ComponentIds components;
  std::size_t first_extension_term = 0;  // device_balance_terms() index where extensions begin
  std::vector<std::vector<int>> extension_reports;  // [extension][k] variable ids add_to returned

 private:
  void add_device_term(int t, int bus, int var, double coef, bool reactive);

  const DispatchProblem& problem_;
  const GridNetwork& net_;
  QcqpModel qcqp_;
  std::vector<std::vector<Expression>> balance_p_, balance_q_;  // [t][bus]
  std::vector<std::vector<double>> load_p_, load_q_;            // [t][bus] fixed load, pu
  std::vector<BalanceTerm> device_terms_;
  Expression operating_cost_;
  std::vector<std::pair<std::string, Expression>> parts_;  // in the order first used
  bool closed_ = false;
};

// Variables, constraints and objective terms added to the dispatch from outside grid/
// (DispatchProblem::extensions; docs/dispatch.md, "Adding variables and constraints from
// outside grid/"). add_to runs after the built-in components and before the bus balances are
// closed; it returns the ids of the variables whose optimal values solve_dispatch reports in
// DispatchResult::extension_values (model units). It must add the same variables in the same
// order on every call: an exact solve builds the model twice (relaxation, then exact).
class ModelExtension {
 public:
  virtual ~ModelExtension() = default;
  virtual std::vector<int> add_to(DispatchModel& m) const = 0;
};

// Builds every part into m in the fixed order: network, substation, soft voltage floor,
// gas turbines, storage, PV, wind, demand response, EV stations, extensions, balances,
// objective terms (losses, voltage deviation, load variance, peak-valley).
void compose_dispatch_model(DispatchModel& m);

// EV station charging in period t when uncoordinated, MW.
inline double ev_fixed_mw(const EvStationLoad& ev, int t) {
  return t < static_cast<int>(ev.p_mw.size()) ? ev.p_mw[t] : 0.0;
}

}  // namespace evs::grid
