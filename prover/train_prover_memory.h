// An up-front estimate of the memory `zkpot-prove train` needs at its peak,
// so that a run the machine cannot hold is refused with a one-line reason
// before any work, instead of being killed by the kernel part-way through a
// step (docs/PROTOCOL.md §12.9, "Memory").
//
// The estimate is a sum of terms the prover really holds, computed from the
// commitment layouts, plus one calibrated term for a step's working memory:
// - fixed: the dataset commitment and the weight commitment a segment starts
//   from (its table, the round-0 codewords and Merkle trees of the PCS main and
//   helper runs, the helper's mask table), the public lookup tables;
// - per step: what a step leaves in memory until its segment closes: the
//   stacked witness table S_t, its commitment's codewords and trees, the
//   weight commitment W^(t+1);
// - working: the step's own buffers (the witness tensors, LogUp fraction
//   trees, sumcheck tables), taken as kWorkingBytesPerStackEntry per entry of
//   the 2^stack_vars stack; that constant is measured (bench/README.md
//   "Prover memory"), not derived.
#pragma once

#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "common/pcs_params.h"
#include "common/training_layout.h"
#include "common/training_segment.h"
#include "common/training_setup.h"
#include "prover/pcs_prover.h"

namespace zkpot {

struct TrainMemoryEstimate {
  uint32_t stack_vars = 0;  // the step's witness stack has 2^stack_vars entries
  uint64_t fixed = 0;       // bytes held for the whole run
  uint64_t per_step = 0;    // bytes each step of an open segment holds until the close
  uint64_t working = 0;     // bytes a step needs while it is proven
  uint64_t peak(uint64_t segment_steps) const { return fixed + segment_steps * per_step + working; }
};

namespace train_memory_detail {

// Measured: peak RSS minus the other terms, over the stack's entries, is 21.8
// and 38.4 bytes for 784-128-10 and 784-1024-1024-10 at batch 64 (stacks of
// 2^22 and 2^26), and was 42.7 bytes for 3072-1024x8 (2^28) with the earlier
// helper rate (bench/README.md "Prover memory"); 48 errs high at the large
// sizes, where a wrong answer costs a run.
inline constexpr uint64_t kWorkingBytesPerStackEntry = 48;
// The process itself, the public tables and the trainer's copy of the data.
inline constexpr uint64_t kBaseBytes = uint64_t{96} << 20;

// Round 0 of one WHIR run: the Merkle tree over its codeword's leaves (2
// digests per leaf), one salt per leaf, and the base-field codeword itself
// unless the prover recomputes it when queried (docs/PROTOCOL.md §9.7).
inline uint64_t round0_oracle_bytes(const PcsLayout& l, const WhirSchedule& s) {
  if (!s.valid || s.num_rounds == 0) return 0;
  const WhirRound& r0 = s.rounds[0];
  const uint64_t symbols = uint64_t{1} << r0.log_domain;
  const uint64_t leaves = uint64_t{1} << r0.log_rows();
  const bool kept = !pcs_recomputes_codeword(l, PcsMemory::kAuto, r0.log_domain);
  return (kept ? 8 * symbols : 0) + leaves * (2 * 32 + kMerkleSaltBytes);
}

// What a commitment holds from commit to its opening: the committed table,
// both runs' round-0 oracles and the helper's mask table G.
inline uint64_t commitment_bytes(const PcsParams& params, uint32_t num_vars) {
  const PcsLayout l = pcs_layout(params, num_vars);
  if (!l.valid) return 0;
  return 8 * (uint64_t{1} << l.main.spec.num_vars) + round0_oracle_bytes(l, l.main) + round0_oracle_bytes(l, l.helper) +
         8 * (uint64_t{1} << l.helper.spec.num_vars);
}

}  // namespace train_memory_detail

// The estimate for a run of this setup. All terms are zero when the setup has
// no valid layout (the run then fails on its own).
inline TrainMemoryEstimate estimate_training_memory(const TrainingSetup& setup) {
  using namespace train_memory_detail;
  TrainMemoryEstimate e;
  TrainingLayout first, later;
  build_training_layout(setup, true, &first);
  build_training_layout(setup, false, &later);
  if (!first.valid || !later.valid) return e;
  e.stack_vars = first.stack_vars > later.stack_vars ? first.stack_vars : later.stack_vars;
  const PcsParams params = training_pcs_params(setup.parameter_set);
  const uint32_t weight_vars = training_slots_vars(
      std::span<const uint8_t>(later.weight_slot_vars.data(), later.num_weight_slots));
  const uint32_t dataset_vars = training_dataset_vars(setup);
  const uint64_t weights = commitment_bytes(params, weight_vars);
  const uint64_t stack = uint64_t{1} << e.stack_vars;
  e.fixed = kBaseBytes + commitment_bytes(params, dataset_vars) + weights;
  e.per_step = commitment_bytes(params, e.stack_vars) + weights;
  e.working = kWorkingBytesPerStackEntry * stack;
  return e;
}

// MemAvailable from /proc/meminfo, in bytes; nullopt where it cannot be read.
inline std::optional<uint64_t> available_memory_bytes() {
  std::ifstream in("/proc/meminfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("MemAvailable:", 0) != 0) continue;
    std::istringstream fields(line.substr(13));
    uint64_t kib = 0;
    std::string unit;
    if (fields >> kib >> unit && unit == "kB") return kib * 1024;
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace zkpot
