// The sumcheck prover for sums of products of multilinear polynomials
// (docs/PROTOCOL.md §3, §4):
//   sum_{x in {0,1}^n} w(x) * sum_t c_t prod_{k in S_t} P_k(x),
// with w = 1 or w = eq(z, x) for a point z (the eq-weighted variant used by
// LogUp-GKR and matrix products).
//
// Rounds 0 and 1 run on the base-field tables (round 1 evaluates the products
// at x_0 = 0..deg in the base field and interpolates at r_0); round 2 binds
// x_0 and x_1 at once into extension tables, and each later round folds the
// previous level while it evaluates the current one (one pass over memory per
// round). x_0 is bound first, so a round
// reads pairs (2i, 2i+1) (common/multilinear.h). The eq weight is never
// materialised: eq(z_{>j}, .) is split into two tables of about 2^(n/2) entries
// (low and high variables), and the factor eq(z_j, X) of the current variable is
// applied to the round polynomial afterwards (Gruen), so it costs no degree in
// the inner loop.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "common/claims.h"
#include "common/multilinear.h"
#include "common/sumcheck.h"
#include "common/transcript.h"
#include "prover/parallel.h"
#include "prover/rng.h"
#include "prover/sumcheck_round_kernel.h"

namespace zkpot {

// The statement of one sumcheck. Tables are not owned; each has 2^num_vars
// entries in hypercube order.
template <class F, class E>
struct SumOfProducts {
  uint32_t num_vars = 0;
  std::vector<std::span<const F>> tables;
  std::vector<ProductTerm<E>> terms;
  std::vector<E> eq_point;  // empty, or num_vars coordinates z: weight eq(z, x)

  uint32_t degree() const {
    return terms_degree<E>(std::span<const ProductTerm<E>>(terms)) + (eq_point.empty() ? 0u : 1u);
  }
  SumcheckShape shape() const { return SumcheckShape{num_vars, degree()}; }

  // Throws std::invalid_argument on any inconsistency.
  void validate() const {
    if (check_shape(shape()) != SumcheckStatus::kOk)
      throw std::invalid_argument("sumcheck: bad shape (num_vars " + std::to_string(num_vars) + ", degree " +
                                  std::to_string(degree()) + ")");
    if (check_terms<E>(std::span<const ProductTerm<E>>(terms), tables.size()) != SumcheckStatus::kOk)
      throw std::invalid_argument("sumcheck: bad product terms");
    for (const auto& t : tables)
      if (t.size() != (size_t{1} << num_vars)) throw std::invalid_argument("sumcheck: table size is not 2^num_vars");
    if (!eq_point.empty() && eq_point.size() != num_vars)
      throw std::invalid_argument("sumcheck: eq point has the wrong length");
  }
};

// The Libra mask G(X) = sum_i g_i(X_i), deg g_i = degree (docs/PROTOCOL.md §4).
// coeffs[i * (degree + 1) + k] is the coefficient of X_i^k in g_i, the layout
// that ClaimKind::kLibraMaskSum claims refer to.
template <class E>
struct LibraMask {
  CommitmentHandle handle{};
  uint32_t num_vars = 0;
  uint32_t degree = 0;
  std::vector<E> coeffs;

  E g(uint32_t i, const E& x) const {
    E v = E::zero();
    for (uint32_t k = degree + 1; k-- > 0;) v = v * x + coeffs[size_t{i} * (degree + 1) + k];
    return v;
  }
  // sigma_G = 2^(n-1) sum_i (g_i(0) + g_i(1)).
  E sum() const {
    E s = E::zero();
    for (uint32_t i = 0; i < num_vars; ++i) s += g(i, E::zero()) + g(i, E::one());
    return s * E::from_u64(uint64_t{1} << (num_vars - 1));
  }
};

template <class E>
LibraMask<E> sample_libra_mask(ProverRng& rng, CommitmentHandle handle, uint32_t num_vars, uint32_t degree) {
  if (num_vars == 0 || num_vars > kMaxSumcheckVariables || degree == 0 || degree > kMaxSumcheckDegree)
    throw std::invalid_argument("sample_libra_mask: bad shape");
  LibraMask<E> m;
  m.handle = handle;
  m.num_vars = num_vars;
  m.degree = degree;
  m.coeffs.resize(size_t{num_vars} * (degree + 1));
  for (E& c : m.coeffs) c = rng.field<E>();
  return m;
}

// A sumcheck proof: num_vars * degree round values (docs/PROTOCOL.md §3), and
// with zero knowledge the mask messages.
template <class E>
struct SumcheckProof {
  std::vector<E> round_messages;
  std::optional<SumcheckMaskMessages<E>> mask;

  // Canonical bytes: every round value, then (with a mask) handle, sum and
  // evaluation; for golden tests and proof-size accounting.
  std::vector<uint8_t> to_bytes() const {
    std::vector<uint8_t> out;
    uint8_t buf[E::kEncodedBytes];
    auto put = [&](const E& x) {
      x.encode(buf);
      out.insert(out.end(), buf, buf + E::kEncodedBytes);
    };
    for (const E& x : round_messages) put(x);
    if (mask) {
      for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(mask->handle.id >> (8 * i)));
      put(mask->sum);
      put(mask->evaluation);
    }
    return out;
  }
};

template <class E>
struct SumcheckProverOutput {
  SumcheckProof<E> proof;
  std::vector<E> point;               // r_0, ..., r_{n-1}
  E final_claim{};                    // the unmasked summand at r (with its eq weight)
  std::vector<E> factor_evaluations;  // P_k(r) for every table k
  std::optional<PendingClaim<E>> mask_claim;
};

