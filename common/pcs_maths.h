// The maths that the commitment scheme's prover and verifier share
// (docs/PROTOCOL.md §9.1-§9.3): domain points of a codeword leaf, folding a
// leaf, eq at "power" points, conversions between the monomial coefficients
// and the hypercube values of small multilinear polynomials, proof of work.
//
// Verifier-side code: no allocation, no exceptions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <type_traits>

#include "common/blake2b_lanes.h"
#include "common/extension.h"
#include "common/field.h"
#include "common/hash.h"
#include "common/ntt.h"

namespace zkpot {

// A codeword of round j has N = 2^log_n symbols, the evaluations of P_j on the
// coset shift * <w_N>, stored in bit-reversed order (the output order of a DIF
// NTT). Its 2^(log_n - k) leaves are the consecutive blocks of 2^k symbols:
// leaf p holds P(Y zeta^rev_k(i)), i < 2^k, with Y = shift w_N^rev(p) and zeta
// a primitive 2^k-th root of unity, i.e. the 2^k points whose 2^k-th power is
// Y^(2^k). Folding the leaf gives P_{j+1} at that point.
template <class F>
F pcs_leaf_point(uint64_t shift, unsigned log_n, unsigned k, uint64_t leaf) {
  const F w = F::root_of_unity(log_n);
  return F::from_u64(shift) * w.pow(reverse_bits(leaf, log_n - k));
}
// 1 / pcs_leaf_point, without an inversion: w^-e = w^(N - e).
template <class F>
F pcs_leaf_point_inverse(const F& shift_inverse, unsigned log_n, unsigned k, uint64_t leaf) {
  const F w = F::root_of_unity(log_n);
  const uint64_t e = reverse_bits(leaf, log_n - k);
  return shift_inverse * w.pow(e == 0 ? 0 : (uint64_t{1} << log_n) - e);
}

// pcs_leaf_point and its inverse for the many leaves one round queries: w^e
// as the product of w^(2^i) over the set bits of e (about log_n / 2 products
// instead of a square-and-multiply pow). Same values as the functions above.
template <class F>
class PcsLeafPoints {
 public:
  PcsLeafPoints(uint64_t shift, const F& shift_inverse, unsigned log_n, unsigned k)
      : shift_(F::from_u64(shift)), shift_inv_(shift_inverse), bits_(log_n - k) {
    F w = F::root_of_unity(log_n), wi = w.inverse();
    for (unsigned i = 0; i < bits_ && i < 64; ++i, w = w.square(), wi = wi.square()) {
      pw_[i] = w;
      pw_inv_[i] = wi;
    }
  }
  F point(uint64_t leaf) const { return shift_ * power(pw_, reverse_bits(leaf, bits_)); }
  F inverse(uint64_t leaf) const { return shift_inv_ * power(pw_inv_, reverse_bits(leaf, bits_)); }

