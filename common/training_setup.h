// The public parameters one training proof is checked against, and the public
// data both halves derive from them alone: the normalisation and exp tables,
// the schedule seed and the batch schedule (docs/PROTOCOL.md §10.7, §12.1).
//
// Header-only verifier code: it must give bit for bit what prover/train/
// computes (tests/training_protocol_test.cc compares them), but it cannot
// link the prover library.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/hash.h"
#include "common/training_tables.h"

namespace zkpot {

using TrainingDigest = Blake2b256::Digest;

inline constexpr uint32_t kTrainingMaxLayers = 16;
inline constexpr uint32_t kTrainingMaxWidth = 4096;
inline constexpr uint32_t kTrainingMaxBatch = 256;
inline constexpr uint32_t kTrainingLimbBits = 16;
// Steps one segment may cover (bounds the verifier's claim storage).
inline constexpr uint32_t kTrainingMaxSegmentSteps = 64;
inline constexpr uint64_t kTrainingMaxDatasetRows = uint64_t{1} << 24;

enum class TrainingNormalisation : uint8_t {
  kUnitRange = 0,        // round half up of v 2^Fa / 255
  kFashionMnistMeanStd = 1,  // round(2^Fa (v/255 - 0.2860) / 0.3530), in integers
};

enum class TrainingParameterSet : uint8_t {
  kProduction = 1,  // PCS pcs_params_default(): 100 provable bits, zero-knowledge commitments
  kTestOnly = 2,    // PCS pcs_params_test(32, true): for fast tests only, never for real proofs
};

// What verify_training_segment needs from the statement (sdk's
// TrainingStatement converts to this; /work/notes/contract.md).
struct TrainingSetup {
  TrainingParameterSet parameter_set = TrainingParameterSet::kProduction;
  uint32_t num_widths = 0;  // layers + 1
  std::array<uint32_t, kTrainingMaxLayers + 1> widths{};
  uint32_t batch = 0;  // a power of two (docs/PROTOCOL.md §12.2)
  TrainingNormalisation normalisation = TrainingNormalisation::kUnitRange;
  uint32_t act_frac_bits = 12, weight_frac_bits = 20, quotient_bits = 20, weight_bits = 24, update_bits = 24,
           exp_frac_bits = 16, lr_frac_bits = 20;
  int64_t lr_num = 0;
  // Dataset: committed digest, rows, pixels per row, classes.
  TrainingDigest dataset_commitment{};
  uint64_t dataset_rows = 0;
  TrainingDigest initial_weight_commitment{};
  bool has_beacon = false;
  TrainingDigest beacon{};

  uint32_t layers() const { return num_widths - 1; }
  uint32_t inputs() const { return widths[0]; }
  uint32_t classes() const { return widths[num_widths - 1]; }
  uint32_t weight_update_shift() const { return 2 * act_frac_bits + lr_frac_bits - weight_frac_bits; }
  uint32_t bias_update_shift() const { return act_frac_bits + lr_frac_bits - weight_frac_bits; }
  uint64_t steps_per_epoch() const { return batch == 0 ? 0 : dataset_rows / batch; }
  // Width of S and of the probability remainders: S <= C 2^(2 Fe).
  uint32_t softmax_sum_bits() const {
    uint32_t c = 0;
    while ((uint64_t{1} << c) <= classes()) ++c;
    return 2 * exp_frac_bits + c;
  }
};

inline bool is_pow2_u64(uint64_t x) { return x != 0 && (x & (x - 1)) == 0; }

// Digests of the public tables, kept between the segments of one
// verification. The tables are a function of these three setup fields only
// (fill_training_tables), so a cache entry is reused only when all three match.
struct TrainingTableDigests {
  bool valid = false;
  TrainingNormalisation normalisation = TrainingNormalisation::kUnitRange;
  uint32_t act_frac_bits = 0, exp_frac_bits = 0;
  std::array<uint8_t, 32> norm{}, exp_hi{}, exp_lo{};

