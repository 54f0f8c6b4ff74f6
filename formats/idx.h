// The IDX format of (Fashion-)MNIST: a 4-byte magic (0, 0, element type,
// number of dimensions), the dimensions as big-endian 32-bit sizes, then the
// elements row-major. Files may be gzipped (Debian's dataset-fashion-mnist
// ships them so); the reader detects that and decompresses with a bound.
// Only unsigned-byte elements (type 0x08) are accepted: pixels and labels.
// Malformed input raises IdxError and never reads out of bounds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "formats/labelled_images.h"

namespace zkpot::formats {

class IdxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct IdxLimits {
  size_t max_file_bytes = size_t{1} << 28;   // on disk (compressed or not)
  size_t max_elements = size_t{1} << 28;     // product of the dimensions
  unsigned max_dims = 4;
};

struct IdxArray {
  std::vector<uint32_t> dims;
  std::vector<uint8_t> data;  // product(dims) bytes, row-major
};

inline constexpr uint8_t kIdxTypeUnsignedByte = 0x08;

// Parses an IDX array from raw or gzipped bytes.
IdxArray parse_idx(std::span<const uint8_t> bytes, const IdxLimits& limits = {});
// Reads and parses a file; the error names the file.
IdxArray read_idx_file(const std::string& path, const IdxLimits& limits = {});

// Joins an images array (N x H x W) and a labels array (N) into a dataset.
LabelledImages labelled_images_from_idx(IdxArray images, IdxArray labels);
LabelledImages load_idx_dataset(const std::string& images_path, const std::string& labels_path,
                                const IdxLimits& limits = {});

// Where Debian's dataset-fashion-mnist installs the set, and its file names.
inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";
enum class FashionMnistSplit { kTrain, kTest };
// Loads a split from dir (gzipped or not: "<name>.gz" is tried first).
LabelledImages load_fashion_mnist(FashionMnistSplit split, const std::string& dir = kFashionMnistDir);
// True when both files of the split exist in dir.
bool fashion_mnist_available(FashionMnistSplit split, const std::string& dir = kFashionMnistDir);

// Reads a whole file, refusing files larger than max_bytes.
std::vector<uint8_t> read_file_bounded(const std::string& path, size_t max_bytes);

}  // namespace zkpot::formats
