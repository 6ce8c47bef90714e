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

}  // namespace evs::grid
