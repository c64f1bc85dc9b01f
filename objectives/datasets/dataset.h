#pragma once
// Data sets for trained-model runs, torch-free: seeded synthetic ones (moons, circles, spirals,
// blobs, xor, sine), Fashion-MNIST from Debian's dataset-fashion-mnist package, any CSV file and
// any IDX pair. Each is one file in objectives/datasets/ plus one line in registry.cc.
#include <string>
#include <vector>

#include "toolkit/core/training_record.h"
#include "toolkit/core/training_spec.h"

namespace trajtool {

// Checks `spec` and fills what follows from it: features, classes, sample_shape, and for files
// their paths (fashion_mnist) and the SHA-256 of their bytes (`file_digests`). Reads CSV files
// whole (every row is checked: ragged rows, non-numeric cells, NaN) and IDX headers and labels.
// Throws InputError naming the file, line and column ("data.csv:5: column 3 'b': ...").
void resolve_dataset(DatasetSpec& spec);

// Makes the data set `spec` (resolved) describes: bit-identical for the same spec and files.
// Throws InputError for a file that changed since resolve_dataset or is malformed.
DatasetRecord make_dataset(const DatasetSpec& spec);

// The registered names, for messages.
std::vector<std::string> dataset_names();

// Where Debian's dataset-fashion-mnist installs its files ($TRAJTOOL_FASHION_MNIST overrides).
std::string fashion_mnist_folder();

}  // namespace trajtool
