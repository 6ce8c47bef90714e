#include "config/schema.hpp"

#include <cstdio>

#include "core/text.hpp"

namespace evs::config {

int line_of(const YAML::Node& node) {
  const auto mark = node.Mark();
  return mark.line >= 0 ? mark.line + 1 : 0;
}

void ParseContext::error(const YAML::Node& node, const std::string& key, const std::string& message) {
  error_at(line_of(node), key, message);
}

void ParseContext::error_at(int line, const std::string& key, const std::string& message) {
  std::string where = file;
  if (line > 0) where += ":" + std::to_string(line);
  errors.push_back(where + ": " + key + ": " + message);
}

void ParseContext::error_key(const std::string& key, const std::string& message) {
  std::string k = key;
  for (;;) {
    if (auto it = key_lines.find(k); it != key_lines.end()) return error_at(it->second, key, message);
    const size_t cut = k.find_last_of(".[");
    if (cut == std::string::npos) return error_at(0, key, message);
    k = k.substr(0, cut);
  }
}

std::string format_number(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return buf;
}

namespace detail {

std::string bounds_text(double lo, double hi) { return "[" + format_number(lo) + ", " + format_number(hi) + "]"; }

std::optional<double> read_number(const YAML::Node& n, ParseContext& ctx, const std::string& key, double lo,
                                  double hi) {
  if (!n.IsScalar()) {
    ctx.error(n, key, "expected a number");
    return std::nullopt;
  }
  auto v = parse_double(n.Scalar());
  if (!v) {
    double d = 0;
    if (YAML::convert<double>::decode(n, d)) v = d;  // .inf, .nan spellings
  }
  if (!v) {
    ctx.error(n, key, "expected a number, got '" + n.Scalar() + "'");
    return std::nullopt;
  }
  if (std::isnan(*v)) {
    ctx.error(n, key, "NaN is not allowed");
    return std::nullopt;
  }
  if (*v < lo || *v > hi) {
    ctx.error(n, key, "value " + format_number(*v) + " is outside " + bounds_text(lo, hi));
    return std::nullopt;
  }
  return v;
}

std::optional<long long> read_integer(const YAML::Node& n, ParseContext& ctx, const std::string& key, long long lo,
                                      long long hi) {
  if (!n.IsScalar()) {
    ctx.error(n, key, "expected an integer");
    return std::nullopt;
  }
  auto v = parse_integer(n.Scalar());
  if (!v) {
    ctx.error(n, key, "expected an integer, got '" + n.Scalar() + "'");
    return std::nullopt;
  }
  if (*v < lo || *v > hi) {
    ctx.error(n, key, "value " + std::to_string(*v) + " is outside [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return std::nullopt;
  }
  return v;
}

std::optional<std::string> read_string(const YAML::Node& n, ParseContext& ctx, const std::string& key) {
  if (!n.IsScalar()) {
    ctx.error(n, key, "expected a single value (text)");
    return std::nullopt;
  }
  return n.Scalar();
}

std::string suggestion(const std::string& key, const std::vector<std::string>& known) {
  size_t best = 3;
  std::string hit;
  for (const auto& k : known) {
    const size_t d = edit_distance(key, k);
    if (d < best) {
      best = d;
      hit = k;
    }
  }
  return hit.empty() ? "" : " (did you mean '" + hit + "'?)";
}

}  // namespace detail

std::string format_reference_text(const std::vector<OptionDoc>& docs) {
  std::string out;
  for (const auto& d : docs) {
    out += d.key + "  (" + d.kind;
    if (!d.unit.empty()) out += ", " + d.unit;
    out += ")\n    " + d.meaning + "\n";
    if (d.kind != "section" && d.kind != "list") {
      out += "    default: " + d.default_text;
      if (!d.bounds.empty()) out += "   allowed: " + d.bounds;
      out += "\n";
    }
  }
  return out;
}

std::string format_reference_markdown(const std::vector<OptionDoc>& docs) {
  std::string out =
      "| key | kind | unit | default | allowed | meaning |\n"
      "|---|---|---|---|---|---|\n";
  auto esc = [](std::string s) {
    std::string r;
    for (char c : s) r += c == '|' ? std::string("\\|") : std::string(1, c);
    return r;
  };
  for (const auto& d : docs) {
    const bool group = d.kind == "section" || d.kind == "list";
    out += "| `" + d.key + "` | " + d.kind + " | " + esc(d.unit) + " | " + (group ? "" : esc(d.default_text)) + " | " +
           esc(d.bounds) + " | " + esc(d.meaning) + " |\n";
  }
  return out;
}

}  // namespace evs::config
