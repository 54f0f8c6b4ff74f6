// Cheating provers against the sumcheck (docs/PROTOCOL.md §3, §4, §8). Each
// test runs one strategy through the whole verifier pipeline: verify_sumcheck,
// the final check against the claimed factor evaluations, and the pending
// claims checked against the committed witness (what the commitment scheme
// will do). The statistical test runs the optimal strategy over a toy field
// and compares its success rate with the bound d n / |E|.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "common/claim_accumulator.h"
#include "common/claims.h"
#include "common/sumcheck.h"
#include "prover/claims_prover.h"
#include "prover/rng.h"
#include "prover/sumcheck_prover.h"
#include "tests/protocol_doc.h"

namespace zkpot {
namespace {

using E = GlExt3;

Blake2b256::Digest digest_of(uint64_t x) {
  Blake2b256::Digest d{};
  for (int i = 0; i < 8; ++i) d[i] = static_cast<uint8_t>(x >> (8 * i));
  return d;
}

enum class Outcome { kAccepted, kSumcheckRejected, kFinalCheckFailed, kWitnessClaimFailed };

// A proof as the full pipeline sees it: the sumcheck messages and the claimed
// factor evaluations P_k(r), which become pending claims on the tables.
struct FullProof {
  SumcheckProof<E> sumcheck;
  std::vector<E> factor_evaluations;
};

struct Harness {
  static constexpr uint32_t kVars = 6;
  ProverRng rng = ProverRng::from_seed_u64(42);
  std::vector<std::vector<Gl>> tables;
  SumOfProducts<Gl, E> poly;
  WitnessRegistry<Gl, E> witness;
  E sum;

  Harness() {
    tables.assign(3, std::vector<Gl>(size_t{1} << kVars));
    for (auto& t : tables)
      for (Gl& x : t) x = rng.field<Gl>();
    poly.num_vars = kVars;
    for (size_t k = 0; k < tables.size(); ++k) {
      poly.tables.emplace_back(tables[k]);
      witness.add_table(CommitmentHandle{k + 1}, std::span<const Gl>(tables[k]));
    }
    poly.terms = {ProductTerm<E>::of(E::one(), {0, 1}), ProductTerm<E>::of(E::from_u64(3), {2})};
    sum = sum_over_hypercube(poly);
  }

  FullProof prove(bool zk, uint64_t stmt = 1) {
    Transcript<> t("zkpot-test-soundness", digest_of(stmt));
    std::optional<LibraMask<E>> mask;
    if (zk) {
      mask = sample_libra_mask<E>(rng, CommitmentHandle{99}, kVars, poly.degree());
      if (!registered_mask_) witness.add_mask(*mask);
      registered_mask_ = true;
      mask_ = *mask;
    }
    SumcheckProver<Gl, E> p;
    auto out = p.prove(t, poly, sum, zk ? &mask_ : nullptr);
    return FullProof{out.proof, out.factor_evaluations};
  }

  Outcome verify(const FullProof& proof, const E& claimed_sum, uint64_t stmt = 1,
                 SumcheckShape shape = {kVars, 2}) {
    Transcript<> t("zkpot-test-soundness", digest_of(stmt));
    std::vector<E> point(shape.num_vars);
    SumcheckVerifierOutput<E> out;
    out.point = std::span<E>(point);
    if (verify_sumcheck<E>(t, shape, claimed_sum, std::span<const E>(proof.sumcheck.round_messages),
                           proof.sumcheck.mask ? &*proof.sumcheck.mask : nullptr, &out) != SumcheckStatus::kOk)
      return Outcome::kSumcheckRejected;
    E expected;
    if (evaluate_terms<E>(std::span<const ProductTerm<E>>(poly.terms), std::span<const E>(proof.factor_evaluations),
                          &expected) != SumcheckStatus::kOk ||
        expected != out.final_claim)
      return Outcome::kFinalCheckFailed;
    for (size_t k = 0; k < proof.factor_evaluations.size(); ++k) {
      PendingClaim<E> c;
      if (!PendingClaim<E>::make_evaluation(CommitmentHandle{k + 1}, std::span<const E>(point),
                                            proof.factor_evaluations[k], &c) ||
          !witness.holds(c))
        return Outcome::kWitnessClaimFailed;
    }
    if (proof.sumcheck.mask && !witness.holds(out.mask_claim)) return Outcome::kWitnessClaimFailed;
    return Outcome::kAccepted;
  }

