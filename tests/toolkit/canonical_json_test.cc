#include "toolkit/core/canonical_json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

namespace trajtool {
namespace {

TEST(CanonicalJson, ObjectKeysAreSortedWhateverTheInsertionOrder) {
  Json a = Json::object();
  a["b"] = 1;
  a["a"] = "x";
  Json b = Json::object();
  b["a"] = "x";
  b["b"] = 1;
  EXPECT_EQ(canonical_dump(a), "{\"a\":\"x\",\"b\":1}");
  EXPECT_EQ(canonical_dump(a), canonical_dump(b));
}

TEST(CanonicalJson, NumbersReadBackExactly) {
  for (double d : {0.1, 1e-8, 0.999, 300.0, -2.5, 1.0 / 3.0, 6.02214076e23}) {
    std::string text = shortest_double(d);
    EXPECT_EQ(std::strtod(text.c_str(), nullptr), d) << text;
    EXPECT_EQ(canonical_dump(Json(d)), text);
  }
  EXPECT_EQ(shortest_double(0.1), "0.1");
  EXPECT_EQ(shortest_double(300), "300");
  EXPECT_EQ(canonical_dump(Json(-0.0)), "0");
}

// Why canonical_dump() writes numbers itself: nlohmann's dump() writes these doubles differently,
// and every cache key hashes the text of its numbers.
TEST(CanonicalJson, NumbersKeepTheFormThatExistingKeysHashed) {
  EXPECT_EQ(canonical_dump(Json(300.0)), "300");
  EXPECT_EQ(Json(300.0).dump(), "300.0");
  EXPECT_EQ(canonical_dump(Json(1e-4)), "1e-04");
  EXPECT_EQ(Json(1e-4).dump(), "0.0001");
  EXPECT_EQ(canonical_dump(Json(1e-8)), "1e-08");
  // Integers are written as the double they equal, as every number was before nlohmann-json.
  EXPECT_EQ(canonical_dump(Json(int64_t{1000000000000000})), "1e+15");
  EXPECT_EQ(canonical_dump(Json(uint64_t{7})), "7");
}

TEST(CanonicalJson, RejectsNonFiniteNumbers) {
  EXPECT_THROW(canonical_dump(Json(NAN)), std::invalid_argument);
  EXPECT_THROW(canonical_dump(Json::array({1.0, INFINITY})), std::invalid_argument);
}

TEST(CanonicalJson, EscapesStrings) {
  EXPECT_EQ(canonical_dump(Json("a\"b\\c\n")), "\"a\\\"b\\\\c\\n\"");
  EXPECT_EQ(canonical_dump(Json::array({true, nullptr})), "[true,null]");
  EXPECT_EQ(canonical_dump(Json(std::string("\x01\t\r"))), "\"\\u0001\\t\\r\"");
}

// A canonical text parsed by nlohmann-json dumps back to the same bytes.
TEST(CanonicalJson, ParsedCanonicalTextDumpsBackToItself) {
  const std::string text =
      R"({"a":[1e-08,0.001,300,-2.5,1e+15],"b":{"c":true,"d":null,"e":"th\u00e9ta"},"n":0})";
  const std::string utf8 =
      "{\"a\":[1e-08,0.001,300,-2.5,1e+15],\"b\":{\"c\":true,\"d\":null,\"e\":\"th\xc3\xa9ta\"},"
      "\"n\":0}";
  EXPECT_EQ(canonical_dump(Json::parse(text)), utf8);
  EXPECT_EQ(canonical_dump(Json::parse(utf8)), utf8);
}

}  // namespace
}  // namespace trajtool
