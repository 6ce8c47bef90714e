// The corpus of bad files (tests/bad_corpus.hpp): every one must give an InputError that names
// the file, the line (where there is one) and what is wrong; none may crash.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "data/grid_network.hpp"
#include "io/matpower.hpp"
#include "io/tntp.hpp"
#include "bad_corpus.hpp"
#include "test_support.hpp"

using namespace evs;

namespace {

struct BadCase {
  const char* file;
  int line;              // expected line, 0 = whole file
  const char* contains;  // expected fragment of the message
};

std::string bad(const char* f) { return test::bad_corpus_dir() + "/" + f; }

void expect_error(const BadCase& c, const std::function<void(const std::string&)>& read) {
  SCOPED_TRACE(c.file);
  try {
    read(bad(c.file));
    ADD_FAILURE() << c.file << " was accepted";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(c.file), std::string::npos) << what;
    EXPECT_EQ(e.where().line, c.line) << what;
    EXPECT_NE(what.find(c.contains), std::string::npos) << what;
  }
}

}  // namespace

class BadMatpower : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadMatpower, GivesAClearError) {
  expect_error(GetParam(), [](const std::string& p) { build_grid_network(read_matpower_case(p)); });
}

INSTANTIATE_TEST_SUITE_P(
    Corpus, BadMatpower,
    ::testing::Values(BadCase{"truncated.m", 65, "never closed"},
                      BadCase{"missing_column.m", 26, "row has 12 columns, expected 13"},
                      BadCase{"unknown_bus.m", 82, "unknown or isolated bus 99"},
                      BadCase{"nan_load.m", 28, "Pd: is NaN"},
                      BadCase{"disconnected.m", 39, "not connected to the reference bus"},
                      BadCase{"no_slack.m", 0, "no reference bus"},
                      BadCase{"bad_number.m", 30, "malformed number"},
                      BadCase{"version1.m", 13, "version '1' is not supported"},
                      BadCase{"unsupported.m", 125, "unknown name"},
                      BadCase{"negative_resistance.m", 67, "negative resistance"},
                      BadCase{"zero_impedance.m", 67, "zero impedance"},
                      BadCase{"empty.m", 0, "missing"},
                      BadCase{"no_bus.m", 86, "mpc.bus is used before it is defined"},
                      BadCase{"bad_status.m", 102, "branch status must be 0 or 1"},
                      BadCase{"duplicate_bus.m", 54, "duplicate bus number 32"}));

class BadTntp : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadTntp, GivesAClearError) {
  expect_error(GetParam(), [](const std::string& p) {
    if (p.find("trips_") != std::string::npos) {
      const auto net = read_tntp_network(test::source_path("data/traffic/NguyenDupuis/NguyenDupuis_net.tntp"));
      validate_demand(net, read_tntp_trips(p));
    } else {
      read_tntp_network(p);
    }
  });
}

INSTANTIATE_TEST_SUITE_P(
    Corpus, BadTntp,
    ::testing::Values(BadCase{"net_truncated.tntp", 0, "header says 19 links, file has 6"},
                      BadCase{"net_missing_column.tntp", 13, "missing column"},
                      BadCase{"net_negative_capacity.tntp", 17, "capacity must be a positive number"},
                      BadCase{"net_zero_capacity.tntp", 17, "capacity must be a positive number"},
                      BadCase{"net_nan_capacity.tntp", 17, "capacity: is NaN"},
                      BadCase{"net_unknown_node.tntp", 27, "node 99 outside 1..13"},
                      BadCase{"net_no_metadata_end.tntp", 9, "expected a metadata tag"},
                      BadCase{"net_not_number.tntp", 21, "length: not a number: 'nine'"},
                      BadCase{"trips_bad_zone.tntp", 7, "zone 7 outside 1..4"},
                      BadCase{"trips_malformed.tntp", 7, "expected 'dest : flow;'"},
                      BadCase{"trips_negative.tntp", 16, "must be finite and not negative"},
                      BadCase{"trips_before_origin.tntp", 6, "before the first 'Origin'"}));

// Files from Windows editors start with a UTF-8 byte-order mark; a directory is not a case.
TEST(BadInputs, AByteOrderMarkIsAcceptedAndADirectoryIsNamed) {
  const auto dir = std::filesystem::temp_directory_path() / "evsweep-bom";
  std::filesystem::create_directories(dir);
  auto with_bom = [&](const std::string& source, const std::string& name) {
    std::ifstream in(test::source_path(source), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::ofstream out(dir / name, std::ios::binary);
    out << "\xEF\xBB\xBF" << ss.str();
    return (dir / name).string();
  };
  const GridCase plain = read_matpower_case(test::source_path("data/grid/case33bw.m"));
  const GridCase bom = read_matpower_case(with_bom("data/grid/case33bw.m", "case33bw.m"));
  EXPECT_EQ(bom.buses.size(), plain.buses.size());
  const RoadNetwork net = read_tntp_network(with_bom("data/traffic/SiouxFalls/SiouxFalls_net.tntp", "net.tntp"));
  EXPECT_EQ(net.num_nodes, 24);
  const OdMatrix trips = read_tntp_trips(with_bom("data/traffic/SiouxFalls/SiouxFalls_trips.tntp", "trips.tntp"));
  EXPECT_GT(trips.total_flow(), 0);
  try {
    read_matpower_case(dir.string());
    FAIL() << "a directory was read as a case";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("is a directory"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}
