// Goldilocks, SmallPrimeField and the extensions of common/extension.h checked
// against GMP as the reference (docs/PROTOCOL.md §1.1, §1.2): edge values and
// 10^5 random samples per operation, every reduction and carry path included.
#include <gmp.h>
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "common/extension.h"
#include "common/field.h"

namespace zkpot {
namespace {

static_assert(sizeof(unsigned long) == 8, "GMP's ui functions must take 64-bit words");

constexpr uint64_t kP = Goldilocks::kModulus;
constexpr int kSamples = 100000;

// A GMP integer with value semantics, enough for a reference implementation.
class Z {
 public:
  Z() { mpz_init(v_); }
  explicit Z(uint64_t x) { mpz_init_set_ui(v_, x); }
  Z(const Z& o) { mpz_init_set(v_, o.v_); }
  Z& operator=(const Z& o) {
    mpz_set(v_, o.v_);
    return *this;
  }
  ~Z() { mpz_clear(v_); }
  static Z from_i64(int64_t x) {
    Z z;
    mpz_set_si(z.v_, x);
    return z;
  }
  static Z pow2(unsigned k) {
    Z z;
    mpz_ui_pow_ui(z.v_, 2, k);
    return z;
  }
  mpz_ptr get() { return v_; }
  mpz_srcptr get() const { return v_; }
  uint64_t u64() const {
    EXPECT_TRUE(mpz_sgn(v_) >= 0 && mpz_sizeinbase(v_, 2) <= 64);
    return mpz_get_ui(v_);
  }
  Z operator+(const Z& o) const { return op(o, mpz_add); }
  Z operator-(const Z& o) const { return op(o, mpz_sub); }
  Z operator*(const Z& o) const { return op(o, mpz_mul); }
  // Non-negative residue.
  Z mod(const Z& m) const { return op(m, mpz_mod); }
  bool operator==(const Z& o) const { return mpz_cmp(v_, o.v_) == 0; }

