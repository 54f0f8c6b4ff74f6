// common/multilinear.h against the naive formulas of docs/PROTOCOL.md §1.3:
// eq(x, r) = prod_j (x_j r_j + (1 - x_j)(1 - r_j)) with x_j = bit j of the
// index, and f~(r) = sum_x f(x) eq(x, r). Goldilocks tables, GlExt3 points.
#include "common/multilinear.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "common/extension.h"

namespace zkpot {
namespace {

using E = GlExt3;

E random_ext(std::mt19937_64& rng) {
  const Gl c[3] = {Gl::from_u64(rng()), Gl::from_u64(rng()), Gl::from_u64(rng())};
  return E::from_coeffs(c);
}
std::vector<E> random_point(size_t m, std::mt19937_64& rng) {
  std::vector<E> r(m);
  for (auto& x : r) x = random_ext(rng);
  return r;
}
std::vector<Gl> random_table(size_t m, std::mt19937_64& rng) {
  std::vector<Gl> t(size_t{1} << m);
  for (auto& x : t) x = Gl::from_u64(rng());
  return t;
}

// eq(x, r) straight from the product formula, x a hypercube index.
E naive_eq_at_index(size_t x, const std::vector<E>& r) {
  E acc = E::one();
  for (size_t j = 0; j < r.size(); ++j) {
    const bool bit = (x >> j) & 1;
    acc *= bit ? r[j] : E::one() - r[j];
  }
  return acc;
}
// f~(r) = sum over the hypercube of f(x) eq(x, r).
template <class F>
E naive_mle(const std::vector<F>& f, const std::vector<E>& r) {
  E acc = E::zero();
  for (size_t x = 0; x < f.size(); ++x) acc += naive_eq_at_index(x, r) * E(f[x]);
  return acc;
}

TEST(Multilinear, PowerOfTwoHelpers) {
  EXPECT_FALSE(is_power_of_two(0));
  EXPECT_TRUE(is_power_of_two(1));
  EXPECT_TRUE(is_power_of_two(size_t{1} << 40));
  EXPECT_FALSE(is_power_of_two(6));
  EXPECT_EQ(log2_exact(1), 0u);
  EXPECT_EQ(log2_exact(1024), 10u);
  EXPECT_THROW(log2_exact(0), std::invalid_argument);
  EXPECT_THROW(log2_exact(12), std::invalid_argument);
}

TEST(Multilinear, EqTableMatchesProductFormula) {
  std::mt19937_64 rng(1);
  for (size_t m = 0; m <= 8; ++m) {
    const auto r = random_point(m, rng);
    const auto table = eq_table<E>(r);
    ASSERT_EQ(table.size(), size_t{1} << m);
    E sum = E::zero();
    for (size_t x = 0; x < table.size(); ++x) {
      ASSERT_EQ(table[x], naive_eq_at_index(x, r)) << "m=" << m << " x=" << x;
      sum += table[x];
    }
    EXPECT_EQ(sum, E::one());  // sum_x eq(x, r) = 1
  }
  // Over the base field as well.
  const std::vector<Gl> rb = {Gl::from_u64(3), Gl::from_u64(10), Gl::from_u64(7)};
  const auto tb = eq_table<Gl>(rb);
  for (size_t x = 0; x < 8; ++x) {
    Gl expected = Gl::one();
    for (size_t j = 0; j < 3; ++j) expected *= ((x >> j) & 1) ? rb[j] : Gl::one() - rb[j];
    EXPECT_EQ(tb[x], expected) << x;
  }
}

TEST(Multilinear, EqTableRejectsWrongOutputSize) {
  const std::vector<E> r(3, E::one());
  std::vector<E> out(7);
  EXPECT_THROW(eq_table<E>(r, out), std::invalid_argument);
  std::vector<E> out9(9);
  EXPECT_THROW(eq_table<E>(r, out9), std::invalid_argument);
}

TEST(Multilinear, EqEvalMatchesFormulaAndTable) {
  std::mt19937_64 rng(2);
  for (size_t m = 0; m <= 6; ++m) {
    const auto a = random_point(m, rng), b = random_point(m, rng);
    E expected = E::one();
    for (size_t j = 0; j < m; ++j) expected *= a[j] * b[j] + (E::one() - a[j]) * (E::one() - b[j]);
    EXPECT_EQ(eq_eval<E>(a, b), expected);
    EXPECT_EQ(eq_eval<E>(a, b), eq_eval<E>(b, a));
    // At a hypercube point x, eq(x, b) is entry x of b's table.
    const auto table = eq_table<E>(b);
    for (size_t x = 0; x < table.size(); ++x) {
      std::vector<E> bits(m);
      for (size_t j = 0; j < m; ++j) bits[j] = ((x >> j) & 1) ? E::one() : E::zero();
      ASSERT_EQ(eq_eval<E>(bits, b), table[x]);
    }
  }
  const std::vector<E> two(2), three(3);
  EXPECT_THROW(eq_eval<E>(two, three), std::invalid_argument);
}

TEST(Multilinear, EvaluateMatchesNaiveSum) {
  std::mt19937_64 rng(3);
  for (size_t m = 0; m <= 8; ++m) {
    const auto f = random_table(m, rng);
    const auto r = random_point(m, rng);
    ASSERT_EQ((evaluate_multilinear<E, Gl>(f, r)), naive_mle(f, r)) << "m=" << m;
    // Extension-valued tables too.
    std::vector<E> fe(f.size());
    for (auto& x : fe) x = random_ext(rng);
    ASSERT_EQ((evaluate_multilinear<E, E>(fe, r)), naive_mle(fe, r)) << "m=" << m;
  }
}

TEST(Multilinear, EvaluateOnHypercubeReadsTheTableWithBitZeroFirst) {
  std::mt19937_64 rng(4);
  const size_t m = 5;
  const auto f = random_table(m, rng);
  for (size_t x = 0; x < f.size(); ++x) {
    std::vector<E> point(m);
    for (size_t j = 0; j < m; ++j) point[j] = ((x >> j) & 1) ? E::one() : E::zero();
    ASSERT_EQ((evaluate_multilinear<E, Gl>(f, point)), E(f[x])) << x;
  }
}

TEST(Multilinear, EvaluateIsAffineInEachVariable) {
  std::mt19937_64 rng(5);
  const size_t m = 4;
  const auto f = random_table(m, rng);
  auto r = random_point(m, rng);
  for (size_t j = 0; j < m; ++j) {
    auto at = [&](E t) {
      auto p = r;
      p[j] = t;
      return evaluate_multilinear<E, Gl>(f, p);
    };
    const E t = random_ext(rng);
    // f(t) = f(0) + t (f(1) - f(0)) for a multilinear f.
    EXPECT_EQ(at(t), at(E::zero()) + t * (at(E::one()) - at(E::zero()))) << j;
  }
}

TEST(Multilinear, EvaluateRejectsWrongSizes) {
  const std::vector<Gl> f(8);
  const std::vector<E> r2(2), r4(4);
  EXPECT_THROW((evaluate_multilinear<E, Gl>(f, r2)), std::invalid_argument);
  EXPECT_THROW((evaluate_multilinear<E, Gl>(f, r4)), std::invalid_argument);
  const std::vector<Gl> f6(6);
  const std::vector<E> r3(3);
  EXPECT_THROW((evaluate_multilinear<E, Gl>(f6, r3)), std::invalid_argument);
}

TEST(Multilinear, FoldBindsTheFirstVariable) {
  std::mt19937_64 rng(6);
  for (size_t m = 1; m <= 7; ++m) {
    const auto f = random_table(m, rng);
    const E r0 = random_ext(rng);
    std::vector<E> folded(f.size() / 2);
    fold_first_variable<E, Gl>(f, r0, folded);
    // folded(y) = f~(r0, y) on every hypercube point y of the other variables,
    // and the folded table's extension at a point s is f~(r0, s).
    for (size_t y = 0; y < folded.size(); ++y) {
      std::vector<E> point(m);
      point[0] = r0;
      for (size_t j = 1; j < m; ++j) point[j] = ((y >> (j - 1)) & 1) ? E::one() : E::zero();
      ASSERT_EQ(folded[y], naive_mle(f, point)) << "m=" << m << " y=" << y;
    }
    const auto s = random_point(m - 1, rng);
    std::vector<E> full = {r0};
    full.insert(full.end(), s.begin(), s.end());
    ASSERT_EQ((evaluate_multilinear<E, E>(folded, s)), naive_mle(f, full));
  }
}

TEST(Multilinear, FoldInPlaceEqualsFoldOutOfPlace) {
  std::mt19937_64 rng(7);
  std::vector<E> t(64);
  for (auto& x : t) x = random_ext(rng);
  const E r = random_ext(rng);
  std::vector<E> out(32);
  fold_first_variable<E, E>(t, r, out);
  fold_first_variable<E, E>(std::span<const E>(t.data(), 64), r, std::span<E>(t.data(), 32));
  for (size_t i = 0; i < 32; ++i) ASSERT_EQ(t[i], out[i]) << i;
}

TEST(Multilinear, FoldRejectsWrongSizes) {
  const std::vector<Gl> odd(7), even(8);
  std::vector<E> out3(3), out4(4), out5(5);
  EXPECT_THROW((fold_first_variable<E, Gl>(odd, E::one(), out3)), std::invalid_argument);
  EXPECT_THROW((fold_first_variable<E, Gl>(even, E::one(), out5)), std::invalid_argument);
  EXPECT_NO_THROW((fold_first_variable<E, Gl>(even, E::one(), out4)));
}

}  // namespace
}  // namespace zkpot
