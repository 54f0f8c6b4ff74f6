// Goldilocks NTT kernels for AVX2 and AVX-512F, selected at run time
// (docs/PROTOCOL.md §1.4). Each instruction set's code is compiled under its
// own target pragma, and only in this file's anonymous namespace: no inline
// function shared with other translation units is ever built with wider
// instructions than the baseline, so a CPU without them never runs them.
#include "prover/ntt_parallel.h"

#include <immintrin.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <string>
#include <type_traits>

namespace zkpot {

static_assert(sizeof(Goldilocks) == sizeof(uint64_t) && std::is_trivially_copyable_v<Goldilocks>,
              "the SIMD kernels view Goldilocks arrays as arrays of uint64_t");

// Each SIMD namespace is compiled for its instruction set only; the code is
// chosen at run time. GCC takes target pragmas, clang an attribute region.
#if defined(__clang__)
#define ZKPOT_TARGET_BEGIN_AVX512 _Pragma("clang attribute push(__attribute__((target(\"avx512f\"))), apply_to = function)")
#define ZKPOT_TARGET_BEGIN_AVX2 _Pragma("clang attribute push(__attribute__((target(\"avx2\"))), apply_to = function)")
#define ZKPOT_TARGET_END _Pragma("clang attribute pop")
#else
#define ZKPOT_TARGET_BEGIN_AVX512 _Pragma("GCC push_options") _Pragma("GCC target(\"avx512f\")")
#define ZKPOT_TARGET_BEGIN_AVX2 _Pragma("GCC push_options") _Pragma("GCC target(\"avx2\")")
#define ZKPOT_TARGET_END _Pragma("GCC pop_options")
#endif

namespace {

constexpr uint64_t kP = Goldilocks::kModulus;
constexpr uint64_t kEps = Goldilocks::kEpsilon;  // 2^64 - p = 2^32 - 1

ZKPOT_TARGET_BEGIN_AVX512
// GCC 12's AVX-512 intrinsics self-initialise an "undefined" operand, which
// -Wuninitialized reports once inlined; the value is never read.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
namespace avx512 {

using V = __m512i;
constexpr size_t kLanes = 8;

inline V load(const uint64_t* p) { return _mm512_loadu_si512(p); }
inline void store(uint64_t* p, V v) { _mm512_storeu_si512(p, v); }
inline V splat(uint64_t x) { return _mm512_set1_epi64(static_cast<long long>(x)); }

// a + b >= p (as integers) exactly when b >= p - a; then the wrapped sum
// plus eps is a + b - p (with or without a carry out of 64 bits).
inline V add(V a, V b) {
  const __mmask8 reduce = _mm512_cmpge_epu64_mask(b, _mm512_sub_epi64(splat(kP), a));
  const V s = _mm512_add_epi64(a, b);
  return _mm512_mask_add_epi64(s, reduce, s, splat(kEps));
}
// On a borrow the wrapped difference is a - b + 2^64; a - b + p is that minus eps.
inline V sub(V a, V b) {
  const __mmask8 borrow = _mm512_cmplt_epu64_mask(a, b);
  const V d = _mm512_sub_epi64(a, b);
  return _mm512_mask_sub_epi64(d, borrow, d, splat(kEps));
}
// lo + 2^64 hi with hi = h_lo + 2^32 h_hi is lo - h_hi + eps h_lo (mod p), as
// Goldilocks::reduce128.
inline V reduce128(V lo, V hi) {
  const V h_hi = _mm512_srli_epi64(hi, 32);
  const __mmask8 borrow = _mm512_cmplt_epu64_mask(lo, h_hi);
  V t0 = _mm512_sub_epi64(lo, h_hi);
  t0 = _mm512_mask_sub_epi64(t0, borrow, t0, splat(kEps));
  const V t1 = _mm512_mul_epu32(hi, splat(kEps));  // h_lo * eps < 2^64 (reads the low halves)
  const V r = _mm512_add_epi64(t0, t1);
  // A carry (r < t1) means +2^64 = +eps and leaves r + eps < p; without one,
  // r >= p is reduced by adding eps modulo 2^64.
  const __mmask8 fix = _mm512_cmplt_epu64_mask(r, t1) | _mm512_cmpge_epu64_mask(r, splat(kP));
  return _mm512_mask_add_epi64(r, fix, r, splat(kEps));
}
// 64 x 64 -> 128-bit products from four 32 x 32 -> 64 products, then reduce.
// The multiplier reads only the low half of each lane, so the high halves are
// brought down by a dword shuffle (port 5) rather than a shift (port 0, which
// the multiplies already load).
inline V high_halves(V x) { return _mm512_shuffle_epi32(x, _MM_PERM_CDAB); }
inline V mul(V a, V b) {
  const V a_hi = high_halves(a), b_hi = high_halves(b);
  const V ll = _mm512_mul_epu32(a, b), lh = _mm512_mul_epu32(a, b_hi);
  const V hl = _mm512_mul_epu32(a_hi, b), hh = _mm512_mul_epu32(a_hi, b_hi);
  const V mask32 = splat(0xFFFFFFFFULL);
  const V t1 = _mm512_add_epi64(hl, _mm512_srli_epi64(ll, 32));  // < 2^64
  const V t2 = _mm512_add_epi64(lh, _mm512_and_si512(t1, mask32));  // < 2^64
  // Low dword of t2 copied up (a shuffle, port 5) and blended above ll's low dword.
  const V t2_up = _mm512_castps_si512(_mm512_moveldup_ps(_mm512_castsi512_ps(t2)));
  const V lo = _mm512_mask_blend_epi32(0xAAAA, ll, t2_up);
  const V hi = _mm512_add_epi64(hh, _mm512_add_epi64(_mm512_srli_epi64(t1, 32), _mm512_srli_epi64(t2, 32)));
  return reduce128(lo, hi);
}

// 8 x 8 transpose of 64-bit entries: pairs, then 2 x 2 blocks, then 4 x 4 blocks.
inline void transpose(V r[8]) {
  V t[8];
  for (int i = 0; i < 8; i += 2) {
    t[i] = _mm512_unpacklo_epi64(r[i], r[i + 1]);
    t[i + 1] = _mm512_unpackhi_epi64(r[i], r[i + 1]);
  }
  const V lo_pairs = _mm512_set_epi64(13, 12, 5, 4, 9, 8, 1, 0);
  const V hi_pairs = _mm512_set_epi64(15, 14, 7, 6, 11, 10, 3, 2);
  V u[8];
  for (int i = 0; i < 8; i += (i % 4 == 1) ? 3 : 1) {  // i = 0, 1, 4, 5
    u[i] = _mm512_permutex2var_epi64(t[i], lo_pairs, t[i + 2]);
    u[i + 2] = _mm512_permutex2var_epi64(t[i], hi_pairs, t[i + 2]);
  }
  for (int i = 0; i < 4; ++i) {
    r[i] = _mm512_shuffle_i64x2(u[i], u[i + 4], 0x44);
    r[i + 4] = _mm512_shuffle_i64x2(u[i], u[i + 4], 0xEE);
  }
}

#include "prover/ntt_parallel_kernels.inc"

}  // namespace avx512
#pragma GCC diagnostic pop
ZKPOT_TARGET_END

ZKPOT_TARGET_BEGIN_AVX2
namespace avx2 {

using V = __m256i;
constexpr size_t kLanes = 4;

inline V load(const uint64_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
inline void store(uint64_t* p, V v) { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v); }
inline V splat(uint64_t x) { return _mm256_set1_epi64x(static_cast<long long>(x)); }
// All ones where a < b as unsigned 64-bit integers (AVX2 compares are signed).
inline V less(V a, V b) {
  const V sign = splat(0x8000000000000000ULL);
  return _mm256_cmpgt_epi64(_mm256_xor_si256(b, sign), _mm256_xor_si256(a, sign));
}

// The same arithmetic as the AVX-512 version, with masks as all-ones lanes.
inline V add(V a, V b) {
  const V no_reduce = less(b, _mm256_sub_epi64(splat(kP), a));
  const V s = _mm256_add_epi64(a, b);
  return _mm256_add_epi64(s, _mm256_andnot_si256(no_reduce, splat(kEps)));
}
inline V sub(V a, V b) {
  const V borrow = less(a, b);
  return _mm256_sub_epi64(_mm256_sub_epi64(a, b), _mm256_and_si256(borrow, splat(kEps)));
}
inline V reduce128(V lo, V hi) {
  const V h_hi = _mm256_srli_epi64(hi, 32);
  const V borrow = less(lo, h_hi);
  const V t0 = _mm256_sub_epi64(_mm256_sub_epi64(lo, h_hi), _mm256_and_si256(borrow, splat(kEps)));
  const V t1 = _mm256_mul_epu32(hi, splat(kEps));
  const V r = _mm256_add_epi64(t0, t1);
  const V fix = _mm256_or_si256(less(r, t1), _mm256_xor_si256(less(r, splat(kP)), splat(~0ULL)));
  return _mm256_add_epi64(r, _mm256_and_si256(fix, splat(kEps)));
}
inline V mul(V a, V b) {
  const V a_hi = _mm256_shuffle_epi32(a, 0xB1), b_hi = _mm256_shuffle_epi32(b, 0xB1);
  const V ll = _mm256_mul_epu32(a, b), lh = _mm256_mul_epu32(a, b_hi);
  const V hl = _mm256_mul_epu32(a_hi, b), hh = _mm256_mul_epu32(a_hi, b_hi);
  const V mask32 = splat(0xFFFFFFFFULL);
  const V t1 = _mm256_add_epi64(hl, _mm256_srli_epi64(ll, 32));
  const V t2 = _mm256_add_epi64(lh, _mm256_and_si256(t1, mask32));
  const V t2_up = _mm256_castps_si256(_mm256_moveldup_ps(_mm256_castsi256_ps(t2)));
  const V lo = _mm256_blend_epi32(ll, t2_up, 0xAA);
  const V hi = _mm256_add_epi64(hh, _mm256_add_epi64(_mm256_srli_epi64(t1, 32), _mm256_srli_epi64(t2, 32)));
  return reduce128(lo, hi);
}

// 4 x 4 transpose of 64-bit entries.
inline void transpose(V r[4]) {
  const V t0 = _mm256_unpacklo_epi64(r[0], r[1]), t1 = _mm256_unpackhi_epi64(r[0], r[1]);
  const V t2 = _mm256_unpacklo_epi64(r[2], r[3]), t3 = _mm256_unpackhi_epi64(r[2], r[3]);
  r[0] = _mm256_permute2x128_si256(t0, t2, 0x20);
  r[1] = _mm256_permute2x128_si256(t1, t3, 0x20);
  r[2] = _mm256_permute2x128_si256(t0, t2, 0x31);
  r[3] = _mm256_permute2x128_si256(t1, t3, 0x31);
}

#include "prover/ntt_parallel_kernels.inc"

}  // namespace avx2
ZKPOT_TARGET_END

uint64_t* words(Goldilocks* p) { return reinterpret_cast<uint64_t*>(p); }
const uint64_t* words(const Goldilocks* p) { return reinterpret_cast<const uint64_t*>(p); }

NttSimd detect_simd() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return NttSimd::kAvx512;
  if (__builtin_cpu_supports("avx2")) return NttSimd::kAvx2;
  return NttSimd::kScalar;
}

std::atomic<int>& simd_setting() {
  static std::atomic<int> level = [] {
    NttSimd chosen = detect_simd();
    if (const char* env = std::getenv("ZKPOT_NTT_SIMD")) {
      const std::string s(env);
      NttSimd wanted = chosen;
      if (s == "scalar") wanted = NttSimd::kScalar;
      if (s == "avx2") wanted = NttSimd::kAvx2;
      if (s == "avx512") wanted = NttSimd::kAvx512;
      if (static_cast<int>(wanted) < static_cast<int>(chosen)) chosen = wanted;
    }
    return static_cast<int>(chosen);
  }();
  return level;
}

// The level for a transform of n elements: the vector kernels need rows of at
// least kLanes^2 elements.
NttSimd simd_for_length(size_t n) {
  NttSimd level = ntt_simd();
  if (level == NttSimd::kAvx512 && n < avx512::kLanes * avx512::kLanes) level = NttSimd::kAvx2;
  if (level == NttSimd::kAvx2 && n < avx2::kLanes * avx2::kLanes) level = NttSimd::kScalar;
  return level;
}

// start * g^j for j < 2 * lanes, the first powers scale_by_powers needs.
template <size_t kLanes>
void leading_powers(Goldilocks start, Goldilocks g, uint64_t* out) {
  for (size_t j = 0; j < 2 * kLanes; ++j) {
    out[j] = start.value();
    start *= g;
  }
}

}  // namespace

