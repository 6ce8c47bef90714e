// Runs under mpiexec -n 2 (CTest label mpi): the guard passed in main; every rank must see
// the same size as the launcher and the ranks must be distinct.
#include <gtest/gtest.h>
#include <mpi.h>

#include <vector>

#include "driver/mpi_session.hpp"

TEST(MpiSession, RanksAndSizeAgreeWithTheLauncher) {
  int rank = -1, size = -1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  EXPECT_EQ(size, 2) << "this test must run with 2 ranks";
  EXPECT_EQ(evs::driver::launcher_world_size(), size);
  std::vector<int> all(size, -1);
  MPI_Allgather(&rank, 1, MPI_INT, all.data(), 1, MPI_INT, MPI_COMM_WORLD);
  for (int r = 0; r < size; ++r) EXPECT_EQ(all[r], r);
}
