// OD estimation (issue 16): closed forms, recovery on Sioux Falls, speeds, bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "core/error.hpp"
#include "io/observations.hpp"
#include "io/tntp.hpp"
#include "test_support.hpp"
#include "traffic/od_estimation.hpp"
#include "traffic/ue.hpp"

using namespace evs;
using namespace evs::traffic;

namespace {

// A chain 1 -> 2 -> 3 -> 4 (and back), every node a zone that paths may pass through.
const char* kChain = R"(<NUMBER OF ZONES> 4
<NUMBER OF NODES> 4
<FIRST THRU NODE> 1
<NUMBER OF LINKS> 6
<END OF METADATA>
~ init term capacity length fft b power speed toll type ;
1 2 1000 1 1 0.15 4 0 0 1 ;
2 3 1000 1 1 0.15 4 0 0 1 ;
3 4 1000 1 1 0.15 4 0 0 1 ;
2 1 1000 1 1 0.15 4 0 0 1 ;
3 2 1000 1 1 0.15 4 0 0 1 ;
4 3 1000 1 1 0.15 4 0 0 1 ;
)";

LinkObservation counts(const RoadNetwork& road, int from, int to, std::vector<double> samples) {
  LinkObservation o;
  o.link = road.find_link(from, to);
  o.samples = std::move(samples);
  return o;
}

OdEstimationOptions ue_options() {
  OdEstimationOptions o;
  o.stochastic = false;
  return o;
}

}  // namespace

TEST(OdEstimation, OneLinkPoissonWithFixedPriorIsClosedForm) {
  // maximise S log O - N O + w (O0 log O - O): O = (S + w O0) / (N + w)
  const RoadNetwork road = parse_tntp_network(kChain, "chain");
  const TrafficNetwork net = build_traffic_network(road);
  auto o = ue_options();
  o.prior_weight = 2;
  o.prior_level_free = false;
  const auto est = estimate_od(net, {{0, 1}}, {50.0}, {counts(road, 1, 2, {90, 100, 110})}, o, "test");
  ASSERT_TRUE(est.status.ok()) << est.status.message;
  EXPECT_NEAR(est.demand[0], (300.0 + 2 * 50) / (3 + 2), 1e-7);
  // normal: N (O - ybar) / s^2 + w (O - O0) / O0 = 0 with s^2 = ybar = 100
  o.likelihood = OdLikelihood::normal;
  const auto n = estimate_od(net, {{0, 1}}, {50.0}, {counts(road, 1, 2, {90, 100, 110})}, o, "test");
  EXPECT_NEAR(n.demand[0], (3 * 100.0 / 100 + 2) / (3.0 / 100 + 2.0 / 50), 1e-7);
  // The Poisson log-likelihood with its constant: sum_n (y log v - v - lgamma(y + 1)).
  double l = 0;
  for (double y : {90.0, 100.0, 110.0}) l += y * std::log(80.0) - 80.0 - std::lgamma(y + 1);
  EXPECT_NEAR(est.log_likelihood_after, l, 1e-6);
}

TEST(OdEstimation, ThreePairsThreeLinksAreSolvedExactlyWithStandardErrors) {
  // v12 = O(1,2) + O(1,3); v23 = O(1,3) + O(2,4); v34 = O(2,4)
  const RoadNetwork road = parse_tntp_network(kChain, "chain");
  const TrafficNetwork net = build_traffic_network(road);
  const std::vector<OdPair> pairs = {{0, 1}, {0, 2}, {1, 3}};
  const std::vector<LinkObservation> obs = {counts(road, 1, 2, {300}), counts(road, 2, 3, {250}),
                                            counts(road, 3, 4, {100})};
  auto o = ue_options();
  const auto est = estimate_od(net, pairs, {}, obs, o, "test");
  ASSERT_TRUE(est.status.ok()) << est.status.message;
  EXPECT_NEAR(est.demand[0], 150, 1e-6);
  EXPECT_NEAR(est.demand[1], 150, 1e-6);
  EXPECT_NEAR(est.demand[2], 100, 1e-6);
  EXPECT_NEAR(est.rmse_after, 0, 1e-6);
  EXPECT_EQ(est.rank, 3);
  // Standard errors: the inverse of I = M' diag(1 / v) M, by hand (M upper bidiagonal).
  // M^-1 = [[1, -1, 1], [0, 1, -1], [0, 0, 1]]; Cov = M^-1 diag(v) M^-T.
  const double v[3] = {300, 250, 100};
  const double Minv[3][3] = {{1, -1, 1}, {0, 1, -1}, {0, 0, 1}};
  for (int r = 0; r < 3; ++r) {
    double var = 0;
    for (int a = 0; a < 3; ++a) var += Minv[r][a] * Minv[r][a] * v[a];
    EXPECT_TRUE(est.identified[r]);
    EXPECT_NEAR(est.std_error[r], std::sqrt(var), 1e-6 * std::sqrt(var)) << r;
  }
  // Observing only the middle link: rank 1, no pair identified (1->2 does not even use it).
  const auto half = estimate_od(net, pairs, {}, {counts(road, 2, 3, {250})}, o, "test");
  EXPECT_EQ(half.rank, 1);
  for (char c : half.identified) EXPECT_FALSE(c);
  EXPECT_NEAR(half.demand[1] + half.demand[2], 250, 1e-6);
}