NttSimd ntt_simd_supported() {
  static const NttSimd level = detect_simd();
  return level;
}

NttSimd ntt_simd() { return static_cast<NttSimd>(simd_setting().load(std::memory_order_relaxed)); }

void set_ntt_simd(NttSimd level) {
  if (static_cast<int>(level) > static_cast<int>(ntt_simd_supported()))
    throw std::invalid_argument(std::string("set_ntt_simd: this CPU does not support ") + ntt_simd_name(level));
  simd_setting().store(static_cast<int>(level), std::memory_order_relaxed);
}

const char* ntt_simd_name(NttSimd level) {
  switch (level) {
    case NttSimd::kScalar:
      return "scalar";
    case NttSimd::kAvx2:
      return "avx2";
    case NttSimd::kAvx512:
      return "avx512";
  }
  return "unknown";
}

namespace {

// The SIMD part of an element-wise kernel (a multiple of the level's lanes),
// by the level ntt_simd() returns; returns how many values it did.
template <class Avx512Fn, class Avx2Fn>
size_t vector_head(size_t n, Avx512Fn&& f512, Avx2Fn&& f2) {
  switch (ntt_simd()) {
    case NttSimd::kAvx512: {
      const size_t head = n - n % avx512::kLanes;
      f512(head);
      return head;
    }
    case NttSimd::kAvx2: {
      const size_t head = n - n % avx2::kLanes;
      f2(head);
      return head;
    }
    case NttSimd::kScalar:
      break;
  }
  return 0;
}

}  // namespace

