#pragma once
// The network part of the dispatch model in the problem's formulation (soc, exact, lin).
#include "grid/model/dispatch_model.hpp"

namespace evs::grid {

// Whether the formulation has the squared-current variable l and its losses (not lin).
bool has_current(Formulation f);

// Variables P, Q, l per [t][branch], v per [t][bus] (with the soft floor's shortfall), the
// substation import per t; the network's balance terms; voltage drops, current definitions
// and ratings per [t][branch].
void add_network(DispatchModel& m);

// P cos(a_k) + Q sin(a_k) - over <= s for a_k = 2 pi k / sides: the polygon whose sides touch
// the circle P^2 + Q^2 = s^2 from outside (it admits up to s / cos(pi / sides): 3.5 % more at
// 12 sides, on the diagonals only). over: an overload variable (pu) or -1 for a hard limit.
// Constraints named name[k].
void add_power_polygon(QcqpModel& m, int p, int q, double s, int sides, const std::string& name, int over = -1);

}  // namespace evs::grid
