// A whole `zkpot-prove train` run as a library call (the CLI in
// prover/cli/zkpot_prove.cc parses flags into TrainRunOptions): trains with
// proofs, closes segments every segment_steps steps and at the end, replaces
// RUN/proof.zkp atomically after each close, checkpoints RUN/private/ after
// every step, and resumes an interrupted run (docs/PROTOCOL.md §12.9).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "common/training_setup.h"
#include "formats/envelope.h"
#include "formats/idx.h"
#include "prover/train/quantised_model.h"

namespace zkpot {

struct TrainRunOptions {
  std::string data = formats::kFashionMnistDir;  // IDX directory or .csv file
  std::string dataset_commitment;                // optional: a commit-dataset file the data must match
  std::string model = "784-128-10";
  size_t rows = 1024;  // dataset rows committed and trained on (the first N)
  size_t batch = 64;
  uint64_t steps = 4;
  // Steps per segment; a segment of K steps that comes out over
  // max_segment_bytes is proven again as segments of fewer steps (about
  // K * cap / size), and the run goes on with that number (docs/PROTOCOL.md §12.9).
  uint64_t segment_steps = 1;
  // The verifier's cap (docs/FORMAT.md §8.1); tests lower it to exercise the split.
  uint64_t max_segment_bytes = kMaxSegmentBytes;
  double lr = 0.03;
  uint64_t weight_seed = 1;
  bool test_params = false;
  std::string out;  // run directory
  bool resume = false;
  // Stop, resumably, once this many steps are trained and checkpointed (0: run to `steps`).
  uint64_t stop_after = 0;
  // Held-out accuracy every eval_every steps and at the last (0: never), on the
  // first eval_rows examples of the test split.
  uint64_t eval_every = 10;
  size_t eval_rows = 500;
  // Refuse, before any work, a run whose estimated peak memory
  // (prover/train_prover_memory.h) is more than the machine has available.
  bool check_memory = true;
  // Tests only: the available memory checked against, instead of /proc/meminfo's MemAvailable.
  std::optional<uint64_t> available_memory_override;
  // Tests only: the prover's secret instead of OS randomness (makes the proof reproducible, and not hiding).
  std::optional<std::array<uint8_t, 32>> insecure_secret;
};

// One progress line's values.
struct TrainStepReport {
  uint64_t step = 0, steps = 0;  // step: steps done after this one
  double loss = 0;
  std::optional<double> held_out_accuracy;
  double train_ms = 0, prove_ms = 0;
  bool reproven = false;  // re-proving a step done before the interruption
};

struct TrainRunResult {
  uint64_t steps_done = 0;
  bool finished = false;  // false when stop_after stopped it
  uint64_t steps_proven = 0;  // steps in RUN/proof.zkp
  TrainingDigest final_weight_commitment{};  // of the last closed segment
  train::QuantisedModel model;
};

// Throws std::invalid_argument / std::runtime_error with a one-line reason
// (bad flags, --resume with different flags, a dataset other than the
// commitment's). `log` receives informational lines, `progress` one report
// per step.
TrainRunResult run_training(const TrainRunOptions& options, const std::function<void(const std::string&)>& log,
                            const std::function<void(const TrainStepReport&)>& progress);

}  // namespace zkpot
