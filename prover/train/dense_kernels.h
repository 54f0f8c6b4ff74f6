// Matrix products of the training engine, exact on integers (int32 operands,
// int64 accumulation) and in double for the float reference. Operands are
// packed first (transposed where the product needs it) so that the inner loop
// streams contiguous rows; zero rows of the left operand (ReLU, background
// pixels) are skipped. Multithreaded over output tiles (prover/parallel.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace zkpot::train {

// dst = src (rows x cols) as int32, or its transpose (cols x rows). Throws
// FixedPointRangeError if a value does not fit in 32 bits.
void pack_i32(const int64_t* src, size_t rows, size_t cols, bool transpose, std::vector<int32_t>* dst);
void pack_f64(const double* src, size_t rows, size_t cols, bool transpose, std::vector<double>* dst);

// C (m x n) = A (m x k) * B (k x n), all row-major; C is overwritten.
void matmul_packed(const int32_t* a, const int32_t* b, int64_t* c, size_t m, size_t k, size_t n);
void matmul_packed(const double* a, const double* b, double* c, size_t m, size_t k, size_t n);

}  // namespace zkpot::train
