// Thaler's matrix-product sumcheck, prover half (docs/PROTOCOL.md §11.2;
// verifier in common/gadget_matmul.h). Cost O(mn + nk) to bind A's row and
// B's column variables, then a 2-factor sumcheck over the inner dimension.
#pragma once

#include <optional>
#include <span>
#include <stdexcept>
#include <vector>

#include "common/claims.h"
#include "common/gadget_matmul.h"
#include "common/multilinear.h"
#include "prover/gadget_partial_eval.h"
#include "prover/rng.h"
#include "prover/sumcheck_prover.h"

namespace zkpot {

template <class E>
struct MatmulProof {
  std::vector<E> round_messages;
  std::optional<SumcheckMaskMessages<E>> mask;
  E a_evaluation{};
  E b_evaluation{};

  MatmulProofView<E> view() const {
    return MatmulProofView<E>{std::span<const E>(round_messages), mask ? &*mask : nullptr, a_evaluation,
                              b_evaluation};
  }
};

template <class E>
struct MatmulProverOutput {
  MatmulProof<E> proof;
  PendingClaim<E> a_claim{};
  PendingClaim<E> b_claim{};
  std::optional<PendingClaim<E>> mask_claim;  // zero knowledge
  std::optional<LibraMask<E>> mask;           // the committed mask, for the commitment scheme
};

// op(A)~(r_row, j) for every j (2^inner_bits values), from A's committed table.
template <class F, class E>
std::vector<E> matmul_bound_a(const MatmulShape& sh, std::span<const F> a, std::span<const E> r_row) {
  const std::vector<E> eq_row = eq_table<E>(r_row);
  const size_t rows = size_t{1} << sh.row_bits, inner = size_t{1} << sh.inner_bits;
  if (sh.transpose_a)  // committed inner x rows: bind its column variables
    return bind_column_variables<F, E>(a, inner, rows, std::span<const E>(eq_row));
  return bind_row_variables<F, E>(a, rows, inner, std::span<const E>(eq_row));
}

// op(B)~(j, r_col) for every j.
template <class F, class E>
std::vector<E> matmul_bound_b(const MatmulShape& sh, std::span<const F> b, std::span<const E> r_col) {
  const std::vector<E> eq_col = eq_table<E>(r_col);
  const size_t cols = size_t{1} << sh.col_bits, inner = size_t{1} << sh.inner_bits;
  if (sh.transpose_b)  // committed cols x inner: bind its row variables
    return bind_row_variables<F, E>(b, cols, inner, std::span<const E>(eq_col));
  return bind_column_variables<F, E>(b, inner, cols, std::span<const E>(eq_col));
}

// Proves c_claim (on st.c) from the committed A and B. Throws
// std::invalid_argument when the shapes are wrong or the claim is not
// (op(A)·op(B))~ at its point. Zero knowledge follows st.zero_knowledge.
template <class F, class E, class H>
MatmulProverOutput<E> prove_matmul(Transcript<H>& transcript, const MatmulStatement& st, std::span<const F> a,
                                   std::span<const F> b, const PendingClaim<E>& c_claim, ProverRng& rng) {
  const MatmulShape& sh = st.shape;
  if (check_matmul_shape(sh) != GadgetStatus::kOk) throw std::invalid_argument("prove_matmul: bad shape");
  if (a.size() != (size_t{1} << sh.a_vars()) || b.size() != (size_t{1} << sh.b_vars()))
    throw std::invalid_argument("prove_matmul: operand sizes do not match the shape");
  if (c_claim.kind() != ClaimKind::kMultilinearEvaluation || c_claim.handle() != st.c ||
      c_claim.num_vars() != sh.c_vars())
    throw std::invalid_argument("prove_matmul: the input claim is not on C");

  const std::span<const E> c_point = c_claim.point();
  std::vector<E> a_bound = matmul_bound_a<F, E>(sh, a, c_point.subspan(sh.col_bits, sh.row_bits));
  std::vector<E> b_bound = matmul_bound_b<F, E>(sh, b, c_point.subspan(0, sh.col_bits));
  E sum = E::zero();
  for (size_t j = 0; j < a_bound.size(); ++j) sum += a_bound[j] * b_bound[j];
  if (sum != c_claim.value()) throw std::invalid_argument("prove_matmul: C's claim is not (op(A) op(B))~ at its point");

  MatmulProverOutput<E> out;
  matmul_begin(transcript, st, c_claim);
  SumOfProducts<E, E> poly;
  poly.num_vars = sh.inner_bits;
  poly.tables = {std::span<const E>(a_bound), std::span<const E>(b_bound)};
  poly.terms = {ProductTerm<E>::of(E::one(), {0, 1})};
  if (st.zero_knowledge) out.mask = sample_libra_mask<E>(rng, st.mask, sh.inner_bits, kMatmulDegree);
  SumcheckProver<E, E> prover;
  SumcheckProverOutput<E> so = prover.prove(transcript, poly, c_claim.value(), out.mask ? &*out.mask : nullptr);

  out.proof.round_messages = std::move(so.proof.round_messages);
  out.proof.mask = so.proof.mask;
  out.proof.a_evaluation = so.factor_evaluations[0];
  out.proof.b_evaluation = so.factor_evaluations[1];
  out.mask_claim = so.mask_claim;
  matmul_absorb_evaluations(transcript, out.proof.a_evaluation, out.proof.b_evaluation);

  std::vector<E> ap(sh.a_vars()), bp(sh.b_vars());
  matmul_operand_points<E>(sh, c_point, std::span<const E>(so.point), std::span<E>(ap), std::span<E>(bp));
  if (!PendingClaim<E>::make_evaluation(st.a, std::span<const E>(ap), out.proof.a_evaluation, &out.a_claim) ||
      !PendingClaim<E>::make_evaluation(st.b, std::span<const E>(bp), out.proof.b_evaluation, &out.b_claim))
    throw std::invalid_argument("prove_matmul: too many variables for a claim");
  return out;
}

}  // namespace zkpot
