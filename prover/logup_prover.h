// LogUp-GKR lookup prover (docs/PROTOCOL.md §5): multiplicities, the two
// fraction trees (witness side and table side), and one eq-weighted degree-3
// sumcheck per layer through the generic sumcheck prover, with a Libra mask per
// layer when the statement asks for zero knowledge. The verifier half and the
// shared maths are in common/logup.h.
//
// Order of use: compute the multiplicities (lookup_multiplicities), commit the
// witness columns and the multiplicities and absorb their commitments, then
// call prove_logup on a transcript in the verifier's state.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/claims.h"
#include "common/extension.h"
#include "common/logup.h"
#include "common/multilinear.h"
#include "common/transcript.h"
#include "prover/parallel.h"
#include "prover/rng.h"
#include "prover/sumcheck_prover.h"

namespace zkpot {

// ---- Multiplicities ---------------------------------------------------------

// m_j = #{i < num_lookups : witness row i equals table row j}, as field
// elements (the committed vector, 2^k entries). Throws std::invalid_argument
// naming the first witness row that is not in the table. witness holds
// table.num_columns columns of equal length >= num_lookups. When a row occurs
// twice in the table, its lookups count against the first occurrence.
template <class F>
std::vector<F> lookup_multiplicities(const LookupTable<F>& table, std::span<const std::span<const F>> witness,
                                     uint64_t num_lookups) {
  if (table.num_columns == 0 || table.num_columns > kMaxLookupColumns || witness.size() != table.num_columns)
    throw std::invalid_argument("lookup_multiplicities: witness and table column counts differ");
  for (const auto& c : witness)
    if (c.size() < num_lookups) throw std::invalid_argument("lookup_multiplicities: witness column too short");
  for (uint32_t l = 0; l < table.num_columns; ++l)
    if (!table.is_index_column(l) && table.columns[l].size() != table.size())
      throw std::invalid_argument("lookup_multiplicities: table column of the wrong size");
  const size_t m = table.size();

  // Rows are found by column 0: directly for an index column, else by a hash map.
  std::unordered_multimap<uint64_t, uint32_t> by_first;
  if (!table.is_index_column(0)) {
    by_first.reserve(m);
    for (size_t j = m; j-- > 0;) by_first.emplace(table.columns[0][j].value(), static_cast<uint32_t>(j));
  }
  auto find_row = [&](size_t i, size_t* row) {
    auto matches = [&](size_t j) {
      for (uint32_t l = 1; l < table.num_columns; ++l)
        if (table.value(l, j) != witness[l][i]) return false;
      return true;
    };
    if (table.is_index_column(0)) {
      const uint64_t v = witness[0][i].value();
      if (v >= m || !matches(v)) return false;
      *row = v;
      return true;
    }
    auto [b, e] = by_first.equal_range(witness[0][i].value());
    size_t best = m;
    for (auto it = b; it != e; ++it)
      if (it->second < best && matches(it->second)) best = it->second;
    if (best == m) return false;
    *row = best;
    return true;
  };

  const size_t n = static_cast<size_t>(num_lookups);
  const size_t chunks = parallel_chunk_count(n);
  std::vector<std::vector<uint64_t>> counts(chunks);
  std::vector<size_t> first_bad(chunks, SIZE_MAX);
  parallel_chunks(n, [&](size_t b, size_t e, size_t c) {
    std::vector<uint64_t>& h = counts[c];
    h.assign(m, 0);
    for (size_t i = b; i < e; ++i) {
      size_t row;
      if (!find_row(i, &row)) {
        first_bad[c] = i;
        return;
      }
      ++h[row];
    }
  });
  for (size_t c = 0; c < chunks; ++c)
    if (first_bad[c] != SIZE_MAX)
      throw std::invalid_argument("lookup_multiplicities: witness row " + std::to_string(first_bad[c]) +
                                  " is not in the table");
  std::vector<F> out(m);
  parallel_chunks(m, [&](size_t b, size_t e, size_t) {
    for (size_t j = b; j < e; ++j) {
      uint64_t total = 0;
      for (const auto& h : counts) total += h[j];
      out[j] = F::from_u64(total);
    }
  });
  return out;
}

// Splits each value, read as an unsigned integer below 2^(limb_bits *
// num_limbs), into num_limbs limbs of limb_bits bits, least significant first
// (limbs[l][i] is limb l of value i). Throws std::invalid_argument on a wider
// value. The recomposition v = sum_l 2^(limb_bits l) limb_l is the caller's to
// prove (a linear relation between committed polynomials, docs/PROTOCOL.md §5.5).
std::vector<std::vector<Gl>> split_into_limbs(std::span<const Gl> values, unsigned limb_bits, unsigned num_limbs);

// ---- Fraction trees ---------------------------------------------------------

// Layers 1..depth of a binary tree of fractions; layer d holds 2^d entries,
// and entry x of layer d is the sum of entries x and x + 2^d of layer d + 1
// (the child bit is the top variable, so the two children of a layer are its
// two halves, contiguous in memory).
template <class E>
class FractionTree {
 public:
  FractionTree(std::vector<E> p_leaves, std::vector<E> q_leaves) {
    if (p_leaves.size() != q_leaves.size())
      throw std::invalid_argument("FractionTree: leaves must be two equal power-of-two vectors of size >= 2");
    build(std::move(p_leaves), std::move(q_leaves), false);
  }
  // Every leaf numerator 1 (a witness tree without padding): the numerators
  // are not stored (a third of the tree's memory), and the last layer
  // sumcheck needs only the two denominator tables.
  static FractionTree unit_numerators(std::vector<E> q_leaves) {
    FractionTree t;
    t.build({}, std::move(q_leaves), true);
    return t;
  }

