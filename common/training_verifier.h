// Verifier of one training segment (docs/PROTOCOL.md §12; wire format in
// docs/FORMAT.md "Training segment"): parses the segment map, replays the
// per-step script of common/training_protocol.h against the proof's values,
// runs the segment's dataset check, batches the pending claims of every
// commitment and verifies one opening per commitment. Statuses name the
// failing check; nothing is thrown.
//
// Scratch: the public tables, decoded proof values, the schedule, the pending
// claims of every commitment (ClaimList over arena storage) and the commitment
// verifier's work all come from the caller's arena
// (training_segment_scratch_bytes); nothing is allocated on the heap.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <algorithm>
#include <optional>
#include <string_view>
#include <span>

#include "common/arena.h"
#include "common/claim_accumulator.h"
#include "common/pcs_verifier.h"
#include "common/sumcheck.h"
#include "common/training_claims.h"
#include "common/training_protocol.h"
#include "common/training_segment.h"
#include "formats/cbor_reader.h"
#include "formats/envelope.h"

namespace zkpot {

struct TrainingChainState {
  TrainingDigest weight_commitment{};  // digest of the weight commitment the next step starts from
  uint64_t next_step = 0;
  // One past the last step the statement covers (its t1): a segment reaching
  // beyond it is refused before anything is sized by its length.
  uint64_t end_step = UINT64_MAX;
};

// Where verification stopped: the status, and the check's name ("" on success).
struct TrainingFailure {
  const char* check = "";
  uint64_t step = 0;
  PcsStatus pcs = PcsStatus::kOk;  // the commitment verifier's status when an opening failed
};

// Bounds on the claims per commitment, for the scratch query, which has no
// layout at hand. Verification sizes its lists by the exact counts of
// common/training_claims.h (docs/PROTOCOL.md §12.5 "Claim capacities");
// training_claims_test checks these bounds against those counts over the
// setup space (every depth, extreme widths and bit widths, both layouts,
// segments of 1 to 64 steps), so the scratch a query names always holds them.
inline constexpr size_t training_stack_claim_bound(uint32_t layers) { return 64 + 80 * size_t{layers}; }
inline constexpr size_t training_weight_claim_bound(uint32_t layers) { return 8 + 12 * size_t{layers}; }
inline constexpr size_t kTrainingDatasetClaimBound = 4;
// The reduced claims of one commitment: one per handle.
inline constexpr size_t kTrainingReducedClaimCapacity = 2 * kTrainingMaxLayers;

namespace training_detail {

// The proof's values for one script run, decoded into the arena.
struct ValueCursor {
  std::span<const E> values;
  size_t pos = 0;
  bool take(size_t n, std::span<const E>* out) {
    if (n > values.size() - pos) return false;
    *out = values.subspan(pos, n);
    pos += n;
    return true;
  }
};

class VerifierRole {
 public:
  VerifierRole(Transcript<>& t, ValueCursor& cur, TrainingFailure* failure) : t_(t), cur_(cur), failure_(failure) {}

  // The claims one gadget call produces, before they are routed: scratch the
  // caller allocates from its arena (kRoleClaimBuffer entries), so that the
  // gadget methods' frames stay small (ZKPOT_VERIFY_STACK_BYTES).
  static constexpr size_t kRoleClaimBuffer = 2 * kMaxRelationFactors;
  static_assert(kRoleClaimBuffer >= kMaxLinearTerms && kRoleClaimBuffer >= kMaxRelationFactors);
  void set_claim_buffer(std::span<PendingClaim<E>> buf) { claim_buf_ = buf; }