namespace {

struct SiouxFalls {
  RoadNetwork road = read_tntp_network(test::source_path("data/traffic/SiouxFalls/SiouxFalls_net.tntp"));
  OdMatrix trips = read_tntp_trips(test::source_path("data/traffic/SiouxFalls/SiouxFalls_trips.tntp"));
  TrafficNetwork net = build_traffic_network(road);
  std::vector<double> flow;  // UE of the published trips

  SiouxFalls() {
    PathSet set;
    UeOptions o;
    o.gap = 1e-10;
    flow = solve_ue(net, demand_from_trips(trips), set, o, "trips").link_flow;
  }
};

const SiouxFalls& sioux_falls() {
  static const SiouxFalls s;
  return s;
}

}  // namespace

class Recovery : public ::testing::TestWithParam<int> {};  // observe every k-th link

TEST_P(Recovery, SiouxFallsTotalAndCountsFromAPriorAtHalfTheDemand) {
  const auto& sf = sioux_falls();
  std::mt19937_64 rng(16);
  std::vector<LinkObservation> obs;
  double mean_count = 0;
  for (int a = 0; a < sf.road.num_links; a += GetParam()) {
    std::poisson_distribution<long> noise(sf.flow[a]);
    obs.push_back({a, {static_cast<double>(noise(rng))}, std::numeric_limits<double>::infinity(), 0});
    mean_count += sf.flow[a];
  }
  mean_count /= obs.size();
  const auto pairs = all_zone_pairs(sf.net, sf.road.num_zones);
  std::vector<double> prior = prior_on_pairs(sf.trips, pairs);
  std::lognormal_distribution<double> scatter(0, 0.3);
  for (double& p : prior) p *= 0.5 * scatter(rng);
  const auto est = estimate_od(sf.net, pairs, prior, obs, ue_options(), "test");
  ASSERT_TRUE(est.status.ok()) << est.status.message;
  const double truth = sf.trips.total_flow();
  EXPECT_NEAR(est.total_after / truth, 1.0, GetParam() == 1 ? 0.03 : 0.05);
  EXPECT_LT(est.total_before / truth, 0.6) << est.total_before;
  // The count RMSE falls to the noise level (Poisson: sqrt of the mean count).
  EXPECT_GT(est.rmse_before, 20 * std::sqrt(mean_count));
  EXPECT_LT(est.rmse_after, 1.5 * std::sqrt(mean_count));
  EXPECT_GT(est.log_likelihood_after, est.log_likelihood_before);
  // 552 pairs, 76 or 38 links: under-determined, and the report says so pair by pair.
  EXPECT_EQ(est.rank, static_cast<int>(obs.size()));
  int identified = 0;
  for (char c : est.identified) identified += c;
  EXPECT_LT(identified, static_cast<int>(pairs.size()));
}

INSTANTIATE_TEST_SUITE_P(OdEstimation, Recovery, ::testing::Values(1, 2));

