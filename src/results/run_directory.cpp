#include "results/run_directory.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <regex>
#include <stdexcept>

#include "core/status.hpp"
#include "results/part_file.hpp"

namespace evs::results {

namespace fs = std::filesystem;

PartSlice parse_part(const std::string& text) {
  PartSlice s;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%d/%d%c", &s.index, &s.count, &tail) != 2 || s.count < 1 || s.index < 1 ||
      s.index > s.count)
    throw std::invalid_argument("--part '" + text + "': expected i/n with 1 <= i <= n, e.g. --part 2/8");
  return s;
}

std::vector<std::string> RunDirectory::part_files() const {
  std::vector<std::string> out;
  if (!fs::is_directory(parts_dir())) return out;
  for (const auto& e : fs::directory_iterator(parts_dir()))
    if (e.is_regular_file() && e.path().extension() == ".h5") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

int RunDirectory::next_run_index() const {
  static const std::regex name(R"(r(\d+)-.*\.h5)");
  int best = 0;
  for (const auto& f : part_files()) {
    std::smatch m;
    const std::string base = fs::path(f).filename().string();
    if (std::regex_match(base, m, name)) best = std::max(best, std::stoi(m[1]));
  }
  return best + 1;
}

std::string RunDirectory::part_path(int run, const PartSlice& slice, int rank) const {
  char buf[64];
  std::snprintf(buf, sizeof buf, "r%03d-%s-rank%05d.h5", run, slice.label().c_str(), rank);
  return parts_dir() + "/" + buf;
}

void RunDirectory::create() const {
  std::error_code ec;
  fs::create_directories(parts_dir(), ec);
  if (ec) throw std::runtime_error("cannot create " + parts_dir() + ": " + ec.message());
}

DirectoryLock::DirectoryLock(const RunDirectory& dir, const PartSlice& slice) {
  dir.create();
  const std::string path = dir.path() + "/.lock-" + slice.label();
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    char holder[256] = {0};
    const ssize_t n = ::pread(fd_, holder, sizeof holder - 1, 0);
    ::close(fd_);
    fd_ = -1;
    if (err != EWOULDBLOCK) throw std::runtime_error("cannot lock " + path + ": " + std::strerror(err));
    std::string who = n > 0 ? std::string(holder, static_cast<std::size_t>(n)) : std::string("another process");
    while (!who.empty() && (who.back() == '\n' || who.back() == ' ')) who.pop_back();
    throw std::runtime_error(dir.path() + (slice.count > 1 ? " (part " + std::to_string(slice.index) + "/" +
                                                                 std::to_string(slice.count) + ")"
                                                           : std::string()) +
                             " is in use by " + who +
                             "; wait for that run to end (or stop it), or choose another output directory (-o)");
  }
  char host[128] = {0};
  ::gethostname(host, sizeof host - 1);
  const std::string me = "evsweep run, pid " + std::to_string(::getpid()) + " on " + host + ", since " + utc_now() + "\n";
  if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, me.data(), me.size(), 0) < 0) {
    // The lock holds without the note; only the message of a refused run is poorer.
  }
}

DirectoryLock::~DirectoryLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the flock
}

Collected collect_parts(const RunDirectory& dir, const ResultsContent& plan) {
  Collected c;
  c.latest.resize(plan.design.size());
  std::map<std::uint64_t, std::size_t> row_of;
  for (std::size_t i = 0; i < plan.design.ids.size(); ++i) row_of[plan.design.ids[i]] = i;
  for (const auto& f : dir.part_files()) {
    PartContents part;
    try {
      part = read_part(f);
    } catch (const std::exception& e) {
      // A part file created but never flushed (killed at once) holds nothing to keep.
      c.warnings.push_back(std::string(e.what()) + " (skipped)");
      continue;
    }
    if (part.header.config_hash != plan.provenance.config_hash)
      throw std::runtime_error(f + " was written for another version of the study (config hash " +
                               part.header.config_hash + ", results.h5 has " + plan.provenance.config_hash +
                               "); use a new output directory");
    if (!same_columns(part.header.layout, plan.layout))
      throw std::runtime_error(f + " has other columns than results.h5 (written by another evsweep version or kind: " +
                               part.header.layout.study_kind + "); merge it with that version or use a new output "
                               "directory");
    ++c.files;
    c.unmarked_rows += part.skipped;
    for (auto& r : part.rows) {
      auto it = row_of.find(r.id);
      if (it == row_of.end()) {
        c.warnings.push_back(f + ": scenario id " + std::to_string(r.id) + " is not in the design (ignored)");
        continue;
      }
      ++c.rows;
      auto& slot = c.latest[it->second];
      if (!slot || r.attempt > slot->attempt) slot = std::move(r);
    }
  }
  return c;
}

std::vector<Todo> pending_rows(const Collected& c, std::size_t begin, std::size_t end, int max_attempts) {
  std::vector<Todo> out;
  for (std::size_t i = begin; i < end && i < c.latest.size(); ++i) {
    const auto& r = c.latest[i];
    if (!r)
      out.push_back({i, 1});
    else if (retryable(r->status) && r->attempt < max_attempts)
      out.push_back({i, r->attempt + 1});
  }
  return out;
}

MergeSummary merge_results(const RunDirectory& dir) {
  MergeSummary s;
  ResultsContent content = read_plan(dir.results_path());
  s.collected = collect_parts(dir, content);
  content.records = s.collected.latest;
  s.scenarios = content.records.size();
  for (const auto& r : content.records) {
    if (!r)
      ++s.missing;
    else if (r->status == 0)
      ++s.ok;
    else if (r->status == static_cast<int>(StatusCode::infeasible))
      ++s.violating;
    else
      ++s.failed;
  }
  write_results(dir.results_path(), content);
  return s;
}

}  // namespace evs::results