  // The step whose claims the next calls route, its layout and accumulators.
  void bind_step(const TrainingLayout* l, ClaimList<E>* stack, ClaimList<E>* w_in, ClaimList<E>* w_out,
                 uint64_t step) {
    lp_ = l;
    stack_ = stack;
    w_in_ = w_in;
    w_out_ = w_out;
    step_ = step;
  }
  void set_cursor(ValueCursor* c) { curp_ = c; }
  // Dataset check hooks (run_dataset_check): step i of the segment routes to
  // its own stack and weight lists again.
  void set_close_binding(const TrainingLayout* layouts, ClaimList<E>* stacks, ClaimList<E>* weights,
                         uint64_t t_begin) {
    close_layouts_ = layouts;
    close_stacks_ = stacks;
    close_weights_ = weights;
    close_t_begin_ = t_begin;
  }
  void begin_close_step(uint32_t i) {
    const uint64_t step = close_t_begin_ + i;
    bind_step(&close_layouts_[step == 0 ? 1 : 0], &close_stacks_[i], &close_weights_[i], &close_weights_[i + 1], step);
  }
  std::span<const uint32_t> scheduled_rows;  // T * B rows, step-major
  E schedule_weight(std::span<const E> z, std::span<const E> s) const {
    const uint32_t bb = lp_->batch_bits;
    const std::span<const E> zb = z.first(bb), zt = z.subspan(bb);
    const size_t B = size_t{1} << bb;
    E acc = E::zero();
    for (size_t i = 0; i < scheduled_rows.size(); ++i)
      acc += eq_at_index<E>(zt, i / B) * eq_at_index<E>(zb, i % B) * eq_at_index<E>(s, scheduled_rows[i]);
    return acc;
  }
  TrainingStatus dataset_sum(uint32_t rows_bits, const E& claim, std::span<E> point, E* final_claim) {
    std::span<const E> msgs;
    if (!cur().take(size_t{rows_bits} * 2, &msgs)) return fail("dataset.sum", TrainingStatus::kProofTooShort);
    SumcheckVerifierOutput<E> out;
    out.point = point;
    if (verify_sumcheck<E>(t_, SumcheckShape{rows_bits, 2}, claim, msgs, nullptr, &out) != SumcheckStatus::kOk)
      return fail("dataset.sum", TrainingStatus::kDatasetCheckRejected);
    *final_claim = out.final_claim;
    return TrainingStatus::kOk;
  }

  Transcript<>& transcript() { return t_; }

  TrainingStatus zerocheck(const char* name, const StackedRelation<E>& st) {
    const size_t rounds = size_t{st.total_vars()} * st.degree();
    std::span<const E> msgs, evals;
    if (!cur().take(rounds, &msgs) || !cur().take(st.num_evaluations(), &evals))
      return fail(name, TrainingStatus::kProofTooShort);
    std::array<E, kMaxSumcheckVariables> point{};
    const std::span<PendingClaim<E>> claims = claim_buf_;
    if (st.num_evaluations() > claims.size()) return fail(name, TrainingStatus::kBadSetup);
    StackedRelationVerifierOutput<E> out{std::span<E>(point.data(), st.total_vars()),
                                         claims.first(st.num_evaluations()), {}};
    if (verify_zerocheck<E>(t_, st, StackedRelationProofView<E>{msgs, nullptr, evals}, &out) != GadgetStatus::kOk)
      return fail(name, TrainingStatus::kZerocheckRejected);
    for (size_t i = 0; i < st.num_evaluations(); ++i) ZKPOT_TRAINING_TRY(route(name, claims[i], false));
    return TrainingStatus::kOk;
  }

  TrainingStatus rowsum(const char* name, const RowSumStatement<E>& st) {
    std::span<const E> sum, msgs, evals;
    const size_t rounds = size_t{st.relation.total_vars()} * st.relation.degree();
    if (!cur().take(1, &sum) || !cur().take(rounds, &msgs) || !cur().take(st.relation.num_evaluations(), &evals))
      return fail(name, TrainingStatus::kProofTooShort);
    std::array<E, kMaxSumcheckVariables> point{};
    const std::span<PendingClaim<E>> claims = claim_buf_;
    if (st.relation.num_evaluations() > claims.size()) return fail(name, TrainingStatus::kBadSetup);
    RowSumVerifierOutput<E> out;
    out.relation.point = std::span<E>(point.data(), st.relation.num_vars);
    out.relation.claims = claims.first(st.relation.num_evaluations());
    const RowSumProofView<E> view{StackedRelationProofView<E>{msgs, nullptr, evals}, sum[0]};
    if (verify_rowsum<E>(t_, st, view, &out) != GadgetStatus::kOk) return fail(name, TrainingStatus::kRowSumRejected);
    for (size_t i = 0; i < st.relation.num_evaluations(); ++i) ZKPOT_TRAINING_TRY(route(name, claims[i], false));
    return route(name, out.sums_claim, false);
  }

  TrainingStatus matmul(const char* name, const MatmulStatement& st, const PendingClaim<E>& c) {
    std::span<const E> msgs, evals;
    if (!cur().take(size_t{st.shape.inner_bits} * kMatmulDegree, &msgs) || !cur().take(2, &evals))
      return fail(name, TrainingStatus::kProofTooShort);
    MatmulVerifierOutput<E> out;
    if (verify_matmul<E>(t_, st, c, MatmulProofView<E>{msgs, nullptr, evals[0], evals[1]}, &out) != GadgetStatus::kOk)
      return fail(name, TrainingStatus::kMatmulRejected);
    ZKPOT_TRAINING_TRY(route(name, out.a_claim, false));
    return route(name, out.b_claim, false);
  }

