// IDX files (the MNIST format, gzipped or not, read with zlib): a magic of two zero bytes, the
// element type (0x08: unsigned byte) and the number of dimensions, then each dimension as a
// big-endian int32, then the elements. Images [n, rows, cols] scale to [0, 1] (x / 255); labels
// [n] are class indices. `idx` splits one pair by test_fraction; `fashion_mnist` reads the train
// and t10k pairs of Debian's dataset-fashion-mnist package (10 classes).
#include <zlib.h>

#include <algorithm>

#include "objectives/datasets/dataset.h"
#include "objectives/datasets/dataset_kit.h"
#include "toolkit/core/error.h"

namespace trajtool {
namespace {

struct IdxArray {
  std::vector<int64_t> dims;    // from the header
  std::vector<uint8_t> values;  // the elements (only when read whole)
};

// Reads the file's header, and its elements unless `header_only`. `rows` > 0 reads only the
// first `rows` entries along the first dimension.
IdxArray read_idx(const std::string& path, bool header_only, int64_t rows = 0) {
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) throw InputError(path + ": cannot read the IDX file");
  struct Closer {
    gzFile f;
    ~Closer() { gzclose(f); }
  } closer{file};
  unsigned char magic[4];
  if (gzread(file, magic, 4) != 4) throw InputError(path + ": too short for an IDX header");
  if (magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08 || magic[3] < 1 || magic[3] > 4) {
    char text[64];
    std::snprintf(text, sizeof text, "%02x %02x %02x %02x", magic[0], magic[1], magic[2], magic[3]);
    throw InputError(path + ": bad IDX magic " + text +
                     " (expected 00 00 08 <dimensions 1-4>: unsigned bytes)");
  }
  IdxArray array;
  int64_t count = 1;
  for (int d = 0; d < magic[3]; ++d) {
    unsigned char b[4];
    if (gzread(file, b, 4) != 4) throw InputError(path + ": the IDX header ends early");
    const int64_t size =
        (int64_t{b[0]} << 24) | (int64_t{b[1]} << 16) | (int64_t{b[2]} << 8) | b[3];
    if (size < 1 || size > 100000000) {
      throw InputError(path + ": IDX dimension " + std::to_string(d) + " is " +
                       std::to_string(size));
    }
    array.dims.push_back(size);
    count *= size;
  }
  if (header_only) return array;
  const int64_t keep = rows > 0 ? std::min(rows, array.dims[0]) : array.dims[0];
  const int64_t wanted = count / array.dims[0] * keep;
  array.values.resize(static_cast<size_t>(wanted));
  const int got = gzread(file, array.values.data(), static_cast<unsigned>(wanted));
  if (got != wanted) {
    throw InputError(path + ": the IDX data ends after " + std::to_string(std::max(got, 0)) +
                     " of " + std::to_string(count) + " bytes the header announces");
  }
  if (keep == array.dims[0]) {
    unsigned char extra;
    if (gzread(file, &extra, 1) == 1) {
      throw InputError(path + ": the IDX file holds more than the " + std::to_string(count) +
                       " bytes its header announces");
    }
  }
  array.dims[0] = keep;
  return array;
}

void check_pair(const std::string& images, const IdxArray& i, const std::string& labels,
                const IdxArray& l) {
  if (i.dims.size() < 2) {
    throw InputError(images + ": an IDX image file needs 2 or more dimensions, it has " +
                     std::to_string(i.dims.size()));
  }
  if (l.dims.size() != 1) {
    throw InputError(labels + ": an IDX label file has 1 dimension, it has " +
                     std::to_string(l.dims.size()));
  }
  if (l.dims[0] != i.dims[0]) {
    throw InputError(labels + ": " + std::to_string(l.dims[0]) + " labels for " +
                     std::to_string(i.dims[0]) + " images in " + images);
  }
}

Samples to_samples(const IdxArray& images, const IdxArray& labels) {
  Samples s;
  s.features = static_cast<int64_t>(images.values.size()) / images.dims[0];
  s.x.reserve(images.values.size());
  for (uint8_t v : images.values) s.x.push_back(static_cast<double>(v) / 255.0);
  for (uint8_t v : labels.values) s.y.push_back(static_cast<double>(v));
  return s;
}

void set_shape(const DatasetSpec& spec, const IdxArray& images, DatasetRecord& data) {
  std::vector<int64_t> shape(images.dims.begin() + 1, images.dims.end());
  if (spec.flatten || shape.size() != 2) {
    data.sample_shape = {data.features};
  } else {
    data.sample_shape = {1, shape[0], shape[1]};
  }
}

}  // namespace

