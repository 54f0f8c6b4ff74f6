// Branch-free Goldilocks and GlExt3 arithmetic for the sumcheck prover's inner
// loops. Results are canonical and equal to common/field.h's operators (tested
// in tests/sumcheck_test.cc); they differ only in speed: no data-dependent
// branches (random field data mispredicts about half of them), and the cubic
// product is schoolbook with delayed reductions (9 products, 4 reductions)
// instead of Karatsuba with 6 reductions and 12 modular additions.
// Other fields fall back to their operators.
#pragma once

#include <cstdint>

#include "common/extension.h"
#include "common/field.h"

namespace zkpot::sumcheck_arith {

template <class A, class B>
inline auto add(const A& a, const B& b) {
  return a + b;
}
template <class A, class B>
inline auto sub(const A& a, const B& b) {
  return a - b;
}
template <class A, class B>
inline auto mul(const A& a, const B& b) {
  return a * b;
}

namespace gl {
inline constexpr uint64_t kP = Goldilocks::kModulus;
inline constexpr uint64_t kEps = Goldilocks::kEpsilon;

inline uint64_t mask_if(bool c) { return 0 - static_cast<uint64_t>(c); }

// a + b for canonical a, b; canonical result.
inline uint64_t add(uint64_t a, uint64_t b) {
  uint64_t s, t;
  const bool c1 = __builtin_add_overflow(a, b, &s);
  const bool c2 = __builtin_add_overflow(s, kEps, &t);  // t = s - p (mod 2^64) when s >= p
  return (c1 | c2) ? t : s;
}
inline uint64_t sub(uint64_t a, uint64_t b) {
  uint64_t d;
  const bool borrow = __builtin_sub_overflow(a, b, &d);
  return d - (kEps & mask_if(borrow));
}
// x = lo + 2^64 hi  ->  a value < 2^64 congruent to x (not necessarily < p).
inline uint64_t reduce128_partial(uint64_t lo, uint64_t hi) {
  const uint64_t h_hi = hi >> 32, h_lo = hi & kEps;
  uint64_t t0;
  const bool borrow = __builtin_sub_overflow(lo, h_hi, &t0);
  t0 -= kEps & mask_if(borrow);
  uint64_t r;
  const bool carry = __builtin_add_overflow(t0, h_lo * kEps, &r);
  return r + (kEps & mask_if(carry));
}
inline uint64_t canonical(uint64_t r) {
  uint64_t t;
  const bool c = __builtin_add_overflow(r, kEps, &t);  // r >= p iff r + eps overflows
  return c ? t : r;
}
inline uint64_t reduce_u128(unsigned __int128 x) {
  return canonical(reduce128_partial(static_cast<uint64_t>(x), static_cast<uint64_t>(x >> 64)));
}
inline uint64_t mul(uint64_t a, uint64_t b) { return reduce_u128(static_cast<unsigned __int128>(a) * b); }

// A sum of up to three 128-bit products, kept in 192 bits.
struct Acc192 {
  unsigned __int128 low = 0;
  uint64_t top = 0;
  void add(unsigned __int128 x) {
    low += x;
    top += low < x;
  }
  // 2^128 = -2^32 (mod p); top <= 2 here.
  uint64_t reduce() const {
    const uint64_t r = canonical(reduce128_partial(static_cast<uint64_t>(low), static_cast<uint64_t>(low >> 64)));
    return sub(r, top << 32);
  }
};
inline unsigned __int128 wide(uint64_t a, uint64_t b) { return static_cast<unsigned __int128>(a) * b; }
}  // namespace gl

inline Goldilocks add(Goldilocks a, Goldilocks b) { return Goldilocks::from_canonical(gl::add(a.value(), b.value())); }
inline Goldilocks sub(Goldilocks a, Goldilocks b) { return Goldilocks::from_canonical(gl::sub(a.value(), b.value())); }
inline Goldilocks mul(Goldilocks a, Goldilocks b) { return Goldilocks::from_canonical(gl::mul(a.value(), b.value())); }

inline GlExt3 make3(uint64_t c0, uint64_t c1, uint64_t c2) {
  const Gl c[3] = {Gl::from_canonical(c0), Gl::from_canonical(c1), Gl::from_canonical(c2)};
  return GlExt3::from_coeffs(c);
}
inline GlExt3 add(const GlExt3& a, const GlExt3& b) {
  return make3(gl::add(a.coeff(0).value(), b.coeff(0).value()), gl::add(a.coeff(1).value(), b.coeff(1).value()),
               gl::add(a.coeff(2).value(), b.coeff(2).value()));
}
inline GlExt3 sub(const GlExt3& a, const GlExt3& b) {
  return make3(gl::sub(a.coeff(0).value(), b.coeff(0).value()), gl::sub(a.coeff(1).value(), b.coeff(1).value()),
               gl::sub(a.coeff(2).value(), b.coeff(2).value()));
}
inline GlExt3 mul(const GlExt3& a, Goldilocks b) {
  const uint64_t bv = b.value();
  return make3(gl::mul(a.coeff(0).value(), bv), gl::mul(a.coeff(1).value(), bv), gl::mul(a.coeff(2).value(), bv));
}
inline GlExt3 mul(const GlExt3& a, const GlExt3& b) {
  using gl::wide;
  const uint64_t a0 = a.coeff(0).value(), a1 = a.coeff(1).value(), a2 = a.coeff(2).value();
  const uint64_t b0 = b.coeff(0).value(), b1 = b.coeff(1).value(), b2 = b.coeff(2).value();
  // X^3 = 7: c0 = a0b0 + 7(a1b2 + a2b1), c1 = a0b1 + a1b0 + 7 a2b2, c2 = a0b2 + a1b1 + a2b0.
  gl::Acc192 s12;
  s12.add(wide(a1, b2));
  s12.add(wide(a2, b1));
  gl::Acc192 c0;
  c0.add(wide(a0, b0));
  c0.add(wide(s12.reduce(), 7));
  gl::Acc192 c1;
  c1.add(wide(a0, b1));
  c1.add(wide(a1, b0));
  c1.add(wide(gl::mul(a2, b2), 7));
  gl::Acc192 c2;
  c2.add(wide(a0, b2));
  c2.add(wide(a1, b1));
  c2.add(wide(a2, b0));
  return make3(c0.reduce(), c1.reduce(), c2.reduce());
}

}  // namespace zkpot::sumcheck_arith
