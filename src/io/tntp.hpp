#pragma once
// Readers for TNTP files (the TransportationNetworks format): metadata tags, '~' comments,
// ';' terminators. Throw InputError naming file, line and field. See docs/input-formats.md.
#include <string>
#include <vector>

#include "data/road_network.hpp"

namespace evs {

RoadNetwork read_tntp_network(const std::string& path);             // *_net.tntp, validated
OdMatrix read_tntp_trips(const std::string& path);                  // *_trips.tntp
std::vector<LinkFlowRecord> read_tntp_flows(const std::string& path);  // *_flow.tntp

// The same from text in memory; `source_name` is used in messages.
RoadNetwork parse_tntp_network(const std::string& text, const std::string& source_name);
OdMatrix parse_tntp_trips(const std::string& text, const std::string& source_name);
std::vector<LinkFlowRecord> parse_tntp_flows(const std::string& text, const std::string& source_name);

}  // namespace evs
