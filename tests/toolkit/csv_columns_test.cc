// The CSV reader reads a file split in two halves on two threads exactly as it reads it whole:
// the same cells, rows and lines, and the same first error with its line and column.
#include "toolkit/pipeline/csv_columns.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "toolkit/core/error.h"

namespace trajtool {
namespace {

const CsvSelect kLossAndAcc = [](const std::vector<std::string>&) {
  return std::vector<std::size_t>{0, 2, 1};
};

// `rows` data rows of "_step,loss,acc" with every third acc empty, lines ending in `eol`.
std::string table(int rows, const std::string& eol) {
  std::string text = "_step,loss,acc" + eol;
  for (int r = 0; r < rows; ++r) {
    text += std::to_string(r) + "," + std::to_string(1.0 / (r + 1)) + "," +
            (r % 3 == 0 ? "" : std::to_string(r * 0.5)) + eol;
  }
  return text;
}

std::string error_of(const std::string& text, std::size_t split_from) {
  try {
    read_csv_columns(text, "log.csv", kLossAndAcc, split_from);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

void expect_same(const CsvColumns& whole, const CsvColumns& split) {
  EXPECT_EQ(split.header, whole.header);
  EXPECT_EQ(split.rows, whole.rows);
  EXPECT_EQ(split.row_lines, whole.row_lines);
  ASSERT_EQ(split.columns.size(), whole.columns.size());
  for (std::size_t c = 0; c < whole.columns.size(); ++c) {
    EXPECT_EQ(split.columns[c].present, whole.columns[c].present);
    ASSERT_EQ(split.columns[c].values.size(), whole.columns[c].values.size());
    for (std::size_t r = 0; r < whole.columns[c].values.size(); ++r) {
      const double a = whole.columns[c].values[r], b = split.columns[c].values[r];
      EXPECT_TRUE(a == b || (std::isnan(a) && std::isnan(b))) << "column " << c << " row " << r;
    }
  }
}

TEST(CsvColumns, ASplitReadEqualsAWholeReadWithLfAndCrlf) {
  for (const std::string eol : {"\n", "\r\n"}) {
    const std::string text = table(1001, eol);
    const CsvColumns whole = read_csv_columns(text, "log.csv", kLossAndAcc, SIZE_MAX);
    const CsvColumns split = read_csv_columns(text, "log.csv", kLossAndAcc, 1);
    EXPECT_EQ(whole.rows, 1001);
    EXPECT_EQ(whole.row_lines.back(), 1002);
    expect_same(whole, split);
  }
}

TEST(CsvColumns, BlankLinesAndQuotesReadTheSameSplitOrWhole) {
  // Blank lines shift the line numbers; quotes forbid the split (a quoted cell may hold a line
  // break), so that file is read whole either way.
  std::string blank = table(400, "\n");
  blank.insert(blank.find("\n200,") + 1, "\n\n");
  expect_same(read_csv_columns(blank, "log.csv", kLossAndAcc, SIZE_MAX),
              read_csv_columns(blank, "log.csv", kLossAndAcc, 1));
  // Blanks around cells and a cell of blanks only: trimmed, and empty, as libcsv does.
  std::string spaced = table(400, "\r\n");
  const auto set_row = [&spaced](const std::string& start, const std::string& row) {
    const std::size_t at = spaced.find("\n" + start) + 1;
    spaced.replace(at, spaced.find('\r', at) - at, row);
  };
  set_row("250,", " 250 ,\t0.5 , 2 ");
  set_row("251,", "251,   ,1.5");
  expect_same(read_csv_columns(spaced, "log.csv", kLossAndAcc, SIZE_MAX),
              read_csv_columns(spaced, "log.csv", kLossAndAcc, 1));
  // No line break after the last row.
  std::string open_end = table(300, "\n");
  open_end.pop_back();
  expect_same(read_csv_columns(open_end, "log.csv", kLossAndAcc, SIZE_MAX),
              read_csv_columns(open_end, "log.csv", kLossAndAcc, 1));
  std::string quoted = table(400, "\n");
  quoted.replace(quoted.find("\n300,") + 1, 3, "\"300\"");
  expect_same(read_csv_columns(quoted, "log.csv", kLossAndAcc, SIZE_MAX),
              read_csv_columns(quoted, "log.csv", kLossAndAcc, 1));
}

TEST(CsvColumns, ErrorsInTheSecondHalfNameTheirLine) {
  std::string text = table(1000, "\n");
  const std::string bad_row = "900,x9,1\n";
  const std::size_t row = text.find("\n900,") + 1;
  text.replace(row, text.find('\n', row) - row + 1, bad_row);
  const std::string expected =
      "log.csv:902: column 'loss': 'x9' is not a number (a numeric column holds numbers, NaN, "
      "inf or nothing)";
  EXPECT_EQ(error_of(text, SIZE_MAX), expected);
  EXPECT_EQ(error_of(text, 1), expected);
  // With a problem in each half, the first one is reported.
  std::string both = text;
  both.replace(both.find("\n10,") + 1, 3, "10,1,2,");
  EXPECT_EQ(error_of(both, SIZE_MAX), "log.csv:12: this row has 5 fields, the header has 3");
  EXPECT_EQ(error_of(both, 1), error_of(both, SIZE_MAX));
}

}  // namespace
}  // namespace trajtool
