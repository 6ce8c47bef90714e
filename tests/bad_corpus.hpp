#pragma once
// The corpus of bad input files, made from the shipped good files by one edit each, so the
// defect stands next to its name instead of inside a 125-line copy. write_bad_corpus()
// writes them all into a folder; readers and the CLI then read them like any user file.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace evs::test {

struct BadFileRecipe {
  const char* name;    // file written
  const char* source;  // good file it is made from (repository-relative)
  enum Kind { replace, cut_before, first_lines, erase_block, empty } kind;
  const char* a = "";  // replace: text to find; cut_before: marker; erase_block: block start
  const char* b = "";  // replace: replacement; erase_block: block end (erased too)
  int lines = 0;       // first_lines
};

inline const std::vector<BadFileRecipe>& bad_file_recipes() {
  static const char* c33 = "data/grid/case33bw.m";
  static const char* net = "data/traffic/NguyenDupuis/NguyenDupuis_net.tntp";
  static const char* trips = "data/traffic/NguyenDupuis/NguyenDupuis_trips.tntp";
  using R = BadFileRecipe;
  static const std::vector<R> r = {
      {"truncated.m", c33, R::cut_before, "\t8\t9\t1.0300"},
      {"missing_column.m", c33, R::replace, "\t5\t1\t60\t30\t0\t0\t1\t1\t0\t12.66\t1\t1.1\t0.9;",
       "\t5\t1\t60\t30\t0\t0\t1\t1\t0\t12.66\t1\t1.1;"},
      {"unknown_bus.m", c33, R::replace, "\t17\t18\t0.7320", "\t17\t99\t0.7320"},
      {"nan_load.m", c33, R::replace, "\t7\t1\t200\t100\t", "\t7\t1\tNaN\t100\t"},
      {"disconnected.m", c33, R::replace, "\t17\t18\t0.7320\t0.5740\t0\t0\t0\t0\t0\t0\t1",
       "\t17\t18\t0.7320\t0.5740\t0\t0\t0\t0\t0\t0\t0"},
      {"no_slack.m", c33, R::replace, "\t1\t3\t0\t0\t0\t0\t1\t1\t0\t12.66", "\t1\t1\t0\t0\t0\t0\t1\t1\t0\t12.66"},
      {"bad_number.m", c33, R::replace, "\t9\t1\t60\t20\t", "\t9\t1\t6.0.0\t20\t"},
      {"version1.m", c33, R::replace, "mpc.version = '2';", "mpc.version = '1';"},
      {"unsupported.m", c33, R::replace, "mpc.bus(:, [PD, QD]) = mpc.bus(:, [PD, QD]) / 1e3;",
       "mpc.bus(:, [PD, QD]) = scale_loads(mpc.bus(:, [PD, QD]));"},
      {"negative_resistance.m", c33, R::replace, "\t2\t3\t0.4930", "\t2\t3\t-0.4930"},
      {"zero_impedance.m", c33, R::replace, "\t2\t3\t0.4930\t0.2511", "\t2\t3\t0\t0"},
      {"empty.m", c33, R::empty},
      {"no_bus.m", c33, R::erase_block, "mpc.bus = [", "];"},
      {"bad_status.m", c33, R::replace, "\t25\t29\t0.5000\t0.5000\t0\t0\t0\t0\t0\t0\t0",
       "\t25\t29\t0.5000\t0.5000\t0\t0\t0\t0\t0\t0\t2"},
      {"duplicate_bus.m", c33, R::replace, "\t33\t1\t60\t40\t", "\t32\t1\t60\t40\t"},
      {"net_truncated.tntp", net, R::first_lines, "", "", 14},
      {"net_missing_column.tntp", net, R::replace, "\t5\t6\t600\t3\t3\t0.15\t4\t0\t0\t1\t;", "\t5\t6\t600\t3\t3\t0.15\t;"},
      {"net_negative_capacity.tntp", net, R::replace, "\t7\t8\t900\t5\t5", "\t7\t8\t-900\t5\t5"},
      {"net_zero_capacity.tntp", net, R::replace, "\t7\t8\t900\t5\t5", "\t7\t8\t0\t5\t5"},
      {"net_nan_capacity.tntp", net, R::replace, "\t7\t8\t900\t5\t5", "\t7\t8\tnan\t5\t5"},
      {"net_unknown_node.tntp", net, R::replace, "\t13\t3\t600", "\t13\t99\t600"},
      {"net_no_metadata_end.tntp", net, R::replace, "<END OF METADATA>", ""},
      {"net_not_number.tntp", net, R::replace, "\t9\t13\t600\t9\t9", "\t9\t13\t600\tnine\t9"},
      {"trips_bad_zone.tntp", trips, R::replace, "3 :      800.0", "7 :      800.0"},
      {"trips_malformed.tntp", trips, R::replace, "3 :      800.0;", "3       800.0;"},
      {"trips_negative.tntp", trips, R::replace, "600.0", "-600.0"},
      {"trips_before_origin.tntp", trips, R::replace, "Origin \t1 \n", ""},
  };
  return r;
}

inline std::string make_bad_file(const BadFileRecipe& r) {
  std::ifstream in(source_path(r.source), std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  auto need = [&](size_t at, const char* what) {
    if (at == std::string::npos) throw std::logic_error(std::string(r.name) + ": '" + what + "' not in " + r.source);
    return at;
  };
  switch (r.kind) {
    case BadFileRecipe::replace: {  // every occurrence, like Python's str.replace
      const std::string from = r.a, to = r.b;
      size_t at = need(text.find(from), r.a);
      for (; at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
      return text;
    }
    case BadFileRecipe::cut_before:
      return text.substr(0, need(text.find(r.a), r.a));
    case BadFileRecipe::first_lines: {
      size_t at = 0;
      for (int i = 0; i < r.lines; ++i) at = need(text.find('\n', at), "line") + 1;
      return text.substr(0, at - 1) + "\n";
    }
    case BadFileRecipe::erase_block: {
      const size_t from = need(text.find(r.a), r.a);
      const size_t to = need(text.find(r.b, from), r.b) + std::string(r.b).size();
      return text.erase(from, to - from);
    }
    case BadFileRecipe::empty:
      return "";
  }
  return text;
}

// Writes the whole corpus into `dir` (created) and returns it.
inline std::string write_bad_corpus(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  for (const auto& r : bad_file_recipes()) std::ofstream(dir / r.name, std::ios::binary) << make_bad_file(r);
  return dir.string();
}

// One corpus per test process, in the temporary folder, removed when the process ends.
inline const std::string& bad_corpus_dir() {
  struct Corpus {
    std::string dir = write_bad_corpus(std::filesystem::temp_directory_path() /
                                       ("evsweep_bad_corpus_" + std::to_string(::getpid())));
    ~Corpus() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  };
  static const Corpus corpus;
  return corpus.dir;
}

}  // namespace evs::test
