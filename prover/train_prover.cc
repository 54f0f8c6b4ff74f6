#include "prover/train_prover.h"

#include <stdexcept>

namespace zkpot {

template class BasicTrainingSegmentProver<HonestTrainingHooks>;

TrainingSetup training_setup_from_config(const train::TrainConfig& c, TrainingParameterSet parameter_set,
                                         const TrainingDigest& dataset_commitment, uint64_t dataset_rows,
                                         const TrainingDigest& initial_weight_commitment) {
  if (c.loss != train::LossKind::kSoftmaxCrossEntropy)
    throw std::invalid_argument("training proofs support the softmax cross-entropy loss only");
  TrainingSetup s;
  s.parameter_set = parameter_set;
  s.num_widths = static_cast<uint32_t>(c.arch.widths.size());
  if (s.num_widths > s.widths.size()) throw std::invalid_argument("too many layers");
  for (size_t i = 0; i < c.arch.widths.size(); ++i) s.widths[i] = static_cast<uint32_t>(c.arch.widths[i]);
  s.batch = static_cast<uint32_t>(c.batch_size);
  if (c.normalisation.kind == train::Normalisation::Kind::kUnitRange) {
    s.normalisation = TrainingNormalisation::kUnitRange;
  } else if (c.normalisation.mean == 0.2860 && c.normalisation.std == 0.3530) {
    s.normalisation = TrainingNormalisation::kFashionMnistMeanStd;
  } else {
    throw std::invalid_argument("training proofs support unit-range or Fashion-MNIST normalisation");
  }
  s.act_frac_bits = c.fp.act_frac_bits;
  s.weight_frac_bits = c.fp.weight_frac_bits;
  s.quotient_bits = c.fp.quotient_bits;
  s.weight_bits = c.fp.weight_bits;
  s.update_bits = c.fp.update_bits;
  s.exp_frac_bits = c.fp.exp_frac_bits;
  s.lr_frac_bits = c.fp.lr_frac_bits;
  s.lr_num = c.lr_num;
  s.dataset_commitment = dataset_commitment;
  s.dataset_rows = dataset_rows;
  s.initial_weight_commitment = initial_weight_commitment;
  if (!training_setup_valid(s))
    throw std::invalid_argument("training proofs need a power-of-two batch of at least 2 and widths of at least 2");
  return s;
}

}  // namespace zkpot
