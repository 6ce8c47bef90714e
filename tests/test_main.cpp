// Shared main for every test program: MPI (with the fake-MPI guard) and PETSc are set up
// once per process, like in evsweep itself.
#include <gtest/gtest.h>

#include "driver/mpi_session.hpp"
#include "grid/backend/petsc_runtime.hpp"

int main(int argc, char** argv) {
  evs::driver::MpiSession mpi(&argc, &argv);
  evs::grid::NumericsRuntime numerics;
  ::testing::InitGoogleTest(&argc, argv);
  if (mpi.rank() != 0) {
    auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
    delete listeners.Release(listeners.default_result_printer());
  }
  return RUN_ALL_TESTS();
}