TEST(OdEstimation, SpeedsBelowFreeFlowGiveTheCountsBack) {
  const auto& sf = sioux_falls();
  std::vector<ObservationRecord> by_count, by_speed;
  for (int a = 0; a < sf.road.num_links; ++a) {
    const auto& L = sf.road.links[a];
    const double t = L.free_flow_time * (1 + L.b * std::pow(sf.flow[a] / L.capacity, L.power));
    by_count.push_back({1, L.from_node, L.to_node, false, sf.flow[a], a + 2, 4});
    by_speed.push_back({1, L.from_node, L.to_node, true, L.length / t * 60, a + 2, 4});  // km, minutes
  }
  const auto counted = observations_by_period(sf.road, by_count, {}, "counts.csv");
  const auto timed = observations_by_period(sf.road, by_speed, {}, "speeds.csv");
  ASSERT_EQ(timed.size(), 1u);
  ASSERT_EQ(timed[0].size(), counted[0].size());
  for (size_t i = 0; i < timed[0].size(); ++i) {
    ASSERT_EQ(timed[0][i].samples.size(), 1u);
    EXPECT_NEAR(timed[0][i].samples[0], counted[0][i].samples[0], 1e-6 * counted[0][i].samples[0]);
  }
  const auto pairs = all_zone_pairs(sf.net, sf.road.num_zones);
  auto prior = prior_on_pairs(sf.trips, pairs);
  for (double& p : prior) p *= 0.7;
  const auto a = estimate_od(sf.net, pairs, prior, counted[0], ue_options(), "counts");
  const auto b = estimate_od(sf.net, pairs, prior, timed[0], ue_options(), "speeds");
  // The estimates agree to the outer loop's tolerance (the samples differ in the 1e-9s; single
  // UE entries are not unique, their totals and link flows are).
  ASSERT_TRUE(a.status.ok() && b.status.ok());
  EXPECT_NEAR(a.total_after, b.total_after, 1e-4 * a.total_after);
  for (int l = 0; l < sf.road.num_links; ++l) EXPECT_NEAR(a.link_flow[l], b.link_flow[l], 1e-3 * a.link_flow[l]);
  // A speed at free flow (60 km/h here) bounds the flow from above only.
  const auto& L = sf.road.links[0];
  const auto free = observations_by_period(sf.road, {{1, L.from_node, L.to_node, true, 60, 2, 4}}, {}, "free.csv");
  EXPECT_TRUE(free[0][0].samples.empty());
  const double t59 = L.length / 59.0 * 60;
  EXPECT_NEAR(free[0][0].upper, L.capacity * std::pow((t59 / L.free_flow_time - 1) / L.b, 1 / L.power), 1e-6);
}

TEST(OdEstimation, BadObservationsNameFileLineAndColumn) {
  const RoadNetwork road = parse_tntp_network(kChain, "chain");
  auto message = [&](const std::string& csv) {
    try {
      observations_by_period(road, parse_link_observations(csv, "obs.csv"), {}, "obs.csv");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("period,init_node,term_node,count\n1,1,2,5\n1,1,4,5\n").find("obs.csv:3: init_node/term_node"),
            std::string::npos);
  EXPECT_NE(message("period,init_node,term_node,count\n1,1,2,-5\n").find("obs.csv:2: count (column 4)"),
            std::string::npos);
  EXPECT_NE(message("period,init_node,term_node,count\n1,1,2,5\n3,2,3,5\n").find("period 2 has no observations"),
            std::string::npos);
  EXPECT_NE(message("period,init_node,term_node,count\n1,1,2,x\n").find("obs.csv:2: count (column 4): 'x' is not"),
            std::string::npos);
  EXPECT_NE(message("period,init_node,count\n1,1,5\n").find("missing column(s): term_node"), std::string::npos);
  EXPECT_NE(message("period,init_node,term_node,count,speed_kmh\n1,1,2,5,40\n").find("both count and speed_kmh"),
            std::string::npos);
  // A speed on a link without a length.
  std::string no_length = kChain;
  no_length.replace(no_length.find("1 2 1000 1 1"), 12, "1 2 1000 0 1");
  const RoadNetwork bare = parse_tntp_network(no_length, "bare");
  try {
    observations_by_period(bare, parse_link_observations("period,init_node,term_node,speed_kmh\n1,1,2,80\n", "s.csv"),
                           {}, "s.csv");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("s.csv:2: speed_kmh (column 4): link 1 -> 2 has no length"), std::string::npos)
        << e.what();
  }
}