  uint32_t depth() const { return depth_; }
  bool unit_leaf_numerators() const { return unit_leaves_; }
  // Numerators of a layer; empty for the leaf layer of a unit-numerator tree.
  std::span<const E> p(uint32_t layer) const { return std::span<const E>(p_.at(layer)); }
  std::span<const E> q(uint32_t layer) const { return std::span<const E>(q_.at(layer)); }
  // Layer 1 as p(0), p(1), q(0), q(1).
  std::array<E, 4> root_children() const {
    if (p_[1].empty()) return {E::one(), E::one(), q_[1][0], q_[1][1]};
    return {p_[1][0], p_[1][1], q_[1][0], q_[1][1]};
  }

 private:
  FractionTree() = default;
  void build(std::vector<E> p_leaves, std::vector<E> q_leaves, bool unit) {
    if (q_leaves.size() < 2 || !is_power_of_two(q_leaves.size()))
      throw std::invalid_argument("FractionTree: leaves must be two equal power-of-two vectors of size >= 2");
    unit_leaves_ = unit;
    depth_ = log2_exact(q_leaves.size());
    p_.resize(depth_ + 1);
    q_.resize(depth_ + 1);
    p_[depth_] = std::move(p_leaves);
    q_[depth_] = std::move(q_leaves);
    for (uint32_t d = depth_; d-- > 1;) {
      const size_t half = size_t{1} << d;
      p_[d].resize(half);
      q_[d].resize(half);
      const E* pc = p_[d + 1].data();
      const E* qc = q_[d + 1].data();
      E* pp = p_[d].data();
      E* qp = q_[d].data();
      const bool unit_children = unit && d + 1 == depth_;
      parallel_chunks(half, [&](size_t b, size_t e, size_t) {
        for (size_t x = b; x < e; ++x) {
          const Fraction<E> f = unit_children ? combine_children(E::one(), E::one(), qc[x], qc[x + half])
                                              : combine_children(pc[x], pc[x + half], qc[x], qc[x + half]);
          pp[x] = f.p;
          qp[x] = f.q;
        }
      });
    }
  }

