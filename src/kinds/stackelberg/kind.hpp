#pragma once
// Study kind `stackelberg` (paper 003): stations' price game over the distribution operator's
// LP (wind scenarios, nodal prices) and EV users' (path, station) equilibrium with residual
// flow. docs/kinds/stackelberg.md.
#include "kinds/kind.hpp"

namespace evs::kinds::stackelberg {

const StudyKind& kind();

}  // namespace evs::kinds::stackelberg
