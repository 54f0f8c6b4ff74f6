// Arithmetic for the sumcheck prover's inner loops (docs/PROTOCOL.md §3,
// "Prover"): what common/field.h does not offer. Additions, subtractions and
// base products use the field's own branch-free operators; this file adds
//   - ProductSum<A, B>: a sum of products a*b kept unreduced (192-bit limbs)
//     and reduced once at the end: the last product of every summand of a
//     round goes there;
//   - mul(): the GlExt3 product as schoolbook with delayed reductions (9 base
//     products, 3 reductions; X^3 = 7 is folded into the second operand);
//   - FixedMultiplier<E>: the fold lo + r (hi - lo) for one r used on a whole
//     table, with 7 r_1 and 7 r_2 computed once.
// Fields other than Goldilocks and GlExt3 use their operators (same results).
#pragma once

#include <cstdint>

#include "common/extension.h"
#include "common/field.h"
#include "common/hd.h"

// The helpers below are small but sit in the innermost loops, where a call
// (and the spilling of accumulators around it) costs more than they do.
#if defined(__CUDACC__)
#define ZKPOT_SUMCHECK_INLINE ZKPOT_HD
#else
#define ZKPOT_SUMCHECK_INLINE inline __attribute__((always_inline))
#endif

namespace zkpot::sumcheck_arith {

// lo + 2^64 mid + 2^128 top: a sum of up to 2^64 - 1 products of two values
// below 2^64 (each below 2^128) never overflows it.
struct Wide192 {
  uint64_t lo = 0, mid = 0, top = 0;