  uint32_t depth_ = 0;
  bool unit_leaves_ = false;
  std::vector<std::vector<E>> p_, q_;  // index = layer; [0] unused
};

// Witness leaves: p_i = [i < N], q_i = alpha - sum_l beta^l w^l_i.
template <class F, class E>
FractionTree<E> witness_fraction_tree(std::span<const std::span<const F>> columns, uint64_t num_lookups,
                                      const E& alpha, const E& beta) {
  const size_t n = columns.empty() ? 0 : columns[0].size();
  const bool unit = num_lookups >= n;
  std::vector<E> p(unit ? 0 : n), q(n);
  parallel_chunks(n, [&](size_t b, size_t e, size_t) {
    for (size_t i = b; i < e; ++i) {
      E acc = E::zero(), pw = E::one();
      for (const auto& c : columns) {
        acc += pw * E(c[i]);
        pw *= beta;
      }
      if (!unit) p[i] = i < num_lookups ? E::one() : E::zero();
      q[i] = alpha - acc;
    }
  });
  if (unit) return FractionTree<E>::unit_numerators(std::move(q));
  return FractionTree<E>(std::move(p), std::move(q));
}

// Table leaves: p_j = m_j, q_j = alpha - sum_l beta^l t^l_j.
template <class F, class E>
FractionTree<E> table_fraction_tree(const LookupTable<F>& table, std::span<const F> multiplicities, const E& alpha,
                                    const E& beta) {
  const size_t m = table.size();
  std::vector<E> p(m), q(m);
  parallel_chunks(m, [&](size_t b, size_t e, size_t) {
    for (size_t j = b; j < e; ++j) {
      E acc = E::zero(), pw = E::one();
      for (uint32_t l = 0; l < table.num_columns; ++l) {
        acc += pw * E(table.value(l, j));
        pw *= beta;
      }
      p[j] = E(multiplicities[j]);
      q[j] = alpha - acc;
    }
  });
  return FractionTree<E>(std::move(p), std::move(q));
}

// One layer sumcheck at layer s (1 <= s < depth), given the claims p_s(z) and
// q_s(z): draws lambda and proves p_s(z) + lambda q_s(z) = sum_x eq(z, x)
// (p0 q1 + p1 q0 + lambda q0 q1) over the children of layer s + 1. The child
// values are returned, not absorbed: the caller absorbs them and draws tau.
template <class E>
struct FractionLayerProof {
  SumcheckProverOutput<E> sumcheck;
  std::array<E, 4> children{};  // p_{s+1}(r, 0), p_{s+1}(r, 1), q_{s+1}(r, 0), q_{s+1}(r, 1)
};

template <class E, class H>
FractionLayerProof<E> prove_fraction_layer(Transcript<H>& t, SumcheckProver<E, E>& prover,
                                           const FractionTree<E>& tree, uint32_t s, std::span<const E> z,
                                           const E& p_claim, const E& q_claim, const LibraMask<E>* mask) {
  if (s == 0 || s >= tree.depth() || z.size() != s) throw std::invalid_argument("prove_fraction_layer: bad layer");
  const E lambda = t.template challenge<E>("logup.lambda");
  const std::span<const E> pc = tree.p(s + 1), qc = tree.q(s + 1);
  const size_t half = size_t{1} << s;
  SumOfProducts<E, E> poly;
  poly.num_vars = s;
  poly.eq_point.assign(z.begin(), z.end());
  // Unit numerators: q1 + q0 + lambda q0 q1, the same degree, a third of the products.
  const bool unit = tree.unit_leaf_numerators() && s + 1 == tree.depth();
  if (unit) {
    poly.tables = {qc.first(half), qc.subspan(half)};
    poly.terms = {ProductTerm<E>::of(E::one(), {1}), ProductTerm<E>::of(E::one(), {0}),
                  ProductTerm<E>::of(lambda, {0, 1})};
  } else {
    poly.tables = {pc.first(half), pc.subspan(half), qc.first(half), qc.subspan(half)};
    poly.terms = {ProductTerm<E>::of(E::one(), {0, 3}), ProductTerm<E>::of(E::one(), {1, 2}),
                  ProductTerm<E>::of(lambda, {2, 3})};
  }
  FractionLayerProof<E> out;
  out.sumcheck = prover.prove(t, poly, p_claim + lambda * q_claim, mask);
  const auto& fe = out.sumcheck.factor_evaluations;
  if (unit)
    out.children = {E::one(), E::one(), fe[0], fe[1]};
  else
    out.children = {fe[0], fe[1], fe[2], fe[3]};
  return out;
}

// ---- The proof --------------------------------------------------------------

template <class E>
struct LogupProof {
  std::vector<E> root_children;
  std::vector<E> layer_rounds;
  std::vector<E> layer_children;
  std::vector<SumcheckMaskMessages<E>> layer_masks;
  std::vector<E> column_evaluations;

