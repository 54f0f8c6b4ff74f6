// The eq-weighted sum of an entry-wise product relation over stacked instances,
// verifier half (docs/PROTOCOL.md §11.3): the core of the zero-check
// (common/gadget_zerocheck.h) and of the row and column sums
// (common/gadget_rowsum.h).
//
// L instances (layers, steps) of one relation P = sum_t c_t prod_{k in S_t} P_k
// over 2^n entries each are stacked FAC4DNN-style into tables of 2^(n + b)
// entries, b = ceil(log2 L), instance l at offset l * 2^n (the instance bits
// are the high variables), instances L..2^b - 1 all zero. A claim
//   sum_{x in {0,1}^(n+b)} eq(z, x) P(x) = claim
// is proven by one eq-weighted sumcheck of degree deg(P) + 1; at its point
// r = (r_x, r_l) the prover states v_{l,k} = P_{l,k}~(r_x) for every real
// instance and factor, and the verifier checks
//   final = eq(z, r) · sum_t c_t prod_{k in S_t} (sum_{l < L} eq(r_l, l) v_{l,k}).
// Each v_{l,k} becomes a pending claim on its own committed tensor at r_x.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "common/claims.h"
#include "common/gadget_common.h"
#include "common/sumcheck.h"
#include "common/transcript.h"

namespace zkpot {

// Factors per instance of one relation, and instances per stack.
inline constexpr uint32_t kMaxRelationFactors = 16;
inline constexpr uint32_t kMaxStackedInstances = uint32_t{1} << 16;

template <class E>
struct StackedRelation {
  uint32_t num_vars = 0;       // n: each instance's tensors have 2^n entries
  uint32_t num_instances = 1;  // L >= 1
  uint32_t num_factors = 0;    // K: tensors per instance
  std::span<const ProductTerm<E>> terms;
  std::span<const CommitmentHandle> handles;  // L * K, instance-major: handles[l * K + k]
  bool zero_knowledge = true;
  CommitmentHandle mask{};  // the sumcheck's Libra mask (zero knowledge)

