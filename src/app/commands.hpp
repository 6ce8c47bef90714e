#pragma once
// The evsweep subcommands. Each registers its options on the CLI11 app and returns the
// function that runs it (exit code). main.cpp only wires them together.
#include <CLI/CLI.hpp>

#include <functional>

#include <optional>

#include "core/log.hpp"
#include "driver/mpi_session.hpp"
#include "kinds/registry.hpp"
#include "grid/backend/petsc_runtime.hpp"
#include <string>

namespace evs::app {

// Exit codes shared by all commands.
enum ExitCode { exit_ok = 0, exit_internal = 1, exit_input = 2, exit_solver = 3 };

struct GlobalOptions {
  std::string log_level = "warn";
};

using Runner = std::function<int()>;

Runner add_pf_command(CLI::App& app, const GlobalOptions& global);
Runner add_assign_command(CLI::App& app, const GlobalOptions& global);
Runner add_estimate_od_command(CLI::App& app, const GlobalOptions& global);
Runner add_solve_command(CLI::App& app, const GlobalOptions& global);
Runner add_validate_command(CLI::App& app, const GlobalOptions& global);
Runner add_options_command(CLI::App& app);
Runner add_metrics_command(CLI::App& app);
Runner add_kinds_command(CLI::App& app);
Runner add_info_command(CLI::App& app, int* argc, char*** argv);
Runner add_run_command(CLI::App& app, const GlobalOptions& global, int* argc, char*** argv);
Runner add_plan_command(CLI::App& app);
Runner add_merge_command(CLI::App& app, const GlobalOptions& global);

// Exit code of a run whose results are incomplete (interrupted, or parts missing).
constexpr int exit_incomplete = 4;

// MPI (with the fake-MPI guard) and the numerical back end, for the lifetime of a command
// that solves something. Members are destroyed in reverse order: PETSc before MPI.
struct SolverSession {
  SolverSession() : SolverSession(nullptr, nullptr) {}
  SolverSession(int* argc, char*** argv) : mpi(argc ? argc : &no_argc, argv ? argv : &no_argv) {}
  int no_argc = 0;
  char** no_argv = nullptr;
  driver::MpiSession mpi;
  grid::NumericsRuntime numerics;
};

// Prints "evsweep: error: <message>" to stderr.
void report_error(const std::string& message);

// Prints every problem of a study file, one per line, under a count.
void report_config_error(const std::string& path, const std::vector<std::string>& errors);

// Reads a study (of any kind) and the files it names. overrides: --set KEY=VALUE. On bad
// input prints every problem (when report is true) and returns nullopt.
std::optional<kinds::PreparedStudy> load_prepared_study(const std::string& path, bool report = true,
                                                        const std::vector<std::string>& overrides = {});

// The kind named by --kind (empty: every kind); prints an error and returns false when unknown.
bool kinds_from_option(const std::string& name, std::vector<const kinds::StudyKind*>& out);

// The logger of a command: stderr, prefixed with the rank when there are several.
Logger command_logger(const GlobalOptions& global, int rank = 0, int ranks = 1);

}  // namespace evs::app
