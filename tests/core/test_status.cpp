#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/log.hpp"
#include "core/status.hpp"

using namespace evs;

TEST(Status, CombineKeepsTheWorse) {
  EXPECT_EQ(combine(StatusCode::ok, StatusCode::not_converged), StatusCode::not_converged);
  EXPECT_EQ(combine(StatusCode::infeasible, StatusCode::not_converged), StatusCode::infeasible);
  EXPECT_EQ(combine(StatusCode::internal_error, StatusCode::ok), StatusCode::internal_error);
}

TEST(Status, MergeJoinsMessages) {
  Status a = Status::failure(StatusCode::not_converged, "traffic");
  merge_into(a, Status::success());
  EXPECT_EQ(a.message, "traffic");
  merge_into(a, Status::failure(StatusCode::infeasible, "grid"));
  EXPECT_EQ(a.code, StatusCode::infeasible);
  EXPECT_EQ(a.message, "traffic; grid");
}

TEST(Status, NamesRoundTrip) {
  for (auto c : {StatusCode::ok, StatusCode::not_converged, StatusCode::infeasible, StatusCode::numerical_error,
                 StatusCode::invalid_input, StatusCode::timeout, StatusCode::internal_error})
    EXPECT_EQ(status_code_from_string(to_string(c)), c);
  EXPECT_THROW(status_code_from_string("bogus"), std::invalid_argument);
}

TEST(InputError, MessageNamesFileLineAndField) {
  InputError e({"case.m", 12, "Pd"}, "is NaN");
  EXPECT_STREQ(e.what(), "case.m:12: Pd: is NaN");
  EXPECT_EQ(e.where().line, 12);
}

TEST(Logger, FiltersBelowThreshold) {
  std::vector<std::string> seen;
  Logger log([&](LogLevel, std::string_view m) { seen.emplace_back(m); }, LogLevel::warn);
  log.info("hidden");
  log.warn("shown");
  log.error("also");
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], "shown");
  Logger::null().error("nothing happens");
}
