// RUN/private/checkpoint: what `zkpot-prove train --resume` needs to continue
// an interrupted run (docs/FORMAT.md "Training checkpoint"). Written
// atomically, mode 0600, after every step and after every segment close.
//
// Rule (docs/PROTOCOL.md §12.9): the proof state is checkpointed at segment
// boundaries only; the steps after the last closed segment are re-trained and
// re-proven on resume. All the prover's randomness is expanded from `secret`
// (per purpose and step), so the resumed run rebuilds the boundary weight
// commitment exactly and can open it.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "common/training_setup.h"
#include "prover/rng.h"

namespace zkpot {

// The flags that define a run; --resume refuses any difference.
struct TrainRunFlags {
  std::string data;                // canonical path
  std::string dataset_commitment;  // canonical path or empty
  std::string model;
  uint64_t rows = 0, batch = 0, steps = 0, segment_steps = 0, weight_seed = 0;
  double lr = 0;
  bool test_params = false;
  bool operator==(const TrainRunFlags&) const = default;
};

// "" when equal, else one line naming the first flag that differs.
std::string first_flag_difference(const TrainRunFlags& was, const TrainRunFlags& now);

struct TrainParameters {
  std::vector<std::vector<int64_t>> weights, biases;
  bool operator==(const TrainParameters&) const = default;
};

struct TrainCheckpoint {
  TrainRunFlags flags;
  std::array<uint8_t, 32> secret{};  // the prover's randomness (private: it unmasks the proof)
  TrainingDigest dataset_commitment{}, initial_weight_commitment{};
  uint64_t boundary = 0;  // steps proven in RUN/proof.zkp when the last segment closed
  TrainingDigest boundary_weight_commitment{};
  TrainParameters boundary_parameters;  // W^boundary
  uint64_t steps_done = 0;              // steps trained
  TrainParameters parameters;           // W^steps_done
};

std::vector<uint8_t> encode_checkpoint(const TrainCheckpoint& c);
// Throws std::runtime_error on a truncated, altered or foreign file (the
// encoding ends with a BLAKE2b-256 of everything before it).
TrainCheckpoint decode_checkpoint(std::span<const uint8_t> bytes);

inline std::filesystem::path checkpoint_path(const std::filesystem::path& run_dir) {
  return run_dir / "private" / "checkpoint";
}
void write_checkpoint(const std::filesystem::path& run_dir, const TrainCheckpoint& c);
TrainCheckpoint read_checkpoint(const std::filesystem::path& run_dir);

// The prover's randomness for one purpose ("dataset", "weights", "segment")
// and index: ProverRng's deterministic mode keyed by
// BLAKE2b-256("zkpot/prover-rng", secret || purpose || LE64(index)). Secret
// because `secret` is (fresh OS randomness per run).
ProverRng derived_prover_rng(const std::array<uint8_t, 32>& secret, std::string_view purpose, uint64_t index);

// The randomness of one PCS opening: the k-th opening (close()'s order) of the
// segment that starts at step segment_begin, purpose "pcs-opening", index
// segment_begin * 2^8 + k (docs/PROTOCOL.md §12.9). A resumed run re-proves
// the segment from its first step, so it gets the seeds the uninterrupted run
// used; distinct openings of a run get distinct indices. Throws if k >= 2^8
// or segment_begin >= 2^56.
ProverRng segment_opening_rng(const std::array<uint8_t, 32>& secret, uint64_t segment_begin, uint64_t k);

}  // namespace zkpot
