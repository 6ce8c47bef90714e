#pragma once
// The sweep driver: plans the study (rank 0), hands scenarios out by an atomic counter
// (MPI_Fetch_and_op on rank 0's window, `sweep.chunk` at a time), runs each through the
// study kind's pure per-scenario function with the retry policy, appends every attempt to the rank's
// part file, shows progress on rank 0, and merges the parts into results.h5.
// Results do not depend on the number of ranks or the schedule.
#include <cstddef>
#include <map>
#include <string>

#include "core/log.hpp"
#include "driver/mpi_session.hpp"
#include "driver/progress.hpp"
#include "kinds/registry.hpp"
#include "results/run_directory.hpp"

namespace evs::driver {

// The columns of a study's results: its kind's metrics, timings, kept series, dimensions.
results::RowLayout row_layout(const kinds::PreparedStudy& prepared);

// What a sweep asks of each scenario attempt (series kept, time limit, attempt number).
kinds::RunOptions sweep_run_options(const config::Study& study, int attempt);

// One stored row from a kind's outcome (series not produced are NaN-filled).
results::ScenarioRecord make_record(const kinds::StudyKind& kind, const kinds::Outcome& outcome, int attempt,
                                    int rank, const results::RowLayout& layout);

// The plan of a study as written to results.h5 before any solve.
results::ResultsContent make_plan(const kinds::PreparedStudy& prepared);

// The plan recorded in dir's results.h5, or a new one written there (*written = true).
// Throws std::runtime_error when results.h5 belongs to another study or an edited one.
results::ResultsContent open_or_write_plan(const kinds::PreparedStudy& prepared, const results::RunDirectory& dir,
                                           bool* written = nullptr);

struct SweepOptions {
  std::string output_dir;          // results directory
  bool resume = false;             // continue the runs recorded in output_dir
  results::PartSlice part;         // --part i/n
  Progress::Sink progress;         // where rank 0 shows progress (empty: nowhere)
  bool progress_redraw = false;    // the sink is a terminal: redraw a bar in place
};

struct SweepReport {
  std::string error;               // set when the run could not start (bad directory, other study, ...)
  std::size_t design_size = 0;
  std::size_t todo = 0;            // scenarios this run had to solve
  std::size_t solved = 0;          // of which finished (all attempts done)
  std::size_t attempts = 0;        // solves, retries included
  std::map<std::string, std::size_t> by_status;  // final status of the scenarios solved in this run
  bool interrupted = false;        // stopped by SIGTERM/SIGUSR1/SIGINT before the end
  bool write_failed = false;       // results could not be stored (full disk, ...): stopped, not merged
  std::size_t rows_safe = 0;       // attempts of this run that reached the part files
  bool merged = false;
  results::MergeSummary merge;
  double wall_s = 0;               // the work loop, rank 0
  double busy_s = 0;               // time inside the pipeline, summed over ranks
  int ranks = 1;
  double rss_early_mb = 0;         // rank 0's resident memory after its first tenth of the scenarios
  double rss_end_mb = 0;           // ... at the end of the work loop
  double peak_rss_mb = 0;          // largest peak resident memory over the ranks
  std::string results_path;
};

// Collective over MPI_COMM_WORLD; the report is complete on rank 0.
SweepReport run_sweep(const kinds::PreparedStudy& prepared, const SweepOptions& options, const MpiSession& mpi,
                      const Logger& log);

// Asks run_sweep to stop after the scenarios in hand (async-signal-safe); installed for
// SIGTERM, SIGUSR1 (what Slurm's --signal and mpirun forward) and SIGINT.
void install_stop_handlers();

}  // namespace evs::driver
