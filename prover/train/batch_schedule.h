// The batch schedule (docs/PROTOCOL.md §10): epoch e visits the dataset in the
// order of the Fisher-Yates permutation of common/training_setup.h
// (training_epoch_permutation, SeedStream(kSchedule, seed, e));
// step t of the epoch takes rows perm[tB, (t+1)B). The last partial batch of
// an epoch is dropped. Global step T is epoch T / steps_per_epoch. The seed
// will be H(dataset commitment, initial weights commitment, beacon).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "prover/train/seed_stream.h"

namespace zkpot::train {

std::vector<uint32_t> epoch_permutation(const Seed& seed, uint64_t epoch, size_t dataset_rows);

class BatchSchedule {
 public:
  BatchSchedule(const Seed& seed, size_t dataset_rows, size_t batch_size);

  size_t steps_per_epoch() const { return rows_ / batch_; }
  // The dataset rows of global step t (a view valid until the next call).
  std::span<const uint32_t> rows_of_step(uint64_t step);

 private:
  Seed seed_;
  size_t rows_, batch_;
  uint64_t cached_epoch_ = UINT64_MAX;
  std::vector<uint32_t> perm_;
};

}  // namespace zkpot::train
