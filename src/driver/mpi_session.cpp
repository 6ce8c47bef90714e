#include "driver/mpi_session.hpp"

#include <mpi.h>

#include <cstdlib>
#include <string>

namespace evs::driver {

namespace {
int first_env_int(std::initializer_list<const char*> names, long min_value) {
  for (const char* name : names) {
    if (const char* v = std::getenv(name)) {
      char* end = nullptr;
      const long n = std::strtol(v, &end, 10);
      if (end != v && n >= min_value) return static_cast<int>(n);
    }
  }
  return -1;
}
}  // namespace

int launcher_world_size() { return first_env_int({"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}, 1); }
int launcher_world_rank() { return first_env_int({"OMPI_COMM_WORLD_RANK", "PMI_RANK"}, 0); }

MpiSession::MpiSession(int* argc, char*** argv) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) {
    int provided = 0;
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
    owns_ = true;
  }
  // With the fake bound, MPI_Init may be the stub while other calls reach the real library
  // (then the real one is not initialised), or rank and size come from the stubs (0 of 1).
  const std::string advice =
      ": the program is bound to a fake MPI (the MPI stubs in Ipopt's sequential MUMPS). Rebuild with MPI linked "
      "before Ipopt; see docs/building.md";
  int really_initialized = 0;
  MPI_Initialized(&really_initialized);
  if (!really_initialized) throw std::runtime_error("MPI_Init did not initialise MPI" + advice);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  const int launched = launcher_world_size(), launched_rank = launcher_world_rank();
  if (launched > 0 && launched != size_)
    throw std::runtime_error("the launcher started " + std::to_string(launched) + " ranks but MPI reports " +
                             std::to_string(size_) + advice);
  if (launched_rank >= 0 && launched_rank != rank_)
    throw std::runtime_error("the launcher says this is rank " + std::to_string(launched_rank) + " but MPI says " +
                             std::to_string(rank_) + advice);
}

MpiSession::~MpiSession() {
  if (owns_) {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Finalize();
  }
}

std::string MpiSession::library_version() const {
  char buf[MPI_MAX_LIBRARY_VERSION_STRING];
  int len = 0;
  MPI_Get_library_version(buf, &len);
  std::string s(buf, static_cast<size_t>(len));
  if (auto cut = s.find(','); cut != std::string::npos) s = s.substr(0, cut);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\0')) s.pop_back();
  return s;
}

std::string MpiSession::processor_name() const {
  char buf[MPI_MAX_PROCESSOR_NAME];
  int len = 0;
  MPI_Get_processor_name(buf, &len);
  return std::string(buf, static_cast<size_t>(len));
}

}  // namespace evs::driver