 private:
  bool registered_mask_ = false;
  LibraMask<E> mask_;
};

TEST(SumcheckSoundness, HonestProofIsAccepted) {
  for (bool zk : {false, true}) {
    Harness h;
    EXPECT_EQ(h.verify(h.prove(zk), h.sum), Outcome::kAccepted);
  }
}

TEST(SumcheckSoundness, WrongClaimedSumIsRejected) {
  for (bool zk : {false, true}) {
    Harness h;
    const FullProof proof = h.prove(zk);
    EXPECT_EQ(h.verify(proof, h.sum + E::one()), Outcome::kFinalCheckFailed);
    // The honest engine refuses to prove a false sum.
    Transcript<> t("zkpot-test-soundness", digest_of(1));
    SumcheckProver<Gl, E> p;
    EXPECT_THROW(p.prove(t, h.poly, h.sum + E::one(), nullptr), std::invalid_argument);
  }
}

TEST(SumcheckSoundness, ChangedRoundPolynomialIsRejectedInEveryRound) {
  for (bool zk : {false, true}) {
    Harness h;
    const FullProof proof = h.prove(zk);
    for (size_t i = 0; i < proof.sumcheck.round_messages.size(); ++i) {
      FullProof bad = proof;
      bad.sumcheck.round_messages[i] += E::one();
      EXPECT_NE(h.verify(bad, h.sum), Outcome::kAccepted) << "value " << i;
    }
  }
}

TEST(SumcheckSoundness, WrongRoundCountOrMessageLengthIsRejected) {
  Harness h;
  const FullProof proof = h.prove(true);
  FullProof shorter = proof, longer = proof;
  shorter.sumcheck.round_messages.pop_back();
  longer.sumcheck.round_messages.push_back(E::one());
  EXPECT_EQ(h.verify(shorter, h.sum), Outcome::kSumcheckRejected);
  EXPECT_EQ(h.verify(longer, h.sum), Outcome::kSumcheckRejected);
  // The same messages read as one more or one fewer round, or another degree.
  EXPECT_EQ(h.verify(proof, h.sum, 1, {Harness::kVars + 1, 2}), Outcome::kSumcheckRejected);
  EXPECT_EQ(h.verify(proof, h.sum, 1, {Harness::kVars - 1, 2}), Outcome::kSumcheckRejected);
  EXPECT_EQ(h.verify(proof, h.sum, 1, {Harness::kVars, 3}), Outcome::kSumcheckRejected);

  // Direct status checks on the verifier entry point.
  Transcript<> t("zkpot-test-soundness", digest_of(1));
  std::vector<E> point(Harness::kVars);
  SumcheckVerifierOutput<E> out;
  out.point = std::span<E>(point);
  const std::span<const E> msgs(proof.sumcheck.round_messages);
  const auto* mask = &*proof.sumcheck.mask;
  EXPECT_EQ(verify_sumcheck<E>(t, {Harness::kVars, 0}, h.sum, msgs, mask, &out), SumcheckStatus::kBadDegree);
  EXPECT_EQ(verify_sumcheck<E>(t, {Harness::kVars, kMaxSumcheckDegree + 1}, h.sum, msgs, mask, &out),
            SumcheckStatus::kBadDegree);
  EXPECT_EQ(verify_sumcheck<E>(t, {0, 2}, h.sum, msgs, mask, &out), SumcheckStatus::kTooManyVariables);
  EXPECT_EQ(verify_sumcheck<E>(t, {kMaxSumcheckVariables + 1, 2}, h.sum, msgs, mask, &out),
            SumcheckStatus::kTooManyVariables);
  EXPECT_EQ(verify_sumcheck<E>(t, {Harness::kVars, 2}, h.sum, msgs.first(msgs.size() - 2), mask, &out),
            SumcheckStatus::kWrongMessageLength);
  out.point = std::span<E>(point).first(Harness::kVars - 1);
  EXPECT_EQ(verify_sumcheck<E>(t, {Harness::kVars, 2}, h.sum, msgs, mask, &out), SumcheckStatus::kWrongPointLength);
  // The round function itself checks the message length.
  const LagrangeKernel<E> k2(2);
  E r, next;
  EXPECT_EQ(sumcheck_round<E>(t, k2, msgs.first(3), h.sum, &r, &next), SumcheckStatus::kWrongMessageLength);
}

TEST(SumcheckSoundness, WrongFinalEvaluationIsRejected) {
  for (bool zk : {false, true}) {
    Harness h;
    const FullProof honest = h.prove(zk);
    // A wrong factor evaluation fails the final check...
    FullProof bad = honest;
    bad.factor_evaluations[2] += E::one();
    EXPECT_EQ(h.verify(bad, h.sum), Outcome::kFinalCheckFailed);
    // ...and one adjusted to pass it (claim sum + 1, then fix P_2(r) so the
    // final check balances) leaves a pending claim the witness refutes.
    FullProof forged = honest;
    Transcript<> t("zkpot-test-soundness", digest_of(1));
    std::vector<E> point(Harness::kVars);
    SumcheckVerifierOutput<E> out;
    out.point = std::span<E>(point);
    ASSERT_EQ(verify_sumcheck<E>(t, {Harness::kVars, 2}, h.sum + E::one(),
                                 std::span<const E>(forged.sumcheck.round_messages),
                                 forged.sumcheck.mask ? &*forged.sumcheck.mask : nullptr, &out),
              SumcheckStatus::kOk);
    const E prod01 = forged.factor_evaluations[0] * forged.factor_evaluations[1];
    forged.factor_evaluations[2] = (out.final_claim - prod01) * E::from_u64(3).inverse();
    EXPECT_EQ(h.verify(forged, h.sum + E::one()), Outcome::kWitnessClaimFailed);
  }
}

TEST(SumcheckSoundness, ProofReplayedUnderAnotherStatementIsRejected) {
  for (bool zk : {false, true}) {
    Harness h;
    const FullProof proof = h.prove(zk, 1);
    EXPECT_EQ(h.verify(proof, h.sum, 1), Outcome::kAccepted);
    EXPECT_EQ(h.verify(proof, h.sum, 2), Outcome::kFinalCheckFailed);
  }
}

TEST(SumcheckSoundness, ForgedMaskMessagesAreRejected) {
  Harness h;
  const FullProof proof = h.prove(true);
  {
    FullProof bad = proof;
    bad.sumcheck.mask->sum += E::one();
    EXPECT_EQ(h.verify(bad, h.sum), Outcome::kFinalCheckFailed);
  }
  {
    FullProof bad = proof;
    bad.sumcheck.mask->handle = CommitmentHandle{98};
    EXPECT_EQ(h.verify(bad, h.sum), Outcome::kFinalCheckFailed);
  }
  {
    FullProof bad = proof;
    bad.sumcheck.mask->evaluation += E::one();
    EXPECT_EQ(h.verify(bad, h.sum), Outcome::kFinalCheckFailed);
  }
  {
    // A zero-knowledge proof stripped of its mask, or read as one.
    FullProof bad = proof;
    bad.sumcheck.mask.reset();
    EXPECT_EQ(h.verify(bad, h.sum), Outcome::kFinalCheckFailed);
  }
  {
    // Claim sum + 1 and absorb the error in the mask evaluation so that the
    // final check balances: the mask's pending claim is then false.
    FullProof forged = proof;
    Transcript<> t("zkpot-test-soundness", digest_of(1));
    std::vector<E> point(Harness::kVars);
    SumcheckVerifierOutput<E> out;
    out.point = std::span<E>(point);
    ASSERT_EQ(verify_sumcheck<E>(t, {Harness::kVars, 2}, h.sum + E::one(),
                                 std::span<const E>(forged.sumcheck.round_messages), &*forged.sumcheck.mask, &out),
              SumcheckStatus::kOk);
    E honest_final;
    ASSERT_EQ(evaluate_terms<E>(std::span<const ProductTerm<E>>(h.poly.terms),
                                std::span<const E>(forged.factor_evaluations), &honest_final),
              SumcheckStatus::kOk);
    // final = masked_last - rho * eval: choose eval so that final = honest_final.
    const E masked_last = out.final_claim + out.rho * forged.sumcheck.mask->evaluation;
    forged.sumcheck.mask->evaluation = (masked_last - honest_final) * out.rho.inverse();
    EXPECT_EQ(h.verify(forged, h.sum + E::one()), Outcome::kWitnessClaimFailed);
  }
}

// ---- The optimal cheating strategy over a toy field --------------------------

template <class T>
struct ToyInstance {
  uint32_t n, d;
  std::vector<std::vector<T>> tables;  // one product term of d factors

