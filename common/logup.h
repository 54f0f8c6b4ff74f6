// LogUp-GKR lookup verifier, and the maths the prover shares with it
// (docs/PROTOCOL.md §5).
//
// Statement: every row of the witness columns w^0..w^{c-1} (2^n entries each,
// the first N of them looked up) is a row of a public table with columns
// t^0..t^{c-1} (2^k rows). With the column-compression challenge beta and the
// lookup challenge alpha it is proven through the fractional-sum identity
//   sum_{i<N} 1 / (alpha - w_i) = sum_j m_j / (alpha - t_j),
// w_i = sum_l beta^l w^l_i, t_j likewise, m the committed multiplicities. Each
// side is a binary tree of fractions (p, q) evaluated by a layered GKR: one
// eq-weighted degree-3 sumcheck per layer, whose four child values are absorbed
// before the challenge that moves the claim to the next layer. What remains is
// one pending claim per witness column and one on the multiplicities, at the
// leaf points of the two trees; the selector of the first N entries and the
// table are evaluated here.
//
// Verifier rules: no exceptions, no allocation, every length checked before use.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>

#include "common/claims.h"
#include "common/multilinear.h"
#include "common/sumcheck.h"
#include "common/transcript.h"

namespace zkpot {

// Columns compressed into one lookup (e.g. 2 for (x, f(x)) tables).
inline constexpr uint32_t kMaxLookupColumns = 4;
// Tables the verifier evaluates itself, in O(2^k) for explicit columns. Our
// parameter sets use at most 2^16 rows (docs/PROTOCOL.md §5.5).
inline constexpr uint32_t kMaxLookupTableLogSize = 20;
// Witness columns of up to 2^kMaxLookupWitnessLogSize entries.
inline constexpr uint32_t kMaxLookupWitnessLogSize = 32;
// Every layer sumcheck proves p_s(z) + lambda q_s(z) = sum_x eq(z, x) (p0 q1 + p1 q0 + lambda q0 q1).
inline constexpr uint32_t kLogupLayerDegree = 3;

enum class LogupStatus : uint8_t {
  kOk = 0,
  kBadShape,              // num_vars or num_lookups out of range, or num_lookups >= the characteristic
  kBadTable,              // table size or column count out of range, or an explicit column of the wrong size
  kWrongProofLength,      // some proof part does not have the length the statement implies
  kWrongOutputLength,     // the caller's mask-claim span has the wrong size
  kBadMaskHandle,         // a layer mask names a commitment other than the one the statement fixes
  kZeroDenominator,       // a root denominator is zero
  kRootNumeratorNonzero,  // the two sides' fraction sums differ
  kLayerSumcheckRejected, // a layer sumcheck is malformed
  kLayerMismatch,         // a layer's final claim disagrees with its four child values
  kSelectorMismatch,      // the witness leaf numerators are not the selector of the first N entries
  kWitnessMismatch,       // the witness leaf denominators disagree with the claimed column values
  kTableMismatch,         // the table leaf denominators disagree with the table
};

inline const char* logup_status_name(LogupStatus s) {
  switch (s) {
    case LogupStatus::kOk: return "ok";
    case LogupStatus::kBadShape: return "bad lookup shape";
    case LogupStatus::kBadTable: return "bad lookup table";
    case LogupStatus::kWrongProofLength: return "wrong lookup proof length";
    case LogupStatus::kWrongOutputLength: return "wrong output length";
    case LogupStatus::kBadMaskHandle: return "unexpected layer mask handle";
    case LogupStatus::kZeroDenominator: return "zero root denominator";
    case LogupStatus::kRootNumeratorNonzero: return "fraction sums differ";
    case LogupStatus::kLayerSumcheckRejected: return "layer sumcheck rejected";
    case LogupStatus::kLayerMismatch: return "layer claim does not match its child values";
    case LogupStatus::kSelectorMismatch: return "witness numerators are not the selector";
    case LogupStatus::kWitnessMismatch: return "witness denominators disagree with the column values";
    case LogupStatus::kTableMismatch: return "table denominators disagree with the table";
  }
  return "unknown";
}

// A public table of 2^log_size rows. An empty column span means the index
// column j -> j (its MLE is sum_i 2^i z_i, O(k)); a non-empty one holds the
// 2^log_size values, whose MLE the verifier evaluates in 2^k steps and O(k)
// memory. Range table 0..2^k-1: one index column. Function table (x, f(x)):
// the index column and the values f(0..2^k-1).
template <class F>
struct LookupTable {
  uint32_t log_size = 0;
  uint32_t num_columns = 0;
  std::array<std::span<const F>, kMaxLookupColumns> columns{};

