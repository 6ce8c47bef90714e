#include "io/tntp.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/text.hpp"

namespace evs {

namespace {

struct Line {
  int number;
  std::string_view text;  // comment removed, trimmed
};

// Splits into lines, drops '~' comments and blank lines.
std::vector<Line> data_lines(const std::string& text) {
  std::vector<Line> out;
  size_t start = 0;
  int number = 1;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    if (auto tilde = line.find('~'); tilde != std::string_view::npos) line = line.substr(0, tilde);
    line = trim(line);
    if (!line.empty()) out.push_back({number, line});
    if (end == text.size()) break;
    start = end + 1;
    ++number;
  }
  return out;
}

struct Metadata {
  std::map<std::string, std::pair<std::string, int>> tags;  // TAG -> (value, line)
  size_t body = 0;                                           // index of first line after END OF METADATA
};

Metadata read_metadata(const std::vector<Line>& lines, const std::string& file) {
  Metadata m;
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto& l = lines[i];
    if (l.text.front() != '<') {
      throw InputError({file, l.number, ""}, "expected a metadata tag like <NUMBER OF NODES> before <END OF METADATA>");
    }
    const size_t close = l.text.find('>');
    if (close == std::string_view::npos) throw InputError({file, l.number, ""}, "metadata tag is not closed with '>'");
    const std::string tag(trim(l.text.substr(1, close - 1)));
    if (tag == "END OF METADATA") {
      m.body = i + 1;
      return m;
    }
    m.tags[tag] = {std::string(trim(l.text.substr(close + 1))), l.number};
  }
  throw InputError({file, lines.empty() ? 0 : lines.back().number, "<END OF METADATA>"},
                   "missing (empty or truncated file?)");
}

int int_tag(const Metadata& m, const std::string& tag, const std::string& file, bool required, int fallback) {
  auto it = m.tags.find(tag);
  if (it == m.tags.end()) {
    if (required) throw InputError({file, 0, "<" + tag + ">"}, "missing metadata tag");
    return fallback;
  }
  auto v = parse_integer(split_any(it->second.first, " \t").empty() ? "" : split_any(it->second.first, " \t")[0]);
  if (!v || *v < 0) throw InputError({file, it->second.second, "<" + tag + ">"}, "must be a non-negative integer");
  return static_cast<int>(*v);
}

double real_tag(const Metadata& m, const std::string& tag, const std::string& file, double fallback) {
  auto it = m.tags.find(tag);
  if (it == m.tags.end()) return fallback;
  auto v = parse_double(it->second.first);
  if (!v || !std::isfinite(*v)) throw InputError({file, it->second.second, "<" + tag + ">"}, "must be a number");
  return *v;
}

std::string_view strip_terminator(std::string_view s) {
  s = trim(s);
  if (!s.empty() && s.back() == ';') s.remove_suffix(1);
  return trim(s);
}

double number(std::string_view token, const std::string& file, int line, const char* field) {
  auto v = parse_double(token);
  if (!v) throw InputError({file, line, field}, "not a number: '" + std::string(token) + "'");
  if (std::isnan(*v)) throw InputError({file, line, field}, "is NaN");
  return *v;
}

int node(std::string_view token, const std::string& file, int line, const char* field) {
  auto v = parse_integer(token);
  if (!v) throw InputError({file, line, field}, "not an integer node number: '" + std::string(token) + "'");
  return static_cast<int>(*v);
}

}  // namespace

RoadNetwork parse_tntp_network(const std::string& text, const std::string& file) {
  const auto lines = data_lines(text);
  const Metadata meta = read_metadata(lines, file);
  RoadNetwork net;
  net.source_file = file;
  net.num_zones = int_tag(meta, "NUMBER OF ZONES", file, true, 0);
  net.num_nodes = int_tag(meta, "NUMBER OF NODES", file, true, 0);
  net.num_links = int_tag(meta, "NUMBER OF LINKS", file, true, 0);
  net.first_thru_node = int_tag(meta, "FIRST THRU NODE", file, false, 1);
  net.toll_factor = real_tag(meta, "TOLL FACTOR", file, 0);
  net.distance_factor = real_tag(meta, "DISTANCE FACTOR", file, 0);
  static const char* fields[] = {"init_node", "term_node", "capacity", "length", "free_flow_time",
                                 "b",         "power",     "speed",    "toll",   "link_type"};
  for (size_t i = meta.body; i < lines.size(); ++i) {
    const auto& l = lines[i];
    const auto tok = split_any(strip_terminator(l.text), " \t,");
    if (tok.size() < 9)
      throw InputError({file, l.number, fields[tok.size()]},
                       "missing column (a link row needs init_node term_node capacity length free_flow_time b power "
                       "speed toll [link_type])");
    if (tok.size() > 10) throw InputError({file, l.number, ""}, "too many columns (" + std::to_string(tok.size()) + ")");
    RoadLink link;
    link.line = l.number;
    link.from_node = node(tok[0], file, l.number, fields[0]);
    link.to_node = node(tok[1], file, l.number, fields[1]);
    link.capacity = number(tok[2], file, l.number, fields[2]);
    link.length = number(tok[3], file, l.number, fields[3]);
    link.free_flow_time = number(tok[4], file, l.number, fields[4]);
    link.b = number(tok[5], file, l.number, fields[5]);
    link.power = number(tok[6], file, l.number, fields[6]);
    link.speed = number(tok[7], file, l.number, fields[7]);
    link.toll = number(tok[8], file, l.number, fields[8]);
    link.link_type = tok.size() > 9 ? static_cast<int>(number(tok[9], file, l.number, fields[9])) : 1;
    net.links.push_back(link);
  }
  validate_road_network(net);
  return net;
}

