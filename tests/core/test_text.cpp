#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "core/text.hpp"

using namespace evs;

TEST(Text, ParseDoubleIsStrict) {
  EXPECT_DOUBLE_EQ(*parse_double("1.5e3"), 1500.0);
  EXPECT_DOUBLE_EQ(*parse_double("-2"), -2.0);
  EXPECT_DOUBLE_EQ(*parse_double("+.5"), 0.5);
  EXPECT_DOUBLE_EQ(*parse_double("1d2"), 100.0);
  EXPECT_TRUE(std::isinf(*parse_double("Inf")));
  EXPECT_TRUE(std::isnan(*parse_double("NaN")));
  EXPECT_FALSE(parse_double("1.2.3"));
  EXPECT_FALSE(parse_double("12abc"));
  EXPECT_FALSE(parse_double(""));
}

TEST(Text, ParseInteger) {
  EXPECT_EQ(*parse_integer("42"), 42);
  EXPECT_EQ(*parse_integer("+7"), 7);
  EXPECT_FALSE(parse_integer("4.2"));
  EXPECT_FALSE(parse_integer("x"));
}

TEST(Text, SplitAndTrim) {
  auto parts = split_any("  a,\tb ;c  ", " ,;\t");
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[2], "c");
  EXPECT_EQ(trim("  x y \n"), "x y");
}

TEST(Text, EditDistance) {
  EXPECT_EQ(edit_distance("vmin_pu", "vmn_pu"), 1u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
}

TEST(Text, MissingFileNamesThePath) {
  try {
    read_file_text("/no/such/file.m");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/no/such/file.m"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("cannot open"), std::string::npos);
  }
}
