// The public tables of fixed-point training are defined in integers
// (common/training_tables.h, docs/PROTOCOL.md §10.4, §10.7). These tests pin
// that definition: it agrees with the real-valued formula, evaluated here
// in long double, wherever that formula is not within a hair of a rounding
// boundary, and it gives the same values as the prover's tables.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "common/training_setup.h"
#include "common/training_tables.h"
#include "prover/train/lookup_tables.h"

namespace zkpot {
namespace {

// round(2^fe exp(-x / 2^fa)) in long double, and how far the scaled value is
// from the nearest rounding boundary (k + 1/2).
struct Reference {
  int64_t value;
  long double margin;
};
Reference exp_reference(uint64_t x, uint32_t fa, uint32_t fe) {
  const long double y = std::ldexp(1.0L, static_cast<int>(fe)) *
                        std::exp(-static_cast<long double>(x) / std::ldexp(1.0L, static_cast<int>(fa)));
  const long double frac = y - std::floor(y);
  return {static_cast<int64_t>(std::floor(y + 0.5L)), std::fabs(frac - 0.5L)};
}

TEST(TrainingTables, ExpMatchesTheRealFormulaAwayFromRoundingBoundaries) {
  // Every entry of both limb tables at the default scales, and sampled
  // entries at others.
  for (uint32_t fa : {8u, 12u, 16u}) {
    for (uint32_t fe : {12u, 16u, 20u}) {
      const uint64_t stride = (fa == 12 && fe == 16) ? 1 : 97;
      for (uint64_t i = 0; i < (uint64_t{1} << 16); i += stride) {
        for (bool high : {false, true}) {
          const uint64_t x = high ? i << 16 : i;
          const Reference ref = exp_reference(x, fa, fe);
          if (ref.margin < 1e-12L) continue;  // too close to call in long double
          ASSERT_EQ(training_exp_fixed(x, fa, fe), ref.value) << "x " << x << " fa " << fa << " fe " << fe;
        }
      }
    }
  }
}

TEST(TrainingTables, ExpEdges) {
  EXPECT_EQ(training_exp_fixed(0, 12, 16), int64_t{1} << 16);  // e^0 = 1 exactly
  EXPECT_EQ(training_exp_fixed(0, 0, 30), int64_t{1} << 30);
  EXPECT_EQ(training_exp_fixed(uint64_t{1} << 12, 12, 16), 24109);  // 2^16 / e = 24109.3
  EXPECT_EQ(training_exp_fixed(~uint64_t{0}, 12, 16), 0);
  // Non-increasing in x, as the softmax gadget's S >= 2^(2Fe) argument needs.
  int64_t last = training_exp_fixed(0, 12, 16);
  for (uint64_t x = 1; x < 100000; ++x) {
    const int64_t v = training_exp_fixed(x, 12, 16);
    ASSERT_LE(v, last) << x;
    last = v;
  }
  EXPECT_EQ(last, 0);
}

TEST(TrainingTables, MeanStdIsTheExactRationalRoundedHalfAway) {
  for (uint32_t fa : {4u, 8u, 12u, 16u, 20u}) {
    for (uint32_t v = 0; v < 256; ++v) {
      // 2^fa (10^6 v - 255 mu) / (255 sigma), as a long double: the rationals
      // here are never within 10^-9 of a half.
      const long double q = std::ldexp(1.0L, static_cast<int>(fa)) *
                            (1000000.0L * v - 255.0L * kFashionMnistMeanMicro) / (255.0L * kFashionMnistStdMicro);
      ASSERT_EQ(training_mean_std_fixed(v, fa, kFashionMnistMeanMicro, kFashionMnistStdMicro), std::llround(q))
          << "v " << v << " fa " << fa;
    }
  }
  // Exact ties round away from zero on both sides.
  EXPECT_EQ(training_mean_std_fixed(1, 0, 0, 2000000), 0);         // 1/510
  EXPECT_EQ(training_mean_std_fixed(255, 1, 0, 4000000), 1);       // 2 * 1/4 = 0.5
  EXPECT_EQ(training_mean_std_fixed(0, 1, 250000, 1000000), -1);   // 2 * (-1/4) = -0.5
  EXPECT_EQ(training_mean_std_fixed(0, 1, 127500, 1000000), 0);    // -0.255
}

// The shared-work fill is the entry-wise definition, entry for entry, over
// every width the setup allows (Fa 6..16, Fe 8..24, both limbs) and at the
// edges of its fast path (shift >= in_bits, a period longer than the table).
TEST(TrainingTables, FillEqualsTheEntryWiseDefinition) {
  std::vector<int64_t> got(size_t{1} << 16, -1);
  auto check = [&](uint32_t shift, uint32_t fa, uint32_t fe, size_t size) {
    std::fill(got.begin(), got.end(), -1);
    training_exp_fill(shift, fa, fe, size, [&](size_t i, int64_t v) { got[i] = v; });
    for (size_t i = 0; i < size; ++i)
      ASSERT_EQ(got[i], training_exp_fixed(uint64_t{i} << shift, fa, fe))
          << "i " << i << " shift " << shift << " fa " << fa << " fe " << fe;
  };
  for (uint32_t fa = 6; fa <= 16; ++fa)
    for (uint32_t fe : {8u, 16u, 24u}) {
      check(0, fa, fe, size_t{1} << 16);
      check(16, fa, fe, size_t{1} << 16);
    }
  check(3, 20, 16, size_t{1} << 16);  // period 2^17 > size
  check(5, 4, 30, 1000);              // shift > in_bits
  check(0, 0, 16, 300);               // outside the fast path
}

TEST(TrainingTables, ProverAndVerifierBuildTheSameTables) {
  const train::ExpTables t = train::exp_tables(12, 16);
  for (uint64_t i = 0; i < (uint64_t{1} << 16); ++i) {
    ASSERT_EQ(t.lo[i], training_exp_value(12, 16, i, false));
    ASSERT_EQ(t.hi[i], training_exp_value(12, 16, i, true));
  }
  const auto norm = train::normalisation_table(train::Normalisation::fashion_mnist(), 12);
  for (uint32_t v = 0; v < 256; ++v)
    EXPECT_EQ(norm[v], training_normalisation_value(TrainingNormalisation::kFashionMnistMeanStd, 12, v));
}

}  // namespace
}  // namespace zkpot