OdMatrix parse_tntp_trips(const std::string& text, const std::string& file) {
  const auto lines = data_lines(text);
  const Metadata meta = read_metadata(lines, file);
  OdMatrix od;
  od.source_file = file;
  od.num_zones = int_tag(meta, "NUMBER OF ZONES", file, true, 0);
  od.total_flow_declared = real_tag(meta, "TOTAL OD FLOW", file, 0);
  int origin = 0;
  for (size_t i = meta.body; i < lines.size(); ++i) {
    const auto& l = lines[i];
    if (starts_with_ci(l.text, "origin")) {
      const auto tok = split_any(l.text.substr(6), " \t");
      if (tok.size() != 1) throw InputError({file, l.number, "Origin"}, "expected 'Origin <zone>'");
      origin = node(tok[0], file, l.number, "Origin");
      if (origin < 1 || origin > od.num_zones)
        throw InputError({file, l.number, "Origin"}, "zone " + std::to_string(origin) + " outside 1.." +
                                                         std::to_string(od.num_zones));
      continue;
    }
    if (origin == 0) throw InputError({file, l.number, "Origin"}, "destination entries before the first 'Origin'");
    for (auto entry : split_any(l.text, ";")) {
      entry = trim(entry);
      if (entry.empty()) continue;
      const size_t colon = entry.find(':');
      if (colon == std::string_view::npos)
        throw InputError({file, l.number, "destination"}, "expected 'dest : flow;', got '" + std::string(entry) + "'");
      const int dest = node(trim(entry.substr(0, colon)), file, l.number, "destination");
      const double flow = number(trim(entry.substr(colon + 1)), file, l.number, "flow");
      if (dest < 1 || dest > od.num_zones)
        throw InputError({file, l.number, "destination"}, "zone " + std::to_string(dest) + " outside 1.." +
                                                              std::to_string(od.num_zones));
      if (!std::isfinite(flow) || flow < 0)
        throw InputError({file, l.number, "flow"}, "OD flow must be finite and not negative");
      if (flow > 0 && dest != origin) od.entries.push_back({origin, dest, flow, l.number});
    }
  }
  return od;
}

std::vector<LinkFlowRecord> parse_tntp_flows(const std::string& text, const std::string& file) {
  std::vector<LinkFlowRecord> out;
  for (const auto& l : data_lines(text)) {
    const auto tok = split_any(strip_terminator(l.text), " \t,");
    if (!tok.empty() && !parse_double(tok[0])) continue;  // header "From To Volume Cost"
    if (tok.size() < 3) throw InputError({file, l.number, "Volume"}, "expected 'from to volume [cost]'");
    LinkFlowRecord r;
    r.line = l.number;
    r.from_node = node(tok[0], file, l.number, "From");
    r.to_node = node(tok[1], file, l.number, "To");
    r.volume = number(tok[2], file, l.number, "Volume");
    r.cost = tok.size() > 3 ? number(tok[3], file, l.number, "Cost") : 0;
    out.push_back(r);
  }
  return out;
}

RoadNetwork read_tntp_network(const std::string& path) { return parse_tntp_network(read_file_text(path), path); }
std::string format_tntp_trips(const OdMatrix& od, const std::vector<std::string>& comment) {
  std::map<int, std::vector<const OdEntry*>> by_origin;
  for (const auto& e : od.entries) by_origin[e.origin].push_back(&e);
  char buf[96];
  std::string out;
  out += "<NUMBER OF ZONES> " + std::to_string(od.num_zones) + "\n";
  std::snprintf(buf, sizeof buf, "<TOTAL OD FLOW> %.12g\n", od.total_flow());
  out += buf;
  out += "<END OF METADATA>\n";
  for (const auto& c : comment) out += "~ " + c + "\n";
  out += "\n";
  for (const auto& [origin, entries] : by_origin) {
    out += "\nOrigin \t" + std::to_string(origin) + "\n";
    int column = 0;
    for (const OdEntry* e : entries) {
      std::snprintf(buf, sizeof buf, "%5d : %.12g; ", e->destination, e->flow);
      out += buf;
      if (++column % 5 == 0) out += "\n";
    }
    if (column % 5 != 0) out += "\n";
  }
  return out;
}

void write_tntp_trips(const std::string& path, const OdMatrix& od, const std::vector<std::string>& comment) {
  const std::string text = format_tntp_trips(od, comment);
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw InputError({path, 0, ""}, std::string("cannot write: ") + std::strerror(errno));
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  if (std::fclose(f) != 0 || !ok) throw InputError({path, 0, ""}, std::string("write failed: ") + std::strerror(errno));
}

OdMatrix read_tntp_trips(const std::string& path) { return parse_tntp_trips(read_file_text(path), path); }
std::vector<LinkFlowRecord> read_tntp_flows(const std::string& path) {
  return parse_tntp_flows(read_file_text(path), path);
}

}  // namespace evs
