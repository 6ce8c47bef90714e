#pragma once
// A study's results directory: results.h5 (plan, then final results) and parts/ with the
// append-only part files of every run, rank and part. Collecting the parts gives, per
// scenario, its latest attempt; from that follow what a resumed run must still solve and
// what the merge writes.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "results/record.hpp"
#include "results/results_file.hpp"

namespace evs::results {

// --part i/n: the i-th of n contiguous slices of the design (1-based i).
struct PartSlice {
  int index = 1, count = 1;
  std::size_t begin(std::size_t rows) const { return rows * (index - 1) / count; }
  std::size_t end(std::size_t rows) const { return rows * index / count; }
  std::string label() const { return "p" + std::to_string(index) + "of" + std::to_string(count); }
};
// Parses "i/n"; throws std::invalid_argument with a message for the user.
PartSlice parse_part(const std::string& text);

class RunDirectory {
 public:
  explicit RunDirectory(std::string dir) : dir_(std::move(dir)) {}
  const std::string& path() const { return dir_; }
  std::string results_path() const { return dir_ + "/results.h5"; }
  std::string parts_dir() const { return dir_ + "/parts"; }
  std::vector<std::string> part_files() const;  // sorted
  int next_run_index() const;                   // 1 + the largest run number among the parts
  std::string part_path(int run, const PartSlice& slice, int rank) const;
  void create() const;  // makes dir and parts/

 private:
  std::string dir_;
};

// Exclusive use of a results directory (one slice of it: the parts of a job array run side
// by side) by one `evsweep run`: flock on DIR/.lock-<slice>, which the kernel releases when
// the holder dies, so a crashed run never blocks the next one.
class DirectoryLock {
 public:
  // Throws std::runtime_error naming the holder (pid, host, since when) when another live
  // process holds the same slice of the directory.
  DirectoryLock(const RunDirectory& dir, const PartSlice& slice);
  ~DirectoryLock();
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

 private:
  int fd_ = -1;
};

struct Collected {
  std::vector<std::optional<ScenarioRecord>> latest;  // [design row]
  std::size_t files = 0, rows = 0, unmarked_rows = 0;
  std::vector<std::string> warnings;  // unreadable part files, foreign ids
};

// Reads every part file; keeps per design row the attempt with the highest number.
// Part files written for another config hash are an error (std::runtime_error).
Collected collect_parts(const RunDirectory& dir, const ResultsContent& plan);

struct Todo {
  std::size_t row = 0;  // design row
  int attempt = 1;      // attempt number to run
};

// Rows in [begin, end) without a final answer: never solved, or a retryable failure
// with fewer than max_attempts attempts.
std::vector<Todo> pending_rows(const Collected& c, std::size_t begin, std::size_t end, int max_attempts);

struct MergeSummary {
  // ok: within limits; violating: solved, but the model's limits cannot be held (status
  // infeasible: the answer a hosting-capacity study looks for); failed: no answer.
  std::size_t scenarios = 0, ok = 0, violating = 0, failed = 0, missing = 0;
  Collected collected;
};

// Collects the parts and rewrites results.h5 with every scenario's latest attempt.
MergeSummary merge_results(const RunDirectory& dir);

}  // namespace evs::results