  LogupProofView<E> view() const {
    return LogupProofView<E>{root_children, layer_rounds, layer_children, layer_masks, column_evaluations};
  }
  // Canonical bytes in the order of docs/PROTOCOL.md §5.2 (golden tests, sizes).
  std::vector<uint8_t> to_bytes() const {
    std::vector<uint8_t> out;
    uint8_t buf[E::kEncodedBytes];
    auto put = [&](const E& x) {
      x.encode(buf);
      out.insert(out.end(), buf, buf + E::kEncodedBytes);
    };
    for (const E& x : root_children) put(x);
    for (const E& x : layer_rounds) put(x);
    for (const E& x : layer_children) put(x);
    for (const auto& m : layer_masks) {
      for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(m.handle.id >> (8 * i)));
      put(m.sum);
      put(m.evaluation);
    }
    for (const E& x : column_evaluations) put(x);
    return out;
  }
};

template <class E>
struct LogupProverOutput {
  LogupProof<E> proof;
  std::vector<PendingClaim<E>> witness_claims;  // one per column
  PendingClaim<E> multiplicity_claim;
  std::vector<PendingClaim<E>> mask_claims;  // one per layer with zero knowledge
  E alpha{}, beta{};
};


namespace logup_prover_detail {

// Runs the GKR of one tree after its root children were absorbed, appending to
// the proof; returns the leaf point and the claimed leaf values.
template <class E, class H>
void prove_fraction_tree(Transcript<H>& t, SumcheckProver<E, E>& prover, const FractionTree<E>& tree, bool zk,
                         uint64_t* next_mask_id, ProverRng& rng, LogupProverOutput<E>* out, std::vector<E>* point,
                         E* p_claim, E* q_claim) {
  const std::array<E, 4> root = tree.root_children();
  const E tau0 = t.template challenge<E>("logup.tau");
  point->assign(1, tau0);
  *p_claim = root[0] + tau0 * (root[1] - root[0]);
  *q_claim = root[2] + tau0 * (root[3] - root[2]);
  for (uint32_t s = 1; s < tree.depth(); ++s) {
    std::optional<LibraMask<E>> mask;
    if (zk) mask = sample_libra_mask<E>(rng, CommitmentHandle{(*next_mask_id)++}, s, kLogupLayerDegree);
    FractionLayerProof<E> layer =
        prove_fraction_layer(t, prover, tree, s, std::span<const E>(*point), *p_claim, *q_claim, mask ? &*mask : nullptr);
    const auto& rounds = layer.sumcheck.proof.round_messages;
    out->proof.layer_rounds.insert(out->proof.layer_rounds.end(), rounds.begin(), rounds.end());
    if (zk) {
      out->proof.layer_masks.push_back(*layer.sumcheck.proof.mask);
      out->mask_claims.push_back(*layer.sumcheck.mask_claim);
    }
    out->proof.layer_children.insert(out->proof.layer_children.end(), layer.children.begin(), layer.children.end());
    t.absorb_fields("logup.children", layer.children.data(), layer.children.size());
    const E tau = t.template challenge<E>("logup.tau");
    *point = layer.sumcheck.point;
    point->push_back(tau);
    const auto& c = layer.children;
    *p_claim = c[0] + tau * (c[1] - c[0]);
    *q_claim = c[2] + tau * (c[3] - c[2]);
  }
}

}  // namespace logup_prover_detail

