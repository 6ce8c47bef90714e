#pragma once
// The dispatch's built-in components, one file each (docs/dispatch.md, "Components"). Each
// adds its variables and constraints, its terms of the bus balances and its operating-cost
// pieces to the model, and records its variable ids in m.components.
#include "grid/model/dispatch_model.hpp"

namespace evs::grid {

void add_substation_purchase(DispatchModel& m);  // import at the tariff
void add_soft_voltage_floor(DispatchModel& m);   // v + shortfall >= vmin^2, shortfall priced
void add_gas_turbines(DispatchModel& m);         // quadratic cost, ramp limits
void add_storage(DispatchModel& m);              // energy balance, SOC window, cyclic end
void add_renewables(DispatchModel& m);           // PV, then wind: availability, Q capability, curtailment
void add_demand_response(DispatchModel& m);      // shift out / in, energy neutral over the day
void add_ev_stations(DispatchModel& m);          // fixed load, or coordinated (with V2G) within the day

}  // namespace evs::grid
