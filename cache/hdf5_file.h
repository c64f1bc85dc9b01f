#pragma once
// A thin layer over the HDF5 C API for the cache's needs: whole datasets of numbers and scalar or
// list attributes at the root, with every identifier closed by RAII. Writers throw RuntimeFailure,
// readers throw CorruptEntry, both with "<path>: <what>". HDF5's own error printing is turned off.
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

#include "cache/entry_checksum.h"

namespace trajtool {

// Owns one HDF5 identifier and closes it with the matching H5?close.
class H5Id {
 public:
  using Closer = herr_t (*)(hid_t);
  H5Id() = default;
  H5Id(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  H5Id(H5Id&& other) noexcept : id_(other.id_), closer_(other.closer_) { other.id_ = -1; }
  H5Id& operator=(H5Id&& other) noexcept;
  H5Id(const H5Id&) = delete;
  H5Id& operator=(const H5Id&) = delete;
  ~H5Id() { reset(); }

  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  void reset();     // closes now (no-op when invalid)
  hid_t release();  // gives up ownership without closing

 private:
  hid_t id_ = -1;            // the identifier, -1 when none
  Closer closer_ = nullptr;  // its close function
};

// How a floating-point dataset is laid out on disk.
struct StorageOptions {
  bool float64 = true;      // IEEE float64 (else float32) little-endian
  int deflate_level = 0;    // 0: contiguous, uncompressed; 1..9: chunked + shuffle + deflate
  int64_t chunk_bytes = 0;  // target chunk size when compressed
};

// Creates a new HDF5 file (failing if it exists) and writes into it.
class H5Writer {
 public:
  explicit H5Writer(std::string path);

  void create_group(const std::string& name);  // keeps its members in creation order
  // Writes `values` (row-major, dims' product of them) as a dataset, and adds it to `checksum`.
  void write_floats(const std::string& name, const std::vector<int64_t>& dims, const double* values,
                    const StorageOptions& storage, EntryChecksum* checksum);
  void write_ints(const std::string& name, const std::vector<int64_t>& dims, const int64_t* values,
                  EntryChecksum* checksum);

  // Attributes of the root group.
  void attribute(const std::string& name, const std::string& value);  // UTF-8 string
  void attribute(const std::string& name, const char* value) {
    attribute(name, std::string(value));
  }
  void attribute(const std::string& name, int64_t value);
  void attribute(const std::string& name, double value);
  void attribute(const std::string& name, const std::vector<std::string>& values);
  void int_list_attribute(const std::string& name, const std::vector<int64_t>& values);

  void close();  // flushes and closes; must be called for the file to be complete

 private:
  [[noreturn]] void fail(const std::string& what) const;
  std::string path_;  // the file written
  H5Id file_;         // the open file
};

// A floating-point dataset read back.
struct FloatArray {
  std::vector<int64_t> dims;   // its shape
  std::vector<double> values;  // row-major
  bool float64 = false;        // stored as float64 (else float32)
};

// Opens an existing HDF5 file read-only and reads from it.
class H5Reader {
 public:
  explicit H5Reader(std::string path);  // CorruptEntry if it is not a readable HDF5 file

  bool has(const std::string& name) const;  // a link of that name exists ("state/x" allowed)
  std::vector<std::string> group_members(const std::string& name) const;  // creation order
  FloatArray read_floats(const std::string& name, EntryChecksum* checksum) const;
  std::vector<int64_t> read_ints(const std::string& name, std::vector<int64_t>* dims,
                                 EntryChecksum* checksum) const;

  bool has_attribute(const std::string& name) const;
  std::string string_attribute(const std::string& name) const;
  int64_t int_attribute(const std::string& name) const;
  double double_attribute(const std::string& name) const;
  std::vector<std::string> strings_attribute(const std::string& name) const;
  std::vector<int64_t> int_list_attribute(const std::string& name) const;

  [[noreturn]] void fail(const std::string& what) const;  // throws CorruptEntry

 private:
  H5Id open_dataset(const std::string& name, std::vector<int64_t>* dims) const;
  H5Id open_attribute(const std::string& name) const;
  std::string path_;  // the file read
  H5Id file_;         // the open file
};

}  // namespace trajtool
