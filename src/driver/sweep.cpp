#include "driver/sweep.hpp"

#include <mpi.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <thread>

#include "core/version.hpp"
#include "driver/progress.hpp"
#include "plan/design.hpp"
#include "results/part_file.hpp"

namespace evs::driver {

namespace {

volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_stop_signal(int) { g_stop = 1; }

// ---- broadcasts from rank 0 ----
template <class T>
void bcast(std::vector<T>& v, MPI_Datatype type) {
  std::uint64_t n = v.size();
  MPI_Bcast(&n, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  v.resize(n);
  if (n) MPI_Bcast(v.data(), static_cast<int>(n), type, 0, MPI_COMM_WORLD);
}
void bcast(std::string& s) {
  std::vector<char> v(s.begin(), s.end());
  bcast(v, MPI_CHAR);
  s.assign(v.begin(), v.end());
}

// What every rank needs to work: the rows to solve and their parameter values.
struct WorkList {
  std::string error;
  std::vector<std::uint64_t> ids;           // [task] scenario id
  std::vector<std::uint64_t> draw_keys;     // [task] key of its random draws
  std::vector<int> attempts;                // [task] first attempt number
  std::vector<double> values;               // [task * parameters]
  std::vector<std::string> parameters;
  int run_index = 0;
  std::string config_hash;
  std::size_t design_size = 0;
};

void bcast(WorkList& w) {
  bcast(w.error);
  bcast(w.ids, MPI_UINT64_T);
  bcast(w.draw_keys, MPI_UINT64_T);
  bcast(w.attempts, MPI_INT);
  bcast(w.values, MPI_DOUBLE);
  std::string names;
  for (const auto& p : w.parameters) names += p + "\n";
  bcast(names);
  w.parameters.clear();
  for (std::size_t at = 0, nl; (nl = names.find('\n', at)) != std::string::npos; at = nl + 1)
    w.parameters.push_back(names.substr(at, nl - at));
  MPI_Bcast(&w.run_index, 1, MPI_INT, 0, MPI_COMM_WORLD);
  bcast(w.config_hash);
  std::uint64_t n = w.design_size;
  MPI_Bcast(&n, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  w.design_size = n;
}

// Rank 0: the plan (new or recorded) and what is left to solve.
WorkList prepare_work(const kinds::PreparedStudy& ps, const SweepOptions& opt, const Logger& log) {
  WorkList w;
  const results::RunDirectory dir(opt.output_dir);
  try {
    dir.create();
    bool written = false;
    const results::ResultsContent plan = open_or_write_plan(ps, dir, &written);
    if (!results::same_columns(plan.layout, row_layout(ps))) {
      w.error = dir.results_path() + " was planned with other result columns (another evsweep version); use "
                "another output directory (-o)";
      return w;
    }
    log.info(written ? "wrote the plan (" + std::to_string(plan.design.size()) + " scenarios) to " + dir.results_path()
                     : "using the plan recorded in " + dir.results_path());
    const std::size_t n = plan.design.size();
    const std::size_t begin = opt.part.begin(n), end = opt.part.end(n);
    std::vector<results::Todo> todo;
    if (opt.resume) {
      const results::Collected c = results::collect_parts(dir, plan);
      for (const auto& warning : c.warnings) log.warn(warning);
      todo = results::pending_rows(c, begin, end, ps.study.sweep.max_attempts);
      log.info("resume: " + std::to_string(c.rows) + " recorded attempts in " + std::to_string(c.files) +
               " part files; " + std::to_string(todo.size()) + " of " + std::to_string(end - begin) +
               " scenarios still to solve");
    } else {
      const std::string mine = "-" + opt.part.label() + "-";
      for (const auto& f : dir.part_files())
        if (f.find(mine) != std::string::npos) {
          w.error = opt.output_dir + " already holds results of an earlier run (" + f +
                    "); pass --resume to continue it, or choose another output directory (-o)";
          return w;
        }
      for (std::size_t i = begin; i < end; ++i) todo.push_back({i, 1});
    }
    w.run_index = dir.next_run_index();
    w.parameters = plan.design.parameters;
    for (const auto& t : todo) {
      w.ids.push_back(plan.design.ids[t.row]);
      w.draw_keys.push_back(plan.design.draw_keys[t.row]);
      w.attempts.push_back(t.attempt);
      w.values.insert(w.values.end(), plan.design.values[t.row].begin(), plan.design.values[t.row].end());
    }
    w.config_hash = plan.provenance.config_hash;
    w.design_size = n;
  } catch (const std::exception& e) {
    w.error = e.what();
  }
  return w;
}

constexpr int kStatusCodes = static_cast<int>(StatusCode::internal_error) + 1;

// The counters in rank 0's window.
enum Counter {
  next_task = 0,
  tasks_done = 1,
  tasks_failed = 2,
  ranks_finished = 3,
  tasks_violating = 4,
  write_failures = 5,  // > 0: some rank cannot store results; every rank stops
  num_counters = 6
};

std::int64_t read_counter(MPI_Win win, Counter c) {
  std::int64_t dummy = 0, value = 0;
  MPI_Fetch_and_op(&dummy, &value, MPI_INT64_T, 0, c, MPI_NO_OP, win);
  MPI_Win_flush(0, win);
  return value;
}

std::int64_t add_counter(MPI_Win win, Counter c, std::int64_t inc) {
  std::int64_t old = 0;
  MPI_Fetch_and_op(&inc, &old, MPI_INT64_T, 0, c, MPI_SUM, win);
  MPI_Win_flush(0, win);
  return old;
}

// Resident memory now, MB (Linux /proc), and the peak so far.
double resident_mb() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return resident * static_cast<double>(sysconf(_SC_PAGESIZE)) / 1048576.0;
}
double peak_resident_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

}  // namespace

void install_stop_handlers() {
  std::signal(SIGTERM, on_stop_signal);
  std::signal(SIGUSR1, on_stop_signal);
  std::signal(SIGINT, on_stop_signal);
}

results::RowLayout row_layout(const kinds::PreparedStudy& ps) {
  results::RowLayout l;
  l.study_kind = ps.kind->name();
  l.metrics = ps.kind->metrics();
  l.timings = ps.kind->timings();
  for (const auto& s : ps.kind->series())
    if (std::find(ps.study.output.series.begin(), ps.study.output.series.end(), s.name) !=
        ps.study.output.series.end())
      l.series.push_back(s);
  l.dimensions = ps.kind->dimensions(ps.study, *ps.data);
  return l;
}

kinds::RunOptions sweep_run_options(const config::Study& study, int attempt) {
  kinds::RunOptions o;
  o.keep_series = study.output.series;
  o.attempt = attempt;
  o.time_limit_s = study.sweep.timeout_s;
  return o;
}

results::ScenarioRecord make_record(const kinds::StudyKind& kind, const kinds::Outcome& r, int attempt, int rank,
                                    const results::RowLayout& layout) {
  results::ScenarioRecord rec;
  rec.id = r.scenario_id;
  rec.attempt = attempt;
  rec.status = static_cast<int>(r.status.code);
  rec.rank = rank;
  rec.stage = r.failed_stage;
  rec.message = r.status.message;
  rec.solver_status = r.solver_status;
  rec.metrics = r.metrics;
  rec.timings = r.timings;
  rec.metrics.resize(layout.metrics.size(), NAN);
  rec.timings.resize(layout.timings.size(), NAN);
  const auto& declared = kind.series();
  for (std::size_t k = 0; k < layout.series.size(); ++k) {
    std::vector<double> values(layout.series_size(k), NAN);
    for (std::size_t j = 0; j < declared.size() && j < r.series.size(); ++j)
      if (declared[j].name == layout.series[k].name && r.series[j].size() == values.size()) values = r.series[j];
    rec.series.push_back(std::move(values));
  }
  return rec;
}

results::ResultsContent make_plan(const kinds::PreparedStudy& ps) {
  const auto& s = ps.study;
  results::ResultsContent c;
  c.design = plan::make_design(s);
  auto& p = c.provenance;
  p.study_name = s.study.name;
  p.description = s.study.description;
  p.config_file = s.source_file;
  p.config_text = s.source_text;
  p.config_hash = plan::text_hash(s.source_text);
  p.evsweep_version = version_string();
  p.git_sha = git_sha();
  p.created_utc = results::utc_now();
  p.stages = s.study.stages;
  p.max_attempts = s.sweep.max_attempts;
  p.prepared_inputs = ps.kind->describe_study(s, *ps.data);
  c.layout = row_layout(ps);
  return c;
}

results::ResultsContent open_or_write_plan(const kinds::PreparedStudy& ps, const results::RunDirectory& dir,
                                           bool* written) {
  const std::string hash = plan::text_hash(ps.study.source_text);
  if (written) *written = false;
  if (std::filesystem::exists(dir.results_path())) {
    results::ResultsContent recorded = results::read_plan(dir.results_path());
    if (recorded.provenance.config_hash != hash)
      throw std::runtime_error(dir.results_path() + " belongs to another study or an edited one (config hash " +
                               recorded.provenance.config_hash + ", " + ps.study.source_file + " has " + hash +
                               "); use another output directory (-o)");
    return recorded;
  }
  results::ResultsContent plan = make_plan(ps);
  results::write_results(dir.results_path(), plan);
  if (written) *written = true;
  return plan;
}

SweepReport run_sweep(const kinds::PreparedStudy& ps, const SweepOptions& opt, const MpiSession& mpi,
                      const Logger& log) {
  SweepReport rep;
  rep.ranks = mpi.size();
  const int rank = mpi.rank();
  const results::RunDirectory dir(opt.output_dir);
  rep.results_path = dir.results_path();

  WorkList work;
  std::unique_ptr<results::DirectoryLock> lock;  // rank 0 holds the directory for the run
  if (rank == 0) {
    try {
      lock = std::make_unique<results::DirectoryLock>(dir, opt.part);
      work = prepare_work(ps, opt, log);
    } catch (const std::exception& e) {
      work.error = e.what();
    }
  }
  bcast(work);
  if (!work.error.empty()) {
    rep.error = work.error;
    return rep;
  }
  rep.design_size = work.design_size;
  rep.todo = work.ids.size();
  const std::size_t np = work.parameters.size();
  const results::RowLayout layout = row_layout(ps);

  MPI_Win win;
  std::int64_t* counters = nullptr;
  MPI_Win_allocate(rank == 0 ? num_counters * sizeof(std::int64_t) : 0, sizeof(std::int64_t), MPI_INFO_NULL,
                   MPI_COMM_WORLD, &counters, &win);
  if (rank == 0) std::fill(counters, counters + num_counters, 0);
  MPI_Barrier(MPI_COMM_WORLD);
  MPI_Win_lock_all(0, win);

  Progress progress(rep.todo, ps.study.output.progress_interval_s, rank == 0 ? opt.progress : Progress::Sink{},
                    opt.progress_redraw);
  std::unique_ptr<results::PartWriter> writer;
  auto write = [&](const results::ScenarioRecord& r) {
    if (!writer) {
      const results::PartHeader header{work.config_hash, "r" + std::to_string(work.run_index) + "-" + opt.part.label(),
                                       rank, layout};
      writer = std::make_unique<results::PartWriter>(dir.part_path(work.run_index, opt.part, rank), header,
                                                     ps.study.output.flush_interval_s);
    }
    writer->add(r);
  };
  auto show = [&] {
    if (rank == 0)
      progress.update(static_cast<std::size_t>(read_counter(win, tasks_done)),
                      static_cast<std::size_t>(read_counter(win, tasks_violating)),
                      static_cast<std::size_t>(read_counter(win, tasks_failed)));
  };

  const std::int64_t chunk = ps.study.sweep.chunk, total = static_cast<std::int64_t>(rep.todo);
  const int max_attempts = ps.study.sweep.max_attempts;
  Stopwatch wall;
  double busy = 0;
  std::size_t attempts = 0, solved = 0;
  std::vector<std::uint64_t> by_status(kStatusCodes, 0);  // [StatusCode]
  std::string write_error;
  // Results that cannot be stored are not worth solving: every rank stops at the first
  // write failure anywhere (a full disk), keeping what its part file already holds.
  auto writes_failed = [&] { return !write_error.empty() || read_counter(win, write_failures) > 0; };
  while (!g_stop && !writes_failed()) {
    const std::int64_t start = add_counter(win, next_task, chunk);
    if (start >= total) break;
    for (std::int64_t task = start; task < std::min(start + chunk, total) && write_error.empty(); ++task) {
      kinds::Scenario scenario;
      scenario.id = work.ids[task];
      scenario.draw_key = work.draw_keys[task];
      for (std::size_t j = 0; j < np; ++j) scenario.values.emplace_back(work.parameters[j], work.values[task * np + j]);
      const std::uint64_t id = scenario.id;
      kinds::Outcome result;
      double solve_s = 0;
      for (int attempt = work.attempts[task];; ++attempt) {
        Stopwatch clock;
        result = ps.kind->solve(ps.study, *ps.data, scenario, sweep_run_options(ps.study, attempt));
        solve_s = clock.seconds();
        busy += solve_s;
        ++attempts;
        try {
          write(make_record(*ps.kind, result, attempt, rank, layout));
        } catch (const std::exception& e) {
          write_error = e.what();
          add_counter(win, write_failures, 1);
          break;
        }
        if (result.status.ok() || !results::retryable(static_cast<int>(result.status.code)) || attempt >= max_attempts)
          break;
        log.info("scenario " + std::to_string(id) + " attempt " + std::to_string(attempt) + ": " +
                 std::string(to_string(result.status.code)) + " (" + result.status.message + "); retrying");
      }
      ++solved;
      if (rep.rss_early_mb == 0 && solved * 10 >= rep.todo / static_cast<std::size_t>(mpi.size()))
        rep.rss_early_mb = resident_mb();
      ++by_status[static_cast<std::size_t>(result.status.code)];
      if (result.status.ok())
        log.debug("scenario " + std::to_string(id) + " ok in " + std::to_string(solve_s) + " s");
      else
        log.info("scenario " + std::to_string(id) + ": " + std::string(to_string(result.status.code)) + " in " +
                 result.failed_stage + ": " + result.status.message);
      add_counter(win, tasks_done, 1);
      if (result.status.code == StatusCode::infeasible)
        add_counter(win, tasks_violating, 1);
      else if (!result.status.ok())
        add_counter(win, tasks_failed, 1);
      show();
    }
  }
  std::uint64_t rows_safe = 0;  // attempts of this rank that reached its part file
  if (writer) {
    try {
      writer->flush();
    } catch (const std::exception& e) {
      if (write_error.empty()) write_error = e.what();
    }
    rows_safe = writer->rows_written();
    writer.reset();
  }
  add_counter(win, ranks_finished, 1);
  if (rank == 0) {
    // Keep the progress going until every rank has left its loop.
    while (read_counter(win, ranks_finished) < mpi.size()) {
      show();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    progress.finish(static_cast<std::size_t>(read_counter(win, tasks_done)),
                    static_cast<std::size_t>(read_counter(win, tasks_violating)),
                    static_cast<std::size_t>(read_counter(win, tasks_failed)));
  }
  rep.wall_s = wall.seconds();
  rep.rss_end_mb = resident_mb();
  const double peak = peak_resident_mb();
  MPI_Reduce(&peak, &rep.peak_rss_mb, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
  MPI_Win_unlock_all(win);
  MPI_Win_free(&win);

  // Totals on rank 0.
  int stopped = g_stop ? 1 : 0, any_stopped = 0;
  MPI_Allreduce(&stopped, &any_stopped, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  rep.interrupted = any_stopped != 0;
  std::uint64_t mine[2] = {solved, attempts}, sums[2] = {0, 0};
  MPI_Reduce(mine, sums, 2, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
  MPI_Reduce(&busy, &rep.busy_s, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
  rep.solved = sums[0];
  rep.attempts = sums[1];
  std::vector<std::uint64_t> all_status(kStatusCodes, 0);
  MPI_Reduce(by_status.data(), all_status.data(), kStatusCodes, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
  for (int c = 0; c < kStatusCodes; ++c)
    if (all_status[c]) rep.by_status[std::string(to_string(static_cast<StatusCode>(c)))] = all_status[c];
  // Write errors on any rank end the run (the rows written so far are kept).
  int failed_write = write_error.empty() ? 0 : 1, any_failed_write = 0;
  MPI_Allreduce(&failed_write, &any_failed_write, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  if (!write_error.empty()) log.error("rank " + std::to_string(rank) + ": " + write_error);
  std::uint64_t all_rows_safe = 0;
  MPI_Reduce(&rows_safe, &all_rows_safe, 1, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
  if (rank == 0) {
    if (any_failed_write) {
      // No merge: it needs room too, and results.h5 (the plan, or the last merge) stays whole.
      rep.write_failed = true;
      rep.rows_safe = all_rows_safe;
      rep.error = "results could not be written (" +
                  (write_error.empty() ? std::string("another rank: see the log") : write_error) +
                  "), so the run stopped. Safe on disk: " + std::to_string(all_rows_safe) + " attempts of this run in " +
                  dir.parts_dir() + " and every earlier run's; results.h5 is unchanged. Free space (or fix the cause) "
                  "and rerun with --resume: it solves only what is missing";
    } else if (opt.part.count == 1) {
      try {
        rep.merge = results::merge_results(dir);
        rep.merged = true;
        for (const auto& warning : rep.merge.collected.warnings) log.warn(warning);
      } catch (const std::exception& e) {
        rep.error = std::string("merging the part files failed: ") + e.what();
      }
    }
  }
  MPI_Barrier(MPI_COMM_WORLD);
  return rep;
}

}  // namespace evs::driver
