// Small deterministic datasets for the training-engine tests: a learnable
// synthetic set (class k lights up block k of the image) and, when installed,
// a slice of Fashion-MNIST.
#pragma once

#include "formats/labelled_images.h"
#include "prover/train/seed_stream.h"

namespace zkpot::train::testing {

// count images of side x side pixels; class k (of 10) is bright in the k-th
// horizontal band and dim noise elsewhere.
inline formats::LabelledImages banded_images(size_t count, size_t side, uint8_t seed) {
  formats::LabelledImages d;
  d.count = count;
  d.height = side;
  d.width = side;
  Seed s{};
  s[0] = seed;
  SeedStream stream("zkpot/test-data", s, 0);
  for (size_t n = 0; n < count; ++n) {
    const auto label = static_cast<uint8_t>(stream.uniform_below(10));
    d.labels.push_back(label);
    for (size_t r = 0; r < side; ++r)
      for (size_t c = 0; c < side; ++c) {
        const bool band = r * 10 / side == label;
        const uint64_t noise = stream.uniform_below(band ? 100 : 90);
        d.pixels.push_back(static_cast<uint8_t>(band ? 155 + noise : noise));
      }
  }
  return d;
}

}  // namespace zkpot::train::testing
