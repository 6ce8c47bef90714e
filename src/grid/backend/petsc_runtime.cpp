#include "grid/backend/petsc_runtime.hpp"

#include <IpoptConfig.h>
#include <petscsys.h>

#include <stdexcept>

namespace evs::grid {

NumericsRuntime::NumericsRuntime() {
  PetscBool initialized = PETSC_FALSE;
  PetscInitialized(&initialized);
  if (initialized) return;
  // PETSc's own signal handler would turn a crash into an MPI_Abort; keep the default
  // behaviour so the driver decides. Errors return codes instead of printing tracebacks.
  static char arg0[] = "evsweep", arg1[] = "-no_signal_handler";
  static char* args[] = {arg0, arg1, nullptr};
  int argc = 2;
  char** argv = args;
  if (PetscInitialize(&argc, &argv, nullptr, nullptr) != 0) throw std::runtime_error("PetscInitialize failed");
  PetscPushErrorHandler(PetscReturnErrorHandler, nullptr);
  owns_ = true;
}

NumericsRuntime::~NumericsRuntime() {
  if (owns_) {
    PetscPopErrorHandler();
    PetscFinalize();
  }
}

bool numerics_initialized() {
  PetscBool initialized = PETSC_FALSE;
  PetscInitialized(&initialized);
  PetscBool finalized = PETSC_FALSE;
  PetscFinalized(&finalized);
  return initialized && !finalized;
}

std::string petsc_version() {
  char buf[256];
  PetscGetVersion(buf, sizeof buf);
  return buf;
}

std::string ipopt_version() {
#ifdef IPOPT_VERSION
  return IPOPT_VERSION;
#else
  return "unknown";
#endif
}

}  // namespace evs::grid
