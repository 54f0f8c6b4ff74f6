// A valid training statement for tests, fuzz seeds and benches: 784-128-10
// on Fashion-MNIST's 60000 training rows, batch 64, steps [0, 4), with the
// engine's default fixed-point parameters (prover/train/config.h).
#pragma once

#include <cstdint>

#include "formats/statement.h"

namespace zkpot::testing {

inline StatementDigest filled_digest(uint8_t first) {
  StatementDigest d{};
  for (size_t i = 0; i < d.size(); ++i) d[i] = static_cast<uint8_t>(first + i);
  return d;
}

inline TrainingStatement sample_training_statement() {
  TrainingStatement s;
  s.parameter_set = static_cast<uint64_t>(ParameterSet::kJohnson100Zk);
  s.architecture.input_width = 784;
  s.architecture.layer_count = 2;
  s.architecture.layer_widths[0] = 128;
  s.architecture.layer_widths[1] = 10;
  s.architecture.activations[0] = Activation::kRelu;
  s.architecture.activations[1] = Activation::kIdentity;
  s.architecture.loss = StatementLoss::kSoftmaxCrossEntropy;
  s.hyper.batch_size = 64;
  s.hyper.lr_num = 1638;
  s.hyper.lr_frac_bits = 20;
  s.hyper.act_frac_bits = 12;
  s.hyper.weight_frac_bits = 20;
  s.hyper.quotient_bits = 20;
  s.hyper.weight_bits = 24;
  s.hyper.update_bits = 24;
  s.hyper.exp_frac_bits = 16;
  s.hyper.steps_per_epoch = 60000 / 64;
  s.hyper.normalisation = NormalisationKind::kMeanStd;
  s.hyper.norm_mean_micro = 286000;
  s.hyper.norm_std_micro = 353000;
  s.dataset.commitment = filled_digest(0x10);
  s.dataset.rows = 60000;
  s.dataset.columns = 784;
  s.dataset.classes = 10;
  s.dataset.hiding = false;
  s.initial_weights = filled_digest(0x40);
  s.final_weights = filled_digest(0x80);
  s.t0 = 0;
  s.t1 = 4;
  return s;
}

}  // namespace zkpot::testing