 private:
  static F power(const F* table, uint64_t e) {
    F acc = F::one();
    for (unsigned i = 0; e != 0; ++i, e >>= 1)
      if (e & 1) acc *= table[i];
    return acc;
  }
  F shift_, shift_inv_;
  unsigned bits_;
  F pw_[64], pw_inv_[64];
};

// Folds one leaf of 2^k values (bit-reversed order, see above) with the
// challenges r_0..r_{k-1}: each level pairs (v_2i, v_2i+1) = (P(x), P(-x)),
// x = Y zeta^rev_{k-1}(i), and keeps (P(x) + P(-x))/2 + r (P(x) - P(-x))/(2x),
// the even part plus r times the odd part. `work` holds 2^(k-1) values; the
// result is the folded polynomial at Y^(2^k).
//
// Cost (docs/PROTOCOL.md §9.3): each level is linear in its inputs, so the
// halvings are applied once, as 2^-k on the result; a base-field leaf's first
// level stays in F up to one product r_0 (F value), and the later levels cost
// one product in K per pair. The value is the same as halving every level.
template <class F, class E, class V>
E pcs_fold_leaf(std::span<const V> leaf, unsigned k, const F& y_inverse, std::span<const E> r, std::span<E> work) {
  const size_t n = size_t{1} << k;
  if (k == 0) return E(leaf[0]);
  const F half = F::from_u64((F::kModulus >> 1) + 1);  // (p + 1)/2 = 1/2, p odd
  F y_inv = y_inverse;
  // zeta^-1 = zeta^(2^k - 1) = prod_{i<k} zeta^(2^i): k squarings, no inversion.
  F zeta_inv = F::one(), z = F::root_of_unity(k);
  for (unsigned i = 0; i < k; ++i, z = z.square()) zeta_inv *= z;
  // Powers of the original zeta_inv, e < 2^(k-1): level L's zeta_inv is its
  // 2^L-th power, so the level's zeta_inv^e is entry e·2^L (< 2^(k-1)).
  // 2 KiB of stack at most (ZKPOT_VERIFY_STACK_BYTES); wider leaves, which
  // no parameter set uses, take one pow per pair instead.
  constexpr unsigned kMaxLeafBits = 9;
  F zpow[size_t{1} << (kMaxLeafBits - 1)];
  const bool tabulate = k <= kMaxLeafBits;
  if (tabulate) {
    zpow[0] = F::one();
    for (size_t e = 1; e < n / 2; ++e) zpow[e] = zpow[e - 1] * zeta_inv;
  }
  // Level 0, read from the leaf: 2^(k-1) pairs.
  {
    const size_t pairs = n >> 1;
    const unsigned bits = k - 1;
    for (size_t i = 0; i < pairs; ++i) {
      const uint64_t e = reverse_bits(i, bits);
      const F x_inv = y_inv * (tabulate ? zpow[e] : zeta_inv.pow(e));
      const V& a = leaf[2 * i];
      const V& b = leaf[2 * i + 1];
      work[i] = E(a + b) + r[0] * ((a - b) * x_inv);
    }
    y_inv = y_inv.square();
    zeta_inv = zeta_inv.square();
  }
  for (unsigned level = 1; level < k; ++level) {
    const size_t pairs = n >> (level + 1);
    const unsigned bits = k - level - 1;
    for (size_t i = 0; i < pairs; ++i) {
      const uint64_t e = reverse_bits(i, bits);
      const F x_inv = y_inv * (tabulate ? zpow[e << level] : zeta_inv.pow(e));
      const E a = work[2 * i], b = work[2 * i + 1];
      work[i] = (a + b) + r[level] * ((a - b) * x_inv);
    }
    y_inv = y_inv.square();
    zeta_inv = zeta_inv.square();
  }
  F scale = F::one();  // 2^-k
  for (unsigned i = 0; i < k; ++i) scale *= half;
  return work[0] * scale;
}

// pcs_fold_leaf for the many leaves of one round: the twiddles are tabulated
// once per round rather than per leaf, and y^-1 is folded into the level's
// challenge (r_L y_L^-1 once per level instead of y_L^-1 zeta^-e per pair).
// Level L's twiddle for pair i, zeta^-(rev_{k-L-1}(i) 2^L), equals level 0's
// for pair i, zeta^-rev_{k-1}(i), so one table of 2^(k-1) serves every level.
// The value is pcs_fold_leaf's.
template <class F>
class PcsLeafFolder {
 public:
  // 1 KiB of twiddles on the verifier's stack; the production leaves have
  // k <= 5, and larger ones fall back to pcs_fold_leaf.
  static constexpr unsigned kMaxLeafBits = 8;
  static bool supports(unsigned k) { return k <= kMaxLeafBits; }
  explicit PcsLeafFolder(unsigned k) : k_(k <= kMaxLeafBits ? k : 0) {
    const size_t half_n = (size_t{1} << k_) >> 1;
    F zeta_inv = F::one(), z = F::root_of_unity(k_);
    for (unsigned i = 0; i < k_; ++i, z = z.square()) zeta_inv *= z;
    F zpow = F::one();
    for (size_t e = 0; e < half_n; ++e, zpow *= zeta_inv) tw_[reverse_bits(e, k_ - 1)] = zpow;
    const F half = F::from_u64((F::kModulus >> 1) + 1);
    scale_ = F::one();
    for (unsigned i = 0; i < k_; ++i) scale_ *= half;
  }

  // `work` holds 2^(k-1) values, as for pcs_fold_leaf.
  template <class E, class V>
  E fold(std::span<const V> leaf, const F& y_inverse, std::span<const E> r, std::span<E> work) const {
    if (k_ == 0) return E(leaf[0]);
    F y_inv = y_inverse;
    {
      const E ry = r[0] * y_inv;
      const size_t pairs = (size_t{1} << k_) >> 1;
      for (size_t i = 0; i < pairs; ++i) {
        const V& a = leaf[2 * i];
        const V& b = leaf[2 * i + 1];
        work[i] = E(a + b) + ry * ((a - b) * tw_[i]);
      }
      y_inv = y_inv.square();
    }
    for (unsigned level = 1; level < k_; ++level) {
      const size_t pairs = (size_t{1} << k_) >> (level + 1);
      const E ry = r[level] * y_inv;
      for (size_t i = 0; i < pairs; ++i) {
        const E a = work[2 * i], b = work[2 * i + 1];
        work[i] = (a + b) + ry * ((a - b) * tw_[i]);
      }
      y_inv = y_inv.square();
    }
    return work[0] * scale_;
  }

