#include "toolkit/pipeline/csv_columns.h"

#include <csv.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <thread>

#include "toolkit/core/error.h"

namespace trajtool {
namespace {

// What the parser's callbacks build. libcsv is C: no exception may cross it, so the first problem
// is kept in `error` and parsing stops at the next chunk.
struct ParseState {
  const std::string* path = nullptr;
  CsvSelect select;
  CsvColumns out;
  std::vector<std::string> header_cells;  // the header while it is read
  bool in_header = true;
  std::vector<int> slot_of_column;    // header index -> slot in `slots`, -1 = not selected
  std::vector<CsvColumn> slots;       // one per distinct selected column
  std::vector<std::size_t> selected;  // select()'s indices, in order
  std::size_t field = 0;              // index of the next field in the current record
  int64_t line = 1;                   // the line the current record started on
  int64_t newlines_in_record = 0;     // line breaks inside its quoted fields
  bool pending_cr = false;            // the last record ended with CR (a LF may follow)
  std::string error;                  // the first problem; parsing stops
  std::size_t expected_rows = 0;      // a guess from the second line's length, to reserve memory
};

std::string column_name(const ParseState& s, std::size_t index) {
  return index < s.out.header.size() ? "'" + s.out.header[index] + "'" : std::to_string(index + 1);
}

void fail_at(ParseState& s, int64_t line, const std::string& what) {
  if (s.error.empty()) s.error = *s.path + ":" + std::to_string(line) + ": " + what;
}

void on_field(void* data, std::size_t length, void* state_ptr) {
  auto& s = *static_cast<ParseState*>(state_ptr);
  if (!s.error.empty()) return;
  const char* text = static_cast<const char*>(data);
  if (text != nullptr) {
    const char* end = text + length;
    for (const char* p = text;
         (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p))));
         ++p) {
      ++s.newlines_in_record;
    }
  }
  const std::size_t index = s.field++;
  if (s.in_header) {
    s.header_cells.emplace_back(text ? std::string(text, length) : std::string());
    return;
  }
  if (index >= s.slot_of_column.size()) return;  // too many fields: reported at the record's end
  const int slot = s.slot_of_column[index];
  if (slot < 0) return;
  CsvColumn& column = s.slots[static_cast<std::size_t>(slot)];
  double value = std::numeric_limits<double>::quiet_NaN();
  bool present = false;
  if (text != nullptr && length > 0) {
    if (!parse_number_cell(std::string_view(text, length), &value)) {
      std::string shown(text, std::min<std::size_t>(length, 40));
      if (length > 40) shown += "…";
      fail_at(s, s.line,
              "column " + column_name(s, index) + ": '" + shown +
                  "' is not a number (a numeric column holds numbers, NaN, inf or nothing)");
      return;
    }
    present = true;
  }
  column.values.push_back(value);
  column.present.push_back(present ? 1 : 0);
}

void finish_header(ParseState& s) {
  s.out.header = std::move(s.header_cells);
  std::vector<std::string>& header = s.out.header;
  if (!header.empty()) {
    // A UTF-8 byte-order mark before the first name (Excel, some exporters) is not part of it.
    if (header[0].rfind("\xEF\xBB\xBF", 0) == 0) header[0] = header[0].substr(3);
  }
  bool all_numbers = !header.empty();
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < header.size(); ++i) {
    double ignored;
    all_numbers &= !header[i].empty() && parse_number_cell(header[i], &ignored);
    if (!seen.emplace(header[i], i).second) {
      fail_at(s, s.line,
              "the header names column '" + header[i] + "' twice (columns " +
                  std::to_string(seen[header[i]] + 1) + " and " + std::to_string(i + 1) + ")");
      return;
    }
  }
  if (all_numbers) {
    fail_at(s, s.line,
            "the first line holds numbers, not column names: a log needs a header row "
            "(W&B and TensorBoard exports have one)");
    return;
  }
  try {
    s.selected = s.select(header);
  } catch (const InputError& e) {
    s.error = e.what();
    return;
  }
  s.slot_of_column.assign(header.size(), -1);
  for (std::size_t index : s.selected) {
    if (s.slot_of_column[index] < 0) {
      s.slot_of_column[index] = static_cast<int>(s.slots.size());
      s.slots.emplace_back();
      s.slots.back().values.reserve(s.expected_rows);
      s.slots.back().present.reserve(s.expected_rows);
    }
  }
  s.out.row_lines.reserve(s.expected_rows);
  s.in_header = false;
}

