// Radix-2 number-theoretic transforms over any field with the Goldilocks
// interface (F::root_of_unity, F::kTwoAdicity): the reference implementation,
// single-threaded and in place. prover/ntt_parallel.h computes the same maps
// faster for big sizes. What is computed, and in which order: docs/PROTOCOL.md §1.4.
//
// With n = 2^k and w = F::root_of_unity(k), the forward transform maps the
// coefficients c_0..c_{n-1} of f(X) = sum_j c_j X^j to the evaluations f(w^i).
// Index i of a "bit-reversed" array holds the value for reverse_bits(i, k).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <stdexcept>
#include <utility>
#include <vector>

#include "common/hd.h"

namespace zkpot {

// Decimation in frequency (Gentleman-Sande): (a, b) <- (a + b, (a - b) w).
template <class F>
ZKPOT_HD void ntt_dif_butterfly(F& a, F& b, const F& w) {
  const F sum = a + b;
  b = (a - b) * w;
  a = sum;
}

// Decimation in time (Cooley-Tukey): (a, b) <- (a + w b, a - w b).
template <class F>
ZKPOT_HD void ntt_dit_butterfly(F& a, F& b, const F& w) {
  const F t = b * w;
  b = a - t;
  a = a + t;
}

// The low `bits` bits of x in reverse order.
ZKPOT_HD uint64_t reverse_bits(uint64_t x, unsigned bits) {
  uint64_t r = 0;
  for (unsigned i = 0; i < bits; ++i, x >>= 1) r = (r << 1) | (x & 1);
  return r;
}

// Output order of a forward transform (input order of an inverse one).
enum class NttOrder { kNatural, kBitReversed };

namespace ntt_detail {
// log2 of a transform length; throws unless n is a power of two the field's
// 2-adicity supports.
template <class F>
unsigned checked_log2(size_t n) {
  if (n == 0 || (n & (n - 1)) != 0) throw std::invalid_argument("NTT length is not a power of two");
  unsigned k = 0;
  while ((size_t{1} << k) < n) ++k;
  if (k > F::kTwoAdicity) throw std::invalid_argument("NTT length exceeds the field's 2-adicity");
  return k;
}
}  // namespace ntt_detail

// In-place bit-reversal permutation; the length must be a power of two.
template <class F>
void bit_reverse_permute(std::span<F> a) {
  if (a.empty()) return;
  if ((a.size() & (a.size() - 1)) != 0) throw std::invalid_argument("bit_reverse_permute: length is not a power of two");
  unsigned k = 0;
  while ((size_t{1} << k) < a.size()) ++k;
  for (size_t i = 0; i < a.size(); ++i) {
    const size_t j = static_cast<size_t>(reverse_bits(i, k));
    if (i < j) std::swap(a[i], a[j]);
  }
}

// Twiddle factors for transforms of length n = 2^log_n, laid out per stage so
// every stage reads them contiguously: the stage whose butterflies span h
// (h = 1, 2, 4, ..., n/2) uses w_{2h}^j, j < h, stored at [h - 1 + j], where
// w_{2h} = w_n^(n/2h). Inverse tables hold the inverse powers.
template <class F>
class NttTwiddles {
 public:
  explicit NttTwiddles(unsigned log_n) : log_n_(log_n) {
    if (log_n > F::kTwoAdicity) throw std::invalid_argument("NTT length exceeds the field's 2-adicity");
    const size_t n = size_t{1} << log_n;
    n_inverse_ = F::from_u64(n).inverse();
    if (n == 1) return;
    const size_t half = n / 2;
    // Powers w^j of the top root, computed once; lower stages take every
    // (n/2h)-th entry. w^-j = -w^(n/2 - j) since w^(n/2) = -1.
    std::vector<F> top(half);
    const F w = F::root_of_unity(log_n);
    top[0] = F::one();
    for (size_t j = 1; j < half; ++j) top[j] = top[j - 1] * w;
    forward_.resize(n - 1);
    inverse_.resize(n - 1);
    for (size_t h = 1; h <= half; h <<= 1) {
      const size_t stride = half / h;
      for (size_t j = 0; j < h; ++j) {
        forward_[h - 1 + j] = top[j * stride];
        inverse_[h - 1 + j] = j == 0 ? F::one() : -top[half - j * stride];
      }
    }
  }

  unsigned log_n() const { return log_n_; }
  size_t size() const { return size_t{1} << log_n_; }
  // w_{2h}^j for j < h; h a power of two below size().
  const F* forward(size_t h) const { return forward_.data() + (h - 1); }
  const F* inverse(size_t h) const { return inverse_.data() + (h - 1); }
  const F& n_inverse() const { return n_inverse_; }