  ZKPOT_SUMCHECK_INLINE void add_word(uint64_t x) {
    lo += x;
    const uint64_t c = lo < x;
    mid += c;
    top += mid < c;
  }
  ZKPOT_SUMCHECK_INLINE void add_product(uint64_t a, uint64_t b) {
#if ZKPOT_DEVICE_CODE
    uint64_t plo, phi;
    detail::mul_wide(a, b, &plo, &phi);
    lo += plo;
    const uint64_t c0 = lo < plo;
    mid += phi;
    uint64_t c1 = mid < phi;
    mid += c0;
    c1 += mid < c0;
    top += c1;
#else
    // The host compiler turns this into mul, add, adc, adc.
    unsigned __int128 low = (static_cast<unsigned __int128>(mid) << 64) | lo;
    const unsigned __int128 p = static_cast<unsigned __int128>(a) * b;
    low += p;
    top += low < p;
    lo = static_cast<uint64_t>(low);
    mid = static_cast<uint64_t>(low >> 64);
#endif
  }
  // 2^128 = -2^32 (mod p), since 2^96 = -1.
  ZKPOT_SUMCHECK_INLINE Goldilocks reduce() const {
    return Goldilocks::reduce128(lo, mid) - Goldilocks::reduce128(top << 32, top >> 32);
  }
};

// A value congruent to 7x modulo p, below 2^64 (not necessarily canonical):
// good as a multiplicand, whose products stay below 2^128.
ZKPOT_SUMCHECK_INLINE uint64_t times7_partial(uint64_t x) {
  uint64_t lo, hi;
  detail::mul_wide(x, 7, &lo, &hi);  // hi <= 6
  // 2^64 = eps (mod p): lo + hi eps, with hi eps < 2^35, carries at most once.
  const uint64_t s = lo + hi * Goldilocks::kEpsilon;
  return s + static_cast<uint64_t>(s < lo) * Goldilocks::kEpsilon;
}

// The reduced product. Generic fields: their operator.
template <class A, class B>
ZKPOT_SUMCHECK_INLINE auto mul(const A& a, const B& b) {
  return a * b;
}
ZKPOT_SUMCHECK_INLINE GlExt3 make3(Goldilocks c0, Goldilocks c1, Goldilocks c2) {
  const Goldilocks c[3] = {c0, c1, c2};
  return GlExt3::from_coeffs(c);
}
// c0 = a0b0 + 7(a1b2 + a2b1), c1 = a0b1 + a1b0 + 7a2b2, c2 = a0b2 + a1b1 + a2b0.
ZKPOT_SUMCHECK_INLINE GlExt3 mul(const GlExt3& a, const GlExt3& b) {
  const uint64_t a0 = a.coeff(0).value(), a1 = a.coeff(1).value(), a2 = a.coeff(2).value();
  const uint64_t b0 = b.coeff(0).value(), b1 = b.coeff(1).value(), b2 = b.coeff(2).value();
  const uint64_t b1w = times7_partial(b1), b2w = times7_partial(b2);
  Wide192 c0, c1, c2;
  c0.add_product(a0, b0);
  c0.add_product(a1, b2w);
  c0.add_product(a2, b1w);
  c1.add_product(a0, b1);
  c1.add_product(a1, b0);
  c1.add_product(a2, b2w);
  c2.add_product(a0, b2);
  c2.add_product(a1, b1);
  c2.add_product(a2, b0);
  return make3(c0.reduce(), c1.reduce(), c2.reduce());
}

// Sum of products a*b, exact. Generic fields: a running sum.
template <class A, class B>
struct ProductSum {
  using Result = decltype(A{} * B{});
  Result sum{};
  ZKPOT_SUMCHECK_INLINE void add(const A& a, const B& b) { sum += a * b; }
  ZKPOT_SUMCHECK_INLINE Result result() const { return sum; }
};

template <>
struct ProductSum<Goldilocks, Goldilocks> {
  using Result = Goldilocks;
  Wide192 acc;
  ZKPOT_SUMCHECK_INLINE void add(Goldilocks a, Goldilocks b) { acc.add_product(a.value(), b.value()); }
  ZKPOT_SUMCHECK_INLINE Result result() const { return acc.reduce(); }
};

template <>
struct ProductSum<GlExt3, Goldilocks> {
  using Result = GlExt3;
  Wide192 acc[3];
  ZKPOT_SUMCHECK_INLINE void add(const GlExt3& a, Goldilocks b) {
    for (unsigned i = 0; i < 3; ++i) acc[i].add_product(a.coeff(i).value(), b.value());
  }
  ZKPOT_SUMCHECK_INLINE Result result() const { return make3(acc[0].reduce(), acc[1].reduce(), acc[2].reduce()); }
};

// The factors 7 of X^3 = 7 are applied once, at the end: s0w and s1w collect
// the products that the reduction multiplies by 7.
template <>
struct ProductSum<GlExt3, GlExt3> {
  using Result = GlExt3;
  Wide192 s0, s0w, s1, s1w, s2;
  ZKPOT_SUMCHECK_INLINE void add(const GlExt3& a, const GlExt3& b) {
    const uint64_t a0 = a.coeff(0).value(), a1 = a.coeff(1).value(), a2 = a.coeff(2).value();
    const uint64_t b0 = b.coeff(0).value(), b1 = b.coeff(1).value(), b2 = b.coeff(2).value();
    s0.add_product(a0, b0);
    s0w.add_product(a1, b2);
    s0w.add_product(a2, b1);
    s1.add_product(a0, b1);
    s1.add_product(a1, b0);
    s1w.add_product(a2, b2);
    s2.add_product(a0, b2);
    s2.add_product(a1, b1);
    s2.add_product(a2, b0);
  }
  ZKPOT_SUMCHECK_INLINE Result result() const {
    const Goldilocks seven = Goldilocks::from_canonical(7);
    return make3(s0.reduce() + seven * s0w.reduce(), s1.reduce() + seven * s1w.reduce(), s2.reduce());
  }
};

// Binds one variable of a table with a fixed challenge r in E: given the
// entries lo, hi of a pair, returns lo + r (hi - lo). Generic fields: their
// operators.
template <class E>
struct FixedMultiplier {
  E r;
  ZKPOT_SUMCHECK_INLINE explicit FixedMultiplier(const E& r_in) : r(r_in) {}
  template <class S>
  ZKPOT_SUMCHECK_INLINE E fold(const S& lo, const S& hi) const {
    return E(lo) + r * (hi - lo);
  }
};

template <>
struct FixedMultiplier<GlExt3> {
  uint64_t r0, r1, r2, r1w, r2w;  // r1w = 7 r1, r2w = 7 r2 (below 2^64, maybe not canonical)
  ZKPOT_SUMCHECK_INLINE explicit FixedMultiplier(const GlExt3& r)
      : r0(r.coeff(0).value()),
        r1(r.coeff(1).value()),
        r2(r.coeff(2).value()),
        r1w(times7_partial(r1)),
        r2w(times7_partial(r2)) {}

