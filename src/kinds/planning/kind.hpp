#pragma once
// Study kind `planning` (paper 002): planning indices, transformer units and the
// ordered-charging / V2G Pareto front on a feeder. docs/kinds/planning.md.
#include "kinds/kind.hpp"

namespace evs::kinds::planning {

const StudyKind& kind();

}  // namespace evs::kinds::planning
