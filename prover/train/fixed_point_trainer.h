// The fixed-point training engine: mini-batch SGD computing exactly the
// integer semantics of docs/PROTOCOL.md §10. In recording mode a step fills a
// StepWitness with every tensor its proof needs; in train-only mode it keeps
// only what the next step needs and updates the weights in place (same
// arithmetic, checked bit for bit by tests/train_engine_test.cc).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "formats/labelled_images.h"
#include "prover/train/config.h"
#include "prover/train/lookup_tables.h"
#include "prover/train/quantised_model.h"
#include "prover/train/step_witness.h"

namespace zkpot::train {

class FixedPointTrainer {
 public:
  // Validates the configuration (throws ConfigError) and the model's shapes.
  FixedPointTrainer(const TrainConfig& config, QuantisedModel initial);

  // One SGD step on data's given rows. witness == nullptr: train-only mode.
  // Throws FixedPointRangeError if a width is exceeded (wrong parameters).
  void step(const formats::LabelledImages& data, std::span<const uint32_t> rows, uint64_t step_index,
            StepWitness* witness);

  const QuantisedModel& model() const { return model_; }
  const TrainConfig& config() const { return config_; }
  // Mean loss of the last step's batch, computed in double from the logits (monitoring only).
  double last_loss() const { return last_loss_; }

 private:
  void load_batch(const formats::LabelledImages& data, std::span<const uint32_t> rows, StepWitness& w) const;
  void backward_and_update(StepWitness& w, bool record_updates);

  TrainConfig config_;
  QuantisedModel model_;
  std::array<int64_t, 256> norm_table_;
  ExpTables exp_tables_;
  StepWitness scratch_;  // train-only mode's buffers, reused across steps
  std::vector<int32_t> pack_a_, pack_b_;
  double last_loss_ = 0;
};

// Forward pass of the fixed-point network on `count` normalised inputs
// (count x n_0), filling one ForwardLayerWitness per layer.
void fixed_point_forward(const TrainConfig& config, const QuantisedModel& model, const int64_t* inputs, size_t count,
                         std::vector<ForwardLayerWitness>* out, std::vector<int32_t>* pack_a,
                         std::vector<int32_t>* pack_b);

// Softmax gadget on a batch of logits (rows x classes), filling w and
// returning the rows' probabilities in w->prob (docs/PROTOCOL.md §10.4).
void fixed_point_softmax(const TrainConfig& config, const ExpTables& tables, const Tensor& logits, size_t rows,
                         SoftmaxWitness* w);

// Fraction of data[begin, begin + count) the fixed-point model classifies correctly.
double fixed_point_accuracy(const TrainConfig& config, const QuantisedModel& model, const formats::LabelledImages& data,
                            size_t begin, size_t count);

}  // namespace zkpot::train
