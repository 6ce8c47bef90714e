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

// Writes a trip table that read_tntp_trips reads back unchanged (flows with 12 significant
// digits, one 'Origin' block per origin with flows; `comment` lines go after the metadata as
// '~' comments). format_tntp_trips returns the text. write_tntp_trips throws InputError
// naming the path when it cannot be written.
std::string format_tntp_trips(const OdMatrix& od, const std::vector<std::string>& comment = {});
void write_tntp_trips(const std::string& path, const OdMatrix& od, const std::vector<std::string>& comment = {});

// The same from text in memory; `source_name` is used in messages.
RoadNetwork parse_tntp_network(const std::string& text, const std::string& source_name);
OdMatrix parse_tntp_trips(const std::string& text, const std::string& source_name);
std::vector<LinkFlowRecord> parse_tntp_flows(const std::string& text, const std::string& source_name);

}  // namespace evs
