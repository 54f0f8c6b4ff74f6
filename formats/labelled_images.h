// A labelled image dataset as the readers return it: raw 8-bit pixels and
// 8-bit labels, exactly the values a dataset commitment covers (the
// normalisation to fixed point is a proven lookup, docs/PROTOCOL.md §10).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace zkpot::formats {

struct LabelledImages {
  size_t count = 0;   // number of examples
  size_t height = 0;  // image rows
  size_t width = 0;   // image columns
  std::vector<uint8_t> pixels;  // count x (height*width), row-major per image
  std::vector<uint8_t> labels;  // count

  size_t pixels_per_image() const { return height * width; }
  std::span<const uint8_t> image(size_t i) const {
    return std::span<const uint8_t>(pixels).subspan(i * pixels_per_image(), pixels_per_image());
  }
  // The first n examples (n <= count), copied.
  LabelledImages head(size_t n) const {
    LabelledImages h;
    h.count = n < count ? n : count;
    h.height = height;
    h.width = width;
    h.pixels.assign(pixels.begin(), pixels.begin() + static_cast<std::ptrdiff_t>(h.count * pixels_per_image()));
    h.labels.assign(labels.begin(), labels.begin() + static_cast<std::ptrdiff_t>(h.count));
    return h;
  }
};

}  // namespace zkpot::formats