// Proves the statement for the given witness columns (table.num_columns of
// them, 2^num_vars entries each) and the committed multiplicities. Throws
// std::invalid_argument on a malformed statement or inputs. Multiplicities
// are taken as committed, not recomputed: with wrong ones (or a witness row
// outside the table) the proof is produced but does not verify.
template <class F, class E, class H>
LogupProverOutput<E> prove_logup(Transcript<H>& t, const LogupStatement<F>& st,
                                 std::span<const std::span<const F>> witness, std::span<const F> multiplicities,
                                 ProverRng& rng) {
  if (check_logup_statement<F, E>(st) != LogupStatus::kOk)
    throw std::invalid_argument("prove_logup: bad statement");
  if (witness.size() != st.table.num_columns)
    throw std::invalid_argument("prove_logup: one witness column per table column expected");
  for (const auto& c : witness)
    if (c.size() != (size_t{1} << st.num_vars)) throw std::invalid_argument("prove_logup: witness column size");
  if (multiplicities.size() != st.table.size()) throw std::invalid_argument("prove_logup: multiplicities size");

  LogupProverOutput<E> out;
  logup_absorb_statement(t, st);
  logup_draw_challenges(t, st.table.num_columns, &out.alpha, &out.beta);

  const FractionTree<E> wtree = witness_fraction_tree<F, E>(witness, st.num_lookups, out.alpha, out.beta);
  const FractionTree<E> ttree = table_fraction_tree<F, E>(st.table, multiplicities, out.alpha, out.beta);
  const std::array<E, 4> wr = wtree.root_children(), tr = ttree.root_children();
  out.proof.root_children.assign(wr.begin(), wr.end());
  out.proof.root_children.insert(out.proof.root_children.end(), tr.begin(), tr.end());
  t.absorb_fields("logup.root_children", out.proof.root_children.data(), out.proof.root_children.size());

  const LogupProofLengths len = logup_proof_lengths(st);
  out.proof.layer_rounds.reserve(len.layer_rounds);
  out.proof.layer_children.reserve(len.layer_children);
  out.proof.layer_masks.reserve(len.layer_masks);

  SumcheckProver<E, E> prover;
  uint64_t mask_id = st.first_mask.id;
  std::vector<E> zw, zt;
  E pw, qw, pt, qt;
  logup_prover_detail::prove_fraction_tree(t, prover, wtree, st.zero_knowledge, &mask_id, rng, &out, &zw, &pw, &qw);
  logup_prover_detail::prove_fraction_tree(t, prover, ttree, st.zero_knowledge, &mask_id, rng, &out, &zt, &pt, &qt);

  // Column values at the witness leaf point; with one column it is alpha - q.
  const std::span<const E> zws(zw);
  if (st.table.num_columns == 1) {
    out.proof.column_evaluations.push_back(out.alpha - qw);
  } else {
    for (const auto& c : witness) out.proof.column_evaluations.push_back(evaluate_multilinear<E, F>(c, zws));
  }
  t.absorb_fields("logup.column_evals", out.proof.column_evaluations.data(), out.proof.column_evaluations.size());

  out.witness_claims.resize(st.table.num_columns);
  for (uint32_t l = 0; l < st.table.num_columns; ++l)
    if (!PendingClaim<E>::make_evaluation(st.witness[l], zws, out.proof.column_evaluations[l], &out.witness_claims[l]))
      throw std::logic_error("prove_logup: claim point too long");
  if (!PendingClaim<E>::make_evaluation(st.multiplicities, std::span<const E>(zt), pt, &out.multiplicity_claim))
    throw std::logic_error("prove_logup: claim point too long");
  return out;
}

}  // namespace zkpot
