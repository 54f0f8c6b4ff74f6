// Cheating provers against the polynomial commitment scheme (docs/PROTOCOL.md
// §9): each strategy makes a complete proof (the prover with its self-checks
// off, or an honest proof altered afterwards) and the verifier must reject it
// at the check that is meant to catch it.
#include <gtest/gtest.h>

#include <vector>

#include "common/pcs_params.h"
#include "common/pcs_verifier.h"
#include "prover/pcs_prover.h"
#include "prover/rng.h"

namespace zkpot {
namespace {

using F = Goldilocks;
using E = GlExt3;

Blake2b256::Digest statement() {
  Blake2b256::Digest d{};
  d.fill(3);
  return d;
}

struct Committed {
  PcsLayout layout;
  std::vector<F> table;
  std::vector<E> point;
  std::unique_ptr<PcsProver> prover;
};

Committed make(const PcsParams& params, uint32_t vars, uint64_t seed, const PcsCheat& commit_cheat = {}) {
  Committed s;
  ProverRng rng = ProverRng::from_seed_u64(seed);
  s.table.resize(size_t{1} << vars);
  for (F& x : s.table) x = rng.field<F>();
  for (uint32_t i = 0; i < vars; ++i) s.point.push_back(rng.field<E>());
  s.layout = pcs_layout(params, vars);
  const std::span<const F> polys[] = {s.table};
  s.prover = std::make_unique<PcsProver>(PcsProver::commit(s.layout, polys, rng, commit_cheat));
  return s;
}

PcsProof<F, E> prove(Committed& s, const PcsClaim<E>& claim, const PcsCheat& cheat = {}) {
  Transcript<> t("zkpot-test", statement());
  return s.prover->open(t, std::span<const PcsClaim<E>>(&claim, 1), cheat);
}

PcsStatus verify(const PcsLayout& layout, const PcsCommitment<E>& com, const PcsClaim<E>& claim,
                 const PcsProofView<F, E>& proof) {
  Transcript<> t("zkpot-test", statement());
  std::vector<uint8_t> scratch(pcs_verifier_scratch_bytes(layout, 1));
  Arena arena(scratch.data(), scratch.size());
  return pcs_verify(t, layout, com, std::span<const PcsClaim<E>>(&claim, 1), proof, arena);
}

// Sizes with one round (the final check is direct) and with several.
class PcsCheating : public ::testing::TestWithParam<std::tuple<uint32_t, bool>> {
 protected:
  PcsParams params() const { return pcs_params_test(24, std::get<1>(GetParam())); }
  uint32_t vars() const { return std::get<0>(GetParam()); }
};

TEST_P(PcsCheating, HonestProofVerifies) {
  Committed s = make(params(), vars(), 1);
  const PcsClaim<E> claim{0, s.point, s.prover->evaluate(0, s.point)};
  const PcsProof<F, E> proof = prove(s, claim);
  EXPECT_EQ(verify(s.layout, s.prover->commitment(), claim, proof.view()), PcsStatus::kOk);
}

TEST_P(PcsCheating, WrongValueIsRejected) {
  Committed s = make(params(), vars(), 2);
  const PcsClaim<E> claim{0, s.point, s.prover->evaluate(0, s.point) + E::one()};
  PcsCheat cheat;
  EXPECT_THROW(prove(s, claim, cheat), std::invalid_argument);  // the self-check catches it
  cheat.skip_self_checks = true;
  const PcsProof<F, E> proof = prove(s, claim, cheat);
  EXPECT_EQ(verify(s.layout, s.prover->commitment(), claim, proof.view()), PcsStatus::kWrongValue);
}

TEST_P(PcsCheating, ProofForAnotherPointIsRejected) {
  Committed s = make(params(), vars(), 3);
  ProverRng rng = ProverRng::from_seed_u64(99);
  std::vector<E> other(vars());
  for (E& x : other) x = rng.field<E>();
  // Claims f(z) = f(other): the weight uses `other`, the transcript the claim.
  const PcsClaim<E> claim{0, s.point, s.prover->evaluate(0, other)};
  PcsCheat cheat;
  cheat.skip_self_checks = true;
  cheat.weight_point_for_claim0 = other;
  const PcsProof<F, E> proof = prove(s, claim, cheat);
  EXPECT_EQ(verify(s.layout, s.prover->commitment(), claim, proof.view()), PcsStatus::kWrongValue);
  // The same proof is valid for the point it was made for.
  const PcsClaim<E> honest{0, other, claim.value};
  const PcsProof<F, E> proof2 = prove(s, honest);
  EXPECT_EQ(verify(s.layout, s.prover->commitment(), honest, proof2.view()), PcsStatus::kOk);
}

TEST_P(PcsCheating, TamperedMerklePathIsRejected) {
  Committed s = make(params(), vars(), 4);
  const PcsClaim<E> claim{0, s.point, s.prover->evaluate(0, s.point)};
  PcsProof<F, E> proof = prove(s, claim);
  if (proof.digests.empty()) GTEST_SKIP() << "a one-leaf tree has no path";
  proof.digests.back()[5] ^= 1;  // a sibling of the last round's opening
  EXPECT_EQ(verify(s.layout, s.prover->commitment(), claim, proof.view()), PcsStatus::kMerklePathFailure);
}

TEST_P(PcsCheating, ChangedCodewordSymbolIsRejected) {
  // In the proof: an opened symbol no longer authenticates.
  {
    Committed s = make(params(), vars(), 5);
    const PcsClaim<E> claim{0, s.point, s.prover->evaluate(0, s.point)};
    PcsProof<F, E> proof = prove(s, claim);
    proof.base[0] += F::one();
    EXPECT_EQ(verify(s.layout, s.prover->commitment(), claim, proof.view()), PcsStatus::kMerklePathFailure);
  }
  // In the commitment: half of the leaves changed before hashing; openings
  // authenticate but the folds disagree with the polynomial.
  {
    PcsCheat cheat;
    cheat.corrupt_half_of_codeword = true;
    Committed s = make(params(), vars(), 6, cheat);
    const PcsClaim<E> claim{0, s.point, s.prover->evaluate(0, s.point)};
    PcsCheat open_cheat;
    EXPECT_THROW(prove(s, claim, open_cheat), std::logic_error);  // the prover's fold self-check
    open_cheat.skip_self_checks = true;
    const PcsProof<F, E> proof = prove(s, claim, open_cheat);
    const PcsStatus st = verify(s.layout, s.prover->commitment(), claim, proof.view());
    const bool one_round = s.layout.main.num_rounds == 1;
    EXPECT_EQ(st, one_round ? PcsStatus::kWrongFolding : PcsStatus::kWrongValue);
  }
}

TEST_P(PcsCheating, WrongFinalFoldingIsRejected) {
  Committed s = make(params(), vars(), 7);
  const PcsClaim<E> claim{0, s.point, s.prover->evaluate(0, s.point)};
  PcsCheat cheat;
  cheat.corrupt_final_polynomial = true;
  const PcsProof<F, E> proof = prove(s, claim, cheat);
  EXPECT_EQ(verify(s.layout, s.prover->commitment(), claim, proof.view()), PcsStatus::kWrongFolding);
}

TEST_P(PcsCheating, ProofReplayedAgainstAnotherCommitmentIsRejected) {
  Committed a = make(params(), vars(), 8);
  Committed b = make(params(), vars(), 9);
  b.point = a.point;
  const PcsClaim<E> claim{0, a.point, a.prover->evaluate(0, a.point)};
  const PcsProof<F, E> proof = prove(a, claim);
  EXPECT_EQ(verify(b.layout, b.prover->commitment(), claim, proof.view()), PcsStatus::kMerklePathFailure);
}

TEST_P(PcsCheating, ProofUnderAnotherParameterSetIsRejected) {
  Committed s = make(params(), vars(), 10);
  const PcsClaim<E> claim{0, s.point, s.prover->evaluate(0, s.point)};
  const PcsProof<F, E> proof = prove(s, claim);
  PcsParams other = params();
  other.main.security_bits += 1;
  const PcsLayout other_layout = pcs_layout(other, vars());
  EXPECT_EQ(verify(other_layout, s.prover->commitment(), claim, proof.view()), PcsStatus::kParameterMismatch);
  // Even with the commitment relabelled, the proof's own digest disagrees.
  PcsCommitment<E> relabelled = s.prover->commitment();
  relabelled.layout_digest = pcs_layout_digest(other_layout);
  EXPECT_EQ(verify(other_layout, relabelled, claim, proof.view()), PcsStatus::kParameterMismatch);
}

TEST_P(PcsCheating, TamperedOutOfDomainPointIsRejected) {
  Committed s = make(params(), vars(), 11);
  const PcsClaim<E> claim{0, s.point, s.prover->evaluate(0, s.point)};
  const PcsProof<F, E> proof = prove(s, claim);
  PcsCommitment<E> com = s.prover->commitment();
  com.main_ood_points[0] += E::one();
  EXPECT_EQ(verify(s.layout, com, claim, proof.view()), PcsStatus::kOutOfDomainMismatch);
  // A commitment edited after the proof: the transcript differs, the openings no longer match.
  com = s.prover->commitment();
  com.main_ood_answers[0] += E::one();
  EXPECT_EQ(verify(s.layout, com, claim, proof.view()), PcsStatus::kMerklePathFailure);
}

TEST_P(PcsCheating, WrongOutOfDomainAnswerIsRejected) {
  // The prover commits to a wrong out-of-domain answer and proves with it.
  PcsCheat cheat;
  cheat.corrupt_ood_answer = true;
  Committed s = make(params(), vars(), 16, cheat);
  const PcsClaim<E> claim{0, s.point, s.prover->evaluate(0, s.point)};
  cheat = PcsCheat{};
  EXPECT_THROW(prove(s, claim, cheat), std::invalid_argument);
  cheat.skip_self_checks = true;
  const PcsProof<F, E> proof = prove(s, claim, cheat);
  EXPECT_EQ(verify(s.layout, s.prover->commitment(), claim, proof.view()), PcsStatus::kWrongValue);
}

TEST_P(PcsCheating, TruncatedOrExtendedProofIsRejected) {
  Committed s = make(params(), vars(), 12);
  const PcsClaim<E> claim{0, s.point, s.prover->evaluate(0, s.point)};
  const PcsProof<F, E> proof = prove(s, claim);
  PcsProof<F, E> p = proof;
  ASSERT_FALSE(p.ext.empty());
  p.ext.pop_back();
  EXPECT_EQ(verify(s.layout, s.prover->commitment(), claim, p.view()), PcsStatus::kMalformedProof);
  p = proof;
  p.base.push_back(F::one());
  EXPECT_EQ(verify(s.layout, s.prover->commitment(), claim, p.view()), PcsStatus::kMalformedProof);
  p = proof;
  if (!p.digests.empty()) {  // a tiny table may open no tree node beyond the root
    p.digests.pop_back();
  } else {
    p.digests.push_back({});
  }
  EXPECT_NE(verify(s.layout, s.prover->commitment(), claim, p.view()), PcsStatus::kOk);
  p = proof;
  p.nonces.push_back(0);
  EXPECT_EQ(verify(s.layout, s.prover->commitment(), claim, p.view()), PcsStatus::kMalformedProof);
}

INSTANTIATE_TEST_SUITE_P(SizesAndModes, PcsCheating,
                         ::testing::Combine(::testing::Values(2u, 5u, 9u), ::testing::Bool()));

TEST(PcsCheatingPow, WrongNonceIsRejected) {
  PcsParams p = pcs_params_test(24, true);
  p.main.pow_bits = 8;
  p.helper.pow_bits = 8;
  Committed s = make(p, 6, 13);
  const PcsClaim<E> claim{0, s.point, s.prover->evaluate(0, s.point)};
  PcsProof<F, E> proof = prove(s, claim);
  ASSERT_TRUE(verify(s.layout, s.prover->commitment(), claim, proof.view()) == PcsStatus::kOk);
  ASSERT_FALSE(proof.nonces.empty());
  // Find a nonce that fails (most do) and put it in.
  proof.nonces[0] += 1;
  EXPECT_EQ(verify(s.layout, s.prover->commitment(), claim, proof.view()), PcsStatus::kProofOfWorkFailure);
}

TEST(PcsCheatingClaims, ClaimsThatDoNotFitAreRejected) {
  Committed s = make(pcs_params_test(24, true), 4, 14);
  const PcsClaim<E> claim{0, s.point, s.prover->evaluate(0, s.point)};
  const PcsProof<F, E> proof = prove(s, claim);
  PcsClaim<E> bad = claim;
  bad.slot = 1;
  EXPECT_EQ(verify(s.layout, s.prover->commitment(), bad, proof.view()), PcsStatus::kBadClaim);
  bad = claim;
  bad.point = bad.point.first(3);
  EXPECT_EQ(verify(s.layout, s.prover->commitment(), bad, proof.view()), PcsStatus::kBadClaim);
}

TEST(PcsCheatingScratch, SmallArenaIsReported) {
  Committed s = make(pcs_params_test(24, true), 5, 15);
  const PcsClaim<E> claim{0, s.point, s.prover->evaluate(0, s.point)};
  const PcsProof<F, E> proof = prove(s, claim);
  const size_t need = pcs_verifier_scratch_bytes(s.layout, 1);
  std::vector<uint8_t> scratch(need);
  size_t peak = 0;
  {
    Transcript<> t("zkpot-test", statement());
    Arena arena(scratch.data(), need);
    ASSERT_EQ(pcs_verify(t, s.layout, s.prover->commitment(), std::span<const PcsClaim<E>>(&claim, 1), proof.view(),
                         arena),
              PcsStatus::kOk);
    peak = arena.peak();
  }
  EXPECT_LE(peak, need);
  for (size_t cap : {size_t{0}, peak / 2, peak - 1}) {
    Transcript<> t("zkpot-test", statement());
    Arena arena(scratch.data(), cap);
    EXPECT_EQ(pcs_verify(t, s.layout, s.prover->commitment(), std::span<const PcsClaim<E>>(&claim, 1), proof.view(),
                         arena),
              PcsStatus::kScratchTooSmall)
        << cap;
  }
}

}  // namespace
}  // namespace zkpot
