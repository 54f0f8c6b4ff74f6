// Honest openings of the commitment scheme at 2^22 and 2^24 under the default
// parameters (docs/PROTOCOL.md §9): slow, labelled "slow".
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

void round_trip(uint32_t vars) {
  ProverRng rng = ProverRng::from_seed_u64(vars);
  std::vector<F> table(size_t{1} << vars);
  for (size_t i = 0; i < table.size(); ++i) table[i] = F::from_u64(i * 0x9e3779b97f4a7c15ULL + vars);
  const PcsLayout layout = pcs_layout(pcs_params_default(), vars);
  ASSERT_TRUE(layout.valid);
  const std::span<const F> polys[] = {table};
  PcsProver prover = PcsProver::commit(layout, polys, rng);
  std::vector<E> point(vars);
  for (E& x : point) x = rng.field<E>();
  const PcsClaim<E> claim{0, point, prover.evaluate(0, point)};
  Blake2b256::Digest d{};
  Transcript<> t("zkpot-slow", d);
  const PcsProof<F, E> proof = prover.open(t, std::span<const PcsClaim<E>>(&claim, 1));
  EXPECT_LE(proof.payload_bytes(), 300u * 1024);
  Transcript<> tv("zkpot-slow", d);
  std::vector<uint8_t> scratch(pcs_verifier_scratch_bytes(layout, 1));
  Arena arena(scratch.data(), scratch.size());
  EXPECT_EQ(pcs_verify(tv, layout, prover.commitment(), std::span<const PcsClaim<E>>(&claim, 1), proof.view(), arena),
            PcsStatus::kOk);
}

TEST(PcsSlow, HonestOpening2Pow22) { round_trip(22); }
TEST(PcsSlow, HonestOpening2Pow24) { round_trip(24); }

}  // namespace
}  // namespace zkpot
