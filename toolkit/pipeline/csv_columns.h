#pragma once
// Reading numeric columns of a CSV file (RFC 4180: quoted fields with commas, doubled quotes and
// line breaks, CRLF or LF line ends, an optional UTF-8 byte-order mark), with libcsv in strict
// mode. The first record is the header. A cell is a number (as C++'s from_chars reads it, so also
// "nan", "NaN", "inf", "-inf", "Infinity"), or empty (quoted or not: a missing value). Every
// problem is an InputError naming the file, the line and the column.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace trajtool {

// One selected column's cells, one per data row.
struct CsvColumn {
  std::vector<double> values;    // the number, or NaN where the cell is empty
  std::vector<uint8_t> present;  // 1 where the cell holds a number (NaN and inf included)
};

struct CsvColumns {
  std::vector<std::string> header;  // every column's name, in file order
  int64_t rows = 0;                 // data rows (the header not counted)
  std::vector<int64_t> row_lines;   // the 1-based line each data row starts on
  std::vector<CsvColumn> columns;   // the selected columns, in the order `select` gave
};

// Chooses columns by header: returns indices into it (InputError for names it cannot find).
using CsvSelect = std::function<std::vector<std::size_t>(const std::vector<std::string>& header)>;

// Data rows of at least this many bytes are parsed in two halves on two threads, by splitting at
// line ends and commas, when they hold no quote and every CR starts a CRLF (each line is then one
// record and libcsv's quoting rules have nothing to do); what is read is the same as libcsv reads.
constexpr std::size_t kCsvSplitBytes = 16 << 20;

// Reads the CSV text `bytes` (the file's whole content; `path` names it in messages).
// `split_from_bytes`: see kCsvSplitBytes (tests pass 1 to split any file, SIZE_MAX never to).
CsvColumns read_csv_columns(std::string_view bytes, const std::string& path,
                            const CsvSelect& select, std::size_t split_from_bytes = kCsvSplitBytes);

// Parses a whole cell as a number; false when it is not one. Leading '+' and surrounding blanks are
// allowed; "NaN", "nan", "inf", "-inf", "Infinity", "-Infinity" are numbers.
bool parse_number_cell(std::string_view cell, double* value);

}  // namespace trajtool
