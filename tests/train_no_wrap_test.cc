// The no-wrap lemma of docs/PROTOCOL.md §10.7, recomputed from the code's
// constants: for the stated widths, shapes and caps, every integer either side
// of a relation reaches stays below p/2, so equality mod p is equality.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>

#include "common/field.h"
#include "prover/train/config.h"
#include "prover/train/lookup_tables.h"
#include "prover/train/no_wrap.h"

namespace zkpot::train {
namespace {

using u128 = unsigned __int128;

std::map<std::string, u128> by_name(const TrainConfig& c) {
  std::map<std::string, u128> m;
  for (const auto& r : worst_case_magnitudes(c)) m[r.relation] = r.bound;
  return m;
}

// The configurations bench/ and the tests use, at the caps: batch 256, widest input.
std::vector<TrainConfig> configurations() {
  std::vector<TrainConfig> v;
  for (const char* arch : {"784-128-10", "784-256-128-10", "3072-1024-1024-1024-1024-1024-1024-1024-1024",
                           "4096-4096-4096"})
    for (size_t batch : {size_t{64}, kMaxBatch})
      for (Normalisation n : {Normalisation{}, Normalisation::fashion_mnist()}) {
        TrainConfig c = TrainConfig::standard(Architecture::parse(arch), batch, 0.03, n);
        v.push_back(c);
        c.loss = LossKind::kMeanSquaredError;
        v.push_back(c);
      }
  return v;
}

TEST(TrainNoWrap, EveryRelationStaysBelowHalfTheModulus) {
  const u128 half = (u128{Goldilocks::kModulus} - 1) / 2;
  EXPECT_EQ(half_modulus(), half);
  for (const TrainConfig& c : configurations()) {
    const auto mags = worst_case_magnitudes(c);
    EXPECT_GE(mags.size(), 5 * c.arch.layers());
    for (const auto& r : mags) EXPECT_LT(r.bound, half) << c.arch.name() << " " << r.relation;
  }
}

TEST(TrainNoWrap, LargestBoundsMatchAnIndependentRecomputation) {
  for (const TrainConfig& c : configurations()) {
    const auto m = by_name(c);
    const FixedPointParams& fp = c.fp;
    const u128 q = u128{1} << (fp.quotient_bits - 1), w = u128{1} << (fp.weight_bits - 1);
    // Hidden layers: fan_in * |W| * |a| + 2^Fa |b| + 2^(Fw-1).
    for (size_t l = 1; l < c.arch.layers(); ++l) {
      const u128 expect = u128{c.arch.fan_in(l)} * w * q + (u128{1} << fp.act_frac_bits) * w +
                          (u128{1} << (fp.weight_frac_bits - 1));
      EXPECT_EQ(m.at("forward." + std::to_string(l) + ".rescale"), expect);
    }
    // The update: (2^16 - 1) * B * |delta| * |a| + 2^(kw-1), |delta| = |a| = 2^(Bq-1) for a hidden layer.
    if (c.arch.layers() > 1) {
      const size_t l = c.arch.layers() - 1;
      const u128 delta_top = c.loss == LossKind::kSoftmaxCrossEntropy ? (u128{1} << fp.act_frac_bits)
                                                                      : q + (u128{1} << fp.act_frac_bits);
      const u128 delta = delta_top > q ? delta_top : q;
      const u128 expect = ((u128{1} << kLearningRateBits) - 1) * c.batch_size * delta * q +
                          (u128{1} << (c.weight_update_shift() - 1));
      EXPECT_EQ(m.at("update." + std::to_string(l) + ".weights"), expect);
    }
    if (c.loss == LossKind::kSoftmaxCrossEntropy) {
      const u128 s = u128{c.arch.classes()} << (2 * fp.exp_frac_bits);
      EXPECT_EQ(m.at("softmax.division"), (u128{1} << (fp.act_frac_bits + 1)) * s + s);
    }
  }
}

TEST(TrainNoWrap, PrintsTheDocumentedMagnitudes) {
  // The §10.7 table lists these for 784-128-10 and the wide net at batch 256.
  for (const char* arch : {"784-128-10", "3072-1024-1024-1024-1024-1024-1024-1024-1024"}) {
    const TrainConfig c = TrainConfig::standard(Architecture::parse(arch), kMaxBatch, 0.03);
    double worst = 0;
    std::string which;
    for (const auto& r : worst_case_magnitudes(c))
      if (log2_magnitude(r.bound) > worst) {
        worst = log2_magnitude(r.bound);
        which = r.relation;
      }
    std::printf("%s: largest 2^%.2f (%s)\n", arch, worst, which.c_str());
    EXPECT_LT(worst, 63.0);
  }
}

}  // namespace
}  // namespace zkpot::train
