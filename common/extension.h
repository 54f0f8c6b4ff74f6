// Extension fields F[X]/(X^D - W). The production challenge field is the cubic
// extension of Goldilocks with W = 7 (docs/PROTOCOL.md §1); D = 1 wraps a base
// field so that protocol templates can run with challenges in a toy prime field.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "common/field.h"
#include "common/hd.h"

namespace zkpot {

template <class B, unsigned D, uint64_t W>
class Extension {
 public:
  static_assert(D >= 1 && D <= 3, "degrees 1, 2 and 3 are supported");
  using Base = B;
  static constexpr unsigned kDegree = D;
  static constexpr uint64_t kNonResidue = W;
  static constexpr size_t kEncodedBytes = D * B::kEncodedBytes;

  ZKPOT_HD_CONST Extension() : c_{} {}
  ZKPOT_HD_CONST Extension(B b) : c_{} { c_[0] = b; }  // NOLINT: the base embeds implicitly
  ZKPOT_HD static Extension from_coeffs(const B* coeffs) {
    Extension e;
    for (unsigned i = 0; i < D; ++i) e.c_[i] = coeffs[i];
    return e;
  }
  ZKPOT_HD static Extension from_u64(uint64_t x) { return Extension(B::from_u64(x)); }
  ZKPOT_HD static Extension from_i64(int64_t x) { return Extension(B::from_i64(x)); }
  ZKPOT_HD static Extension zero() { return Extension(); }
  ZKPOT_HD static Extension one() { return Extension(B::one()); }

  ZKPOT_HD const B& coeff(unsigned i) const { return c_[i]; }
  ZKPOT_HD B& coeff(unsigned i) { return c_[i]; }
  ZKPOT_HD bool is_zero() const {
    for (unsigned i = 0; i < D; ++i)
      if (!c_[i].is_zero()) return false;
    return true;
  }
  // True when the value lies in the base field.
  ZKPOT_HD bool is_base() const {
    for (unsigned i = 1; i < D; ++i)
      if (!c_[i].is_zero()) return false;
    return true;
  }

  ZKPOT_HD_HOT Extension operator+(const Extension& o) const {
    Extension r;
    for (unsigned i = 0; i < D; ++i) r.c_[i] = c_[i] + o.c_[i];
    return r;
  }
  ZKPOT_HD_HOT Extension operator-(const Extension& o) const {
    Extension r;
    for (unsigned i = 0; i < D; ++i) r.c_[i] = c_[i] - o.c_[i];
    return r;
  }
  ZKPOT_HD Extension operator-() const {
    Extension r;
    for (unsigned i = 0; i < D; ++i) r.c_[i] = -c_[i];
    return r;
  }
  // Multiplication by a base element: D base products.
  ZKPOT_HD_HOT Extension operator*(const B& b) const {
    Extension r;
    for (unsigned i = 0; i < D; ++i) r.c_[i] = c_[i] * b;
    return r;
  }
  ZKPOT_HD_HOT Extension operator*(const Extension& o) const {
    Extension r;
    if constexpr (D == 1) {
      r.c_[0] = c_[0] * o.c_[0];
    } else if constexpr (D == 2) {
      const B w = B::from_u64(W);
      r.c_[0] = c_[0] * o.c_[0] + w * (c_[1] * o.c_[1]);
      r.c_[1] = c_[0] * o.c_[1] + c_[1] * o.c_[0];
    } else if constexpr (std::is_same_v<B, Goldilocks>) {
      // Schoolbook with X^3 = W and lazy reduction: nine 128-bit products,
      // summed three at a time and reduced once per coefficient (Goldilocks::dot3),
      // plus the two products W a_1, W a_2 (docs/PROTOCOL.md §1).
      const B wa1 = mul_w(c_[1]), wa2 = mul_w(c_[2]);
      r.c_[0] = B::dot3(c_[0], o.c_[0], wa1, o.c_[2], wa2, o.c_[1]);
      r.c_[1] = B::dot3(c_[0], o.c_[1], c_[1], o.c_[0], wa2, o.c_[2]);
      r.c_[2] = B::dot3(c_[0], o.c_[2], c_[1], o.c_[1], c_[2], o.c_[0]);
    } else {
      // Karatsuba with X^3 = W: six base products instead of nine.
      const B m0 = c_[0] * o.c_[0], m1 = c_[1] * o.c_[1], m2 = c_[2] * o.c_[2];
      const B m01 = (c_[0] + c_[1]) * (o.c_[0] + o.c_[1]);
      const B m02 = (c_[0] + c_[2]) * (o.c_[0] + o.c_[2]);
      const B m12 = (c_[1] + c_[2]) * (o.c_[1] + o.c_[2]);
      r.c_[0] = m0 + mul_w(m12 - m1 - m2);
      r.c_[1] = m01 - m0 - m1 + mul_w(m2);
      r.c_[2] = m02 - m0 - m2 + m1;
    }
    return r;
  }
  ZKPOT_HD_HOT Extension& operator+=(const Extension& o) { return *this = *this + o; }
  ZKPOT_HD_HOT Extension& operator-=(const Extension& o) { return *this = *this - o; }
  ZKPOT_HD_HOT Extension& operator*=(const Extension& o) { return *this = *this * o; }
  ZKPOT_HD_HOT Extension& operator*=(const B& o) { return *this = *this * o; }
  ZKPOT_HD bool operator==(const Extension& o) const {
    for (unsigned i = 0; i < D; ++i)
      if (c_[i] != o.c_[i]) return false;
    return true;
  }
  ZKPOT_HD bool operator!=(const Extension& o) const { return !(*this == o); }

