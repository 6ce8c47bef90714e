#include "grid/model/dispatch_model.hpp"

#include <stdexcept>

#include "core/error.hpp"

namespace evs::grid {

namespace {

const GridNetwork& network_of(const DispatchProblem& problem) {
  if (!problem.net) throw std::invalid_argument("dispatch problem without a network");
  return *problem.net;
}

}  // namespace

DispatchModel::DispatchModel(const DispatchProblem& problem) : problem_(problem), net_(network_of(problem)) {
  if (!net_.tree.is_radial)
    throw InputError({net_.source_file, 0, "mpc.branch"}, "the dispatch (DistFlow) needs a radial feeder");
  for (const auto& br : net_.branches)
    if (br.tap != 1 || br.shift_rad != 0 || br.b != 0)
      throw InputError({net_.source_file, 0, "mpc.branch"},
                       "the dispatch (DistFlow) supports lines without transformers, phase shifters or line charging");
  if (problem.periods < 1) throw std::invalid_argument("dispatch needs at least one period");
  const int T = periods(), n = net_.num_buses();
  balance_p_.assign(T, std::vector<Expression>(n));
  balance_q_.assign(T, std::vector<Expression>(n));
  load_p_.assign(T, std::vector<double>(n));
  load_q_.assign(T, std::vector<double>(n));
  for (int t = 0; t < T; ++t)
    for (int i = 0; i < n; ++i) {
      load_p_[t][i] = net_.pd[i] * load_scale(t);
      load_q_[t][i] = net_.qd[i] * load_scale(t);
    }
}

double DispatchModel::load_scale(int t) const {
  return t < static_cast<int>(problem_.load_scale.size()) ? problem_.load_scale[t] : 1.0;
}

double DispatchModel::tariff(int t) const {
  return t < static_cast<int>(problem_.tariff.size()) ? problem_.tariff[t] : 0.0;
}

int DispatchModel::bus_index(int external_bus, const char* what) const {
  const int i = net_.index_of(external_bus);
  if (i < 0)
    throw InputError({net_.source_file, 0, what},
                     std::string(what) + " at bus " + std::to_string(external_bus) + ": no such bus in the case");
  return i;
}

std::string DispatchModel::indexed_name(const char* what, int t, int i) {
  return std::string(what) + "[" + std::to_string(t) + "," + std::to_string(i) + "]";
}

void DispatchModel::add_device_term(int t, int bus, int var, double coef, bool reactive) {
  if (closed_) throw std::logic_error("dispatch model: a balance term after the balances were closed");
  (reactive ? balance_q_ : balance_p_)[t][bus].add(var, coef);
  device_terms_.push_back({t, bus, var, coef, reactive});
}

void DispatchModel::add_to_balance_p(int t, int bus, int var, double coef) {
  add_device_term(t, bus, var, coef, false);
}

void DispatchModel::add_to_balance_q(int t, int bus, int var, double coef) {
  add_device_term(t, bus, var, coef, true);
}

void DispatchModel::add_load(int t, int bus, double p_pu, double q_pu) {
  if (closed_) throw std::logic_error("dispatch model: a load after the balances were closed");
  load_p_[t][bus] += p_pu;
  if (q_pu != 0) load_q_[t][bus] += q_pu;
}

void DispatchModel::close_balances() {
  const int T = periods(), n = net_.num_buses();
  network.p_balance.assign(T, std::vector<int>(n, -1));
  for (int t = 0; t < T; ++t)
    for (int i = 0; i < n; ++i) {
      network.p_balance[t][i] =
          qcqp_.add_constraint(balance_p_[t][i], load_p_[t][i], load_p_[t][i], indexed_name("p_balance", t, i));
      qcqp_.add_constraint(balance_q_[t][i], load_q_[t][i], load_q_[t][i], indexed_name("q_balance", t, i));
    }
  closed_ = true;
}

void DispatchModel::add_cost(int var, double currency_per_unit, const char* part) {
  objective().add(var, cost_weight() * currency_per_unit);
  operating_cost_.add(var, currency_per_unit);
  objective_part(part).add(var, cost_weight() * currency_per_unit);
}

Expression& DispatchModel::objective_part(const std::string& name) {
  for (auto& [n, e] : parts_)
    if (n == name) return e;
  parts_.emplace_back(name, Expression{});
  return parts_.back().second;
}

}  // namespace evs::grid
