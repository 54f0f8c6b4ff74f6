// Multithreaded, cache-blocked NTTs for the prover: the same maps as
// common/ntt.h (docs/PROTOCOL.md §1.4), for any field with the Goldilocks
// interface, plus AVX2 / AVX-512 kernels for Goldilocks chosen at run time.
//
// Big transforms use the four-step decomposition n = R * C (rows of C
// elements, row-major): length-R transforms down the columns, a twiddle
// w_n^(column * row frequency) per element, then length-C transforms along the
// rows. With in-place DIF sub-transforms the result is exactly the length-n
// DIF output (bit-reversed order), so no transpose is needed. Rows are long
// (up to 2^16 elements, 512 KiB, so one stays in L2) and R is small, so a block
// of adjacent columns is a few hundred contiguous runs of kilobytes: it is
// copied into a dense scratch block (the power-of-two row stride would
// otherwise map every row to the same few cache sets), transformed in L2, and
// copied back.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "common/field.h"
#include "common/ntt.h"
#include "prover/parallel.h"

namespace zkpot {

// SIMD level of the Goldilocks kernels. All levels compute identical results.
enum class NttSimd { kScalar = 0, kAvx2 = 1, kAvx512 = 2 };

// The widest level this CPU and OS support (checked with __builtin_cpu_supports).
NttSimd ntt_simd_supported();
// The level in use: the widest supported, or ZKPOT_NTT_SIMD=scalar|avx2|avx512
// (lowered to what is supported), or what set_ntt_simd chose.
NttSimd ntt_simd();
// Chooses the level; throws std::invalid_argument if the CPU lacks it.
void set_ntt_simd(NttSimd level);
const char* ntt_simd_name(NttSimd level);

namespace ntt_detail {

// Transforms of at least 2^kFourStepMinLog elements use the four-step
// decomposition (and threads); smaller ones run as one row.
inline constexpr unsigned kFourStepMinLog = 14;
// Longest row: 2^16 elements stay in L2 while they are transformed.
inline constexpr unsigned kMaxLogCols = 16;
// Elements in a column block's scratch (2^16: 512 KiB of Goldilocks).
inline constexpr size_t kColumnBlockElements = size_t{1} << 16;

// Portable kernels; every field uses them, Goldilocks when SIMD is off.
template <class F>
struct ScalarNttKernels {
  // row[j] *= start * g^j (if twiddle), then the DIF of the row (length tw.size()).
  static void twiddle_dif_row(F* row, const NttTwiddles<F>& tw, bool twiddle, F start, F g) {
    const size_t n = tw.size();
    if (twiddle) scale_by_powers(std::span<F>(row, n), start, g);
    for (size_t h = n / 2; h >= 1; h >>= 1) {
      const F* w = tw.forward(h);
      for (size_t block = 0; block < n; block += 2 * h)
        for (size_t j = 0; j < h; ++j) ntt_dif_butterfly(row[block + j], row[block + j + h], w[j]);
    }
  }
  // The DIT of the row with inverse twiddles (unscaled), then row[j] *= start * g^j.
  static void dit_twiddle_row(F* row, const NttTwiddles<F>& tw, F start, F g) {
    const size_t n = tw.size();
    for (size_t h = 1; h < n; h <<= 1) {
      const F* w = tw.inverse(h);
      for (size_t block = 0; block < n; block += 2 * h)
        for (size_t j = 0; j < h; ++j) ntt_dit_butterfly(row[block + j], row[block + j + h], w[j]);
    }
    scale_by_powers(std::span<F>(row, n), start, g);
  }
  // DIF down each of the `width` columns of a dense tw.size() x width block.
  static void dif_columns(F* block, size_t width, const NttTwiddles<F>& tw) {
    const size_t rows = tw.size();
    for (size_t h = rows / 2; h >= 1; h >>= 1) {
      const F* w = tw.forward(h);
      for (size_t group = 0; group < rows; group += 2 * h)
        for (size_t j = 0; j < h; ++j) {
          F* x = block + (group + j) * width;
          F* y = x + h * width;
          for (size_t c = 0; c < width; ++c) ntt_dif_butterfly(x[c], y[c], w[j]);
        }
    }
  }
  // DIT (inverse twiddles, unscaled) down each column of the block.
  static void dit_columns(F* block, size_t width, const NttTwiddles<F>& tw) {
    const size_t rows = tw.size();
    for (size_t h = 1; h < rows; h <<= 1) {
      const F* w = tw.inverse(h);
      for (size_t group = 0; group < rows; group += 2 * h)
        for (size_t j = 0; j < h; ++j) {
          F* x = block + (group + j) * width;
          F* y = x + h * width;
          for (size_t c = 0; c < width; ++c) ntt_dit_butterfly(x[c], y[c], w[j]);
        }
    }
  }
};

template <class F>
struct NttKernels : ScalarNttKernels<F> {};

// Goldilocks: dispatched to the SIMD level ntt_simd() returns (ntt_parallel.cc).
template <>
struct NttKernels<Goldilocks> {
  static void twiddle_dif_row(Goldilocks* row, const NttTwiddles<Goldilocks>& tw, bool twiddle, Goldilocks start,
                              Goldilocks g);
  static void dit_twiddle_row(Goldilocks* row, const NttTwiddles<Goldilocks>& tw, Goldilocks start, Goldilocks g);
  static void dif_columns(Goldilocks* block, size_t width, const NttTwiddles<Goldilocks>& tw);
  static void dit_columns(Goldilocks* block, size_t width, const NttTwiddles<Goldilocks>& tw);
};

// Copies the width x rows column block starting at column c0 of a row-major
// matrix with `cols` columns to / from a dense scratch block.
template <class F>
void gather_columns(const F* a, size_t rows, size_t cols, size_t c0, size_t width, F* block) {
  for (size_t r = 0; r < rows; ++r) {
    if (r + 4 < rows) __builtin_prefetch(a + (r + 4) * cols + c0);
    const F* src = a + r * cols + c0;
    for (size_t c = 0; c < width; ++c) block[r * width + c] = src[c];
  }
}
template <class F>
void scatter_columns(const F* block, size_t rows, size_t cols, size_t c0, size_t width, F* a) {
  for (size_t r = 0; r < rows; ++r) {
    F* dst = a + r * cols + c0;
    for (size_t c = 0; c < width; ++c) dst[c] = block[r * width + c];
  }
}

// Shape of a four-step transform of 2^log_n elements: 2^log_rows rows of
// 2^log_cols columns, and the number of adjacent columns per block.
struct FourStepShape {
  unsigned log_rows, log_cols;
  size_t width;
  size_t rows() const { return size_t{1} << log_rows; }
  size_t cols() const { return size_t{1} << log_cols; }
};
// At most 2^8 rows unless rows would exceed 2^kMaxLogCols; blocks of 16 to
// 256 columns filling the scratch, and at least 8 blocks to share out.
inline FourStepShape four_step_shape(unsigned log_n) {
  unsigned log_rows = log_n / 2 < 8 ? log_n / 2 : 8;
  if (log_n - log_rows > kMaxLogCols) log_rows = log_n - kMaxLogCols;
  const unsigned log_cols = log_n - log_rows;
  size_t width = kColumnBlockElements >> log_rows;
  if (width > 256) width = 256;
  if (width > (size_t{1} << log_cols) / 8) width = (size_t{1} << log_cols) / 8;
  if (width < 16) width = 16;
  return {log_rows, log_cols, width};
}

}  // namespace ntt_detail

// Coefficients in natural order -> evaluations f(w^i) in bit-reversed order.
template <class F>
void parallel_ntt_to_bit_reversed(std::span<F> a) {
  using K = ntt_detail::NttKernels<F>;
  const unsigned log_n = ntt_detail::checked_log2<F>(a.size());
  if (log_n < ntt_detail::kFourStepMinLog) {
    K::twiddle_dif_row(a.data(), ntt_twiddles<F>(log_n), false, F::one(), F::one());
    return;
  }
  const auto shape = ntt_detail::four_step_shape(log_n);
  const size_t rows = shape.rows(), cols = shape.cols();
  const NttTwiddles<F>& tw_rows = ntt_twiddles<F>(shape.log_rows);
  const NttTwiddles<F>& tw_cols = ntt_twiddles<F>(shape.log_cols);
  const size_t width = shape.width;
  F* data = a.data();
  // Step 1: length-`rows` DIFs down every column, `width` columns at a time.
  parallel_chunks(
      cols / width,
      [&](size_t begin, size_t end, size_t) {
        std::vector<F> block(rows * width);
        for (size_t b = begin; b < end; ++b) {
          ntt_detail::gather_columns(data, rows, cols, b * width, width, block.data());
          K::dif_columns(block.data(), width, tw_rows);
          ntt_detail::scatter_columns(block.data(), rows, cols, b * width, width, data);
        }
      },
      1);
  // Steps 2-3: row p holds the column outputs of frequency k = bitrev(p);
  // entry j is multiplied by w_n^(j k), then the row is transformed.
  const F w_n = F::root_of_unity(log_n);
  parallel_chunks(
      rows,
      [&](size_t begin, size_t end, size_t) {
        for (size_t p = begin; p < end; ++p) {
          const uint64_t k = reverse_bits(p, shape.log_rows);
          K::twiddle_dif_row(data + p * cols, tw_cols, k != 0, F::one(), w_n.pow(k));
        }
      },
      1);
}

// Evaluations f(w^i) in bit-reversed order -> coefficients in natural order:
// the four steps of parallel_ntt_to_bit_reversed undone in reverse, the 1/n
// scaling folded into the twiddle step.
template <class F>
void parallel_intt_from_bit_reversed(std::span<F> a) {
  using K = ntt_detail::NttKernels<F>;
  const unsigned log_n = ntt_detail::checked_log2<F>(a.size());
  const NttTwiddles<F>& tw_n = ntt_twiddles<F>(log_n);
  if (log_n < ntt_detail::kFourStepMinLog) {
    K::dit_twiddle_row(a.data(), tw_n, tw_n.n_inverse(), F::one());
    return;
  }
  const auto shape = ntt_detail::four_step_shape(log_n);
  const size_t rows = shape.rows(), cols = shape.cols();
  const NttTwiddles<F>& tw_rows = ntt_twiddles<F>(shape.log_rows);
  const NttTwiddles<F>& tw_cols = ntt_twiddles<F>(shape.log_cols);
  const size_t width = shape.width;
  F* data = a.data();
  const F w_n_inv = F::root_of_unity(log_n).inverse();
  const F n_inv = tw_n.n_inverse();
  parallel_chunks(
      rows,
      [&](size_t begin, size_t end, size_t) {
        for (size_t p = begin; p < end; ++p) {
          const uint64_t k = reverse_bits(p, shape.log_rows);
          K::dit_twiddle_row(data + p * cols, tw_cols, n_inv, w_n_inv.pow(k));
        }
      },
      1);
  parallel_chunks(
      cols / width,
      [&](size_t begin, size_t end, size_t) {
        std::vector<F> block(rows * width);
        for (size_t b = begin; b < end; ++b) {
          ntt_detail::gather_columns(data, rows, cols, b * width, width, block.data());
          K::dit_columns(block.data(), width, tw_rows);
          ntt_detail::scatter_columns(block.data(), rows, cols, b * width, width, data);
        }
      },
      1);
}

// Bit-reversal permutation by swapping 16 x 16 tiles: with index
// i = (hi, mid, lo) of 4, L - 8 and 4 bits, reverse(i) = (rev lo, rev mid,
// rev hi), so tile `mid` trades places with tile `rev mid`, transposed; every
// tile row is one contiguous run, so whole cache lines move.
template <class F>
void parallel_bit_reverse_permute(std::span<F> a) {
  if (a.empty()) return;
  if ((a.size() & (a.size() - 1)) != 0) throw std::invalid_argument("bit_reverse_permute: length is not a power of two");
  unsigned log_n = 0;
  while ((size_t{1} << log_n) < a.size()) ++log_n;
  constexpr unsigned kTileLog = 4;
  constexpr size_t kTile = size_t{1} << kTileLog;
  if (log_n < 2 * kTileLog + 2) {
    bit_reverse_permute(a);
    return;
  }
  const unsigned mid_bits = log_n - 2 * kTileLog;
  const unsigned hi_shift = log_n - kTileLog;
  F* data = a.data();
  size_t rev_tile[kTile];
  for (size_t i = 0; i < kTile; ++i) rev_tile[i] = static_cast<size_t>(reverse_bits(i, kTileLog));
  parallel_chunks(
      size_t{1} << mid_bits,
      [&](size_t begin, size_t end, size_t) {
        std::vector<F> tile_a(kTile * kTile), tile_b(kTile * kTile);
        auto load = [&](size_t mid, F* tile) {
          for (size_t hi = 0; hi < kTile; ++hi)
            std::copy_n(data + ((hi << hi_shift) | (mid << kTileLog)), kTile, tile + hi * kTile);
        };
        // Writes tile `mid` from `source`, the loaded tile of rev(mid).
        auto store = [&](size_t mid, const F* source) {
          for (size_t hi = 0; hi < kTile; ++hi)
            for (size_t lo = 0; lo < kTile; ++lo)
              data[(hi << hi_shift) | (mid << kTileLog) | lo] = source[rev_tile[lo] * kTile + rev_tile[hi]];
        };
        for (size_t mid = begin; mid < end; ++mid) {
          const size_t partner = static_cast<size_t>(reverse_bits(mid, mid_bits));
          if (partner < mid) continue;
          load(mid, tile_a.data());
          if (partner != mid) {
            load(partner, tile_b.data());
            store(partner, tile_a.data());
            store(mid, tile_b.data());
          } else {
            store(mid, tile_a.data());
          }
        }
      },
      64);
}

// Element-wise Goldilocks kernels, SIMD at the level ntt_simd() returns
// (ntt_parallel.cc), on one thread: a[j] += b[j]; a[j] += v;
// acc[j] = acc[j] lambda + b[j]; a[j] *= start ratio^j.
void gl_add_assign(Goldilocks* a, const Goldilocks* b, size_t n);
void gl_add_scalar(Goldilocks* a, Goldilocks v, size_t n);
void gl_mul_add(Goldilocks* acc, Goldilocks lambda, const Goldilocks* b, size_t n);
void gl_scale_by_powers(Goldilocks* a, size_t n, Goldilocks start, Goldilocks ratio);

// a[i] *= start * ratio^i, in parallel chunks.
template <class F>
void parallel_scale_by_powers(std::span<F> a, F start, F ratio) {
  parallel_chunks(a.size(), [&](size_t begin, size_t end, size_t) {
    if constexpr (std::is_same_v<F, Goldilocks>) {
      gl_scale_by_powers(a.data() + begin, end - begin, start * ratio.pow(begin), ratio);
    } else {
      scale_by_powers(a.subspan(begin, end - begin), start * ratio.pow(begin), ratio);
    }
  });
}

// Coefficients -> evaluations, both in natural order.
template <class F>
void parallel_ntt(std::span<F> a) {
  parallel_ntt_to_bit_reversed(a);
  parallel_bit_reverse_permute(a);
}
// Evaluations -> coefficients, both in natural order.
template <class F>
void parallel_intt(std::span<F> a) {
  ntt_detail::checked_log2<F>(a.size());
  parallel_bit_reverse_permute(a);
  parallel_intt_from_bit_reversed(a);
}

// As coset_ntt of common/ntt.h: a[i] = f(shift w^i) in `order`.
template <class F>
void parallel_coset_ntt(std::span<F> a, const F& shift, NttOrder order = NttOrder::kNatural) {
  ntt_detail::checked_log2<F>(a.size());
  parallel_scale_by_powers(a, F::one(), shift);
  parallel_ntt_to_bit_reversed(a);
  if (order == NttOrder::kNatural) parallel_bit_reverse_permute(a);
}
// As coset_intt of common/ntt.h.
template <class F>
void parallel_coset_intt(std::span<F> a, const F& shift, NttOrder order = NttOrder::kNatural) {
  ntt_detail::checked_log2<F>(a.size());
  if (shift.is_zero()) throw std::invalid_argument("coset_intt: the shift must be non-zero");
  if (order == NttOrder::kNatural) parallel_bit_reverse_permute(a);
  parallel_intt_from_bit_reversed(a);
  parallel_scale_by_powers(a, F::one(), shift.inverse());
}

// As low_degree_extension of common/ntt.h: out[i] = f(shift w_N^i), N = out.size().
template <class F>
void parallel_low_degree_extension(std::span<const F> coeffs, std::span<F> out, const F& shift,
                                   NttOrder order = NttOrder::kNatural) {
  ntt_detail::checked_log2<F>(out.size());
  if (coeffs.size() > out.size()) throw std::invalid_argument("low_degree_extension: more coefficients than points");
  parallel_chunks(out.size(), [&](size_t begin, size_t end, size_t) {
    F power = shift.pow(begin);
    for (size_t i = begin; i < end; ++i) {
      out[i] = i < coeffs.size() ? coeffs[i] * power : F::zero();
      power *= shift;
    }
  });
  parallel_ntt_to_bit_reversed(out);
  if (order == NttOrder::kNatural) parallel_bit_reverse_permute(out);
}

}  // namespace zkpot
