// The inner loop of one sumcheck prover round (docs/PROTOCOL.md §3, "Prover"):
// over a range of pairs, fold the previous level with r_{j-1} (writing this
// level's tables), evaluate every factor at the round's points and sum the
// term products, optionally weighted by eq_lo.
//
// Pairs are processed in blocks of kBlockPairs: the loops over factors and
// terms, whose counts are known only at run time, run once per block, and the
// loops inside a block are over points (a compile-time count) and pairs. The
// last product of every summand goes into an unreduced ProductSum, reduced
// once per chunk (sumcheck_arith.h).
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <vector>

#include "common/sumcheck.h"
#include "prover/sumcheck_arith.h"

namespace zkpot::sumcheck_detail {

inline constexpr size_t kBlockPairs = 32;

// Round 0: pair i is entries (2i, 2i+1) of the caller's tables.
template <class T>
struct DirectPairs {
  using Value = T;
  const T* const* tables;
  ZKPOT_SUMCHECK_INLINE void load(size_t k, size_t i, T& lo, T& hi) const {
    lo = tables[k][2 * i];
    hi = tables[k][2 * i + 1];
  }
};

// Round j >= 1: pair i of level j is folded from entries 4i..4i+3 of level
// j - 1 with r_{j-1}, and stored, so that round j + 1 reads it: one pass over
// memory per round, and the caller's base-field tables are read in place.
template <class S, class E>
struct FoldingPairs {
  using Value = E;
  const S* const* prev;
  E* const* cur;
  sumcheck_arith::FixedMultiplier<E> r;
  ZKPOT_SUMCHECK_INLINE void load(size_t k, size_t i, E& lo, E& hi) const {
    const S* p = prev[k] + 4 * i;
    lo = r.fold(p[0], p[1]);
    hi = r.fold(p[2], p[3]);
    E* c = cur[k] + 2 * i;
    c[0] = lo;
    c[1] = hi;
  }
};

// The round after the grid rounds (below): pair i of level V is bound from
// entries 2^(V+1) i .. 2^(V+1) i + 2^(V+1) - 1 of the caller's tables with
// (r_0, ..., r_{V-1}) at once, and stored. Levels 1 .. V-1 are never
// materialised.
template <class S, class E, unsigned V>
struct MultiVariableFoldingPairs {
  using Value = E;
  static constexpr size_t kSpan = size_t{1} << V;
  const S* const* base;
  E* const* cur;
  sumcheck_arith::FixedWeights<E, V> w;
  ZKPOT_SUMCHECK_INLINE void load(size_t k, size_t i, E& lo, E& hi) const {
    const S* p = base[k] + 2 * kSpan * i;
    lo = w.fold(p);
    hi = w.fold(p + kSpan);
    E* c = cur[k] + 2 * i;
    c[0] = lo;
    c[1] = hi;
  }
};

// Values of every factor at the points X = 0, (1 unless Skip1), 2, ..., for
// one block of pairs: v[(k * NP + p) * kBlockPairs + i].
template <unsigned NP, bool Skip1, class Pairs>
void load_block(const Pairs& pairs, size_t num_factors, size_t i0, size_t nb, typename Pairs::Value* v) {
  using T = typename Pairs::Value;
  constexpr size_t B = kBlockPairs;
  for (size_t k = 0; k < num_factors; ++k) {
    T* out = v + k * NP * B;
    for (size_t i = 0; i < nb; ++i) {
      T lo, hi;
      pairs.load(k, i0 + i, lo, hi);
      out[i] = lo;
      unsigned p = 1;
      if constexpr (!Skip1) out[B * p++ + i] = hi;
      const T diff = hi - lo;
      T x = hi;
      for (; p < NP; ++p) {
        x = x + diff;
        out[B * p + i] = x;
      }
    }
  }
}

// Round 1 in the base field (the small-value idea of Bagad, Dao, Domb and
// Thaler, ePrint 2024/1210; docs/PROTOCOL.md §3): the level-1 value of a factor
// at (x_0 = t, x_1 = X) is the bilinear extension of entries 4i..4i+3, so a
// term's product at x_0 = r_0 is a polynomial of degree <= G - 1 in t, known
// from its values at t = 0..G-1, all in the base field. v[(k * G * NP + t * NP
// + p) * kBlockPairs + i] holds factor k at (t, point p).
template <unsigned NP, bool Skip1, unsigned G, class F>
void load_grid_block(const F* const* base, size_t num_factors, size_t i0, size_t nb, F* v) {
  constexpr size_t B = kBlockPairs;
  for (size_t k = 0; k < num_factors; ++k) {
    F* out = v + k * G * NP * B;
    const F* src = base[k] + 4 * i0;
    for (size_t i = 0; i < nb; ++i) {
      const F* b = src + 4 * i;
      const F dlo = b[1] - b[0], dhi = b[3] - b[2];  // steps in t of the X = 0 and X = 1 rows
      F lo = b[0], hi = b[2];
      for (unsigned t = 0; t < G; ++t) {
        if (t > 0) {
          lo = lo + dlo;
          hi = hi + dhi;
        }
        F* o = out + size_t{t} * NP * B + i;
        o[0] = lo;
        unsigned p = 1;
        if constexpr (!Skip1) o[B * p++] = hi;
        const F diff = hi - lo;
        F x = hi;
        for (; p < NP; ++p) {
          x = x + diff;
          o[B * p] = x;
        }
      }
    }
  }
}

// Rounds 0, 1 and 2 of an unweighted sumcheck from one pass over the base
// tables (docs/PROTOCOL.md §3): none of their sums depends on a challenge, so
// each group of 8 entries (an "octet": x_0, x_1, x_2) yields
//   - round 0: its 4 pairs at the NP points X of x_0;
//   - round 1: its 2 quads on the grid of x_0 and the points X of x_1;
//   - round 2: the octet on the G x G grid of (x_0, x_1) and the points X of x_2;
// all in the base field. The points X are 0, 2, ..., NP (X = 1 follows from
// the claim). The grid of x_0 and x_1 is t = 0, 1, ..., G - 2 and infinity
// (the slope, so a product there is the leading coefficient): most grid values
// are then table entries, without additions. Rounds 1 and 2 interpolate the
// grid at r_0 (and r_1) afterwards (interpolate_with_infinity).
template <unsigned NP, unsigned G>
struct FusedGridLayout {
  static constexpr unsigned kRound0 = 4 * NP;      // pair q, point p: q * NP + p
  static constexpr unsigned kRound1 = 2 * G * NP;  // quad h, t, point p: kRound0 + (h * G + t) * NP + p
  static constexpr unsigned kRound2 = G * G * NP;  // (t0, t1), point p: kRound0 + kRound1 + (t1 * G + t0) * NP + p
  static constexpr unsigned kPoints = kRound0 + kRound1 + kRound2;
};

// o[0] = lo, o[stride * p] = lo + (p + 1) (hi - lo) for p = 1..NP-1 (the
// points X = 0, 2, 3, ..., NP).
template <unsigned NP, class F>
ZKPOT_SUMCHECK_INLINE void points_skipping_one(F lo, F hi, F* o, size_t stride) {
  o[0] = lo;
  const F diff = hi - lo;
  F x = hi;
  for (unsigned p = 1; p < NP; ++p) {
    x = x + diff;
    o[stride * p] = x;
  }
}

// The line through a (t = 0) and b (t = 1) on the grid 0, 1, ..., G - 2, infinity.
template <unsigned G, class F>
ZKPOT_SUMCHECK_INLINE void grid_line(F a, F b, F* g) {
  static_assert(G >= 2);
  const F step = b - a;
  g[0] = a;
  if constexpr (G > 2) g[1] = b;
  for (unsigned t = 2; t + 1 < G; ++t) g[t] = g[t - 1] + step;
  g[G - 1] = step;
}

// v[(k * kPoints + point) * kBlockPairs + i]: factor k on octet i0 + i.
template <unsigned NP, unsigned G, class F>
void load_fused_grid_block(const F* const* base, size_t num_factors, size_t i0, size_t nb, F* v) {
  using L = FusedGridLayout<NP, G>;
  constexpr size_t B = kBlockPairs;
  for (size_t k = 0; k < num_factors; ++k) {
    F* out = v + k * L::kPoints * B;
    const F* src = base[k] + 8 * i0;
    for (size_t i = 0; i < nb; ++i) {
      const F* b = src + 8 * i;
      for (unsigned q = 0; q < 4; ++q) points_skipping_one<NP>(b[2 * q], b[2 * q + 1], out + (q * NP) * B + i, B);
      // line[x2 * 2 + x1][t0]: the entries (., x1, x2) on the grid of x_0.
      F line[4][G];
      for (unsigned u = 0; u < 4; ++u) grid_line<G>(b[2 * u], b[2 * u + 1], line[u]);
      for (unsigned t0 = 0; t0 < G; ++t0) {
        // Round 1: quad h = x2, value at (t0, x_1 = X).
        for (unsigned h = 0; h < 2; ++h)
          points_skipping_one<NP>(line[2 * h][t0], line[2 * h + 1][t0],
                                  out + (L::kRound0 + (h * G + t0) * NP) * B + i, B);
        // Round 2: (t0, t1, x_2 = X), t1 on the grid of x_1.
        F lo[G], hi[G];
        grid_line<G>(line[0][t0], line[1][t0], lo);
        grid_line<G>(line[2][t0], line[3][t0], hi);
        for (unsigned t1 = 0; t1 < G; ++t1)
          points_skipping_one<NP>(lo[t1], hi[t1], out + (L::kRound0 + L::kRound1 + (t1 * G + t0) * NP) * B + i,
                                  B);
      }
    }
  }
}

// A polynomial P of degree <= m (1 <= m < G) at r, from the grid values g[t] =
// P(t) for t < m and g[G - 1] = the coefficient of t^m:
// P(r) = (interpolation of g[0..m-1] at r) + g[G - 1] prod_{i<m} (r - i).
template <class E>
E interpolate_with_infinity(const E* g, unsigned m, unsigned G, const E& r) {
  E lead = g[G - 1];
  for (unsigned i = 0; i < m; ++i) lead *= r - E::from_u64(i);
  if (m == 1) return g[0] + lead;
  return LagrangeKernel<E>(m - 1).evaluate(g, r) + lead;
}

// prod[p * B + i] = product of the first `count` factors of `term` (count >= 1).
template <unsigned NP, class T, class E>
void partial_products(const ProductTerm<E>& term, uint32_t count, size_t nb, const T* v, T* prod) {
  constexpr size_t B = kBlockPairs;
  const T* f0 = v + size_t{term.factors[0]} * NP * B;
  for (unsigned p = 0; p < NP; ++p)
    for (size_t i = 0; i < nb; ++i) prod[p * B + i] = f0[p * B + i];
  for (uint32_t f = 1; f < count; ++f) {
    const T* fk = v + size_t{term.factors[f]} * NP * B;
    for (unsigned p = 0; p < NP; ++p)
      for (size_t i = 0; i < nb; ++i) prod[p * B + i] = sumcheck_arith::mul(prod[p * B + i], fk[p * B + i]);
  }
}

// Per-chunk state of an unweighted round: sums[t * NP + p] accumulates
// sum_i prod_{k in S_t} v_k(p) over the chunk's pairs.
template <unsigned NP, class T, class E>
class UnweightedSums {
 public:
  UnweightedSums(size_t num_factors, size_t num_terms)
      : v_(num_factors * NP * kBlockPairs), prod_(NP * kBlockPairs), sums_(num_terms * NP), plain_(num_terms * NP) {}