  // h_j(X) at X = 0..d from the current (folded) tables.
  std::vector<T> round_poly() const {
    std::vector<T> h(d + 1, T::zero());
    const size_t half = tables[0].size() / 2;
    for (size_t i = 0; i < half; ++i)
      for (uint32_t x = 0; x <= d; ++x) {
        T p = T::one();
        for (const auto& t : tables) p *= t[2 * i] + T::from_u64(x) * (t[2 * i + 1] - t[2 * i]);
        h[x] += p;
      }
    return h;
  }
  void fold(const T& r) {
    for (auto& t : tables) {
      for (size_t i = 0; i < t.size() / 2; ++i) t[i] = t[2 * i] + r * (t[2 * i + 1] - t[2 * i]);
      t.resize(t.size() / 2);
    }
  }
};

// One run of the optimal strategy: claim sum + 1; in each round send
// g = h + delta with delta = kappa prod_i (X - a_i), d distinct random roots,
// kappa chosen so that g(0) + g(1) equals the running (false) claim. The
// cheater wins exactly when some challenge lands on a root of delta.
template <class T>
bool cheat_once(uint32_t n, uint32_t d, uint64_t trial, std::mt19937_64& adversary) {
  ToyInstance<T> inst{n, d, {}};
  ProverRng rng = ProverRng::from_seed_u64(trial);
  inst.tables.assign(d, std::vector<T>(size_t{1} << n));
  for (auto& t : inst.tables)
    for (T& x : t) x = rng.field<T>();
  const std::vector<std::vector<T>> original = inst.tables;
  T true_sum = T::zero();
  for (size_t x = 0; x < (size_t{1} << n); ++x) {
    T p = T::one();
    for (const auto& t : original) p *= t[x];
    true_sum += p;
  }
  const T claimed = true_sum + T::one();
  const SumcheckShape shape{n, d};

  Transcript<> tp("zkpot-test-toy-cheat", digest_of(trial));
  T rho, cheat_claim;
  sumcheck_begin<T>(tp, shape, claimed, nullptr, &rho, &cheat_claim);
  T honest_claim = true_sum;
  const LagrangeKernel<T> kernel(d);
  std::vector<T> messages;
  for (uint32_t j = 0; j < n; ++j) {
    const std::vector<T> h = inst.round_poly();
    std::vector<T> g = h;
    const T delta_sum = cheat_claim - honest_claim;
    if (!delta_sum.is_zero()) {
      std::vector<T> roots;
      T denom;
      do {
        roots.clear();
        while (roots.size() < d) {
          const T a = T::from_u64(adversary());
          if (std::find(roots.begin(), roots.end(), a) == roots.end()) roots.push_back(a);
        }
        T p0 = T::one(), p1 = T::one();
        for (const T& a : roots) {
          p0 *= -a;
          p1 *= T::one() - a;
        }
        denom = p0 + p1;
      } while (denom.is_zero());
      const T kappa = delta_sum * denom.inverse();
      for (uint32_t x = 0; x <= d; ++x) {
        T v = kappa;
        for (const T& a : roots) v *= T::from_u64(x) - a;
        g[x] += v;
      }
    }
    std::vector<T> msg = {g[0]};
    for (uint32_t x = 2; x <= d; ++x) msg.push_back(g[x]);
    T r, next;
    EXPECT_EQ(sumcheck_round<T>(tp, kernel, std::span<const T>(msg), cheat_claim, &r, &next), SumcheckStatus::kOk);
    messages.insert(messages.end(), msg.begin(), msg.end());
    cheat_claim = next;
    honest_claim = kernel.evaluate(h.data(), r);
    inst.fold(r);
  }
  // The real verifier, then the final check against the true evaluation.
  Transcript<> tv("zkpot-test-toy-cheat", digest_of(trial));
  std::vector<T> point(n);
  SumcheckVerifierOutput<T> out;
  out.point = std::span<T>(point);
  EXPECT_EQ(verify_sumcheck<T>(tv, shape, claimed, std::span<const T>(messages), nullptr, &out), SumcheckStatus::kOk);
  T truth = T::one();
  for (const auto& t : original) truth *= evaluate_multilinear<T, T>(std::span<const T>(t), std::span<const T>(point));
  return out.final_claim == truth;
}

template <class T>
void measure_optimal_cheater(uint32_t n, uint32_t d, int trials) {
  std::mt19937_64 adversary(1234 + n * 10 + d);
  int wins = 0;
  for (int i = 0; i < trials; ++i) wins += cheat_once<T>(n, d, 1000000ull * d + 1000ull * n + i, adversary);
  const double field = double(T::kModulus);
  const double rate = double(wins) / trials;
  const double exact = 1.0 - std::pow(1.0 - d / field, n);
  const double bound = d * n / field;
  const double sigma = std::sqrt(exact * (1 - exact) / trials);
  SCOPED_TRACE(::testing::Message() << "n=" << n << " d=" << d << " rate=" << rate << " exact=" << exact
                                  << " bound=" << bound);
  std::printf("optimal cheater, |E|=%.0f n=%u d=%u: %d/%d wins, rate %.4f, exact %.4f, bound d*n/|E| %.4f\n", field, n,
              d, wins, trials, rate, exact, bound);
  EXPECT_LT(std::abs(rate - exact), 4 * sigma);
  EXPECT_LT(rate, bound + 4 * sigma);
  EXPECT_GT(wins, 0);
}

TEST(SumcheckSoundness, OptimalCheaterMatchesTheBoundOverAToyField) {
  measure_optimal_cheater<SmallPrimeField<97>>(4, 3, 3000);
  measure_optimal_cheater<SmallPrimeField<97>>(6, 2, 3000);
  measure_optimal_cheater<SmallPrimeField<1021>>(5, 5, 3000);
}

// ---- docs/PROTOCOL.md §8 rows, recomputed from the code's constants --------

TEST(SumcheckSoundness, ProtocolDocRowsMatchTheCode) {
  const double log2k = log2_field_size<GlExt3>();
  EXPECT_NEAR(log2k, 192.0, 0.01);
  EXPECT_NEAR(sumcheck_soundness_bits({24, 2}, false, log2k), testing::protocol_doc_bits("sumcheck.deg2.n24"), 0.1);
  EXPECT_NEAR(sumcheck_soundness_bits({24, 3}, false, log2k), testing::protocol_doc_bits("sumcheck.deg3.n24"), 0.1);
  EXPECT_NEAR(sumcheck_soundness_bits({24, 3}, true, log2k), testing::protocol_doc_bits("sumcheck.zk.deg3.n24"),
              0.1);
  EXPECT_NEAR(sumcheck_soundness_bits({30, 5}, true, log2k), testing::protocol_doc_bits("sumcheck.zk.deg5.n30"),
              0.1);
  EXPECT_NEAR(claim_batching_soundness_bits(64, 24, true, log2k), testing::protocol_doc_bits("claims.batch.m64.n24"),
              0.1);
}

}  // namespace
}  // namespace zkpot
