// Cheating provers (docs/PROTOCOL.md §12.7): the test-only hooks build a
// prover that proves whatever witness it is given without self-checks, and
// each cheat must be rejected at the check that catches it.
#define ZKPOT_TRAINING_TEST_HOOKS 1

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "common/training_verifier.h"
#include "prover/train/batch_schedule.h"
#include "prover/train/fixed_point_trainer.h"
#include "prover/train_prover.h"
#include "tests/train_test_data.h"

namespace zkpot {
namespace {

using Cheater = BasicTrainingSegmentProver<CheatingTrainingHooks>;

struct CheatRun {
  train::TrainConfig config;
  formats::LabelledImages data;
  TrainingCommitment dataset;
  TrainingSetup setup;
  TrainingDigest statement{};
  train::QuantisedModel model;
  TrainingCommitment w0;
};

CheatRun make_run(ProverRng& rng) {
  CheatRun r;
  r.config = train::TrainConfig::standard(train::Architecture::parse("16-8-10"), 4, 0.1);
  r.data = train::testing::banded_images(32, 4, 7);
  r.dataset = commit_training_dataset(TrainingParameterSet::kTestOnly, r.data, rng);
  train::Seed seed{};
  seed[0] = 3;
  r.model = train::initial_model(r.config, seed);
  const TrainingSetup probe = training_setup_from_config(r.config, TrainingParameterSet::kTestOnly, r.dataset.digest,
                                                         r.data.count, TrainingDigest{});
  r.w0 = commit_training_weights(probe, r.model.weights, r.model.biases, rng);
  r.setup = training_setup_from_config(r.config, TrainingParameterSet::kTestOnly, r.dataset.digest, r.data.count,
                                       r.w0.digest);
  r.statement[0] = 0x77;
  return r;
}

std::vector<uint32_t> scheduled_rows(const CheatRun& r, uint64_t t) {
  train::BatchSchedule schedule(training_schedule_seed(r.setup), r.data.count, r.setup.batch);
  const auto rows = schedule.rows_of_step(t);
  return std::vector<uint32_t>(rows.begin(), rows.end());
}

// One step (t = 0) recorded by a trainer (whatever it was given), mutated, proven without self-checks.
struct Outcome {
  TrainingStatus status;
  std::string check;
};
Outcome cheat(CheatRun& r, const train::TrainConfig& config, const train::QuantisedModel& model,
              const formats::LabelledImages& data, const std::vector<uint32_t>& rows,
              const std::function<void(train::StepWitness&)>& mutate) {
  ProverRng rng = ProverRng::from_seed_u64(11);
  train::FixedPointTrainer trainer(config, model);
  train::StepWitness w;
  trainer.step(data, rows, 0, &w);
  if (mutate) mutate(w);
  Cheater prover(r.setup, r.statement, r.dataset, data, 0, 1, r.w0, rng);
  prover.add_step(w);
  const std::vector<uint8_t> seg = prover.close();
  std::vector<uint8_t> scratch(training_segment_scratch_bytes(r.setup));
  Arena arena(scratch.data(), scratch.size());
  TrainingChainState in{r.setup.initial_weight_commitment, 0}, out;
  TrainingFailure failure;
  const TrainingStatus s = verify_training_segment(r.setup, r.statement, in, seg, arena, &out, &failure);
  return {s, failure.check};
}

class TrainingSoundness : public ::testing::Test {
 protected:
  void SetUp() override {
    ProverRng rng = ProverRng::from_seed_u64(5);
    r_ = make_run(rng);
    rows_ = scheduled_rows(r_, 0);
  }
  CheatRun r_;
  std::vector<uint32_t> rows_;
};

TEST_F(TrainingSoundness, WrongGradientEntry) {
  const Outcome o = cheat(r_, r_.config, r_.model, r_.data, rows_,
                          [](train::StepWitness& w) { w.backward[0].weight_grad[5] += 1; });
  EXPECT_EQ(o.status, TrainingStatus::kMatmulRejected);
  EXPECT_EQ(o.check, "backward.weight_grad");
}

TEST_F(TrainingSoundness, FlippedReluIndicator) {
  const Outcome o = cheat(r_, r_.config, r_.model, r_.data, rows_,
                          [](train::StepWitness& w) { w.forward[0].relu_sign[2] ^= 1; });
  EXPECT_EQ(o.status, TrainingStatus::kZerocheckRejected);
  EXPECT_EQ(o.check, "relu.product");
}

TEST_F(TrainingSoundness, UnpinnedSoftmaxMaximum) {
  // A maximum above every logit: the shift stays consistent, the attainment fails.
  const Outcome o = cheat(r_, r_.config, r_.model, r_.data, rows_, [&](train::StepWitness& w) {
    const size_t C = 10;
    w.softmax.row_max[0] += 1;
    for (size_t i = 0; i < C; ++i) w.softmax.shifted[i] += 1;
  });
  EXPECT_EQ(o.status, TrainingStatus::kRowSumRejected);
  EXPECT_EQ(o.check, "softmax.argmax_attained");
}

TEST_F(TrainingSoundness, OutOfRangeQuotientThatWraps) {
  // q + 2^12, r - 2^32: the rescale equation holds, the remainder is out of range.
  const Outcome o = cheat(r_, r_.config, r_.model, r_.data, rows_, [&](train::StepWitness& w) {
    auto& f = w.backward[1];
    f.propagated_quotient[0] += int64_t{1} << 12;
    f.propagated_remainder[0] -= int64_t{1} << 32;
    w.backward[0].delta[0] = w.forward[0].relu_sign[0] * f.propagated_quotient[0];
  });
  EXPECT_NE(o.status, TrainingStatus::kOk);
  EXPECT_FALSE(o.check.empty());
}

TEST_F(TrainingSoundness, DifferentLearningRate) {
  train::TrainConfig other = r_.config;
  other.lr_num += 1;
  const Outcome o = cheat(r_, other, r_.model, r_.data, rows_, nullptr);
  EXPECT_EQ(o.status, TrainingStatus::kLinearRelationRejected);
  EXPECT_EQ(o.check, "update.weights_rescale");
}

TEST_F(TrainingSoundness, WeightsCarriedWrongly) {
  train::QuantisedModel other = r_.model;
  other.weights[0][0] += 1;  // trains from weights other than the committed ones
  const Outcome o = cheat(r_, r_.config, other, r_.data, rows_, nullptr);
  EXPECT_EQ(o.status, TrainingStatus::kClaimBatchingRejected);
  EXPECT_EQ(o.check, "opening.batching");
}

TEST_F(TrainingSoundness, SubstitutedExample) {
  std::vector<uint32_t> rows = rows_;
  rows[1] = (rows[1] + 1) % static_cast<uint32_t>(r_.data.count);
  const Outcome o = cheat(r_, r_.config, r_.model, r_.data, rows, nullptr);
  EXPECT_EQ(o.status, TrainingStatus::kDatasetCheckRejected);
}

TEST_F(TrainingSoundness, BatchOrderOtherThanTheSchedule) {
  std::vector<uint32_t> rows = rows_;
  std::swap(rows[0], rows[3]);
  const Outcome o = cheat(r_, r_.config, r_.model, r_.data, rows, nullptr);
  EXPECT_EQ(o.status, TrainingStatus::kDatasetCheckRejected);
}

TEST_F(TrainingSoundness, DatasetOtherThanTheCommittedOne) {
  const formats::LabelledImages other = train::testing::banded_images(32, 4, 8);
  const Outcome o = cheat(r_, r_.config, r_.model, other, rows_, nullptr);
  EXPECT_EQ(o.status, TrainingStatus::kDatasetCheckRejected);
}

}  // namespace
}  // namespace zkpot
