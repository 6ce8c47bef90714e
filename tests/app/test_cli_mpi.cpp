// evsweep under mpirun: every rank must see the real MPI (trap 1 in docs/building.md).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>
#include <sstream>

#include "test_support.hpp"

using namespace evs::test;

TEST(CliMpi, TwoRanksSeeTwoRanks) {
  const auto r = run_command(mpiexec(2) + evsweep("info --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line;
  std::set<int> ranks;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    const auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j["size"].get<int>(), 2) << line;
    EXPECT_EQ(j["launcher_size"].get<int>(), 2) << line;
    ranks.insert(j["rank"].get<int>());
  }
  EXPECT_EQ(ranks, (std::set<int>{0, 1}));
}

TEST(CliMpi, LinkOrderPutsMpiBeforeIpoptsMumps) {
  const auto r = run_command("readelf -d " + std::string(EVSWEEP_BINARY));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto mpi = r.out.find("[libmpi.so");
  ASSERT_NE(mpi, std::string::npos) << r.out;
  for (const char* lib : {"[libipopt.so", "[libdmumps_seq", "[libmpiseq"}) {
    const auto at = r.out.find(lib);
    if (at != std::string::npos) EXPECT_LT(mpi, at) << lib << " is loaded before libmpi";
  }
}