  // Base-field pair: 3 products, lo added before the reduction.
  ZKPOT_SUMCHECK_INLINE GlExt3 fold(Goldilocks lo, Goldilocks hi) const {
    const uint64_t d = (hi - lo).value();
    Wide192 c0, c1, c2;
    c0.add_word(lo.value());
    c0.add_product(d, r0);
    c1.add_product(d, r1);
    c2.add_product(d, r2);
    return make3(c0.reduce(), c1.reduce(), c2.reduce());
  }
  // Extension pair: 9 products, 3 reductions.
  ZKPOT_SUMCHECK_INLINE GlExt3 fold(const GlExt3& lo, const GlExt3& hi) const {
    const uint64_t d0 = (hi.coeff(0) - lo.coeff(0)).value();
    const uint64_t d1 = (hi.coeff(1) - lo.coeff(1)).value();
    const uint64_t d2 = (hi.coeff(2) - lo.coeff(2)).value();
    Wide192 c0, c1, c2;
    c0.add_word(lo.coeff(0).value());
    c0.add_product(d0, r0);
    c0.add_product(d1, r2w);
    c0.add_product(d2, r1w);
    c1.add_word(lo.coeff(1).value());
    c1.add_product(d0, r1);
    c1.add_product(d1, r0);
    c1.add_product(d2, r2w);
    c2.add_word(lo.coeff(2).value());
    c2.add_product(d0, r2);
    c2.add_product(d1, r1);
    c2.add_product(d2, r0);
    return make3(c0.reduce(), c1.reduce(), c2.reduce());
  }
};

// Binds the first V variables of a table at once, with weights w_u =
// eq((r_0, ..., r_{V-1}), u): given entries b[0 .. 2^V - 1], returns
// sum_u w_u b[u]. Generic fields: their operators.
template <class E, unsigned V>
struct FixedWeights {
  static constexpr unsigned kEntries = 1u << V;
  E w[kEntries];
  // r: V challenges (r_0 binds index bit 0).
  ZKPOT_SUMCHECK_INLINE explicit FixedWeights(const E* r) {
    w[0] = E::one();
    for (unsigned v = 0; v < V; ++v)
      for (unsigned u = 1u << v; u-- > 0;) {
        w[u | (1u << v)] = w[u] * r[v];
        w[u] = w[u] - w[u | (1u << v)];
      }
  }
  template <class S>
  ZKPOT_SUMCHECK_INLINE E fold(const S* b) const {
    E acc = E::zero();
    for (unsigned u = 0; u < kEntries; ++u) acc += w[u] * E(b[u]);
    return acc;
  }
};

// GlExt3 weights on Goldilocks entries: 3 * 2^V products, 3 reductions.
template <unsigned V>
struct FixedWeights<GlExt3, V> {
  static constexpr unsigned kEntries = 1u << V;
  uint64_t w[kEntries][3];
  ZKPOT_SUMCHECK_INLINE explicit FixedWeights(const GlExt3* r) {
    GlExt3 e[kEntries];
    e[0] = GlExt3::one();
    for (unsigned v = 0; v < V; ++v)
      for (unsigned u = 1u << v; u-- > 0;) {
        e[u | (1u << v)] = e[u] * r[v];
        e[u] = e[u] - e[u | (1u << v)];
      }
    for (unsigned u = 0; u < kEntries; ++u)
      for (unsigned c = 0; c < 3; ++c) w[u][c] = e[u].coeff(c).value();
  }
  ZKPOT_SUMCHECK_INLINE GlExt3 fold(const Goldilocks* b) const {
    Wide192 c[3];
    for (unsigned u = 0; u < kEntries; ++u)
      for (unsigned k = 0; k < 3; ++k) c[k].add_product(w[u][k], b[u].value());
    return make3(c[0].reduce(), c[1].reduce(), c[2].reduce());
  }
  template <class S>
  ZKPOT_SUMCHECK_INLINE GlExt3 fold(const S* b) const {
    GlExt3 acc = GlExt3::zero();
    for (unsigned u = 0; u < kEntries; ++u) {
      GlExt3 e;
      for (unsigned k = 0; k < 3; ++k) e.coeff(k) = Goldilocks::from_canonical(w[u][k]);
      acc += e * GlExt3(b[u]);
    }
    return acc;
  }
};

// The interface prover/gadget_partial_eval.h was written against: a 192-bit
// sum of 128-bit products, reduced to a canonical value (host only).
namespace gl {
inline unsigned __int128 wide(uint64_t a, uint64_t b) { return static_cast<unsigned __int128>(a) * b; }
struct Acc192 {
  Wide192 w;
  void add(unsigned __int128 x) {
    unsigned __int128 low = (static_cast<unsigned __int128>(w.mid) << 64) | w.lo;
    low += x;
    w.top += low < x;
    w.lo = static_cast<uint64_t>(low);
    w.mid = static_cast<uint64_t>(low >> 64);
  }
  uint64_t reduce() const { return w.reduce().value(); }
};
}  // namespace gl
inline GlExt3 make3(uint64_t c0, uint64_t c1, uint64_t c2) {
  return make3(Goldilocks::from_canonical(c0), Goldilocks::from_canonical(c1), Goldilocks::from_canonical(c2));
}

}  // namespace zkpot::sumcheck_arith
