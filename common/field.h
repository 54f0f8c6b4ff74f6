// Prime fields: Goldilocks (p = 2^64 - 2^32 + 1), the field every proof uses,
// and SmallPrimeField<P>, a toy field with the same interface on which the
// protocol tests measure a cheating prover's success rate (docs/PROTOCOL.md §1).
//
// Every value is kept canonical, in [0, p), after every operation, so equality,
// hashing and serialisation never see two encodings of one element.
#pragma once

#include <cstddef>
#include <cstdint>

#include "common/hd.h"

namespace zkpot {

namespace detail {

ZKPOT_HD_HOT void mul_wide(uint64_t a, uint64_t b, uint64_t* lo, uint64_t* hi) {
#if ZKPOT_DEVICE_CODE
  *lo = a * b;
  *hi = __umul64hi(a, b);
#else
  const unsigned __int128 t = static_cast<unsigned __int128>(a) * b;
  *lo = static_cast<uint64_t>(t);
  *hi = static_cast<uint64_t>(t >> 64);
#endif
}

// Compile-time helpers for SmallPrimeField's roots of unity (P < 2^32, so
// products fit in 64 bits).
constexpr uint64_t small_pow_mod(uint64_t b, uint64_t e, uint64_t p) {
  uint64_t r = 1 % p;
  b %= p;
  while (e) {
    if (e & 1) r = r * b % p;
    b = b * b % p;
    e >>= 1;
  }
  return r;
}
constexpr unsigned small_two_adicity(uint64_t p) {
  unsigned s = 0;
  for (uint64_t q = p - 1; (q & 1) == 0; q >>= 1) ++s;
  return s;
}
// A primitive 2^s-th root of unity, s the 2-adicity of p - 1: g^((p-1)/2^s)
// for the least quadratic non-residue g (p must be prime).
constexpr uint64_t small_two_adic_root(uint64_t p) {
  uint64_t g = 2;
  while (g < p && small_pow_mod(g, (p - 1) / 2, p) != p - 1) ++g;
  return small_pow_mod(g, (p - 1) >> small_two_adicity(p), p);
}

}  // namespace detail

class Goldilocks {
 public:
  static constexpr uint64_t kModulus = 0xFFFFFFFF00000001ULL;
  static constexpr uint64_t kEpsilon = 0xFFFFFFFFULL;  // 2^64 mod p
  static constexpr unsigned kTwoAdicity = 32;
  // 7 generates F_p^*; this is 7^((p-1)/2^32), a primitive 2^32-th root.
  static constexpr uint64_t kRootOfUnity2Pow32 = 1753635133440165772ULL;
  static constexpr uint64_t kGenerator = 7;
  static constexpr size_t kEncodedBytes = 8;
  static constexpr double kLog2Order = 63.999999999664;  // log2(p)

  ZKPOT_HD_CONST Goldilocks() : v_(0) {}

  // x must already be below p (checked by callers that parse input).
  ZKPOT_HD static constexpr Goldilocks from_canonical(uint64_t x) { return Goldilocks(x, 0); }
  ZKPOT_HD static constexpr Goldilocks from_u64(uint64_t x) {
    return Goldilocks(x >= kModulus ? x - kModulus : x, 0);
  }
  ZKPOT_HD static constexpr Goldilocks from_i64(int64_t x) {
    return x >= 0 ? from_u64(static_cast<uint64_t>(x))
                  : -from_u64(static_cast<uint64_t>(-(x + 1)) + 1);
  }
  ZKPOT_HD static constexpr Goldilocks zero() { return Goldilocks(); }
  ZKPOT_HD static constexpr Goldilocks one() { return Goldilocks(1, 0); }

  ZKPOT_HD constexpr uint64_t value() const { return v_; }
  ZKPOT_HD constexpr bool is_zero() const { return v_ == 0; }

  // Signed interpretation: values above p/2 are negative (the fixed-point
  // embedding of docs/PROTOCOL.md).
  ZKPOT_HD constexpr int64_t to_signed() const {
    return v_ > kModulus / 2 ? -static_cast<int64_t>(kModulus - v_) : static_cast<int64_t>(v_);
  }

