// Zero knowledge of the commitment scheme, tested exactly (docs/PROTOCOL.md
// §9.4) on small tables, for one opening (the largest number of openings is
// in pcs_zk_slow_test.cc); the check itself is tests/pcs_zk_check.h.
#include "tests/pcs_zk_check.h"

namespace zkpot {
namespace {

using namespace pcs_zk_testing;

// Small tables are zero-padded to the smallest size whose windows meet rule
// (Z) of §9.4; the witness is the small slot, the mask table all of G.
TEST(PcsZeroKnowledge, OneOpeningRevealsNothingBeyondTheClaims) {
  for (uint32_t vars : {3u, 5u}) check_zero_knowledge(pcs_params_test(kZkTestBits, true), vars, 1, 1);
}

// The test can fail: without masks (non-zero-knowledge parameters) the same
// construction finds the witness in the view.
TEST(PcsZeroKnowledge, WithoutMasksTheViewRevealsTheWitness) {
  const uint32_t vars = 4;
  const PcsLayout layout = pcs_layout(pcs_params_test(12, false), vars);
  ProverRng rng = ProverRng::from_seed_u64(6);
  std::vector<E> pts;
  for (uint32_t i = 0; i < vars; ++i) pts.push_back(rng.field<E>());
  std::vector<F> table(size_t{1} << vars);
  for (F& x : table) x = rng.field<F>();
  ZkView zk(layout, {pts});
  zk.record(table, {});
  const std::vector<F> zero(table.size(), F::zero());
  const std::vector<F> c = zk.view(zero, {});
  // Two witnesses with the same claimed value at pts give different views.
  std::vector<F> t2 = table;
  // Move mass along a kernel direction of the claim functional.
  const std::vector<E> eq = eq_table<E>(std::span<const E>(pts));
  std::vector<F> claim_rows;
  for (unsigned d = 0; d < 3; ++d)
    for (size_t b = 0; b < table.size(); ++b) claim_rows.push_back(eq[b].coeff(d));
  const auto kernel = kernel_basis(claim_rows, 3, table.size());
  ASSERT_FALSE(kernel.empty());
  for (size_t i = 0; i < t2.size(); ++i) t2[i] += kernel[0][i];
  EXPECT_NE(zk.view(table, {}), zk.view(t2, {}));
}

}  // namespace
}  // namespace zkpot
