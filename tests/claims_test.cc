// Pending claims and their batching (docs/PROTOCOL.md §6): the claim type's
// checks, the accumulator's grouping rules, honest batching for the Goldilocks
// suite with and without zero knowledge, and rejection of false claims.
#include "common/claims.h"

#include <gtest/gtest.h>

#include <vector>

#include "common/claim_accumulator.h"
#include "prover/claims_prover.h"
#include "prover/rng.h"

namespace zkpot {
namespace {

using E = GlExt3;

Blake2b256::Digest statement() {
  Blake2b256::Digest d{};
  d.fill(9);
  return d;
}

std::vector<E> random_point(ProverRng& rng, uint32_t n) {
  std::vector<E> r(n);
  for (E& x : r) x = rng.field<E>();
  return r;
}

std::vector<Gl> random_table(ProverRng& rng, uint32_t n) {
  std::vector<Gl> t(size_t{1} << n);
  for (Gl& x : t) x = rng.field<Gl>();
  return t;
}

PendingClaim<E> true_claim(const std::vector<Gl>& t, CommitmentHandle h, const std::vector<E>& r) {
  PendingClaim<E> c;
  EXPECT_TRUE(PendingClaim<E>::make_evaluation(h, std::span<const E>(r),
                                               evaluate_multilinear<E, Gl>(std::span<const Gl>(t), std::span<const E>(r)), &c));
  return c;
}

TEST(PendingClaim, RejectsTooManyVariables) {
  std::vector<E> r(kMaxClaimVariables + 1, E::one());
  PendingClaim<E> c;
  EXPECT_FALSE(PendingClaim<E>::make_evaluation(CommitmentHandle{1}, std::span<const E>(r), E::one(), &c));
  EXPECT_FALSE(PendingClaim<E>::make_libra_mask(CommitmentHandle{1}, std::span<const E>(r), 2, E::one(), &c));
  r.pop_back();
  EXPECT_TRUE(PendingClaim<E>::make_evaluation(CommitmentHandle{1}, std::span<const E>(r), E::one(), &c));
  EXPECT_EQ(c.num_vars(), kMaxClaimVariables);
}

TEST(PendingClaim, EveryFieldIsAbsorbed) {
  ProverRng rng = ProverRng::from_seed_u64(1);
  const std::vector<E> r = random_point(rng, 3);
  PendingClaim<E> base, other_handle, other_value, other_point, other_kind;
  ASSERT_TRUE(PendingClaim<E>::make_evaluation(CommitmentHandle{1}, std::span<const E>(r), E::one(), &base));
  ASSERT_TRUE(PendingClaim<E>::make_evaluation(CommitmentHandle{2}, std::span<const E>(r), E::one(), &other_handle));
  ASSERT_TRUE(PendingClaim<E>::make_evaluation(CommitmentHandle{1}, std::span<const E>(r), E::zero(), &other_value));
  std::vector<E> r2 = r;
  r2[2] += E::one();
  ASSERT_TRUE(PendingClaim<E>::make_evaluation(CommitmentHandle{1}, std::span<const E>(r2), E::one(), &other_point));
  ASSERT_TRUE(PendingClaim<E>::make_libra_mask(CommitmentHandle{1}, std::span<const E>(r), 0, E::one(), &other_kind));
  auto challenge_after = [](const PendingClaim<E>& c) {
    Transcript<> t("zkpot-test-claims", statement());
    absorb_claim(t, c);
    return t.challenge<E>("x");
  };
  const E c0 = challenge_after(base);
  for (const auto* c : {&other_handle, &other_value, &other_point, &other_kind}) EXPECT_NE(challenge_after(*c), c0);
}

TEST(PendingClaim, LibraLinearFormMatchesMaskEvaluation) {
  ProverRng rng = ProverRng::from_seed_u64(2);
  const LibraMask<E> m = sample_libra_mask<E>(rng, CommitmentHandle{5}, 6, 3);
  const std::vector<E> r = random_point(rng, 6);
  std::vector<E> form(6 * 4);
  ASSERT_TRUE(libra_mask_linear_form<E>(std::span<const E>(r), 3, std::span<E>(form)));
  E dot = E::zero();
  for (size_t i = 0; i < form.size(); ++i) dot += form[i] * m.coeffs[i];
  E v;
  ASSERT_TRUE(evaluate_libra_mask<E>(std::span<const E>(m.coeffs), 3, std::span<const E>(r), &v));
  EXPECT_EQ(dot, v);
  E direct = E::zero();
  for (uint32_t i = 0; i < 6; ++i) direct += m.g(i, r[i]);
  EXPECT_EQ(v, direct);
  std::vector<E> wrong(5);
  EXPECT_FALSE(libra_mask_linear_form<E>(std::span<const E>(r), 3, std::span<E>(wrong)));
  EXPECT_FALSE(evaluate_libra_mask<E>(std::span<const E>(m.coeffs), 2, std::span<const E>(r), &v));
}

TEST(ClaimAccumulator, EnforcesCapacityArityAndKind) {
  ProverRng rng = ProverRng::from_seed_u64(3);
  ClaimAccumulator<E> acc(3);
  const std::vector<E> r3 = random_point(rng, 3), r4 = random_point(rng, 4);
  PendingClaim<E> a, b, c, d;
  ASSERT_TRUE(PendingClaim<E>::make_evaluation(CommitmentHandle{1}, std::span<const E>(r3), E::one(), &a));
  ASSERT_TRUE(PendingClaim<E>::make_evaluation(CommitmentHandle{1}, std::span<const E>(r4), E::one(), &b));
  ASSERT_TRUE(PendingClaim<E>::make_libra_mask(CommitmentHandle{1}, std::span<const E>(r3), 2, E::one(), &c));
  ASSERT_TRUE(PendingClaim<E>::make_evaluation(CommitmentHandle{2}, std::span<const E>(r4), E::one(), &d));
  EXPECT_EQ(acc.add(a), ClaimStatus::kOk);
  EXPECT_EQ(acc.add(b), ClaimStatus::kVariableCountMismatch);
  EXPECT_EQ(acc.add(c), ClaimStatus::kKindMismatch);
  EXPECT_EQ(acc.add(d), ClaimStatus::kOk);
  EXPECT_EQ(acc.add(a), ClaimStatus::kOk);
  EXPECT_EQ(acc.add(d), ClaimStatus::kCapacityExceeded);
  EXPECT_EQ(acc.num_batched_groups(), 1u);
}

struct BatchingFixture {
  ProverRng rng = ProverRng::from_seed_u64(11);
  std::vector<Gl> t1, t2, t3;
  WitnessRegistry<Gl, E> witness;
  ClaimAccumulator<E> acc{16};