  TrainingStatus linear(const char* name, const LinearRelationStatement<E>& st) {
    std::array<E, kMaxClaimVariables> point{};
    const std::span<E> r(point.data(), st.num_vars());
    if (linear_relation_draw_point<E>(t_, st, r) != GadgetStatus::kOk) return fail(name, TrainingStatus::kBadSetup);
    std::span<const E> vals;
    if (!cur().take(st.num_stated(), &vals)) return fail(name, TrainingStatus::kProofTooShort);
    const std::span<PendingClaim<E>> claims = claim_buf_;
    if (st.num_stated() > claims.size()) return fail(name, TrainingStatus::kBadSetup);
    if (verify_linear_relation<E>(t_, st, std::span<const E>(r), {}, vals, claims.first(st.num_stated())) !=
        GadgetStatus::kOk)
      return fail(name, TrainingStatus::kLinearRelationRejected);
    for (size_t i = 0; i < st.num_stated(); ++i) ZKPOT_TRAINING_TRY(route(name, claims[i], false));
    return TrainingStatus::kOk;
  }

  TrainingStatus logup(const char* name, const LogupStatement<Gl>& st, std::array<bool, 4> transposed) {
    const LogupProofLengths len = logup_proof_lengths(st);
    LogupProofView<E> view;
    if (!cur().take(len.root_children, &view.root_children) || !cur().take(len.layer_rounds, &view.layer_rounds) ||
        !cur().take(len.layer_children, &view.layer_children) ||
        !cur().take(len.column_evaluations, &view.column_evaluations))
      return fail(name, TrainingStatus::kProofTooShort);
    LogupVerifierOutput<E> out;
    if (verify_logup<Gl, E>(t_, st, view, &out) != LogupStatus::kOk) return fail(name, TrainingStatus::kLookupRejected);
    for (uint32_t c = 0; c < st.table.num_columns; ++c) ZKPOT_TRAINING_TRY(route(name, out.witness_claims[c], transposed[c]));
    return route(name, out.multiplicity_claim, false);
  }

  TrainingStatus state(uint32_t id, std::span<const E> point, E* value) {
    std::span<const E> v;
    if (!cur().take(1, &v)) return fail("stated value", TrainingStatus::kProofTooShort);
    t_.absorb_field("train.stated", v[0]);
    *value = v[0];
    PendingClaim<E> c;
    if (!PendingClaim<E>::make_evaluation(l_().h(id), point, v[0], &c)) return fail("stated value", TrainingStatus::kBadSetup);
    return route("stated value", c, false);
  }
  TrainingStatus value(E* v) {
    std::span<const E> x;
    if (!cur().take(1, &x)) return fail("stated value", TrainingStatus::kProofTooShort);
    t_.absorb_field("train.value", x[0]);
    *v = x[0];
    return TrainingStatus::kOk;
  }

  TrainingStatus check(const char* name, bool ok) {
    if (ok) return TrainingStatus::kOk;
    return fail(name, std::string_view(name).starts_with("dataset") ? TrainingStatus::kDatasetCheckRejected
                                                                    : TrainingStatus::kStatedValueMismatch);
  }

  TrainingStatus fail(const char* name, TrainingStatus s) {
    if (failure_ != nullptr) {
      failure_->check = name;
      failure_->step = step_;
    }
    return s;
  }

  // Dataset check: gamma for claims on Gamma, and the dataset's accumulator.
  void set_challenges(std::span<const E>, const E& g) { gamma_ = g; }
  void set_dataset(ClaimList<E>* d, uint32_t rows_bits, uint32_t col_bits) {
    dataset_ = d;
    dataset_vars_ = rows_bits + col_bits;
  }

