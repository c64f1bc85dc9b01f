#include "toolkit/core/canonical_json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

namespace trajtool {
namespace {

TEST(CanonicalJson, ObjectKeysAreSortedWhateverTheInsertionOrder) {
  Json a = Json::object().set("b", Json::number(1)).set("a", Json::string("x"));
  Json b = Json::object().set("a", Json::string("x")).set("b", Json::number(1));
  EXPECT_EQ(a.dump(), "{\"a\":\"x\",\"b\":1}");
  EXPECT_EQ(a.dump(), b.dump());
}

TEST(CanonicalJson, NumbersReadBackExactly) {
  for (double d : {0.1, 1e-8, 0.999, 300.0, -2.5, 1.0 / 3.0, 6.02214076e23}) {
    std::string text = shortest_double(d);
    EXPECT_EQ(std::strtod(text.c_str(), nullptr), d) << text;
  }
  EXPECT_EQ(shortest_double(0.1), "0.1");
  EXPECT_EQ(shortest_double(300), "300");
  EXPECT_EQ(Json::number(-0.0).dump(), "0");
}

TEST(CanonicalJson, RejectsNonFiniteNumbers) {
  EXPECT_THROW(Json::number(NAN), std::invalid_argument);
  EXPECT_THROW(Json::number(INFINITY), std::invalid_argument);
}

TEST(CanonicalJson, EscapesStrings) {
  EXPECT_EQ(Json::string("a\"b\\c\n").dump(), "\"a\\\"b\\\\c\\n\"");
  EXPECT_EQ(Json::array({Json::boolean(true), Json()}).dump(), "[true,null]");
}

}  // namespace
}  // namespace trajtool
