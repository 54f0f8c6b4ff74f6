// Real training proof files for the verifier's tests, made through the prover
// API exactly as zkpot-prove train makes them (prover/cli/zkpot_prove.cc), on
// a small synthetic dataset with the test-only parameter set: deterministic
// for a given spec (the prover's randomness comes from spec.seed).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "formats/cbor_reader.h"
#include "formats/envelope.h"
#include "formats/training_statement_setup.h"
#include "prover/proof_file.h"
#include "prover/rng.h"
#include "prover/train/batch_schedule.h"
#include "prover/train/fixed_point_trainer.h"
#include "prover/train/quantised_model.h"
#include "prover/train_prover.h"
#include "tests/train_test_data.h"

namespace zkpot::testing {

inline constexpr uint64_t kRealProofSuite = static_cast<uint64_t>(Suite::kGoldilocksCubic7Blake2b256Whir);

struct RealProofSpec {
  const char* model = "16-8-10";  // input width a square (side x side images)
  size_t batch = 4;
  size_t rows = 32;
  uint64_t steps = 2;
  uint64_t segment_steps = 1;
  uint64_t seed = 1;
  TrainingParameterSet parameter_set = TrainingParameterSet::kTestOnly;
};

struct RealProof {
  TrainingSetup setup;
  TrainingStatement statement;
  std::vector<std::vector<uint8_t>> segments;  // each a segment map
  std::vector<TrainingDigest> weights_after;   // the weight commitment each segment ends at
  std::vector<uint8_t> file;                   // the envelope, as RUN/proof.zkp holds it
};

inline RealProof make_real_proof(const RealProofSpec& spec = {}) {
  RealProof p;
  ProverRng rng = ProverRng::from_seed_u64(spec.seed);
  const auto arch = train::Architecture::parse(spec.model);
  const auto config = train::TrainConfig::standard(arch, spec.batch, 0.1);
  const auto side = static_cast<size_t>(std::lround(std::sqrt(static_cast<double>(arch.inputs()))));
  const formats::LabelledImages data = train::testing::banded_images(spec.rows, side, 7);
  const TrainingCommitment dataset = commit_training_dataset(spec.parameter_set, data, rng);
  train::Seed seed{};
  seed[0] = static_cast<uint8_t>(spec.seed);
  train::QuantisedModel model = train::initial_model(config, seed);
  const TrainingSetup probe =
      training_setup_from_config(config, spec.parameter_set, dataset.digest, data.count, TrainingDigest{});
  TrainingCommitment weights = commit_training_weights(probe, model.weights, model.biases, rng);
  p.setup = training_setup_from_config(config, spec.parameter_set, dataset.digest, data.count, weights.digest);
  const StatementDigest run_digest = training_run_digest(kRealProofSuite, training_statement_of(p.setup, {}, 0, 0));
  train::FixedPointTrainer trainer(config, model);
  train::BatchSchedule schedule(training_schedule_seed(p.setup), data.count, p.setup.batch);
  for (uint64_t a = 0; a < spec.steps; a += spec.segment_steps) {
    const uint64_t b = std::min(spec.steps, a + spec.segment_steps);
    TrainingSegmentProver prover(p.setup, run_digest, dataset, data, a, b, std::move(weights), rng);
    for (uint64_t t = a; t < b; ++t) {
      train::StepWitness w;
      trainer.step(data, schedule.rows_of_step(t), t, &w);
      prover.add_step(w);
    }
    p.segments.push_back(prover.close());
    weights = prover.last_weights();
    p.weights_after.push_back(weights.digest);
  }
  p.statement = training_statement_of(p.setup, weights.digest, 0, spec.steps);
  p.file = assemble_proof(p.statement, p.segments);
  return p;
}

// The file for statement and segments (a changed statement or segment list).
inline std::vector<uint8_t> real_proof_file(const TrainingStatement& statement,
                                            const std::vector<std::vector<uint8_t>>& segments) {
  std::vector<uint8_t> st;
  if (!encode_training_statement(statement, &st).is_ok()) return {};
  std::vector<std::span<const uint8_t>> views(segments.begin(), segments.end());
  std::vector<uint8_t> out;
  if (!encode_envelope(kRealProofSuite, st, views, &out).is_ok())
    return {};
  return out;
}

// Offset, in a segment map, of the middle of its first opening's Merkle
// digests (docs/FORMAT.md "Training segment": key 7, the openings; each
// opening's key 4); SIZE_MAX when the map does not have that shape.
inline size_t first_opening_digests_offset(std::span<const uint8_t> segment) {
  CborReader r(segment, kSegmentLimits);
  uint64_t pairs = 0, key = 0, n = 0;
  if (!r.read_map(&pairs).is_ok() || pairs != 7) return SIZE_MAX;
  for (int i = 0; i < 6; ++i)
    if (!r.read_uint(&key).is_ok() || !r.skip_item().is_ok()) return SIZE_MAX;
  if (!r.read_uint(&key).is_ok() || key != 7 || !r.read_array(&n).is_ok() || n == 0) return SIZE_MAX;
  if (!r.read_map(&pairs).is_ok()) return SIZE_MAX;
  for (int i = 0; i < 3; ++i)
    if (!r.read_uint(&key).is_ok() || !r.skip_item().is_ok()) return SIZE_MAX;
  std::span<const uint8_t> digests;
  if (!r.read_uint(&key).is_ok() || key != 4 || !r.read_bytes(&digests).is_ok() || digests.empty()) return SIZE_MAX;
  return static_cast<size_t>(digests.data() - segment.data()) + digests.size() / 2;
}

}  // namespace zkpot::testing
