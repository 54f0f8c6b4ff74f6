// Collects the pending claims of a proof and batches the claims on one
// committed polynomial at different points into one claim at a single point
// (docs/PROTOCOL.md §6):
//   sum_x P(x) W(x) = sum_i gamma^i v_i,   W(x) = sum_i gamma^i eq(r_i, x),
// a degree-2 sumcheck after which the prover states P(s) at the sumcheck's
// point s, and the verifier checks the final claim equals P(s) W(s).
// gamma is drawn after every claim is absorbed. Verifier maths: statuses, no
// exceptions; storage is reserved once at construction.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "common/claims.h"
#include "common/multilinear.h"
#include "common/sumcheck.h"

namespace zkpot {

// A bounded list of pending claims over storage it does not own: a span of
// the verifier's arena (no heap inside verification), or ClaimAccumulator's
// vector. Copying a ClaimList copies the view, not the claims.
template <class E>
class ClaimList {
 public:
  ClaimList() noexcept = default;
  explicit ClaimList(std::span<PendingClaim<E>> storage) noexcept
      : data_(storage.data()), capacity_(storage.size()) {}

  [[nodiscard]] ClaimStatus add(const PendingClaim<E>& c) {
    if (size_ == capacity_) return ClaimStatus::kCapacityExceeded;
    for (const PendingClaim<E>& o : claims()) {
      if (o.handle() != c.handle()) continue;
      if (o.kind() != c.kind()) return ClaimStatus::kKindMismatch;
      if (o.num_vars() != c.num_vars() || o.mask_degree() != c.mask_degree())
        return ClaimStatus::kVariableCountMismatch;
    }
    data_[size_++] = c;
    return ClaimStatus::kOk;
  }
  std::span<const PendingClaim<E>> claims() const { return std::span<const PendingClaim<E>>(data_, size_); }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  // The unused storage after the last claim (verify_claim_batching parks
  // the mask claims there until the reduced claims are in).
  std::span<PendingClaim<E>> spare() { return std::span<PendingClaim<E>>(data_ + size_, capacity_ - size_); }

  // The index of the first claim on claims()[i]'s handle.
  size_t leader(size_t i) const {
    for (size_t j = 0; j < i; ++j)
      if (data_[j].handle() == data_[i].handle()) return j;
    return i;
  }
  size_t group_size(size_t leader_index) const {
    size_t m = 0;
    for (const PendingClaim<E>& c : claims()) m += c.handle() == data_[leader_index].handle();
    return m;
  }
  // Groups that need a batching sumcheck: evaluation claims, two or more on a
  // handle; counted in order of their leader.
  size_t num_batched_groups() const {
    size_t g = 0;
    for (size_t i = 0; i < size_; ++i) g += is_batched_leader(i);
    return g;
  }
  bool is_batched_leader(size_t i) const {
    return leader(i) == i && data_[i].kind() == ClaimKind::kMultilinearEvaluation && group_size(i) >= 2;
  }
  // Distinct handles: the claims verify_claim_batching reduces this list to
  // (before any mask claims).
  size_t num_leaders() const {
    size_t n = 0;
    for (size_t i = 0; i < size_; ++i) n += leader(i) == i;
    return n;
  }

 protected:
  void rebind(PendingClaim<E>* data, size_t capacity) {
    data_ = data;
    capacity_ = capacity;
  }

 private:
  PendingClaim<E>* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

// A ClaimList that owns its storage (reserved once at construction), for the
// prover and tests. The verifier uses ClaimList over its arena.
template <class E>
class ClaimAccumulator : public ClaimList<E> {
 public:
  explicit ClaimAccumulator(size_t capacity) : storage_(capacity) { this->rebind(storage_.data(), capacity); }
  ClaimAccumulator(const ClaimAccumulator& o) : ClaimList<E>(o), storage_(o.storage_) {
    this->rebind(storage_.data(), storage_.size());
  }
  ClaimAccumulator(ClaimAccumulator&& o) noexcept : ClaimList<E>(o), storage_(std::move(o.storage_)) {
    this->rebind(storage_.data(), storage_.size());
    static_cast<ClaimList<E>&>(o) = ClaimList<E>();
  }
  ClaimAccumulator& operator=(const ClaimAccumulator&) = delete;
  ClaimAccumulator& operator=(ClaimAccumulator&&) = delete;

