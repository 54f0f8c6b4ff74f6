// Linear relations at a common point, prover half (docs/PROTOCOL.md §11.4;
// verifier in common/gadget_linear.h): the stated values are the tensors' MLEs
// at the point, one eq table and one dot product each.
#pragma once

#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/claims.h"
#include "common/gadget_linear.h"
#include "common/multilinear.h"
#include "prover/gadget_partial_eval.h"
#include "prover/gadget_options.h"

namespace zkpot {

template <class E>
struct LinearRelationProverOutput {
  std::vector<E> stated_values;         // the proof: T_k~(r) of the non-given terms, in term order
  std::vector<PendingClaim<E>> claims;  // the same values as pending claims
};

// The first entry where sum_k c_k T_k(x) + c_0 1[x active] is not zero, if any.
template <class F, class E>
std::optional<size_t> first_linear_violation(const LinearRelationStatement<E>& st,
                                             std::span<const std::span<const F>> tables) {
  const size_t cols = size_t{1} << st.col_bits, n = size_t{1} << st.num_vars();
  for (size_t x = 0; x < n; ++x) {
    const bool active = (x / cols) < st.active_rows && (x % cols) < st.active_cols;
    E acc = active ? st.constant : E::zero();
    for (size_t k = 0; k < st.terms.size(); ++k) acc += st.terms[k].coeff * tables[k][x];
    if (!acc.is_zero()) return x;
  }
  return std::nullopt;
}

// Proves the relation at `point`. tables: every term's tensor, in term order
// (those of given terms are read only by the witness check); given_values: the
// values of the given terms at the point, as the verifier holds them.
template <class F, class E, class H>
LinearRelationProverOutput<E> prove_linear_relation(Transcript<H>& transcript, const LinearRelationStatement<E>& st,
                                                    std::span<const E> point,
                                                    std::span<const std::span<const F>> tables,
                                                    std::span<const E> given_values,
                                                    const GadgetProverOptions& options = {}) {
  if (check_linear_relation(st) != GadgetStatus::kOk) throw std::invalid_argument("prove_linear_relation: bad statement");
  if (point.size() != st.num_vars() || tables.size() != st.terms.size() || given_values.size() != st.num_given())
    throw std::invalid_argument("prove_linear_relation: wrong number of tables, values or coordinates");
  for (const auto& t : tables)
    if (t.size() != (size_t{1} << st.num_vars()))
      throw std::invalid_argument("prove_linear_relation: table size is not 2^num_vars");
  if (options.check_witness)
    if (const auto bad = first_linear_violation<F, E>(st, tables))
      throw std::invalid_argument("prove_linear_relation: the relation fails at entry " + std::to_string(*bad));

  LinearRelationProverOutput<E> out;
  const std::vector<E> eq = eq_table<E>(point);
  for (size_t k = 0; k < st.terms.size(); ++k)
    if (!st.terms[k].given) out.stated_values.push_back(dot_with_eq<F, E>(tables[k], std::span<const E>(eq)));
  linear_relation_absorb<E>(transcript, st, point, given_values, std::span<const E>(out.stated_values));
  size_t s = 0;
  for (const LinearTerm<E>& t : st.terms) {
    if (t.given) continue;
    PendingClaim<E> c;
    if (!PendingClaim<E>::make_evaluation(t.handle, point, out.stated_values[s++], &c))
      throw std::invalid_argument("prove_linear_relation: too many variables for a claim");
    out.claims.push_back(c);
  }
  return out;
}

}  // namespace zkpot