  T* values() { return v_.data(); }

  void add_block(std::span<const ProductTerm<E>> terms, size_t nb) {
    constexpr size_t B = kBlockPairs;
    for (size_t t = 0; t < terms.size(); ++t) {
      const ProductTerm<E>& term = terms[t];
      const uint32_t m = term.num_factors;
      const T* last = v_.data() + size_t{term.factors[m - 1]} * NP * B;
      if (m == 1) {
        for (unsigned p = 0; p < NP; ++p) {
          T s = plain_[t * NP + p];
          for (size_t i = 0; i < nb; ++i) s = s + last[p * B + i];
          plain_[t * NP + p] = s;
        }
        continue;
      }
      // With two factors the first one's values are the partial product: no copy.
      const T* prod = v_.data() + size_t{term.factors[0]} * NP * B;
      if (m > 2) {
        partial_products<NP, T, E>(term, m - 1, nb, v_.data(), prod_.data());
        prod = prod_.data();
      }
      for (unsigned p = 0; p < NP; ++p) {
        sumcheck_arith::ProductSum<T, T> s = sums_[t * NP + p];  // a local: no aliasing with the tables
        for (size_t i = 0; i < nb; ++i) s.add(prod[p * B + i], last[p * B + i]);
        sums_[t * NP + p] = s;
      }
    }
  }

