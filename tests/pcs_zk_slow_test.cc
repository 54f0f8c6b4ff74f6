// Zero knowledge of the commitment scheme (docs/PROTOCOL.md §9.4) for the
// largest number of openings the parameters allow: on a small (padded) table,
// and at a mid size whose mask windows are narrower than the table. Slow:
// thousands of full commit-and-open runs.
#include "tests/pcs_zk_check.h"

namespace zkpot {
namespace {

using namespace pcs_zk_testing;

TEST(PcsZeroKnowledge, MaximalOpeningsRevealNothingBeyondTheClaims) {
  const PcsParams params = pcs_params_test(kZkTestBits, true);
  check_zero_knowledge(params, 5, params.max_openings, 2);
}

// A table large enough that its windows are narrower than the table (no
// padding): random kernel witnesses, every opening the parameters allow.
TEST(PcsZeroKnowledge, MidSizeTableRevealsNothingBeyondTheClaims) {
  const PcsParams params = pcs_params_test(kZkTestBits, true);
  const uint32_t vars = kZkMidVars;
  const PcsLayout layout = pcs_layout(params, vars);
  ASSERT_EQ(layout.main.spec.num_vars, vars);  // not padded
  bool narrower = false;
  for (uint32_t w = 0; w < layout.num_windows; ++w) narrower |= layout.windows[w].width < vars;
  ASSERT_TRUE(narrower);
  check_zero_knowledge(params, vars, params.max_openings, 2, 4);
}

}  // namespace
}  // namespace zkpot
