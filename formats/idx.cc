#include "formats/idx.h"

#include <filesystem>
#include <fstream>

#include "formats/gzip.h"

namespace zkpot::formats {

namespace {

uint32_t read_be32(std::span<const uint8_t> b, size_t at) {
  return uint32_t{b[at]} << 24 | uint32_t{b[at + 1]} << 16 | uint32_t{b[at + 2]} << 8 | uint32_t{b[at + 3]};
}

const char* split_name(FashionMnistSplit split, bool images) {
  if (split == FashionMnistSplit::kTrain) return images ? "train-images-idx3-ubyte" : "train-labels-idx1-ubyte";
  return images ? "t10k-images-idx3-ubyte" : "t10k-labels-idx1-ubyte";
}

// The existing file among "<dir>/<name>.gz" and "<dir>/<name>", or "".
std::string locate(const std::string& dir, const char* name) {
  for (const std::string suffix : {".gz", ""}) {
    const std::string p = dir + "/" + name + suffix;
    std::error_code ec;
    if (std::filesystem::is_regular_file(p, ec)) return p;
  }
  return {};
}

}  // namespace

std::vector<uint8_t> read_file_bounded(const std::string& path, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IdxError("cannot open " + path);
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) throw IdxError("cannot determine the size of " + path);
  if (static_cast<uint64_t>(size) > max_bytes) throw IdxError(path + " is larger than the size limit");
  in.seekg(0, std::ios::beg);
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  if (!bytes.empty() && !in.read(reinterpret_cast<char*>(bytes.data()), size)) throw IdxError("cannot read " + path);
  return bytes;
}

IdxArray parse_idx(std::span<const uint8_t> bytes, const IdxLimits& limits) {
  std::vector<uint8_t> inflated;
  if (looks_gzipped(bytes)) {
    // Header + dims + max_elements one-byte elements is the most a valid file holds.
    const size_t max_out = 4 + 4 * size_t{limits.max_dims} + limits.max_elements;
    try {
      inflated = gunzip(bytes, max_out);
    } catch (const GzipError& e) {
      throw IdxError(std::string("IDX: ") + e.what());
    }
    bytes = inflated;
  }
  if (bytes.size() < 4) throw IdxError("IDX: file shorter than its magic");
  if (bytes[0] != 0 || bytes[1] != 0) throw IdxError("IDX: bad magic (first two bytes must be zero)");
  if (bytes[2] != kIdxTypeUnsignedByte) throw IdxError("IDX: unsupported element type (only unsigned bytes, 0x08)");
  const unsigned ndims = bytes[3];
  if (ndims == 0 || ndims > limits.max_dims) throw IdxError("IDX: number of dimensions out of range");
  if (bytes.size() < 4 + 4 * size_t{ndims}) throw IdxError("IDX: file ends inside the dimensions");
  IdxArray out;
  size_t elements = 1;
  for (unsigned d = 0; d < ndims; ++d) {
    const uint32_t n = read_be32(bytes, 4 + 4 * size_t{d});
    out.dims.push_back(n);
    if (n != 0 && elements > limits.max_elements / n) throw IdxError("IDX: too many elements");
    elements *= n;
  }
  if (elements > limits.max_elements) throw IdxError("IDX: too many elements");
  const size_t header = 4 + 4 * size_t{ndims};
  if (bytes.size() - header != elements)
    throw IdxError(bytes.size() - header < elements ? "IDX: file shorter than its dimensions say"
                                                    : "IDX: trailing bytes after the data");
  out.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(header), bytes.end());
  return out;
}

IdxArray read_idx_file(const std::string& path, const IdxLimits& limits) {
  const auto bytes = read_file_bounded(path, limits.max_file_bytes);
  try {
    return parse_idx(bytes, limits);
  } catch (const IdxError& e) {
    throw IdxError(path + ": " + e.what());
  }
}

LabelledImages labelled_images_from_idx(IdxArray images, IdxArray labels) {
  if (images.dims.size() != 3) throw IdxError("IDX images: expected 3 dimensions (count, rows, columns)");
  if (labels.dims.size() != 1) throw IdxError("IDX labels: expected 1 dimension");
  if (images.dims[0] != labels.dims[0]) throw IdxError("IDX: image and label counts differ");
  if (images.dims[1] == 0 || images.dims[2] == 0) throw IdxError("IDX images: empty image shape");
  LabelledImages out;
  out.count = images.dims[0];
  out.height = images.dims[1];
  out.width = images.dims[2];
  out.pixels = std::move(images.data);
  out.labels = std::move(labels.data);
  return out;
}

LabelledImages load_idx_dataset(const std::string& images_path, const std::string& labels_path,
                                const IdxLimits& limits) {
  return labelled_images_from_idx(read_idx_file(images_path, limits), read_idx_file(labels_path, limits));
}

bool fashion_mnist_available(FashionMnistSplit split, const std::string& dir) {
  return !locate(dir, split_name(split, true)).empty() && !locate(dir, split_name(split, false)).empty();
}

LabelledImages load_fashion_mnist(FashionMnistSplit split, const std::string& dir) {
  const std::string images = locate(dir, split_name(split, true)), labels = locate(dir, split_name(split, false));
  if (images.empty() || labels.empty())
    throw IdxError(std::string("Fashion-MNIST files not found in ") + dir +
                   " (install the Debian package dataset-fashion-mnist)");
  return load_idx_dataset(images, labels);
}

}  // namespace zkpot::formats