TEST(OdEstimation, CommandWritesTripsThatAssignReads) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("evsweep_od_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto& sf = sioux_falls();
  {
    std::ofstream f(dir / "obs.csv");
    f << "period,init_node,term_node,count\n";
    for (int p = 1; p <= 2; ++p)
      for (const auto& L : sf.road.links) f << p << "," << L.from_node << "," << L.to_node << ","
                                            << std::lround(sf.flow[sf.road.find_link(L.from_node, L.to_node)] * p / 2) << "\n";
  }
  const std::string net = test::source_path("data/traffic/SiouxFalls/SiouxFalls_net.tntp");
  const std::string trips = test::source_path("data/traffic/SiouxFalls/SiouxFalls_trips.tntp");
  const auto r = test::run_command(test::evsweep("estimate-od " + net + " --observations " + (dir / "obs.csv").string() +
                                                 " --prior " + trips + " --model ue -o " + (dir / "est.tntp").string() +
                                                 " --json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"status", "periods", "od_pairs", "observed_links", "log_likelihood", "count_rmse_before",
                          "count_rmse_after", "count_r2_after", "total_demand", "outer_iterations", "solve_s"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["periods"], 2);
  EXPECT_EQ(j["od_pairs"], 552);
  EXPECT_EQ(j["observed_links"], 76);
  // Period 2 is the published demand's counts: the estimate carries about the published total.
  const double p2 = j["per_period"][1]["total_demand"];
  EXPECT_NEAR(p2 / sf.trips.total_flow(), 1.0, 0.03);
  EXPECT_NEAR(j["per_period"][0]["total_demand"].get<double>() / p2, 0.5, 0.03);
  // The files are trip tables that assign reads; its flows are the estimate's fit.
  const auto back = read_tntp_trips((dir / "est_p2.tntp").string());
  EXPECT_NEAR(back.total_flow(), p2, 1e-6 * p2);
  const auto a = test::run_command(test::evsweep("assign --net " + net + " --trips " + (dir / "est_p2.tntp").string() +
                                                 " --json"));
  ASSERT_EQ(a.exit_code, 0) << a.err;
  // Bad input through the command: exit 2 and the file and line.
  {
    std::ofstream f(dir / "bad.csv");
    f << "period,init_node,term_node,count\n1,1,2,10\n1,1,99,4\n";
  }
  const auto bad = test::run_command(test::evsweep("estimate-od " + net + " --observations " +
                                                   (dir / "bad.csv").string() + " -o " + (dir / "x.tntp").string()));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("bad.csv:3"), std::string::npos) << bad.err;
  {  // a prior with an OD pair outside the network's zones
    std::ofstream f(dir / "prior.tntp");
    f << "<NUMBER OF ZONES> 30\n<END OF METADATA>\nOrigin 1\n 2 : 10.0; 3 : 5.0;\nOrigin 27\n 1 : 4.0;\n";
  }
  const auto prior = test::run_command(test::evsweep("estimate-od " + net + " --observations " +
                                                     (dir / "obs.csv").string() + " --prior " +
                                                     (dir / "prior.tntp").string() + " -o " + (dir / "x.tntp").string()));
  EXPECT_EQ(prior.exit_code, 2);
  EXPECT_NE(prior.err.find("prior.tntp"), std::string::npos) << prior.err;
  // The text report names the pairs the links do not identify.
  const auto text = test::run_command(test::evsweep("estimate-od " + net + " --observations " +
                                                    (dir / "obs.csv").string() + " --prior " + trips + " -o " +
                                                    (dir / "t.tntp").string()));
  EXPECT_NE(text.out.find("not identified by the links alone (552): 1->2, 1->3"), std::string::npos) << text.out;
  fs::remove_all(dir);
}

TEST(OdMle, MatchesScipyOnReducedCases) {
  // tests/traffic/od_mle_reference.py writes the cases out independently and minimises them
  // with scipy's L-BFGS-B; the projected Newton here must reach the same optimum.
  const auto py = test::run_command("/usr/bin/python3 " + test::source_path("tests/traffic/od_mle_reference.py"));
  ASSERT_EQ(py.exit_code, 0) << py.err;
  const auto j = nlohmann::json::parse(py.out);
  const auto shares = j["shares"].get<std::vector<std::vector<double>>>();
  const auto samples = j["samples"].get<std::vector<std::vector<double>>>();
  const auto prior = j["prior"].get<std::vector<double>>();
  for (const auto& c : j["cases"]) {
    ASSERT_TRUE(c["converged"].get<bool>());
    MleProblem p;
    p.num_pairs = static_cast<int>(prior.size());
    p.likelihood = c["likelihood"] == "poisson" ? OdLikelihood::poisson : OdLikelihood::normal;
    p.prior = prior;
    p.prior_weight = c["prior_weight"];
    p.prior_level_free = c["prior_level"] == "free";
    for (size_t a = 0; a < shares.size(); ++a) {
      MleRow row;
      for (size_t k = 0; k < shares[a].size(); ++k)
        if (shares[a][k] != 0) row.share.push_back({static_cast<int>(k), shares[a][k]});
      for (double y : samples[a]) row.sum += y;
      row.samples = static_cast<int>(samples[a].size());
      p.rows.push_back(row);
    }
    const MleResult r = maximise_likelihood(p, prior);
    ASSERT_TRUE(r.converged) << c["likelihood"] << " " << c["prior_level"];
    const double ref = c["objective"];
    EXPECT_LE(r.objective, ref + 1e-9 * std::fabs(ref)) << c["likelihood"] << " " << c["prior_level"];
    EXPECT_NEAR(r.objective, ref, 1e-9 * std::fabs(ref));
    const auto x = c["estimate"].get<std::vector<double>>();
    for (size_t k = 0; k < x.size(); ++k)
      EXPECT_NEAR(r.demand[k], x[k], 1e-4 * x[k]) << c["likelihood"] << " " << c["prior_level"] << " pair " << k;
  }
}