  bool holds(const TrainingSetup& s) const {
    return valid && normalisation == s.normalisation && act_frac_bits == s.act_frac_bits &&
           exp_frac_bits == s.exp_frac_bits;
  }
};

// Caps and the shape rules the proof relies on; false names nothing, the
// caller reports kBadSetup. The no-wrap lemma (§10.9) is the trainer's
// validate(); these are the bounds the verifier itself depends on.
inline bool training_setup_valid(const TrainingSetup& s) {
  if (s.num_widths < 2 || s.num_widths > kTrainingMaxLayers + 1) return false;
  for (uint32_t i = 0; i < s.num_widths; ++i)
    if (s.widths[i] == 0 || s.widths[i] > kTrainingMaxWidth) return false;
  if (s.classes() < 2) return false;
  for (uint32_t i = 1; i < s.num_widths; ++i)
    if (s.widths[i] < 2) return false;  // every bias slot has at least one variable
  if (s.batch < 2 || s.batch > kTrainingMaxBatch || !is_pow2_u64(s.batch)) return false;
  if (s.act_frac_bits < 1 || s.quotient_bits < s.act_frac_bits + 2 || s.quotient_bits > 31) return false;
  if (s.weight_bits < 2 || s.weight_bits > 31 || s.update_bits < 2 || s.update_bits > 32) return false;
  if (s.weight_frac_bits < 1 || s.weight_frac_bits > 40 || s.exp_frac_bits < 1 || s.exp_frac_bits > 20) return false;
  if (s.lr_frac_bits > 40) return false;
  if (2 * s.act_frac_bits + s.lr_frac_bits <= s.weight_frac_bits ||
      s.act_frac_bits + s.lr_frac_bits <= s.weight_frac_bits || s.weight_update_shift() > 62)
    return false;
  if (s.lr_num <= 0 || s.lr_num >= (int64_t{1} << 16)) return false;
  if (s.dataset_rows < s.batch || s.dataset_rows > kTrainingMaxDatasetRows) return false;
  if (s.normalisation != TrainingNormalisation::kUnitRange &&
      s.normalisation != TrainingNormalisation::kFashionMnistMeanStd)
    return false;
  if (s.parameter_set != TrainingParameterSet::kProduction && s.parameter_set != TrainingParameterSet::kTestOnly)
    return false;
  return true;
}

// ---- Public tables (docs/PROTOCOL.md §10.4, §10.7) ---------------------------

inline int64_t training_normalisation_value(TrainingNormalisation n, uint32_t act_frac_bits, int64_t v) {
  const int64_t one = int64_t{1} << act_frac_bits;
  if (n == TrainingNormalisation::kUnitRange) return (2 * v * one + 255) / 510;
  return training_mean_std_fixed(static_cast<uint32_t>(v), act_frac_bits, kFashionMnistMeanMicro,
                                 kFashionMnistStdMicro);
}

// exp table entry i: round(2^Fe exp(-i 2^shift / 2^Fa)), shift 0 (lo) or 16
// (hi), computed in integers (common/training_tables.h).
inline int64_t training_exp_value(uint32_t act_frac_bits, uint32_t exp_frac_bits, uint64_t i, bool high) {
  return training_exp_fixed(high ? i << 16 : i, act_frac_bits, exp_frac_bits);
}

// ---- Schedule (docs/PROTOCOL.md §10.7, §12.1) --------------------------------

inline constexpr std::string_view kTrainingSchedulePersonal = "zkpot/schedule";
inline constexpr std::string_view kTrainingSeedPersonal = "zkpot/sched-seed";

// seed = H(dataset commitment || initial weight commitment || [beacon]).
inline TrainingDigest training_schedule_seed(const TrainingSetup& s) {
  Blake2b256::State st(kTrainingSeedPersonal);
  st.update(s.dataset_commitment.data(), s.dataset_commitment.size());
  st.update(s.initial_weight_commitment.data(), s.initial_weight_commitment.size());
  st.update_u8(s.has_beacon ? 1 : 0);
  if (s.has_beacon) st.update(s.beacon.data(), s.beacon.size());
  return st.finalize();
}

// The seed stream (docs/PROTOCOL.md §10.7), block i of domain d =
// BLAKE2b-256_personal(seed || LE64(d) || LE64(i)) read as four LE words; the
// only copy: prover/train/seed_stream.h names it for the trainer.
class TrainingSeedStream {
 public:
  TrainingSeedStream(std::string_view personal, const TrainingDigest& seed, uint64_t domain)
      : personal_(personal), seed_(seed), domain_(domain) {}
  uint64_t next_u64() {
    if (used_ == 4) {
      Blake2b256::State st(personal_);
      st.update(seed_.data(), seed_.size());
      st.update_u64(domain_);
      st.update_u64(block_++);
      const auto d = st.finalize();
      for (size_t w = 0; w < 4; ++w) {
        uint64_t x = 0;
        for (size_t b = 0; b < 8; ++b) x |= uint64_t{d[8 * w + b]} << (8 * b);
        words_[w] = x;
      }
      used_ = 0;
    }
    return words_[used_++];
  }
  uint64_t uniform_below(uint64_t n) {
    const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    while (true) {
      const uint64_t w = next_u64();
      if (w < limit) return w % n;
    }
  }

 private:
  std::string_view personal_;
  TrainingDigest seed_;
  uint64_t domain_;
  uint64_t block_ = 0;
  std::array<uint64_t, 4> words_{};
  size_t used_ = 4;
};

// Fills perm (dataset_rows entries) with epoch e's permutation.
inline void training_epoch_permutation(const TrainingDigest& seed, uint64_t epoch, std::span<uint32_t> perm) {
  for (size_t i = 0; i < perm.size(); ++i) perm[i] = static_cast<uint32_t>(i);
  TrainingSeedStream stream(kTrainingSchedulePersonal, seed, epoch);
  for (size_t i = perm.size(); i > 1; --i) {
    const size_t j = stream.uniform_below(i);
    const uint32_t tmp = perm[i - 1];
    perm[i - 1] = perm[j];
    perm[j] = tmp;
  }
}

}  // namespace zkpot