  // Arithmetic is branchless (masks, not jumps): on random operands the carry
  // and borrow branches are unpredictable and cost more than the arithmetic.
  ZKPOT_HD_HOT constexpr Goldilocks operator+(Goldilocks o) const {
    // a + b >= p exactly when b >= p - a; then (a + b + eps) mod 2^64 is
    // a + b - p, whether or not the sum carried out of 64 bits.
    const uint64_t s = v_ + o.v_;
    return Goldilocks(s + (mask(o.v_ >= kModulus - v_) & kEpsilon), 0);
  }
  ZKPOT_HD_HOT constexpr Goldilocks operator-(Goldilocks o) const {
    // On a borrow the wrapped difference is a - b + 2^64; subtract eps = 2^64 - p.
    const uint64_t d = v_ - o.v_;
    return Goldilocks(d - (mask(v_ < o.v_) & kEpsilon), 0);
  }
  ZKPOT_HD constexpr Goldilocks operator-() const { return Goldilocks(v_ == 0 ? 0 : kModulus - v_, 0); }
  ZKPOT_HD_HOT Goldilocks operator*(Goldilocks o) const {
    uint64_t lo, hi;
    detail::mul_wide(v_, o.v_, &lo, &hi);
    return reduce128(lo, hi);
  }
  // a0 b0 + a1 b1 + a2 b2 with one reduction: the three 128-bit products are
  // summed exactly (below 3 * 2^128, so the top word is at most 2), then
  // reduced with 2^128 = -2^32 (mod p). The extension product's kernel.
  ZKPOT_HD_HOT static Goldilocks dot3(Goldilocks a0, Goldilocks b0, Goldilocks a1, Goldilocks b1, Goldilocks a2,
                                      Goldilocks b2) {
    WideSum acc;
    acc.add_product(a0, b0);
    acc.add_product(a1, b1);
    acc.add_product(a2, b2);
    return acc.reduce();
  }
  // An exact sum of 128-bit products (up to 2^64 of them), reduced once.
  struct WideSum {
    uint64_t lo = 0, hi = 0, top = 0;
    ZKPOT_HD_HOT void add_product(Goldilocks a, Goldilocks b) {
      uint64_t l, h;
      detail::mul_wide(a.v_, b.v_, &l, &h);
      lo += l;
      const uint64_t c = lo < l;
      hi += h;
      top += hi < h;
      hi += c;
      top += hi < c;
    }
    // lo + 2^64 hi + 2^128 top with 2^128 = -2^32 (mod p).
    ZKPOT_HD_HOT Goldilocks reduce() const { return reduce128(lo, hi) - reduce128(top << 32, top >> 32); }
  };
  ZKPOT_HD Goldilocks& operator+=(Goldilocks o) { return *this = *this + o; }
  ZKPOT_HD Goldilocks& operator-=(Goldilocks o) { return *this = *this - o; }
  ZKPOT_HD Goldilocks& operator*=(Goldilocks o) { return *this = *this * o; }
  ZKPOT_HD constexpr bool operator==(Goldilocks o) const { return v_ == o.v_; }
  ZKPOT_HD constexpr bool operator!=(Goldilocks o) const { return v_ != o.v_; }

  ZKPOT_HD Goldilocks square() const { return *this * *this; }
  ZKPOT_HD Goldilocks pow(uint64_t e) const {
    Goldilocks r = one(), b = *this;
    while (e) {
      if (e & 1) r *= b;
      b = b.square();
      e >>= 1;
    }
    return r;
  }
  // Inverse by Fermat; the inverse of zero is zero (callers check for zero).
  ZKPOT_HD Goldilocks inverse() const { return pow(kModulus - 2); }

