// Claim counts of the training script (common/training_claims.h,
// docs/PROTOCOL.md §12.5 "Claim capacities"): the sink of every kind of
// handle, counts that do not depend on a proof, and the scratch query's
// bounds holding the exact counts over the setup space. That the counts are
// not too small is shown by every honest proof verifying: the verifier's
// lists are exactly that long (training_protocol_test, verify_real_proof_test).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>

#include "common/training_claims.h"
#include "common/training_verifier.h"

namespace zkpot {
namespace {

TrainingSetup setup_of(uint32_t layers, uint32_t width, uint32_t batch, bool wide_bits, TrainingNormalisation n) {
  TrainingSetup s;
  s.num_widths = layers + 1;
  s.widths[0] = width;
  for (uint32_t i = 1; i <= layers; ++i) s.widths[i] = i == layers ? 10 : width;
  s.batch = batch;
  s.lr_num = 100;
  s.dataset_rows = 1024;
  s.normalisation = n;
  if (wide_bits) {  // every width the setup rules allow at its largest
    s.act_frac_bits = 20;
    s.quotient_bits = 31;
    s.weight_bits = 31;
    s.update_bits = 32;
    s.exp_frac_bits = 20;
    s.weight_frac_bits = 40;
    s.lr_frac_bits = 40;
  }
  return s;
}

struct Layouts {
  std::array<TrainingLayout, 2> l;
  bool build(const TrainingSetup& s) {
    build_training_layout(s, false, &l[0]);
    build_training_layout(s, true, &l[1]);
    return l[0].valid && l[1].valid;
  }
  std::span<const TrainingLayout, 2> span() const { return std::span<const TrainingLayout, 2>(l); }
};

TEST(TrainingClaims, SinksFollowTheTensorStore) {
  const TrainingSetup s = setup_of(2, 16, 4, false, TrainingNormalisation::kUnitRange);
  ASSERT_TRUE(training_setup_valid(s));
  auto ls = std::make_unique<Layouts>();
  ASSERT_TRUE(ls->build(s));
  const TrainingLayout& l = ls->l[0];
  EXPECT_EQ(training_claim_sink(l, kTrainingGammaHandle), TrainingClaimSink::kChecked);
  EXPECT_EQ(training_claim_sink(l, kTrainingDatasetHandle), TrainingClaimSink::kDataset);
  EXPECT_EQ(training_claim_sink(l, kTrainingLabelsHandle), training_claim_sink(l, l.pixels));
  EXPECT_EQ(training_claim_sink(l, l.pixels), TrainingClaimSink::kStack);
  EXPECT_EQ(training_claim_sink(l, l.layer[0].w), TrainingClaimSink::kWeightsIn);
  EXPECT_EQ(training_claim_sink(l, l.layer[0].w_new), TrainingClaimSink::kWeightsOut);
  EXPECT_EQ(training_claim_sink(l, l.ones_rows), TrainingClaimSink::kChecked);
  EXPECT_EQ(training_claim_sink(l, l.num_tensors), TrainingClaimSink::kInvalid);
  EXPECT_EQ(training_claim_sink(l, kTrainingMatmulOutput), TrainingClaimSink::kInvalid);
}

// Counts grow with depth and segment length where they should, and the
// tables' contents do not enter them (the routing never reads a value).
TEST(TrainingClaims, CountsFollowTheScript) {
  auto a = std::make_unique<Layouts>(), b = std::make_unique<Layouts>();
  const TrainingSetup s2 = setup_of(2, 64, 8, false, TrainingNormalisation::kUnitRange);
  const TrainingSetup s3 = setup_of(3, 64, 8, false, TrainingNormalisation::kUnitRange);
  ASSERT_TRUE(a->build(s2));
  ASSERT_TRUE(b->build(s3));
  const TrainingTables empty;
  const TrainingClaimCapacities c2 = training_claim_capacities(s2, a->span(), empty, 1);
  const TrainingClaimCapacities c3 = training_claim_capacities(s3, b->span(), empty, 1);
  ASSERT_TRUE(c2.valid && c3.valid);
  EXPECT_GT(c3.stack, c2.stack);
  EXPECT_GT(c3.weights, c2.weights);
  // One dataset claim per segment (the committed rows at the sumcheck's point).
  EXPECT_EQ(c2.dataset, 1u);
  EXPECT_EQ(training_claim_capacities(s2, a->span(), empty, kTrainingMaxSegmentSteps).dataset, 1u);
  // The first step also range-checks the weights it starts from.
  TrainingClaimCounter first(a->l[1]), later(a->l[0]);
  ASSERT_EQ(run_training_step(first, s2, a->l[1], empty), TrainingStatus::kOk);
  ASSERT_EQ(run_training_step(later, s2, a->l[0], empty), TrainingStatus::kOk);
  EXPECT_GT(first.tally()[TrainingClaimSink::kStack], later.tally()[TrainingClaimSink::kStack]);
  EXPECT_GT(first.tally()[TrainingClaimSink::kWeightsIn], later.tally()[TrainingClaimSink::kWeightsIn]);
  EXPECT_EQ(first.tally()[TrainingClaimSink::kWeightsOut], later.tally()[TrainingClaimSink::kWeightsOut]);
  EXPECT_EQ(training_claim_capacities(s2, a->span(), empty, 0).valid, false);
  EXPECT_EQ(training_claim_capacities(s2, a->span(), empty, kTrainingMaxSegmentSteps + 1).valid, false);
}

// The scratch query's bounds hold the exact counts at every depth, at the
// smallest and largest widths, batches and bit widths, both normalisations.
TEST(TrainingClaims, ScratchBoundsHoldEveryCount) {
  auto ls = std::make_unique<Layouts>();
  const TrainingTables empty;
  size_t checked = 0;
  double worst_stack = 0, worst_weights = 0;
  for (uint32_t layers = 1; layers <= kTrainingMaxLayers; ++layers)
    for (const uint32_t width : {2u, 64u, kTrainingMaxWidth})
      for (const uint32_t batch : {2u, kTrainingMaxBatch})
        for (const bool wide : {false, true})
          for (const TrainingNormalisation n :
               {TrainingNormalisation::kUnitRange, TrainingNormalisation::kFashionMnistMeanStd}) {
            const TrainingSetup s = setup_of(layers, width, batch, wide, n);
            if (!training_setup_valid(s) || !ls->build(s)) continue;
            for (const uint32_t steps : {1u, 2u, kTrainingMaxSegmentSteps}) {
              const TrainingClaimCapacities c = training_claim_capacities(s, ls->span(), empty, steps);
              ASSERT_TRUE(c.valid) << layers << " layers, width " << width;
              EXPECT_LE(c.stack, training_stack_claim_bound(layers)) << layers << " layers, width " << width;
              EXPECT_LE(c.weights, training_weight_claim_bound(layers)) << layers << " layers, width " << width;
              EXPECT_LE(c.dataset, kTrainingDatasetClaimBound);
              worst_stack = std::max(worst_stack, double(c.stack) / double(training_stack_claim_bound(layers)));
              worst_weights = std::max(worst_weights, double(c.weights) / double(training_weight_claim_bound(layers)));
              ++checked;
            }
          }
  EXPECT_GE(checked, 300u);
  std::printf("%zu setups: counts reach %.0f%% of the stack bound, %.0f%% of the weight bound\n", checked,
              100 * worst_stack, 100 * worst_weights);
}

}  // namespace
}  // namespace zkpot