  TrainingStatus route(const char* name, const PendingClaim<E>& c, bool transposed) {
    std::array<E, kMaxClaimVariables> p{};
    const uint64_t id = c.handle().id;
    if (id == kTrainingGammaHandle) {
      return training_gamma_mle<E>(gamma_, c.point()) == c.value() ? TrainingStatus::kOk
                                                                   : fail(name, TrainingStatus::kPublicTensorMismatch);
    }
    if (id == kTrainingDatasetHandle) {
      if (dataset_ == nullptr || c.num_vars() != dataset_vars_) return fail(name, TrainingStatus::kBadSetup);
      PendingClaim<E> dc;  // slot 0 of the dataset commitment
      if (!PendingClaim<E>::make_evaluation(CommitmentHandle{0}, c.point(), c.value(), &dc))
        return fail(name, TrainingStatus::kBadSetup);
      return dataset_->add(dc) == ClaimStatus::kOk ? TrainingStatus::kOk
                                                   : fail(name, TrainingStatus::kClaimBatchingRejected);
    }
    if (id == kTrainingLabelsHandle) {  // labels(r_row) = pixels(column n_0, r_row)
      const TensorInfo& px = l_().t(l_().pixels);
      for (uint32_t j = 0; j < px.col_bits; ++j) p[j] = ((px.cols - 1) >> j) & 1 ? E::one() : E::zero();
      for (uint32_t j = 0; j < px.row_bits; ++j) p[px.col_bits + j] = c.point()[j];
      PendingClaim<E> pc;
      if (!PendingClaim<E>::make_evaluation(l_().h(l_().pixels), std::span<const E>(p.data(), px.vars()), c.value(), &pc))
        return fail(name, TrainingStatus::kBadSetup);
      return route(name, pc, false);
    }
    if (id >= l_().num_tensors) return fail(name, TrainingStatus::kBadSetup);
    const TensorInfo& t = l_().t(static_cast<uint32_t>(id));
    if (c.num_vars() != t.vars()) return fail(name, TrainingStatus::kBadSetup);
    std::span<const E> point = c.point();
    if (transposed) {  // the lookup indexed rows fastest: (r_row, r_col) -> (r_col, r_row)
      for (uint32_t j = 0; j < t.col_bits; ++j) p[j] = point[t.row_bits + j];
      for (uint32_t j = 0; j < t.row_bits; ++j) p[t.col_bits + j] = point[j];
      point = std::span<const E>(p.data(), t.vars());
    }
    switch (t.store) {
      case TensorStore::kPublic:
        return training_public_mle<E>(t, point) == c.value() ? TrainingStatus::kOk
                                                               : fail(name, TrainingStatus::kPublicTensorMismatch);
      case TensorStore::kWeightsIn:
      case TensorStore::kWeightsOut: {
        PendingClaim<E> wc;
        if (!PendingClaim<E>::make_evaluation(CommitmentHandle{t.slot}, point, c.value(), &wc))
          return fail(name, TrainingStatus::kBadSetup);
        ClaimList<E>& acc = t.store == TensorStore::kWeightsIn ? *w_in_ : *w_out_;
        return acc.add(wc) == ClaimStatus::kOk ? TrainingStatus::kOk : fail(name, TrainingStatus::kClaimBatchingRejected);
      }
      case TensorStore::kStack:
      case TensorStore::kRegion: {
        std::array<E, kMaxClaimVariables> sp{};
        training_stack_point<E>(l_(), static_cast<uint32_t>(id), point, std::span<E>(sp.data(), l_().stack_vars));
        PendingClaim<E> sc;
        if (!PendingClaim<E>::make_evaluation(CommitmentHandle{0}, std::span<const E>(sp.data(), l_().stack_vars),
                                              c.value(), &sc))
          return fail(name, TrainingStatus::kBadSetup);
        return stack_->add(sc) == ClaimStatus::kOk ? TrainingStatus::kOk
                                                   : fail(name, TrainingStatus::kClaimBatchingRejected);
      }
    }
    return fail(name, TrainingStatus::kBadSetup);
  }

