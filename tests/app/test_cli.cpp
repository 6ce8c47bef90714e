// The evsweep command line, run as a user would run it.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>

#include <unistd.h>

#include "bad_corpus.hpp"
#include "results/run_directory.hpp"
#include "test_support.hpp"

using namespace evs::test;

TEST(Cli, HelpExplainsTheCommands) {
  const auto r = run_command(evsweep("--help"));
  EXPECT_EQ(r.exit_code, 0);
  for (const char* word : {"pf", "validate", "options", "info", "--version"})
    EXPECT_NE(r.out.find(word), std::string::npos) << word;
  const auto pf = run_command(evsweep("pf --help"));
  EXPECT_EQ(pf.exit_code, 0);
  EXPECT_NE(pf.out.find("--method"), std::string::npos);
  EXPECT_NE(pf.out.find("Exit code"), std::string::npos);
}

TEST(Cli, VersionNamesTheCommit) {
  const auto r = run_command(evsweep("--version"));
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("evsweep 0."), std::string::npos);
  EXPECT_NE(r.out.find("git "), std::string::npos);
}

TEST(Cli, PowerFlowJson) {
  const auto r = run_command(evsweep("pf data/grid/case33bw.m --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::ordered_json::parse(r.out);
  EXPECT_TRUE(j["converged"].get<bool>());
  EXPECT_NEAR(j["loss_mw"].get<double>(), 0.202677, 5e-7);
  EXPECT_NEAR(j["loss_mvar"].get<double>(), 0.135141, 5e-7);
  EXPECT_NEAR(j["vmin_pu"].get<double>(), 0.91309, 5e-6);
  EXPECT_EQ(j["vmin_bus"].get<int>(), 18);
  EXPECT_EQ(j["vmax_bus"].get<int>(), 1);
  EXPECT_EQ(j["iterations"].get<int>(), 3);
  const auto& vm = j["vm_pu"];
  ASSERT_EQ(vm.size(), 33u);
  int expected = 1;
  for (auto it = vm.begin(); it != vm.end(); ++it) EXPECT_EQ(it.key(), std::to_string(expected++));
  EXPECT_NEAR(vm["18"].get<double>(), 0.91309, 5e-6);
}

TEST(Cli, SweepMethodText) {
  const auto r = run_command(evsweep("pf data/grid/case34sa.m --method sweep"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("217.010 kW"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("0.95555 pu at bus 27"), std::string::npos) << r.out;
}

TEST(Cli, BadCaseFileIsOneLineWithExitCode2) {
  const auto r = run_command(evsweep("pf " + bad_corpus_dir() + "/truncated.m"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find("truncated.m:65"), std::string::npos) << r.err;
  const auto missing = run_command(evsweep("pf /no/such/case.m"));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("cannot open file"), std::string::npos);
}

TEST(Cli, NonConvergenceExitsWith3) {
  const auto r = run_command(evsweep("pf data/grid/case33bw.m --max-iter 1"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("not_converged"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("NOT converged"), std::string::npos);
}

TEST(Cli, SweepOnMeshedOrPvNetworkIsAnInputError) {
  const auto r = run_command(evsweep("pf data/grid/case_ieee34.m --method sweep"));
  EXPECT_EQ(r.exit_code, 0) << r.err;  // radial with taps and charging: fine
}

TEST(Cli, UsageErrors) {
  EXPECT_NE(run_command(evsweep("")).exit_code, 0);
  EXPECT_NE(run_command(evsweep("pf")).exit_code, 0);
  EXPECT_NE(run_command(evsweep("pf data/grid/case33bw.m --method magic")).exit_code, 0);
  EXPECT_NE(run_command(evsweep("frobnicate")).exit_code, 0);
}

TEST(Cli, ValidateGoodAndBadStudies) {
  const auto good = run_command(evsweep("validate tests/data/studies/good.yaml"));
  EXPECT_EQ(good.exit_code, 0) << good.err;
  EXPECT_NE(good.out.find("valid study 'test-good'"), std::string::npos);
  const auto bad = run_command(evsweep("validate tests/data/studies/bad_station_bus.yaml"));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("2 problems"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("bad_station_bus.yaml:12: stations[1].bus"), std::string::npos) << bad.err;
  const auto defaults = run_command(evsweep("validate configs/default.yaml"));
  EXPECT_EQ(defaults.exit_code, 0) << defaults.err;
}

TEST(Cli, OptionsReference) {
  const auto text = run_command(evsweep("options"));
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("grid.vmin_pu  (number, pu)"), std::string::npos);
  const auto md = run_command(evsweep("options --markdown"));
  EXPECT_EQ(md.exit_code, 0);
  EXPECT_NE(md.out.find("| `traffic.theta` | number |"), std::string::npos);
}

// evsweep assign on data/traffic/<name>/<name>_{net,trips}.tntp with more arguments.
static CommandResult assign(const std::string& name, const std::string& args) {
  const std::string dir = "data/traffic/" + name + "/" + name;
  return run_command(evsweep("assign --net " + dir + "_net.tntp --trips " + dir + "_trips.tntp " + args));
}

TEST(Cli, AssignUeJsonMatchesTheReference) {
  const auto r = assign("NguyenDupuis", "--model ue --gap 1e-12 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["converged"].get<bool>());
  EXPECT_LE(j["gap"].get<double>(), 1e-12);
  EXPECT_NEAR(j["beckmann"].get<double>(), 66850.6748486, 1e-6);
  const auto flows = j["link_flow"].get<std::vector<double>>();
  ASSERT_EQ(flows.size(), 19u);
  EXPECT_NEAR(flows[3], 317.637445897508, 1e-6);  // 4 -> 9, file order
  EXPECT_GT(j["history"].size(), 0u);
  EXPECT_GE(j["time_s"].get<double>(), 0);
}

TEST(Cli, AssignUeBushMethod) {
  const auto r = assign("NguyenDupuis", "--method bush --gap 1e-12 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["method"].get<std::string>(), "bush");
  EXPECT_LE(j["gap"].get<double>(), 1e-12);
  EXPECT_NEAR(j["beckmann"].get<double>(), 66850.6748486, 1e-6);
  EXPECT_NEAR(j["link_flow"][3].get<double>(), 317.637445897508, 1e-6);
  EXPECT_GT(j["bush_links"].get<int>(), 0);
  EXPECT_FALSE(j.contains("paths"));
  EXPECT_TRUE(j["history"][0].contains("bush_links"));
  const auto text = assign("SiouxFalls", "--method bush");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("ue bush: converged"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Beckmann objective  4231335.287"), std::string::npos) << text.out;
  EXPECT_EQ(assign("SiouxFalls", "--method tree").exit_code, 2);
  const auto sue = assign("SiouxFalls", "--model sue --method bush");
  EXPECT_EQ(sue.exit_code, 2);
  EXPECT_NE(sue.err.find("needs --model ue"), std::string::npos) << sue.err;
}

TEST(Cli, AssignSueText) {
  const auto r = assign("SiouxFalls", "");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Beckmann objective  4231335.287"), std::string::npos) << r.out;  // 10 significant digits
  const auto sue = assign("NguyenDupuis", "--model sue --theta 1 --rule sra --json");
  ASSERT_EQ(sue.exit_code, 0) << sue.err;
  const auto j = nlohmann::json::parse(sue.out);
  EXPECT_LE(j["residual"].get<double>(), 1e-8);
  EXPECT_NEAR(j["link_flow"][0].get<double>(), 831.953456863020, 1e-3);
}

TEST(Cli, AssignBadInputAndIterationLimit) {
  const auto bad = run_command(evsweep("assign --net " + bad_corpus_dir() + "/net_zero_capacity.tntp --trips "
                                       "data/traffic/NguyenDupuis/NguyenDupuis_trips.tntp"));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("net_zero_capacity.tntp:17: capacity"), std::string::npos) << bad.err;
  const auto zone = run_command(evsweep("assign --net data/traffic/NguyenDupuis/NguyenDupuis_net.tntp --trips " +
                                        bad_corpus_dir() + "/trips_bad_zone.tntp"));
  EXPECT_EQ(zone.exit_code, 2);
  const auto limit = assign("NguyenDupuis", "--model sue --rule msa --max-iter 10");
  EXPECT_EQ(limit.exit_code, 3);
  EXPECT_NE(limit.out.find("NOT converged"), std::string::npos);
}

TEST(Cli, DispatchTheDefaultStudy) {
  const auto r = run_command(evsweep("dispatch configs/default.yaml --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"status", "objective", "loss_mwh", "vmin_pu", "vmin_bus", "vmax_pu", "max_line_loading",
                          "max_relaxation_gap", "ac_check_max_dv_pu", "iterations", "solve_s"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["status"], "ok");
  EXPECT_EQ(j["linear_solver"], "ldl");
  EXPECT_LE(j["max_relaxation_gap"].get<double>(), 1e-6);
  EXPECT_LE(j["ac_check_max_dv_pu"].get<double>(), 1e-4);
  const auto exact = run_command(evsweep("dispatch configs/default.yaml --formulation exact --json"));
  ASSERT_EQ(exact.exit_code, 0) << exact.err;
  const auto je = nlohmann::json::parse(exact.out);
  EXPECT_NEAR(je["cost"].get<double>(), j["cost"].get<double>(), 1e-6 * j["cost"].get<double>());
  const auto beyond = run_command(evsweep("dispatch configs/default.yaml --scenario 5000"));
  EXPECT_EQ(beyond.exit_code, 2);
  EXPECT_NE(beyond.err.find("has 1792 scenarios"), std::string::npos) << beyond.err;
  const auto bad = run_command(evsweep("dispatch tests/data/studies/bad_station_bus.yaml"));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("stations[1].bus"), std::string::npos) << bad.err;
}

TEST(Cli, SweepCommandsRefuseBadInputWithClearErrors) {
  const std::string study = "tests/data/sweep/traffic_morris.yaml";
  const std::string dir = (std::filesystem::temp_directory_path() / "evsweep-cli-sweep").string();
  std::filesystem::remove_all(dir);
  auto r = run_command(evsweep("run " + study + " -o " + dir + " --part 3/2"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--part '3/2': expected i/n with 1 <= i <= n"), std::string::npos) << r.err;

  r = run_command(evsweep("run " + study + " -o " + dir + " -q"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("42 scenarios: 42 ok, 0 violating limits, 0 failed, 0 missing"), std::string::npos) << r.out;
  r = run_command(evsweep("run " + study + " -o " + dir + " -q"));  // again, without --resume
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("already holds results of an earlier run"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--resume"), std::string::npos) << r.err;
  r = run_command(evsweep("run " + study + " -o " + dir + " -q --resume"));  // nothing left to do
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("solved 0 of 0 scenarios"), std::string::npos) << r.out;

  r = run_command(evsweep("run tests/data/sweep/traffic_saltelli.yaml -o " + dir + " -q"));  // another study
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("belongs to another study or an edited one"), std::string::npos) << r.err;
  r = run_command(evsweep("plan tests/data/sweep/traffic_saltelli.yaml -o " + dir));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("belongs to another study"), std::string::npos) << r.err;

  r = run_command(evsweep("merge " + dir + "/parts"));  // not a results directory
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("does not exist: not a results directory"), std::string::npos) << r.err;
  r = run_command(evsweep("run tests/data/studies/bad_parameter.yaml -o " + dir));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad_parameter.yaml:8: sweep.parameters[0].name"), std::string::npos) << r.err;
}

TEST(Cli, ASecondRunOnADirectoryInUseIsRefusedNamingTheHolder) {
  const std::string study = "tests/data/sweep/traffic_morris.yaml";
  const std::string dir = (std::filesystem::temp_directory_path() / "evsweep-cli-lock").string();
  std::filesystem::remove_all(dir);
  {
    const evs::results::DirectoryLock held(evs::results::RunDirectory(dir), {});  // as a running sweep holds it
    const auto r = run_command(evsweep("run " + study + " -o " + dir + " -q"));
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.err.find("is in use by evsweep run, pid " + std::to_string(getpid())), std::string::npos) << r.err;
  }
  const auto r = run_command(evsweep("run " + study + " -o " + dir + " -q"));  // the holder has ended
  EXPECT_EQ(r.exit_code, 0) << r.err;
}
