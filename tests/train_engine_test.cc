// The fixed-point training engine: rescaling, tables, schedule, initial
// weights, train-only mode equal to recording mode bit for bit, loss going
// down, the fixed point tracking the double reference, loud failures when a
// width is exceeded, and configuration validation (docs/PROTOCOL.md §10).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "formats/idx.h"
#include "prover/train/batch_schedule.h"
#include "prover/train/comparison_run.h"
#include "prover/train/fixed_point_trainer.h"
#include "prover/train/float_reference.h"
#include "prover/train/lookup_tables.h"
#include "prover/train/relation_checker.h"
#include "prover/train/rescale.h"
#include "tests/train_test_data.h"

namespace zkpot::train {
namespace {

TEST(TrainRescale, RoundsHalfUpWithRemainderInRange) {
  for (unsigned f = 1; f <= 6; ++f)
    for (int64_t z = -3000; z <= 3000; ++z) {
      const Rescaled r = rescale_round_half_up(z, f);
      const double exact = static_cast<double>(z) / std::ldexp(1.0, static_cast<int>(f));
      EXPECT_EQ(r.quotient, static_cast<int64_t>(std::floor(exact + 0.5))) << z << " " << f;
      EXPECT_EQ(z + (int64_t{1} << (f - 1)), r.quotient * (int64_t{1} << f) + r.remainder);
      EXPECT_GE(r.remainder, 0);
      EXPECT_LT(r.remainder, int64_t{1} << f);
    }
  EXPECT_TRUE(in_signed_range(-(1 << 19), 20));
  EXPECT_FALSE(in_signed_range(1 << 19, 20));
  EXPECT_THROW(check_signed_range("t", 0, -(1 << 19) - 1, 20), FixedPointRangeError);
}

TEST(TrainTables, NormalisationAndExpTables) {
  const auto unit = normalisation_table({}, 12);
  EXPECT_EQ(unit[0], 0);
  EXPECT_EQ(unit[255], 4096);
  for (size_t v = 0; v < 256; ++v)
    EXPECT_EQ(unit[v], static_cast<int64_t>(std::floor(static_cast<double>(v) * 4096 / 255 + 0.5))) << v;
  const auto ms = normalisation_table(Normalisation::fashion_mnist(), 12);
  EXPECT_EQ(ms[0], std::llround(-0.2860 / 0.3530 * 4096));
  EXPECT_TRUE(std::is_sorted(ms.begin(), ms.end()));
  const ExpTables t = exp_tables(12, 16);
  EXPECT_EQ(t.lo[0], 1 << 16);
  EXPECT_EQ(t.hi[0], 1 << 16);
  EXPECT_EQ(t.lo[4096], std::llround(65536 * std::exp(-1.0)));
  EXPECT_EQ(t.hi.back(), 0);  // the clamp is exact
  EXPECT_TRUE(std::is_sorted(t.lo.rbegin(), t.lo.rend()));
}

TEST(TrainSchedule, PermutationsAreDeterministicAndDistinct) {
  Seed seed{};
  seed[3] = 9;
  const auto p0 = epoch_permutation(seed, 0, 1000);
  EXPECT_EQ(p0, epoch_permutation(seed, 0, 1000));
  EXPECT_NE(p0, epoch_permutation(seed, 1, 1000));
  Seed other = seed;
  other[31] ^= 1;
  EXPECT_NE(p0, epoch_permutation(other, 0, 1000));
  auto sorted = p0;
  std::sort(sorted.begin(), sorted.end());
  for (uint32_t i = 0; i < 1000; ++i) EXPECT_EQ(sorted[i], i);
  // Steps of one epoch take disjoint rows; the last partial batch is dropped.
  BatchSchedule s(seed, 1000, 64);
  EXPECT_EQ(s.steps_per_epoch(), 15u);
  std::set<uint32_t> seen;
  for (uint64_t t = 0; t < 15; ++t)
    for (uint32_t r : s.rows_of_step(t)) EXPECT_TRUE(seen.insert(r).second);
  EXPECT_EQ(seen.size(), 960u);
  const auto step15 = s.rows_of_step(15);  // epoch 1, step 0
  const auto p1 = epoch_permutation(seed, 1, 1000);
  EXPECT_TRUE(std::equal(step15.begin(), step15.end(), p1.begin()));
}

TrainConfig small_config(const char* arch, size_t batch, double eta) {
  return TrainConfig::standard(Architecture::parse(arch), batch, eta);
}

TEST(TrainModel, InitialWeightsAreDeterministicAndBounded) {
  const TrainConfig c = small_config("64-32-10", 16, 0.1);
  Seed a{}, b{};
  b[0] = 1;
  const QuantisedModel m = initial_model(c, a);
  EXPECT_EQ(m, initial_model(c, a));
  EXPECT_NE(m.weights, initial_model(c, b).weights);
  const auto limit = static_cast<int64_t>(std::floor(std::sqrt(6.0 / 64) * (1 << 20)));
  int64_t lo = 0, hi = 0;
  for (int64_t w : m.weights[0]) {
    lo = std::min(lo, w);
    hi = std::max(hi, w);
  }
  EXPECT_GE(lo, -limit);
  EXPECT_LE(hi, limit);
  EXPECT_LT(lo, -limit / 2);  // 2048 draws spread over the range
  EXPECT_GT(hi, limit / 2);
  for (int64_t v : m.biases[1]) EXPECT_EQ(v, 0);
}

TEST(TrainEngine, TrainOnlyModeEqualsRecordingModeBitForBit) {
  for (const char* arch : {"64-32-10", "64-24-16-10"}) {
    for (LossKind loss : {LossKind::kSoftmaxCrossEntropy, LossKind::kMeanSquaredError}) {
      TrainConfig c = small_config(arch, 16, 0.1);
      c.loss = loss;
      const auto data = testing::banded_images(256, 8, 1);
      const QuantisedModel init = initial_model(c, Seed{});
      FixedPointTrainer fast(c, init), recorded(c, init);
      BatchSchedule schedule(Seed{}, data.count, c.batch_size);
      StepWitness w;
      for (uint64_t t = 0; t < 40; ++t) {
        fast.step(data, schedule.rows_of_step(t), t, nullptr);
        recorded.step(data, schedule.rows_of_step(t), t, &w);
        ASSERT_EQ(model_after(c, w), recorded.model());
      }
      EXPECT_EQ(fast.model(), recorded.model()) << arch;
      EXPECT_EQ(fast.last_loss(), recorded.last_loss());
      EXPECT_NE(fast.model(), init);
    }
  }
}

TEST(TrainEngine, LossDecreasesAndFixedPointTracksFloat) {
  const TrainConfig c = small_config("64-32-10", 16, 0.1);
  const auto train = testing::banded_images(2048, 8, 2), test = testing::banded_images(512, 8, 3);
  ComparisonOptions opt;
  opt.steps = 120;
  opt.eval_every = 40;
  const ComparisonRun run = train_and_compare(c, train, test, opt);
  // Untrained accuracy is about 10%; the banded classes are easy.
  EXPECT_GT(run.curve.back().fixed_accuracy, 0.8);
  for (const auto& p : run.curve) EXPECT_LE(std::fabs(p.fixed_accuracy - p.float_accuracy), 0.02) << p.step;
  // Weights stay close to the reference: differences are rounding noise.
  const FloatModel fx = dequantise(run.fixed_model, c.fp.weight_frac_bits);
  double worst = 0;
  for (size_t l = 0; l < fx.weights.size(); ++l)
    for (size_t i = 0; i < fx.weights[l].size(); ++i)
      worst = std::max(worst, std::fabs(fx.weights[l][i] - run.float_model.weights[l][i]));
  EXPECT_LT(worst, 0.01);
  // Loss goes down: mean over the first and last ten steps.
  FixedPointTrainer t(c, initial_model(c, Seed{}));
  BatchSchedule s(Seed{}, train.count, c.batch_size);
  double early = 0, late = 0;
  for (uint64_t step = 0; step < 120; ++step) {
    t.step(train, s.rows_of_step(step), step, nullptr);
    if (step < 10) early += t.last_loss();
    if (step >= 110) late += t.last_loss();
  }
  EXPECT_LT(late, 0.5 * early);
}

TEST(TrainEngine, FashionMnistSliceTracksFloat) {
  if (!formats::fashion_mnist_available(formats::FashionMnistSplit::kTest)) GTEST_SKIP() << "dataset not installed";
  const auto all = formats::load_fashion_mnist(formats::FashionMnistSplit::kTest);
  const auto train = all.head(4096);
  const TrainConfig c = TrainConfig::standard(Architecture::parse("784-32-10"), 32, 0.05, Normalisation::fashion_mnist());
  ComparisonOptions opt;
  opt.steps = 100;
  const ComparisonRun run = train_and_compare(c, train, all, opt);
  EXPECT_GT(run.curve.back().fixed_accuracy, 0.6);
  EXPECT_LE(std::fabs(run.curve.back().fixed_accuracy - run.curve.back().float_accuracy), 0.01);
}

TEST(TrainEngine, SoftmaxClampsHugeGapsAndTracksDouble) {
  TrainConfig c = small_config("4-4", 2, 0.1);
  const ExpTables tables = exp_tables(c.fp.act_frac_bits, c.fp.exp_frac_bits);
  const Tensor logits = {0, 4096, -8192, 2048, 5, 5, 5, -(int64_t{1} << 33)};
  SoftmaxWitness w;
  fixed_point_softmax(c, tables, logits, 2, &w);
  const int64_t one = 4096;
  for (size_t b = 0; b < 2; ++b) {
    double s = 0;
    for (size_t i = 0; i < 4; ++i) s += std::exp(static_cast<double>(logits[b * 4 + i] - w.row_max[b]) / one);
    for (size_t i = 0; i < 4; ++i) {
      const double p = std::exp(static_cast<double>(logits[b * 4 + i] - w.row_max[b]) / one) / s;
      EXPECT_NEAR(static_cast<double>(w.prob[b * 4 + i]) / one, p, 2.0 / one);
    }
  }
  EXPECT_EQ(w.argmax[1], 1);
  EXPECT_EQ(w.argmax[4], 1);  // first of the tied maxima
  EXPECT_EQ(w.argmax[5], 0);
  EXPECT_EQ(w.clamp[7], 1);  // a gap of 2^33 is past the tables
  EXPECT_EQ(w.clamped[7], kExpClampThreshold);
  EXPECT_EQ(w.exp[7], 0);
  EXPECT_EQ(w.clamp[6], 0);
}

TEST(TrainEngine, ExceededWidthFailsLoudly) {
  TrainConfig c = small_config("64-32-10", 16, 0.1);
  QuantisedModel m = initial_model(c, Seed{});
  for (auto& v : m.weights[0]) v = (int64_t{1} << (c.fp.weight_bits - 1)) - 1;  // every weight near 8.0
  FixedPointTrainer t(c, m);
  const auto data = testing::banded_images(64, 8, 1);
  BatchSchedule s(Seed{}, data.count, c.batch_size);
  EXPECT_THROW(t.step(data, s.rows_of_step(0), 0, nullptr), FixedPointRangeError);
  m.weights[0][0] = int64_t{1} << (c.fp.weight_bits - 1);
  EXPECT_THROW(FixedPointTrainer(c, m), FixedPointRangeError);
}

TEST(TrainConfig, ValidationRejectsBadParameters) {
  EXPECT_NO_THROW(small_config("784-128-10", 64, 0.1));
  EXPECT_NO_THROW(small_config("3072-1024-1024-1024-1024-1024-1024-1024-1024", 64, 0.1));
  EXPECT_THROW(Architecture::parse("784-"), ConfigError);
  EXPECT_THROW(Architecture::parse("784"), ConfigError);
  EXPECT_THROW(Architecture::parse("784-x-10"), ConfigError);
  EXPECT_EQ(Architecture::parse("784-256-128-10").name(), "784-256-128-10");
  EXPECT_EQ(Architecture::parse("784-128-10").parameter_count(), 784u * 128 + 128 + 1280 + 10);
  EXPECT_THROW(small_config("784-128-10", 512, 0.1), ConfigError);  // batch cap
  EXPECT_THROW(small_config("784-128-10", 64, 1e-9), ConfigError);  // lr rounds to 0
  EXPECT_THROW(small_config("784-128-10", 64, 1e6), ConfigError);   // lr past 2^16
  TrainConfig c = small_config("784-128-10", 64, 0.1);
  c.fp.quotient_bits = 31;
  c.fp.weight_bits = 31;
  try {
    c.validate();
    ADD_FAILURE() << "a wrapping configuration was accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("no-wrap"), std::string::npos) << e.what();
  }
  c = small_config("784-128-10", 64, 0.1);
  c.fp.lr_frac_bits = 4;  // Fa + Flr - Fw < 1
  EXPECT_THROW(c.validate(), ConfigError);
  c = small_config("784-128-10", 64, 0.1);
  c.fp.act_frac_bits = 19;  // Fa + 1 >= Bq: no room for values above 1
  EXPECT_THROW(c.validate(), ConfigError);
}

}  // namespace
}  // namespace zkpot::train
