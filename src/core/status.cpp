#include "core/status.hpp"

#include <array>
#include <stdexcept>

namespace evs {

namespace {
constexpr std::array<std::string_view, 7> kNames = {
    "ok", "not_converged", "infeasible", "numerical_error", "invalid_input", "timeout", "internal_error"};
}

std::string_view to_string(StatusCode code) { return kNames.at(static_cast<size_t>(code)); }

StatusCode status_code_from_string(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == name) return static_cast<StatusCode>(i);
  throw std::invalid_argument("unknown status code '" + std::string(name) + "'");
}

StatusCode combine(StatusCode a, StatusCode b) { return static_cast<int>(b) > static_cast<int>(a) ? b : a; }

void merge_into(Status& a, const Status& b) {
  if (b.ok()) return;
  a.code = combine(a.code, b.code);
  if (a.message.empty())
    a.message = b.message;
  else if (!b.message.empty())
    a.message += "; " + b.message;
}

}  // namespace evs