 private:
  unsigned k_;
  F scale_;
  F tw_[size_t{1} << (kMaxLeafBits - 1)];
};

// eq(pow(x) restricted to variables [0, r.size()), r) where pow(x)_j = x^(2^j):
// the eq weight of a univariate evaluation point (docs/PROTOCOL.md §9.1).
template <class E, class X>
E pcs_eq_pow(const X& x, std::span<const E> r) {
  E acc = E::one();
  X xp = x;
  for (size_t j = 0; j < r.size(); ++j) {
    const E xe(xp);
    acc *= xe * r[j] + (E::one() - xe) * (E::one() - r[j]);
    xp = xp * xp;
  }
  return acc;
}
// x^(2^j), the j-th coordinate of pow(x).
template <class X>
X pcs_pow2k(X x, unsigned j) {
  for (unsigned i = 0; i < j; ++i) x = x * x;
  return x;
}

// sum_i c_i x^i (Horner); the univariate view of a multilinear polynomial
// with monomial coefficients c (coefficient index bit j = variable x_j).
template <class E, class X>
E pcs_univariate_eval(std::span<const E> coeffs, const X& x) {
  E acc = E::zero();
  for (size_t i = coeffs.size(); i-- > 0;) acc = acc * x + coeffs[i];  // E x F when x is in F
  return acc;
}

// The multilinear polynomial with monomial coefficients c at point z:
// folds one variable at a time into `work` (size c.size()).
template <class E>
E pcs_monomial_eval(std::span<const E> coeffs, std::span<const E> z, std::span<E> work) {
  size_t n = coeffs.size();
  for (size_t i = 0; i < n; ++i) work[i] = coeffs[i];
  for (size_t j = 0; j < z.size(); ++j) {
    n /= 2;
    for (size_t i = 0; i < n; ++i) work[i] = work[2 * i] + z[j] * work[2 * i + 1];
  }
  return work[0];
}

// Monomial coefficients -> hypercube values (zeta transform) and back
// (Moebius transform), in place.
template <class T>
void pcs_coeffs_to_evals(std::span<T> a) {
  for (size_t h = 1; h < a.size(); h <<= 1)
    for (size_t i = 0; i < a.size(); ++i)
      if (i & h) a[i] += a[i ^ h];
}
template <class T>
void pcs_evals_to_coeffs(std::span<T> a) {
  for (size_t h = 1; h < a.size(); h <<= 1)
    for (size_t i = 0; i < a.size(); ++i)
      if (i & h) a[i] -= a[i ^ h];
}

// Proof of work (docs/PROTOCOL.md §9.3): H_pow(challenge || nonce), read as a
// little-endian 64-bit word, must be below 2^(64 - bits).
template <class H = Blake2b256>
bool pcs_pow_ok(const typename H::Digest& challenge, uint64_t nonce, unsigned bits) {
  if (bits == 0) return true;
  if (bits >= 64) return false;
  typename H::State st(personal::kProofOfWork);
  st.update(challenge.data(), challenge.size());
  st.update_u64(nonce);
  const typename H::Digest d = st.finalize();
  uint64_t w = 0;
  for (int i = 0; i < 8; ++i) w |= static_cast<uint64_t>(d[i]) << (8 * i);
  return (w >> (64 - bits)) == 0;
}

// The first of the four nonces first, first + 1, first + 2, first + 3 that
// meets `bits` (pcs_pow_ok), or 4 when none does: the four hashes side by side
// in BLAKE2b lanes where the CPU has them (the prover's grinding), else one
// by one. Same answer either way (tests/pcs_maths_test.cc).
template <class H = Blake2b256>
unsigned pcs_pow_first_of4(const typename H::Digest& challenge, uint64_t first, unsigned bits) {
  if constexpr (std::is_same_v<H, Blake2b256>) {
    if (bits > 0 && bits < 64) {
      static const blake2b_lanes::InitialState pow_state(personal::kProofOfWork);
      constexpr size_t kLen = sizeof(typename H::Digest) + 8;
      uint8_t msgs[4][kLen];
      const uint8_t* ptrs[4];
      for (unsigned l = 0; l < 4; ++l) {
        std::memcpy(msgs[l], challenge.data(), challenge.size());
        blake2b_lanes::store_le64(msgs[l] + challenge.size(), first + l);
        ptrs[l] = msgs[l];
      }
      uint8_t digests[4 * 32];
      if (blake2b_lanes::hash4(pow_state, ptrs, kLen, digests)) {
        for (unsigned l = 0; l < 4; ++l)
          if ((blake2b_lanes::load_le64(digests + 32 * l) >> (64 - bits)) == 0) return l;
        return 4;
      }
    }
  }
  for (unsigned l = 0; l < 4; ++l)
    if (pcs_pow_ok<H>(challenge, first + l, bits)) return l;
  return 4;
}

}  // namespace zkpot
