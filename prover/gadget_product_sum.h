// Provers of the stacked eq-weighted relation sum and of the gadgets built on
// it: the zero-check and the row and column sums (docs/PROTOCOL.md §11.3,
// §11.5; verifiers in common/gadget_product_sum.h, common/gadget_zerocheck.h,
// common/gadget_rowsum.h).
#pragma once

#include <algorithm>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/claims.h"
#include "common/gadget_product_sum.h"
#include "common/gadget_rowsum.h"
#include "common/gadget_zerocheck.h"
#include "common/multilinear.h"
#include "prover/gadget_options.h"
#include "prover/gadget_partial_eval.h"
#include "prover/parallel.h"
#include "prover/rng.h"
#include "prover/sumcheck_prover.h"

namespace zkpot {

template <class E>
struct StackedRelationProof {
  std::vector<E> round_messages;
  std::optional<SumcheckMaskMessages<E>> mask;
  std::vector<E> evaluations;  // v_{l,k}, instance-major

  StackedRelationProofView<E> view() const {
    return StackedRelationProofView<E>{std::span<const E>(round_messages), mask ? &*mask : nullptr,
                                       std::span<const E>(evaluations)};
  }
};

template <class E>
struct StackedRelationProverOutput {
  StackedRelationProof<E> proof;
  std::vector<E> point;                // (r_x, r_l)
  std::vector<PendingClaim<E>> claims;  // instance-major, at r_x
  std::optional<PendingClaim<E>> mask_claim;
  std::optional<LibraMask<E>> mask;
};

namespace gadget_detail {

template <class F, class E>
void check_tables(const StackedRelation<E>& st, std::span<const std::span<const F>> tables) {
  if (check_stacked_relation(st) != GadgetStatus::kOk) throw std::invalid_argument("gadget: bad relation statement");
  if (tables.size() != st.num_evaluations()) throw std::invalid_argument("gadget: need L * K tables");
  for (const auto& t : tables)
    if (t.size() != (size_t{1} << st.num_vars)) throw std::invalid_argument("gadget: table size is not 2^num_vars");
}

// P(x) = sum_t c_t prod_k P_k(x) at one entry of one instance.
template <class F, class E>
E relation_at(const StackedRelation<E>& st, std::span<const std::span<const F>> tables, size_t l, size_t x) {
  E acc = E::zero();
  for (const ProductTerm<E>& t : st.terms) {
    E p = t.coeff;
    for (uint32_t i = 0; i < t.num_factors; ++i) p *= tables[l * st.num_factors + t.factors[i]][x];
    acc += p;
  }
  return acc;
}

}  // namespace gadget_detail

// The first (instance, entry) where P is not zero, if any (parallel scan).
template <class F, class E>
std::optional<std::pair<size_t, size_t>> first_relation_violation(const StackedRelation<E>& st,
                                                                  std::span<const std::span<const F>> tables) {
  gadget_detail::check_tables<F, E>(st, tables);
  const size_t n = size_t{1} << st.num_vars;
  for (size_t l = 0; l < st.num_instances; ++l) {
    std::vector<size_t> first(parallel_chunk_count(n), n);
    parallel_chunks(n, [&](size_t b, size_t e, size_t c) {
      for (size_t x = b; x < e; ++x)
        if (!gadget_detail::relation_at<F, E>(st, tables, l, x).is_zero()) {
          first[c] = x;
          return;
        }
    });
    for (size_t x : first)
      if (x < n) return std::make_pair(l, x);
  }
  return std::nullopt;
}

// Proves sum_x eq(z, x) P(x) = claim over the stacked instances. tables: L * K
// spans, instance-major, 2^num_vars entries each. The caller has absorbed the
// statement and derived z and the claim exactly as the verifier does.
template <class F, class E, class H>
StackedRelationProverOutput<E> prove_stacked_relation_sum(Transcript<H>& transcript, const StackedRelation<E>& st,
                                                          std::span<const std::span<const F>> tables,
                                                          std::span<const E> z, const E& claim, ProverRng& rng) {
  gadget_detail::check_tables<F, E>(st, tables);
  const uint32_t n = st.num_vars, total = st.total_vars();
  if (z.size() != total) throw std::invalid_argument("gadget: eq point has the wrong length");
  const size_t block = size_t{1} << n;

  // Stacked tables: instance l at offset l * 2^n, zero instances above L. One
  // instance needs no copy.
  std::vector<std::vector<F>> stacked;
  SumOfProducts<F, E> poly;
  poly.num_vars = total;
  poly.terms.assign(st.terms.begin(), st.terms.end());
  poly.eq_point.assign(z.begin(), z.end());
  if (st.num_instances == 1) {
    poly.tables.assign(tables.begin(), tables.end());
  } else {
    stacked.assign(st.num_factors, std::vector<F>(size_t{1} << total, F::zero()));
    for (uint32_t k = 0; k < st.num_factors; ++k) {
      parallel_chunks(st.num_instances, [&](size_t b, size_t e, size_t) {
        for (size_t l = b; l < e; ++l) {
          const std::span<const F> src = tables[l * st.num_factors + k];
          std::copy(src.begin(), src.end(), stacked[k].begin() + static_cast<std::ptrdiff_t>(l * block));
        }
      }, 1);
      poly.tables.emplace_back(stacked[k]);
    }
  }

  StackedRelationProverOutput<E> out;
  if (st.zero_knowledge) out.mask = sample_libra_mask<E>(rng, st.mask, total, st.degree());
  SumcheckProver<F, E> prover;
  SumcheckProverOutput<E> so = prover.prove(transcript, poly, claim, out.mask ? &*out.mask : nullptr);
  out.point = so.point;
  out.mask_claim = so.mask_claim;
  out.proof.round_messages = std::move(so.proof.round_messages);
  out.proof.mask = so.proof.mask;

  // v_{l,k} = P_{l,k}~(r_x): one eq table, one dot product per tensor.
  const std::span<const E> r_x(out.point.data(), n);
  if (st.num_instances == 1) {
    out.proof.evaluations = so.factor_evaluations;
  } else {
    const std::vector<E> eq = eq_table<E>(r_x);
    out.proof.evaluations.resize(st.num_evaluations());
    for (size_t i = 0; i < st.num_evaluations(); ++i)
      out.proof.evaluations[i] = dot_with_eq<F, E>(tables[i], std::span<const E>(eq));
  }
  transcript.absorb_fields("gadget.relation.evals", out.proof.evaluations.data(), out.proof.evaluations.size());
  out.claims.resize(st.num_evaluations());
  for (size_t i = 0; i < st.num_evaluations(); ++i)
    if (!PendingClaim<E>::make_evaluation(st.handles[i], r_x, out.proof.evaluations[i], &out.claims[i]))
      throw std::invalid_argument("gadget: too many variables for a claim");
  return out;
}

// Proves that the relation vanishes on every entry of every instance.
template <class F, class E, class H>
StackedRelationProverOutput<E> prove_zerocheck(Transcript<H>& transcript, const StackedRelation<E>& st,
                                               std::span<const std::span<const F>> tables, ProverRng& rng,
                                               const GadgetProverOptions& options = {}) {
  if (options.check_witness)
    if (const auto bad = first_relation_violation<F, E>(st, tables))
      throw std::invalid_argument("prove_zerocheck: the relation fails at instance " + std::to_string(bad->first) +
                                  ", entry " + std::to_string(bad->second));
  std::vector<E> tau(st.total_vars());
  if (zerocheck_begin<E>(transcript, st, std::span<E>(tau)) != GadgetStatus::kOk)
    throw std::invalid_argument("prove_zerocheck: bad statement");
  return prove_stacked_relation_sum<F, E>(transcript, st, tables, std::span<const E>(tau), E::zero(), rng);
}

template <class E>
struct RowSumProof {
  StackedRelationProof<E> relation;
  E sums_evaluation{};
  RowSumProofView<E> view() const { return RowSumProofView<E>{relation.view(), sums_evaluation}; }
};

template <class E>
struct RowSumProverOutput {
  RowSumProof<E> proof;
  std::vector<E> point;                // the sumcheck point (row_bits + col_bits)
  std::vector<PendingClaim<E>> claims;  // one per factor
  PendingClaim<E> sums_claim{};
  std::optional<PendingClaim<E>> mask_claim;
  std::optional<LibraMask<E>> mask;
};

// Proves S = the row (or column) sums of P. tables: the K factors; sums: S.
template <class F, class E, class H>
RowSumProverOutput<E> prove_rowsum(Transcript<H>& transcript, const RowSumStatement<E>& st,
                                   std::span<const std::span<const F>> tables, std::span<const F> sums,
                                   ProverRng& rng) {
  if (check_rowsum_statement(st) != GadgetStatus::kOk) throw std::invalid_argument("prove_rowsum: bad statement");
  if (sums.size() != (size_t{1} << st.kept_bits())) throw std::invalid_argument("prove_rowsum: S has the wrong size");
  std::vector<E> kept(st.kept_bits()), z(st.relation.num_vars);
  if (rowsum_begin<E>(transcript, st, std::span<E>(kept)) != GadgetStatus::kOk)
    throw std::invalid_argument("prove_rowsum: bad statement");
  RowSumProverOutput<E> out;
  out.proof.sums_evaluation = evaluate_multilinear<E, F>(sums, std::span<const E>(kept));
  E claim;
  if (rowsum_sum_claim<E>(transcript, st, std::span<const E>(kept), out.proof.sums_evaluation, std::span<E>(z),
                          &claim) != GadgetStatus::kOk)
    throw std::invalid_argument("prove_rowsum: bad statement");
  StackedRelationProverOutput<E> so =
      prove_stacked_relation_sum<F, E>(transcript, st.relation, tables, std::span<const E>(z), claim, rng);
  out.proof.relation = std::move(so.proof);
  out.point = std::move(so.point);
  out.claims = std::move(so.claims);
  out.mask_claim = so.mask_claim;
  out.mask = std::move(so.mask);
  if (!PendingClaim<E>::make_evaluation(st.sums, std::span<const E>(kept), out.proof.sums_evaluation, &out.sums_claim))
    throw std::invalid_argument("prove_rowsum: too many variables for a claim");
  return out;
}

}  // namespace zkpot
