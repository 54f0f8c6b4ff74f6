// The public lookup tables of fixed-point training, computed in integers only
// (docs/PROTOCOL.md §10.4): the pixel normalisation table and the exp limb
// tables. Prover and verifier must build identical tables from the statement;
// a libm call (std::exp, std::llround on a double) may round differently on
// another platform, so these definitions use integer arithmetic throughout and
// are the tables' normative definition.
#pragma once

#include <cstdint>

namespace zkpot {

// Fashion-MNIST's pixel mean and standard deviation in millionths (the one
// mean/std normalisation the training proof has a table for).
inline constexpr uint32_t kFashionMnistMeanMicro = 286000;
inline constexpr uint32_t kFashionMnistStdMicro = 353000;

namespace training_tables_detail {

using u128 = unsigned __int128;
// Fixed point with 63 fractional bits: every value used below lies in [0, 2],
// so products of two fit in 128 bits.
inline constexpr int kQ = 63;
inline constexpr u128 kOne = u128{1} << kQ;

inline u128 qmul(u128 a, u128 b) { return (a * b) >> kQ; }

// e^{-f} for f = num / 2^bits in [0, 1], by its alternating Taylor series
// summed as two positive parts (terms fall below 2^-63 after 25 terms).
inline u128 exp_neg_unit(uint64_t num, uint32_t bits) {
  const u128 f = (u128{num} << kQ) >> bits;
  u128 plus = kOne, minus = 0, term = kOne;
  for (uint32_t k = 1; k <= 30 && term != 0; ++k) {
    term = qmul(term, f) / k;
    (k % 2 ? minus : plus) += term;
  }
  return plus - minus;
}

}  // namespace training_tables_detail

// round(2^out_bits * exp(-num / 2^in_bits)), half up, from a 63-bit fixed-point
// evaluation (absolute error below 2^-56 relative to the result's unit, far
// under the rounding step for out_bits <= 30). Entries with exp(-x) below
// 2^-(out_bits+1) are 0 without evaluation.
inline int64_t training_exp_fixed(uint64_t num, uint32_t in_bits, uint32_t out_bits) {
  using namespace training_tables_detail;
  const uint64_t whole = in_bits >= 64 ? 0 : num >> in_bits;
  // x >= out_bits + 2 gives 2^out e^{-x} < 2^out e^{-out-2} < 1/2.
  if (whole >= uint64_t{out_bits} + 2) return 0;
  const uint64_t frac = in_bits >= 64 ? num : num & ((uint64_t{1} << in_bits) - 1);
  u128 r = exp_neg_unit(frac, in_bits);
  const u128 e1 = exp_neg_unit(1, 0);
  for (uint64_t i = 0; i < whole; ++i) r = qmul(r, e1);
  // round half up of r * 2^out_bits / 2^63
  const u128 scaled = r << out_bits;
  return static_cast<int64_t>((scaled + (kOne >> 1)) >> kQ);
}

// round(2^frac_bits * (v/255 - mean) / std), halves away from zero (as
// std::llround), with mean and std in millionths: the exact rational
// 2^frac_bits (10^6 v - 255 mean) / (255 std).
inline int64_t training_mean_std_fixed(uint32_t v, uint32_t frac_bits, uint32_t mean_micro, uint32_t std_micro) {
  const __int128 num = (static_cast<__int128>(1000000) * v - static_cast<__int128>(255) * mean_micro) << frac_bits;
  const __int128 den = static_cast<__int128>(255) * std_micro;
  const __int128 mag = ((num < 0 ? -num : num) * 2 + den) / (2 * den);
  return static_cast<int64_t>(num < 0 ? -mag : mag);
}

}  // namespace zkpot