  // x = lo + 2^64 (h_lo + 2^32 h_hi) = lo - h_hi + eps * h_lo  (mod p).
  ZKPOT_HD_HOT static constexpr Goldilocks reduce128(uint64_t lo, uint64_t hi) {
    const uint64_t h_hi = hi >> 32;
    const uint64_t h_lo = hi & kEpsilon;
    // Borrow: add p, i.e. subtract eps modulo 2^64 (no second wrap: t0 > eps).
    const uint64_t t0 = (lo - h_hi) - (mask(lo < h_hi) & kEpsilon);
    const uint64_t t1 = (h_lo << 32) - h_lo;  // h_lo * eps < 2^64
    const uint64_t r = t0 + t1;
    // A carry adds 2^64 = eps and then r + eps < p; without one, r >= p is
    // reduced by adding eps modulo 2^64. The two cases never both apply.
    return Goldilocks(r + (mask((r < t1) | (r >= kModulus)) & kEpsilon), 0);
  }

  // Little-endian canonical encoding.
  ZKPOT_HD void encode(uint8_t* out) const {
    for (int i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(v_ >> (8 * i));
  }
  // Rejects non-canonical encodings (values >= p).
  ZKPOT_HD static bool decode(const uint8_t* in, Goldilocks* out) {
    uint64_t x = 0;
    for (int i = 0; i < 8; ++i) x |= static_cast<uint64_t>(in[i]) << (8 * i);
    if (x >= kModulus) return false;
    *out = Goldilocks(x, 0);
    return true;
  }
  // Uniform sampling from uniform 64-bit words: accept only words below p
  // (rejection probability 2^-32), so no residue gets double weight.
  ZKPOT_HD static bool from_uniform_u64(uint64_t x, Goldilocks* out) {
    if (x >= kModulus) return false;
    *out = Goldilocks(x, 0);
    return true;
  }

  // Primitive 2^log_n-th root of unity for log_n <= kTwoAdicity (callers check:
  // a larger log_n has no such root). root_of_unity(k)^2 == root_of_unity(k-1),
  // which the NTT's four-step decomposition relies on (docs/PROTOCOL.md §1.4).
  ZKPOT_HD static Goldilocks root_of_unity(unsigned log_n) {
    Goldilocks w = from_canonical(kRootOfUnity2Pow32);
    for (unsigned i = log_n; i < kTwoAdicity; ++i) w = w.square();
    return w;
  }

 private:
  ZKPOT_HD constexpr Goldilocks(uint64_t v, int) : v_(v) {}
  // All ones if c, else zero.
  ZKPOT_HD static constexpr uint64_t mask(bool c) { return uint64_t{0} - static_cast<uint64_t>(c); }
  uint64_t v_;
};

// A prime below 2^32 with the same interface, for exhaustive and statistical
// protocol tests. Not for production parameters.
template <uint32_t P>
class SmallPrimeField {
 public:
  static_assert(P > 2, "modulus must be an odd prime");
  static constexpr uint64_t kModulus = P;
  static constexpr size_t kEncodedBytes = 4;
  static constexpr unsigned kTwoAdicity = detail::small_two_adicity(P);
  static constexpr uint64_t kRootOfUnity2Adic = detail::small_two_adic_root(P);

  ZKPOT_HD_CONST SmallPrimeField() : v_(0) {}
  ZKPOT_HD static constexpr SmallPrimeField from_canonical(uint64_t x) { return SmallPrimeField(x); }
  ZKPOT_HD static constexpr SmallPrimeField from_u64(uint64_t x) { return SmallPrimeField(x % P); }
  ZKPOT_HD static constexpr SmallPrimeField from_i64(int64_t x) {
    const int64_t m = x % static_cast<int64_t>(P);
    return SmallPrimeField(static_cast<uint64_t>(m < 0 ? m + P : m));
  }
  ZKPOT_HD static constexpr SmallPrimeField zero() { return SmallPrimeField(); }
  ZKPOT_HD static constexpr SmallPrimeField one() { return SmallPrimeField(1); }
  ZKPOT_HD constexpr uint64_t value() const { return v_; }
  ZKPOT_HD constexpr bool is_zero() const { return v_ == 0; }
  ZKPOT_HD constexpr int64_t to_signed() const {
    return v_ > P / 2 ? static_cast<int64_t>(v_) - P : static_cast<int64_t>(v_);
  }