  // Optional, for a caller that uses one table many times: bit l of
  // digest_mask says column_digests[l] holds logup_column_digest of column l,
  // which the statement then absorbs without hashing the column again.
  std::array<std::array<uint8_t, 32>, kMaxLookupColumns> column_digests{};
  uint32_t digest_mask = 0;

  static LookupTable range(uint32_t log_size) {
    LookupTable t;
    t.log_size = log_size;
    t.num_columns = 1;
    return t;
  }
  // (j, values[j]) for j < 2^log_size; values is not owned.
  static LookupTable function(uint32_t log_size, std::span<const F> values) {
    LookupTable t = range(log_size);
    t.num_columns = 2;
    t.columns[1] = values;
    return t;
  }
  size_t size() const { return size_t{1} << log_size; }
  bool is_index_column(uint32_t l) const { return columns[l].empty(); }
  // Row j of column l (j < size(), l < num_columns).
  F value(uint32_t l, size_t j) const { return is_index_column(l) ? F::from_u64(j) : columns[l][j]; }
};

// Everything the verifier knows before the proof: the shape, the table, the
// commitments involved, and whether the layer sumchecks are masked.
template <class F>
struct LogupStatement {
  uint32_t num_vars = 0;     // n: every witness column has 2^n entries
  uint64_t num_lookups = 0;  // N: entries 0..N-1 are looked up, the rest is ignored padding
  LookupTable<F> table;
  std::array<CommitmentHandle, kMaxLookupColumns> witness{};  // one per table column
  CommitmentHandle multiplicities{};
  bool zero_knowledge = false;
  // Layer sumcheck masks, in proof order (witness tree, then table tree), have
  // the handles first_mask.id, first_mask.id + 1, ...
  CommitmentHandle first_mask{};
};

// The characteristic of E's prime field.
template <class E>
constexpr uint64_t field_characteristic() {
  if constexpr (requires { typename E::Base; })
    return E::Base::kModulus;
  else
    return E::kModulus;
}

template <class F, class E>
LogupStatus check_logup_statement(const LogupStatement<F>& st) {
  if (st.num_vars == 0 || st.num_vars > kMaxLookupWitnessLogSize || st.num_vars > kMaxClaimVariables)
    return LogupStatus::kBadShape;
  // Counts up to N must be nonzero in the field (docs/PROTOCOL.md §5.4).
  if (st.num_lookups == 0 || st.num_lookups > (uint64_t{1} << st.num_vars) ||
      st.num_lookups >= field_characteristic<E>())
    return LogupStatus::kBadShape;
  const LookupTable<F>& t = st.table;
  if (t.log_size == 0 || t.log_size > kMaxLookupTableLogSize) return LogupStatus::kBadTable;
  if (t.num_columns == 0 || t.num_columns > kMaxLookupColumns) return LogupStatus::kBadTable;
  for (uint32_t l = 0; l < kMaxLookupColumns; ++l) {
    if (l >= t.num_columns && !t.columns[l].empty()) return LogupStatus::kBadTable;
    if (l < t.num_columns && !t.columns[l].empty() && t.columns[l].size() != t.size()) return LogupStatus::kBadTable;
  }
  // The index column's values j < 2^k must be distinct field elements.
  if ((uint64_t{1} << t.log_size) > field_characteristic<E>()) return LogupStatus::kBadTable;
  return LogupStatus::kOk;
}

// Proof layout (docs/PROTOCOL.md §5.2). A tree of depth d has d - 1 layer
// sumchecks; the one at layer s has s variables.
inline size_t logup_tree_steps(uint32_t depth) { return depth - 1; }
inline size_t logup_tree_round_values(uint32_t depth) {
  return size_t{kLogupLayerDegree} * depth * (depth - 1) / 2;
}

// A proof, as spans over storage the caller owns (a parser's, or the
// prover's LogupProof).
template <class E>
struct LogupProofView {
  // Layer-1 entries of the witness tree, then of the table tree, each as
  // p(0), p(1), q(0), q(1).
  std::span<const E> root_children;
  // Round messages of every layer sumcheck (witness tree layers 1..n-1, then
  // table tree layers 1..k-1), kLogupLayerDegree values per round.
  std::span<const E> layer_rounds;
  // After each layer sumcheck: p_{s+1}(r, 0), p_{s+1}(r, 1), q_{s+1}(r, 0), q_{s+1}(r, 1).
  std::span<const E> layer_children;
  // With zero knowledge, one per layer sumcheck; otherwise empty.
  std::span<const SumcheckMaskMessages<E>> layer_masks;
  // w~^l(z_w) for l < num_columns at the witness leaf point z_w.
  std::span<const E> column_evaluations;
};

// Expected lengths of each proof part for a (checked) statement.
struct LogupProofLengths {
  size_t root_children = 8;
  size_t layer_rounds = 0;
  size_t layer_children = 0;
  size_t layer_masks = 0;
  size_t column_evaluations = 0;
};
template <class F>
LogupProofLengths logup_proof_lengths(const LogupStatement<F>& st) {
  LogupProofLengths l;
  const size_t steps = logup_tree_steps(st.num_vars) + logup_tree_steps(st.table.log_size);
  l.layer_rounds = logup_tree_round_values(st.num_vars) + logup_tree_round_values(st.table.log_size);
  l.layer_children = 4 * steps;
  l.layer_masks = st.zero_knowledge ? steps : 0;
  l.column_evaluations = st.table.num_columns;
  return l;
}

template <class E>
struct LogupVerifierOutput {
  std::array<PendingClaim<E>, kMaxLookupColumns> witness_claims{};  // first num_columns used
  PendingClaim<E> multiplicity_claim{};
  // Caller-owned: one per layer sumcheck with zero knowledge, else empty.
  std::span<PendingClaim<E>> mask_claims;
  E alpha{};
  E beta{};
};

// ---- Shared maths ---------------------------------------------------------

// The MLE of the selector s_i = [i < N] over n variables at z: the indices
// below N split, for each set bit k of N, into those that agree with N above
// k and have bit k = 0 (docs/PROTOCOL.md §5.3). O(n).
template <class E>
E selector_mle(uint64_t num_selected, std::span<const E> z) {
  const size_t n = z.size();
  if (n < 64 && num_selected >= (uint64_t{1} << n)) return E::one();
  E acc = E::zero(), prefix = E::one();  // prefix = prod_{j>k} eq(bit_j(N), z_j)
  for (size_t k = n; k-- > 0;) {
    const bool bit = k < 64 && ((num_selected >> k) & 1);
    if (bit) {
      acc += prefix * (E::one() - z[k]);
      prefix *= z[k];
    } else {
      prefix *= E::one() - z[k];
    }
  }
  return acc;
}

// The MLE of the index column j -> j at z: sum_i 2^i z_i.
template <class E>
E index_column_mle(std::span<const E> z) {
  E acc = E::zero(), pow = E::one();
  for (const E& zi : z) {
    acc += pow * zi;
    pow += pow;
  }
  return acc;
}

// A binary counter of partial folds: values pushed in index order at level L
// (each the MLE of 2^L consecutive entries over z_0..z_{L-1}) are paired
// (lo, hi) and folded with z_L as soon as two share a level. O(|z|) memory.
template <class E>
class MleFoldCounter {
 public:
  explicit MleFoldCounter(std::span<const E> z) : z_(z) {}
  void push(E cur, uint32_t l) {
    while (top_ > 0 && level_[top_ - 1] == l) {
      const E& lo = stack_[top_ - 1];
      cur = lo + z_[l] * (cur - lo);
      --top_;
      ++l;
    }
    stack_[top_] = cur;
    level_[top_] = l;
    ++top_;
  }
  const E& result() const { return stack_[0]; }