void gl_add_assign(Goldilocks* a, const Goldilocks* b, size_t n) {
  size_t j = vector_head(
      n, [&](size_t h) { avx512::add_assign(words(a), words(b), h); },
      [&](size_t h) { avx2::add_assign(words(a), words(b), h); });
  for (; j < n; ++j) a[j] += b[j];
}

void gl_add_scalar(Goldilocks* a, Goldilocks v, size_t n) {
  size_t j = vector_head(
      n, [&](size_t h) { avx512::add_scalar(words(a), v.value(), h); },
      [&](size_t h) { avx2::add_scalar(words(a), v.value(), h); });
  for (; j < n; ++j) a[j] += v;
}

void gl_mul_add(Goldilocks* acc, Goldilocks lambda, const Goldilocks* b, size_t n) {
  size_t j = vector_head(
      n, [&](size_t h) { avx512::mul_add(words(acc), lambda.value(), words(b), h); },
      [&](size_t h) { avx2::mul_add(words(acc), lambda.value(), words(b), h); });
  for (; j < n; ++j) acc[j] = acc[j] * lambda + b[j];
}

void gl_scale_by_powers(Goldilocks* a, size_t n, Goldilocks start, Goldilocks ratio) {
  size_t j = 0;
  switch (ntt_simd()) {
    case NttSimd::kAvx512: {
      j = n - n % (2 * avx512::kLanes);
      if (j > 0) {
        uint64_t pows[2 * avx512::kLanes];
        leading_powers<avx512::kLanes>(start, ratio, pows);
        avx512::scale_by_powers(words(a), j, pows, ratio.pow(2 * avx512::kLanes).value());
      }
      break;
    }
    case NttSimd::kAvx2: {
      j = n - n % (2 * avx2::kLanes);
      if (j > 0) {
        uint64_t pows[2 * avx2::kLanes];
        leading_powers<avx2::kLanes>(start, ratio, pows);
        avx2::scale_by_powers(words(a), j, pows, ratio.pow(2 * avx2::kLanes).value());
      }
      break;
    }
    case NttSimd::kScalar:
      break;
  }
  if (j < n) scale_by_powers(std::span<Goldilocks>(a + j, n - j), start * ratio.pow(j), ratio);
}