  ZKPOT_HD Extension square() const { return *this * *this; }
  ZKPOT_HD Extension pow(uint64_t e) const {
    Extension r = one(), b = *this;
    while (e) {
      if (e & 1) r *= b;
      b = b.square();
      e >>= 1;
    }
    return r;
  }
  // Inverse through the adjugate of the multiplication matrix: one base
  // inversion of the norm. The inverse of zero is zero.
  ZKPOT_HD Extension inverse() const {
    Extension r;
    if constexpr (D == 1) {
      r.c_[0] = c_[0].inverse();
    } else if constexpr (D == 2) {
      const B w = B::from_u64(W);
      const B n = c_[0] * c_[0] - w * (c_[1] * c_[1]);
      const B ni = n.inverse();
      r.c_[0] = c_[0] * ni;
      r.c_[1] = -(c_[1] * ni);
    } else {
      const B& a0 = c_[0];
      const B& a1 = c_[1];
      const B& a2 = c_[2];
      const B b0 = a0 * a0 - mul_w(a1 * a2);
      const B b1 = mul_w(a2 * a2) - a0 * a1;
      const B b2 = a1 * a1 - a0 * a2;
      const B n = a0 * b0 + mul_w(a1 * b2 + a2 * b1);
      const B ni = n.inverse();
      r.c_[0] = b0 * ni;
      r.c_[1] = b1 * ni;
      r.c_[2] = b2 * ni;
    }
    return r;
  }

  ZKPOT_HD void encode(uint8_t* out) const {
    for (unsigned i = 0; i < D; ++i) c_[i].encode(out + i * B::kEncodedBytes);
  }
  ZKPOT_HD static bool decode(const uint8_t* in, Extension* out) {
    for (unsigned i = 0; i < D; ++i)
      if (!B::decode(in + i * B::kEncodedBytes, &out->c_[i])) return false;
    return true;
  }

 private:
  ZKPOT_HD_HOT static B mul_w(const B& x) { return x * B::from_u64(W); }
  B c_[D];
};

// The production challenge field: Goldilocks^3 with X^3 = 7.
using Gl = Goldilocks;
using GlExt3 = Extension<Goldilocks, 3, 7>;

// Traits that relate a challenge field to its base.
template <class E>
struct ExtensionTraits;
template <class B, unsigned D, uint64_t W>
struct ExtensionTraits<Extension<B, D, W>> {
  using Base = B;
  static constexpr unsigned kDegree = D;
};

}  // namespace zkpot
