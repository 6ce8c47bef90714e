#pragma once
// The optimisation model description every dispatch formulation is written in:
// variables with bounds, and constraints and an objective that are linear plus quadratic
// in them (DistFlow, its SOC relaxation and LinDistFlow, storage, ramps, costs, load
// variance all fit). Formulation code builds it; the solver back end (backend/ipopt_nlp)
// turns it into an NLP with exact sparse first and second derivatives.
#include <string>
#include <vector>

namespace evs::grid {

struct LinearTerm {
  int var;
  double coef;
};
struct QuadTerm {
  int i, j;  // coef * x_i * x_j (i may equal j)
  double coef;
};

struct Expression {
  std::vector<LinearTerm> linear;
  std::vector<QuadTerm> quadratic;
  double constant = 0;

  Expression& add(int var, double coef) {
    linear.push_back({var, coef});
    return *this;
  }
  Expression& add(int i, int j, double coef) {
    quadratic.push_back({i, j, coef});
    return *this;
  }
  double value(const double* x) const;
};

struct Constraint {
  Expression expr;
  double lower = 0, upper = 0;  // lower <= expr <= upper (expr.constant included)
  std::string name;             // e.g. "p_balance[t=3,bus=18]"
};

class QcqpModel {
 public:
  static constexpr double inf = 1e20;  // Ipopt's default "no bound"

  int add_variable(double lower, double upper, double start, std::string name);
  int add_constraint(Expression expr, double lower, double upper, std::string name);
  Expression& objective() { return objective_; }

  int num_variables() const { return static_cast<int>(lower_.size()); }
  int num_constraints() const { return static_cast<int>(constraints_.size()); }
  const std::vector<double>& lower() const { return lower_; }
  const std::vector<double>& upper() const { return upper_; }
  const std::vector<double>& start() const { return start_; }
  std::vector<double>& start() { return start_; }
  const std::vector<std::string>& names() const { return names_; }
  const std::vector<Constraint>& constraints() const { return constraints_; }
  const Expression& objective() const { return objective_; }
  void fix(int var, double value);
  void set_lower(int var, double value);  // also moves the start inside the new bound

 private:
  std::vector<double> lower_, upper_, start_;
  std::vector<std::string> names_;
  std::vector<Constraint> constraints_;
  Expression objective_;
};

}  // namespace evs::grid
