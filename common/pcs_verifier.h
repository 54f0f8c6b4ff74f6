// The verifier of the polynomial commitment scheme (docs/PROTOCOL.md §9):
// WHIR in the Johnson regime, with the zero-knowledge layout of §9.4.
//
// Runs inside a bounded Arena (common/arena.h): pcs_verifier_scratch_bytes()
// says how much a layout needs, and verification allocates nothing else. It
// never throws: every malformed or inconsistent proof gives a PcsStatus that
// names the first check that failed.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <type_traits>

#include "common/arena.h"
#include "common/extension.h"
#include "common/merkle.h"
#include "common/pcs_maths.h"
#include "common/pcs_params.h"
#include "common/pcs_proof.h"
#include "common/sumcheck.h"
#include "common/transcript.h"

namespace zkpot {

enum class PcsStatus : uint8_t {
  kOk = 0,
  kParameterMismatch,     // proof or commitment made under another parameter set / layout
  kMalformedProof,        // a stream too short or too long, or an invalid layout
  kBadClaim,              // a claim that does not fit the commitment (slot, arity, count)
  kOutOfDomainMismatch,   // the commitment's out-of-domain points are not the ones its root determines
  kMerklePathFailure,     // opened leaves do not authenticate against the round's root
  kProofOfWorkFailure,    // a grinding nonce does not meet the round's bits
  kWrongFolding,          // a folded leaf disagrees with the final polynomial
  kWrongValue,            // the final sumcheck equation fails: the claimed values are not the committed ones
  kScratchTooSmall,       // the arena is smaller than pcs_verifier_scratch_bytes()
};

inline const char* pcs_status_name(PcsStatus s) {
  switch (s) {
    case PcsStatus::kOk: return "ok";
    case PcsStatus::kParameterMismatch: return "parameter mismatch";
    case PcsStatus::kMalformedProof: return "malformed proof (length)";
    case PcsStatus::kBadClaim: return "claim does not fit the commitment";
    case PcsStatus::kOutOfDomainMismatch: return "out-of-domain point mismatch";
    case PcsStatus::kMerklePathFailure: return "Merkle path failure";
    case PcsStatus::kProofOfWorkFailure: return "proof-of-work failure";
    case PcsStatus::kWrongFolding: return "wrong folding";
    case PcsStatus::kWrongValue: return "wrong value";
    case PcsStatus::kScratchTooSmall: return "scratch too small";
  }
  return "unknown";
}

// Arena arrays of field elements. Arena::allocate requires a noexcept default
// constructor, which Extension<> does not declare; the storage is taken as
// aligned bytes and the elements are value-initialised here (they never throw).
template <class T>
std::span<T> pcs_arena_array(Arena& arena, size_t n) {
  static_assert(std::is_trivially_destructible_v<T>, "the arena runs no destructors");
  if (n == 0) return {};
  if (n > SIZE_MAX / sizeof(T)) {
    (void)arena.allocate_aligned<unsigned char>(arena.remaining() + 1, 1);  // fails: records it
    return {};
  }
  const std::span<unsigned char> bytes = arena.allocate_aligned<unsigned char>(n * sizeof(T), alignof(T));
  if (bytes.data() == nullptr) return {};
  T* p = reinterpret_cast<T*>(bytes.data());
  std::uninitialized_value_construct_n(p, n);
  return std::span<T>(p, n);
}

// Reads the proof streams in order; every read is bounds-checked.
template <class F, class E>
class PcsProofCursor {
 public:
  using Digest = Blake2b256::Digest;
  explicit PcsProofCursor(const PcsProofView<F, E>& p) : p_(p) {}
  bool ext(size_t n, std::span<const E>* out) { return take(p_.ext, &ext_, n, out); }
  bool base(size_t n, std::span<const F>* out) { return take(p_.base, &base_, n, out); }
  bool digests(size_t n, std::span<const Digest>* out) { return take(p_.digests, &dig_, n, out); }
  bool salts(size_t n, std::span<const MerkleSalt>* out) { return take(p_.salts, &salt_, n, out); }
  bool nonce(uint64_t* out) {
    std::span<const uint64_t> s;
    if (!take(p_.nonces, &nonce_, 1, &s)) return false;
    *out = s[0];
    return true;
  }
  bool all_consumed() const {
    return ext_ == p_.ext.size() && base_ == p_.base.size() && dig_ == p_.digests.size() &&
           salt_ == p_.salts.size() && nonce_ == p_.nonces.size();
  }

