// Multilinear extensions over spans of evaluations (docs/PROTOCOL.md §1.3).
//
// Convention, fixed for the whole project: a multilinear polynomial in m
// variables is stored as its 2^m evaluations on the hypercube, and bit j of
// the index (bit 0 = least significant) is the value of variable x_j. Binding
// x_0 first therefore pairs entries (2i, 2i+1). The sumcheck, the lookups and
// the commitment scheme all use this order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

namespace zkpot {

inline bool is_power_of_two(size_t n) { return n != 0 && (n & (n - 1)) == 0; }
inline unsigned log2_exact(size_t n) {
  if (!is_power_of_two(n)) throw std::invalid_argument("length is not a power of two");
  unsigned k = 0;
  while ((size_t{1} << k) < n) ++k;
  return k;
}

// eq(x, r) = prod_j (x_j r_j + (1 - x_j)(1 - r_j)) for every hypercube x,
// written into out (size 2^|r|).
template <class E>
void eq_table(std::span<const E> r, std::span<E> out) {
  if (out.size() != (size_t{1} << r.size())) throw std::invalid_argument("eq_table: wrong output size");
  out[0] = E::one();
  size_t len = 1;
  for (size_t j = 0; j < r.size(); ++j) {
    // Entries with bit j set are new; fill from the top so inputs survive.
    for (size_t i = len; i-- > 0;) {
      const E hi = out[i] * r[j];
      out[i + len] = hi;
      out[i] = out[i] - hi;
    }
    len <<= 1;
  }
}
template <class E>
std::vector<E> eq_table(std::span<const E> r) {
  std::vector<E> out(size_t{1} << r.size());
  eq_table<E>(r, std::span<E>(out));
  return out;
}

// eq(a, b) for two points of equal length.
template <class E>
E eq_eval(std::span<const E> a, std::span<const E> b) {
  if (a.size() != b.size()) throw std::invalid_argument("eq_eval: length mismatch");
  E acc = E::one();
  for (size_t j = 0; j < a.size(); ++j) acc *= a[j] * b[j] + (E::one() - a[j]) * (E::one() - b[j]);
  return acc;
}

// Binds x_0 := r: out[i] = in[2i] + r (in[2i+1] - in[2i]). out may alias in.
template <class E, class F>
void fold_first_variable(std::span<const F> in, const E& r, std::span<E> out) {
  if (in.size() % 2 != 0 || out.size() != in.size() / 2) throw std::invalid_argument("fold: wrong sizes");
  for (size_t i = 0; i < out.size(); ++i) {
    const E lo(in[2 * i]);
    out[i] = lo + r * (E(in[2 * i + 1]) - lo);
  }
}

// The multilinear extension of evals at point r, in O(2^m).
template <class E, class F>
E evaluate_multilinear(std::span<const F> evals, std::span<const E> r) {
  if (evals.size() != (size_t{1} << r.size())) throw std::invalid_argument("evaluate: wrong sizes");
  if (r.empty()) return E(evals[0]);
  std::vector<E> buf(evals.size() / 2);
  fold_first_variable<E, F>(evals, r[0], std::span<E>(buf));
  size_t len = buf.size();
  for (size_t j = 1; j < r.size(); ++j) {
    fold_first_variable<E, E>(std::span<const E>(buf.data(), len), r[j], std::span<E>(buf.data(), len / 2));
    len /= 2;
  }
  return buf[0];
}

}  // namespace zkpot
