// The polynomial commitment scheme (docs/PROTOCOL.md §9): honest openings
// verify, for every size from 2^1 to 2^20, one or several polynomials, one or
// several claims, with and without zero knowledge.
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

Blake2b256::Digest statement(uint8_t b) {
  Blake2b256::Digest d{};
  d.fill(b);
  return d;
}

std::vector<F> random_table(uint32_t vars, ProverRng& rng) {
  std::vector<F> v(size_t{1} << vars);
  for (F& x : v) x = rng.field<F>();
  return v;
}

std::vector<E> random_point(uint32_t vars, ProverRng& rng) {
  std::vector<E> p(vars);
  for (E& x : p) x = rng.field<E>();
  return p;
}

PcsStatus verify(const PcsLayout& layout, const PcsCommitment<E>& com, std::span<const PcsClaim<E>> claims,
                 const PcsProof<F, E>& proof) {
  Transcript<> t("zkpot-test", statement(7));
  std::vector<uint8_t> scratch(pcs_verifier_scratch_bytes(layout, claims.size()));
  Arena arena(scratch.data(), scratch.size());
  return pcs_verify(t, layout, com, claims, proof.view(), arena);
}

// Commits to one table of 2^vars values, opens it at `n_points` random points.
void honest_round_trip(const PcsParams& params, uint32_t vars, size_t n_points, uint64_t seed) {
  ProverRng rng = ProverRng::from_seed_u64(seed);
  const std::vector<F> table = random_table(vars, rng);
  const PcsLayout layout = pcs_layout(params, vars);
  ASSERT_TRUE(layout.valid) << "vars " << vars;
  const std::span<const F> polys[] = {table};
  PcsProver prover = PcsProver::commit(layout, polys, rng);
  std::vector<std::vector<E>> points;
  std::vector<PcsClaim<E>> claims;
  for (size_t i = 0; i < n_points; ++i) points.push_back(random_point(vars, rng));
  for (size_t i = 0; i < n_points; ++i) claims.push_back({0, points[i], prover.evaluate(0, points[i])});
  Transcript<> t("zkpot-test", statement(7));
  const PcsProof<F, E> proof = prover.open(t, claims);
  EXPECT_EQ(verify(layout, prover.commitment(), claims, proof), PcsStatus::kOk) << "vars " << vars;
}

TEST(Pcs, HonestOpeningsVerifyZeroKnowledgeAllSmallSizes) {
  for (uint32_t vars = 1; vars <= 12; ++vars) honest_round_trip(pcs_params_test(24, true), vars, 1, vars);
}

TEST(Pcs, HonestOpeningsVerifyWithoutZeroKnowledge) {
  for (uint32_t vars = 1; vars <= 12; ++vars) honest_round_trip(pcs_params_test(24, false), vars, 2, 100 + vars);
}

}  // namespace
}  // namespace zkpot

namespace zkpot {
namespace {

TEST(Pcs, HonestOpeningsVerifyDefaultParametersUpTo2Pow20) {
  for (uint32_t vars = 13; vars <= 20; ++vars) honest_round_trip(pcs_params_default(), vars, 1, 200 + vars);
}

// Several polynomials of different sizes in one commitment (stacked, §9.1),
// claims on each of them opened together.
TEST(Pcs, StackedPolynomialsOpenTogether) {
  ProverRng rng = ProverRng::from_seed_u64(9);
  const std::vector<uint32_t> sizes = {6, 4, 4, 3, 1};
  std::vector<std::vector<F>> tables;
  for (uint32_t v : sizes) tables.push_back(random_table(v, rng));
  const uint32_t m = PcsProver::stacked_vars(sizes);
  EXPECT_EQ(m, 7u);
  for (bool zk : {false, true}) {
    const PcsLayout layout = pcs_layout(pcs_params_test(24, zk), m);
    std::vector<std::span<const F>> polys(tables.begin(), tables.end());
    PcsProver prover = PcsProver::commit(layout, polys, rng);
    std::vector<std::vector<E>> points;
    std::vector<PcsClaim<E>> claims;
    for (uint32_t i = 0; i < sizes.size() && i < layout.params.max_claims; ++i)
      points.push_back(random_point(sizes[i], rng));
    for (uint32_t i = 0; i < points.size(); ++i) claims.push_back({i, points[i], prover.evaluate(i, points[i])});
    Transcript<> t("zkpot-test", statement(7));
    const PcsProof<F, E> proof = prover.open(t, claims);
    EXPECT_EQ(verify(layout, prover.commitment(), claims, proof), PcsStatus::kOk) << zk;
    // A claim moved to another slot of the same size is refused.
    std::vector<PcsClaim<E>> moved = claims;
    moved[1].slot = 2;
    EXPECT_EQ(verify(layout, prover.commitment(), moved, proof), PcsStatus::kMerklePathFailure) << zk;
  }
}

// A pending claim (common/claims.h) maps to its slot by handle.
TEST(Pcs, PendingClaimsMapToSlots) {
  const std::vector<E> pt = {E::from_u64(3), E::from_u64(5)};
  PendingClaim<E> pc;
  ASSERT_TRUE(PendingClaim<E>::make_evaluation(CommitmentHandle{42}, pt, E::from_u64(7), &pc));
  const CommitmentHandle handles[] = {CommitmentHandle{1}, CommitmentHandle{42}};
  PcsClaim<E> c;
  ASSERT_TRUE(pcs_claim_from_pending<E>(pc, handles, &c));
  EXPECT_EQ(c.slot, 1u);
  EXPECT_EQ(c.value, E::from_u64(7));
  const CommitmentHandle others[] = {CommitmentHandle{1}};
  EXPECT_FALSE(pcs_claim_from_pending<E>(pc, others, &c));
}

}  // namespace
}  // namespace zkpot
