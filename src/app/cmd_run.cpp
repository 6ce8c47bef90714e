// evsweep run STUDY.yaml [-o OUTDIR] [--resume] [--part i/n]
// evsweep plan STUDY.yaml [-o OUTDIR]
// evsweep merge OUTDIR
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "app/commands.hpp"
#include "driver/progress.hpp"
#include "driver/sweep.hpp"
#include "results/run_directory.hpp"

namespace evs::app {

namespace {

std::string output_dir_of(const config::Study& s, const std::string& given) {
  if (!given.empty()) return given;
  if (!s.output.directory.empty()) return s.output.directory;
  return "results/" + s.study.name;
}

void print_merge(const results::MergeSummary& m, const std::string& path) {
  std::printf("%s: %zu scenarios: %zu ok, %zu violating limits, %zu failed, %zu missing\n", path.c_str(), m.scenarios,
              m.ok, m.violating, m.failed, m.missing);
}

const char* kRunFooter =
    "Solves every scenario of the study's design across the MPI ranks:\n"
    "  mpirun -np 4 evsweep run study.yaml -o out/\n"
    "Writes out/results.h5 (the plan first, the results at the end) and out/parts/ (every attempt, flushed\n"
    "every output.flush_interval_s). After a crash, preemption or SIGTERM/SIGUSR1, '--resume' solves exactly\n"
    "the scenarios that are missing or failed (up to sweep.max_attempts). '--part i/n' solves the i-th of n\n"
    "slices (job arrays); 'evsweep merge out/' then writes the final file.\n"
    "Exit code 0 when every scenario has an answer, 2 for bad input, 4 when interrupted or incomplete.";

}  // namespace

Runner add_run_command(CLI::App& app, const GlobalOptions& global, int* argc, char*** argv) {
  struct Args {
    std::string study, output, part = "1/1";
    bool resume = false, quiet = false;
  };
  auto a = std::make_shared<Args>();
  app.add_option("STUDY", a->study, "Study file (YAML)")->required();
  app.add_option("-o,--output", a->output, "Results directory (default: output.directory, else results/<study.name>)");
  app.add_flag("--resume", a->resume, "Continue the runs recorded in the results directory");
  app.add_option("--part", a->part, "Solve only slice i of n of the design (e.g. 2/8), for job arrays")
      ->capture_default_str();
  app.add_flag("-q,--quiet", a->quiet, "No progress display");
  app.footer(kRunFooter);
  return [a, &global, argc, argv]() -> int {
    const int launcher_rank = std::max(driver::launcher_world_rank(), 0);
    const bool lead = launcher_rank == 0;
    results::PartSlice slice;
    try {
      slice = results::parse_part(a->part);
    } catch (const std::invalid_argument& e) {
      if (lead) report_error(e.what());
      return exit_input;
    }
    auto loaded = load_prepared_study(a->study, lead);
    if (!loaded) return exit_input;
    const kinds::PreparedStudy& ps = *loaded;
    SolverSession session(argc, argv);
    driver::install_stop_handlers();
    const Logger log = command_logger(global, session.mpi.rank(), session.mpi.size());
    driver::SweepOptions o;
    o.output_dir = output_dir_of(ps.study, a->output);
    o.resume = a->resume;
    o.part = slice;
    if (!a->quiet) {
      o.progress = [](const std::string& text) {
        std::fputs(text.c_str(), stderr);
        std::fflush(stderr);
      };
      o.progress_redraw = ::isatty(STDERR_FILENO);
    }
    if (lead)
      log.info("study '" + ps.study.study.name + "' of kind " + ps.kind->name() + " (" + ps.study.source_file + "), " +
               std::to_string(session.mpi.size()) + " ranks, results in " + o.output_dir);
    const driver::SweepReport rep = driver::run_sweep(ps, o, session.mpi, log);
    if (session.mpi.rank() != 0) return rep.interrupted ? exit_incomplete : exit_ok;
    if (!rep.error.empty() && rep.todo == 0 && rep.solved == 0) {
      report_error(rep.error);
      return exit_input;
    }
    const double overhead = rep.wall_s > 0 ? 1 - rep.busy_s / (rep.ranks * rep.wall_s) : 0;
    std::printf("solved %zu of %zu scenarios to do (design: %zu) on %d ranks in %s: %.2f scenarios/s, %zu attempts; "
                "time outside the scenarios %.1f %%\n",
                rep.solved, rep.todo, rep.design_size, rep.ranks, driver::Progress::format_duration(rep.wall_s).c_str(),
                rep.wall_s > 0 ? rep.solved / rep.wall_s : 0.0, rep.attempts, 100 * std::max(overhead, 0.0));
    std::printf("memory: rank 0 resident %.1f MB after a tenth of its scenarios, %.1f MB at the end; peak over "
                "ranks %.1f MB\n",
                rep.rss_early_mb, rep.rss_end_mb, rep.peak_rss_mb);
    std::string statuses;
    for (const auto& [k, v] : rep.by_status) statuses += (statuses.empty() ? "" : ", ") + std::to_string(v) + " " + k;
    if (!statuses.empty()) std::printf("status of this run's scenarios: %s\n", statuses.c_str());
    if (rep.merged) print_merge(rep.merge, rep.results_path);
    if (rep.write_failed) {
      report_error(rep.error);
      return exit_incomplete;
    }
    if (!rep.error.empty()) {
      report_error(rep.error);
      return exit_internal;
    }
    if (rep.interrupted) {
      report_error("interrupted: rerun with --resume to finish");
      return exit_incomplete;
    }
    if (slice.count > 1) {
      std::printf("part %s done; after every part: evsweep merge %s\n", a->part.c_str(), o.output_dir.c_str());
      return exit_ok;
    }
    return rep.merge.missing ? exit_incomplete : exit_ok;
  };
}

Runner add_plan_command(CLI::App& app) {
  struct Args {
    std::string study, output;
    int show = 5;
  };
  auto a = std::make_shared<Args>();
  app.add_option("STUDY", a->study, "Study file (YAML)")->required();
  app.add_option("-o,--output", a->output, "Results directory (default: output.directory, else results/<study.name>)");
  app.add_option("--show", a->show, "Scenarios to print")->capture_default_str()->check(CLI::NonNegativeNumber);
  app.footer("Builds the study's design, writes it with the study's provenance to OUTDIR/results.h5 (unless that\n"
             "file already holds this study) and summarises it. Nothing is solved.");
  return [a]() -> int {
    auto loaded = load_prepared_study(a->study);
    if (!loaded) return exit_input;
    results::ResultsContent plan;
    const results::RunDirectory dir(output_dir_of(loaded->study, a->output));
    try {
      dir.create();
      bool written = false;
      plan = driver::open_or_write_plan(*loaded, dir, &written);
      std::printf(written ? "wrote %s\n" : "%s already holds this plan\n", dir.results_path().c_str());
    } catch (const std::exception& e) {
      report_error(e.what());
      return exit_input;
    }
    const auto& d = plan.design;
    std::printf("design %s, seed %llu: %zu scenarios (ids 1..%zu)\n%s\n", d.kind.c_str(),
                static_cast<unsigned long long>(d.seed), d.size(), d.size(), d.layout.c_str());
    std::printf("%-24s %-44s %12s %12s %12s\n", "parameter", "distribution", "min", "mean", "max");
    for (std::size_t j = 0; j < d.parameters.size(); ++j) {
      double lo = INFINITY, hi = -INFINITY, sum = 0;
      for (const auto& row : d.values) lo = std::min(lo, row[j]), hi = std::max(hi, row[j]), sum += row[j];
      std::printf("%-24s %-44s %12.6g %12.6g %12.6g\n", d.parameters[j].c_str(), d.distributions[j].c_str(), lo,
                  d.size() ? sum / d.size() : NAN, hi);
    }
    for (std::size_t i = 0; i < d.size() && i < static_cast<std::size_t>(a->show); ++i) {
      std::printf("scenario %llu:", static_cast<unsigned long long>(d.ids[i]));
      for (std::size_t j = 0; j < d.parameters.size(); ++j)
        std::printf(" %s=%.6g", d.parameters[j].c_str(), d.values[i][j]);
      std::printf("\n");
    }
    return exit_ok;
  };
}

Runner add_merge_command(CLI::App& app, const GlobalOptions& global) {
  auto dir = std::make_shared<std::string>();
  app.add_option("OUTDIR", *dir, "Results directory of a study (holds results.h5 and parts/)")->required();
  app.footer("Combines the part files of every run and part into OUTDIR/results.h5 (each scenario's latest\n"
             "attempt). Exit code 0 when every scenario has an answer, 4 when some are missing.");
  return [dir, &global]() -> int {
    const Logger log = command_logger(global);
    const results::RunDirectory run_dir(*dir);
    if (!std::filesystem::exists(run_dir.results_path())) {
      report_error(run_dir.results_path() + " does not exist: not a results directory (run 'evsweep plan' or "
                   "'evsweep run' first)");
      return exit_input;
    }
    try {
      const results::MergeSummary m = results::merge_results(run_dir);
      for (const auto& w : m.collected.warnings) log.warn(w);
      std::printf("merged %zu part files (%zu attempts, %zu unmarked rows skipped)\n", m.collected.files,
                  m.collected.rows, m.collected.unmarked_rows);
      print_merge(m, run_dir.results_path());
      return m.missing ? exit_incomplete : exit_ok;
    } catch (const std::exception& e) {
      report_error(e.what());
      return exit_input;
    }
  };
}

}  // namespace evs::app
