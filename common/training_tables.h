// The public lookup tables of fixed-point training, computed in integers only
// (docs/PROTOCOL.md §10.4): the pixel normalisation table and the exp limb
// tables. Prover and verifier must build identical tables from the statement;
// a libm call (std::exp, std::llround on a double) may round differently on
// another platform, so these definitions use integer arithmetic throughout and
// are the tables' normative definition.
#pragma once

#include <cstddef>
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

// Term K of the series below, then the later ones while the term is nonzero.
// The divisor is a template constant, so the compiler divides by multiplying
// with its reciprocal: the same quotient as a 64-bit division, several times faster.
template <uint32_t K>
inline void exp_neg_terms(uint64_t f, uint64_t term, u128& plus, u128& minus) {
  if constexpr (K <= 30) {
    if (term == 0) return;
    term = static_cast<uint64_t>((u128{term} * f) >> kQ) / K;  // = qmul(term, f) / K
    (K % 2 ? minus : plus) += term;
    exp_neg_terms<K + 1>(f, term, plus, minus);
  }
}
// e^{-f} for f = num / 2^bits in [0, 1], by its alternating Taylor series
// summed as two positive parts (terms fall below 2^-63 after 25 terms).
// term and f are at most 2^63 (num <= 2^bits: every caller passes a
// fractional part or 1 / 2^0), so qmul(term, f) fits in 64 bits and the
// division is a 64-bit one (the same quotient as in 128 bits, much faster).
inline u128 exp_neg_unit(uint64_t num, uint32_t bits) {
  const u128 f = (u128{num} << kQ) >> bits;
  u128 plus = kOne, minus = 0;
  exp_neg_terms<1>(static_cast<uint64_t>(f), static_cast<uint64_t>(kOne), plus, minus);
  return plus - minus;
}

// e^{-1}, the factor applied once per whole unit of the argument.
inline u128 exp_neg_one() {
  static const u128 e1 = exp_neg_unit(1, 0);
  return e1;
}

// round half up of r * 2^out_bits / 2^63.
inline int64_t round_out(u128 r, uint32_t out_bits) {
  return static_cast<int64_t>(((r << out_bits) + (kOne >> 1)) >> kQ);
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
  const u128 e1 = exp_neg_one();
  for (uint64_t i = 0; i < whole; ++i) r = qmul(r, e1);
  return round_out(r, out_bits);
}

// out[i] = training_exp_fixed(i << shift, in_bits, out_bits) for every i <
// out.size(), with the same operations in the same order per entry, so the
// same values, but sharing work: entries with one fractional part differ only
// in how many times the chain r <- qmul(r, e^-1) has run, so each residue
// class continues its chain instead of restarting it. O(size) products and
// 2^(in_bits - shift) series instead of a series and a chain per entry.
// Falls back to the entry-wise definition outside 1 <= in_bits < 48, shift < 48.
// put(i, value) receives each entry once.
template <class Put>
void training_exp_fill(uint32_t shift, uint32_t in_bits, uint32_t out_bits, size_t size, Put&& put) {
  using namespace training_tables_detail;
  if (in_bits == 0 || in_bits >= 48 || shift >= 48 || (size >> (63 - shift)) != 0) {
    for (size_t i = 0; i < size; ++i) put(i, training_exp_fixed(uint64_t{i} << shift, in_bits, out_bits));
    return;
  }
  // frac(i) = (i << shift) mod 2^in_bits depends on i mod period only.
  const uint64_t period = shift >= in_bits ? 1 : uint64_t{1} << (in_bits - shift);
  const u128 e1 = exp_neg_one();
  for (uint64_t q = 0; q < period && q < size; ++q) {
    const uint64_t frac = (q << shift) & ((uint64_t{1} << in_bits) - 1);
    u128 r = exp_neg_unit(frac, in_bits);
    uint64_t applied = 0;  // multiplications by e^-1 in r so far
    for (uint64_t i = q; i < size; i += period) {
      const uint64_t whole = (i << shift) >> in_bits;
      if (whole >= uint64_t{out_bits} + 2) {  // as in training_exp_fixed; whole only grows along i
        for (uint64_t j = i; j < size; j += period) put(j, int64_t{0});
        break;
      }
      for (; applied < whole; ++applied) r = qmul(r, e1);
      put(i, round_out(r, out_bits));
    }
  }
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
