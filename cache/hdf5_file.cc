#include "cache/hdf5_file.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "cache/cache_store.h"
#include "toolkit/core/digest.h"

namespace trajtool {
namespace {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the checksum hashes native bytes as the little-endian bytes stored");

// HDF5 prints its error stack to stderr by default; library code must not print.
void silence_hdf5() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

std::vector<hsize_t> to_hsize(const std::vector<int64_t>& dims) {
  return std::vector<hsize_t>(dims.begin(), dims.end());
}

size_t element_count(const std::vector<int64_t>& dims) {
  size_t n = 1;
  for (int64_t d : dims) n *= static_cast<size_t>(d);
  return n;
}

H5Id simple_space(const std::vector<int64_t>& dims) {
  const std::vector<hsize_t> h = to_hsize(dims);
  if (h.empty()) return H5Id(H5Screate(H5S_SCALAR), H5Sclose);  // a 0-dim value
  return H5Id(H5Screate_simple(static_cast<int>(h.size()), h.data(), nullptr), H5Sclose);
}

// A chunk shape of at most about `target_bytes`: halve leading dimensions until it fits.
std::vector<hsize_t> chunk_shape(const std::vector<int64_t>& dims, size_t element_size,
                                 int64_t target_bytes) {
  std::vector<hsize_t> chunk = to_hsize(dims);
  auto bytes = [&] {
    size_t n = element_size;
    for (hsize_t c : chunk) n *= c;
    return n;
  };
  for (size_t i = 0; i < chunk.size() && bytes() > static_cast<size_t>(target_bytes);) {
    if (chunk[i] > 1) {
      chunk[i] = (chunk[i] + 1) / 2;
    } else {
      ++i;
    }
  }
  return chunk;
}

H5Id utf8_string_type() {
  H5Id type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  return type;
}

}  // namespace

H5Id& H5Id::operator=(H5Id&& other) noexcept {
  if (this != &other) {
    reset();
    id_ = std::exchange(other.id_, -1);
    closer_ = other.closer_;
  }
  return *this;
}

hid_t H5Id::release() { return std::exchange(id_, -1); }

void H5Id::reset() {
  if (id_ >= 0 && closer_ != nullptr) closer_(id_);
  id_ = -1;
}

// ---------------------------------------------------------------------------------------------
// Writing

H5Writer::H5Writer(std::string path) : path_(std::move(path)) {
  silence_hdf5();
  H5Id access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  H5Pset_fclose_degree(access.get(), H5F_CLOSE_STRONG);
  file_ = H5Id(H5Fcreate(path_.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, access.get()), H5Fclose);
  if (!file_.valid()) fail("cannot create the HDF5 file");
}

void H5Writer::fail(const std::string& what) const { throw RuntimeFailure(path_ + ": " + what); }

void H5Writer::create_group(const std::string& name) {
  H5Id create(H5Pcreate(H5P_GROUP_CREATE), H5Pclose);
  H5Pset_link_creation_order(create.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
  H5Id group(H5Gcreate2(file_.get(), name.c_str(), H5P_DEFAULT, create.get(), H5P_DEFAULT),
             H5Gclose);
  if (!group.valid()) fail("cannot create group '" + name + "'");
}

void H5Writer::write_floats(const std::string& name, const std::vector<int64_t>& dims,
                            const double* values, const StorageOptions& storage,
                            EntryChecksum* checksum) {
  const size_t count = element_count(dims);
  const size_t element_size = storage.float64 ? 8 : 4;
  H5Id space = simple_space(dims);
  H5Id create(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  H5Pset_fill_time(create.get(), H5D_FILL_TIME_NEVER);
  if (storage.deflate_level > 0 && count > 0) {
    const std::vector<hsize_t> chunk = chunk_shape(dims, element_size, storage.chunk_bytes);
    H5Pset_chunk(create.get(), static_cast<int>(chunk.size()), chunk.data());
    H5Pset_shuffle(create.get());
    H5Pset_deflate(create.get(), static_cast<unsigned>(storage.deflate_level));
  }
  H5Id dataset(
      H5Dcreate2(file_.get(), name.c_str(), storage.float64 ? H5T_IEEE_F64LE : H5T_IEEE_F32LE,
                 space.get(), H5P_DEFAULT, create.get(), H5P_DEFAULT),
      H5Dclose);
  if (!dataset.valid()) fail("cannot create dataset '" + name + "'");
  if (count == 0) {
    if (checksum != nullptr) checksum->add(name, values, 0);
    return;
  }
  if (dims.empty() && !storage.float64) {  // a 0-dim float32 value
    const float narrow = static_cast<float>(values[0]);
    if (checksum != nullptr) checksum->add(name, &narrow, sizeof narrow);
    if (H5Dwrite(dataset.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, &narrow) < 0) {
      fail("cannot write dataset '" + name + "'");
    }
    return;
  }
  if (storage.float64) {
    if (checksum != nullptr) checksum->add(name, values, count * element_size);
    if (H5Dwrite(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) < 0) {
      fail("cannot write dataset '" + name + "'");
    }
    return;
  }
  // float32: narrow, hash and write a block of leading-dimension slices at a time, so that one
  // small buffer stays in cache instead of a second copy of the whole array (page faults cost).
  const size_t slice = count / static_cast<size_t>(dims[0]);
  const size_t slices_per_block = std::max<size_t>(1, (size_t{1} << 20) / slice);
  std::unique_ptr<float[]> block(new float[slices_per_block * slice]);
  Sha256 hasher;
  for (size_t first = 0; first < static_cast<size_t>(dims[0]); first += slices_per_block) {
    const size_t slices = std::min(slices_per_block, static_cast<size_t>(dims[0]) - first);
    const size_t n = slices * slice;
    const double* source = values + first * slice;
    for (size_t i = 0; i < n; ++i) block[i] = static_cast<float>(source[i]);
    hasher.update(block.get(), n * sizeof(float));
    std::vector<hsize_t> start(dims.size(), 0), extent = to_hsize(dims);
    start[0] = first;
    extent[0] = slices;
    H5Id file_space(H5Dget_space(dataset.get()), H5Sclose);
    H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, extent.data(),
                        nullptr);
    const hsize_t memory_count = n;
    H5Id memory_space(H5Screate_simple(1, &memory_count, nullptr), H5Sclose);
    if (H5Dwrite(dataset.get(), H5T_NATIVE_FLOAT, memory_space.get(), file_space.get(), H5P_DEFAULT,
                 block.get()) < 0) {
      fail("cannot write dataset '" + name + "'");
    }
  }
  if (checksum != nullptr) checksum->add_digest(name, hasher.hex_digest());
}

void H5Writer::write_ints(const std::string& name, const std::vector<int64_t>& dims,
                          const int64_t* values, EntryChecksum* checksum) {
  const size_t count = element_count(dims);
  if (checksum != nullptr) checksum->add(name, values, count * sizeof(int64_t));
  H5Id space = simple_space(dims);
  H5Id dataset(H5Dcreate2(file_.get(), name.c_str(), H5T_STD_I64LE, space.get(), H5P_DEFAULT,
                          H5P_DEFAULT, H5P_DEFAULT),
               H5Dclose);
  if (!dataset.valid()) fail("cannot create dataset '" + name + "'");
  if (count > 0 &&
      H5Dwrite(dataset.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) < 0) {
    fail("cannot write dataset '" + name + "'");
  }
}

void H5Writer::attribute(const std::string& name, const std::string& value) {
  H5Id type = utf8_string_type();
  H5Id space(H5Screate(H5S_SCALAR), H5Sclose);
  H5Id attr(
      H5Acreate2(file_.get(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
      H5Aclose);
  const char* text = value.c_str();
  if (!attr.valid() || H5Awrite(attr.get(), type.get(), &text) < 0) {
    fail("cannot write attribute '" + name + "'");
  }
}

void H5Writer::attribute(const std::string& name, int64_t value) {
  H5Id space(H5Screate(H5S_SCALAR), H5Sclose);
  H5Id attr(
      H5Acreate2(file_.get(), name.c_str(), H5T_STD_I64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
      H5Aclose);
  if (!attr.valid() || H5Awrite(attr.get(), H5T_NATIVE_INT64, &value) < 0) {
    fail("cannot write attribute '" + name + "'");
  }
}

void H5Writer::attribute(const std::string& name, double value) {
  H5Id space(H5Screate(H5S_SCALAR), H5Sclose);
  H5Id attr(
      H5Acreate2(file_.get(), name.c_str(), H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
      H5Aclose);
  if (!attr.valid() || H5Awrite(attr.get(), H5T_NATIVE_DOUBLE, &value) < 0) {
    fail("cannot write attribute '" + name + "'");
  }
}

void H5Writer::attribute(const std::string& name, const std::vector<std::string>& values) {
  H5Id type = utf8_string_type();
  H5Id space = simple_space({static_cast<int64_t>(values.size())});
  H5Id attr(
      H5Acreate2(file_.get(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
      H5Aclose);
  std::vector<const char*> texts;
  for (const std::string& v : values) texts.push_back(v.c_str());
  if (!attr.valid() || (!texts.empty() && H5Awrite(attr.get(), type.get(), texts.data()) < 0)) {
    fail("cannot write attribute '" + name + "'");
  }
}

void H5Writer::int_list_attribute(const std::string& name, const std::vector<int64_t>& values) {
  H5Id space = simple_space({static_cast<int64_t>(values.size())});
  H5Id attr(
      H5Acreate2(file_.get(), name.c_str(), H5T_STD_I64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
      H5Aclose);
  if (!attr.valid() ||
      (!values.empty() && H5Awrite(attr.get(), H5T_NATIVE_INT64, values.data()) < 0)) {
    fail("cannot write attribute '" + name + "'");
  }
}

void H5Writer::close() {
  if (!file_.valid()) return;
  if (H5Fflush(file_.get(), H5F_SCOPE_GLOBAL) < 0) fail("cannot flush the HDF5 file");
  if (H5Fclose(file_.release()) < 0) fail("cannot close the HDF5 file");
}

// ---------------------------------------------------------------------------------------------
// Reading

H5Reader::H5Reader(std::string path) : path_(std::move(path)) {
  silence_hdf5();
  H5Id access(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  H5Pset_fclose_degree(access.get(), H5F_CLOSE_STRONG);
  file_ = H5Id(H5Fopen(path_.c_str(), H5F_ACC_RDONLY, access.get()), H5Fclose);
  if (!file_.valid()) fail("not a readable HDF5 file (truncated or not HDF5)");
}

void H5Reader::fail(const std::string& what) const { throw CorruptEntry(path_ + ": " + what); }

bool H5Reader::has(const std::string& name) const {
  // Check each component of the path: H5Lexists fails when an intermediate group is missing.
  size_t slash = name.find('/');
  while (true) {
    const std::string prefix = name.substr(0, slash);
    if (H5Lexists(file_.get(), prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    if (slash == std::string::npos) return true;
    slash = name.find('/', slash + 1);
  }
}

std::vector<std::string> H5Reader::group_members(const std::string& name) const {
  if (!has(name)) fail("missing group '" + name + "'");
  H5Id group(H5Gopen2(file_.get(), name.c_str(), H5P_DEFAULT), H5Gclose);
  H5G_info_t info{};
  if (!group.valid() || H5Gget_info(group.get(), &info) < 0) fail("'" + name + "' is not a group");
  std::vector<std::string> members;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    H5_index_t index = H5_INDEX_CRT_ORDER;
    ssize_t size =
        H5Lget_name_by_idx(group.get(), ".", index, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (size < 0) {  // a group written without creation order: fall back to name order
      index = H5_INDEX_NAME;
      size = H5Lget_name_by_idx(group.get(), ".", index, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    }
    if (size < 0) fail("cannot list group '" + name + "'");
    std::string member(static_cast<size_t>(size) + 1, '\0');
    H5Lget_name_by_idx(group.get(), ".", index, H5_ITER_INC, i, member.data(), member.size(),
                       H5P_DEFAULT);
    member.resize(static_cast<size_t>(size));
    members.push_back(member);
  }
  return members;
}

H5Id H5Reader::open_dataset(const std::string& name, std::vector<int64_t>* dims) const {
  if (!has(name)) fail("missing dataset '" + name + "'");
  H5Id dataset(H5Dopen2(file_.get(), name.c_str(), H5P_DEFAULT), H5Dclose);
  if (!dataset.valid()) fail("'" + name + "' is not a readable dataset");
  H5Id space(H5Dget_space(dataset.get()), H5Sclose);
  const int rank = space.valid() ? H5Sget_simple_extent_ndims(space.get()) : -1;
  if (rank < 0) fail("dataset '" + name + "' has no readable shape");
  std::vector<hsize_t> h(static_cast<size_t>(rank));
  H5Sget_simple_extent_dims(space.get(), h.data(), nullptr);
  dims->assign(h.begin(), h.end());
  return dataset;
}

FloatArray H5Reader::read_floats(const std::string& name, EntryChecksum* checksum) const {
  FloatArray out;
  H5Id dataset = open_dataset(name, &out.dims);
  H5Id type(H5Dget_type(dataset.get()), H5Tclose);
  const size_t element_size = H5Tget_size(type.get());
  if (H5Tget_class(type.get()) != H5T_FLOAT || (element_size != 4 && element_size != 8)) {
    fail("dataset '" + name + "' is not float32 or float64");
  }
  out.float64 = element_size == 8;
  const size_t count = element_count(out.dims);
  if (out.float64) {
    out.values.resize(count);
    if (count > 0 && H5Dread(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                             out.values.data()) < 0) {
      fail("cannot read dataset '" + name + "'");
    }
    if (checksum != nullptr) checksum->add(name, out.values.data(), count * 8);
  } else {
    std::unique_ptr<float[]> narrow(new float[count]);  // not value-initialised (cost)
    if (count > 0 &&
        H5Dread(dataset.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, narrow.get()) < 0) {
      fail("cannot read dataset '" + name + "'");
    }
    if (checksum != nullptr) checksum->add(name, narrow.get(), count * 4);
    out.values.assign(narrow.get(), narrow.get() + count);
  }
  return out;
}

std::vector<int64_t> H5Reader::read_ints(const std::string& name, std::vector<int64_t>* dims,
                                         EntryChecksum* checksum) const {
  H5Id dataset = open_dataset(name, dims);
  H5Id type(H5Dget_type(dataset.get()), H5Tclose);
  if (H5Tget_class(type.get()) != H5T_INTEGER || H5Tget_size(type.get()) != 8) {
    fail("dataset '" + name + "' is not int64");
  }
  const size_t count = element_count(*dims);
  std::vector<int64_t> values(count);
  if (count > 0 &&
      H5Dread(dataset.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0) {
    fail("cannot read dataset '" + name + "'");
  }
  if (checksum != nullptr) checksum->add(name, values.data(), count * sizeof(int64_t));
  return values;
}

bool H5Reader::has_attribute(const std::string& name) const {
  return H5Aexists(file_.get(), name.c_str()) > 0;
}

H5Id H5Reader::open_attribute(const std::string& name) const {
  if (!has_attribute(name)) fail("missing attribute '" + name + "'");
  H5Id attr(H5Aopen(file_.get(), name.c_str(), H5P_DEFAULT), H5Aclose);
  if (!attr.valid()) fail("cannot open attribute '" + name + "'");
  return attr;
}

std::string H5Reader::string_attribute(const std::string& name) const {
  const std::vector<std::string> values = strings_attribute(name);
  if (values.size() != 1) fail("attribute '" + name + "' is not a single string");
  return values[0];
}

std::vector<std::string> H5Reader::strings_attribute(const std::string& name) const {
  H5Id attr = open_attribute(name);
  H5Id stored(H5Aget_type(attr.get()), H5Tclose);
  if (H5Tget_class(stored.get()) != H5T_STRING || H5Tis_variable_str(stored.get()) <= 0) {
    fail("attribute '" + name + "' is not a variable-length string");
  }
  H5Id space(H5Aget_space(attr.get()), H5Sclose);
  const hssize_t count = H5Sget_simple_extent_npoints(space.get());
  if (count < 0) fail("attribute '" + name + "' has no readable shape");
  H5Id type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5Tget_cset(stored.get()));
  std::vector<char*> texts(static_cast<size_t>(count), nullptr);
  if (count > 0 && H5Aread(attr.get(), type.get(), texts.data()) < 0) {
    fail("cannot read attribute '" + name + "'");
  }
  std::vector<std::string> values;
  for (char* text : texts) {
    values.emplace_back(text != nullptr ? text : "");
    H5free_memory(text);
  }
  return values;
}

std::vector<int64_t> H5Reader::int_list_attribute(const std::string& name) const {
  H5Id attr = open_attribute(name);
  H5Id stored(H5Aget_type(attr.get()), H5Tclose);
  H5Id space(H5Aget_space(attr.get()), H5Sclose);
  const hssize_t count = H5Sget_simple_extent_npoints(space.get());
  if (H5Tget_class(stored.get()) != H5T_INTEGER || count < 0) {
    fail("attribute '" + name + "' is not a list of integers");
  }
  std::vector<int64_t> values(static_cast<size_t>(count));
  if (count > 0 && H5Aread(attr.get(), H5T_NATIVE_INT64, values.data()) < 0) {
    fail("cannot read attribute '" + name + "'");
  }
  return values;
}

int64_t H5Reader::int_attribute(const std::string& name) const {
  H5Id attr = open_attribute(name);
  H5Id stored(H5Aget_type(attr.get()), H5Tclose);
  H5Id space(H5Aget_space(attr.get()), H5Sclose);
  int64_t value = 0;
  if (H5Tget_class(stored.get()) != H5T_INTEGER || H5Sget_simple_extent_npoints(space.get()) != 1 ||
      H5Aread(attr.get(), H5T_NATIVE_INT64, &value) < 0) {
    fail("attribute '" + name + "' is not an integer");
  }
  return value;
}

double H5Reader::double_attribute(const std::string& name) const {
  H5Id attr = open_attribute(name);
  H5Id stored(H5Aget_type(attr.get()), H5Tclose);
  H5Id space(H5Aget_space(attr.get()), H5Sclose);
  double value = 0;
  if (H5Tget_class(stored.get()) != H5T_FLOAT || H5Sget_simple_extent_npoints(space.get()) != 1 ||
      H5Aread(attr.get(), H5T_NATIVE_DOUBLE, &value) < 0) {
    fail("attribute '" + name + "' is not a number");
  }
  return value;
}

}  // namespace trajtool
