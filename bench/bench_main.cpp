// Shared main for benchmark programs: MPI and PETSc set up once, like in evsweep.
#include <benchmark/benchmark.h>

#include "driver/mpi_session.hpp"
#include "grid/backend/petsc_runtime.hpp"

int main(int argc, char** argv) {
  evs::driver::MpiSession mpi(&argc, &argv);
  evs::grid::NumericsRuntime numerics;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