 private:
  const TrainingLayout& l_() const { return *lp_; }
  ValueCursor& cur() { return curp_ ? *curp_ : cur_; }
  Transcript<>& t_;
  ValueCursor& cur_;
  ValueCursor* curp_ = nullptr;
  TrainingFailure* failure_;
  std::span<PendingClaim<E>> claim_buf_;
  const TrainingLayout* lp_ = nullptr;
  ClaimList<E>* stack_ = nullptr;
  ClaimList<E>* w_in_ = nullptr;
  ClaimList<E>* w_out_ = nullptr;
  uint64_t step_ = 0;
  E gamma_{};
  ClaimList<E>* dataset_ = nullptr;
  const TrainingLayout* close_layouts_ = nullptr;
  ClaimList<E>* close_stacks_ = nullptr;
  ClaimList<E>* close_weights_ = nullptr;
  uint64_t close_t_begin_ = 0;
  uint32_t dataset_vars_ = 0;
};

}  // namespace training_detail
namespace training_detail {

// Reads a field vector of any length into the arena.
template <class F>
[[nodiscard]] bool read_values(CborReader& r, Arena& arena, std::span<const F>* out) {
  std::span<const uint8_t> bytes;
  if (!r.read_bytes(&bytes).is_ok() || bytes.size() % F::kEncodedBytes != 0) return false;
  const size_t n = bytes.size() / F::kEncodedBytes;
  std::span<F> v = pcs_arena_array<F>(arena, n);
  if (n > 0 && !arena.ok()) return false;
  for (size_t i = 0; i < n; ++i)
    if (!F::decode(bytes.data() + i * F::kEncodedBytes, &v[i])) return false;
  *out = v;
  return true;
}

template <class T>
[[nodiscard]] bool read_fixed_array(CborReader& r, Arena& arena, std::span<const T>* out) {
  std::span<const uint8_t> bytes;
  if (!r.read_bytes(&bytes).is_ok() || bytes.size() % sizeof(T) != 0) return false;
  std::span<T> v = pcs_arena_array<T>(arena, bytes.size() / sizeof(T));
  if (!bytes.empty() && !arena.ok()) return false;
  if (!bytes.empty()) std::memcpy(v.data(), bytes.data(), bytes.size());  // memcpy(nullptr, ..., 0) is UB
  *out = v;
  return true;
}

// n claim lists of the given capacity, storage and all in the arena (empty
// spans and !arena.ok() when they do not fit).
inline std::span<ClaimList<E>> arena_claim_lists(Arena& arena, size_t n, size_t capacity) {
  const std::span<ClaimList<E>> lists = pcs_arena_array<ClaimList<E>>(arena, n);
  for (ClaimList<E>& l : lists) l = ClaimList<E>(pcs_arena_array<PendingClaim<E>>(arena, capacity));
  return arena.ok() ? lists : std::span<ClaimList<E>>();
}

inline size_t arena_claim_lists_bytes(size_t n, size_t capacity) {
  size_t b = Arena::bytes_for<ClaimList<E>>(n);
  for (size_t i = 0; i < n; ++i) b = Arena::add_sizes(b, Arena::bytes_for<PendingClaim<E>>(capacity));
  return b;
}

[[nodiscard]] inline bool read_key(CborReader& r, uint64_t expected) {
  uint64_t k;
  return r.read_uint(&k).is_ok() && k == expected;
}

[[nodiscard]] inline bool read_commitment(CborReader& r, PcsCommitment<GlExt3>* c, TrainingDigest* digest,
                                          std::string_view personal) {
  std::span<const uint8_t> bytes;
  if (!r.read_bytes(&bytes).is_ok() || !decode_training_commitment(bytes, c)) return false;
  *digest = training_commitment_digest(personal, bytes);
  return true;
}

}  // namespace training_detail

// Upper bound on the scratch verify_training_segment needs under `setup`
// for segments of at most max_segment_steps steps (the statement's t1 - t0
// caps them, through TrainingChainState::end_step).
inline size_t training_segment_scratch_bytes(const TrainingSetup& setup,
                                             uint64_t max_segment_steps = kTrainingMaxSegmentSteps) {
  if (!training_setup_valid(setup)) return 0;
  const size_t steps = static_cast<size_t>(std::clamp<uint64_t>(max_segment_steps, 1, kTrainingMaxSegmentSteps));
  const PcsParams params = training_pcs_params(setup.parameter_set);
  size_t b = 2 * Arena::bytes_for<TrainingLayout>(1);
  b = Arena::add_sizes(b, Arena::bytes_for<Gl>(256 + 2 * 65536));
  b = Arena::add_sizes(b, Arena::bytes_for<uint32_t>(setup.dataset_rows + size_t{kTrainingMaxSegmentSteps} * setup.batch));
  b = Arena::add_sizes(b, Arena::bytes_for<PcsCommitment<GlExt3>>(2 * kTrainingMaxSegmentSteps + 2));
  b = Arena::add_sizes(b, 2 * kMaxSegmentBytes + 4096);  // decoded values never exceed their encoding
  // Claim lists for the longest segment: stacks, weights, dataset, one reduced list.
  b = Arena::add_sizes(b, training_detail::arena_claim_lists_bytes(steps, training_stack_claim_bound(setup.layers())));
  b = Arena::add_sizes(b, training_detail::arena_claim_lists_bytes(steps + 1, training_weight_claim_bound(setup.layers())));
  b = Arena::add_sizes(b, training_detail::arena_claim_lists_bytes(1, kTrainingDatasetClaimBound));
  b = Arena::add_sizes(b, Arena::bytes_for<PendingClaim<GlExt3>>(kTrainingReducedClaimCapacity));
  b = Arena::add_sizes(b, Arena::bytes_for<PendingClaim<GlExt3>>(training_detail::VerifierRole::kRoleClaimBuffer));
  size_t pcs = 0;
  for (uint32_t vars = 1; vars <= kPcsMaxVars; ++vars) {
    const PcsLayout l = pcs_layout(params, vars);
    if (l.valid) pcs = std::max(pcs, pcs_verifier_scratch_bytes<Gl, GlExt3>(l, params.max_claims));
  }
  return Arena::add_sizes(b, pcs);
}

// Verifies one segment (docs/PROTOCOL.md §12.5): on kOk, *out is the chain
// state after its last step. failure (optional) names the failing check.
[[nodiscard]] inline TrainingStatus verify_training_segment(const TrainingSetup& setup,
                                                            const TrainingDigest& statement_digest,
                                                            const TrainingChainState& in,
                                                            std::span<const uint8_t> segment, Arena& arena,
                                                            TrainingChainState* out,
                                                            TrainingFailure* failure = nullptr,
                                                            TrainingTableDigests* table_digests = nullptr) {
  using namespace training_detail;
  if (!training_setup_valid(setup)) return TrainingStatus::kBadSetup;
  const TrainingStatus malformed = TrainingStatus::kMalformedSegment;
  auto fail_at = [&](const char* check, TrainingStatus s) {
    if (!arena.ok()) return TrainingStatus::kScratchTooSmall;  // a read that did not fit, not a verdict
    if (failure != nullptr) failure->check = check;
    return s;
  };
  std::span<TrainingLayout> layouts = pcs_arena_array<TrainingLayout>(arena, 2);
  std::span<Gl> tab = pcs_arena_array<Gl>(arena, 256 + 2 * 65536);
  if (!arena.ok()) return TrainingStatus::kScratchTooSmall;
  build_training_layout(setup, false, &layouts[0]);
  build_training_layout(setup, true, &layouts[1]);
  if (!layouts[0].valid || !layouts[1].valid) return TrainingStatus::kBadSetup;
  fill_training_tables(setup, tab.first(256), tab.subspan(256, 65536), tab.subspan(256 + 65536));
  const TrainingTables tables = TrainingTables::over_cached(setup, tab.first(256), tab.subspan(256, 65536),
                                                            tab.subspan(256 + 65536), table_digests);
  const PcsParams params = training_pcs_params(setup.parameter_set);

  CborReader r(segment, kSegmentLimits);
  uint64_t pairs = 0, t_begin = 0, t_end = 0;
  if (!r.read_map(&pairs).is_ok() || pairs != 7) return fail_at("segment.map", malformed);
  if (!read_training_segment_range(r, &t_begin, &t_end)) return fail_at("segment.range", malformed);
  if (t_begin != in.next_step) return fail_at("segment.begin", TrainingStatus::kChainMismatch);
  if (t_end > in.end_step) return fail_at("segment.end", TrainingStatus::kChainMismatch);
  const uint32_t T = static_cast<uint32_t>(t_end - t_begin);
  std::span<PcsCommitment<GlExt3>> coms = pcs_arena_array<PcsCommitment<GlExt3>>(arena, 2 * size_t{T} + 2);
  if (!arena.ok()) return TrainingStatus::kScratchTooSmall;
  // coms: [0, T) step stacks, [T, 2T+1) weights W^a..W^b, 2T+1 the dataset.
  std::span<PcsCommitment<GlExt3>> stacks = coms.first(T), weights = coms.subspan(T, T + 1);
  PcsCommitment<GlExt3>& dataset = coms[2 * size_t{T} + 1];
  TrainingDigest w_digest, d_digest;
  if (!read_key(r, kSegKeyWeightsIn) || !read_commitment(r, &weights[0], &w_digest, kWeightCommitmentPersonal))
    return fail_at("segment.weights_in", malformed);
  if (w_digest != in.weight_commitment) return fail_at("segment.weights_in", TrainingStatus::kWeightCommitmentMismatch);
  if (!read_key(r, kSegKeyDataset) || !read_commitment(r, &dataset, &d_digest, personal::kDataset))
    return fail_at("segment.dataset", malformed);
  if (d_digest != setup.dataset_commitment) return fail_at("segment.dataset", TrainingStatus::kChainMismatch);

  Transcript<> t("zkpot/train/segment/v1", statement_digest);
  t.absorb_u64("train.t_begin", t_begin);
  t.absorb_u64("train.t_end", t_end);
  t.absorb_digest("train.dataset", d_digest);
  pcs_absorb_commitment(t, dataset);

  // Pending claims per commitment, in the arena: T stacks, T + 1 weights, the
  // dataset, each list as long as the script's exact count (common/training_claims.h).
  const TrainingClaimCapacities caps =
      training_claim_capacities(setup, std::span<const TrainingLayout, 2>(layouts.data(), 2), tables, T);
  if (!caps.valid || caps.stack > training_stack_claim_bound(setup.layers()) ||
      caps.weights > training_weight_claim_bound(setup.layers()) || caps.dataset > kTrainingDatasetClaimBound)
    return TrainingStatus::kBadSetup;
  const std::span<ClaimList<E>> stack_acc = arena_claim_lists(arena, T, caps.stack);
  const std::span<ClaimList<E>> w_acc = arena_claim_lists(arena, size_t{T} + 1, caps.weights);
  const std::span<ClaimList<E>> dataset_accs = arena_claim_lists(arena, 1, caps.dataset);
  // The batched claims of one commitment at a time.
  const std::span<PendingClaim<E>> reduced_storage = pcs_arena_array<PendingClaim<E>>(arena, kTrainingReducedClaimCapacity);
  if (!arena.ok()) return TrainingStatus::kScratchTooSmall;
  ClaimList<E>& dataset_acc = dataset_accs[0];

  ValueCursor dummy;
  VerifierRole role(t, dummy, failure);
  const std::span<PendingClaim<E>> role_claims = pcs_arena_array<PendingClaim<E>>(arena, VerifierRole::kRoleClaimBuffer);
  if (!arena.ok()) return TrainingStatus::kScratchTooSmall;
  role.set_claim_buffer(role_claims);
  uint64_t steps_count = 0;
  if (!read_key(r, kSegKeySteps) || !r.read_array(&steps_count).is_ok() || steps_count != T)
    return fail_at("segment.steps", malformed);
  for (uint32_t i = 0; i < T; ++i) {
    const uint64_t step = t_begin + i;
    const TrainingLayout& l = layouts[step == 0 ? 1 : 0];
    uint64_t step_pairs = 0;
    TrainingDigest s_digest, out_digest;
    if (!r.read_map(&step_pairs).is_ok() || step_pairs != 3 || !read_key(r, kStepKeyStack) ||
        !read_commitment(r, &stacks[i], &s_digest, kStepCommitmentPersonal) || !read_key(r, kStepKeyWeightsOut) ||
        !read_commitment(r, &weights[i + 1], &out_digest, kWeightCommitmentPersonal) || !read_key(r, kStepKeyValues))
      return fail_at("segment.step", malformed);
    const Arena::Mark mark = arena.mark();
    std::span<const E> values;
    if (!read_values<E>(r, arena, &values)) return fail_at("segment.step.values", malformed);
    // docs/PROTOCOL.md §12.3: the step index and the weights it starts from come first.
    t.absorb_u64("train.step", step);
    t.absorb_digest("train.weights_in", w_digest);
    pcs_absorb_commitment(t, stacks[i]);
    t.absorb_digest("train.weights_out", out_digest);
    pcs_absorb_commitment(t, weights[i + 1]);
    ValueCursor cur{values, 0};
    role.set_cursor(&cur);
    role.bind_step(&l, &stack_acc[i], &w_acc[i], &w_acc[i + 1], step);
    if (const TrainingStatus st = run_training_step(role, setup, l, tables); st != TrainingStatus::kOk) return st;
    if (cur.pos != values.size()) return fail_at("step.values", TrainingStatus::kTrailingProofData);
    if (!arena.release(mark)) return TrainingStatus::kScratchTooSmall;
    w_digest = out_digest;
  }

  // Close: dataset check, then one batched opening per commitment.
  if (!read_key(r, kSegKeyCloseValues)) return fail_at("segment.close", malformed);
  std::span<const E> close_values;
  if (!read_values<E>(r, arena, &close_values)) return fail_at("segment.close", malformed);
  ValueCursor cur{close_values, 0};
  role.set_cursor(&cur);
  std::span<uint32_t> rows = pcs_arena_array<uint32_t>(arena, size_t{T} * setup.batch);
  std::span<uint32_t> perm = pcs_arena_array<uint32_t>(arena, setup.dataset_rows);
  if (!arena.ok()) return TrainingStatus::kScratchTooSmall;
  {
    const TrainingDigest seed = training_schedule_seed(setup);
    const uint64_t spe = setup.steps_per_epoch();
    uint64_t epoch = UINT64_MAX;
    for (uint32_t i = 0; i < T; ++i) {
      const uint64_t step = t_begin + i;
      if (step / spe != epoch) {
        epoch = step / spe;
        training_epoch_permutation(seed, epoch, perm);
      }
      for (uint32_t b = 0; b < setup.batch; ++b) rows[size_t{i} * setup.batch + b] = perm[(step % spe) * setup.batch + b];
    }
  }
  const uint32_t cb_in = layouts[0].t(layouts[0].pixels).col_bits;
  const uint32_t rows_bits = training_dataset_rows_bits(setup.dataset_rows);
  role.set_dataset(&dataset_acc, rows_bits, cb_in);
  role.scheduled_rows = rows;
  role.set_close_binding(layouts.data(), stack_acc.data(), w_acc.data(), t_begin);
  role.bind_step(&layouts[t_begin == 0 ? 1 : 0], &stack_acc[0], &w_acc[0], &w_acc[1], t_begin);
  if (const TrainingStatus st = run_dataset_check(role, layouts[0], T, rows_bits); st != TrainingStatus::kOk) return st;

  uint64_t openings = 0;
  if (!read_key(r, kSegKeyOpenings) || !r.read_array(&openings).is_ok() || openings != 2 * uint64_t{T} + 2)
    return fail_at("segment.openings", malformed);
  for (uint32_t k = 0; k < 2 * T + 2; ++k) {
    const bool is_stack = k < T, is_dataset = k == 2 * T + 1;
    const ClaimList<E>& acc = is_stack ? stack_acc[k] : is_dataset ? dataset_acc : w_acc[k - T];
    const PcsCommitment<GlExt3>& com = coms[k];
    const uint64_t step = is_stack ? t_begin + k : t_begin;
    uint32_t vars = 0;
    if (is_stack) vars = layouts[step == 0 ? 1 : 0].stack_vars;
    else if (is_dataset) vars = rows_bits + cb_in;
    else vars = training_slots_vars(std::span<const uint8_t>(layouts[0].weight_slot_vars.data(), layouts[0].num_weight_slots));
    if (acc.size() == 0) return fail_at("opening.claims", TrainingStatus::kClaimBatchingRejected);
    // Each batched group's proof comes from the close stream as it is needed.
    bool too_short = false;
    auto group_of = [&](size_t, const PendingClaim<E>& leader, ClaimBatchingGroupView<E>* g) {
      std::span<const E> ev;
      if (!cur.take(size_t{leader.num_vars()} * 2, &g->round_messages) || !cur.take(1, &ev)) {
        too_short = true;
        return false;
      }
      g->evaluation = ev[0];
      return true;
    };
    ClaimList<E> reduced(reduced_storage);
    const ClaimStatus bs = verify_claim_batching_with<E>(t, acc, group_of, false, CommitmentHandle{0}, &reduced);
    if (too_short) return fail_at("opening.batching", TrainingStatus::kProofTooShort);
    if (bs != ClaimStatus::kOk) return fail_at("opening.batching", TrainingStatus::kClaimBatchingRejected);
    const PcsLayout layout = pcs_layout(params, vars);
    if (!layout.valid) return TrainingStatus::kBadSetup;
    std::array<PcsClaim<GlExt3>, 2 * kTrainingMaxLayers> claims{};
    if (reduced.size() > claims.size()) return fail_at("opening.claims", TrainingStatus::kOpeningRejected);
    for (size_t i = 0; i < reduced.size(); ++i) {
      const PendingClaim<E>& c = reduced.claims()[i];
      claims[i] = PcsClaim<GlExt3>{static_cast<uint32_t>(c.handle().id), c.point(), c.value()};
    }
    const Arena::Mark mark = arena.mark();
    uint64_t op_pairs = 0;
    PcsProofView<Gl, GlExt3> view;
    std::span<const uint8_t> ld;
    if (!r.read_map(&op_pairs).is_ok() || op_pairs != 6 || !read_key(r, kOpenKeyLayout) ||
        !r.read_bytes(&ld).is_ok() || ld.size() != 32 || !read_key(r, kOpenKeyExt) ||
        !read_values<GlExt3>(r, arena, &view.ext) || !read_key(r, kOpenKeyBase) || !read_values<Gl>(r, arena, &view.base) ||
        !read_key(r, kOpenKeyDigests) || !read_fixed_array(r, arena, &view.digests) || !read_key(r, kOpenKeySalts) ||
        !read_fixed_array(r, arena, &view.salts) || !read_key(r, kOpenKeyNonces) ||
        !read_fixed_array(r, arena, &view.nonces))
      return fail_at("opening", malformed);
    std::memcpy(view.layout_digest.data(), ld.data(), 32);
    const PcsStatus ps =
        pcs_verify<Gl, GlExt3>(t, layout, com, std::span<const PcsClaim<GlExt3>>(claims.data(), reduced.size()), view,
                               arena);
    if (failure != nullptr) failure->pcs = ps;
    if (ps == PcsStatus::kScratchTooSmall) return TrainingStatus::kScratchTooSmall;
    if (ps != PcsStatus::kOk)
      return fail_at(is_stack ? "opening.step" : is_dataset ? "opening.dataset" : "opening.weights",
                     TrainingStatus::kOpeningRejected);
    if (!arena.release(mark)) return TrainingStatus::kScratchTooSmall;
  }
  if (cur.pos != close_values.size()) return fail_at("close.values", TrainingStatus::kTrailingProofData);
  if (!r.finish().is_ok()) return fail_at("segment.end", malformed);
  out->weight_commitment = w_digest;
  out->next_step = t_end;
  out->end_step = in.end_step;
  return TrainingStatus::kOk;
}

}  // namespace zkpot
