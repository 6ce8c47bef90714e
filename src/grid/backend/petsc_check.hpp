#pragma once
// Turns PETSc error codes into exceptions inside the back end; callers convert them to a Status.
#include <petscsys.h>

#include <stdexcept>
#include <string>

namespace evs::grid {

struct PetscFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

#define EVS_PETSC(call)                                                                               \
  do {                                                                                                \
    PetscErrorCode evs_ierr_ = (call);                                                                \
    if (evs_ierr_) throw ::evs::grid::PetscFailure(std::string("PETSc error ") +                      \
                                                   std::to_string(static_cast<int>(evs_ierr_)) + " in " #call); \
  } while (0)

}  // namespace evs::grid