 private:
  template <class T>
  static bool take(std::span<const T> all, size_t* pos, size_t n, std::span<const T>* out) {
    if (n > all.size() - *pos) return false;
    *out = all.subspan(*pos, n);
    *pos += n;
    return true;
  }
  PcsProofView<F, E> p_;
  size_t ext_ = 0, base_ = 0, dig_ = 0, salt_ = 0, nonce_ = 0;
};

// A linear constraint on the polynomial of the round it was added in
// (variables start..m-1): sum_b P^(b) w(b) = value, P^ the multilinear
// polynomial whose monomial coefficients are committed, and w a tensor
// product prod_j w_j(b_j) (docs/PROTOCOL.md §9.1):
//   kTableClaim: the table's multilinear extension at z, w_j = (1 - 2 z_j, z_j);
//   kPowExt / kPowBase: the univariate value at x (out-of-domain in K, shift
//   query in F), w_j = (1 - x^(2^j), x^(2^j)), i.e. eq(pow(x), b).
template <class F, class E>
struct PcsConstraint {
  enum Kind : uint8_t { kTableClaim = 0, kPowExt = 1, kPowBase = 2 };
  E coeff{};
  uint32_t start = 0;
  Kind kind = kTableClaim;
  const E* point = nullptr;  // kTableClaim: m - start coordinates
  E ext_x{};
  F base_x{};

