#pragma once
// Small text helpers shared by the readers.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace evs {

std::string_view trim(std::string_view s);
bool starts_with_ci(std::string_view s, std::string_view prefix);  // ASCII case-insensitive
std::string to_lower(std::string_view s);
// Splits on any of the delimiter characters, dropping empty pieces.
std::vector<std::string_view> split_any(std::string_view s, std::string_view delimiters);
// Splits a CSV row on commas, keeping empty cells, each trimmed (no quoting).
std::vector<std::string_view> split_csv_row(std::string_view row);
// Strict number parsing: the whole token must be a finite or infinite number ("Inf", "-Inf"
// accepted, "NaN" returned as NaN so callers can reject it with context).
std::optional<double> parse_double(std::string_view token);
std::optional<long long> parse_integer(std::string_view token);
// Reads a whole file; throws InputError naming the file when it cannot be opened.
std::string read_file_text(const std::string& path);
// Levenshtein distance, for "did you mean" suggestions.
size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace evs
