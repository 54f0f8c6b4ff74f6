// Honest sumcheck proofs verify, for degrees 1..5, sizes 2^1..2^16, with and
// without zero knowledge, unweighted and eq-weighted (docs/PROTOCOL.md §3, §4).
#include "common/sumcheck.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/claims.h"
#include "common/multilinear.h"
#include "prover/rng.h"
#include "prover/sumcheck_prover.h"

namespace zkpot {
namespace {

Blake2b256::Digest statement(uint8_t b) {
  Blake2b256::Digest d{};
  d.fill(b);
  return d;
}

template <class F>
std::vector<std::vector<F>> random_tables(ProverRng& rng, size_t count, uint32_t n) {
  std::vector<std::vector<F>> t(count, std::vector<F>(size_t{1} << n));
  for (auto& v : t)
    for (F& x : v) x = rng.field<F>();
  return t;
}

// A statement with `degree` factors in one product term plus a lower-degree
// term, so that several terms and shared factors are exercised.
template <class F, class E>
SumOfProducts<F, E> make_poly(const std::vector<std::vector<F>>& tables, uint32_t n, uint32_t degree,
                              ProverRng& rng) {
  SumOfProducts<F, E> p;
  p.num_vars = n;
  for (const auto& t : tables) p.tables.emplace_back(t);
  ProductTerm<E> main;
  main.coeff = rng.field<E>();
  main.num_factors = degree;
  for (uint32_t k = 0; k < degree; ++k) main.factors[k] = k;
  p.terms.push_back(main);
  ProductTerm<E> second;
  second.coeff = rng.field<E>();
  second.num_factors = 1;
  second.factors[0] = degree;  // an extra table
  p.terms.push_back(second);
  if (degree >= 2) p.terms.push_back(ProductTerm<E>::of(E::one(), {0, degree}));
  return p;
}

template <class E>
SumcheckStatus verify_proof(const SumcheckProof<E>& proof, const SumcheckShape& shape, const E& sum,
                            std::vector<E>* point, SumcheckVerifierOutput<E>* vout, uint8_t stmt = 1) {
  Transcript<> tv("zkpot-test-sumcheck", statement(stmt));
  point->assign(shape.num_vars, E::zero());
  vout->point = std::span<E>(*point);
  return verify_sumcheck<E>(tv, shape, sum, std::span<const E>(proof.round_messages),
                            proof.mask ? &*proof.mask : nullptr, vout);
}

template <class F, class E>
void check_honest(uint32_t n, uint32_t degree, bool zk, bool weighted, uint64_t seed) {
  SCOPED_TRACE(testing::Message() << "n=" << n << " degree=" << degree << " zk=" << zk << " eq=" << weighted);
  ProverRng rng = ProverRng::from_seed_u64(seed);
  const auto tables = random_tables<F>(rng, degree + 1, n);
  SumOfProducts<F, E> poly = make_poly<F, E>(tables, n, degree, rng);
  if (weighted)
    for (uint32_t i = 0; i < n; ++i) poly.eq_point.push_back(rng.field<E>());
  const E sum = sum_over_hypercube(poly);

  Transcript<> tp("zkpot-test-sumcheck", statement(1));
  SumcheckProverOptions opts;
  opts.zero_knowledge = zk;
  opts.mask_handle = CommitmentHandle{77};
  const SumcheckProverOutput<E> proof = prove_sumcheck(tp, poly, sum, rng, opts);
  ASSERT_EQ(proof.proof.round_messages.size(), size_t{n} * poly.degree());
  ASSERT_EQ(proof.proof.mask.has_value(), zk);

  std::vector<E> point;
  SumcheckVerifierOutput<E> vout;
  ASSERT_EQ(verify_proof(proof.proof, poly.shape(), sum, &point, &vout), SumcheckStatus::kOk);
  EXPECT_EQ(point, proof.point);
  EXPECT_EQ(vout.final_claim, proof.final_claim);

  // The final claim equals the summand at r, computed from the tables directly.
  std::vector<E> evals;
  for (const auto& t : tables) evals.push_back(evaluate_multilinear<E, F>(std::span<const F>(t), std::span<const E>(point)));
  EXPECT_EQ(evals, proof.factor_evaluations);
  E expected;
  ASSERT_EQ(evaluate_terms<E>(std::span<const ProductTerm<E>>(poly.terms), std::span<const E>(evals), &expected),
            SumcheckStatus::kOk);
  if (weighted) expected *= eq_eval<E>(std::span<const E>(poly.eq_point), std::span<const E>(point));
  EXPECT_EQ(vout.final_claim, expected);

  if (zk) {
    ASSERT_TRUE(proof.mask_claim.has_value());
    EXPECT_EQ(vout.mask_claim, *proof.mask_claim);
    EXPECT_EQ(vout.mask_claim.kind(), ClaimKind::kLibraMaskSum);
    EXPECT_EQ(vout.mask_claim.handle(), CommitmentHandle{77});
  }
}

TEST(Sumcheck, HonestProofsVerifyGoldilocks) {
  uint64_t seed = 1;
  for (uint32_t degree = 1; degree <= 5; ++degree)
    for (uint32_t n : {1u, 2u, 3u, 5u, 8u, 12u})
      for (bool zk : {false, true}) check_honest<Gl, GlExt3>(n, degree, zk, false, seed++);
}

TEST(Sumcheck, HonestProofsVerifyLargeSizes) {
  uint64_t seed = 100;
  for (uint32_t n : {14u, 16u})
    for (uint32_t degree : {2u, 3u}) check_honest<Gl, GlExt3>(n, degree, true, false, seed++);
  check_honest<Gl, GlExt3>(16, 5, false, false, seed++);
}

TEST(Sumcheck, EqWeightedProofsVerify) {
  uint64_t seed = 200;
  for (uint32_t degree = 1; degree <= 4; ++degree)
    for (uint32_t n : {1u, 2u, 3u, 4u, 7u, 10u, 15u})
      for (bool zk : {false, true}) check_honest<Gl, GlExt3>(n, degree, zk, true, seed++);
}

TEST(Sumcheck, ToyFieldProofsVerify) {
  using T = SmallPrimeField<1009>;
  using T1 = Extension<T, 1, 0>;
  uint64_t seed = 300;
  for (uint32_t degree = 1; degree <= 5; ++degree)
    for (uint32_t n : {1u, 4u, 9u})
      for (bool zk : {false, true}) {
        check_honest<T, T>(n, degree, zk, false, seed++);
        check_honest<T, T1>(n, degree, zk, true, seed++);
      }
}

// An eq point with zero coordinates forces the prover to compute q_j(1)
// directly instead of deriving it from the claim (the fallback path).
TEST(Sumcheck, EqWeightedWithZeroCoordinatesVerifies) {
  for (bool zk : {false, true}) {
    ProverRng rng = ProverRng::from_seed_u64(zk ? 401 : 400);
    const uint32_t n = 6;
    const auto tables = random_tables<Gl>(rng, 3, n);
    SumOfProducts<Gl, GlExt3> poly = make_poly<Gl, GlExt3>(tables, n, 2, rng);
    for (uint32_t i = 0; i < n; ++i) poly.eq_point.push_back(i % 2 == 0 ? GlExt3::zero() : rng.field<GlExt3>());
    const GlExt3 sum = sum_over_hypercube(poly);
    Transcript<> tp("zkpot-test-sumcheck", statement(1));
    SumcheckProverOptions opts;
    opts.zero_knowledge = zk;
    const auto proof = prove_sumcheck(tp, poly, sum, rng, opts);
    std::vector<GlExt3> point;
    SumcheckVerifierOutput<GlExt3> vout;
    ASSERT_EQ(verify_proof(proof.proof, poly.shape(), sum, &point, &vout), SumcheckStatus::kOk);
    EXPECT_EQ(vout.final_claim, proof.final_claim);
  }
}

// Deterministic mode: a seeded prover reproduces a fixed proof byte for byte.
// The digest was produced by this code and checked to verify before being fixed.
TEST(Sumcheck, GoldenProofIsReproducible) {
  ProverRng rng = ProverRng::from_seed_u64(2024);
  const auto tables = random_tables<Gl>(rng, 4, 5);
  SumOfProducts<Gl, GlExt3> poly = make_poly<Gl, GlExt3>(tables, 5, 3, rng);
  const GlExt3 sum = sum_over_hypercube(poly);
  Transcript<> tp("zkpot-test-golden", statement(7));
  SumcheckProverOptions opts;
  opts.mask_handle = CommitmentHandle{3};
  const auto out = prove_sumcheck(tp, poly, sum, rng, opts);
  ASSERT_TRUE(out.proof.mask.has_value());
  std::vector<GlExt3> point;
  SumcheckVerifierOutput<GlExt3> vout;
  Transcript<> tv("zkpot-test-golden", statement(7));
  point.assign(5, GlExt3::zero());
  vout.point = std::span<GlExt3>(point);
  ASSERT_EQ(verify_sumcheck<GlExt3>(tv, poly.shape(), sum, std::span<const GlExt3>(out.proof.round_messages),
                                    &*out.proof.mask, &vout),
            SumcheckStatus::kOk);
  const std::vector<uint8_t> bytes = out.proof.to_bytes();
  EXPECT_EQ(bytes.size(), 5u * 3u * 24u + 8u + 2u * 24u);
  const auto d = Blake2b256::digest("zkpot/test", bytes.data(), bytes.size());
  std::string hex;
  for (uint8_t b : d) {
    static const char* k = "0123456789abcdef";
    hex += k[b >> 4];
    hex += k[b & 15];
  }
  EXPECT_EQ(hex, "cc8acdd141eb78555afbc39782275da89f1f6b47a2eb612c467c23829dc5940b");
}

// The prover's branch-free kernels agree with the field's own operators.
TEST(Sumcheck, BranchFreeArithmeticMatchesFieldOperators) {
  ProverRng rng = ProverRng::from_seed_u64(5);
  std::vector<Gl> edge = {Gl::zero(), Gl::one(), Gl::from_u64(Gl::kModulus - 1), Gl::from_u64(Gl::kEpsilon),
                          Gl::from_u64(Gl::kEpsilon + 1), Gl::from_u64(uint64_t{1} << 63)};
  for (int i = 0; i < 2000; ++i) edge.push_back(rng.field<Gl>());
  for (size_t i = 0; i < edge.size(); ++i) {
    const Gl a = edge[i], b = edge[(i * 7 + 3) % edge.size()];
    EXPECT_EQ(sumcheck_arith::add(a, b), a + b);
    EXPECT_EQ(sumcheck_arith::sub(a, b), a - b);
    EXPECT_EQ(sumcheck_arith::mul(a, b), a * b);
    const Gl ca[3] = {a, b, edge[(i + 1) % edge.size()]};
    const Gl cb[3] = {edge[(i + 2) % edge.size()], a, b};
    const GlExt3 x = GlExt3::from_coeffs(ca), y = GlExt3::from_coeffs(cb);
    EXPECT_EQ(sumcheck_arith::mul(x, y), x * y);
    EXPECT_EQ(sumcheck_arith::mul(x, b), x * b);
    EXPECT_EQ(sumcheck_arith::add(x, y), x + y);
    EXPECT_EQ(sumcheck_arith::sub(x, y), x - y);
  }
}

}  // namespace
}  // namespace zkpot