  // w_j(0) and w_j(1) for variable start + j.
  void factors(uint32_t j, E* w0, E* w1) const {
    E x;
    if (kind == kTableClaim) {
      x = point[j];
      *w0 = E::one() - x - x;
    } else {
      x = kind == kPowExt ? pcs_pow2k(ext_x, j) : E(pcs_pow2k(base_x, j));
      *w0 = E::one() - x;
    }
    *w1 = x;
  }
};

namespace pcs_detail {

// Largest number of distinct queries, and total constraints, of an instance.
inline uint64_t max_queries(const WhirSchedule& s) {
  uint64_t q = 0;
  for (uint32_t j = 0; j < s.num_rounds; ++j) q = s.rounds[j].queries > q ? s.rounds[j].queries : q;
  return q;
}
inline uint64_t max_constraints(const WhirSchedule& s, uint64_t initial) {
  uint64_t c = initial;
  for (uint32_t j = 0; j + 1 < s.num_rounds; ++j) c += s.rounds[j].queries + s.rounds[j].next_ood;
  return c;
}

template <class F, class E>
size_t whir_scratch_bytes(const WhirSchedule& s, uint64_t initial) {
  const uint64_t q = max_queries(s);
  uint32_t kmax = 0;
  for (uint32_t j = 0; j < s.num_rounds; ++j) kmax = s.rounds[j].fold_bits > kmax ? s.rounds[j].fold_bits : kmax;
  size_t b = Arena::bytes_for<E>(s.spec.num_vars);                                        // r
  b = Arena::add_sizes(b, Arena::bytes_for<PcsConstraint<F, E>>(max_constraints(s, initial)));
  b = Arena::add_sizes(b, Arena::bytes_for<E>(max_constraints(s, initial)));                // values
  b = Arena::add_sizes(b, Arena::bytes_for<uint64_t>(q));                                  // indices
  b = Arena::add_sizes(b, Arena::bytes_for<uint64_t>(q));                                  // sort order
  b = Arena::add_sizes(b, Arena::bytes_for<uint64_t>(q));                                  // distinct leaves
  b = Arena::add_sizes(b, MerkleScratch<Blake2b256>::bytes_for(q));
  b = Arena::add_sizes(b, Arena::bytes_for<E>(q));                                         // folds
  b = Arena::add_sizes(b, Arena::bytes_for<E>(size_t{1} << kmax));                          // fold work
  b = Arena::add_sizes(b, Arena::bytes_for<E>(size_t{1} << s.final_vars));                  // final eval work
  return b;
}

// Verifies one WHIR instance (docs/PROTOCOL.md §9.2) for the constraints
// cons[0, n_initial) with values vals[0, n_initial): cons and vals must have
// room for max_constraints(s, n_initial) entries.
template <class F, class E, class H>
PcsStatus whir_verify(Transcript<H>& t, const WhirSchedule& s, const typename H::Digest& root0, MerkleHiding hiding,
                      std::span<PcsConstraint<F, E>> cons, std::span<E> vals, size_t n_initial,
                      PcsProofCursor<F, E>& cur, Arena& arena) {
  using Digest = typename H::Digest;
  const uint32_t m = s.spec.num_vars;
  std::span<E> r = pcs_arena_array<E>(arena, m);
  if (!arena.ok()) return PcsStatus::kScratchTooSmall;
  // Initial combination: W_0 = sum_i gamma^i eq(pt_i, .), claim = sum_i gamma^i v_i.
  const E gamma0 = t.template challenge<E>("pcs.gamma");
  E claim = E::zero(), g = E::one();
  for (size_t i = 0; i < n_initial; ++i) {
    cons[i].coeff = g;
    claim += g * vals[i];
    g *= gamma0;
  }
  size_t n_cons = n_initial;
  const LagrangeKernel<E> kernel(kPcsSumcheckDegree);
  const F shift_inv = F::from_u64(s.spec.domain_shift).inverse();
  Digest root = root0;
  uint32_t bound = 0;  // variables folded so far
  std::span<const E> final_coeffs;
  for (uint32_t j = 0; j < s.num_rounds; ++j) {
    const WhirRound& rd = s.rounds[j];
    const bool last = j + 1 == s.num_rounds;
    // Sumcheck: k_j rounds of degree 2.
    for (uint32_t i = 0; i < rd.fold_bits; ++i) {
      std::span<const E> msg;
      if (!cur.ext(kPcsSumcheckDegree, &msg)) return PcsStatus::kMalformedProof;
      E next;
      if (sumcheck_round(t, kernel, msg, claim, &r[bound + i], &next) != SumcheckStatus::kOk)
        return PcsStatus::kMalformedProof;
      claim = next;
    }
    const std::span<const E> rj = r.subspan(bound, rd.fold_bits);
    bound += rd.fold_bits;
    // The next oracle (or the final polynomial), then its out-of-domain answers.
    Digest next_root{};
    const size_t ood_begin = n_cons;
    if (!last) {
      std::span<const Digest> d;
      if (!cur.digests(1, &d)) return PcsStatus::kMalformedProof;
      next_root = d[0];
      t.absorb_digest("pcs.round.root", next_root);
      std::span<const E> ans;
      if (!cur.ext(rd.next_ood, &ans)) return PcsStatus::kMalformedProof;
      for (uint32_t o = 0; o < rd.next_ood; ++o) {
        PcsConstraint<F, E>& c = cons[n_cons];
        c = PcsConstraint<F, E>{};
        c.kind = PcsConstraint<F, E>::kPowExt;
        c.start = bound;
        c.ext_x = t.template challenge<E>("pcs.round.ood");
        vals[n_cons++] = ans[o];
      }
      t.absorb_fields("pcs.round.ood.ans", ans.data(), ans.size());
    } else {
      if (!cur.ext(size_t{1} << s.final_vars, &final_coeffs)) return PcsStatus::kMalformedProof;
      t.absorb_fields("pcs.final", final_coeffs.data(), final_coeffs.size());
    }
    // Grinding, then the queries into this round's codeword.
    if (rd.pow_bits > 0) {
      (void)t.challenge_index("pcs.pow", 64);
      uint64_t nonce = 0;
      if (!cur.nonce(&nonce)) return PcsStatus::kMalformedProof;
      if (!pcs_pow_ok<H>(t.chaining_value(), nonce, rd.pow_bits)) return PcsStatus::kProofOfWorkFailure;
      t.absorb_u64("pcs.pow.nonce", nonce);
    }
    // Openings: one leaf (and salt) per drawn query, in drawn order, so the
    // proof's length does not depend on collisions; siblings for the distinct
    // leaves (docs/PROTOCOL.md §9.3).
    const Arena::Mark mark = arena.mark();
    std::span<uint64_t> idx = arena.allocate<uint64_t>(rd.queries);
    std::span<uint64_t> order = arena.allocate<uint64_t>(rd.queries);
    std::span<uint64_t> qidx_store = arena.allocate<uint64_t>(rd.queries);
    const MerkleScratch<H> ms = MerkleScratch<H>::allocate(arena, rd.queries);
    std::span<E> folds = pcs_arena_array<E>(arena, rd.queries);
    std::span<E> work = pcs_arena_array<E>(arena, size_t{1} << rd.fold_bits);
    if (!arena.ok()) return PcsStatus::kScratchTooSmall;
    t.challenge_indices("pcs.query", rd.log_rows(), idx.data(), idx.size());
    const size_t width = size_t{1} << rd.fold_bits;
    std::span<const MerkleSalt> salts;
    if (hiding == MerkleHiding::kSalted && !cur.salts(rd.queries, &salts)) return PcsStatus::kMalformedProof;
    std::span<const E> ext_rows;
    std::span<const F> base_rows;
    if (j == 0 ? !cur.base(size_t{rd.queries} * width, &base_rows) : !cur.ext(size_t{rd.queries} * width, &ext_rows))
      return PcsStatus::kMalformedProof;
    auto leaf_digest = [&](size_t qi) {
      if (j == 0) {
        const std::span<const F> row = base_rows.subspan(qi * width, width);
        return hiding == MerkleHiding::kSalted ? merkle_row_digest<H, F>(salts[qi], row) : merkle_row_digest<H, F>(row);
      }
      const std::span<const E> row = ext_rows.subspan(qi * width, width);
      return hiding == MerkleHiding::kSalted ? merkle_row_digest<H, E>(salts[qi], row) : merkle_row_digest<H, E>(row);
    };
    // Sort (leaf, query) pairs; repeated leaves must carry identical openings.
    for (size_t i = 0; i < rd.queries; ++i) order[i] = (idx[i] << 32) | i;
    std::sort(order.begin(), order.end());
    // Leaf digests four at a time (merkle_row_digests4), taken before the
    // loop below rewrites order[q] for q <= i.
    Digest group[4];
    uint64_t group_order[4];
    size_t group_begin = 0, group_size = 0;
    auto digest_at = [&](size_t i) {
      if (i >= group_begin + group_size) {
        group_begin = i;
        group_size = rd.queries - i < 4 ? rd.queries - i : 4;
        for (size_t u = 0; u < group_size; ++u) group_order[u] = order[i + u];
        if (group_size == 4) {
          size_t qis[4];
          for (size_t u = 0; u < 4; ++u) qis[u] = static_cast<size_t>(group_order[u] & 0xFFFFFFFFu);
          MerkleSalt salt4[4];
          if (hiding == MerkleHiding::kSalted)
            for (size_t u = 0; u < 4; ++u) salt4[u] = salts[qis[u]];
          const MerkleSalt* sp = hiding == MerkleHiding::kSalted ? salt4 : nullptr;
          if (j == 0) {
            std::span<const F> rows4[4];
            for (size_t u = 0; u < 4; ++u) rows4[u] = base_rows.subspan(qis[u] * width, width);
            merkle_row_digests4<H, F>(sp, rows4, group);
          } else {
            std::span<const E> rows4[4];
            for (size_t u = 0; u < 4; ++u) rows4[u] = ext_rows.subspan(qis[u] * width, width);
            merkle_row_digests4<H, E>(sp, rows4, group);
          }
        } else {
          for (size_t u = 0; u < group_size; ++u)
            group[u] = leaf_digest(static_cast<size_t>(group_order[u] & 0xFFFFFFFFu));
        }
      }
      return group[i - group_begin];
    };
    size_t q = 0;
    for (size_t i = 0; i < rd.queries; ++i) {
      const Digest d = digest_at(i);
      const uint64_t leaf = group_order[i - group_begin] >> 32;
      const size_t qi = static_cast<size_t>(group_order[i - group_begin] & 0xFFFFFFFFu);
      if (q > 0 && qidx_store[q - 1] == leaf) {
        if (d != ms.digests[q - 1]) return PcsStatus::kMerklePathFailure;
        continue;
      }
      qidx_store[q] = leaf;
      ms.digests[q] = d;
      order[q] = qi;  // first query that opened this leaf
      ++q;
    }
    const std::span<const uint64_t> qidx(qidx_store.data(), q);
    size_t n_sib = 0;
    if (merkle_multi_sibling_count(rd.log_rows(), qidx, ms.positions, &n_sib) != MerkleStatus::kOk)
      return PcsStatus::kMalformedProof;
    std::span<const Digest> sib;
    if (!cur.digests(n_sib, &sib)) return PcsStatus::kMalformedProof;
    if (merkle_verify_multi_path_in_place<H>(root, rd.log_rows(), qidx, ms.digests.first(q), sib, ms.positions) !=
        MerkleStatus::kOk)
      return PcsStatus::kMerklePathFailure;
    // Domain points and twiddles tabulated once for the round (pcs_maths.h).
    const PcsLeafPoints<F> points(s.spec.domain_shift, shift_inv, rd.log_domain, rd.fold_bits);
    const bool tabulated = PcsLeafFolder<F>::supports(rd.fold_bits);
    const PcsLeafFolder<F> folder(tabulated ? rd.fold_bits : 0);
    for (size_t i = 0; i < q; ++i) {
      const F y_inv = points.inverse(qidx[i]);
      const size_t qi = static_cast<size_t>(order[i]);
      if (tabulated)
        folds[i] = j == 0 ? folder.template fold<E, F>(base_rows.subspan(qi * width, width), y_inv, rj, work)
                          : folder.template fold<E, E>(ext_rows.subspan(qi * width, width), y_inv, rj, work);
      else
        folds[i] = j == 0 ? pcs_fold_leaf<F, E, F>(base_rows.subspan(qi * width, width), rd.fold_bits, y_inv, rj, work)
                          : pcs_fold_leaf<F, E, E>(ext_rows.subspan(qi * width, width), rd.fold_bits, y_inv, rj, work);
    }
    if (!last) {
      // Shift constraints at x = Y^(2^k), then one combination challenge.
      for (size_t i = 0; i < q; ++i) {
        PcsConstraint<F, E>& c = cons[n_cons];
        c = PcsConstraint<F, E>{};
        c.kind = PcsConstraint<F, E>::kPowBase;
        c.start = bound;
        c.base_x = pcs_pow2k(points.point(qidx[i]), rd.fold_bits);
        vals[n_cons++] = folds[i];
      }
      const E gamma = t.template challenge<E>("pcs.round.gamma");
      E gp = gamma;
      for (size_t i = ood_begin; i < n_cons; ++i) {
        cons[i].coeff = gp;
        claim += gp * vals[i];
        gp *= gamma;
      }
      root = next_root;
    } else {
      for (size_t i = 0; i < q; ++i) {
        const F x = pcs_pow2k(points.point(qidx[i]), rd.fold_bits);
        if (pcs_univariate_eval<E, F>(final_coeffs, x) != folds[i]) return PcsStatus::kWrongFolding;
      }
    }
    if (!arena.release(mark)) return PcsStatus::kScratchTooSmall;
  }
  // Final check: claim = sum_b P_R^(b) W(r, b). For one tensor weight,
  // sum_b P_R^(b) prod_j w_j(b_j) = sum_a d_a prod_j (a_j ? w_j(1) : w_j(0) + w_j(1))
  // over the sent coefficients d (docs/PROTOCOL.md §9.2).
  std::span<E> work = pcs_arena_array<E>(arena, size_t{1} << s.final_vars);
  if (!arena.ok()) return PcsStatus::kScratchTooSmall;
  E total = E::zero();
  for (size_t i = 0; i < n_cons; ++i) {
    const PcsConstraint<F, E>& c = cons[i];
    E w = c.coeff, w0, w1;
    if (c.kind != PcsConstraint<F, E>::kTableClaim) {
      // Power weights w_j = (1 - x_j, x_j), x_j = x^(2^j): each bound factor is
      // (1 - r) + x_j (2r - 1), and the final part is the univariate value of
      // P_R at x^(2^(bound - start)) (w_j(0) + w_j(1) = 1), by Horner: the same
      // value as the generic path below, with x in F where it is a query.
      if (c.kind == PcsConstraint<F, E>::kPowBase) {
        F x = c.base_x;
        for (uint32_t v = c.start; v < bound; ++v, x = x * x) w *= (E::one() - r[v]) + (r[v] + r[v] - E::one()) * x;
        total += w * pcs_univariate_eval<E, F>(final_coeffs, x);
      } else {
        E x = c.ext_x;
        for (uint32_t v = c.start; v < bound; ++v, x = x * x) w *= (E::one() - r[v]) + (r[v] + r[v] - E::one()) * x;
        total += w * pcs_univariate_eval<E, E>(final_coeffs, x);
      }
      continue;
    }
    for (uint32_t v = c.start; v < bound; ++v) {
      c.factors(v - c.start, &w0, &w1);
      w *= w0 * (E::one() - r[v]) + w1 * r[v];
    }
    size_t len = size_t{1} << s.final_vars;
    for (size_t a = 0; a < len; ++a) work[a] = final_coeffs[a];
    for (uint32_t v = 0; v < s.final_vars; ++v) {
      c.factors(bound - c.start + v, &w0, &w1);
      const E sum = w0 + w1;
      len /= 2;
      for (size_t a = 0; a < len; ++a) work[a] = sum * work[2 * a] + w1 * work[2 * a + 1];
    }
    total += w * work[0];
  }
  if (total != claim) return PcsStatus::kWrongValue;
  return PcsStatus::kOk;
}

}  // namespace pcs_detail

// Arena bytes that pcs_verify needs for `num_claims` claims under `layout`.
template <class F = Goldilocks, class E = GlExt3>
size_t pcs_verifier_scratch_bytes(const PcsLayout& layout, size_t num_claims) {
  using namespace pcs_detail;
  const uint32_t m = layout.main.spec.num_vars;
  const uint64_t main_init = num_claims + layout.main.commit_ood;
  size_t b = Arena::bytes_for<E>(num_claims * size_t{m});  // full claim points
  b = Arena::add_sizes(b, whir_scratch_bytes<F, E>(layout.main, main_init));
  if (layout.params.zero_knowledge) {
    const uint64_t nmu = num_claims * uint64_t{layout.num_windows};
    b = Arena::add_sizes(b, Arena::bytes_for<E>(nmu * layout.helper.spec.num_vars));  // helper points
    b = Arena::add_sizes(b, whir_scratch_bytes<F, E>(layout.helper, nmu + layout.helper.commit_ood));
  }
  return b;
}

// Verifies a proof that the committed polynomials satisfy `claims`
// (docs/PROTOCOL.md §9.2-§9.4). The transcript is the caller's, at the point
// where the opening happens; it ends in the same state as the prover's.
template <class F = Goldilocks, class E = GlExt3, class H = Blake2b256>
[[nodiscard]] PcsStatus pcs_verify(Transcript<H>& t, const PcsLayout& layout, const PcsCommitment<E>& com,
                                   std::span<const PcsClaim<E>> claims, const PcsProofView<F, E>& proof,
                                   Arena& arena) {
  using namespace pcs_detail;
  if (!layout.valid) return PcsStatus::kParameterMismatch;
  const typename H::Digest ld = pcs_layout_digest(layout);
  if (proof.layout_digest != ld || com.layout_digest != ld) return PcsStatus::kParameterMismatch;
  const uint32_t m = layout.main.spec.num_vars;
  const bool zk = layout.params.zero_knowledge;
  if (com.num_vars != m || com.main_ood != layout.main.commit_ood || com.main_ood > kPcsMaxOod ||
      com.num_slots == 0 || com.num_slots > kPcsMaxSlots)
    return PcsStatus::kParameterMismatch;
  if (zk && (com.helper_ood != layout.helper.commit_ood || com.helper_ood > kPcsMaxOod))
    return PcsStatus::kParameterMismatch;
  if (claims.empty() || claims.size() > layout.params.max_claims) return PcsStatus::kBadClaim;
  std::array<uint64_t, kPcsMaxSlots> offsets{};
  if (!pcs_slot_offsets(m, std::span<const uint8_t>(com.slot_vars.data(), com.num_slots), offsets))
    return PcsStatus::kParameterMismatch;
  for (const PcsClaim<E>& c : claims)
    if (c.slot >= com.num_slots || c.point.size() != com.slot_vars[c.slot]) return PcsStatus::kBadClaim;
  // The out-of-domain points are the ones the roots determine.
  {
    std::array<E, kPcsMaxOod> pts{};
    pcs_commit_ood_points<E, H>(ld, com.main_root, false, std::span<E>(pts.data(), com.main_ood));
    for (uint32_t i = 0; i < com.main_ood; ++i)
      if (pts[i] != com.main_ood_points[i]) return PcsStatus::kOutOfDomainMismatch;
    if (zk) {
      pcs_commit_ood_points<E, H>(ld, com.helper_root, true, std::span<E>(pts.data(), com.helper_ood));
      for (uint32_t i = 0; i < com.helper_ood; ++i)
        if (pts[i] != com.helper_ood_points[i]) return PcsStatus::kOutOfDomainMismatch;
    }
  }
  pcs_absorb_commitment(t, com);
  pcs_absorb_claims(t, claims);

  PcsProofCursor<F, E> cur(proof);
  const size_t nc = claims.size();
  const uint32_t nw = zk ? layout.num_windows : 0;
  // Full points on the stacked table: the claim's point, then the bits of its
  // slot's block index.
  std::span<E> full = pcs_arena_array<E>(arena, nc * size_t{m});
  if (!arena.ok()) return PcsStatus::kScratchTooSmall;
  for (size_t i = 0; i < nc; ++i) {
    const PcsClaim<E>& c = claims[i];
    const uint32_t mi = com.slot_vars[c.slot];
    for (uint32_t v = 0; v < mi; ++v) full[i * m + v] = c.point[v];
    const uint64_t block = offsets[c.slot] >> mi;
    for (uint32_t v = mi; v < m; ++v) full[i * m + v] = ((block >> (v - mi)) & 1) ? E::one() : E::zero();
  }
  // Zero knowledge: mu_{c,w} = g_w(z_c restricted to W_w), absorbed before
  // any challenge of either run (docs/PROTOCOL.md §9.3, §9.4).
  std::span<const E> mu;
  if (zk) {
    if (!cur.ext(nc * nw, &mu)) return PcsStatus::kMalformedProof;
    t.absorb_fields("pcs.mu", mu.data(), mu.size());
  }
  {
    const uint64_t n_init = nc + layout.main.commit_ood;
    const uint64_t cap = max_constraints(layout.main, n_init);
    const Arena::Mark mark = arena.mark();
    std::span<PcsConstraint<F, E>> cons = pcs_arena_array<PcsConstraint<F, E>>(arena, cap);
    std::span<E> vals = pcs_arena_array<E>(arena, cap);
    if (!arena.ok()) return PcsStatus::kScratchTooSmall;
    size_t n = 0;
    for (uint32_t o = 0; o < com.main_ood; ++o) {
      cons[n].kind = PcsConstraint<F, E>::kPowExt;
      cons[n].ext_x = com.main_ood_points[o];
      vals[n++] = com.main_ood_answers[o];
    }
    for (size_t i = 0; i < nc; ++i) {
      cons[n].kind = PcsConstraint<F, E>::kTableClaim;
      cons[n].point = full.data() + i * m;
      E v = claims[i].value;
      for (uint32_t w = 0; w < nw; ++w) v += mu[i * nw + w];
      vals[n++] = v;
    }
    const MerkleHiding hiding = zk ? MerkleHiding::kSalted : MerkleHiding::kPublic;
    const PcsStatus st = whir_verify<F, E, H>(t, layout.main, com.main_root, hiding, cons, vals, n, cur, arena);
    if (st != PcsStatus::kOk) return st;
    if (!arena.release(mark)) return PcsStatus::kScratchTooSmall;
  }
  if (zk) {
    // Helper instance: G(window point of z_c, bits of g_w's block) = mu_{c,w}.
    const uint32_t mh = layout.helper.spec.num_vars;
    const uint64_t n_init = nc * nw + layout.helper.commit_ood;
    const uint64_t cap = max_constraints(layout.helper, n_init);
    std::span<E> hp = pcs_arena_array<E>(arena, nc * nw * size_t{mh});
    std::span<PcsConstraint<F, E>> cons = pcs_arena_array<PcsConstraint<F, E>>(arena, cap);
    std::span<E> vals = pcs_arena_array<E>(arena, cap);
    if (!arena.ok()) return PcsStatus::kScratchTooSmall;
    size_t n = 0;
    for (uint32_t o = 0; o < com.helper_ood; ++o) {
      cons[n].kind = PcsConstraint<F, E>::kPowExt;
      cons[n].ext_x = com.helper_ood_points[o];
      vals[n++] = com.helper_ood_answers[o];
    }
    for (size_t i = 0; i < nc; ++i)
      for (uint32_t w = 0; w < nw; ++w) {
        const PcsWindow& win = layout.windows[w];
        E* pt = hp.data() + (i * nw + w) * mh;
        for (uint32_t v = 0; v < win.width; ++v) pt[v] = full[i * m + win.start + v];
        const uint64_t block = win.offset >> win.width;
        for (uint32_t v = win.width; v < mh; ++v) pt[v] = ((block >> (v - win.width)) & 1) ? E::one() : E::zero();
        cons[n].kind = PcsConstraint<F, E>::kTableClaim;
        cons[n].point = pt;
        vals[n++] = mu[i * nw + w];
      }
    const PcsStatus st =
        whir_verify<F, E, H>(t, layout.helper, com.helper_root, MerkleHiding::kSalted, cons, vals, n, cur, arena);
    if (st != PcsStatus::kOk) return st;
  }
  if (!cur.all_consumed()) return PcsStatus::kMalformedProof;
  return PcsStatus::kOk;
}

}  // namespace zkpot
