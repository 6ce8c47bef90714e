#pragma once
// Plugs SparseLdl into Ipopt as its linear solver. Ipopt 3.11 (Debian) has no public interface
// for a custom linear solver, but its HSL loader accepts the four MA27 entry points from the
// application (LSL_setMA27); with `linear_solver ma27` Ipopt then calls SparseLdl through
// MA27's calling convention. A scope, alive during one OptimizeTNLP on this thread, owns the
// factorisations and knows how many dual rows the KKT matrices end with (the constraints).
#include <memory>
#include <vector>

#include "grid/backend/kkt_ldl.hpp"

namespace evs::grid {

class IpoptLdlScope {
 public:
  explicit IpoptLdlScope(int constraints);  // installs the entry points once, activates the scope
  ~IpoptLdlScope();
  IpoptLdlScope(const IpoptLdlScope&) = delete;
  IpoptLdlScope& operator=(const IpoptLdlScope&) = delete;

  int factorisations() const { return factorisations_; }
  int regularised_pivots() const { return regularised_pivots_; }

  // Used by the entry points.
  static IpoptLdlScope* active();
  int constraints() const { return constraints_; }
  int add(std::unique_ptr<SparseLdl> solver);
  SparseLdl* get(int handle);
  void count(const LdlFactorStats& s) {
    ++factorisations_;
    regularised_pivots_ += s.regularised_pivots;
  }

 private:
  int constraints_;
  std::vector<std::unique_ptr<SparseLdl>> solvers_;
  IpoptLdlScope* previous_;
  int factorisations_ = 0, regularised_pivots_ = 0;
};

}  // namespace evs::grid
