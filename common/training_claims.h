// Where the pending claims of the training script settle, and how many each
// commitment receives (docs/PROTOCOL.md §12.5 "Claim capacities").
//
// The script (common/training_protocol.h) routes every claim by its handle:
// a tensor's claim goes to the commitment its store names, the dataset's to
// the dataset commitment, Gamma's and public tensors' are checked in place.
// The routing depends only on the layout, never on a proof's values, so
// running the script once with a role that counts (TrainingClaimCounter)
// gives the exact number of claims per commitment. The verifier sizes its
// claim lists from these counts; the prover checks its own lists against them.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/training_protocol.h"

namespace zkpot {

// The commitment (or in-place check) a claim on handle `id` settles in.
enum class TrainingClaimSink : uint8_t {
  kChecked = 0,     // Gamma or a public tensor: the verifier evaluates it itself
  kStack = 1,       // this step's stacked commitment
  kWeightsIn = 2,   // the weight commitment the step starts from
  kWeightsOut = 3,  // the weight commitment the step ends with
  kDataset = 4,     // the dataset commitment
  kInvalid = 5,     // no such handle in this layout
};

// Labels are the pixels' last column, so they settle where the pixels do.
inline TrainingClaimSink training_claim_sink(const TrainingLayout& l, uint64_t id) {
  if (id == kTrainingGammaHandle) return TrainingClaimSink::kChecked;
  if (id == kTrainingDatasetHandle) return TrainingClaimSink::kDataset;
  if (id == kTrainingLabelsHandle) id = l.pixels;
  if (id >= l.num_tensors) return TrainingClaimSink::kInvalid;
  switch (l.t(static_cast<uint32_t>(id)).store) {
    case TensorStore::kPublic: return TrainingClaimSink::kChecked;
    case TensorStore::kWeightsIn: return TrainingClaimSink::kWeightsIn;
    case TensorStore::kWeightsOut: return TrainingClaimSink::kWeightsOut;
    case TensorStore::kStack:
    case TensorStore::kRegion: return TrainingClaimSink::kStack;
  }
  return TrainingClaimSink::kInvalid;
}

// Claims per sink from one run of a script (indexed by TrainingClaimSink).
struct TrainingClaimTally {
  std::array<size_t, 6> n{};
  size_t operator[](TrainingClaimSink s) const { return n[static_cast<size_t>(s)]; }
};

// A role for run_training_step and run_dataset_check that verifies nothing
// and counts the claims each call would route. Values are zero; checks pass.
class TrainingClaimCounter {
 public:
  using E = GlExt3;
  explicit TrainingClaimCounter(const TrainingLayout& l) : l_(&l), t_("zkpot/train/claim-count", TrainingDigest{}) {}

  const TrainingClaimTally& tally() const { return tally_; }
  Transcript<>& transcript() { return t_; }

  TrainingStatus zerocheck(const char*, const StackedRelation<E>& st) { return count(st.handles); }
  TrainingStatus rowsum(const char*, const RowSumStatement<E>& st) {
    ZKPOT_TRAINING_TRY(count(st.relation.handles));
    return count1(st.sums);
  }
  TrainingStatus matmul(const char*, const MatmulStatement& st, const PendingClaim<E>&) {
    ZKPOT_TRAINING_TRY(count1(st.a));
    return count1(st.b);
  }
  TrainingStatus linear(const char*, const LinearRelationStatement<E>& st) {
    for (const LinearTerm<E>& term : st.terms)
      if (!term.given) ZKPOT_TRAINING_TRY(count1(term.handle));
    return TrainingStatus::kOk;
  }
  TrainingStatus logup(const char*, const LogupStatement<Gl>& st, std::array<bool, 4>) {
    if (st.table.num_columns > st.witness.size()) return TrainingStatus::kBadSetup;
    ZKPOT_TRAINING_TRY(count(std::span<const CommitmentHandle>(st.witness.data(), st.table.num_columns)));
    return count1(st.multiplicities);
  }
  TrainingStatus state(uint32_t id, std::span<const E>, E* value) {
    *value = E::zero();
    return count1(l_->h(id));
  }
  TrainingStatus value(E* v) {
    *v = E::zero();
    return TrainingStatus::kOk;
  }
  TrainingStatus check(const char*, bool) { return TrainingStatus::kOk; }

