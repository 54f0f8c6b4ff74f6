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

// Round 2 when round 1 ran on the grid (below): pair i of level 2 is bound
// from entries 8i..8i+7 of the caller's tables with (r_0, r_1) at once, and
// stored. Level 1 is never materialised.
template <class S, class E>
struct TwoVariableFoldingPairs {
  using Value = E;
  const S* const* base;
  E* const* cur;
  sumcheck_arith::FixedWeights4<E> w;
  ZKPOT_SUMCHECK_INLINE void load(size_t k, size_t i, E& lo, E& hi) const {
    const S* p = base[k] + 8 * i;
    lo = w.fold(p);
    hi = w.fold(p + 4);
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
      partial_products<NP, T, E>(term, m - 1, nb, v_.data(), prod_.data());
      for (unsigned p = 0; p < NP; ++p) {
        sumcheck_arith::ProductSum<T, T> s = sums_[t * NP + p];  // a local: no aliasing with the tables
        for (size_t i = 0; i < nb; ++i) s.add(prod_[p * B + i], last[p * B + i]);
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
