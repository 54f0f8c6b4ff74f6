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
#include <vector>

#include "common/claims.h"
#include "common/multilinear.h"
#include "common/sumcheck.h"

namespace zkpot {

template <class E>
class ClaimAccumulator {
 public:
  explicit ClaimAccumulator(size_t capacity) : capacity_(capacity) { claims_.reserve(capacity); }

  [[nodiscard]] ClaimStatus add(const PendingClaim<E>& c) {
    if (claims_.size() == capacity_) return ClaimStatus::kCapacityExceeded;
    for (const PendingClaim<E>& o : claims_) {
      if (o.handle() != c.handle()) continue;
      if (o.kind() != c.kind()) return ClaimStatus::kKindMismatch;
      if (o.num_vars() != c.num_vars() || o.mask_degree() != c.mask_degree())
        return ClaimStatus::kVariableCountMismatch;
    }
    claims_.push_back(c);
    return ClaimStatus::kOk;
  }
  std::span<const PendingClaim<E>> claims() const { return claims_; }
  size_t size() const { return claims_.size(); }
  size_t capacity() const { return capacity_; }

  // The index of the first claim on claims()[i]'s handle.
  size_t leader(size_t i) const {
    for (size_t j = 0; j < i; ++j)
      if (claims_[j].handle() == claims_[i].handle()) return j;
    return i;
  }
  size_t group_size(size_t leader_index) const {
    size_t m = 0;
    for (const PendingClaim<E>& c : claims_) m += c.handle() == claims_[leader_index].handle();
    return m;
  }
  // Groups that need a batching sumcheck: evaluation claims, two or more on a
  // handle; counted in order of their leader.
  size_t num_batched_groups() const {
    size_t g = 0;
    for (size_t i = 0; i < claims_.size(); ++i) g += is_batched_leader(i);
    return g;
  }
  bool is_batched_leader(size_t i) const {
    return leader(i) == i && claims_[i].kind() == ClaimKind::kMultilinearEvaluation && group_size(i) >= 2;
  }

 private:
  size_t capacity_;
  std::vector<PendingClaim<E>> claims_;
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
E claim_batching_begin(Transcript<H>& transcript, const ClaimAccumulator<E>& acc) {
  transcript.absorb_u64("claims.count", acc.size());
  for (const PendingClaim<E>& c : acc.claims()) absorb_claim(transcript, c);
  return transcript.template challenge<E>("claims.gamma");
}

// sum_i gamma^i v_i over the group of `leader` (claims in accumulator order).
template <class E>
E claim_group_sum(const ClaimAccumulator<E>& acc, size_t leader, const E& gamma) {
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
E claim_group_weight(const ClaimAccumulator<E>& acc, size_t leader, const E& gamma, std::span<const E> s) {
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

// Verifies the batching of `in` and writes the reduced claims to *out, in
// order: for each handle (by first appearance) one claim, the batched one where
// the group had two or more evaluation claims; Libra-mask claims pass through;
// then the mask claims of the batching sumchecks themselves (zero knowledge).
// out must be empty with capacity for all of them.
template <class E, class H>
[[nodiscard]] ClaimStatus verify_claim_batching(Transcript<H>& transcript, const ClaimAccumulator<E>& in,
                                                const ClaimBatchingProof<E>& proof, bool zero_knowledge,
                                                CommitmentHandle first_mask_handle, ClaimAccumulator<E>* out) {
  if (proof.groups.size() != in.num_batched_groups()) return ClaimStatus::kWrongProofLength;
  const E gamma = claim_batching_begin(transcript, in);
  std::array<E, kMaxClaimVariables> point_storage;
  size_t group = 0;
  std::vector<PendingClaim<E>> mask_claims;
  mask_claims.reserve(proof.groups.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const PendingClaim<E>& c = in.claims()[i];
    if (in.leader(i) != i) continue;
    if (!in.is_batched_leader(i)) {
      if (const ClaimStatus s = out->add(c); s != ClaimStatus::kOk) return s;
      continue;
    }
    const ClaimBatchingGroupProof<E>& gp = proof.groups[group];
    if (gp.mask.has_value() != zero_knowledge) return ClaimStatus::kWrongProofLength;
    if (zero_knowledge && gp.mask->handle != claim_batching_mask_handle(first_mask_handle, group))
      return ClaimStatus::kWrongProofLength;
    const SumcheckShape shape{c.num_vars(), 2};
    SumcheckVerifierOutput<E> vo;
    vo.point = std::span<E>(point_storage.data(), c.num_vars());
    if (verify_sumcheck<E>(transcript, shape, claim_group_sum(in, i, gamma), std::span<const E>(gp.round_messages),
                           gp.mask ? &*gp.mask : nullptr, &vo) != SumcheckStatus::kOk)
      return ClaimStatus::kSumcheckRejected;
    transcript.absorb_field("claims.eval", gp.evaluation);
    const std::span<const E> s(point_storage.data(), c.num_vars());
    if (vo.final_claim != gp.evaluation * claim_group_weight(in, i, gamma, s))
      return ClaimStatus::kFinalEvaluationMismatch;
    PendingClaim<E> batched;
    if (!PendingClaim<E>::make_evaluation(c.handle(), s, gp.evaluation, &batched))
      return ClaimStatus::kTooManyVariables;
    if (const ClaimStatus st = out->add(batched); st != ClaimStatus::kOk) return st;
    if (zero_knowledge) mask_claims.push_back(vo.mask_claim);
    ++group;
  }
  for (const PendingClaim<E>& m : mask_claims)
    if (const ClaimStatus s = out->add(m); s != ClaimStatus::kOk) return s;
  return ClaimStatus::kOk;
}

}  // namespace zkpot
