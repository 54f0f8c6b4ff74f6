// The prover half of pending claims (docs/PROTOCOL.md §6): a registry of the
// committed witness (tables and Libra masks, by handle) that checks claims
// directly, as the commitment scheme's openings will, and the claim-batching
// prover that mirrors verify_claim_batching in common/claim_accumulator.h.
#pragma once

#include <map>
#include <span>
#include <stdexcept>
#include <vector>

#include "common/claim_accumulator.h"
#include "common/claims.h"
#include "common/multilinear.h"
#include "prover/rng.h"
#include "prover/sumcheck_prover.h"

namespace zkpot {

template <class F, class E>
class WitnessRegistry {
 public:
  // The table is not copied; it must outlive the registry.
  void add_table(CommitmentHandle h, std::span<const F> table) {
    if (!is_power_of_two(table.size())) throw std::invalid_argument("witness table size is not a power of two");
    if (tables_.count(h.id) || masks_.count(h.id)) throw std::invalid_argument("handle registered twice");
    tables_[h.id] = table;
  }
  void add_mask(const LibraMask<E>& m) {
    if (tables_.count(m.handle.id) || masks_.count(m.handle.id)) throw std::invalid_argument("handle registered twice");
    masks_[m.handle.id] = m;
  }
  std::span<const F> table(CommitmentHandle h) const {
    const auto it = tables_.find(h.id);
    if (it == tables_.end()) throw std::invalid_argument("no witness table for handle " + std::to_string(h.id));
    return it->second;
  }
  const LibraMask<E>& mask(CommitmentHandle h) const {
    const auto it = masks_.find(h.id);
    if (it == masks_.end()) throw std::invalid_argument("no Libra mask for handle " + std::to_string(h.id));
    return it->second;
  }

  // Whether the claim is true of the registered witness: what the commitment
  // scheme's opening will establish. False for unknown handles.
  bool holds(const PendingClaim<E>& c) const {
    if (c.kind() == ClaimKind::kMultilinearEvaluation) {
      const auto it = tables_.find(c.handle().id);
      if (it == tables_.end() || it->second.size() != (size_t{1} << c.num_vars())) return false;
      return evaluate_multilinear<E, F>(it->second, c.point()) == c.value();
    }
    const auto it = masks_.find(c.handle().id);
    if (it == masks_.end() || it->second.degree != c.mask_degree() || it->second.num_vars != c.num_vars())
      return false;
    E v;
    return evaluate_libra_mask<E>(std::span<const E>(it->second.coeffs), c.mask_degree(), c.point(), &v) &&
           v == c.value();
  }

 private:
  std::map<uint64_t, std::span<const F>> tables_;
  std::map<uint64_t, LibraMask<E>> masks_;
};

template <class E>
struct ClaimBatchingProverOutput {
  ClaimBatchingProof<E> proof;
  std::vector<PendingClaim<E>> reduced;  // exactly what verify_claim_batching outputs
  std::vector<LibraMask<E>> masks;       // the batching sumchecks' masks (zero knowledge)
};

// Proves the batching of `in` against the witness. Zero knowledge (on by
// default) samples one Libra mask per batched group with handles
// first_mask_handle, first_mask_handle + 1, ...
template <class F, class E, class H>
ClaimBatchingProverOutput<E> prove_claim_batching(Transcript<H>& transcript, const ClaimAccumulator<E>& in,
                                                  const WitnessRegistry<F, E>& witness, ProverRng& rng,
                                                  bool zero_knowledge, CommitmentHandle first_mask_handle) {
  ClaimBatchingProverOutput<E> out;
  const E gamma = claim_batching_begin(transcript, in);
  std::vector<PendingClaim<E>> mask_claims;
  SumcheckProver<E, E> prover;
  size_t group = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    const PendingClaim<E>& c = in.claims()[i];
    if (in.leader(i) != i) continue;
    if (!in.is_batched_leader(i)) {
      out.reduced.push_back(c);
      continue;
    }
    const uint32_t n = c.num_vars();
    const std::span<const F> p = witness.table(c.handle());
    if (p.size() != (size_t{1} << n)) throw std::invalid_argument("claim arity does not match the witness table");
    // P lifted to E, and W = sum_i gamma^i eq(r_i, .).
    std::vector<E> p_ext(p.size()), w(p.size(), E::zero()), eq(p.size());
    for (size_t x = 0; x < p.size(); ++x) p_ext[x] = E(p[x]);
    E g = E::one();
    for (const PendingClaim<E>& o : in.claims()) {
      if (o.handle() != c.handle()) continue;
      eq_table<E>(o.point(), std::span<E>(eq));
      for (size_t x = 0; x < w.size(); ++x) w[x] += g * eq[x];
      g *= gamma;
    }
    SumOfProducts<E, E> poly;
    poly.num_vars = n;
    poly.tables = {std::span<const E>(p_ext), std::span<const E>(w)};
    poly.terms = {ProductTerm<E>::of(E::one(), {0, 1})};
    std::optional<LibraMask<E>> mask;
    if (zero_knowledge)
      mask = sample_libra_mask<E>(rng, claim_batching_mask_handle(first_mask_handle, group), n, 2);
    SumcheckProverOutput<E> so = prover.prove(transcript, poly, claim_group_sum(in, i, gamma), mask ? &*mask : nullptr);
    const E evaluation = so.factor_evaluations[0];
    transcript.absorb_field("claims.eval", evaluation);
    ClaimBatchingGroupProof<E> gp;
    gp.round_messages = std::move(so.proof.round_messages);
    gp.mask = so.proof.mask;
    gp.evaluation = evaluation;
    out.proof.groups.push_back(std::move(gp));
    PendingClaim<E> batched;
    if (!PendingClaim<E>::make_evaluation(c.handle(), std::span<const E>(so.point), evaluation, &batched))
      throw std::invalid_argument("too many variables for a claim");
    out.reduced.push_back(batched);
    if (mask) {
      mask_claims.push_back(*so.mask_claim);
      out.masks.push_back(std::move(*mask));
    }
    ++group;
  }
  out.reduced.insert(out.reduced.end(), mask_claims.begin(), mask_claims.end());
  return out;
}

}  // namespace zkpot
