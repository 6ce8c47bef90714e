#pragma once
// Reading a solved dispatch model back into a DispatchResult (dispatch_result.cpp) and the
// AC power-flow verification of its injections (dispatch_ac_check.cpp).
#include <vector>

#include "grid/backend/ipopt_nlp.hpp"
#include "grid/dispatch.hpp"
#include "grid/model/dispatch_model.hpp"

namespace evs::grid {

// Flows, voltages, LMPs, losses, device schedules and extension values of the solution nlp
// of m; with a soft floor, the shortfall (and status infeasible when vmin is not held).
void read_dispatch_solution(const DispatchModel& m, const NlpResult& nlp, DispatchResult& r);

// Newton power flow of every period with the dispatched injections: r.ac_*.
void verify_dispatch_ac(const DispatchModel& m, const std::vector<double>& x, DispatchResult& r);

}  // namespace evs::grid