  // out[q] = the chunk's sum for term-point q.
  void finish(std::span<const ProductTerm<E>> terms, E* out) const {
    for (size_t t = 0; t < terms.size(); ++t)
      for (unsigned p = 0; p < NP; ++p) {
        const size_t q = t * NP + p;
        out[q] = terms[t].num_factors == 1 ? E(plain_[q]) : E(sums_[q].result());
      }
  }

 private:
  std::vector<T> v_, prod_;
  std::vector<sumcheck_arith::ProductSum<T, T>> sums_;
  std::vector<T> plain_;
};

// Sum over pairs [begin, end) of the term products (unweighted sumcheck), at
// NP points per factor; fill_block(i0, nb, v) fills the values of a block.
template <unsigned NP, class T, class E, class FillBlock>
void accumulate_unweighted(size_t begin, size_t end, size_t num_factors, std::span<const ProductTerm<E>> terms,
                           const FillBlock& fill_block, E* out) {
  UnweightedSums<NP, T, E> sums(num_factors, terms.size());
  for (size_t i0 = begin; i0 < end; i0 += kBlockPairs) {
    const size_t nb = std::min(kBlockPairs, end - i0);
    fill_block(i0, nb, sums.values());
    sums.add_block(terms, nb);
  }
  sums.finish(terms, out);
}

// Sum over blocks [begin, end) of eq_hi[b] * sum_{x_lo} eq_lo[x_lo] * products,
// pair index i = (b << lo_bits) | x_lo (eq-weighted sumcheck). With lo_bits
// = 0, eq_lo must point to E::one().
template <unsigned NP, class T, class E, class FillBlock>
void accumulate_weighted(size_t begin, size_t end, unsigned lo_bits, const E* eq_lo, const E* eq_hi,
                         size_t num_factors, std::span<const ProductTerm<E>> terms, const FillBlock& fill_block,
                         E* acc) {
  constexpr size_t B = kBlockPairs;
  const size_t nt = terms.size() * NP;
  std::vector<T> v(num_factors * NP * B), prod(NP * B);
  std::vector<sumcheck_arith::ProductSum<E, T>> inner(nt);
  const size_t block = size_t{1} << lo_bits;
  for (size_t b = begin; b < end; ++b) {
    std::fill(inner.begin(), inner.end(), sumcheck_arith::ProductSum<E, T>{});
    for (size_t x0 = 0; x0 < block; x0 += B) {
      const size_t nb = std::min(B, block - x0);
      fill_block((b << lo_bits) | x0, nb, v.data());
      for (size_t t = 0; t < terms.size(); ++t) {
        partial_products<NP, T, E>(terms[t], terms[t].num_factors, nb, v.data(), prod.data());
        for (unsigned p = 0; p < NP; ++p) {
          sumcheck_arith::ProductSum<E, T> s = inner[t * NP + p];  // a local: no aliasing with the tables
          for (size_t i = 0; i < nb; ++i) s.add(eq_lo[x0 + i], prod[p * B + i]);
          inner[t * NP + p] = s;
        }
      }
    }
    for (size_t q = 0; q < nt; ++q) acc[q] += sumcheck_arith::mul(eq_hi[b], inner[q].result());
  }
}

}  // namespace zkpot::sumcheck_detail
