// A second dataset reader: CSV with one example per line, "label,pixel0,...",
// integers 0..255 (the layout of the Kaggle Fashion-MNIST CSVs). A first line
// that does not start with a digit is taken as a header and skipped. Every
// row must have the same number of fields; sizes are bounded; malformed input
// raises CsvDatasetError with the line number.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include "formats/labelled_images.h"

namespace zkpot::formats {

class CsvDatasetError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CsvLimits {
  size_t max_file_bytes = size_t{1} << 30;
  size_t max_rows = size_t{1} << 22;
  size_t max_pixels_per_row = size_t{1} << 16;
};

// Images are square (k x k) when the pixel count is a perfect square, else 1 x n.
LabelledImages parse_csv_dataset(std::string_view text, const CsvLimits& limits = {});
LabelledImages read_csv_dataset(const std::string& path, const CsvLimits& limits = {});

}  // namespace zkpot::formats
