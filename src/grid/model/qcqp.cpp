#include "grid/model/qcqp.hpp"

#include <stdexcept>

namespace evs::grid {

double Expression::value(const double* x) const {
  double v = constant;
  for (const auto& t : linear) v += t.coef * x[t.var];
  for (const auto& q : quadratic) v += q.coef * x[q.i] * x[q.j];
  return v;
}

int QcqpModel::add_variable(double lower, double upper, double start, std::string name) {
  if (lower > upper) throw std::logic_error("variable " + name + ": lower bound above upper bound");
  lower_.push_back(lower);
  upper_.push_back(upper);
  start_.push_back(start < lower ? lower : start > upper ? upper : start);
  names_.push_back(std::move(name));
  return num_variables() - 1;
}

int QcqpModel::add_constraint(Expression expr, double lower, double upper, std::string name) {
  constraints_.push_back({std::move(expr), lower, upper, std::move(name)});
  return num_constraints() - 1;
}

void QcqpModel::fix(int var, double value) {
  lower_[var] = upper_[var] = start_[var] = value;
}

void QcqpModel::set_lower(int var, double value) {
  lower_[var] = value;
  if (start_[var] < value) start_[var] = value;
}

}  // namespace evs::grid
