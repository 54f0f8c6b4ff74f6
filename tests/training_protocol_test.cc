// Honest training segments verify (docs/PROTOCOL.md §12), the verifier's
// public tables and schedule equal the trainer's, and a chain of segments
// links by weight commitments.
#include <gtest/gtest.h>

#include <vector>

#include "common/training_verifier.h"
#include "prover/train/batch_schedule.h"
#include "prover/train/fixed_point_trainer.h"
#include "prover/train/lookup_tables.h"
#include "prover/train_prover.h"
#include "tests/train_test_data.h"

namespace zkpot {
namespace {

struct SmallRun {
  train::TrainConfig config;
  formats::LabelledImages data;
  TrainingCommitment dataset;
  TrainingSetup setup;
  TrainingDigest statement{};
  train::QuantisedModel model;
  TrainingCommitment w0;
};

SmallRun make_run(ProverRng& rng) {
  SmallRun r;
  r.config = train::TrainConfig::standard(train::Architecture::parse("16-8-10"), 4, 0.1);
  r.data = train::testing::banded_images(32, 4, 7);
  r.dataset = commit_training_dataset(TrainingParameterSet::kTestOnly, r.data, rng);
  train::Seed seed{};
  seed[0] = 3;
  r.model = train::initial_model(r.config, seed);
  TrainingSetup probe = training_setup_from_config(r.config, TrainingParameterSet::kTestOnly, r.dataset.digest,
                                                   r.data.count, TrainingDigest{});
  r.w0 = commit_training_weights(probe, r.model.weights, r.model.biases, rng);
  r.setup = training_setup_from_config(r.config, TrainingParameterSet::kTestOnly, r.dataset.digest, r.data.count,
                                       r.w0.digest);
  r.statement[0] = 0x5a;
  return r;
}

std::vector<uint8_t> prove_segment(SmallRun& r, train::FixedPointTrainer& trainer, uint64_t t0, uint64_t t1,
                                   TrainingCommitment w_in, ProverRng& rng, TrainingCommitment* w_out) {
  TrainingSegmentProver prover(r.setup, r.statement, r.dataset, r.data, t0, t1, std::move(w_in), rng);
  train::BatchSchedule schedule(training_schedule_seed(r.setup), r.data.count, r.setup.batch);
  for (uint64_t t = t0; t < t1; ++t) {
    train::StepWitness w;
    const auto rows = schedule.rows_of_step(t);
    trainer.step(r.data, rows, t, &w);
    prover.add_step(w);
  }
  std::vector<uint8_t> seg = prover.close();
  *w_out = prover.last_weights();
  return seg;
}

TrainingStatus verify(const SmallRun& r, const TrainingChainState& in, std::span<const uint8_t> seg,
                      TrainingChainState* out, TrainingFailure* failure) {
  std::vector<uint8_t> scratch(training_segment_scratch_bytes(r.setup));
  Arena arena(scratch.data(), scratch.size());
  return verify_training_segment(r.setup, r.statement, in, seg, arena, out, failure);
}

TEST(TrainingProtocol, TablesAndScheduleMatchTheTrainer) {
  const auto config = train::TrainConfig::standard(train::Architecture::parse("16-8-10"), 4, 0.1,
                                                   train::Normalisation::fashion_mnist());
  const auto norm = train::normalisation_table(config.normalisation, config.fp.act_frac_bits);
  for (int v = 0; v < 256; ++v)
    EXPECT_EQ(norm[v], training_normalisation_value(TrainingNormalisation::kFashionMnistMeanStd, 12, v));
  const auto exp = train::exp_tables(12, 16);
  for (uint64_t i = 0; i < 65536; i += 97) {
    EXPECT_EQ(exp.hi[i], training_exp_value(12, 16, i, true));
    EXPECT_EQ(exp.lo[i], training_exp_value(12, 16, i, false));
  }
  TrainingDigest seed{};
  seed[3] = 9;
  const auto perm = train::epoch_permutation(seed, 2, 100);
  std::vector<uint32_t> mine(100);
  training_epoch_permutation(seed, 2, mine);
  EXPECT_EQ(perm, mine);
}

TEST(TrainingProtocol, HonestSegmentsVerifyAndChain) {
  ProverRng rng = ProverRng::from_seed_u64(1);
  SmallRun r = make_run(rng);
  train::FixedPointTrainer trainer(r.config, r.model);
  TrainingCommitment w1, w2;
  const auto seg1 = prove_segment(r, trainer, 0, 2, r.w0, rng, &w1);
  TrainingChainState in{r.setup.initial_weight_commitment, 0}, mid, end;
  TrainingFailure failure;
  ASSERT_EQ(verify(r, in, seg1, &mid, &failure), TrainingStatus::kOk) << failure.check << " " << pcs_status_name(failure.pcs);
  EXPECT_EQ(mid.next_step, 2u);
  EXPECT_EQ(mid.weight_commitment, w1.digest);
  const auto seg2 = prove_segment(r, trainer, 2, 3, w1, rng, &w2);
  ASSERT_EQ(verify(r, mid, seg2, &end, &failure), TrainingStatus::kOk) << failure.check;
  EXPECT_EQ(end.next_step, 3u);
  // The second segment does not continue from the start of the chain.
  EXPECT_EQ(verify(r, in, seg2, &end, &failure), TrainingStatus::kChainMismatch);
}

}  // namespace
}  // namespace zkpot
