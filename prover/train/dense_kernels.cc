#include "prover/train/dense_kernels.h"

#include <algorithm>
#include <cstring>

#include "prover/parallel.h"
#include "prover/train/rescale.h"

namespace zkpot::train {

namespace {

constexpr size_t kRowBlock = 4;    // rows of C updated per streamed row of B
constexpr size_t kColBlock = 256;  // columns of C kept in L1 per tile

template <class In, class Acc>
void pack_any(const In* src, size_t rows, size_t cols, bool transpose, std::vector<Acc>* dst) {
  dst->resize(rows * cols);
  Acc* out = dst->data();
  if (!transpose) {
    for (size_t i = 0; i < rows * cols; ++i) out[i] = static_cast<Acc>(src[i]);
    return;
  }
  constexpr size_t kTile = 32;
  for (size_t i0 = 0; i0 < rows; i0 += kTile)
    for (size_t j0 = 0; j0 < cols; j0 += kTile)
      for (size_t i = i0; i < std::min(rows, i0 + kTile); ++i)
        for (size_t j = j0; j < std::min(cols, j0 + kTile); ++j) out[j * rows + i] = static_cast<Acc>(src[i * cols + j]);
}

// The tile body: R rows of C, columns [j0, j1), over all of k. Inlined into
// each multiversioned wrapper so that every target gets its own vector code;
// each row is its own axpy loop, the shape compilers turn into widening
// (int32 x int32 -> int64) vector multiplies.
template <class Acc, class In>
__attribute__((always_inline)) inline void axpy(Acc* __restrict c, const In* __restrict b, In a, size_t j0,
                                                size_t j1) {
  for (size_t j = j0; j < j1; ++j) c[j] += static_cast<Acc>(a) * static_cast<Acc>(b[j]);
}

template <size_t R, class In, class Acc>
__attribute__((always_inline)) inline void tile_body(const In* a, const In* b, Acc* c, size_t k, size_t n, size_t j0,
                                                     size_t j1) {
  for (size_t r = 0; r < R; ++r) std::fill(c + r * n + j0, c + r * n + j1, Acc{0});
  for (size_t kk = 0; kk < k; ++kk) {
    const In* brow = b + kk * n;
    for (size_t r = 0; r < R; ++r) {
      const In av = a[r * k + kk];
      if (av != In{0}) axpy(c + r * n, brow, av, j0, j1);
    }
  }
}

#define ZKPOT_TILE_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))

ZKPOT_TILE_CLONES void tile_i32_4(const int32_t* a, const int32_t* b, int64_t* c, size_t k, size_t n, size_t j0,
                                  size_t j1) {
  tile_body<4>(a, b, c, k, n, j0, j1);
}
ZKPOT_TILE_CLONES void tile_i32_1(const int32_t* a, const int32_t* b, int64_t* c, size_t k, size_t n, size_t j0,
                                  size_t j1) {
  tile_body<1>(a, b, c, k, n, j0, j1);
}
ZKPOT_TILE_CLONES void tile_f64_4(const double* a, const double* b, double* c, size_t k, size_t n, size_t j0,
                                  size_t j1) {
  tile_body<4>(a, b, c, k, n, j0, j1);
}
ZKPOT_TILE_CLONES void tile_f64_1(const double* a, const double* b, double* c, size_t k, size_t n, size_t j0,
                                  size_t j1) {
  tile_body<1>(a, b, c, k, n, j0, j1);
}

template <class In, class Acc, class Tile4, class Tile1>
void matmul_tiled(const In* a, const In* b, Acc* c, size_t m, size_t k, size_t n, Tile4 tile4, Tile1 tile1) {
  const size_t row_blocks = (m + kRowBlock - 1) / kRowBlock, col_blocks = (n + kColBlock - 1) / kColBlock;
  const size_t tiles = row_blocks * col_blocks;
  // Enough work per chunk that thread start-up is amortised (~2^18 multiply-adds).
  const size_t work_per_tile = kRowBlock * std::min(n, kColBlock) * std::max<size_t>(k, 1);
  const size_t min_chunk = std::max<size_t>(1, (size_t{1} << 18) / std::max<size_t>(work_per_tile, 1));
  parallel_chunks(
      tiles,
      [&](size_t begin, size_t end, size_t) {
        for (size_t t = begin; t < end; ++t) {
          const size_t rb = t / col_blocks, cb = t % col_blocks;
          const size_t i0 = rb * kRowBlock, j0 = cb * kColBlock, j1 = std::min(n, j0 + kColBlock);
          if (i0 + kRowBlock <= m) {
            tile4(a + i0 * k, b, c + i0 * n, k, n, j0, j1);
          } else {
            for (size_t i = i0; i < m; ++i) tile1(a + i * k, b, c + i * n, k, n, j0, j1);
          }
        }
      },
      min_chunk);
}

}  // namespace

void pack_i32(const int64_t* src, size_t rows, size_t cols, bool transpose, std::vector<int32_t>* dst) {
  for (size_t i = 0; i < rows * cols; ++i)
    if (src[i] < INT32_MIN || src[i] > INT32_MAX) range_violation("matmul operand", i, src[i], 32);
  pack_any(src, rows, cols, transpose, dst);
}

void pack_f64(const double* src, size_t rows, size_t cols, bool transpose, std::vector<double>* dst) {
  pack_any(src, rows, cols, transpose, dst);
}

void matmul_packed(const int32_t* a, const int32_t* b, int64_t* c, size_t m, size_t k, size_t n) {
  matmul_tiled(a, b, c, m, k, n, tile_i32_4, tile_i32_1);
}

void matmul_packed(const double* a, const double* b, double* c, size_t m, size_t k, size_t n) {
  matmul_tiled(a, b, c, m, k, n, tile_f64_4, tile_f64_1);
}

}  // namespace zkpot::train
