// Exhaustive sweeps too slow for the unit label: every 64-bit word at or
// above p (all 2^32 - 1 of them) is rejected by the canonical decoder and by
// uniform sampling, and the words just below p are accepted (docs/PROTOCOL.md §1.1).
#include <gtest/gtest.h>

#include <cstdint>

#include "common/field.h"

namespace zkpot {
namespace {

TEST(GoldilocksSlow, EveryWordAtOrAbovePIsRejected) {
  // Read through a volatile so the compiler cannot fold the sweep away.
  volatile uint64_t modulus = Goldilocks::kModulus;
  const uint64_t kP = modulus;
  uint64_t accepted = 0;
  uint8_t buf[8];
  Goldilocks out;
  for (uint64_t x = kP;; ++x) {
    for (int i = 0; i < 8; ++i) buf[i] = static_cast<uint8_t>(x >> (8 * i));
    accepted += Goldilocks::decode(buf, &out);
    accepted += Goldilocks::from_uniform_u64(x, &out);
    if (x == ~uint64_t{0}) break;
  }
  EXPECT_EQ(accepted, 0u);
  // The 2^20 words just below p all decode to themselves.
  for (uint64_t x = kP - (uint64_t{1} << 20); x < kP; ++x) {
    for (int i = 0; i < 8; ++i) buf[i] = static_cast<uint8_t>(x >> (8 * i));
    ASSERT_TRUE(Goldilocks::decode(buf, &out));
    ASSERT_EQ(out.value(), x);
  }
}

}  // namespace
}  // namespace zkpot
