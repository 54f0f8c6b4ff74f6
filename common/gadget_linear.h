// Linear relations between same-shape tensors at one common point, verifier
// half (docs/PROTOCOL.md §11.4):
//   sum_k c_k T_k(x) + c_0 · 1[x in active region] = 0  for every entry x,
// e.g. the rescale z + 2^(F-1) = 2^F q + r. At a point r drawn after every T_k
// was committed (or inherited from a gadget whose point was), the verifier
// checks sum_k c_k T_k~(r) + c_0 · I~(r) = 0 on the evaluations, where I is the
// indicator of the active region [0, rows) x [0, cols) (so zero padding outside
// it satisfies the relation) and I~(r) costs O(row_bits + col_bits). Values of
// "given" terms come from claims the caller already holds; the others are
// stated by the prover and become pending claims.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "common/claims.h"
#include "common/gadget_common.h"
#include "common/transcript.h"

namespace zkpot {

inline constexpr uint32_t kMaxLinearTerms = 32;

template <class E>
struct LinearTerm {
  CommitmentHandle handle{};
  E coeff = E::one();
  bool given = false;  // its value at the point is already a claim held by the caller
};

template <class E>
struct LinearRelationStatement {
  uint32_t row_bits = 0;  // every tensor is 2^row_bits x 2^col_bits, row-major
  uint32_t col_bits = 0;
  std::span<const LinearTerm<E>> terms;
  E constant = E::zero();    // c_0
  uint64_t active_rows = 0;  // c_0 applies on rows < active_rows and columns < active_cols
  uint64_t active_cols = 0;

  uint32_t num_vars() const { return row_bits + col_bits; }
  size_t num_given() const {
    size_t g = 0;
    for (const LinearTerm<E>& t : terms) g += t.given;
    return g;
  }
  size_t num_stated() const { return terms.size() - num_given(); }
};

template <class E>
GadgetStatus check_linear_relation(const LinearRelationStatement<E>& st) {
  if (st.terms.empty() || st.terms.size() > kMaxLinearTerms) return GadgetStatus::kBadTerm;
  if (st.row_bits > kMaxClaimVariables || st.col_bits > kMaxClaimVariables || st.num_vars() > kMaxClaimVariables)
    return GadgetStatus::kBadShape;
  if (st.active_rows > (uint64_t{1} << st.row_bits) || st.active_cols > (uint64_t{1} << st.col_bits))
    return GadgetStatus::kBadShape;
  return GadgetStatus::kOk;
}

// I~(r) for the active region, r = (r_col, r_row).
template <class E>
E linear_relation_region_mle(const LinearRelationStatement<E>& st, std::span<const E> point) {
  return prefix_indicator_mle<E>(point.subspan(0, st.col_bits), st.active_cols) *
         prefix_indicator_mle<E>(point.subspan(st.col_bits, st.row_bits), st.active_rows);
}

// Absorbs the statement: shape, terms (handle, coefficient, given), constant, region.
template <class E, class H>
void absorb_linear_relation(Transcript<H>& transcript, const LinearRelationStatement<E>& st) {
  transcript.absorb_u64("gadget.linear", 1);
  transcript.absorb_u64("gadget.linear.row_bits", st.row_bits);
  transcript.absorb_u64("gadget.linear.col_bits", st.col_bits);
  transcript.absorb_u64("gadget.linear.terms", st.terms.size());
  for (const LinearTerm<E>& t : st.terms) {
    transcript.absorb_u64("gadget.linear.handle", t.handle.id);
    transcript.absorb_field("gadget.linear.coeff", t.coeff);
    transcript.absorb_u64("gadget.linear.given", t.given ? 1 : 0);
  }
  transcript.absorb_field("gadget.linear.constant", st.constant);
  transcript.absorb_u64("gadget.linear.active_rows", st.active_rows);
  transcript.absorb_u64("gadget.linear.active_cols", st.active_cols);
}

// Absorbs the statement and draws a fresh point for it (when no gadget hands
// one over). Every T_k must be committed before this call.
template <class E, class H>
[[nodiscard]] GadgetStatus linear_relation_draw_point(Transcript<H>& transcript, const LinearRelationStatement<E>& st,
                                                      std::span<E> point) {
  if (const GadgetStatus s = check_linear_relation(st); s != GadgetStatus::kOk) return s;
  if (point.size() != st.num_vars()) return GadgetStatus::kWrongProofLength;
  absorb_linear_relation<E>(transcript, st);
  draw_gadget_point<E>(transcript, "gadget.linear.r", point);
  return GadgetStatus::kOk;
}

// The messages, for prover and verifier alike: statement, point, given values,
// stated values.
template <class E, class H>
void linear_relation_absorb(Transcript<H>& transcript, const LinearRelationStatement<E>& st,
                            std::span<const E> point, std::span<const E> given_values,
                            std::span<const E> stated_values) {
  absorb_linear_relation<E>(transcript, st);
  transcript.absorb_fields("gadget.linear.point", point.data(), point.size());
  transcript.absorb_fields("gadget.linear.given_values", given_values.data(), given_values.size());
  transcript.absorb_fields("gadget.linear.values", stated_values.data(), stated_values.size());
}

// sum_k c_k v_k + c_0 I~(r), the values taken in term order from the given and
// stated lists (lengths checked by the callers).
template <class E>
E linear_relation_residual(const LinearRelationStatement<E>& st, std::span<const E> point,
                           std::span<const E> given_values, std::span<const E> stated_values) {
  E acc = st.constant * linear_relation_region_mle<E>(st, point);
  size_t g = 0, s = 0;
  for (const LinearTerm<E>& t : st.terms) acc += t.coeff * (t.given ? given_values[g++] : stated_values[s++]);
  return acc;
}

// Verifies the relation at `point` (num_vars coordinates, (r_col, r_row)).
// given_values: the values of the given terms, in term order; stated_values:
// the prover's values of the others. On kOk, claims (num_stated entries,
// caller-owned) hold the pending claims of the stated terms.
template <class E, class H>
[[nodiscard]] GadgetStatus verify_linear_relation(Transcript<H>& transcript, const LinearRelationStatement<E>& st,
                                                  std::span<const E> point, std::span<const E> given_values,
                                                  std::span<const E> stated_values,
                                                  std::span<PendingClaim<E>> claims) {
  if (const GadgetStatus s = check_linear_relation(st); s != GadgetStatus::kOk) return s;
  if (point.size() != st.num_vars() || given_values.size() != st.num_given() ||
      stated_values.size() != st.num_stated() || claims.size() != st.num_stated())
    return GadgetStatus::kWrongProofLength;
  linear_relation_absorb<E>(transcript, st, point, given_values, stated_values);
  if (!linear_relation_residual<E>(st, point, given_values, stated_values).is_zero())
    return GadgetStatus::kRelationViolated;
  size_t s = 0;
  for (const LinearTerm<E>& t : st.terms) {
    if (t.given) continue;
    if (!PendingClaim<E>::make_evaluation(t.handle, point, stated_values[s], &claims[s])) return GadgetStatus::kBadShape;
    ++s;
  }
  return GadgetStatus::kOk;
}

}  // namespace zkpot
