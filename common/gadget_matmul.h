// Thaler's matrix-product sumcheck, verifier half (docs/PROTOCOL.md §11.2).
//
// C = op(A) · op(B), op(A) of 2^row_bits x 2^inner_bits, op(B) of
// 2^inner_bits x 2^col_bits, every tensor committed row-major (index = row *
// cols + col), so a matrix's column bits are its low variables (common/
// multilinear.h). A claim C~(r_col, r_row) = v becomes
//   v = sum_{j in {0,1}^inner_bits} op(A)~(r_row, j) · op(B)~(j, r_col),
// a degree-2 sumcheck over j, after which the prover states both factors at
// the sumcheck point s; they become pending claims on A and B. A transposed
// operand is the same committed MLE with its two variable blocks swapped:
//   A row-major (2^row x 2^inner):        claim at (s, r_row)
//   A transposed, committed 2^inner x 2^row: claim at (r_row, s)
//   B row-major (2^inner x 2^col):        claim at (r_col, s)
//   B transposed, committed 2^col x 2^inner: claim at (s, r_col)
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "common/claims.h"
#include "common/gadget_common.h"
#include "common/sumcheck.h"
#include "common/transcript.h"

namespace zkpot {

struct MatmulShape {
  uint32_t row_bits = 0;    // rows of C and of op(A)
  uint32_t inner_bits = 1;  // columns of op(A) = rows of op(B); at least 1
  uint32_t col_bits = 0;    // columns of C and of op(B)
  bool transpose_a = false; // A is committed as 2^inner x 2^row and used as A^T
  bool transpose_b = false; // B is committed as 2^col x 2^inner and used as B^T

