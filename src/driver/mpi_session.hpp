#pragma once
// The process's MPI lifetime and the guard against a fake MPI (Ipopt's sequential MUMPS
// exports MPI_Init & co.; if the program binds to them every rank believes it is rank 0
// of 1). This is the only place besides driver/*.cpp that deals with MPI.
#include <stdexcept>
#include <string>

namespace evs::driver {

class MpiSession {
 public:
  // Initialises MPI (if nobody has) and checks that the MPI library we are bound to agrees
  // with the launcher about the number of ranks. Throws std::runtime_error if not.
  MpiSession(int* argc, char*** argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  std::string library_version() const;  // e.g. "Open MPI v4.1.4, ..."
  std::string processor_name() const;

 private:
  int rank_ = 0, size_ = 1;
  bool owns_ = false;
};

// What the launcher says (OMPI_COMM_WORLD_SIZE/RANK, or PMI_SIZE/RANK under srun),
// or -1 when the process was not started by a launcher.
int launcher_world_size();
int launcher_world_rank();

}  // namespace evs::driver
