#include "prover/train/batch_schedule.h"

#include <stdexcept>
#include <utility>

namespace zkpot::train {

std::vector<uint32_t> epoch_permutation(const Seed& seed, uint64_t epoch, size_t dataset_rows) {
  if (dataset_rows > UINT32_MAX) throw std::invalid_argument("dataset larger than 2^32 rows");
  std::vector<uint32_t> perm(dataset_rows);
  // The verifier's own permutation (common/training_setup.h), so both sides agree by construction.
  training_epoch_permutation(seed, epoch, std::span<uint32_t>(perm));
  return perm;
}

BatchSchedule::BatchSchedule(const Seed& seed, size_t dataset_rows, size_t batch_size)
    : seed_(seed), rows_(dataset_rows), batch_(batch_size) {
  if (batch_ == 0 || rows_ < batch_) throw std::invalid_argument("batch schedule: dataset smaller than one batch");
}

std::span<const uint32_t> BatchSchedule::rows_of_step(uint64_t step) {
  const uint64_t epoch = step / steps_per_epoch(), t = step % steps_per_epoch();
  if (epoch != cached_epoch_) {
    perm_ = epoch_permutation(seed_, epoch, rows_);
    cached_epoch_ = epoch;
  }
  return std::span<const uint32_t>(perm_).subspan(t * batch_, batch_);
}

}  // namespace zkpot::train
