// evsweep info [--json]: versions, and one line per MPI rank (proves the MPI binding).
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "core/version.hpp"
#include "driver/mpi_session.hpp"
#include "grid/backend/petsc_runtime.hpp"

namespace evs::app {

Runner add_info_command(CLI::App& app, int* argc, char*** argv) {
  auto json = std::make_shared<bool>(false);
  app.add_flag("--json", *json, "One JSON object per rank");
  app.footer("Under mpirun each rank prints its rank and the size it sees; all must agree with -np.");
  return [json, argc, argv]() -> int {
    SolverSession session(argc, argv);
    const driver::MpiSession& mpi = session.mpi;
    nlohmann::ordered_json j;
    j["evsweep"] = version_string();
    j["git_sha"] = git_sha();
    j["rank"] = mpi.rank();
    j["size"] = mpi.size();
    j["launcher_size"] = driver::launcher_world_size();
    j["host"] = mpi.processor_name();
    j["mpi"] = mpi.library_version();
    j["petsc"] = grid::petsc_version();
    j["ipopt"] = grid::ipopt_version();
    if (*json) {
      std::cout << j.dump() << std::endl;
    } else {
      std::printf("evsweep %s (git %s) rank %d of %d on %s; %s; %s; Ipopt %s\n", version_string(), git_sha(),
                  mpi.rank(), mpi.size(), mpi.processor_name().c_str(), mpi.library_version().c_str(),
                  grid::petsc_version().c_str(), grid::ipopt_version().c_str());
    }
    return exit_ok;
  };
}

}  // namespace evs::app