 private:
  std::vector<PendingClaim<E>> storage_;
};

template <class E>
struct ClaimBatchingGroupProof {
  std::vector<E> round_messages;  // num_vars * 2 values (docs/PROTOCOL.md §3)
  std::optional<SumcheckMaskMessages<E>> mask;
  E evaluation{};  // P(s)
};

template <class E>
struct ClaimBatchingProof {
  std::vector<ClaimBatchingGroupProof<E>> groups;  // one per batched group, in leader order
};

// Absorbs every claim, then draws gamma (prover and verifier alike).
template <class E, class H>
E claim_batching_begin(Transcript<H>& transcript, const ClaimList<E>& acc) {
  transcript.absorb_u64("claims.count", acc.size());
  for (const PendingClaim<E>& c : acc.claims()) absorb_claim(transcript, c);
  return transcript.template challenge<E>("claims.gamma");
}

// sum_i gamma^i v_i over the group of `leader` (claims in accumulator order).
template <class E>
E claim_group_sum(const ClaimList<E>& acc, size_t leader, const E& gamma) {
  E sum = E::zero(), g = E::one();
  for (const PendingClaim<E>& c : acc.claims()) {
    if (c.handle() != acc.claims()[leader].handle()) continue;
    sum += g * c.value();
    g *= gamma;
  }
  return sum;
}

// W(s) = sum_i gamma^i eq(r_i, s) over the group of `leader`.
template <class E>
E claim_group_weight(const ClaimList<E>& acc, size_t leader, const E& gamma, std::span<const E> s) {
  E w = E::zero(), g = E::one();
  for (const PendingClaim<E>& c : acc.claims()) {
    if (c.handle() != acc.claims()[leader].handle()) continue;
    E e = E::one();
    for (size_t j = 0; j < s.size(); ++j) {
      const E& r = c.point()[j];
      e *= r * s[j] + (E::one() - r) * (E::one() - s[j]);
    }
    w += g * e;
    g *= gamma;
  }
  return w;
}

// -log2 of the soundness error of batching m claims on one polynomial in n
// variables (docs/PROTOCOL.md §6): (m - 1)/|E| for gamma, plus the degree-2
// sumcheck's 2n/|E| (+1/|E| with a mask).
inline double claim_batching_soundness_bits(size_t m, uint32_t num_vars, bool zero_knowledge,
                                            double log2_field_size) {
  const double numerator = double(m - 1) + 2.0 * num_vars + (zero_knowledge ? 1.0 : 0.0);
  return log2_field_size - std::log2(numerator);
}

// The mask handle of batched group k when zero knowledge is on.
inline CommitmentHandle claim_batching_mask_handle(CommitmentHandle first, size_t k) {
  return CommitmentHandle{first.id + k};
}

// One batched group's proof as the verifier reads it (views, no storage).
template <class E>
struct ClaimBatchingGroupView {
  std::span<const E> round_messages;             // num_vars * 2 values
  const SumcheckMaskMessages<E>* mask = nullptr;  // zero knowledge only
  E evaluation{};                                  // P(s)
};

// Verifies the batching of `in` and writes the reduced claims to *out, in
// order: for each handle (by first appearance) one claim, the batched one where
// the group had two or more evaluation claims; Libra-mask claims pass through;
// then the mask claims of the batching sumchecks themselves (zero knowledge).
// out must be empty with capacity for all of them. group_of(k, leader, &view)
// supplies the proof of batched group k, whose first claim is leader (false:
// the proof is too short); nothing is
// allocated, so the verifier can run it in its arena.
template <class E, class H, class GroupSource>
[[nodiscard]] ClaimStatus verify_claim_batching_with(Transcript<H>& transcript, const ClaimList<E>& in,
                                                     GroupSource&& group_of, bool zero_knowledge,
                                                     CommitmentHandle first_mask_handle, ClaimList<E>* out) {
  const E gamma = claim_batching_begin(transcript, in);
  std::array<E, kMaxClaimVariables> point_storage;
  // Mask claims wait in out's spare storage, after where the reduced claims go.
  const size_t reduced_count = in.num_leaders();
  size_t group = 0, leaders_seen = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    const PendingClaim<E>& c = in.claims()[i];
    if (in.leader(i) != i) continue;
    ++leaders_seen;
    if (!in.is_batched_leader(i)) {
      if (const ClaimStatus s = out->add(c); s != ClaimStatus::kOk) return s;
      continue;
    }
    ClaimBatchingGroupView<E> gp;
    if (!group_of(group, c, &gp)) return ClaimStatus::kWrongProofLength;
    if ((gp.mask != nullptr) != zero_knowledge) return ClaimStatus::kWrongProofLength;
    if (zero_knowledge && gp.mask->handle != claim_batching_mask_handle(first_mask_handle, group))
      return ClaimStatus::kWrongProofLength;
    const SumcheckShape shape{c.num_vars(), 2};
    SumcheckVerifierOutput<E> vo;
    vo.point = std::span<E>(point_storage.data(), c.num_vars());
    if (verify_sumcheck<E>(transcript, shape, claim_group_sum(in, i, gamma), gp.round_messages, gp.mask, &vo) !=
        SumcheckStatus::kOk)
      return ClaimStatus::kSumcheckRejected;
    transcript.absorb_field("claims.eval", gp.evaluation);
    const std::span<const E> s(point_storage.data(), c.num_vars());
    if (vo.final_claim != gp.evaluation * claim_group_weight(in, i, gamma, s))
      return ClaimStatus::kFinalEvaluationMismatch;
    PendingClaim<E> batched;
    if (!PendingClaim<E>::make_evaluation(c.handle(), s, gp.evaluation, &batched))
      return ClaimStatus::kTooManyVariables;
    if (const ClaimStatus st = out->add(batched); st != ClaimStatus::kOk) return st;
    if (zero_knowledge) {
      // Parked at its final position: after the reduced claims still to come.
      const size_t park = reduced_count - leaders_seen + group;
      std::span<PendingClaim<E>> spare = out->spare();
      if (park >= spare.size()) return ClaimStatus::kCapacityExceeded;
      spare[park] = vo.mask_claim;
    }
    ++group;
  }
  for (size_t k = 0; k < group && zero_knowledge; ++k) {
    const PendingClaim<E> m = out->spare()[0];  // the k-th parked mask claim is now the first spare slot
    if (const ClaimStatus s = out->add(m); s != ClaimStatus::kOk) return s;
  }
  return ClaimStatus::kOk;
}

// As verify_claim_batching_with, over a whole ClaimBatchingProof.
template <class E, class H>
[[nodiscard]] ClaimStatus verify_claim_batching(Transcript<H>& transcript, const ClaimList<E>& in,
                                                const ClaimBatchingProof<E>& proof, bool zero_knowledge,
                                                CommitmentHandle first_mask_handle, ClaimList<E>* out) {
  if (proof.groups.size() != in.num_batched_groups()) return ClaimStatus::kWrongProofLength;
  auto group_of = [&](size_t k, const PendingClaim<E>&, ClaimBatchingGroupView<E>* v) {
    const ClaimBatchingGroupProof<E>& g = proof.groups[k];
    v->round_messages = std::span<const E>(g.round_messages);
    v->mask = g.mask ? &*g.mask : nullptr;
    v->evaluation = g.evaluation;
    return true;
  };
  return verify_claim_batching_with(transcript, in, group_of, zero_knowledge, first_mask_handle, out);
}

}  // namespace zkpot