 private:
  Z op(const Z& o, void (*f)(mpz_ptr, mpz_srcptr, mpz_srcptr)) const {
    Z r;
    f(r.v_, v_, o.v_);
    return r;
  }
  mpz_t v_;
};

const Z& modulus() {
  static const Z p(kP);
  return p;
}
uint64_t ref_add(uint64_t a, uint64_t b, uint64_t p) { return (Z(a) + Z(b)).mod(Z(p)).u64(); }
uint64_t ref_sub(uint64_t a, uint64_t b, uint64_t p) { return (Z(a) - Z(b)).mod(Z(p)).u64(); }
uint64_t ref_mul(uint64_t a, uint64_t b, uint64_t p) { return (Z(a) * Z(b)).mod(Z(p)).u64(); }
uint64_t ref_pow(uint64_t a, const Z& e, uint64_t p) {
  Z r;
  mpz_powm(r.get(), Z(a).get(), e.get(), Z(p).get());
  return r.u64();
}
// The inverse by the extended Euclidean algorithm (not Fermat, so the field's
// own method is checked against an independent one); 0 for 0.
uint64_t ref_inverse(uint64_t a, uint64_t p) {
  if (a % p == 0) return 0;
  Z r;
  EXPECT_NE(mpz_invert(r.get(), Z(a).get(), Z(p).get()), 0);
  return r.u64();
}

// Values at every boundary of the reduction code: around 0, 2^32, 2^63, p,
// eps = 2^32 - 1, and p - 2^32 (where 2^64 - 2^32 wraps).
std::vector<uint64_t> goldilocks_edges() {
  std::vector<uint64_t> e = {0,
                             1,
                             2,
                             3,
                             7,
                             (uint64_t{1} << 31) - 1,
                             uint64_t{1} << 31,
                             (uint64_t{1} << 32) - 2,
                             (uint64_t{1} << 32) - 1,
                             uint64_t{1} << 32,
                             (uint64_t{1} << 32) + 1,
                             (uint64_t{1} << 33) - 1,
                             uint64_t{1} << 48,
                             (uint64_t{1} << 63) - 1,
                             uint64_t{1} << 63,
                             (uint64_t{1} << 63) + 1,
                             (kP - 1) / 2,
                             (kP + 1) / 2,
                             kP - (uint64_t{1} << 32),
                             kP - (uint64_t{1} << 32) + 1,
                             kP - (uint64_t{1} << 32) - 1,
                             kP - 3,
                             kP - 2,
                             kP - 1};
  return e;
}

// Canonical samples biased towards the edges: uniform, near p, small, and
// near multiples of 2^32.
uint64_t sample_canonical(std::mt19937_64& rng) {
  const uint64_t r = rng();
  switch (rng() % 4) {
    case 0:
      return r % kP;
    case 1:
      return kP - 1 - (r % (uint64_t{1} << 34));
    case 2:
      return r % (uint64_t{1} << 33);
    default: {
      const uint64_t base = (r >> 32) << 32;
      const uint64_t x = base + (rng() % 5) - 2;
      return x % kP;
    }
  }
}

Gl gl(uint64_t x) { return Gl::from_canonical(x); }

TEST(Goldilocks, ConstantsMatchTheirDefinitions) {
  EXPECT_EQ(Z(kP), Z::pow2(64) - Z::pow2(32) + Z(1));
  EXPECT_NE(mpz_probab_prime_p(modulus().get(), 50), 0);
  EXPECT_EQ(Z(Goldilocks::kEpsilon), Z::pow2(64).mod(modulus()));
  EXPECT_NEAR(Goldilocks::kLog2Order, std::log2(static_cast<long double>(kP)), 1e-9);
  // p - 1 = 2^32 * 3 * 5 * 17 * 257 * 65537, and 7 has none of (p-1)/q as a
  // multiple of its order: it generates F_p^*.
  const uint64_t odd_primes[] = {3, 5, 17, 257, 65537};
  Z product = Z::pow2(32);
  for (uint64_t q : odd_primes) product = product * Z(q);
  EXPECT_EQ(product, Z(kP - 1));
  EXPECT_NE(ref_pow(Goldilocks::kGenerator, Z((kP - 1) / 2), kP), 1u);
  for (uint64_t q : odd_primes) EXPECT_NE(ref_pow(Goldilocks::kGenerator, Z((kP - 1) / q), kP), 1u) << q;
  // The 2-adic root is 7^((p-1)/2^32) and has order exactly 2^32.
  EXPECT_EQ(Goldilocks::kRootOfUnity2Pow32, ref_pow(7, Z((kP - 1) >> 32), kP));
  EXPECT_EQ(ref_pow(Goldilocks::kRootOfUnity2Pow32, Z::pow2(32), kP), 1u);
  EXPECT_EQ(ref_pow(Goldilocks::kRootOfUnity2Pow32, Z::pow2(31), kP), kP - 1);
}

TEST(Goldilocks, RootsOfUnityHaveExactOrder) {
  for (unsigned k = 0; k <= Goldilocks::kTwoAdicity; ++k) {
    const Gl w = Gl::root_of_unity(k);
    EXPECT_EQ(w.value(), ref_pow(Goldilocks::kRootOfUnity2Pow32, Z::pow2(32 - k), kP)) << k;
    EXPECT_EQ(w.pow(uint64_t{1} << k), Gl::one()) << k;
    if (k > 0) {
      EXPECT_EQ(w.pow(uint64_t{1} << (k - 1)), -Gl::one()) << k;
    }
  }
}

TEST(Goldilocks, EdgeValuesAgainstGmp) {
  const auto edges = goldilocks_edges();
  for (uint64_t a : edges) {
    EXPECT_EQ((-gl(a)).value(), ref_sub(0, a, kP)) << a;
    EXPECT_EQ(gl(a).square().value(), ref_mul(a, a, kP)) << a;
    EXPECT_EQ(gl(a).inverse().value(), ref_inverse(a, kP)) << a;
    if (a != 0) {
      EXPECT_EQ(gl(a) * gl(a).inverse(), Gl::one()) << a;
    }
    for (uint64_t b : edges) {
      EXPECT_EQ((gl(a) + gl(b)).value(), ref_add(a, b, kP)) << a << " + " << b;
      EXPECT_EQ((gl(a) - gl(b)).value(), ref_sub(a, b, kP)) << a << " - " << b;
      EXPECT_EQ((gl(a) * gl(b)).value(), ref_mul(a, b, kP)) << a << " * " << b;
      EXPECT_EQ((gl(a) == gl(b)), a == b);
      EXPECT_EQ(gl(a).pow(b).value(), ref_pow(a, Z(b), kP)) << a << " ^ " << b;
    }
  }
}

TEST(Goldilocks, RandomSamplesAgainstGmp) {
  std::mt19937_64 rng(1);
  for (int i = 0; i < kSamples; ++i) {
    const uint64_t a = sample_canonical(rng), b = sample_canonical(rng);
    ASSERT_EQ((gl(a) + gl(b)).value(), ref_add(a, b, kP)) << a << " + " << b;
    ASSERT_EQ((gl(a) - gl(b)).value(), ref_sub(a, b, kP)) << a << " - " << b;
    ASSERT_EQ((gl(a) * gl(b)).value(), ref_mul(a, b, kP)) << a << " * " << b;
    ASSERT_EQ((-gl(a)).value(), ref_sub(0, a, kP)) << a;
    ASSERT_EQ(gl(a).square().value(), ref_mul(a, a, kP)) << a;
  }
  // pow and inverse cost ~100 products each: fewer samples.
  for (int i = 0; i < kSamples / 10; ++i) {
    const uint64_t a = sample_canonical(rng), e = rng();
    ASSERT_EQ(gl(a).pow(e).value(), ref_pow(a, Z(e), kP)) << a << " ^ " << e;
    ASSERT_EQ(gl(a).inverse().value(), ref_inverse(a, kP)) << a;
  }
}

TEST(Goldilocks, Reduce128OfArbitraryWords) {
  // reduce128 accepts any 128-bit value, not only products of canonical values.
  std::mt19937_64 rng(2);
  const uint64_t words[] = {0, 1, Goldilocks::kEpsilon, uint64_t{1} << 32, kP - 1, kP, kP + 1, ~uint64_t{0},
                            ~uint64_t{0} - 1, uint64_t{1} << 63};
  auto check = [](uint64_t lo, uint64_t hi) {
    const Z x = Z(hi) * Z::pow2(64) + Z(lo);
    ASSERT_EQ(Gl::reduce128(lo, hi).value(), x.mod(modulus()).u64()) << lo << " " << hi;
  };
  for (uint64_t lo : words)
    for (uint64_t hi : words) check(lo, hi);
  for (int i = 0; i < kSamples; ++i) check(rng(), rng());
}

TEST(Goldilocks, Dot3AgainstGmp) {
  // dot3 sums three 128-bit products before reducing: edge values drive the
  // 192-bit accumulator's top word to its maximum, 2.
  std::mt19937_64 rng(3);
  const auto edges = goldilocks_edges();
  auto check = [](uint64_t a0, uint64_t b0, uint64_t a1, uint64_t b1, uint64_t a2, uint64_t b2) {
    const Z x = Z(a0) * Z(b0) + Z(a1) * Z(b1) + Z(a2) * Z(b2);
    ASSERT_EQ(Gl::dot3(gl(a0), gl(b0), gl(a1), gl(b1), gl(a2), gl(b2)).value(), x.mod(modulus()).u64());
  };
  for (int i = 0; i < kSamples; ++i) {
    auto pick = [&] { return i % 2 == 0 ? edges[rng() % edges.size()] : sample_canonical(rng); };
    const uint64_t a0 = pick(), b0 = pick(), a1 = pick(), b1 = pick(), a2 = pick(), b2 = pick();
    check(a0, b0, a1, b1, a2, b2);
  }
  check(kP - 1, kP - 1, kP - 1, kP - 1, kP - 1, kP - 1);
}

TEST(Goldilocks, WideSumOfManyProductsAgainstGmp) {
  // Up to 2^12 products of (p-1)^2 push the top word to about 2^12.
  std::mt19937_64 rng(4);
  for (size_t n : {size_t{1}, size_t{255}, size_t{256}, size_t{4096}}) {
    for (int edge = 0; edge < 2; ++edge) {
      Gl::WideSum acc;
      Z ref(0);
      for (size_t i = 0; i < n; ++i) {
        const uint64_t a = edge ? kP - 1 - (rng() % 3) : sample_canonical(rng);
        const uint64_t b = edge ? kP - 1 : sample_canonical(rng);
        acc.add_product(gl(a), gl(b));
        ref = ref + Z(a) * Z(b);
      }
      EXPECT_EQ(acc.reduce().value(), ref.mod(modulus()).u64()) << n << " " << edge;
    }
  }
}

TEST(Goldilocks, FromU64ReducesEveryWord) {
  std::mt19937_64 rng(3);
  std::vector<uint64_t> xs = goldilocks_edges();
  for (uint64_t d = 0; d < 70; ++d) {
    xs.push_back(kP + d);
    xs.push_back(~uint64_t{0} - d);
  }
  for (int i = 0; i < kSamples; ++i) xs.push_back(rng());
  for (uint64_t x : xs) ASSERT_EQ(Gl::from_u64(x).value(), x % kP) << x;
}

TEST(Goldilocks, SignedEmbeddingRoundTrips) {
  std::mt19937_64 rng(4);
  std::vector<int64_t> xs = {0, 1, -1, 2, -2, INT64_MAX, INT64_MIN, INT64_MIN + 1, INT64_MAX - 1,
                             static_cast<int64_t>((kP - 1) / 2), -static_cast<int64_t>((kP - 1) / 2),
                             int64_t{1} << 32, -(int64_t{1} << 32)};
  for (int i = 0; i < kSamples; ++i) xs.push_back(static_cast<int64_t>(rng()));
  for (int64_t x : xs) {
    const Gl g = Gl::from_i64(x);
    ASSERT_EQ(g.value(), Z::from_i64(x).mod(modulus()).u64()) << x;
    // to_signed picks the representative in [-(p-1)/2, (p-1)/2].
    const int64_t s = g.to_signed();
    ASSERT_LE(s, static_cast<int64_t>((kP - 1) / 2));
    ASSERT_GE(s, -static_cast<int64_t>((kP - 1) / 2));
    ASSERT_EQ(Gl::from_i64(s), g) << x;
    if (x >= -static_cast<int64_t>((kP - 1) / 2) && x <= static_cast<int64_t>((kP - 1) / 2)) {
      ASSERT_EQ(s, x);
    }
  }
  EXPECT_EQ(gl((kP - 1) / 2).to_signed(), static_cast<int64_t>((kP - 1) / 2));
  EXPECT_EQ(gl((kP + 1) / 2).to_signed(), -static_cast<int64_t>((kP - 1) / 2));
  EXPECT_EQ(gl(kP - 1).to_signed(), -1);
}

TEST(Goldilocks, EncodingIsCanonical) {
  std::mt19937_64 rng(5);
  auto encode_word = [](uint64_t x, uint8_t* out) {
    for (int i = 0; i < 8; ++i) out[i] = static_cast<uint8_t>(x >> (8 * i));
  };
  uint8_t buf[8];
  for (uint64_t x : goldilocks_edges()) {
    gl(x).encode(buf);
    uint64_t le = 0;
    for (int i = 0; i < 8; ++i) le |= static_cast<uint64_t>(buf[i]) << (8 * i);
    EXPECT_EQ(le, x);
    Gl back;
    ASSERT_TRUE(Gl::decode(buf, &back));
    EXPECT_EQ(back, gl(x));
  }
  // Every word >= p is rejected: the boundary, the top, and random ones
  // (tests/field_slow_test.cc sweeps all 2^32 - 1 of them).
  std::vector<uint64_t> bad = {kP, kP + 1, kP + 2, ~uint64_t{0}, ~uint64_t{0} - 1, kP + Goldilocks::kEpsilon / 2};
  for (int i = 0; i < kSamples; ++i) bad.push_back(kP + rng() % (Goldilocks::kEpsilon + 1));
  for (uint64_t x : bad) {
    ASSERT_GE(x, kP);
    encode_word(x, buf);
    Gl out = Gl::from_u64(12345);
    ASSERT_FALSE(Gl::decode(buf, &out)) << x;
    ASSERT_EQ(out, Gl::from_u64(12345)) << "decode wrote on failure";
  }
  for (int i = 0; i < kSamples; ++i) {
    const uint64_t x = rng() % kP;
    encode_word(x, buf);
    Gl out;
    ASSERT_TRUE(Gl::decode(buf, &out));
    ASSERT_EQ(out.value(), x);
  }
}

TEST(Goldilocks, UniformSamplingRejectsExactlyTheWordsAtOrAboveP) {
  std::mt19937_64 rng(6);
  Gl out;
  EXPECT_TRUE(Gl::from_uniform_u64(kP - 1, &out));
  EXPECT_EQ(out.value(), kP - 1);
  EXPECT_TRUE(Gl::from_uniform_u64(0, &out));
  EXPECT_EQ(out.value(), 0u);
  for (uint64_t x : {kP, kP + 1, ~uint64_t{0}}) EXPECT_FALSE(Gl::from_uniform_u64(x, &out)) << x;
  int rejected = 0;
  for (int i = 0; i < kSamples; ++i) {
    const uint64_t x = rng();
    const bool ok = Gl::from_uniform_u64(x, &out);
    ASSERT_EQ(ok, x < kP) << x;
    if (ok) {
      ASSERT_EQ(out.value(), x);
    }
    rejected += !ok;
  }
  EXPECT_LE(rejected, 2);  // probability 2^-32 per word
}

TEST(BatchInverse, MatchesElementwiseInverseWithZeros) {
  std::mt19937_64 rng(7);
  for (size_t n : {0, 1, 2, 3, 17, 256}) {
    for (int zeros : {0, 1, 2, -1}) {  // -1: every entry zero
      std::vector<Gl> v(n), scratch(n);
      for (auto& x : v) x = gl(sample_canonical(rng) | 1);
      if (zeros == -1) {
        for (auto& x : v) x = Gl::zero();
      } else if (n > 0) {
        for (int z = 0; z < zeros; ++z) v[(z == 0) ? 0 : n - 1] = Gl::zero();
        if (n > 4) v[n / 2] = Gl::zero();
      }
      const std::vector<Gl> original = v;
      batch_inverse(v.data(), n, scratch.data());
      for (size_t i = 0; i < n; ++i) {
        ASSERT_EQ(v[i].value(), ref_inverse(original[i].value(), kP)) << n << " " << i;
      }
    }
  }
}

// ---- SmallPrimeField -------------------------------------------------------

template <uint32_t P>
void check_small_prime_field(bool exhaustive_pairs) {
  using F = SmallPrimeField<P>;
  ASSERT_NE(mpz_probab_prime_p(Z(P).get(), 50), 0) << P;
  std::mt19937_64 rng(P);
  auto check_pair = [](uint64_t a, uint64_t b) {
    const F x = F::from_canonical(a), y = F::from_canonical(b);
    ASSERT_EQ((x + y).value(), ref_add(a, b, P)) << P << ": " << a << " + " << b;
    ASSERT_EQ((x - y).value(), ref_sub(a, b, P)) << P << ": " << a << " - " << b;
    ASSERT_EQ((x * y).value(), ref_mul(a, b, P)) << P << ": " << a << " * " << b;
  };
  if (exhaustive_pairs) {
    for (uint64_t a = 0; a < P; ++a)
      for (uint64_t b = 0; b < P; ++b) check_pair(a, b);
  }
  const uint64_t edges[] = {0, 1, 2, P / 2, P / 2 + 1, P - 2, P - 1};
  for (uint64_t a : edges)
    for (uint64_t b : edges) check_pair(a, b);
  for (int i = 0; i < kSamples; ++i) check_pair(rng() % P, rng() % P);
  for (int i = 0; i < kSamples / 10; ++i) {
    const uint64_t a = rng() % P, e = rng();
    ASSERT_EQ(F::from_canonical(a).pow(e).value(), ref_pow(a, Z(e), P));
    ASSERT_EQ(F::from_canonical(a).inverse().value(), ref_inverse(a, P));
    ASSERT_EQ((-F::from_canonical(a)).value(), ref_sub(0, a, P));
  }
  for (uint64_t a : edges) ASSERT_EQ(F::from_canonical(a).inverse().value(), ref_inverse(a, P));

  // Reductions from words and signed integers, and the signed view.
  for (int i = 0; i < kSamples; ++i) {
    const uint64_t x = i < 4 ? ~uint64_t{0} - i : rng();
    ASSERT_EQ(F::from_u64(x).value(), x % P);
    const int64_t s = i < 4 ? INT64_MIN + i : static_cast<int64_t>(rng());
    const F f = F::from_i64(s);
    ASSERT_EQ(f.value(), Z::from_i64(s).mod(Z(P)).u64()) << s;
    ASSERT_LE(f.to_signed(), static_cast<int64_t>(P / 2));
    ASSERT_GE(f.to_signed(), -static_cast<int64_t>(P / 2));
    ASSERT_EQ(F::from_i64(f.to_signed()), f);
  }

  // Encoding: 4 bytes little endian; every word >= P rejected.
  uint8_t buf[4];
  for (uint64_t a : edges) {
    F::from_canonical(a).encode(buf);
    F back;
    ASSERT_TRUE(F::decode(buf, &back));
    ASSERT_EQ(back.value(), a);
  }
  for (int i = 0; i < kSamples; ++i) {
    const uint64_t x = i == 0 ? P : i == 1 ? 0xFFFFFFFFULL : P + rng() % (uint64_t{0x100000000} - P);
    if (x < P) continue;
    for (int j = 0; j < 4; ++j) buf[j] = static_cast<uint8_t>(x >> (8 * j));
    F out;
    ASSERT_FALSE(F::decode(buf, &out)) << x;
  }

  // Uniform sampling accepts exactly the words below the largest multiple of
  // P that fits in 2^64, so every residue has the same number of preimages.
  const Z two64 = Z::pow2(64);
  const Z accepted = two64 - two64.mod(Z(P));  // count of accepted words
  EXPECT_EQ(accepted.mod(Z(P)), Z(0));
  const uint64_t last = (accepted - Z(1)).u64();
  F out;
  EXPECT_TRUE(F::from_uniform_u64(last, &out));
  EXPECT_EQ(out.value(), last % P);
  if (last != ~uint64_t{0}) {
    EXPECT_FALSE(F::from_uniform_u64(last + 1, &out));
  }
  EXPECT_TRUE(F::from_uniform_u64(0, &out));
  for (int i = 0; i < kSamples; ++i) {
    const uint64_t x = i % 2 ? rng() : last - 50 + rng() % 100;
    ASSERT_EQ(F::from_uniform_u64(x, &out), x <= last) << x;
    if (x <= last) {
      ASSERT_EQ(out.value(), x % P);
    }
  }

  // The 2-adic root has order exactly 2^kTwoAdicity, which divides P - 1.
  unsigned s = 0;
  while (((P - 1) >> s) % 2 == 0) ++s;
  EXPECT_EQ(F::kTwoAdicity, s);
  EXPECT_EQ(ref_pow(F::kRootOfUnity2Adic, Z::pow2(s), P), 1u);
  if (s > 0) {
    EXPECT_EQ(ref_pow(F::kRootOfUnity2Adic, Z::pow2(s - 1), P), P - 1);
  }
}

TEST(SmallPrimeField, TinyPrimeExhaustive) { check_small_prime_field<97>(true); }
TEST(SmallPrimeField, FermatPrime) { check_small_prime_field<65537>(false); }
TEST(SmallPrimeField, NttPrime) { check_small_prime_field<998244353>(false); }
TEST(SmallPrimeField, LargestPrimeBelow2To32) { check_small_prime_field<4294967291u>(false); }

// ---- Extensions --------------------------------------------------------------

// Reference arithmetic in B[X]/(X^D - W) over the integers mod p, schoolbook.
template <unsigned D>
using Poly = std::array<uint64_t, D>;

template <unsigned D>
Poly<D> ref_ext_mul(const Poly<D>& a, const Poly<D>& b, uint64_t w, uint64_t p) {
  std::array<Z, D> acc;
  for (unsigned i = 0; i < D; ++i)
    for (unsigned j = 0; j < D; ++j) {
      const Z prod = Z(a[i]) * Z(b[j]);
      if (i + j < D) {
        acc[i + j] = acc[i + j] + prod;
      } else {
        acc[i + j - D] = acc[i + j - D] + prod * Z(w);  // X^D = W
      }
    }
  Poly<D> r;
  for (unsigned i = 0; i < D; ++i) r[i] = acc[i].mod(Z(p)).u64();
  return r;
}
// a^e by square and multiply over the bits of a GMP exponent.
template <unsigned D>
Poly<D> ref_ext_pow(const Poly<D>& a, const Z& e, uint64_t w, uint64_t p) {
  Poly<D> r{};
  r[0] = 1;
  for (size_t bit = mpz_sizeinbase(e.get(), 2); bit-- > 0;) {
    r = ref_ext_mul<D>(r, r, w, p);
    if (mpz_tstbit(e.get(), bit)) r = ref_ext_mul<D>(r, a, w, p);
  }
  return r;
}

template <class E>
Poly<E::kDegree> coeffs_of(const E& x) {
  Poly<E::kDegree> r;
  for (unsigned i = 0; i < E::kDegree; ++i) r[i] = x.coeff(i).value();
  return r;
}
template <class E>
E from_poly(const Poly<E::kDegree>& c) {
  typename E::Base b[E::kDegree];
  for (unsigned i = 0; i < E::kDegree; ++i) b[i] = E::Base::from_canonical(c[i]);
  return E::from_coeffs(b);
}

// X^D - W is irreducible over F_p (D = 2 or 3, D | p - 1) iff W is not a D-th
// power, i.e. W^((p-1)/D) != 1.
bool is_non_residue(uint64_t w, unsigned d, uint64_t p) {
  return (p - 1) % d == 0 && ref_pow(w, Z((p - 1) / d), p) != 1;
}

template <class E>
void check_extension(uint64_t p, const std::vector<uint64_t>& edge_coeffs, int samples) {
  constexpr unsigned D = E::kDegree;
  const uint64_t w = E::kNonResidue;
  if (D > 1) {
    ASSERT_TRUE(is_non_residue(w, D, p)) << "X^" << D << " - " << w << " is reducible";
  }
  std::mt19937_64 rng(p + D);
  auto random_poly = [&](bool edges) {
    Poly<D> c;
    for (auto& x : c) x = edges ? edge_coeffs[rng() % edge_coeffs.size()] : rng() % p;
    return c;
  };
  const Z order_minus_2 = [&] {
    Z q(1);
    for (unsigned i = 0; i < D; ++i) q = q * Z(p);
    return q - Z(2);
  }();
  for (int i = 0; i < samples; ++i) {
    const bool edges = i % 2 == 0;
    const Poly<D> a = random_poly(edges), b = random_poly(edges);
    const E x = from_poly<E>(a), y = from_poly<E>(b);
    ASSERT_EQ(coeffs_of(x * y), ref_ext_mul<D>(a, b, w, p));
    ASSERT_EQ(coeffs_of(x.square()), ref_ext_mul<D>(a, a, w, p));
    Poly<D> sum, diff, neg, by_base;
    for (unsigned k = 0; k < D; ++k) {
      sum[k] = ref_add(a[k], b[k], p);
      diff[k] = ref_sub(a[k], b[k], p);
      neg[k] = ref_sub(0, a[k], p);
      by_base[k] = ref_mul(a[k], b[0], p);
    }
    ASSERT_EQ(coeffs_of(x + y), sum);
    ASSERT_EQ(coeffs_of(x - y), diff);
    ASSERT_EQ(coeffs_of(-x), neg);
    ASSERT_EQ(coeffs_of(x * y.coeff(0)), by_base);
    ASSERT_EQ(x * E(y.coeff(0)), x * y.coeff(0));
    ASSERT_EQ(x == y, a == b);
    if (i % 40 == 0) {  // the GMP side of these is ~200 reference products
      const uint64_t e = rng();
      ASSERT_EQ(coeffs_of(x.pow(e)), ref_ext_pow<D>(a, Z(e), w, p));
      // The inverse is a^(|E| - 2), computed in GMP; zero maps to zero.
      ASSERT_EQ(coeffs_of(x.inverse()), ref_ext_pow<D>(a, order_minus_2, w, p));
      if (!x.is_zero()) {
        ASSERT_EQ(x * x.inverse(), E::one());
      }
    }
  }
  EXPECT_EQ(E::zero().inverse(), E::zero());
  EXPECT_TRUE(E::zero().is_zero());
  EXPECT_EQ(E::one() * E::one(), E::one());
}

std::vector<uint64_t> small_edges(uint64_t p) { return {0, 1, 2, p / 2, p - 2, p - 1}; }

TEST(Extension, GlExt3AgainstGmp) {
  static_assert(std::is_same_v<GlExt3, Extension<Goldilocks, 3, 7>>);
  check_extension<GlExt3>(kP, goldilocks_edges(), 20000);
}
TEST(Extension, QuadraticGoldilocksAgainstGmp) {
  // 7 generates F_p^*, so it is a non-square and X^2 - 7 is irreducible.
  check_extension<Extension<Goldilocks, 2, 7>>(kP, goldilocks_edges(), 20000);
}
TEST(Extension, DegreeOneWrapsTheBase) {
  check_extension<Extension<Goldilocks, 1, 0>>(kP, goldilocks_edges(), 20000);
}
TEST(Extension, ToyCubicAndQuadratic) {
  check_extension<Extension<SmallPrimeField<97>, 3, 2>>(97, small_edges(97), 20000);
  check_extension<Extension<SmallPrimeField<97>, 2, 5>>(97, small_edges(97), 20000);
  check_extension<Extension<SmallPrimeField<7681>, 3, 2>>(7681, small_edges(7681), 20000);
}

TEST(Extension, ToyCubicInverseExhaustive) {
  // Every non-zero element of F_97^3 times its inverse is one.
  using E = Extension<SmallPrimeField<97>, 3, 2>;
  for (uint64_t a = 0; a < 97; ++a)
    for (uint64_t b = 0; b < 97; ++b)
      for (uint64_t c = 0; c < 97; ++c) {
        const E x = from_poly<E>({a, b, c});
        if (x.is_zero()) continue;
        ASSERT_EQ(x * x.inverse(), E::one()) << a << " " << b << " " << c;
      }
}

TEST(Extension, GlExt3FieldFacts) {
  // 7 is not a cube mod p (3 | p - 1), so X^3 - 7 is irreducible.
  EXPECT_TRUE(is_non_residue(7, 3, kP));
  // The Frobenius X -> X^p multiplies X by omega = 7^((p-1)/3) = p - 2^32.
  const uint64_t omega = ref_pow(7, Z((kP - 1) / 3), kP);
  EXPECT_EQ(omega, kP - (uint64_t{1} << 32));
  const GlExt3 x = from_poly<GlExt3>({0, 1, 0});
  EXPECT_EQ(x.pow(kP), from_poly<GlExt3>({0, omega, 0}));
  EXPECT_EQ(x.pow(3), GlExt3(Gl::from_u64(7)));
  EXPECT_TRUE(GlExt3(Gl::from_u64(5)).is_base());
  EXPECT_FALSE(x.is_base());
}

TEST(Extension, EncodingRejectsAnyNonCanonicalCoefficient) {
  std::mt19937_64 rng(9);
  uint8_t buf[GlExt3::kEncodedBytes];
  static_assert(GlExt3::kEncodedBytes == 24);
  for (int i = 0; i < 1000; ++i) {
    const GlExt3 x = from_poly<GlExt3>({rng() % kP, rng() % kP, rng() % kP});
    x.encode(buf);
    GlExt3 back;
    ASSERT_TRUE(GlExt3::decode(buf, &back));
    ASSERT_EQ(back, x);
    // Overwrite one coefficient with a word >= p: rejected.
    const unsigned k = static_cast<unsigned>(rng() % 3);
    const uint64_t bad = kP + rng() % (Goldilocks::kEpsilon + 1);
    for (int j = 0; j < 8; ++j) buf[8 * k + j] = static_cast<uint8_t>(bad >> (8 * j));
    ASSERT_FALSE(GlExt3::decode(buf, &back));
  }
}

}  // namespace
}  // namespace zkpot
