// Proving training segments (docs/PROTOCOL.md §12): commitments to weights and
// datasets, and the segment prover the zkpot-prove CLI drives. The prover
// itself is prover/train_prover_impl.h; release code uses only the honest
// instantiation below.
#pragma once

#include "prover/train/config.h"
#include "prover/train_prover_impl.h"

namespace zkpot {

using TrainingSegmentProver = BasicTrainingSegmentProver<HonestTrainingHooks>;
extern template class BasicTrainingSegmentProver<HonestTrainingHooks>;

// The setup of a run: the trainer's configuration plus the public
// commitments (docs/PROTOCOL.md §12.1). Throws on a configuration the proof
// does not support (a batch size that is not a power of two, MSE loss).
TrainingSetup training_setup_from_config(const train::TrainConfig& config, TrainingParameterSet parameter_set,
                                         const TrainingDigest& dataset_commitment, uint64_t dataset_rows,
                                         const TrainingDigest& initial_weight_commitment);

}  // namespace zkpot
