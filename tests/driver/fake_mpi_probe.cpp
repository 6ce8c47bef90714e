// Deliberately linked with Ipopt's sequential MUMPS (and its fake MPI) BEFORE libmpi, to
// prove that MpiSession's guard notices. Run under mpiexec -n 2; must exit non-zero with
// the guard's message on at least one rank (rank 0 cannot tell: the fake also says 0).
#include <cstdio>
#include <stdexcept>

#include "driver/mpi_session.hpp"

int main(int argc, char** argv) {
  try {
    evs::driver::MpiSession session(&argc, &argv);
    std::printf("rank %d of %d passed the guard\n", session.rank(), session.size());  // rank 0 cannot tell
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "guard: %s\n", e.what());
    return 1;
  }
}
