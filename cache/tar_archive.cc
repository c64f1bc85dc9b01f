#include "cache/tar_archive.h"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <vector>

namespace trajtool {
namespace {

constexpr size_t kBlock = 512;
constexpr size_t kCopyPiece = 1 << 20;  // bytes copied at a time

// Byte offsets and widths of the ustar header fields used here.
constexpr size_t kName = 0, kNameWidth = 100;
constexpr size_t kMode = 100, kModeWidth = 8;
constexpr size_t kUid = 108, kGid = 116, kIdWidth = 8;
constexpr size_t kSize = 124, kSizeWidth = 12;
constexpr size_t kMtime = 136, kMtimeWidth = 12;
constexpr size_t kChecksum = 148, kChecksumWidth = 8;
constexpr size_t kType = 156;
constexpr size_t kLinkName = 157, kLinkNameWidth = 100;
constexpr size_t kMagic = 257;  // magic and version: kPosixMagic or kGnuMagic
constexpr size_t kPrefix = 345, kPrefixWidth = 155;

constexpr char kPosixMagic[8] = {'u', 's', 't', 'a', 'r', '\0', '0', '0'};  // POSIX: "ustar", "00"
constexpr char kGnuMagic[8] = {'u', 's', 't', 'a', 'r', ' ', ' ', '\0'};    // GNU tar's own

using Header = std::array<unsigned char, kBlock>;

std::string errno_text() { return std::strerror(errno); }

int64_t padding_after(int64_t size) {
  const auto rest = static_cast<int64_t>(size % static_cast<int64_t>(kBlock));
  return rest == 0 ? 0 : static_cast<int64_t>(kBlock) - rest;
}

// Writes `value` as zero-padded octal digits filling width - 1 bytes, then a NUL.
void put_octal(Header& header, size_t at, size_t width, int64_t value) {
  const size_t digits = width - 1;
  for (size_t i = 0; i < digits; ++i) {
    header[at + digits - 1 - i] = static_cast<unsigned char>('0' + (value & 7));
    value >>= 3;
  }
  header[at + digits] = '\0';
}

// The largest value put_octal can write in a field of `width` bytes.
int64_t octal_limit(size_t width) { return (int64_t{1} << (3 * (width - 1))) - 1; }

std::string field_text(const Header& header, size_t at, size_t width) {
  const char* begin = reinterpret_cast<const char*>(header.data() + at);
  return std::string(begin, strnlen(begin, width));
}

// Sum of the header's bytes with the checksum field counted as spaces, as unsigned and as signed
// bytes (some historic writers used signed; readers accept either).
std::pair<int64_t, int64_t> header_sums(const Header& header) {
  int64_t unsigned_sum = 0;
  int64_t signed_sum = 0;
  for (size_t i = 0; i < kBlock; ++i) {
    const bool in_checksum = i >= kChecksum && i < kChecksum + kChecksumWidth;
    const unsigned char byte = in_checksum ? ' ' : header[i];
    unsigned_sum += byte;
    signed_sum += static_cast<signed char>(byte);
  }
  return {unsigned_sum, signed_sum};
}

FILE* open_or_null(const std::string& path, const char* mode) {
  return std::fopen(path.c_str(), mode);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Writer

TarWriter::TarWriter(std::string path)
    : path_(std::move(path)), file_(open_or_null(path_, "wb"), &std::fclose) {
  if (!file_) throw RuntimeFailure(path_ + ": cannot create the archive: " + errno_text());
}

TarWriter::~TarWriter() = default;

void TarWriter::write(const void* data, size_t size) {
  if (std::fwrite(data, 1, size, file_.get()) != size) {
    throw RuntimeFailure(path_ + ": cannot write: " + errno_text());
  }
  offset_ += static_cast<int64_t>(size);
}

void TarWriter::pad_to_block() {
  static const char zeros[kBlock] = {};
  write(zeros, static_cast<size_t>(padding_after(offset_)));
}

void TarWriter::write_header(const std::string& name, int64_t size, int64_t mtime) {
  if (name.empty() || name.size() > kNameWidth) {
    throw RuntimeFailure(path_ + ": member name '" + name + "' must have 1 to 100 bytes");
  }
  if (size > octal_limit(kSizeWidth)) {
    throw RuntimeFailure(path_ + ": member '" + name + "' is larger than ustar's 8 GiB limit");
  }
  Header header{};
  std::memcpy(header.data() + kName, name.data(), name.size());
  put_octal(header, kMode, kModeWidth, 0644);
  put_octal(header, kUid, kIdWidth, 0);
  put_octal(header, kGid, kIdWidth, 0);
  put_octal(header, kSize, kSizeWidth, size);
  put_octal(header, kMtime, kMtimeWidth, std::clamp<int64_t>(mtime, 0, octal_limit(kMtimeWidth)));
  header[kType] = '0';
  std::memcpy(header.data() + kMagic, kPosixMagic, sizeof kPosixMagic);
  // The checksum field: six octal digits, NUL, space (what GNU tar writes).
  put_octal(header, kChecksum, kChecksumWidth - 1, header_sums(header).first);
  header[kChecksum + kChecksumWidth - 1] = ' ';
  write(header.data(), header.size());
}

void TarWriter::add_file(const std::string& name, const std::string& source) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(open_or_null(source, "rb"), &std::fclose);
  if (!in) throw RuntimeFailure(source + ": cannot open to archive: " + errno_text());
  struct stat info {};
  if (::fstat(::fileno(in.get()), &info) != 0 || !S_ISREG(info.st_mode)) {
    throw RuntimeFailure(source + ": not a regular file");
  }
  const int64_t size = info.st_size;
  write_header(name, size, info.st_mtime);
  std::vector<char> piece(std::min<size_t>(kCopyPiece, static_cast<size_t>(size)));
  for (int64_t left = size; left > 0;) {
    const size_t want = std::min(piece.size(), static_cast<size_t>(left));
    if (std::fread(piece.data(), 1, want, in.get()) != want) {
      throw RuntimeFailure(source + ": shorter than its size " + std::to_string(size) +
                           " while being archived");
    }
    write(piece.data(), want);
    left -= static_cast<int64_t>(want);
  }
  pad_to_block();
}

void TarWriter::add_bytes(const std::string& name, const std::string& bytes, int64_t mtime) {
  write_header(name, static_cast<int64_t>(bytes.size()), mtime);
  write(bytes.data(), bytes.size());
  pad_to_block();
}

void TarWriter::finish() {
  static const char zeros[2 * kBlock] = {};
  write(zeros, sizeof zeros);
  if (std::fflush(file_.get()) != 0)
    throw RuntimeFailure(path_ + ": cannot write: " + errno_text());
  std::FILE* file = file_.release();
  if (std::fclose(file) != 0) throw RuntimeFailure(path_ + ": cannot close: " + errno_text());
}

// ---------------------------------------------------------------------------------------------
// Reader

TarReader::TarReader(std::string path)
    : path_(std::move(path)), file_(open_or_null(path_, "rb"), &std::fclose) {
  if (!file_) throw InputError(path_ + ": cannot open the archive: " + errno_text());
  struct stat info {};
  if (::fstat(::fileno(file_.get()), &info) != 0 || !S_ISREG(info.st_mode)) {
    throw InputError(path_ + ": not a regular file");
  }
  archive_bytes_ = info.st_size;
}

void TarReader::fail(const std::string& what) const { throw CorruptArchive(path_ + ": " + what); }

bool TarReader::next(TarMember* member) {
  offset_ += data_left_ + padding_;
  data_left_ = padding_ = 0;
  if (offset_ + static_cast<int64_t>(kBlock) > archive_bytes_) {
    fail("ends at byte " + std::to_string(archive_bytes_) +
         " without the end-of-archive marker (truncated?)");
  }
  Header header{};
  if (::fseeko(file_.get(), static_cast<off_t>(offset_), SEEK_SET) != 0 ||
      std::fread(header.data(), 1, kBlock, file_.get()) != kBlock) {
    fail("cannot read the header at byte " + std::to_string(offset_) + ": " + errno_text());
  }
  const std::string where = "header at byte " + std::to_string(offset_);
  if (std::all_of(header.begin(), header.end(), [](unsigned char b) { return b == 0; })) {
    return false;
  }
  // Numbers: octal digits, possibly led by spaces and ended by NUL or space.
  auto number = [&](size_t at, size_t width, const char* field) -> int64_t {
    if (header[at] & 0x80) fail(where + ": " + field + " uses base-256, which is not supported");
    size_t i = at;
    const size_t end = at + width;
    while (i < end && header[i] == ' ') ++i;
    int64_t value = 0;
    for (; i < end && header[i] >= '0' && header[i] <= '7'; ++i)
      value = value * 8 + (header[i] - '0');
    for (; i < end; ++i) {
      if (header[i] != '\0' && header[i] != ' ')
        fail(where + ": " + field + " is not an octal number");
    }
    return value;
  };
  const int64_t stored_checksum = number(kChecksum, kChecksumWidth, "checksum");
  const auto [unsigned_sum, signed_sum] = header_sums(header);
  if (stored_checksum != unsigned_sum && stored_checksum != signed_sum) {
    fail(where + ": header checksum is " + std::to_string(stored_checksum) +
         ", the header's bytes sum to " + std::to_string(unsigned_sum) + " (damaged archive)");
  }
  const bool posix = std::memcmp(header.data() + kMagic, kPosixMagic, sizeof kPosixMagic) == 0;
  const bool gnu = std::memcmp(header.data() + kMagic, kGnuMagic, sizeof kGnuMagic) == 0;
  if (!posix && !gnu) fail(where + ": not a ustar header");

  TarMember m;
  m.name = field_text(header, kName, kNameWidth);
  const std::string prefix = posix ? field_text(header, kPrefix, kPrefixWidth) : "";
  if (!prefix.empty()) m.name = prefix + "/" + m.name;
  m.type = static_cast<char>(header[kType]);
  m.size = number(kSize, kSizeWidth, "size");
  m.mode = number(kMode, kModeWidth, "mode");
  m.mtime = number(kMtime, kMtimeWidth, "mtime");
  m.link_name = field_text(header, kLinkName, kLinkNameWidth);
  // Links, folders and devices carry no data, whatever their size field says.
  const bool has_data = m.type != '1' && m.type != '2' && m.type != '3' && m.type != '4' &&
                        m.type != '5' && m.type != '6';
  if (!has_data) m.size = 0;

  offset_ += static_cast<int64_t>(kBlock);
  if (offset_ + m.size > archive_bytes_) {
    fail("member '" + m.name + "' has " + std::to_string(m.size) + " bytes from byte " +
         std::to_string(offset_) + ", but the archive ends at byte " +
         std::to_string(archive_bytes_) + " (truncated?)");
  }
  data_left_ = m.size;
  padding_ = padding_after(m.size);
  member_name_ = m.name;
  *member = std::move(m);
  return true;
}

void TarReader::read_data(const std::function<void(const char* data, size_t size)>& sink) {
  if (::fseeko(file_.get(), static_cast<off_t>(offset_), SEEK_SET) != 0) {
    fail("cannot seek to byte " + std::to_string(offset_) + ": " + errno_text());
  }
  std::vector<char> piece(std::min<size_t>(kCopyPiece, static_cast<size_t>(data_left_)));
  while (data_left_ > 0) {
    const size_t want = std::min(piece.size(), static_cast<size_t>(data_left_));
    if (std::fread(piece.data(), 1, want, file_.get()) != want) {
      fail("member '" + member_name_ + "' ends early at byte " + std::to_string(offset_));
    }
    offset_ += static_cast<int64_t>(want);
    data_left_ -= static_cast<int64_t>(want);
    sink(piece.data(), want);
  }
}

}  // namespace trajtool
