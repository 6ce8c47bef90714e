#include <gtest/gtest.h>

#include <cmath>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>

#include "config/study.hpp"
#include "core/status.hpp"
#include "results/part_file.hpp"
#include "results/run_directory.hpp"
#include "test_support.hpp"

using namespace evs;
using namespace evs::results;

namespace {

std::string fresh_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("evsweep-test-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

// Rows of a kind with one metric (cost), one timing and, when periods > 0, a per-period series.
RowLayout test_layout(int periods) {
  RowLayout l;
  l.study_kind = "test";
  l.metrics = {{"cost", "currency", "a cost"}, {"vmin_pu", "pu", "a voltage"}};
  l.timings = {{"total_s", "s", "time"}};
  l.dimensions = {{"period", static_cast<std::size_t>(periods), "", {}, {}},
                  {"station", 2, "station_names", {"A", "B"}, {}}};
  if (periods > 0) l.series = {{"head_load", "head_mw", "MW", "feeder head", {"period"}}};
  return l;
}

ScenarioRecord record(std::uint64_t id, int attempt, StatusCode code, double cost, const RowLayout& layout) {
  ScenarioRecord r;
  r.id = id;
  r.attempt = attempt;
  r.status = static_cast<int>(code);
  r.rank = 0;
  r.message = code == StatusCode::ok ? "" : "failed on purpose";
  r.stage = code == StatusCode::ok ? "" : "dispatch";
  r.metrics = {cost, NAN};
  r.timings = {0.5};
  for (std::size_t k = 0; k < layout.series.size(); ++k)
    r.series.push_back(std::vector<double>(layout.series_size(k),
                                           code == StatusCode::ok || code == StatusCode::infeasible ? cost : NAN));
  return r;
}

ResultsContent small_plan(std::size_t n, const RowLayout& layout) {
  ResultsContent c;
  c.provenance.config_hash = "00000000000000aa";
  c.provenance.study_name = "t";
  c.provenance.max_attempts = 2;
  c.layout = layout;
  c.design.kind = "monte_carlo";
  c.design.parameters = {"theta"};
  c.design.distributions = {"uniform(0, 1)"};
  c.design.varied = {true};
  for (std::size_t i = 0; i < n; ++i) {
    c.design.ids.push_back(i + 1);
    c.design.draw_keys.push_back(i + 1);
    c.design.values.push_back({0.1 * i});
    c.design.unit.push_back({0.1 * i});
    c.design.block.push_back(0);
    c.design.moved.push_back(-1);
  }
  return c;
}

}  // namespace

TEST(PartFile, RowsRoundTripWithSeries) {
  const std::string dir = fresh_dir("part");
  const RowLayout shape = test_layout(3);
  {
    PartWriter w(dir + "/p.h5", {"abc", "r1", 0, shape}, 1e9);
    w.add(record(1, 1, StatusCode::ok, 10.5, shape));
    w.add(record(2, 2, StatusCode::timeout, 0, shape));
  }
  const PartContents c = read_part(dir + "/p.h5");
  ASSERT_EQ(c.rows.size(), 2u);
  EXPECT_EQ(c.skipped, 0u);
  EXPECT_EQ(c.header.config_hash, "abc");
  EXPECT_EQ(c.rows[0].id, 1u);
  EXPECT_EQ(c.rows[0].series[0], (std::vector<double>{10.5, 10.5, 10.5}));
  EXPECT_EQ(c.rows[1].attempt, 2);
  EXPECT_EQ(c.rows[1].status, static_cast<int>(StatusCode::timeout));
  EXPECT_EQ(c.rows[1].message, "failed on purpose");
  EXPECT_TRUE(std::isnan(c.rows[1].series[0][0]));  // a scenario without a dispatch has no series
}

TEST(PartFile, AWriterKilledMidRunKeepsTheFlushedRows) {
  const std::string dir = fresh_dir("killed");
  const RowLayout shape = test_layout(24);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    PartWriter w(dir + "/p.h5", {"abc", "r1", 0, shape}, 1e9);
    for (int i = 1; i <= 300; ++i) w.add(record(i, 1, StatusCode::ok, i, shape));
    w.flush();
    for (int i = 301; i <= 400; ++i) w.add(record(i, 1, StatusCode::ok, i, shape));  // buffered only
    raise(SIGKILL);
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  const PartContents c = read_part(dir + "/p.h5");
  ASSERT_EQ(c.rows.size(), 300u);
  EXPECT_EQ(c.rows.back().id, 300u);
  EXPECT_EQ(c.rows.back().series[0][23], 300.0);
}

TEST(RunDirectory, LatestAttemptWinsAndRetryableFailuresArePending) {
  const std::string dir = fresh_dir("rundir");
  const RowLayout shape = test_layout(2);
  RunDirectory rd(dir);
  rd.create();
  const ResultsContent plan = small_plan(5, shape);
  write_results(rd.results_path(), plan);
  {
    PartWriter a(rd.part_path(1, {}, 0), {plan.provenance.config_hash, "r1", 0, shape}, 0);
    a.add(record(1, 1, StatusCode::ok, 1, shape));
    a.add(record(2, 1, StatusCode::timeout, 0, shape));
    a.add(record(3, 1, StatusCode::infeasible, 3, shape));
    a.add(record(4, 1, StatusCode::numerical_error, 0, shape));
    PartWriter b(rd.part_path(2, {}, 1), {plan.provenance.config_hash, "r2", 1, shape}, 0);
    b.add(record(4, 2, StatusCode::ok, 4, shape));
  }
  EXPECT_EQ(rd.next_run_index(), 3);
  const Collected c = collect_parts(rd, plan);
  EXPECT_EQ(c.files, 2u);
  EXPECT_EQ(c.latest[3]->attempt, 2);
  EXPECT_EQ(c.latest[3]->status, 0);
  const auto todo = pending_rows(c, 0, 5, 2);
  ASSERT_EQ(todo.size(), 2u);  // 2 (timeout, attempt 2 next) and 5 (never run); 3 is infeasible: an answer
  EXPECT_EQ(todo[0].row, 1u);
  EXPECT_EQ(todo[0].attempt, 2);
  EXPECT_EQ(todo[1].row, 4u);
  EXPECT_EQ(todo[1].attempt, 1);
  EXPECT_TRUE(pending_rows(c, 2, 4, 2).empty());  // a slice
  const MergeSummary m = merge_results(rd);
  EXPECT_EQ(m.ok, 2u);
  EXPECT_EQ(m.violating, 1u);  // 3: infeasible, an answer (limits not held)
  EXPECT_EQ(m.failed, 1u);     // 2: timeout
  EXPECT_EQ(m.missing, 1u);
  const ResultsContent back = read_plan(rd.results_path());
  EXPECT_EQ(back.design.values, plan.design.values);
  EXPECT_EQ(back.layout.dimension_size("period"), 2u);
  ASSERT_EQ(back.layout.series.size(), 1u);  // head_load kept
  EXPECT_EQ(back.layout.series[0].dataset, "head_mw");
  EXPECT_EQ(back.layout.study_kind, "test");
  EXPECT_EQ(back.layout.metric_names(), plan.layout.metric_names());
  EXPECT_EQ(back.layout.dimensions[1].text_labels, (std::vector<std::string>{"A", "B"}));
}

TEST(RunDirectory, PartsOfAnotherStudyAreRefused) {
  const std::string dir = fresh_dir("foreign");
  RunDirectory rd(dir);
  rd.create();
  const ResultsContent plan = small_plan(2, {});
  write_results(rd.results_path(), plan);
  { PartWriter a(rd.part_path(1, {}, 0), {"ffffffffffffffff", "r1", 0, {}}, 0); }
  EXPECT_THROW(collect_parts(rd, plan), std::runtime_error);
}

TEST(RunDirectory, PartSlicesCoverTheDesignOnce) {
  EXPECT_THROW(parse_part("3/2"), std::invalid_argument);
  EXPECT_THROW(parse_part("1-2"), std::invalid_argument);
  std::size_t covered = 0;
  for (int i = 1; i <= 7; ++i) {
    const PartSlice s = parse_part(std::to_string(i) + "/7");
    covered += s.end(100) - s.begin(100);
    if (i > 1) EXPECT_EQ(s.begin(100), parse_part(std::to_string(i - 1) + "/7").end(100));
  }
  EXPECT_EQ(covered, 100u);
}

TEST(ResultsFile, NotAResultsFileIsAClearError) {
  const std::string dir = fresh_dir("notresults");
  const std::string path = dir + "/x.h5";
  { PartWriter a(path, {"a", "r", 0, {}}, 0); }
  try {
    read_plan(path);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("not an evsweep results file"), std::string::npos) << e.what();
  }
}

TEST(RunDirectory, OneRunAtATimeAndADeadHolderDoesNotBlock) {
  const std::string dir = fresh_dir("lock");
  RunDirectory rd(dir);
  {
    DirectoryLock first(rd, {});
    try {
      DirectoryLock second(rd, {});
      FAIL() << "a second run got the directory";
    } catch (const std::runtime_error& e) {
      const std::string m = e.what();
      EXPECT_NE(m.find("is in use by evsweep run, pid " + std::to_string(getpid())), std::string::npos) << m;
      EXPECT_NE(m.find("choose another output directory"), std::string::npos) << m;
    }
  }
  EXPECT_NO_THROW(DirectoryLock again(rd, {}));  // released at the end of the first run
  {
    // The parts of a job array share the directory, one slice each.
    DirectoryLock part1(rd, parse_part("1/2"));
    EXPECT_NO_THROW(DirectoryLock part2(rd, parse_part("2/2")));
    EXPECT_THROW(DirectoryLock part1_again(rd, parse_part("1/2")), std::runtime_error);
  }
  // A run killed while holding it: the kernel releases the lock.
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    DirectoryLock held(rd, {});
    raise(SIGKILL);
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_NO_THROW(DirectoryLock after_crash(rd, {}));
}
