// The public lookup tables of fixed-point training (docs/PROTOCOL.md §10):
// the 256-entry pixel normalisation table and the two 2^16-entry exp tables
// on 16-bit limbs. Prover, checker and (later) verifier build them from the
// parameters alone.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "prover/train/config.h"

namespace zkpot::train {

// pixel v -> fixed-point input at scale 2^Fa.
std::array<int64_t, 256> normalisation_table(const Normalisation& n, unsigned act_frac_bits);

// exp(-x / 2^Fa) for x = 2^16 hi + lo is exp_hi[hi] * exp_lo[lo] at scale
// 2^(2 Fe), with exp_lo[l] = round(2^Fe exp(-l / 2^Fa)) and
// exp_hi[h] = round(2^Fe exp(-2^16 h / 2^Fa)).
struct ExpTables {
  std::vector<int64_t> lo;  // 2^16 entries
  std::vector<int64_t> hi;  // 2^16 entries
};
ExpTables exp_tables(unsigned act_frac_bits, unsigned exp_frac_bits);

// Inputs x >= kExpClampThreshold are clamped to it before the limb split; the
// tables give 0 there (exp_hi's last entry is 0), so the clamp is exact
// whenever exp_hi.back() == 0, which validate() requires.
inline constexpr int64_t kExpClampThreshold = (int64_t{1} << (2 * kLimbBits)) - 1;

}  // namespace zkpot::train