 private:
  unsigned log_n_;
  F n_inverse_;
  std::vector<F> forward_, inverse_;
};

// The shared, lazily built tables for length 2^log_n. They are never freed,
// so references stay valid for the life of the program.
template <class F>
const NttTwiddles<F>& ntt_twiddles(unsigned log_n) {
  if (log_n > F::kTwoAdicity) throw std::invalid_argument("NTT length exceeds the field's 2-adicity");
  static std::mutex mu;
  static std::array<std::unique_ptr<const NttTwiddles<F>>, 65> cache;
  const std::lock_guard<std::mutex> lock(mu);
  auto& slot = cache[log_n];
  if (!slot) slot = std::make_unique<const NttTwiddles<F>>(log_n);
  return *slot;
}

// Coefficients in natural order -> evaluations f(w^i) in bit-reversed order.
template <class F>
void ntt_to_bit_reversed(std::span<F> a, const NttTwiddles<F>& tw) {
  const size_t n = a.size();
  if (n != tw.size()) throw std::invalid_argument("ntt: twiddle table has the wrong length");
  for (size_t h = n / 2; h >= 1; h >>= 1) {
    const F* w = tw.forward(h);
    for (size_t block = 0; block < n; block += 2 * h)
      for (size_t j = 0; j < h; ++j) ntt_dif_butterfly(a[block + j], a[block + j + h], w[j]);
  }
}

// Evaluations f(w^i) in bit-reversed order -> coefficients in natural order.
template <class F>
void intt_from_bit_reversed(std::span<F> a, const NttTwiddles<F>& tw) {
  const size_t n = a.size();
  if (n != tw.size()) throw std::invalid_argument("intt: twiddle table has the wrong length");
  for (size_t h = 1; h < n; h <<= 1) {
    const F* w = tw.inverse(h);
    for (size_t block = 0; block < n; block += 2 * h)
      for (size_t j = 0; j < h; ++j) ntt_dit_butterfly(a[block + j], a[block + j + h], w[j]);
  }
  for (F& x : a) x *= tw.n_inverse();
}

template <class F>
void ntt_to_bit_reversed(std::span<F> a) {
  ntt_to_bit_reversed(a, ntt_twiddles<F>(ntt_detail::checked_log2<F>(a.size())));
}
template <class F>
void intt_from_bit_reversed(std::span<F> a) {
  intt_from_bit_reversed(a, ntt_twiddles<F>(ntt_detail::checked_log2<F>(a.size())));
}

// Coefficients -> evaluations, both in natural order.
template <class F>
void ntt(std::span<F> a) {
  ntt_to_bit_reversed(a);
  bit_reverse_permute(a);
}
// Evaluations -> coefficients, both in natural order.
template <class F>
void intt(std::span<F> a) {
  ntt_detail::checked_log2<F>(a.size());
  bit_reverse_permute(a);
  intt_from_bit_reversed(a);
}

// a[i] *= start * ratio^i: moves a polynomial to a coset (f(X) -> f(sX)).
template <class F>
void scale_by_powers(std::span<F> a, F start, F ratio) {
  for (F& x : a) {
    x *= start;
    start *= ratio;
  }
}

// Evaluations of f on the coset shift * <w>: out[i] = f(shift w^i), in the
// given order; a holds the coefficients on entry.
template <class F>
void coset_ntt(std::span<F> a, const F& shift, NttOrder order = NttOrder::kNatural) {
  ntt_detail::checked_log2<F>(a.size());
  scale_by_powers(a, F::one(), shift);
  if (order == NttOrder::kNatural) {
    ntt(a);
  } else {
    ntt_to_bit_reversed(a);
  }
}
// Inverse of coset_ntt: evaluations on shift * <w> (in `order`) -> coefficients.
template <class F>
void coset_intt(std::span<F> a, const F& shift, NttOrder order = NttOrder::kNatural) {
  ntt_detail::checked_log2<F>(a.size());
  if (shift.is_zero()) throw std::invalid_argument("coset_intt: the shift must be non-zero");
  if (order == NttOrder::kNatural) {
    intt(a);
  } else {
    intt_from_bit_reversed(a);
  }
  scale_by_powers(a, F::one(), shift.inverse());
}

// Reed-Solomon encoding: the polynomial with the given coefficients (at most
// out.size() of them) evaluated on shift * <w_N>, N = out.size() a power of
// two; out[i] = f(shift w_N^i) in natural order, or bit-reversed on request.
template <class F>
void low_degree_extension(std::span<const F> coeffs, std::span<F> out, const F& shift,
                          NttOrder order = NttOrder::kNatural) {
  ntt_detail::checked_log2<F>(out.size());
  if (coeffs.size() > out.size()) throw std::invalid_argument("low_degree_extension: more coefficients than points");
  F power = F::one();
  for (size_t i = 0; i < coeffs.size(); ++i) {
    out[i] = coeffs[i] * power;
    power *= shift;
  }
  for (size_t i = coeffs.size(); i < out.size(); ++i) out[i] = F::zero();
  if (order == NttOrder::kNatural) {
    ntt(out);
  } else {
    ntt_to_bit_reversed(out);
  }
}

}  // namespace zkpot
