// The one mapping between the public statement (formats/statement.h, the
// file's key-3 map) and the setup the per-step training proof needs
// (common/training_setup.h): the prover writes its statement with
// training_statement_of, the verifier reads it back with training_setup_of.
// Keeping both directions here means they cannot drift apart (review D8).
#pragma once

#include <cstdint>

#include "common/training_setup.h"
#include "formats/statement.h"

namespace zkpot {

// The statement of a run over steps [t0, t1) that ends at final_weights.
// The proof puts ReLU on every hidden layer and none on the output.
inline TrainingStatement training_statement_of(const TrainingSetup& setup, const StatementDigest& final_weights,
                                               uint64_t t0, uint64_t t1, bool dataset_hiding = true) {
  TrainingStatement s;
  s.parameter_set = static_cast<uint64_t>(setup.parameter_set == TrainingParameterSet::kTestOnly
                                              ? ParameterSet::kTestInsecure
                                              : ParameterSet::kJohnson100Zk);
  StatementArchitecture& a = s.architecture;
  a.input_width = setup.inputs();
  a.layer_count = setup.layers();
  for (uint32_t i = 0; i < setup.layers() && i < kStatementMaxLayers; ++i) {
    a.layer_widths[i] = setup.widths[i + 1];
    a.activations[i] = i + 1 < setup.layers() ? Activation::kRelu : Activation::kIdentity;
  }
  a.loss = StatementLoss::kSoftmaxCrossEntropy;
  StatementHyperparameters& h = s.hyper;
  h.batch_size = setup.batch;
  h.lr_num = static_cast<uint64_t>(setup.lr_num);
  h.lr_frac_bits = setup.lr_frac_bits;
  h.act_frac_bits = setup.act_frac_bits;
  h.weight_frac_bits = setup.weight_frac_bits;
  h.quotient_bits = setup.quotient_bits;
  h.weight_bits = setup.weight_bits;
  h.update_bits = setup.update_bits;
  h.exp_frac_bits = setup.exp_frac_bits;
  h.steps_per_epoch = setup.steps_per_epoch();
  if (setup.normalisation == TrainingNormalisation::kFashionMnistMeanStd) {
    h.normalisation = NormalisationKind::kMeanStd;
    h.norm_mean_micro = kFashionMnistMeanMicro;
    h.norm_std_micro = kFashionMnistStdMicro;
  } else {
    h.normalisation = NormalisationKind::kUnitRange;
    h.norm_std_micro = static_cast<uint32_t>(kStatementMicro);
  }
  s.dataset.commitment = setup.dataset_commitment;
  s.dataset.rows = setup.dataset_rows;
  s.dataset.columns = setup.inputs();
  s.dataset.classes = setup.classes();
  s.dataset.hiding = dataset_hiding;
  s.initial_weights = setup.initial_weight_commitment;
  s.final_weights = final_weights;
  s.t0 = t0;
  s.t1 = t1;
  s.has_beacon = setup.has_beacon;
  if (setup.has_beacon) s.beacon = setup.beacon;
  return s;
}

// The setup the segment verifier checks a statement's proof against; false,
// with *unsupported naming the field, when the statement is well formed but
// outside what the training proof can express.
inline bool training_setup_of(const TrainingStatement& s, TrainingSetup* out, const char** unsupported) {
  TrainingSetup t;
  switch (static_cast<ParameterSet>(s.parameter_set)) {
    case ParameterSet::kJohnson100Zk: t.parameter_set = TrainingParameterSet::kProduction; break;
    case ParameterSet::kTestInsecure: t.parameter_set = TrainingParameterSet::kTestOnly; break;
    default: *unsupported = "parameter_set"; return false;
  }
  const StatementArchitecture& a = s.architecture;
  if (a.layer_count > kTrainingMaxLayers || a.layer_count > kStatementMaxLayers) {  // decode caps it; widths[] has room
    *unsupported = "statement";
    return false;
  }
  if (a.loss != StatementLoss::kSoftmaxCrossEntropy) {
    *unsupported = "architecture.loss";
    return false;
  }
  for (uint32_t i = 0; i + 1 < a.layer_count; ++i) {
    if (a.activations[i] != Activation::kRelu) {
      *unsupported = "architecture.activations";
      return false;
    }
  }
  t.num_widths = a.layer_count + 1;
  t.widths[0] = a.input_width;
  for (uint32_t i = 0; i < a.layer_count; ++i) t.widths[i + 1] = a.layer_widths[i];
  const StatementHyperparameters& h = s.hyper;
  t.batch = h.batch_size;
  if (h.normalisation == NormalisationKind::kUnitRange) {
    t.normalisation = TrainingNormalisation::kUnitRange;
  } else if (h.norm_mean_micro == kFashionMnistMeanMicro && h.norm_std_micro == kFashionMnistStdMicro) {
    t.normalisation = TrainingNormalisation::kFashionMnistMeanStd;
  } else {
    *unsupported = "hyperparameters.normalisation";
    return false;
  }
  t.act_frac_bits = h.act_frac_bits;
  t.weight_frac_bits = h.weight_frac_bits;
  t.quotient_bits = h.quotient_bits;
  t.weight_bits = h.weight_bits;
  t.update_bits = h.update_bits;
  t.exp_frac_bits = h.exp_frac_bits;
  t.lr_frac_bits = h.lr_frac_bits;
  t.lr_num = static_cast<int64_t>(h.lr_num);
  t.dataset_commitment = s.dataset.commitment;
  t.dataset_rows = s.dataset.rows;
  t.initial_weight_commitment = s.initial_weights;
  t.has_beacon = s.has_beacon;
  t.beacon = s.beacon;
  if (!training_setup_valid(t)) {
    *unsupported = "statement";
    return false;
  }
  *out = t;
  return true;
}

}  // namespace zkpot
