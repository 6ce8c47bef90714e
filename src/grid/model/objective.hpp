#pragma once
// The dispatch's objective terms besides the operating cost (which the components price
// through DispatchModel::add_cost), each weighted by DispatchProblem::weights and added only
// when its weight is > 0.
#include "grid/model/dispatch_model.hpp"

namespace evs::grid {

void add_loss_term(DispatchModel& m);                // mu_loss x sum_t sum_k r_k l_tk base dt
void add_voltage_deviation_term(DispatchModel& m);   // sum_t sum_i |v_ti - 1| (not the substation)
void add_load_variance_term(DispatchModel& m);       // sum_t (P_head,t - mean)^2, MW^2
void add_peak_valley_term(DispatchModel& m);         // max_t P_head,t - min_t P_head,t, MW

}  // namespace evs::grid
