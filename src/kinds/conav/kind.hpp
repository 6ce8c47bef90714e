#pragma once
#include "kinds/kind.hpp"

namespace evs::kinds::conav {

// The conav study kind (paper 000).
const StudyKind& kind();

}  // namespace evs::kinds::conav