  ZKPOT_HD constexpr SmallPrimeField operator+(SmallPrimeField o) const {
    uint64_t s = v_ + o.v_;
    return SmallPrimeField(s >= P ? s - P : s);
  }
  ZKPOT_HD constexpr SmallPrimeField operator-(SmallPrimeField o) const {
    return SmallPrimeField(v_ >= o.v_ ? v_ - o.v_ : v_ + P - o.v_);
  }
  ZKPOT_HD constexpr SmallPrimeField operator-() const { return SmallPrimeField(v_ == 0 ? 0 : P - v_); }
  ZKPOT_HD constexpr SmallPrimeField operator*(SmallPrimeField o) const { return SmallPrimeField(v_ * o.v_ % P); }
  ZKPOT_HD SmallPrimeField& operator+=(SmallPrimeField o) { return *this = *this + o; }
  ZKPOT_HD SmallPrimeField& operator-=(SmallPrimeField o) { return *this = *this - o; }
  ZKPOT_HD SmallPrimeField& operator*=(SmallPrimeField o) { return *this = *this * o; }
  ZKPOT_HD constexpr bool operator==(SmallPrimeField o) const { return v_ == o.v_; }
  ZKPOT_HD constexpr bool operator!=(SmallPrimeField o) const { return v_ != o.v_; }
  ZKPOT_HD SmallPrimeField square() const { return *this * *this; }
  ZKPOT_HD SmallPrimeField pow(uint64_t e) const {
    SmallPrimeField r = one(), b = *this;
    while (e) {
      if (e & 1) r *= b;
      b = b.square();
      e >>= 1;
    }
    return r;
  }
  ZKPOT_HD SmallPrimeField inverse() const { return pow(P - 2); }

  // Primitive 2^log_n-th root of unity for log_n <= kTwoAdicity (callers
  // check), with the same squaring chain as Goldilocks::root_of_unity.
  ZKPOT_HD static SmallPrimeField root_of_unity(unsigned log_n) {
    SmallPrimeField w(kRootOfUnity2Adic);
    for (unsigned i = log_n; i < kTwoAdicity; ++i) w = w.square();
    return w;
  }

  ZKPOT_HD void encode(uint8_t* out) const {
    for (int i = 0; i < 4; ++i) out[i] = static_cast<uint8_t>(v_ >> (8 * i));
  }
  ZKPOT_HD static bool decode(const uint8_t* in, SmallPrimeField* out) {
    uint64_t x = 0;
    for (int i = 0; i < 4; ++i) x |= static_cast<uint64_t>(in[i]) << (8 * i);
    if (x >= P) return false;
    *out = SmallPrimeField(x);
    return true;
  }
  // Accept words below the largest multiple of P that fits in 64 bits.
  ZKPOT_HD static bool from_uniform_u64(uint64_t x, SmallPrimeField* out) {
    constexpr uint64_t kLimit = UINT64_MAX - (UINT64_MAX % P + 1) % P;  // multiple of P, minus 1
    if (x > kLimit) return false;
    *out = SmallPrimeField(x % P);
    return true;
  }

 private:
  ZKPOT_HD constexpr explicit SmallPrimeField(uint64_t v) : v_(v) {}
  uint64_t v_;
};

// Montgomery's trick: one inversion for a whole span. Zeros stay zero.
template <class F>
void batch_inverse(F* values, size_t n, F* scratch) {
  F acc = F::one();
  for (size_t i = 0; i < n; ++i) {
    scratch[i] = acc;
    if (!values[i].is_zero()) acc *= values[i];
  }
  F inv = acc.inverse();
  for (size_t i = n; i-- > 0;) {
    if (values[i].is_zero()) continue;
    const F v = values[i];
    values[i] = inv * scratch[i];
    inv *= v;
  }
}

}  // namespace zkpot