 private:
  std::span<const E> z_;
  std::array<E, kMaxClaimVariables + 1> stack_{};
  std::array<uint32_t, kMaxClaimVariables + 1> level_{};
  size_t top_ = 0;
};

// The MLE of 2^|z| explicit values at z with O(|z|) memory, one value at a time.
template <class E, class F>
E streaming_mle(std::span<const F> values, std::span<const E> z) {
  MleFoldCounter<E> counter(z);
  for (const F& v : values) counter.push(E(v), 0);
  return counter.result();
}

// The MLE of 2^|z| base-field values at z: sum_i v_i eq(z, i), as
// sum_h eq(z_hi, h) sum_lo v_(h,lo) eq(z_lo, lo) with the eq table of the low
// (up to 8) variables on the stack: per nonzero entry (public tables are often
// mostly zero) one extension-by-base product, for GlExt3 over Goldilocks its
// three coefficient products left unreduced and each block sum reduced once
// (Goldilocks::WideSum); the block sums folded over the high variables by the
// same counter. O(2^|z|) time, O(|z|) memory, same value.
template <class E, class F>
E base_table_mle(std::span<const F> values, std::span<const E> z) {
  constexpr uint32_t kLowMax = 8;
  const uint32_t low = static_cast<uint32_t>(z.size() < kLowMax ? z.size() : kLowMax);
  const size_t block = size_t{1} << low;
  if (values.size() != (z.size() >= 64 ? 0 : size_t{1} << z.size()) || values.size() < block)
    return streaming_mle<E, F>(values, z);
  std::array<E, size_t{1} << kLowMax> eq_low;
  eq_low[0] = E::one();
  for (uint32_t j = 0; j < low; ++j) {  // bit j of the index is variable j
    const size_t half = size_t{1} << j;
    for (size_t i = 0; i < half; ++i) {
      eq_low[i + half] = eq_low[i] * z[j];
      eq_low[i] = eq_low[i] - eq_low[i + half];
    }
  }
  MleFoldCounter<E> counter(z);
  for (size_t b = 0; b < values.size(); b += block) {
    E sum = E::zero();
    if constexpr (std::is_same_v<E, GlExt3> && std::is_same_v<F, Gl>) {
      // Each coefficient's block sum accumulated exactly and reduced once
      // (Goldilocks::WideSum): the same value as the reduced products summed.
      Gl::WideSum acc[3];
      for (size_t i = 0; i < block; ++i) {
        const Gl v = values[b + i];
        if (v.is_zero()) continue;  // public tables are often mostly zero
        for (unsigned c = 0; c < 3; ++c) acc[c].add_product(eq_low[i].coeff(c), v);
      }
      const Gl coeffs[3] = {acc[0].reduce(), acc[1].reduce(), acc[2].reduce()};
      sum = E::from_coeffs(coeffs);
    } else {
      for (size_t i = 0; i < block; ++i)
        if (!values[b + i].is_zero()) sum += eq_low[i] * values[b + i];
    }
    counter.push(sum, low);
  }
  return counter.result();
}

// The digest an explicit table column is absorbed as (docs/PROTOCOL.md §5.2):
// H under "zkpot/lut-col" of LE64(length) and the encoded values.
template <class H, class F>
std::array<uint8_t, 32> logup_column_digest(std::span<const F> values) {
  static_assert(H::kDigestBytes == 32, "table digests are 32 bytes");
  typename H::State st(personal::kLookupColumn);
  st.update_u64(values.size());
  constexpr size_t kChunk = 64;
  uint8_t buf[kChunk * F::kEncodedBytes];
  for (size_t i = 0; i < values.size(); i += kChunk) {
    const size_t n = values.size() - i < kChunk ? values.size() - i : kChunk;
    for (size_t j = 0; j < n; ++j) values[i + j].encode(buf + j * F::kEncodedBytes);
    st.update(buf, n * F::kEncodedBytes);
  }
  const typename H::Digest d = st.finalize();
  std::array<uint8_t, 32> out;
  for (size_t i = 0; i < 32; ++i) out[i] = d[i];
  return out;
}

// Fills table.column_digests for every explicit column (see LookupTable).
template <class H, class F>
void logup_set_column_digests(LookupTable<F>& table) {
  for (uint32_t l = 0; l < table.num_columns && l < kMaxLookupColumns; ++l) {
    if (table.is_index_column(l)) continue;
    table.column_digests[l] = logup_column_digest<H, F>(table.columns[l]);
    table.digest_mask |= 1u << l;
  }
}

// The table's compressed column at z: sum_l beta^l t~^l(z).
template <class F, class E>
E compressed_table_mle(const LookupTable<F>& t, const E& beta, std::span<const E> z) {
  E acc = E::zero(), pw = E::one();
  for (uint32_t l = 0; l < t.num_columns; ++l) {
    const E col = t.is_index_column(l) ? index_column_mle<E>(z) : base_table_mle<E, F>(t.columns[l], z);
    acc += pw * col;
    pw *= beta;
  }
  return acc;
}

// p(0) q(1) + p(1) q(0) and q(0) q(1): the parent of two fractions.
template <class E>
struct Fraction {
  E p, q;
};
template <class E>
Fraction<E> combine_children(const E& p0, const E& p1, const E& q0, const E& q1) {
  return Fraction<E>{p0 * q1 + p1 * q0, q0 * q1};
}

// The layer sumcheck's summand at the child values, without the eq weight.
template <class E>
E layer_summand(const E* children, const E& lambda) {
  const E& p0 = children[0];
  const E& p1 = children[1];
  const E& q0 = children[2];
  const E& q1 = children[3];
  return p0 * q1 + p1 * q0 + lambda * q0 * q1;
}

// Absorbs the statement: shape, table (explicit columns in full), the handles
// of the committed witness columns and multiplicities, and the masking mode.
// The caller has absorbed the commitments themselves before (docs/PROTOCOL.md §5.2).
template <class F, class H>
void logup_absorb_statement(Transcript<H>& t, const LogupStatement<F>& st) {
  t.absorb_u64("logup.num_vars", st.num_vars);
  t.absorb_u64("logup.num_lookups", st.num_lookups);
  t.absorb_u64("logup.table.log_size", st.table.log_size);
  t.absorb_u64("logup.table.columns", st.table.num_columns);
  for (uint32_t l = 0; l < st.table.num_columns; ++l) {
    t.absorb_u64("logup.table.kind", st.table.is_index_column(l) ? 0 : 1);
    if (!st.table.is_index_column(l)) {
      // The column's digest (computed here unless the caller cached it), not
      // its values: the same binding for 32 bytes instead of 2^k values.
      const std::array<uint8_t, 32> d = ((st.table.digest_mask >> l) & 1)
                                            ? st.table.column_digests[l]
                                            : logup_column_digest<H, F>(st.table.columns[l]);
      t.absorb_bytes("logup.table.digest", d.data(), d.size());
    }
    t.absorb_u64("logup.witness.handle", st.witness[l].id);
  }
  t.absorb_u64("logup.multiplicities.handle", st.multiplicities.id);
  t.absorb_u64("logup.zk", st.zero_knowledge ? 1 : 0);
  t.absorb_u64("logup.first_mask", st.first_mask.id);
}

// Draws beta (only with several columns; else 0) and then alpha.
template <class E, class H>
void logup_draw_challenges(Transcript<H>& t, uint32_t num_columns, E* alpha, E* beta) {
  *beta = num_columns > 1 ? t.template challenge<E>("logup.beta") : E::zero();
  *alpha = t.template challenge<E>("logup.alpha");
}

// The root check on the layer-1 values of both trees: denominators nonzero and
// P_w Q_t - P_t Q_w = 0, i.e. the two fraction sums are equal.
template <class E>
LogupStatus check_logup_roots(std::span<const E> root_children) {
  const Fraction<E> w = combine_children(root_children[0], root_children[1], root_children[2], root_children[3]);
  const Fraction<E> t = combine_children(root_children[4], root_children[5], root_children[6], root_children[7]);
  if (w.q.is_zero() || t.q.is_zero()) return LogupStatus::kZeroDenominator;
  if (w.p * t.q - t.p * w.q != E::zero()) return LogupStatus::kRootNumeratorNonzero;
  return LogupStatus::kOk;
}

// ---- Verifier -------------------------------------------------------------

namespace logup_detail {

// Cursor over the flat proof parts; lengths were checked up front.
template <class E>
struct ProofCursor {
  std::span<const E> rounds, children;
  std::span<const SumcheckMaskMessages<E>> masks;
  std::span<PendingClaim<E>> mask_claims;
  size_t step = 0;  // global layer index, for mask handles
};

// Reduces a tree's root-children claim to a claim on its leaves: on kOk,
// point[0..depth) holds the leaf point and *p, *q the claimed leaf MLE values.
template <class F, class E, class H>
LogupStatus verify_fraction_tree(Transcript<H>& t, const LogupStatement<F>& st, uint32_t depth,
                                 std::span<const E> root_children, ProofCursor<E>& cur, E* point, E* p, E* q) {
  const E tau0 = t.template challenge<E>("logup.tau");
  point[0] = tau0;
  *p = root_children[0] + tau0 * (root_children[1] - root_children[0]);
  *q = root_children[2] + tau0 * (root_children[3] - root_children[2]);
  for (uint32_t s = 1; s < depth; ++s) {
    const E lambda = t.template challenge<E>("logup.lambda");
    const SumcheckShape shape{s, kLogupLayerDegree};
    const std::span<const E> rounds = cur.rounds.first(size_t{s} * kLogupLayerDegree);
    cur.rounds = cur.rounds.subspan(rounds.size());
    const SumcheckMaskMessages<E>* mask = nullptr;
    if (st.zero_knowledge) {
      mask = &cur.masks[cur.step];
      if (mask->handle.id != st.first_mask.id + cur.step) return LogupStatus::kBadMaskHandle;
    }
    std::array<E, kMaxClaimVariables> r{};
    SumcheckVerifierOutput<E> out;
    out.point = std::span<E>(r.data(), s);
    if (verify_sumcheck<E>(t, shape, *p + lambda * *q, rounds, mask, &out) != SumcheckStatus::kOk)
      return LogupStatus::kLayerSumcheckRejected;
    if (mask != nullptr) cur.mask_claims[cur.step] = out.mask_claim;

    const std::span<const E> ch = cur.children.first(4);
    cur.children = cur.children.subspan(4);
    t.absorb_fields("logup.children", ch.data(), ch.size());
    const E eq = eq_eval<E>(std::span<const E>(point, s), std::span<const E>(r.data(), s));
    if (out.final_claim != eq * layer_summand(ch.data(), lambda)) return LogupStatus::kLayerMismatch;

    // Layer s+1 indexes children as x + 2^s c: the new variable is the top one.
    const E tau = t.template challenge<E>("logup.tau");
    for (uint32_t j = 0; j < s; ++j) point[j] = r[j];
    point[s] = tau;
    *p = ch[0] + tau * (ch[1] - ch[0]);
    *q = ch[2] + tau * (ch[3] - ch[2]);
    ++cur.step;
  }
  return LogupStatus::kOk;
}

}  // namespace logup_detail

// Verifies a LogUp-GKR proof (docs/PROTOCOL.md §5). The transcript must have
// absorbed the commitments of the witness columns and multiplicities. On kOk,
// out holds the pending claims the commitment scheme must discharge: one per
// witness column, one on the multiplicities, and (zero knowledge) one per
// layer mask; out->mask_claims must have exactly that many entries.
template <class F, class E, class H>
[[nodiscard]] LogupStatus verify_logup(Transcript<H>& transcript, const LogupStatement<F>& st,
                                       const LogupProofView<E>& proof, LogupVerifierOutput<E>* out) {
  if (const LogupStatus s = check_logup_statement<F, E>(st); s != LogupStatus::kOk) return s;
  const LogupProofLengths len = logup_proof_lengths(st);
  if (proof.root_children.size() != len.root_children || proof.layer_rounds.size() != len.layer_rounds ||
      proof.layer_children.size() != len.layer_children || proof.layer_masks.size() != len.layer_masks ||
      proof.column_evaluations.size() != len.column_evaluations)
    return LogupStatus::kWrongProofLength;
  if (out->mask_claims.size() != len.layer_masks) return LogupStatus::kWrongOutputLength;

  logup_absorb_statement(transcript, st);
  E alpha, beta;
  logup_draw_challenges(transcript, st.table.num_columns, &alpha, &beta);
  out->alpha = alpha;
  out->beta = beta;

  transcript.absorb_fields("logup.root_children", proof.root_children.data(), proof.root_children.size());
  if (const LogupStatus s = check_logup_roots<E>(proof.root_children); s != LogupStatus::kOk) return s;

  logup_detail::ProofCursor<E> cur{proof.layer_rounds, proof.layer_children, proof.layer_masks, out->mask_claims, 0};
  std::array<E, kMaxClaimVariables> zw{}, zt{};
  E pw, qw, pt, qt;
  if (const LogupStatus s = logup_detail::verify_fraction_tree<F, E>(transcript, st, st.num_vars,
                                                                     proof.root_children.first(4), cur, zw.data(),
                                                                     &pw, &qw);
      s != LogupStatus::kOk)
    return s;
  if (const LogupStatus s = logup_detail::verify_fraction_tree<F, E>(transcript, st, st.table.log_size,
                                                                     proof.root_children.subspan(4), cur, zt.data(),
                                                                     &pt, &qt);
      s != LogupStatus::kOk)
    return s;

  // Leaves. Witness: p = selector of the first N entries, q = alpha - sum_l beta^l w~^l.
  const std::span<const E> zw_span(zw.data(), st.num_vars);
  const std::span<const E> zt_span(zt.data(), st.table.log_size);
  transcript.absorb_fields("logup.column_evals", proof.column_evaluations.data(), proof.column_evaluations.size());
  if (pw != selector_mle<E>(st.num_lookups, zw_span)) return LogupStatus::kSelectorMismatch;
  E compressed = E::zero(), pw_beta = E::one();
  for (const E& v : proof.column_evaluations) {
    compressed += pw_beta * v;
    pw_beta *= beta;
  }
  if (qw != alpha - compressed) return LogupStatus::kWitnessMismatch;
  // Table: q = alpha - sum_l beta^l t~^l, evaluated here; p = m~, a pending claim.
  if (qt != alpha - compressed_table_mle<F, E>(st.table, beta, zt_span)) return LogupStatus::kTableMismatch;

  for (uint32_t l = 0; l < st.table.num_columns; ++l)
    if (!PendingClaim<E>::make_evaluation(st.witness[l], zw_span, proof.column_evaluations[l],
                                          &out->witness_claims[l]))
      return LogupStatus::kBadShape;
  if (!PendingClaim<E>::make_evaluation(st.multiplicities, zt_span, pt, &out->multiplicity_claim))
    return LogupStatus::kBadTable;
  return LogupStatus::kOk;
}

// ---- Soundness (docs/PROTOCOL.md §5.4) --------------------------------------

// Number of field elements whose vanishing makes a false statement pass, over
// |E|: beta collisions, alpha roots, and every layer of both trees.
inline double logup_soundness_numerator(uint32_t num_vars, uint32_t table_log_size, uint32_t num_columns,
                                        bool zero_knowledge) {
  auto tree = [](double d) { return 1.0 + (3.0 * d * (d - 1) / 2.0 + 2.0 * (d - 1)); };
  const double n = num_vars, k = table_log_size;
  const double beta_term = (num_columns - 1.0) * std::ldexp(1.0, static_cast<int>(table_log_size));
  const double alpha_term = std::ldexp(1.0, static_cast<int>(num_vars)) + std::ldexp(1.0, static_cast<int>(table_log_size));
  const double zk_term = zero_knowledge ? (n - 1) + (k - 1) : 0.0;
  return beta_term + alpha_term + tree(n) + tree(k) + zk_term;
}

}  // namespace zkpot