  BatchingFixture() {
    t1 = random_table(rng, 6);
    t2 = random_table(rng, 4);
    t3 = random_table(rng, 5);
    witness.add_table(CommitmentHandle{1}, std::span<const Gl>(t1));
    witness.add_table(CommitmentHandle{2}, std::span<const Gl>(t2));
    witness.add_table(CommitmentHandle{3}, std::span<const Gl>(t3));
    // Three claims on t1, one on t2, two on t3, interleaved, and a mask claim.
    add(true_claim(t1, CommitmentHandle{1}, random_point(rng, 6)));
    add(true_claim(t2, CommitmentHandle{2}, random_point(rng, 4)));
    add(true_claim(t1, CommitmentHandle{1}, random_point(rng, 6)));
    add(true_claim(t3, CommitmentHandle{3}, random_point(rng, 5)));
    add(true_claim(t1, CommitmentHandle{1}, random_point(rng, 6)));
    add(true_claim(t3, CommitmentHandle{3}, random_point(rng, 5)));
    const LibraMask<E> m = sample_libra_mask<E>(rng, CommitmentHandle{50}, 4, 2);
    witness.add_mask(m);
    const std::vector<E> r = random_point(rng, 4);
    E v;
    EXPECT_TRUE(evaluate_libra_mask<E>(std::span<const E>(m.coeffs), 2, std::span<const E>(r), &v));
    PendingClaim<E> mc;
    EXPECT_TRUE(PendingClaim<E>::make_libra_mask(m.handle, std::span<const E>(r), 2, v, &mc));
    add(mc);
  }
  void add(const PendingClaim<E>& c) { EXPECT_EQ(acc.add(c), ClaimStatus::kOk); }
};

TEST(ClaimBatching, HonestBatchingVerifiesAndReducedClaimsHold) {
  for (bool zk : {false, true}) {
    BatchingFixture f;
    for (const auto& c : f.acc.claims()) ASSERT_TRUE(f.witness.holds(c));
    Transcript<> tp("zkpot-test-claims", statement());
    auto po = prove_claim_batching(tp, f.acc, f.witness, f.rng, zk, CommitmentHandle{100});
    ASSERT_EQ(po.proof.groups.size(), 2u);
    for (const auto& m : po.masks) f.witness.add_mask(m);

    Transcript<> tv("zkpot-test-claims", statement());
    ClaimAccumulator<E> out(16);
    ASSERT_EQ(verify_claim_batching(tv, f.acc, po.proof, zk, CommitmentHandle{100}, &out), ClaimStatus::kOk);
    // One claim per handle, plus one mask claim per batched group with zero knowledge.
    ASSERT_EQ(out.size(), 4u + (zk ? 2u : 0u));
    ASSERT_EQ(out.size(), po.reduced.size());
    for (size_t i = 0; i < out.size(); ++i) {
      EXPECT_EQ(out.claims()[i], po.reduced[i]);
      EXPECT_TRUE(f.witness.holds(out.claims()[i])) << i;
    }
    EXPECT_EQ(tp.challenge<E>("after"), tv.challenge<E>("after"));
  }
}

TEST(ClaimBatching, FalseInputClaimLeavesAFalseReducedClaim) {
  BatchingFixture f;
  // Replace the accumulator by one where the second claim on t1 is off by one.
  ClaimAccumulator<E> bad(16);
  for (size_t i = 0; i < f.acc.size(); ++i) {
    PendingClaim<E> c = f.acc.claims()[i];
    if (i == 2) {
      ASSERT_TRUE(PendingClaim<E>::make_evaluation(c.handle(), c.point(), c.value() + E::one(), &c));
    }
    ASSERT_EQ(bad.add(c), ClaimStatus::kOk);
  }
  // An honest prover cannot even produce a proof for a false statement.
  Transcript<> tp("zkpot-test-claims", statement());
  EXPECT_THROW(prove_claim_batching(tp, bad, f.witness, f.rng, true, CommitmentHandle{100}), std::invalid_argument);
  // A proof made for the true claims does not verify for the false ones.
  Transcript<> tp2("zkpot-test-claims", statement());
  auto po = prove_claim_batching(tp2, f.acc, f.witness, f.rng, true, CommitmentHandle{100});
  Transcript<> tv("zkpot-test-claims", statement());
  ClaimAccumulator<E> out(16);
  EXPECT_NE(verify_claim_batching(tv, bad, po.proof, true, CommitmentHandle{100}, &out), ClaimStatus::kOk);
}

TEST(ClaimBatching, TamperedProofsAreRejected) {
  BatchingFixture f;
  Transcript<> tp("zkpot-test-claims", statement());
  const auto po = prove_claim_batching(tp, f.acc, f.witness, f.rng, true, CommitmentHandle{100});
  auto verify = [&](const ClaimBatchingProof<E>& proof, bool zk = true, CommitmentHandle first = {100}) {
    Transcript<> tv("zkpot-test-claims", statement());
    ClaimAccumulator<E> out(16);
    return verify_claim_batching(tv, f.acc, proof, zk, first, &out);
  };
  EXPECT_EQ(verify(po.proof), ClaimStatus::kOk);
  {
    auto p = po.proof;
    p.groups[1].evaluation += E::one();
    EXPECT_EQ(verify(p), ClaimStatus::kFinalEvaluationMismatch);
  }
  {
    auto p = po.proof;
    p.groups[0].round_messages[3] += E::one();
    EXPECT_EQ(verify(p), ClaimStatus::kFinalEvaluationMismatch);
  }
  {
    auto p = po.proof;
    p.groups[0].round_messages.pop_back();
    EXPECT_EQ(verify(p), ClaimStatus::kSumcheckRejected);
  }
  {
    auto p = po.proof;
    p.groups.pop_back();
    EXPECT_EQ(verify(p), ClaimStatus::kWrongProofLength);
  }
  EXPECT_EQ(verify(po.proof, false), ClaimStatus::kWrongProofLength);
  EXPECT_EQ(verify(po.proof, true, CommitmentHandle{101}), ClaimStatus::kWrongProofLength);
  {
    auto p = po.proof;
    p.groups[0].mask->sum += E::one();
    EXPECT_EQ(verify(p), ClaimStatus::kFinalEvaluationMismatch);
  }
}

}  // namespace
}  // namespace zkpot