  // Dataset check hooks.
  void set_challenges(std::span<const E>, const E&) {}
  void begin_close_step(uint32_t) {}
  TrainingStatus dataset_sum(uint32_t, const E&, std::span<E>, E* final_claim) {
    *final_claim = E::zero();
    return TrainingStatus::kOk;
  }
  E schedule_weight(std::span<const E>, std::span<const E>) const { return E::zero(); }

 private:
  TrainingStatus count1(CommitmentHandle h) {
    const TrainingClaimSink s = training_claim_sink(*l_, h.id);
    if (s == TrainingClaimSink::kInvalid) return TrainingStatus::kBadSetup;
    ++tally_.n[static_cast<size_t>(s)];
    return TrainingStatus::kOk;
  }
  TrainingStatus count(std::span<const CommitmentHandle> hs) {
    for (const CommitmentHandle h : hs) ZKPOT_TRAINING_TRY(count1(h));
    return TrainingStatus::kOk;
  }
  const TrainingLayout* l_;
  Transcript<> t_;
  TrainingClaimTally tally_{};
};

// Claim list sizes for segments of up to `steps` steps: exact counts from the
// script, maximised over the two layouts (the first step of a run also
// range-checks the weights it starts from).
struct TrainingClaimCapacities {
  size_t stack = 0;    // one step's stacked commitment
  size_t weights = 0;  // one weight commitment: claims as W_out of step t - 1 and as W_in of step t
  size_t dataset = 0;  // the dataset commitment over the whole segment
  bool valid = false;
};

// layouts[0]: steps after the first, layouts[1]: step 0 (build_training_layout).
inline TrainingClaimCapacities training_claim_capacities(const TrainingSetup& s,
                                                         std::span<const TrainingLayout, 2> layouts,
                                                         const TrainingTables& tables, uint32_t steps) {
  TrainingClaimCapacities c;
  if (steps == 0 || steps > kTrainingMaxSegmentSteps) return c;
  size_t w_in = 0, w_out = 0, step_dataset = 0;
  for (const TrainingLayout& l : layouts) {
    TrainingClaimCounter counter(l);
    if (run_training_step(counter, s, l, tables) != TrainingStatus::kOk) return c;
    const TrainingClaimTally& k = counter.tally();
    c.stack = std::max(c.stack, k[TrainingClaimSink::kStack]);
    w_in = std::max(w_in, k[TrainingClaimSink::kWeightsIn]);
    w_out = std::max(w_out, k[TrainingClaimSink::kWeightsOut]);
    step_dataset = std::max(step_dataset, k[TrainingClaimSink::kDataset]);
  }
  // The dataset check routes claims per segment step and once at its end:
  // runs over one and two steps separate the two parts.
  const uint32_t rows_bits = training_dataset_rows_bits(s.dataset_rows);
  std::array<TrainingClaimTally, 2> close{};
  for (uint32_t k = 0; k < 2; ++k) {
    TrainingClaimCounter counter(layouts[0]);
    if (run_dataset_check(counter, layouts[0], k + 1, rows_bits) != TrainingStatus::kOk) return c;
    close[k] = counter.tally();
  }
  auto per_step = [&](TrainingClaimSink k) { return close[1][k] - close[0][k]; };
  auto once = [&](TrainingClaimSink k) { return close[0][k] - per_step(k); };
  for (const TrainingClaimSink k : {TrainingClaimSink::kStack, TrainingClaimSink::kWeightsIn,
                                    TrainingClaimSink::kWeightsOut, TrainingClaimSink::kDataset})
    if (close[1][k] < close[0][k] || close[0][k] < per_step(k)) return c;
  // The once-only claims land on the step bound last; counting them on every
  // step keeps one bound for all steps.
  c.stack += per_step(TrainingClaimSink::kStack) + once(TrainingClaimSink::kStack);
  c.weights = w_in + w_out;
  for (const TrainingClaimSink k : {TrainingClaimSink::kWeightsIn, TrainingClaimSink::kWeightsOut})
    c.weights += per_step(k) + once(k);
  c.dataset = size_t{steps} * (step_dataset + per_step(TrainingClaimSink::kDataset)) + once(TrainingClaimSink::kDataset);
  c.valid = c.stack > 0 && c.weights > 0 && c.dataset > 0;
  return c;
}

}  // namespace zkpot
