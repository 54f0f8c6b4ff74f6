// The NTTs of common/ntt.h and prover/ntt_parallel.h against the definition
// (docs/PROTOCOL.md §1.4): a naive O(n^2) DFT and Horner evaluation, round
// trips, and every SIMD level and thread count against the scalar path.
#include "common/ntt.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <vector>

#include "common/extension.h"
#include "prover/ntt_parallel.h"
#include "prover/parallel.h"

namespace zkpot {
namespace {

using Toy = SmallPrimeField<998244353>;  // 119 * 2^23 + 1
using Fermat = SmallPrimeField<65537>;   // 2^16 + 1

template <class F>
std::vector<F> random_vector(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<F> v(n);
  for (auto& x : v) x = F::from_u64(rng());
  return v;
}

template <class F>
F horner(const std::vector<F>& coeffs, F x) {
  F acc = F::zero();
  for (size_t j = coeffs.size(); j-- > 0;) acc = acc * x + coeffs[j];
  return acc;
}

// f(shift w^i) for every i < n, w the primitive n-th root: n^2 operations.
template <class F>
std::vector<F> naive_evaluations(const std::vector<F>& coeffs, size_t n, F shift) {
  unsigned k = 0;
  while ((size_t{1} << k) < n) ++k;
  const F w = F::root_of_unity(k);
  std::vector<F> out(n);
  F x = shift;
  for (size_t i = 0; i < n; ++i, x *= w) out[i] = horner(coeffs, x);
  return out;
}

template <class F>
std::vector<F> bit_reversed(std::vector<F> v) {
  bit_reverse_permute(std::span<F>(v));
  return v;
}

// Restores the thread count and SIMD level a test changed.
class SettingsGuard {
 public:
  SettingsGuard() : threads_(num_threads()), simd_(ntt_simd()) {}
  ~SettingsGuard() {
    set_num_threads(threads_);
    set_ntt_simd(simd_);
  }

