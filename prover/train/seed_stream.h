// A deterministic stream of 64-bit words from a 32-byte seed: block i of
// domain d is BLAKE2b-256_personal(seed || LE64(d) || LE64(i)), read as four
// little-endian words (docs/PROTOCOL.md §10). The batch schedule and the
// initial weights are drawn from it, under different personalisations.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "common/hash.h"

namespace zkpot::train {

using Seed = std::array<uint8_t, 32>;

namespace personal {
inline constexpr std::string_view kSchedule = "zkpot/schedule";
inline constexpr std::string_view kInitialWeights = "zkpot/init-w";
}  // namespace personal

class SeedStream {
 public:
  SeedStream(std::string_view personalisation, const Seed& seed, uint64_t domain)
      : personalisation_(personalisation), seed_(seed), domain_(domain) {}

  uint64_t next_u64() {
    if (used_ == 4) refill();
    return words_[used_++];
  }
  // Uniform in [0, n), n >= 1, by rejection (no modulo bias).
  uint64_t uniform_below(uint64_t n) {
    const uint64_t limit = UINT64_MAX - UINT64_MAX % n;  // accept w < limit
    while (true) {
      const uint64_t w = next_u64();
      if (w < limit) return w % n;
    }
  }

 private:
  void refill() {
    Blake2b256::State st(personalisation_);
    st.update(seed_.data(), seed_.size());
    st.update_u64(domain_);
    st.update_u64(block_++);
    const auto d = st.finalize();
    for (size_t w = 0; w < 4; ++w) {
      uint64_t x = 0;
      for (size_t b = 0; b < 8; ++b) x |= uint64_t{d[8 * w + b]} << (8 * b);
      words_[w] = x;
    }
    used_ = 0;
  }

  std::string_view personalisation_;
  Seed seed_;
  uint64_t domain_;
  uint64_t block_ = 0;
  std::array<uint64_t, 4> words_{};
  size_t used_ = 4;
};

}  // namespace zkpot::train
