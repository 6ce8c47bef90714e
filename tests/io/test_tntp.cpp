#include <gtest/gtest.h>

#include "io/tntp.hpp"
#include "test_support.hpp"

using namespace evs;
using evs::test::source_path;

TEST(Tntp, ReadsNguyenDupuis) {
  const RoadNetwork net = read_tntp_network(source_path("data/traffic/NguyenDupuis/NguyenDupuis_net.tntp"));
  EXPECT_EQ(net.num_nodes, 13);
  EXPECT_EQ(net.num_zones, 4);
  EXPECT_EQ(net.first_thru_node, 5);
  ASSERT_EQ(net.links.size(), 19u);
  EXPECT_EQ(net.links[0].from_node, 1);
  EXPECT_EQ(net.links[0].to_node, 5);
  EXPECT_DOUBLE_EQ(net.links[0].capacity, 900);
  EXPECT_DOUBLE_EQ(net.links[18].free_flow_time, 11);
  EXPECT_DOUBLE_EQ(net.links[18].b, 0.15);
  EXPECT_DOUBLE_EQ(net.links[18].power, 4);
  EXPECT_EQ(net.find_link(13, 3), 18);
  const OdMatrix od = read_tntp_trips(source_path("data/traffic/NguyenDupuis/NguyenDupuis_trips.tntp"));
  ASSERT_EQ(od.entries.size(), 4u);
  EXPECT_DOUBLE_EQ(od.total_flow(), 2000);
  EXPECT_EQ(od.entries[2].origin, 4);
  EXPECT_EQ(od.entries[2].destination, 2);
  EXPECT_DOUBLE_EQ(od.entries[2].flow, 600);
  EXPECT_NO_THROW(validate_demand(net, od));
}

TEST(Tntp, ReadsSiouxFalls) {
  const RoadNetwork net = read_tntp_network(source_path("data/traffic/SiouxFalls/SiouxFalls_net.tntp"));
  EXPECT_EQ(net.num_nodes, 24);
  EXPECT_EQ(net.links.size(), 76u);
  EXPECT_NEAR(net.links[0].capacity, 25900.20064, 1e-9);
  const OdMatrix od = read_tntp_trips(source_path("data/traffic/SiouxFalls/SiouxFalls_trips.tntp"));
  EXPECT_EQ(od.entries.size(), 528u);
  EXPECT_DOUBLE_EQ(od.total_flow(), 360600);
  EXPECT_DOUBLE_EQ(od.total_flow_declared, 360600);
  const auto flows = read_tntp_flows(source_path("data/traffic/SiouxFalls/SiouxFalls_flow.tntp"));
  ASSERT_EQ(flows.size(), 76u);
  EXPECT_NEAR(flows[0].volume, 4494.6576464564205, 1e-10);
  EXPECT_EQ(flows[75].from_node, 24);
}

TEST(Tntp, ReadsReferenceFlowsWithComments) {
  const auto flows = read_tntp_flows(source_path("data/traffic/NguyenDupuis/NguyenDupuis_flow_SUE_theta0.5.tntp"));
  ASSERT_EQ(flows.size(), 19u);
  EXPECT_NEAR(flows[0].volume, 837.750828394344, 1e-12);
}

TEST(Tntp, AcceptsRowsWithoutTerminatorOrLinkType) {
  const std::string text =
      "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 2\n<NUMBER OF LINKS> 2\n<END OF METADATA>\n"
      "1 2 100 1 1 0.15 4 0 0\n"
      "2 1 100 1 1 0.15 4 0 0 1 ;  ~ trailing comment\n";
  const RoadNetwork net = parse_tntp_network(text, "tiny.tntp");
  EXPECT_EQ(net.links.size(), 2u);
  EXPECT_EQ(net.links[1].line, 6);
}
