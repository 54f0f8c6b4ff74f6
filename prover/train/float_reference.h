// The double-precision reference of the same network: same architecture,
// initial weights (dequantised), schedule, loss and effective learning rate
// (config.learning_rate()), for comparing accuracy curves and step times.
#pragma once

#include <span>
#include <vector>

#include "formats/labelled_images.h"
#include "prover/train/config.h"
#include "prover/train/quantised_model.h"

namespace zkpot::train {

class FloatReferenceTrainer {
 public:
  FloatReferenceTrainer(const TrainConfig& config, FloatModel initial);

  void step(const formats::LabelledImages& data, std::span<const uint32_t> rows);
  const FloatModel& model() const { return model_; }
  double last_loss() const { return last_loss_; }

 private:
  TrainConfig config_;
  FloatModel model_;
  std::vector<double> input_table_;
  std::vector<std::vector<double>> acts_;    // per layer: B x n_out (post-ReLU for hidden layers, logits last)
  std::vector<std::vector<double>> deltas_;  // per layer: B x n_out
  std::vector<double> inputs_, grad_, pack_a_, pack_b_;
  double last_loss_ = 0;
};

// The normalised input of pixel v in double, as the fixed-point table rounds it.
std::vector<double> float_input_table(const Normalisation& n);

// Forward pass in double of count inputs (count x n_0); returns the logits.
std::vector<double> float_forward(const TrainConfig& config, const FloatModel& model, const double* inputs,
                                  size_t count);

double float_accuracy(const TrainConfig& config, const FloatModel& model, const formats::LabelledImages& data,
                      size_t begin, size_t count);

}  // namespace zkpot::train