void resolve_idx(DatasetSpec& spec) {
  if (spec.name == "fashion_mnist") {
    const std::string folder = fashion_mnist_folder();
    spec.images_path = folder + "/train-images-idx3-ubyte.gz";
    spec.labels_path = folder + "/train-labels-idx1-ubyte.gz";
    spec.test_images_path = folder + "/t10k-images-idx3-ubyte.gz";
    spec.test_labels_path = folder + "/t10k-labels-idx1-ubyte.gz";
  }
  std::vector<std::string> paths = {spec.images_path, spec.labels_path};
  if (!spec.test_images_path.empty()) {
    paths.push_back(spec.test_images_path);
    paths.push_back(spec.test_labels_path);
  }
  int64_t classes = 0;
  int64_t train_images = 0;
  std::vector<int64_t> image_shape;
  for (size_t p = 0; p < paths.size(); p += 2) {
    const IdxArray images = read_idx(paths[p], true);
    const IdxArray labels = read_idx(paths[p + 1], false);
    check_pair(paths[p], images, paths[p + 1], labels);
    std::vector<int64_t> shape(images.dims.begin() + 1, images.dims.end());
    if (!image_shape.empty() && shape != image_shape) {
      throw InputError(paths[p] + ": its images differ in shape from those of " + paths[0]);
    }
    image_shape = shape;
    if (p == 0) train_images = images.dims[0];
    for (uint8_t v : labels.values) classes = std::max<int64_t>(classes, int64_t{v} + 1);
  }
  if (spec.name == "fashion_mnist" && classes != 10) {
    throw InputError(spec.labels_path + ": Fashion-MNIST has 10 classes, the labels give " +
                     std::to_string(classes));
  }
  if (classes < 2) throw InputError(spec.labels_path + ": the labels hold only one class");
  spec.classes = classes;
  spec.features = 1;
  for (int64_t d : image_shape) spec.features *= d;
  if (spec.flatten || image_shape.size() != 2) {
    spec.sample_shape = {spec.features};
  } else {
    spec.sample_shape = {1, image_shape[0], image_shape[1]};
  }
  if (spec.limit > 0) train_images = std::min(train_images, spec.limit);
  spec.train_count = spec.test_images_path.empty()
                         ? train_images - test_share(train_images, spec.test_fraction)
                         : train_images;
  spec.file_digests.clear();
  for (const std::string& path : paths) spec.file_digests.push_back(file_digest(path));
}

DatasetRecord make_idx(const DatasetSpec& spec) {
  DatasetRecord data;
  const IdxArray images = read_idx(spec.images_path, false, spec.limit);
  const IdxArray labels = read_idx(spec.labels_path, false, spec.limit);
  check_pair(spec.images_path, images, spec.labels_path, labels);
  if (spec.test_images_path.empty()) {
    split_samples(to_samples(images, labels), spec.test_fraction, spec.seed, data);
  } else {
    const Samples train = to_samples(images, labels);
    const IdxArray test_images = read_idx(spec.test_images_path, false, spec.limit);
    const IdxArray test_labels = read_idx(spec.test_labels_path, false, spec.limit);
    check_pair(spec.test_images_path, test_images, spec.test_labels_path, test_labels);
    const Samples test = to_samples(test_images, test_labels);
    data.features = train.features;
    data.train_count = train.count();
    data.test_count = test.count();
    data.x_train = train.x;
    data.y_train = train.y;
    data.x_test = test.x;
    data.y_test = test.y;
  }
  data.classes = spec.classes;
  set_shape(spec, images, data);
  for (double y : data.y_train) {
    if (y >= static_cast<double>(spec.classes)) {
      throw InputError(spec.labels_path + ": label " + std::to_string(static_cast<int>(y)) +
                       " is not one of the " + std::to_string(spec.classes) + " classes");
    }
  }
  return data;
}

}  // namespace trajtool