void on_record_end(int terminator, void* state_ptr) {
  auto& s = *static_cast<ParseState*>(state_ptr);
  if (!s.error.empty()) return;
  if (s.field == 0) {  // a bare line end: the LF of a CRLF, or an empty line
    if (!(terminator == '\n' && s.pending_cr)) ++s.line;
    s.pending_cr = terminator == '\r';
    return;
  }
  if (s.in_header) {
    finish_header(s);
  } else {
    if (s.field != s.out.header.size()) {
      fail_at(s, s.line,
              "this row has " + std::to_string(s.field) + " fields, the header has " +
                  std::to_string(s.out.header.size()));
      return;
    }
    s.out.row_lines.push_back(s.line);
    ++s.out.rows;
  }
  s.line += 1 + s.newlines_in_record;
  s.newlines_in_record = 0;
  s.field = 0;
  s.pending_cr = terminator == '\r';
}

}  // namespace

bool parse_number_cell(std::string_view cell, double* value) {
  std::size_t begin = 0, end = cell.size();
  while (begin < end && (cell[begin] == ' ' || cell[begin] == '\t')) ++begin;
  while (end > begin && (cell[end - 1] == ' ' || cell[end - 1] == '\t')) --end;
  if (begin < end && cell[begin] == '+') ++begin;
  if (begin == end) return false;
  const char* first = cell.data() + begin;
  const char* last = cell.data() + end;
  const auto [ptr, ec] = std::from_chars(first, last, *value);
  if (ec == std::errc::result_out_of_range) {  // beyond double's range: an overflow is ±inf
    *value = *first == '-' ? -HUGE_VAL : HUGE_VAL;
    return ptr == last;
  }
  return ec == std::errc() && ptr == last;
}

namespace {

// A libcsv parser in strict mode, freed on scope exit.
struct Parser {
  csv_parser p;
  Parser() {
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL | CSV_REPALL_NL) != 0) {
      throw RuntimeFailure("libcsv: cannot initialise the parser");
    }
  }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;
  ~Parser() { csv_free(&p); }
};

// Feeds `bytes` to `parser` in chunks until done or the first problem.
void feed(Parser& parser, ParseState& s, std::string_view bytes) {
  constexpr std::size_t kChunk = 1 << 20;
  for (std::size_t offset = 0; offset < bytes.size() && s.error.empty(); offset += kChunk) {
    const std::size_t length = std::min(kChunk, bytes.size() - offset);
    if (csv_parse(&parser.p, bytes.data() + offset, length, on_field, on_record_end, &s) !=
            length &&
        s.error.empty()) {
      fail_at(s, s.line + s.newlines_in_record,
              "malformed CSV (RFC 4180): a quote inside an unquoted field, or text after a "
              "closing quote; quote the whole field and double the quotes in it");
    }
  }
}

// Rows that hold no quote and whose CRs all start a CRLF (split_point checked): RFC 4180 comes
// down to splitting at line ends and commas. This does it with memchr, calling the callbacks
// libcsv calls, with libcsv's trimming of blanks and its empty-is-null, so what is read is the
// same; it is written out because libcsv's byte-at-a-time state machine was ~40% of a
// million-row import (perf). tests/toolkit/csv_columns_test.cc reads the same bytes both ways.
void parse_plain_rows(ParseState& s, std::string_view rows) {
  const char* p = rows.data();
  const char* const end = p + rows.size();
  const auto blank = [](char c) { return c == ' ' || c == '\t'; };
  while (p < end && s.error.empty()) {
    const auto* eol =
        static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    const char* content_end = eol != nullptr ? eol : end;
    if (content_end > p && content_end[-1] == '\r') --content_end;
    for (const char* field = p; content_end > p;) {
      const auto* comma = static_cast<const char*>(
          std::memchr(field, ',', static_cast<std::size_t>(content_end - field)));
      const char* first = field;
      const char* last = comma != nullptr ? comma : content_end;
      while (first < last && blank(*first)) ++first;
      while (last > first && blank(last[-1])) --last;
      on_field(first < last ? const_cast<char*>(first) : nullptr,
               static_cast<std::size_t>(last - first), &s);
      if (comma == nullptr) break;
      field = comma + 1;
    }
    on_record_end('\n', &s);
    p = eol != nullptr ? eol + 1 : end;
  }
}

void finish(Parser& parser, ParseState& s) {
  if (s.error.empty() && csv_fini(&parser.p, on_field, on_record_end, &s) != 0 && s.error.empty()) {
    fail_at(s, s.line, "malformed CSV (RFC 4180): a quoted field is never closed");
  }
}

