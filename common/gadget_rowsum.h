// Row and column sums of an entry-wise product, verifier half
// (docs/PROTOCOL.md §11.5): S[i] = sum_j P(i, j) for every row i (or
// S[j] = sum_i P(i, j) for every column j), with P = sum_t c_t prod_k P_k over
// 2^row_bits x 2^col_bits tensors, e.g. the softmax sum S = sum_j e_j per row.
//
// The kept index gets a point r drawn after the commitments; the prover states
// S~(r). Since eq(1/2, x_j) = 1/2 for both bits, putting 1/2 at every summed
// coordinate of the eq point turns the row sums into one eq-weighted sum:
//   sum_x eq(z, x) P(x) = 2^(-summed_bits) S~(r),  z = (1/2, ..., 1/2, r) for rows
// (column bits are the low variables) or (r, 1/2, ..., 1/2) for columns,
// proven by the sumcheck of common/gadget_product_sum.h (one instance).
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "common/gadget_common.h"
#include "common/gadget_product_sum.h"

namespace zkpot {

enum class SumAxis : uint8_t {
  kEachRow = 1,     // S has 2^row_bits entries: S[i] = sum_j P(i, j)
  kEachColumn = 2,  // S has 2^col_bits entries: S[j] = sum_i P(i, j)
};

template <class E>
struct RowSumStatement {
  StackedRelation<E> relation;  // one instance, num_vars = row_bits + col_bits
  uint32_t row_bits = 0;
  uint32_t col_bits = 0;
  SumAxis axis = SumAxis::kEachRow;
  CommitmentHandle sums{};

  uint32_t kept_bits() const { return axis == SumAxis::kEachRow ? row_bits : col_bits; }
  uint32_t summed_bits() const { return axis == SumAxis::kEachRow ? col_bits : row_bits; }
};

template <class E>
struct RowSumProofView {
  StackedRelationProofView<E> relation;
  E sums_evaluation{};  // S~(r)
};

template <class E>
struct RowSumVerifierOutput {
  StackedRelationVerifierOutput<E> relation;  // point (row_bits + col_bits) and claims (K), caller-owned
  PendingClaim<E> sums_claim{};
};

template <class E>
GadgetStatus check_rowsum_statement(const RowSumStatement<E>& st) {
  if (const GadgetStatus s = check_stacked_relation(st.relation); s != GadgetStatus::kOk) return s;
  if (st.relation.num_instances != 1) return GadgetStatus::kBadShape;
  if (st.axis != SumAxis::kEachRow && st.axis != SumAxis::kEachColumn) return GadgetStatus::kBadShape;
  if (st.row_bits > kMaxClaimVariables || st.col_bits > kMaxClaimVariables ||
      st.row_bits + st.col_bits != st.relation.num_vars)
    return GadgetStatus::kBadShape;
  return GadgetStatus::kOk;
}

// The messages before S~(r), for prover and verifier alike: the statement,
// then the kept point r (written to kept_point).
template <class E, class H>
[[nodiscard]] GadgetStatus rowsum_begin(Transcript<H>& transcript, const RowSumStatement<E>& st,
                                        std::span<E> kept_point) {
  if (const GadgetStatus s = check_rowsum_statement(st); s != GadgetStatus::kOk) return s;
  if (kept_point.size() != st.kept_bits()) return GadgetStatus::kWrongProofLength;
  transcript.absorb_u64("gadget.rowsum", 1);
  transcript.absorb_u64("gadget.rowsum.axis", static_cast<uint64_t>(st.axis));
  transcript.absorb_u64("gadget.rowsum.row_bits", st.row_bits);
  transcript.absorb_u64("gadget.rowsum.col_bits", st.col_bits);
  transcript.absorb_u64("gadget.rowsum.sums", st.sums.id);
  absorb_stacked_relation<E>(transcript, st.relation);
  draw_gadget_point<E>(transcript, "gadget.rowsum.r", kept_point);
  return GadgetStatus::kOk;
}

// Absorbs the stated S~(r) and derives the sumcheck's eq point z (num_vars
// coordinates) and claim 2^(-summed_bits) S~(r). Sizes as in rowsum_begin.
template <class E, class H>
[[nodiscard]] GadgetStatus rowsum_sum_claim(Transcript<H>& transcript, const RowSumStatement<E>& st,
                                            std::span<const E> kept_point, const E& sums_evaluation, std::span<E> z,
                                            E* claim) {
  if (kept_point.size() != st.kept_bits() || z.size() != st.relation.num_vars) return GadgetStatus::kWrongProofLength;
  transcript.absorb_field("gadget.rowsum.sum", sums_evaluation);
  const E half = E::from_u64(2).inverse();
  const uint32_t summed = st.summed_bits();
  const size_t summed_offset = st.axis == SumAxis::kEachRow ? 0 : st.col_bits;
  const size_t kept_offset = st.axis == SumAxis::kEachRow ? st.col_bits : 0;
  for (uint32_t i = 0; i < summed; ++i) z[summed_offset + i] = half;
  for (uint32_t i = 0; i < st.kept_bits(); ++i) z[kept_offset + i] = kept_point[i];
  E scale = E::one();
  for (uint32_t i = 0; i < summed; ++i) scale *= half;
  *claim = sums_evaluation * scale;
  return GadgetStatus::kOk;
}

// Verifies the sums. On kOk, out holds the claims on every factor at the
// sumcheck point and the claim S~(r) = sums_evaluation on st.sums.
template <class E, class H>
[[nodiscard]] GadgetStatus verify_rowsum(Transcript<H>& transcript, const RowSumStatement<E>& st,
                                         const RowSumProofView<E>& proof, RowSumVerifierOutput<E>* out) {
  if (const GadgetStatus s = check_rowsum_statement(st); s != GadgetStatus::kOk) return s;
  std::array<E, kMaxClaimVariables> kept_storage, z_storage;
  const std::span<E> kept(kept_storage.data(), st.kept_bits()), z(z_storage.data(), st.relation.num_vars);
  if (const GadgetStatus s = rowsum_begin<E>(transcript, st, kept); s != GadgetStatus::kOk) return s;
  E claim;
  if (const GadgetStatus s =
          rowsum_sum_claim<E>(transcript, st, std::span<const E>(kept), proof.sums_evaluation, z, &claim);
      s != GadgetStatus::kOk)
    return s;
  if (const GadgetStatus s = verify_stacked_relation_sum<E>(transcript, st.relation, std::span<const E>(z), claim,
                                                            proof.relation, &out->relation);
      s != GadgetStatus::kOk)
    return s;
  if (!PendingClaim<E>::make_evaluation(st.sums, std::span<const E>(kept), proof.sums_evaluation, &out->sums_claim))
    return GadgetStatus::kBadShape;
  return GadgetStatus::kOk;
}

}  // namespace zkpot
