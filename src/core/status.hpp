#pragma once
// Outcome of a solve or a pipeline stage. Library code returns a Status instead of
// throwing across stage boundaries or ending the process.
#include <string>
#include <string_view>

namespace evs {

// Ordered from best to worst: combine() keeps the worse of two codes.
enum class StatusCode {
  ok = 0,
  not_converged,   // iteration limit reached; the result is the last iterate
  infeasible,      // the problem has no solution (e.g. voltage limits cannot be met)
  numerical_error, // singular matrix, NaN, solver failure
  invalid_input,   // bad data or options
  timeout,         // wall-clock limit reached
  internal_error,  // a bug: an unexpected exception
};

std::string_view to_string(StatusCode code);
StatusCode status_code_from_string(std::string_view name);  // inverse; throws on unknown

struct Status {
  StatusCode code = StatusCode::ok;
  std::string message;  // empty when ok

  bool ok() const { return code == StatusCode::ok; }
  static Status success() { return {}; }
  static Status failure(StatusCode code, std::string message) { return {code, std::move(message)}; }
};

// The worse of two codes (the first when they are equal).
StatusCode combine(StatusCode a, StatusCode b);
// Combine b into a; messages are joined with "; " when b is not ok.
void merge_into(Status& a, const Status& b);

}  // namespace evs
