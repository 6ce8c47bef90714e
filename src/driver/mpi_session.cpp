#include "driver/mpi_session.hpp"

#include <mpi.h>

#include <cstdlib>
#include <string>

namespace evs::driver {

int launcher_world_size() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"}) {
    if (const char* v = std::getenv(name)) {
      char* end = nullptr;
      const long n = std::strtol(v, &end, 10);
      if (end != v && n > 0) return static_cast<int>(n);
    }
  }
  return -1;
}

MpiSession::MpiSession(int* argc, char*** argv) {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) {
    int provided = 0;
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
    owns_ = true;
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  const int launched = launcher_world_size();
  if (launched > 0 && launched != size_) {
    throw std::runtime_error("the launcher started " + std::to_string(launched) + " ranks but MPI reports " +
                             std::to_string(size_) +
                             ": the program is bound to a fake MPI (Ipopt's MUMPS stubs). Rebuild with MPI "
                             "linked before Ipopt; see docs/building.md");
  }
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
