#pragma once
// Lifetime of the numerical back end (PETSc). Create one NumericsRuntime per process,
// after MPI is initialised and before any solver; it finalises PETSc when destroyed.
// PETSc options may be given in the PETSC_OPTIONS environment variable; never select
// MUMPS through PETSc in this process (it clashes with Ipopt's MUMPS: docs/building.md).
#include <string>

namespace evs::grid {

class NumericsRuntime {
 public:
  NumericsRuntime();
  ~NumericsRuntime();
  NumericsRuntime(const NumericsRuntime&) = delete;
  NumericsRuntime& operator=(const NumericsRuntime&) = delete;

 private:
  bool owns_ = false;
};

bool numerics_initialized();
std::string petsc_version();
std::string ipopt_version();

}  // namespace evs::grid
