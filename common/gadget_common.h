// What the layer gadgets share (docs/PROTOCOL.md §11): their status codes, the
// transcript framing of product relations, and small verifier maths (points
// drawn after commitments, the multilinear extension of a region indicator).
// Verifier code: statuses, no exceptions, every length checked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "common/claims.h"
#include "common/sumcheck.h"
#include "common/transcript.h"

namespace zkpot {

enum class GadgetStatus : uint8_t {
  kOk = 0,
  kBadShape,                 // sizes out of range, or inconsistent with each other
  kBadTerm,                  // a product term names a factor that does not exist, or has no factor
  kWrongInputClaim,          // the input claim is on another tensor or has the wrong arity
  kWrongProofLength,         // a proof or output span has the wrong number of values
  kMissingMask,              // zero knowledge expected but no mask (or the reverse), or a foreign mask handle
  kSumcheckRejected,         // the sumcheck verifier rejected the round messages
  kFinalEvaluationMismatch,  // the sumcheck's final claim disagrees with the claimed evaluations
  kRelationViolated,         // a relation checked directly on claimed evaluations does not hold
};

inline const char* gadget_status_name(GadgetStatus s) {
  switch (s) {
    case GadgetStatus::kOk: return "ok";
    case GadgetStatus::kBadShape: return "bad shape";
    case GadgetStatus::kBadTerm: return "bad product term";
    case GadgetStatus::kWrongInputClaim: return "input claim on the wrong tensor or with the wrong arity";
    case GadgetStatus::kWrongProofLength: return "wrong proof length";
    case GadgetStatus::kMissingMask: return "mask missing, unexpected or with a foreign handle";
    case GadgetStatus::kSumcheckRejected: return "sumcheck rejected";
    case GadgetStatus::kFinalEvaluationMismatch: return "final evaluation mismatch";
    case GadgetStatus::kRelationViolated: return "relation violated at the evaluation point";
  }
  return "unknown";
}

// Checks that a proof carries a Libra mask exactly when zero knowledge is on,
// under the handle the statement reserved for it.
template <class E>
GadgetStatus check_gadget_mask(bool zero_knowledge, CommitmentHandle expected, const SumcheckMaskMessages<E>* mask) {
  if ((mask != nullptr) != zero_knowledge) return GadgetStatus::kMissingMask;
  if (mask != nullptr && mask->handle != expected) return GadgetStatus::kMissingMask;
  return GadgetStatus::kOk;
}

// Draws a point of out.size() coordinates in E. Callers absorb the handles of
// every tensor the point will be used against before calling this.
template <class E, class H>
void draw_gadget_point(Transcript<H>& transcript, std::string_view label, std::span<E> out) {
  transcript.template challenges<E>(label, out.data(), out.size());
}

// Absorbs a sum of products sum_t c_t prod_{k in S_t} P_k: the term count, and
// per term its coefficient and factor indices.
template <class E, class H>
void absorb_product_terms(Transcript<H>& transcript, std::span<const ProductTerm<E>> terms) {
  transcript.absorb_u64("gadget.terms", terms.size());
  for (const ProductTerm<E>& t : terms) {
    transcript.absorb_field("gadget.term.coeff", t.coeff);
    transcript.absorb_u64("gadget.term.arity", t.num_factors);
    for (uint32_t i = 0; i < t.num_factors && i < kMaxSumcheckDegree; ++i)
      transcript.absorb_u64("gadget.term.factor", t.factors[i]);
  }
}

// Absorbs a list of commitment handles (count first).
template <class H>
void absorb_handles(Transcript<H>& transcript, std::string_view label, std::span<const CommitmentHandle> handles) {
  transcript.absorb_u64(label, handles.size());
  for (const CommitmentHandle h : handles) transcript.absorb_u64(label, h.id);
}

// sum_{x < count} eq(r, x): the multilinear extension, at r, of the indicator of
// the first `count` hypercube indices (count <= 2^|r|), in O(|r|). Walks the bits
// of count from the top: where count has a 1, every index that agrees above and
// has a 0 there is below count.
template <class E>
E prefix_indicator_mle(std::span<const E> r, uint64_t count) {
  const size_t n = r.size();
  if (n < 64 && count >= (uint64_t{1} << n)) return E::one();
  E total = E::zero(), prefix = E::one();
  for (size_t j = n; j-- > 0;) {
    const bool bit = j < 64 && ((count >> j) & 1) != 0;
    if (bit) {
      total += prefix * (E::one() - r[j]);
      prefix *= r[j];
    } else {
      prefix *= E::one() - r[j];
    }
  }
  return total;
}

// eq(r, index) for one hypercube index (bit j of index is variable j).
template <class E>
E eq_at_index(std::span<const E> r, uint64_t index) {
  E acc = E::one();
  for (size_t j = 0; j < r.size(); ++j) acc *= (j < 64 && ((index >> j) & 1) != 0) ? r[j] : E::one() - r[j];
  return acc;
}

}  // namespace zkpot
