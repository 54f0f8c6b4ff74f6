// Partial evaluation of a matrix's multilinear extension: binding all row
// variables (or all column variables) to a point, given the eq table of that
// point. This is the O(rows * cols) step of the matrix-product and row-sum
// gadgets (docs/PROTOCOL.md §11.2); everything after it is linear in one side.
//
// The matrix is row-major (index = row * cols + col). Over Goldilocks with
// weights in GlExt3, products are summed in 192-bit accumulators and reduced
// once per output (3 widening multiplications per entry, no modular reduction
// in the inner loop); other fields use their operators.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "common/extension.h"
#include "common/field.h"
#include "prover/parallel.h"
#include "prover/sumcheck_arith.h"

namespace zkpot {

namespace partial_eval_detail {

// Three 192-bit accumulators: one per coefficient of a GlExt3 sum.
struct WideExt3 {
  sumcheck_arith::gl::Acc192 c[3];
  void add(const GlExt3& w, Goldilocks x) {
    const uint64_t xv = x.value();
    for (unsigned i = 0; i < 3; ++i) c[i].add(sumcheck_arith::gl::wide(w.coeff(i).value(), xv));
  }
  GlExt3 reduce() const { return sumcheck_arith::make3(c[0].reduce(), c[1].reduce(), c[2].reduce()); }
};

template <class F, class E>
constexpr bool is_goldilocks_ext3() {
  return std::is_same_v<F, Goldilocks> && std::is_same_v<E, GlExt3>;
}

// Bound on the terms one Acc192 may take: its top word must stay below 2^32 - 1
// for the final reduction; split longer sums.
inline constexpr size_t kWideMaxTerms = size_t{1} << 31;

inline void check_sizes(size_t data, size_t rows, size_t cols, size_t weights, size_t expected_weights) {
  if (rows == 0 || cols == 0 || data / rows != cols || data % rows != 0)
    throw std::invalid_argument("partial evaluation: matrix size is not rows * cols");
  if (weights != expected_weights) throw std::invalid_argument("partial evaluation: wrong number of weights");
  if (rows > kWideMaxTerms || cols > kWideMaxTerms) throw std::invalid_argument("partial evaluation: too large");
}

}  // namespace partial_eval_detail

// out[c] = sum_r w[r] * m[r * cols + c]: the MLE with its row variables bound.
template <class F, class E>
std::vector<E> bind_row_variables(std::span<const F> m, size_t rows, size_t cols, std::span<const E> w) {
  partial_eval_detail::check_sizes(m.size(), rows, cols, w.size(), rows);
  std::vector<E> out(cols);
  // Split the columns so that every chunk still reads whole row segments.
  const size_t min_cols = std::max<size_t>(1, (size_t{1} << 14) / rows);
  parallel_chunks(
      cols,
      [&](size_t c0, size_t c1, size_t) {
        if constexpr (partial_eval_detail::is_goldilocks_ext3<F, E>()) {
          std::vector<partial_eval_detail::WideExt3> acc(c1 - c0);
          for (size_t r = 0; r < rows; ++r) {
            const F* row = m.data() + r * cols;
            const E& wr = w[r];
            for (size_t c = c0; c < c1; ++c) acc[c - c0].add(wr, row[c]);
          }
          for (size_t c = c0; c < c1; ++c) out[c] = acc[c - c0].reduce();
        } else {
          for (size_t c = c0; c < c1; ++c) out[c] = E::zero();
          for (size_t r = 0; r < rows; ++r) {
            const F* row = m.data() + r * cols;
            for (size_t c = c0; c < c1; ++c) out[c] += w[r] * row[c];
          }
        }
      },
      min_cols);
  return out;
}

// out[r] = sum_c m[r * cols + c] * w[c]: the MLE with its column variables bound.
template <class F, class E>
std::vector<E> bind_column_variables(std::span<const F> m, size_t rows, size_t cols, std::span<const E> w) {
  partial_eval_detail::check_sizes(m.size(), rows, cols, w.size(), cols);
  std::vector<E> out(rows);
  const size_t min_rows = std::max<size_t>(1, (size_t{1} << 14) / cols);
  parallel_chunks(
      rows,
      [&](size_t r0, size_t r1, size_t) {
        for (size_t r = r0; r < r1; ++r) {
          const F* row = m.data() + r * cols;
          if constexpr (partial_eval_detail::is_goldilocks_ext3<F, E>()) {
            partial_eval_detail::WideExt3 acc;
            for (size_t c = 0; c < cols; ++c) acc.add(w[c], row[c]);
            out[r] = acc.reduce();
          } else {
            E acc = E::zero();
            for (size_t c = 0; c < cols; ++c) acc += w[c] * row[c];
            out[r] = acc;
          }
        }
      },
      min_rows);
  return out;
}

// The MLE of a table at a point, as a dot product with eq(point, .) computed by
// the caller once and reused across tables (the stacked gadgets evaluate many
// tables at one point).
template <class F, class E>
E dot_with_eq(std::span<const F> table, std::span<const E> eq) {
  if (table.size() != eq.size()) throw std::invalid_argument("dot_with_eq: size mismatch");
  if (table.size() > partial_eval_detail::kWideMaxTerms) throw std::invalid_argument("dot_with_eq: too large");
  const size_t n = table.size();
  std::vector<E> partial(parallel_chunk_count(n), E::zero());
  parallel_chunks(n, [&](size_t b, size_t e, size_t chunk) {
    if constexpr (partial_eval_detail::is_goldilocks_ext3<F, E>()) {
      partial_eval_detail::WideExt3 acc;
      for (size_t x = b; x < e; ++x) acc.add(eq[x], table[x]);
      partial[chunk] = acc.reduce();
    } else {
      E acc = E::zero();
      for (size_t x = b; x < e; ++x) acc += eq[x] * table[x];
      partial[chunk] = acc;
    }
  });
  E total = E::zero();
  for (const E& p : partial) total += p;
  return total;
}

}  // namespace zkpot
