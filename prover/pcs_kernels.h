// Inner loops of the commitment prover (docs/PROTOCOL.md §9.2): dot products
// of K-values with base-field values accumulated without reduction, and the
// parallel transforms between hypercube values and monomial coefficients.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include "common/extension.h"
#include "common/pcs_maths.h"
#include "prover/ntt_parallel.h"
#include "prover/parallel.h"

namespace zkpot::pcs_kernels {

using F = Goldilocks;
using E = GlExt3;
using u128 = unsigned __int128;

// sum of products x_i * y_i (x in K, y in F) kept as three 192-bit integers
// (2^64 products fit); one reduction at the end.
struct LazyExt {
  u128 lo[3] = {0, 0, 0};
  uint64_t hi[3] = {0, 0, 0};

  inline void mac(const E& x, const F& y) {
    const uint64_t b = y.value();
    for (unsigned d = 0; d < 3; ++d) {
      const u128 p = static_cast<u128>(x.coeff(d).value()) * b;
      lo[d] += p;
      hi[d] += lo[d] < p;
    }
  }
  // x0 + 2^64 x1 + 2^128 x2 with 2^128 = -2^32 (mod p).
  static F reduce192(u128 lo, uint64_t hi) {
    const F low = F::reduce128(static_cast<uint64_t>(lo), static_cast<uint64_t>(lo >> 64));
    return low - F::from_u64(hi) * F::from_canonical(uint64_t{1} << 32);
  }
  inline E value() const {
    E r;
    for (unsigned d = 0; d < 3; ++d) r.coeff(d) = reduce192(lo[d], hi[d]);
    return r;
  }
};

// Hypercube values <-> monomial coefficients in place (Moebius transform when
// kInverse, zeta transform otherwise), in parallel: the low bits inside rows,
// the high bits along the columns in strips, so the table is read and written
// about twice in all.
template <bool kInverse, class T>
void subset_transform(std::span<T> a) {
  const size_t n = a.size();
  if (n <= 1) return;
  unsigned log_n = 0;
  while ((size_t{1} << log_n) < n) ++log_n;
  const unsigned row_bits = log_n < 12 ? log_n : (log_n + 1) / 2;
  const size_t row = size_t{1} << row_bits, rows = n >> row_bits;
  parallel_chunks(
      rows,
      [&](size_t b, size_t e, size_t) {
        for (size_t r = b; r < e; ++r) {
          T* x = a.data() + r * row;
          for (size_t h = 1; h < row; h <<= 1)
            for (size_t blk = 0; blk < row; blk += 2 * h)
              for (size_t j = blk; j < blk + h; ++j) {
                if constexpr (kInverse) x[j + h] -= x[j];
                else x[j + h] += x[j];
              }
        }
      },
      1);
  if (rows == 1) return;
  constexpr size_t kStrip = 8;
  const size_t strip = row < kStrip ? row : kStrip;
  parallel_chunks(
      row / strip,
      [&](size_t b, size_t e, size_t) {
        std::vector<T> buf(rows * strip);
        for (size_t s = b; s < e; ++s) {
          const size_t c0 = s * strip;
          for (size_t r = 0; r < rows; ++r)
            for (size_t c = 0; c < strip; ++c) buf[r * strip + c] = a[r * row + c0 + c];
          for (size_t h = 1; h < rows; h <<= 1)
            for (size_t blk = 0; blk < rows; blk += 2 * h)
              for (size_t r = blk; r < blk + h; ++r) {
                T* dst = buf.data() + (r + h) * strip;
                const T* src = buf.data() + r * strip;
                for (size_t c = 0; c < strip; ++c) {
                  if constexpr (kInverse) dst[c] -= src[c];
                  else dst[c] += src[c];
                }
              }
          for (size_t r = 0; r < rows; ++r)
            for (size_t c = 0; c < strip; ++c) a[r * row + c0 + c] = buf[r * strip + c];
        }
      },
      1);
}
template <class T>
void evals_to_coeffs(std::span<T> a) {
  subset_transform<true, T>(a);
}
template <class T>
void coeffs_to_evals(std::span<T> a) {
  subset_transform<false, T>(a);
}

// W[h * 2^lo + l] += sum_i c_i(h) t_lo_i[l] with c_i(h) = g_i t_hi_i[h]: adds
// sum_i g_i eq(pow(x_i), .) to the weight table for base-field points x_i
// (the shift constraints of a WHIR round), as a lazily reduced matrix product.
inline void add_eq_pow_points(std::span<E> W, uint32_t vars, std::span<const F> xs, std::span<const E> gs) {
  const uint32_t lo = vars / 2, hi = vars - lo;
  const size_t nlo = size_t{1} << lo, nhi = size_t{1} << hi, t = xs.size();
  if (t == 0) return;
  // t_lo transposed ([l][i]) so the inner product over i is contiguous.
  std::vector<F> tl(nlo * t), th(nhi * t);
  auto fill_eq = [](F x, uint32_t m, F* out, size_t stride) {
    // out[b * stride] = eq(pow(x), b) for b < 2^m.
    out[0] = F::one();
    size_t len = 1;
    F xp = x;
    for (uint32_t j = 0; j < m; ++j) {
      const F one_minus = F::one() - xp;
      for (size_t b = len; b-- > 0;) {
        const F v = out[b * stride];
        out[(b + len) * stride] = v * xp;
        out[b * stride] = v * one_minus;
      }
      len <<= 1;
      xp = xp.square();
    }
  };
  for (size_t i = 0; i < t; ++i) {
    fill_eq(xs[i], lo, tl.data() + i, t);
    fill_eq(pcs_pow2k(xs[i], lo), hi, th.data() + i, t);
  }
  parallel_chunks(
      nhi,
      [&](size_t b, size_t e, size_t) {
        std::vector<E> c(t);
        for (size_t h = b; h < e; ++h) {
          for (size_t i = 0; i < t; ++i) c[i] = gs[i] * th[h * t + i];
          E* wrow = W.data() + h * nlo;
          for (size_t l = 0; l < nlo; ++l) {
            const F* col = tl.data() + l * t;
            LazyExt acc;
            for (size_t i = 0; i < t; ++i) acc.mac(c[i], col[i]);
            wrow[l] += acc.value();
          }
        }
      },
      1);
}

// Symbols [q 2^log_l, (q + 1) 2^log_l) of the bit-reversed codeword of size
// 2^log_n, on the coset shift<w>, of the polynomial whose 2^msg_vars monomial
// coefficients fill(begin, len, out) writes (docs/PROTOCOL.md §9.7).
// Position q 2^log_l + i holds the value at shift w^(rev_c(q) + 2^c rev_l(i)),
// c = log_n - log_l: the chunk is the polynomial on the coset s<w^(2^c)>,
// s = shift w^rev_c(q), in bit-reversed order, i.e. the size-2^log_l NTT of
// sum_u c_(t + u 2^log_l) s^(t + u 2^log_l) (the coefficients reduced mod
// X^L - s^L). With q = 0 and log_l = log_n it is the whole codeword.
template <class Fill>
void codeword_chunk(const Fill& fill, uint32_t msg_vars, uint32_t log_n, uint32_t log_l, uint64_t shift, size_t q,
                    std::span<F> out) {
  constexpr size_t kBlock = size_t{1} << 12;
  const size_t len = size_t{1} << log_l;
  const size_t msg = size_t{1} << msg_vars;
  if (out.size() != len || log_l > log_n) throw std::logic_error("pcs: codeword chunk of the wrong size");
  const F s = F::from_u64(shift) * F::root_of_unity(log_n).pow(reverse_bits(q, log_n - log_l));
  const size_t block = std::min(kBlock, len);
  if (msg <= len) {
    parallel_chunks(
        len / block,
        [&](size_t b, size_t e, size_t) {
          for (size_t c = b; c < e; ++c) {
            const size_t begin = c * block;
            const size_t have = begin >= msg ? 0 : std::min(block, msg - begin);
            if (have > 0) fill(begin, have, out.data() + begin);
            std::fill(out.begin() + static_cast<ptrdiff_t>(begin + have),
                      out.begin() + static_cast<ptrdiff_t>(begin + block), F::zero());
          }
        },
        1);
  } else {
    // Horner in lambda = s^L over the msg / L coefficients of each residue t.
    const F lambda = s.pow(len);
    const size_t folds = msg / len;
    parallel_chunks(
        len / block,
        [&](size_t b, size_t e, size_t) {
          std::vector<F> buf(block);
          for (size_t c = b; c < e; ++c) {
            F* acc = out.data() + c * block;
            fill((folds - 1) * len + c * block, block, acc);
            for (size_t u = folds - 1; u-- > 0;) {
              fill(u * len + c * block, block, buf.data());
              gl_mul_add(acc, lambda, buf.data(), block);
            }
          }
        },
        1);
  }
  if (s != F::one()) parallel_scale_by_powers<F>(out.subspan(0, std::min(msg, len)), F::one(), s);
  parallel_ntt_to_bit_reversed<F>(out);
}

}  // namespace zkpot::pcs_kernels
