#include "core/text.hpp"

#include <filesystem>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include "core/error.hpp"

namespace evs {

std::string_view trim(std::string_view s) {
  const auto is_space = [](unsigned char c) { return std::isspace(c) != 0; };
  while (!s.empty() && is_space(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && is_space(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  return true;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string_view> split_any(std::string_view s, std::string_view delimiters) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && delimiters.find(s[i]) != std::string_view::npos) ++i;
    size_t j = i;
    while (j < s.size() && delimiters.find(s[j]) == std::string_view::npos) ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::optional<double> parse_double(std::string_view token) {
  token = trim(token);
  if (token.empty()) return std::nullopt;
  std::string lower = to_lower(token);
  if (lower == "inf" || lower == "+inf") return std::numeric_limits<double>::infinity();
  if (lower == "-inf") return -std::numeric_limits<double>::infinity();
  if (lower == "nan") return std::numeric_limits<double>::quiet_NaN();
  // MATLAB/Fortran exponents may use d or D.
  for (auto& c : lower)
    if (c == 'd') c = 'e';
  const char* begin = lower.c_str();
  if (*begin == '+') ++begin;
  double value = 0;
  auto [ptr, ec] = std::from_chars(begin, lower.c_str() + lower.size(), value);
  if (ec != std::errc() || ptr != lower.c_str() + lower.size()) return std::nullopt;
  return value;
}

std::optional<long long> parse_integer(std::string_view token) {
  token = trim(token);
  if (!token.empty() && token.front() == '+') token.remove_prefix(1);
  long long value = 0;
  auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (token.empty() || ec != std::errc() || ptr != token.data() + token.size()) return std::nullopt;
  return value;
}

std::string read_file_text(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw InputError({path, 0, ""}, "is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 0, ""}, std::string("cannot open file: ") + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw InputError({path, 0, ""}, "read error");
  std::string text = ss.str();
  // A UTF-8 byte-order mark (Windows editors write one) is not part of the content.
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  return text;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::vector<std::string_view> split_csv_row(std::string_view row) {
  std::vector<std::string_view> cells;
  size_t a = 0;
  while (true) {
    const size_t b = row.find(',', a);
    cells.push_back(trim(row.substr(a, b == std::string_view::npos ? std::string_view::npos : b - a)));
    if (b == std::string_view::npos) break;
    a = b + 1;
  }
  return cells;
}

}  // namespace evs
