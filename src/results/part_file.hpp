#pragma once
// Append-only part files: each rank of each run writes its finished attempts to its own
// serial HDF5 file, one row per attempt, flushed at least every flush_interval_s. Every
// row carries a validity mark written with it, so rows that never reached the disk
// (the file's tail after a SIGKILL) read as fill values and are skipped.
#include <memory>
#include <string>
#include <vector>

#include "core/timer.hpp"
#include "results/record.hpp"

namespace evs::results {

struct PartHeader {
  std::string config_hash;
  std::string run_tag;  // e.g. "run2-part1of4"
  int rank = 0;
  // The row layout. A part file records the metric and timing names and each series'
  // dataset name and size (units, meanings and labels are in results.h5).
  RowLayout layout;
};

class PartWriter {
 public:
  PartWriter(const std::string& path, const PartHeader& header, double flush_interval_s);
  ~PartWriter();  // flushes; never throws
  PartWriter(const PartWriter&) = delete;
  PartWriter& operator=(const PartWriter&) = delete;

  // Buffers the row; writes and flushes the buffer when flush_interval_s has passed.
  void add(const ScenarioRecord& record);
  void flush();
  std::size_t rows_written() const { return written_; }
  const std::string& path() const { return path_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string path_;
  std::vector<ScenarioRecord> pending_;
  std::size_t written_ = 0;
  double interval_;
  Stopwatch since_flush_;
};

struct PartContents {
  PartHeader header;
  std::vector<ScenarioRecord> rows;  // valid rows only
  std::size_t skipped = 0;           // rows without the validity mark
};

// Throws std::runtime_error naming the file when it is not a part file of this layout.
PartContents read_part(const std::string& path);

}  // namespace evs::results
