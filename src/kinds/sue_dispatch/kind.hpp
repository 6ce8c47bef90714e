#pragma once
// Study kind `sue_dispatch` (paper 001, the default): logit SUE traffic day -> charging
// loads at the stations -> multi-period DistFlow dispatch with storage, demand response,
// PV, wind and gas turbine -> AC power-flow check. docs/kinds/sue_dispatch.md.
#include "kinds/kind.hpp"

namespace evs::kinds::sue_dispatch {

const StudyKind& kind();

}  // namespace evs::kinds::sue_dispatch