// Where the data rows after the header can be cut in two at a line end, each half parsed on its
// own: only when they hold no quote (a quoted field may hold a line break) and no CR that does
// not start a CRLF (so that every line ends with LF). npos when they cannot, or are smaller than
// `split_from_bytes`.
std::size_t split_point(std::string_view data, std::size_t split_from_bytes) {
  if (data.size() < split_from_bytes || data.size() < 2) {
    return std::string_view::npos;
  }
  if (std::memchr(data.data(), '"', data.size()) != nullptr) return std::string_view::npos;
  for (std::size_t cr = data.find('\r'); cr != std::string_view::npos;
       cr = data.find('\r', cr + 1)) {
    if (cr + 1 >= data.size() || data[cr + 1] != '\n') return std::string_view::npos;
  }
  const std::size_t cut = data.find('\n', data.size() / 2);
  return cut == std::string_view::npos || cut + 1 >= data.size() ? std::string_view::npos : cut + 1;
}

// Appends the rows `tail` read to those `head` read.
void append_rows(ParseState& head, ParseState& tail) {
  for (std::size_t i = 0; i < head.slots.size(); ++i) {
    CsvColumn& to = head.slots[i];
    const CsvColumn& from = tail.slots[i];
    to.values.insert(to.values.end(), from.values.begin(), from.values.end());
    to.present.insert(to.present.end(), from.present.begin(), from.present.end());
  }
  head.out.row_lines.insert(head.out.row_lines.end(), tail.out.row_lines.begin(),
                            tail.out.row_lines.end());
  head.out.rows += tail.out.rows;
}

}  // namespace

CsvColumns read_csv_columns(std::string_view bytes, const std::string& path,
                            const CsvSelect& select, std::size_t split_from_bytes) {
  if (bytes.empty()) throw InputError(path + ": the file is empty (a log needs a header row)");
  if (const void* nul = std::memchr(bytes.data(), '\0', bytes.size())) {
    const auto offset = static_cast<const char*>(nul) - bytes.data();
    throw InputError(path + ": not a text CSV file (a NUL byte at offset " +
                     std::to_string(offset) + "; is it binary?)");
  }
  ParseState s;
  s.path = &path;
  s.select = select;
  const std::size_t first_break = bytes.find('\n');
  const std::size_t second_break =
      first_break == std::string_view::npos ? first_break : bytes.find('\n', first_break + 1);
  if (second_break != std::string_view::npos) {
    s.expected_rows = bytes.size() / (second_break - first_break) * 11 / 10 + 16;
  }
  Parser parser;
  // The header first (up to the first line break, when its quotes are balanced there), so that a
  // second parser knows the columns; then the rows, in two halves on two threads when they allow.
  const std::size_t header_end =
      first_break == std::string_view::npos ? bytes.size() : first_break + 1;
  const std::string_view header_line = bytes.substr(0, header_end);
  const bool header_closed = std::count(header_line.begin(), header_line.end(), '"') % 2 == 0;
  const std::size_t cut = header_closed ? split_point(bytes.substr(header_end), split_from_bytes)
                                        : std::string_view::npos;
  if (cut == std::string_view::npos) {
    feed(parser, s, bytes);
    finish(parser, s);
  } else {
    feed(parser, s, header_line);
    const std::string_view rows = bytes.substr(header_end);
    if (s.error.empty() && !s.in_header) {
      ParseState tail;
      tail.path = s.path;
      tail.out.header = s.out.header;
      tail.in_header = false;
      tail.slot_of_column = s.slot_of_column;
      tail.slots.resize(s.slots.size());
      for (CsvColumn& column : tail.slots) {
        column.values.reserve(s.expected_rows / 2);
        column.present.reserve(s.expected_rows / 2);
      }
      tail.out.row_lines.reserve(s.expected_rows / 2);
      tail.line =
          s.line + static_cast<int64_t>(std::count(
                       rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(cut), '\n'));
      std::thread second([&] { parse_plain_rows(tail, rows.substr(cut)); });
      parse_plain_rows(s, rows.substr(0, cut));
      finish(parser, s);
      second.join();
      if (s.error.empty() && !tail.error.empty()) s.error = tail.error;
      if (s.error.empty()) append_rows(s, tail);
    } else {
      finish(parser, s);
    }
  }
  if (!s.error.empty()) throw InputError(s.error);
  if (s.in_header) throw InputError(path + ": the file holds no header row");
  if (s.out.rows == 0) throw InputError(path + ": the file has a header but no data rows");
  std::vector<int> uses(s.slots.size(), 0);
  for (std::size_t index : s.selected) ++uses[static_cast<std::size_t>(s.slot_of_column[index])];
  for (std::size_t index : s.selected) {
    const auto slot = static_cast<std::size_t>(s.slot_of_column[index]);
    // A column selected once is moved, not copied (a million-row log has megabytes per column).
    if (--uses[slot] == 0) {
      s.out.columns.push_back(std::move(s.slots[slot]));
    } else {
      s.out.columns.push_back(s.slots[slot]);
    }
  }
  return std::move(s.out);
}

}  // namespace trajtool