 private:
  unsigned threads_;
  NttSimd simd_;
};

TEST(ReverseBits, MatchesDefinition) {
  EXPECT_EQ(reverse_bits(0b0001, 4), 0b1000u);
  EXPECT_EQ(reverse_bits(0b1101, 4), 0b1011u);
  EXPECT_EQ(reverse_bits(0b1101, 5), 0b10110u);
  EXPECT_EQ(reverse_bits(12345, 0), 0u);
  for (unsigned bits = 1; bits <= 12; ++bits)
    for (uint64_t x = 0; x < (uint64_t{1} << bits); x += 7) EXPECT_EQ(reverse_bits(reverse_bits(x, bits), bits), x);
}

TEST(BitReversePermute, MovesEveryIndexToItsReverse) {
  for (unsigned k = 0; k <= 12; ++k) {
    const size_t n = size_t{1} << k;
    std::vector<Gl> v(n);
    for (size_t i = 0; i < n; ++i) v[i] = Gl::from_u64(i);
    bit_reverse_permute(std::span<Gl>(v));
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(v[i].value(), reverse_bits(i, k)) << "k=" << k;
  }
  std::vector<Gl> odd(6);
  EXPECT_THROW(bit_reverse_permute(std::span<Gl>(odd)), std::invalid_argument);
}

TEST(NttTwiddles, TablesHoldTheStagePowers) {
  for (unsigned k : {1u, 2u, 5u, 10u}) {
    const NttTwiddles<Gl> tw(k);
    const size_t n = size_t{1} << k;
    EXPECT_EQ(tw.size(), n);
    EXPECT_EQ(tw.n_inverse() * Gl::from_u64(n), Gl::one());
    for (size_t h = 1; h < n; h <<= 1) {
      unsigned log_2h = 0;
      while ((size_t{1} << log_2h) < 2 * h) ++log_2h;
      const Gl w = Gl::root_of_unity(log_2h);
      for (size_t j = 0; j < h; ++j) {
        ASSERT_EQ(tw.forward(h)[j], w.pow(j));
        ASSERT_EQ(tw.forward(h)[j] * tw.inverse(h)[j], Gl::one());
      }
    }
  }
  EXPECT_THROW(NttTwiddles<Gl>(33), std::invalid_argument);
  EXPECT_THROW(NttTwiddles<Fermat>(17), std::invalid_argument);
  EXPECT_EQ(&ntt_twiddles<Gl>(7), &ntt_twiddles<Gl>(7));  // cached
}

// Roots of unity must square down the chain, which the four-step relies on.
template <class F>
void check_root_chain() {
  for (unsigned k = 1; k <= F::kTwoAdicity; ++k) {
    const F w = F::root_of_unity(k);
    ASSERT_EQ(w.square(), F::root_of_unity(k - 1)) << k;
    ASSERT_NE(w.pow(uint64_t{1} << (k - 1)), F::one()) << k;  // order exactly 2^k
  }
  EXPECT_EQ(F::root_of_unity(0), F::one());
}
TEST(RootsOfUnity, SquareDownTheChain) {
  check_root_chain<Gl>();
  check_root_chain<Toy>();
  check_root_chain<Fermat>();
  EXPECT_EQ(Toy::kTwoAdicity, 23u);
  EXPECT_EQ(Fermat::kTwoAdicity, 16u);
  EXPECT_EQ(SmallPrimeField<97>::kTwoAdicity, 5u);  // 96 = 3 * 2^5
}

template <class F>
void check_against_naive_dft(unsigned max_log) {
  for (unsigned k = 0; k <= max_log; ++k) {
    const size_t n = size_t{1} << k;
    const auto coeffs = random_vector<F>(n, 100 + k);
    const auto expected = naive_evaluations(coeffs, n, F::one());
    auto a = coeffs;
    ntt(std::span<F>(a));
    ASSERT_EQ(a, expected) << "ntt, n=" << n;
    intt(std::span<F>(a));
    ASSERT_EQ(a, coeffs) << "intt, n=" << n;
    auto b = coeffs;
    ntt_to_bit_reversed(std::span<F>(b));
    ASSERT_EQ(b, bit_reversed(expected)) << "bit reversed, n=" << n;
    intt_from_bit_reversed(std::span<F>(b));
    ASSERT_EQ(b, coeffs) << "from bit reversed, n=" << n;
  }
}
TEST(Ntt, MatchesNaiveDftGoldilocks) { check_against_naive_dft<Gl>(10); }
TEST(Ntt, MatchesNaiveDftToyPrimes) {
  check_against_naive_dft<Toy>(10);
  check_against_naive_dft<Fermat>(10);
}

TEST(Ntt, KnownTransforms) {
  // A delta at 0 is the constant polynomial 1; X evaluates to the powers of w;
  // the constant c evaluates to c everywhere and inverts back.
  const size_t n = 64;
  std::vector<Gl> a(n, Gl::zero());
  a[0] = Gl::one();
  ntt(std::span<Gl>(a));
  for (const Gl& x : a) EXPECT_EQ(x, Gl::one());
  std::vector<Gl> b(n, Gl::zero());
  b[1] = Gl::one();
  ntt(std::span<Gl>(b));
  for (size_t i = 0; i < n; ++i) EXPECT_EQ(b[i], Gl::root_of_unity(6).pow(i));
  std::vector<Gl> c(n, Gl::from_u64(5));
  intt(std::span<Gl>(c));
  EXPECT_EQ(c[0], Gl::from_u64(5));
  for (size_t i = 1; i < n; ++i) EXPECT_EQ(c[i], Gl::zero());
}

TEST(Ntt, RejectsBadLengths) {
  std::vector<Gl> v(12);
  EXPECT_THROW(ntt(std::span<Gl>(v)), std::invalid_argument);
  EXPECT_THROW(intt(std::span<Gl>(v)), std::invalid_argument);
  std::vector<Gl> empty;
  EXPECT_THROW(ntt(std::span<Gl>(empty)), std::invalid_argument);
  std::vector<Fermat> too_long(size_t{1} << 17);
  EXPECT_THROW(ntt(std::span<Fermat>(too_long)), std::invalid_argument);
  EXPECT_THROW(parallel_ntt(std::span<Fermat>(too_long)), std::invalid_argument);
  EXPECT_THROW(parallel_ntt(std::span<Gl>(v)), std::invalid_argument);
  std::vector<Gl> out(8), coeffs(9);
  EXPECT_THROW(low_degree_extension<Gl>(coeffs, out, Gl::one()), std::invalid_argument);
  EXPECT_THROW(parallel_low_degree_extension<Gl>(coeffs, out, Gl::one()), std::invalid_argument);
  EXPECT_THROW(coset_intt(std::span<Gl>(out), Gl::zero()), std::invalid_argument);
}

TEST(CosetNtt, MatchesNaiveEvaluationAndInverts) {
  const Gl shift = Gl::from_u64(Gl::kGenerator);
  for (unsigned k = 0; k <= 9; ++k) {
    const size_t n = size_t{1} << k;
    const auto coeffs = random_vector<Gl>(n, 200 + k);
    const auto expected = naive_evaluations(coeffs, n, shift);
    for (NttOrder order : {NttOrder::kNatural, NttOrder::kBitReversed}) {
      auto a = coeffs;
      coset_ntt(std::span<Gl>(a), shift, order);
      ASSERT_EQ(a, order == NttOrder::kNatural ? expected : bit_reversed(expected)) << n;
      coset_intt(std::span<Gl>(a), shift, order);
      ASSERT_EQ(a, coeffs) << n;
    }
  }
}

TEST(LowDegreeExtension, EvaluatesThePolynomialOnTheBiggerCoset) {
  const Gl shift = Gl::from_u64(Gl::kGenerator);
  // Degree bound n, domain n * 2^b; also a coefficient count that is not a power of two.
  for (const auto& [n, log_blowup] : std::vector<std::pair<size_t, unsigned>>{{1, 0}, {1, 3}, {16, 1}, {16, 3}, {37, 2}, {256, 2}}) {
    const auto coeffs = random_vector<Gl>(n, 300 + n);
    size_t domain = 1;
    while (domain < n) domain <<= 1;
    domain <<= log_blowup;
    for (const Gl s : {Gl::one(), shift}) {
      const auto expected = naive_evaluations(coeffs, domain, s);
      std::vector<Gl> out(domain);
      low_degree_extension<Gl>(coeffs, out, s);
      ASSERT_EQ(out, expected) << n << " " << log_blowup;
      std::vector<Gl> out_rev(domain);
      low_degree_extension<Gl>(coeffs, out_rev, s, NttOrder::kBitReversed);
      ASSERT_EQ(out_rev, bit_reversed(expected));
      std::vector<Gl> par(domain);
      parallel_low_degree_extension<Gl>(coeffs, par, s);
      ASSERT_EQ(par, expected);
      // Interpolating the extension gives back the coefficients, zero-padded.
      coset_intt(std::span<Gl>(out), s);
      for (size_t i = 0; i < domain; ++i) ASSERT_EQ(out[i], i < n ? coeffs[i] : Gl::zero());
    }
  }
}

TEST(LowDegreeExtension, LargeParallelAgreesWithHorner) {
  SettingsGuard guard;
  set_num_threads(2);
  const size_t n = size_t{1} << 15;
  const auto coeffs = random_vector<Gl>(n, 7);
  const Gl shift = Gl::from_u64(Gl::kGenerator);
  std::vector<Gl> out(4 * n);
  parallel_low_degree_extension<Gl>(coeffs, out, shift);
  const Gl w = Gl::root_of_unity(17);
  std::mt19937_64 rng(8);
  for (int t = 0; t < 40; ++t) {
    const size_t i = rng() % out.size();
    ASSERT_EQ(out[i], horner(coeffs, shift * w.pow(i))) << i;
  }
  std::vector<Gl> rev(4 * n);
  parallel_low_degree_extension<Gl>(coeffs, rev, shift, NttOrder::kBitReversed);
  ASSERT_EQ(rev, bit_reversed(out));
}

std::vector<NttSimd> supported_levels() {
  std::vector<NttSimd> levels{NttSimd::kScalar};
  if (ntt_simd_supported() >= NttSimd::kAvx2) levels.push_back(NttSimd::kAvx2);
  if (ntt_simd_supported() >= NttSimd::kAvx512) levels.push_back(NttSimd::kAvx512);
  return levels;
}

TEST(ParallelNtt, ReportsTheLevelsThisCpuRuns) {
  // Recorded in the test log; the comparisons below run every listed level.
  for (NttSimd level : supported_levels()) std::printf("NTT SIMD level available: %s\n", ntt_simd_name(level));
  if (ntt_simd_supported() != NttSimd::kAvx512) {
    EXPECT_THROW(set_ntt_simd(NttSimd::kAvx512), std::invalid_argument);
  }
}

// Every SIMD level and thread count gives exactly the scalar reference.
template <class F>
void check_parallel_against_reference(unsigned max_log, const std::vector<NttSimd>& levels) {
  SettingsGuard guard;
  for (unsigned k = 0; k <= max_log; ++k) {
    const size_t n = size_t{1} << k;
    const auto coeffs = random_vector<F>(n, 400 + k);
    auto expected_rev = coeffs;
    ntt_to_bit_reversed(std::span<F>(expected_rev));
    const auto expected = bit_reversed(expected_rev);
    const F shift = F::from_u64(3);
    auto expected_coset = coeffs;
    coset_ntt(std::span<F>(expected_coset), shift);
    for (NttSimd level : levels) {
      set_ntt_simd(level);
      for (unsigned threads : {1u, 2u}) {
        set_num_threads(threads);
        SCOPED_TRACE(::testing::Message() << "n=" << n << " simd=" << ntt_simd_name(level) << " threads=" << threads);
        auto a = coeffs;
        parallel_ntt_to_bit_reversed(std::span<F>(a));
        ASSERT_EQ(a, expected_rev);
        parallel_intt_from_bit_reversed(std::span<F>(a));
        ASSERT_EQ(a, coeffs);
        parallel_ntt(std::span<F>(a));
        ASSERT_EQ(a, expected);
        auto b = expected;
        parallel_bit_reverse_permute(std::span<F>(b));
        ASSERT_EQ(b, expected_rev);
        parallel_intt(std::span<F>(a));
        ASSERT_EQ(a, coeffs);
        parallel_coset_ntt(std::span<F>(a), shift);
        ASSERT_EQ(a, expected_coset);
        parallel_coset_intt(std::span<F>(a), shift);
        ASSERT_EQ(a, coeffs);
      }
    }
  }
}

TEST(ParallelNtt, EveryLevelAndThreadCountMatchesScalarGoldilocks) {
  check_parallel_against_reference<Gl>(18, supported_levels());
}
TEST(ParallelNtt, FourStepOverToyPrime) {
  check_parallel_against_reference<Toy>(17, {NttSimd::kScalar});
}

// Values at the edges of the canonical range (p - 1, p - 2, 2^32, ...) take
// every carry and borrow branch of the vector arithmetic.
TEST(ParallelNtt, EdgeValuesMatchScalar) {
  SettingsGuard guard;
  const uint64_t edges[] = {0, 1, 2, Gl::kModulus - 1, Gl::kModulus - 2, uint64_t{1} << 32, (uint64_t{1} << 32) - 1,
                            (uint64_t{1} << 32) + 1, uint64_t{1} << 63, Gl::kModulus - (uint64_t{1} << 32)};
  for (unsigned k : {6u, 10u, 14u, 16u}) {
    const size_t n = size_t{1} << k;
    std::vector<Gl> coeffs(n);
    std::mt19937_64 rng(k);
    for (auto& x : coeffs) x = Gl::from_canonical(edges[rng() % std::size(edges)]);
    auto expected = coeffs;
    ntt_to_bit_reversed(std::span<Gl>(expected));
    for (NttSimd level : supported_levels()) {
      set_ntt_simd(level);
      auto a = coeffs;
      parallel_ntt_to_bit_reversed(std::span<Gl>(a));
      ASSERT_EQ(a, expected) << ntt_simd_name(level) << " n=" << n;
      for (const Gl& x : a) ASSERT_LT(x.value(), Gl::kModulus);
      parallel_intt_from_bit_reversed(std::span<Gl>(a));
      ASSERT_EQ(a, coeffs) << ntt_simd_name(level) << " n=" << n;
    }
  }
}

}  // namespace
}  // namespace zkpot
