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
