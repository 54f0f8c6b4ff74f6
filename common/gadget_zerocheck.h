// Zero-check of an entry-wise relation on committed tensors, verifier half
// (docs/PROTOCOL.md §11.3): P = sum_t c_t prod_{k in S_t} P_k vanishes at every
// entry of every stacked instance, e.g. s (1 - s) = 0 (binary), a - s q = 0
// (ReLU). tau is drawn after the statement (every handle) is absorbed; then
// sum_x eq(tau, x) P(x) = 0 is proven by the stacked sumcheck of
// common/gadget_product_sum.h. Relations have no constant term, so the zero
// padding of tensors and of the instance index satisfies them.
#pragma once

#include <array>
#include <span>

#include "common/gadget_common.h"
#include "common/gadget_product_sum.h"

namespace zkpot {

// Soundness (docs/PROTOCOL.md §11.3): error at most
// (total_vars + total_vars * degree [+ 1 with the mask]) / |E|: Schwartz-Zippel
// on the multilinear tau -> sum_x eq(tau, x) P(x), the sumcheck's rounds, and
// the mask weight rho (§4).
template <class E>
uint64_t zerocheck_soundness_numerator(const StackedRelation<E>& st) {
  return uint64_t{st.total_vars()} * (1 + st.degree()) + (st.zero_knowledge ? 1 : 0);
}

// The messages before the sumcheck, for prover and verifier alike: the
// statement, then tau (total_vars coordinates, written to tau).
template <class E, class H>
[[nodiscard]] GadgetStatus zerocheck_begin(Transcript<H>& transcript, const StackedRelation<E>& st,
                                           std::span<E> tau) {
  if (const GadgetStatus s = check_stacked_relation(st); s != GadgetStatus::kOk) return s;
  if (tau.size() != st.total_vars()) return GadgetStatus::kWrongProofLength;
  transcript.absorb_u64("gadget.zerocheck", 1);
  absorb_stacked_relation<E>(transcript, st);
  draw_gadget_point<E>(transcript, "gadget.zerocheck.tau", tau);
  return GadgetStatus::kOk;
}

// Verifies that the relation holds entry-wise on every instance. On kOk,
// out->claims hold v_{l,k} = P_{l,k}~(r_x) for the commitment scheme.
template <class E, class H>
[[nodiscard]] GadgetStatus verify_zerocheck(Transcript<H>& transcript, const StackedRelation<E>& st,
                                            const StackedRelationProofView<E>& proof,
                                            StackedRelationVerifierOutput<E>* out) {
  if (const GadgetStatus s = check_stacked_relation(st); s != GadgetStatus::kOk) return s;
  std::array<E, kMaxSumcheckVariables> tau_storage;
  const std::span<E> tau(tau_storage.data(), st.total_vars());
  if (const GadgetStatus s = zerocheck_begin<E>(transcript, st, tau); s != GadgetStatus::kOk) return s;
  return verify_stacked_relation_sum<E>(transcript, st, std::span<const E>(tau), E::zero(), proof, out);
}

}  // namespace zkpot