  uint32_t a_vars() const { return row_bits + inner_bits; }
  uint32_t b_vars() const { return inner_bits + col_bits; }
  uint32_t c_vars() const { return row_bits + col_bits; }
};

struct MatmulStatement {
  MatmulShape shape;
  CommitmentHandle a{}, b{}, c{};
  bool zero_knowledge = true;
  CommitmentHandle mask{};  // the handle of the sumcheck's Libra mask (zero knowledge)
};

inline constexpr uint32_t kMatmulDegree = 2;

// A proof as the verifier reads it: inner_bits * 2 round values, the mask
// messages (zero knowledge), and the stated op(A)~(r_row, s), op(B)~(s, r_col).
template <class E>
struct MatmulProofView {
  std::span<const E> round_messages;
  const SumcheckMaskMessages<E>* mask = nullptr;
  E a_evaluation{};
  E b_evaluation{};
};

template <class E>
struct MatmulVerifierOutput {
  PendingClaim<E> a_claim{};
  PendingClaim<E> b_claim{};
  PendingClaim<E> mask_claim{};  // zero knowledge only
};

inline GadgetStatus check_matmul_shape(const MatmulShape& s) {
  if (s.inner_bits == 0 || s.inner_bits > kMaxSumcheckVariables) return GadgetStatus::kBadShape;
  if (s.row_bits > kMaxClaimVariables || s.col_bits > kMaxClaimVariables) return GadgetStatus::kBadShape;
  if (s.a_vars() > kMaxClaimVariables || s.b_vars() > kMaxClaimVariables || s.c_vars() > kMaxClaimVariables)
    return GadgetStatus::kBadShape;
  return GadgetStatus::kOk;
}

// Soundness (docs/PROTOCOL.md §11.2): a false C is caught except with
// probability (kMatmulDegree * inner_bits + row_bits + col_bits [+ 1 with the
// mask]) / |E|: Schwartz-Zippel on C~ - (op(A) op(B))~ at the random point,
// the sumcheck's rounds, and the mask weight rho (§4).
inline uint64_t matmul_soundness_numerator(const MatmulStatement& st) {
  const MatmulShape& s = st.shape;
  return uint64_t{kMatmulDegree} * s.inner_bits + s.row_bits + s.col_bits + (st.zero_knowledge ? 1 : 0);
}

// Draws the point (r_col, r_row) at which C's claim is taken, for a C whose
// claim does not come from another gadget: absorbs the three handles and the
// shape first. Both halves call it after the commitments of A, B and C are in
// the transcript, so the point is independent of all three.
template <class E, class H>
[[nodiscard]] GadgetStatus matmul_draw_output_point(Transcript<H>& transcript, const MatmulStatement& st,
                                                    std::span<E> c_point) {
  if (const GadgetStatus s = check_matmul_shape(st.shape); s != GadgetStatus::kOk) return s;
  if (c_point.size() != st.shape.c_vars()) return GadgetStatus::kWrongProofLength;
  const std::array<CommitmentHandle, 3> handles{st.a, st.b, st.c};
  absorb_handles(transcript, "gadget.matmul.c", std::span<const CommitmentHandle>(handles));
  transcript.absorb_u64("gadget.matmul.c.shape", uint64_t{st.shape.row_bits} | uint64_t{st.shape.inner_bits} << 8 |
                                                     uint64_t{st.shape.col_bits} << 16);
  draw_gadget_point<E>(transcript, "gadget.matmul.r", c_point);
  return GadgetStatus::kOk;
}

// The messages before the sumcheck, for prover and verifier alike: the shape,
// the transposes, the three handles, the zero-knowledge mode and C's claim.
template <class E, class H>
void matmul_begin(Transcript<H>& transcript, const MatmulStatement& st, const PendingClaim<E>& c_claim) {
  transcript.absorb_u64("gadget.matmul", 1);
  transcript.absorb_u64("gadget.matmul.row_bits", st.shape.row_bits);
  transcript.absorb_u64("gadget.matmul.inner_bits", st.shape.inner_bits);
  transcript.absorb_u64("gadget.matmul.col_bits", st.shape.col_bits);
  transcript.absorb_u64("gadget.matmul.transpose",
                        (st.shape.transpose_a ? 1u : 0u) | (st.shape.transpose_b ? 2u : 0u));
  const std::array<CommitmentHandle, 3> handles{st.a, st.b, st.c};
  absorb_handles(transcript, "gadget.matmul.handles", std::span<const CommitmentHandle>(handles));
  transcript.absorb_u64("gadget.matmul.zk", st.zero_knowledge ? 1 : 0);
  transcript.absorb_u64("gadget.matmul.mask", st.mask.id);
  absorb_claim(transcript, c_claim);
}

// After the sumcheck: the two stated factor values.
template <class E, class H>
void matmul_absorb_evaluations(Transcript<H>& transcript, const E& a_evaluation, const E& b_evaluation) {
  const std::array<E, 2> evals{a_evaluation, b_evaluation};
  transcript.absorb_fields("gadget.matmul.evals", evals.data(), evals.size());
}

// The points of A's and B's claims from C's point (r_col, r_row) and the
// sumcheck point s (layouts in the header comment). Spans must have the
// statement's sizes (checked by the callers).
template <class E>
void matmul_operand_points(const MatmulShape& sh, std::span<const E> c_point, std::span<const E> s,
                           std::span<E> a_point, std::span<E> b_point) {
  const std::span<const E> r_col = c_point.subspan(0, sh.col_bits);
  const std::span<const E> r_row = c_point.subspan(sh.col_bits, sh.row_bits);
  auto put = [](std::span<E> out, std::span<const E> low, std::span<const E> high) {
    for (size_t i = 0; i < low.size(); ++i) out[i] = low[i];
    for (size_t i = 0; i < high.size(); ++i) out[low.size() + i] = high[i];
  };
  if (sh.transpose_a)
    put(a_point, r_row, s);
  else
    put(a_point, s, r_row);
  if (sh.transpose_b)
    put(b_point, s, r_col);
  else
    put(b_point, r_col, s);
}

// Verifies a matrix-product proof for the claim c_claim on C (handle st.c,
// c_vars variables, a point whose randomness the caller vouches for: drawn
// after C, A and B were committed). On kOk, out holds the pending claims on A
// and B (and on the mask) that the commitment scheme must discharge.
template <class E, class H>
[[nodiscard]] GadgetStatus verify_matmul(Transcript<H>& transcript, const MatmulStatement& st,
                                         const PendingClaim<E>& c_claim, const MatmulProofView<E>& proof,
                                         MatmulVerifierOutput<E>* out) {
  if (const GadgetStatus s = check_matmul_shape(st.shape); s != GadgetStatus::kOk) return s;
  if (c_claim.kind() != ClaimKind::kMultilinearEvaluation || c_claim.handle() != st.c ||
      c_claim.num_vars() != st.shape.c_vars())
    return GadgetStatus::kWrongInputClaim;
  if (const GadgetStatus s = check_gadget_mask(st.zero_knowledge, st.mask, proof.mask); s != GadgetStatus::kOk)
    return s;
  const SumcheckShape shape{st.shape.inner_bits, kMatmulDegree};
  if (proof.round_messages.size() != size_t{shape.num_vars} * shape.degree) return GadgetStatus::kWrongProofLength;

  matmul_begin(transcript, st, c_claim);
  std::array<E, kMaxSumcheckVariables> s_storage;
  SumcheckVerifierOutput<E> so;
  so.point = std::span<E>(s_storage.data(), shape.num_vars);
  if (verify_sumcheck<E>(transcript, shape, c_claim.value(), proof.round_messages, proof.mask, &so) !=
      SumcheckStatus::kOk)
    return GadgetStatus::kSumcheckRejected;
  matmul_absorb_evaluations(transcript, proof.a_evaluation, proof.b_evaluation);
  if (so.final_claim != proof.a_evaluation * proof.b_evaluation) return GadgetStatus::kFinalEvaluationMismatch;

  std::array<E, kMaxClaimVariables> a_point, b_point;
  const std::span<E> ap(a_point.data(), st.shape.a_vars()), bp(b_point.data(), st.shape.b_vars());
  matmul_operand_points<E>(st.shape, c_claim.point(), std::span<const E>(so.point), ap, bp);
  if (!PendingClaim<E>::make_evaluation(st.a, std::span<const E>(ap), proof.a_evaluation, &out->a_claim) ||
      !PendingClaim<E>::make_evaluation(st.b, std::span<const E>(bp), proof.b_evaluation, &out->b_claim))
    return GadgetStatus::kBadShape;
  if (proof.mask != nullptr) out->mask_claim = so.mask_claim;
  return GadgetStatus::kOk;
}

}  // namespace zkpot
