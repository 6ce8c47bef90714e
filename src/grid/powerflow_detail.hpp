#pragma once
// Shared by the power-flow methods: mismatch and the branch-flow post-processing.
#include "grid/model/ybus.hpp"
#include "grid/powerflow.hpp"

namespace evs::grid::detail {

// Largest |P| or |Q| mismatch (pu) of V against the specification (PQ: P and Q; PV: P).
double max_mismatch(const GridNetwork& net, const Ybus& y, const std::vector<cplx>& v, const PfInjections& inj,
                    std::vector<cplx>& work);
// Fills vm, va, branch flows, losses and slack power from the complex voltages.
void finish_result(const GridNetwork& net, const Ybus& y, const std::vector<cplx>& v, const PfInjections& inj,
                   PfResult& r);
// Initial voltages: the case's Vm/Va, with set points at PV and reference buses.
std::vector<cplx> initial_voltages(const GridNetwork& net, const PfInjections& inj);
// "1.23e-05 pu", for messages.
std::string format_pu(double value);

}  // namespace evs::grid::detail