namespace ntt_detail {

using Gl = Goldilocks;

void NttKernels<Gl>::twiddle_dif_row(Gl* row, const NttTwiddles<Gl>& tw, bool twiddle, Gl start, Gl g) {
  const size_t n = tw.size();
  switch (simd_for_length(n)) {
    case NttSimd::kAvx512: {
      if (twiddle) {
        uint64_t pows[2 * avx512::kLanes];
        leading_powers<avx512::kLanes>(start, g, pows);
        avx512::scale_by_powers(words(row), n, pows, g.pow(2 * avx512::kLanes).value());
      }
      avx512::dif_row(words(row), n, words(tw.forward(1)));
      return;
    }
    case NttSimd::kAvx2: {
      if (twiddle) {
        uint64_t pows[2 * avx2::kLanes];
        leading_powers<avx2::kLanes>(start, g, pows);
        avx2::scale_by_powers(words(row), n, pows, g.pow(2 * avx2::kLanes).value());
      }
      avx2::dif_row(words(row), n, words(tw.forward(1)));
      return;
    }
    case NttSimd::kScalar:
      break;
  }
  ScalarNttKernels<Gl>::twiddle_dif_row(row, tw, twiddle, start, g);
}

void NttKernels<Gl>::dit_twiddle_row(Gl* row, const NttTwiddles<Gl>& tw, Gl start, Gl g) {
  const size_t n = tw.size();
  switch (simd_for_length(n)) {
    case NttSimd::kAvx512: {
      avx512::dit_row(words(row), n, words(tw.inverse(1)));
      uint64_t pows[2 * avx512::kLanes];
      leading_powers<avx512::kLanes>(start, g, pows);
      avx512::scale_by_powers(words(row), n, pows, g.pow(2 * avx512::kLanes).value());
      return;
    }
    case NttSimd::kAvx2: {
      avx2::dit_row(words(row), n, words(tw.inverse(1)));
      uint64_t pows[2 * avx2::kLanes];
      leading_powers<avx2::kLanes>(start, g, pows);
      avx2::scale_by_powers(words(row), n, pows, g.pow(2 * avx2::kLanes).value());
      return;
    }
    case NttSimd::kScalar:
      break;
  }
  ScalarNttKernels<Gl>::dit_twiddle_row(row, tw, start, g);
}

void NttKernels<Gl>::dif_columns(Gl* block, size_t width, const NttTwiddles<Gl>& tw) {
  const size_t rows = tw.size();
  const NttSimd level = width % avx512::kLanes == 0 ? ntt_simd() : NttSimd::kScalar;
  if (rows > 1 && level == NttSimd::kAvx512) return avx512::dif_columns(words(block), rows, width, words(tw.forward(1)));
  if (rows > 1 && level == NttSimd::kAvx2) return avx2::dif_columns(words(block), rows, width, words(tw.forward(1)));
  ScalarNttKernels<Gl>::dif_columns(block, width, tw);
}

void NttKernels<Gl>::dit_columns(Gl* block, size_t width, const NttTwiddles<Gl>& tw) {
  const size_t rows = tw.size();
  const NttSimd level = width % avx512::kLanes == 0 ? ntt_simd() : NttSimd::kScalar;
  if (rows > 1 && level == NttSimd::kAvx512) return avx512::dit_columns(words(block), rows, width, words(tw.inverse(1)));
  if (rows > 1 && level == NttSimd::kAvx2) return avx2::dit_columns(words(block), rows, width, words(tw.inverse(1)));
  ScalarNttKernels<Gl>::dit_columns(block, width, tw);
}

}  // namespace ntt_detail
}  // namespace zkpot
