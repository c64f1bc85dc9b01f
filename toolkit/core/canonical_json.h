#pragma once
// JSON values are nlohmann::json (objects are std::maps, so their keys are sorted). Cache keys and
// build fingerprints hash one canonical text of them: keys sorted, no white space, every number
// written as the shortest decimal that reads back to the same double, as std::to_chars writes it
// ("0.1", "1e-08", "300", "1e-04"). nlohmann's own dump() writes some doubles differently ("300.0",
// "0.0001"), which would move existing cache keys, so canonical_dump() keeps this number form and
// leaves everything else (strings, escapes, literals) to nlohmann.
#include <nlohmann/json.hpp>
#include <string>

namespace trajtool {

using Json = nlohmann::json;

// The canonical text of `value`. Every number is written as the double it equals (integers too, as
// before nlohmann-json; a parsed canonical text dumps back to itself); -0 as 0 (the same input).
// Throws std::invalid_argument for a NaN or infinite number (JSON has none).
std::string canonical_dump(const Json& value);

// The shortest decimal text that parses back to exactly `d` ("0.1", "1e-08", "300").
std::string shortest_double(double d);

}  // namespace trajtool