  uint32_t instance_bits() const {
    uint32_t b = 0;
    while ((uint64_t{1} << b) < num_instances) ++b;
    return b;
  }
  uint32_t total_vars() const { return num_vars + instance_bits(); }
  uint32_t degree() const { return terms_degree<E>(terms) + 1; }
  size_t num_evaluations() const { return size_t{num_instances} * num_factors; }
};

template <class E>
GadgetStatus check_stacked_relation(const StackedRelation<E>& st) {
  if (st.num_instances == 0 || st.num_instances > kMaxStackedInstances) return GadgetStatus::kBadShape;
  if (st.num_factors == 0 || st.num_factors > kMaxRelationFactors) return GadgetStatus::kBadShape;
  if (st.num_vars > kMaxClaimVariables) return GadgetStatus::kBadShape;
  if (st.total_vars() == 0 || st.total_vars() > kMaxSumcheckVariables) return GadgetStatus::kBadShape;
  if (st.handles.size() != st.num_evaluations()) return GadgetStatus::kBadShape;
  if (check_terms<E>(st.terms, st.num_factors) != SumcheckStatus::kOk) return GadgetStatus::kBadTerm;
  if (st.degree() > kMaxSumcheckDegree) return GadgetStatus::kBadTerm;
  return GadgetStatus::kOk;
}

// Binds the relation: sizes, terms, every handle, the zero-knowledge mode.
template <class E, class H>
void absorb_stacked_relation(Transcript<H>& transcript, const StackedRelation<E>& st) {
  transcript.absorb_u64("gadget.relation.num_vars", st.num_vars);
  transcript.absorb_u64("gadget.relation.instances", st.num_instances);
  transcript.absorb_u64("gadget.relation.factors", st.num_factors);
  absorb_product_terms<E>(transcript, st.terms);
  absorb_handles(transcript, "gadget.relation.handles", st.handles);
  transcript.absorb_u64("gadget.relation.zk", st.zero_knowledge ? 1 : 0);
  transcript.absorb_u64("gadget.relation.mask", st.mask.id);
}

template <class E>
struct StackedRelationProofView {
  std::span<const E> round_messages;  // total_vars * degree values
  const SumcheckMaskMessages<E>* mask = nullptr;
  std::span<const E> evaluations;     // v_{l,k}, instance-major, L * K values
};

template <class E>
struct StackedRelationVerifierOutput {
  std::span<E> point;                // caller-owned, total_vars entries: (r_x, r_l)
  std::span<PendingClaim<E>> claims;  // caller-owned, L * K entries, instance-major, at r_x
  PendingClaim<E> mask_claim{};      // zero knowledge only
};

// sum_t c_t prod_k (sum_{l<L} eq(r_l, l) v_{l,k}): the stacked relation at r.
template <class E>
[[nodiscard]] GadgetStatus stacked_relation_value(const StackedRelation<E>& st, std::span<const E> r_instances,
                                                  std::span<const E> evaluations, E* out) {
  std::array<E, kMaxRelationFactors> stacked{};
  for (uint32_t l = 0; l < st.num_instances; ++l) {
    const E w = eq_at_index<E>(r_instances, l);
    for (uint32_t k = 0; k < st.num_factors; ++k) stacked[k] += w * evaluations[size_t{l} * st.num_factors + k];
  }
  if (evaluate_terms<E>(st.terms, std::span<const E>(stacked.data(), st.num_factors), out) != SumcheckStatus::kOk)
    return GadgetStatus::kBadTerm;
  return GadgetStatus::kOk;
}

// Verifies sum_x eq(z, x) P(x) = claim. The caller has absorbed the statement
// and drawn or derived z (total_vars coordinates) and the claim.
template <class E, class H>
[[nodiscard]] GadgetStatus verify_stacked_relation_sum(Transcript<H>& transcript, const StackedRelation<E>& st,
                                                       std::span<const E> z, const E& claim,
                                                       const StackedRelationProofView<E>& proof,
                                                       StackedRelationVerifierOutput<E>* out) {
  if (const GadgetStatus s = check_stacked_relation(st); s != GadgetStatus::kOk) return s;
  if (const GadgetStatus s = check_gadget_mask(st.zero_knowledge, st.mask, proof.mask); s != GadgetStatus::kOk)
    return s;
  const SumcheckShape shape{st.total_vars(), st.degree()};
  if (z.size() != shape.num_vars || out->point.size() != shape.num_vars) return GadgetStatus::kWrongProofLength;
  if (proof.round_messages.size() != size_t{shape.num_vars} * shape.degree) return GadgetStatus::kWrongProofLength;
  if (proof.evaluations.size() != st.num_evaluations() || out->claims.size() != st.num_evaluations())
    return GadgetStatus::kWrongProofLength;

  SumcheckVerifierOutput<E> so;
  so.point = out->point;
  if (verify_sumcheck<E>(transcript, shape, claim, proof.round_messages, proof.mask, &so) != SumcheckStatus::kOk)
    return GadgetStatus::kSumcheckRejected;
  transcript.absorb_fields("gadget.relation.evals", proof.evaluations.data(), proof.evaluations.size());

  const std::span<const E> r(out->point.data(), out->point.size());
  const std::span<const E> r_x = r.subspan(0, st.num_vars), r_l = r.subspan(st.num_vars);
  E value;
  if (const GadgetStatus s = stacked_relation_value<E>(st, r_l, proof.evaluations, &value); s != GadgetStatus::kOk)
    return s;
  E eq_zr = E::one();
  for (size_t j = 0; j < r.size(); ++j) eq_zr *= z[j] * r[j] + (E::one() - z[j]) * (E::one() - r[j]);
  if (so.final_claim != eq_zr * value) return GadgetStatus::kFinalEvaluationMismatch;

  for (size_t i = 0; i < st.num_evaluations(); ++i)
    if (!PendingClaim<E>::make_evaluation(st.handles[i], r_x, proof.evaluations[i], &out->claims[i]))
      return GadgetStatus::kBadShape;
  if (proof.mask != nullptr) out->mask_claim = so.mask_claim;
  return GadgetStatus::kOk;
}

}  // namespace zkpot