namespace sumcheck_detail {

// Uninitialised storage for folded tables: a fresh table is always written
// before it is read, so zero-filling hundreds of megabytes would be waste.
template <class E>
class FoldBuffer {
 public:
  FoldBuffer() = default;
  FoldBuffer(const FoldBuffer&) = delete;
  FoldBuffer& operator=(const FoldBuffer&) = delete;
  FoldBuffer(FoldBuffer&& o) noexcept : data_(o.data_), cap_(o.cap_) {
    o.data_ = nullptr;
    o.cap_ = 0;
  }
  FoldBuffer& operator=(FoldBuffer&& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(cap_, o.cap_);
    return *this;
  }
  ~FoldBuffer() { release(); }

  E* reserve(size_t n) {
    if (n > cap_) {
      release();
      data_ = std::allocator<E>().allocate(n);
      cap_ = n;
    }
    return data_;
  }

 private:
  void release() {
    if (data_ != nullptr) std::allocator<E>().deallocate(data_, cap_);
    data_ = nullptr;
    cap_ = 0;
  }
  E* data_ = nullptr;
  size_t cap_ = 0;
};

// Calls f.template operator()<NP, Skip1>() for runtime np in [1, kMaxSumcheckDegree + 1].
template <bool Skip1, class Fn>
void dispatch_points(unsigned np, Fn&& f) {
  switch (np) {
    case 1: f.template operator()<1, Skip1>(); break;
    case 2: f.template operator()<2, Skip1>(); break;
    case 3: f.template operator()<3, Skip1>(); break;
    case 4: f.template operator()<4, Skip1>(); break;
    case 5: f.template operator()<5, Skip1>(); break;
    case 6: f.template operator()<6, Skip1>(); break;
    case 7: f.template operator()<7, Skip1>(); break;
    case 8: f.template operator()<8, Skip1>(); break;
    case 9: f.template operator()<9, Skip1>(); break;
    default: throw std::logic_error("sumcheck: unsupported number of evaluation points");
  }
}

}  // namespace sumcheck_detail

// Holds the folding buffers so that repeated proofs reuse their memory.
template <class F, class E>
class SumcheckProver {
 public:
  // Proves sum = claimed_sum. With mask != nullptr the proof is zero knowledge
  // (docs/PROTOCOL.md §4); the mask must have the statement's shape. The
  // transcript must be in the same state as the verifier's.
  template <class H>
  SumcheckProverOutput<E> prove(Transcript<H>& transcript, const SumOfProducts<F, E>& poly, const E& claimed_sum,
                                const LibraMask<E>* mask);

 private:
  // Round 1 runs on the base-field grid (sumcheck_round_kernel.h) when the
  // tables are in a proper subfield; with F = E folding first is cheaper.
  static constexpr bool kGridRound1 = !std::is_same_v<F, E>;
  // Unweighted sums of degree <= this (and n >= 3) take rounds 0-2 from one
  // pass over the base tables. The grid grows as (degree + 1)^2: at degree 3
  // the pass was no faster than grid round 1 plus the two-variable bind in
  // the runs made (bench/README.md), so it stops at degree 2.
  static constexpr unsigned kMaxFusedDegree = 2;

  // totals[t * NP + p]: the sum over the round's pairs of term t's product at
  // point p (eq-weighted when eq_hi is given).
  template <unsigned NP, class T, class FillBlock>
  void evaluate_round(size_t num_pairs, size_t num_factors, const SumOfProducts<F, E>& poly,
                      const FillBlock& fill_block, const E* eq_lo, const E* eq_hi, unsigned lo_bits,
                      std::vector<E>* totals);

  std::vector<sumcheck_detail::FoldBuffer<E>> odd_, even_;  // level j tables: odd j, even j >= 2
};

// One-shot helpers. Zero knowledge is on by default: options.zero_knowledge =
// false is for tests and benchmarks only.
struct SumcheckProverOptions {
  bool zero_knowledge = true;
  CommitmentHandle mask_handle{};
};

template <class F, class E, class H>
SumcheckProverOutput<E> prove_sumcheck(Transcript<H>& transcript, const SumOfProducts<F, E>& poly,
                                       const E& claimed_sum, ProverRng& rng,
                                       const SumcheckProverOptions& options = {}) {
  SumcheckProver<F, E> prover;
  if (!options.zero_knowledge) return prover.prove(transcript, poly, claimed_sum, nullptr);
  const LibraMask<E> mask = sample_libra_mask<E>(rng, options.mask_handle, poly.num_vars, poly.degree());
  return prover.prove(transcript, poly, claimed_sum, &mask);
}

// The hypercube sum, computed directly (reference for tests and for callers
// that do not already hold the claim).
template <class F, class E>
E sum_over_hypercube(const SumOfProducts<F, E>& poly) {
  poly.validate();
  const size_t n = size_t{1} << poly.num_vars;
  std::vector<E> eq;
  if (!poly.eq_point.empty()) eq = eq_table<E>(std::span<const E>(poly.eq_point));
  const size_t chunks = parallel_chunk_count(n);
  std::vector<E> partial(chunks, E::zero());
  parallel_chunks(n, [&](size_t b, size_t e, size_t c) {
    E acc = E::zero();
    for (size_t x = b; x < e; ++x) {
      E s = E::zero();
      for (const ProductTerm<E>& t : poly.terms) {
        E p = t.coeff;
        for (uint32_t f = 0; f < t.num_factors; ++f) p = p * poly.tables[t.factors[f]][x];
        s += p;
      }
      acc += eq.empty() ? s : eq[x] * s;
    }
    partial[c] = acc;
  });
  E total = E::zero();
  for (const E& p : partial) total += p;
  return total;
}

}  // namespace zkpot

#include "prover/sumcheck_prover_impl.h"
