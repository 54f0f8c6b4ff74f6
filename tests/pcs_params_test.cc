// The commitment scheme's parameters (docs/PROTOCOL.md §9.5): the security the
// code computes from its own constants matches the §8 rows, the default set
// reaches 100 provable bits at every size, and bad specs are refused.
#include <gtest/gtest.h>

#include "common/pcs_params.h"
#include "common/training_segment.h"
#include "tests/protocol_doc.h"

namespace zkpot {
namespace {

TEST(PcsParams, SecurityMatchesProtocolDocRows) {
  const PcsLayout l = pcs_layout(pcs_params_default(), 24);
  ASSERT_TRUE(l.valid);
  const WhirSecurity main = whir_security(l.main);
  const WhirSecurity helper = whir_security(l.helper);
  using testing::protocol_doc_bits;
  EXPECT_NEAR(main.commit_ood, protocol_doc_bits("pcs.m24.main.commit_ood"), 0.1);
  EXPECT_NEAR(main.fold[0], protocol_doc_bits("pcs.m24.main.r0.fold"), 0.1);
  for (uint32_t r = 0; r < 4; ++r)
    EXPECT_NEAR(main.query[r], protocol_doc_bits("pcs.m24.main.r" + std::to_string(r) + ".query"), 0.1) << r;
  EXPECT_NEAR(helper.query[0], protocol_doc_bits("pcs.m24.helper.r0.query"), 0.1);
  EXPECT_NEAR(helper.query[l.helper.num_rounds - 1], protocol_doc_bits("pcs.m24.helper.r4.query"), 0.1);
  EXPECT_NEAR(pcs_security_bits(l), protocol_doc_bits("pcs.m24.security"), 0.1);
  // The stated schedule.
  ASSERT_EQ(l.main.num_rounds, 4u);
  EXPECT_EQ(l.main.rounds[0].queries, 165u);
  EXPECT_EQ(l.main.rounds[1].queries, 54u);
  EXPECT_EQ(l.main.rounds[0].pow_bits, 20u);
  EXPECT_EQ(l.helper.rounds[0].pow_bits, 20u);
  EXPECT_EQ(l.helper.num_rounds, 5u);
}

// The layout of params at m variables is valid and every round-by-round
// step of both runs, not only the minimum, has at least 100 bits.
void expect_every_row_at_least_100_bits(const PcsParams& params, uint32_t m) {
  const PcsLayout l = pcs_layout(params, m);
  ASSERT_TRUE(l.valid) << m;
  EXPECT_GE(pcs_security_bits(l), 100.0) << m;
  for (const WhirSchedule* s : {&l.main, &l.helper}) {
    const WhirSecurity sec = whir_security(*s);
    EXPECT_GE(sec.commit_ood, 100.0);
    for (uint32_t r = 0; r < s->num_rounds; ++r) {
      EXPECT_GE(sec.fold[r], 100.0) << m << " " << r;
      EXPECT_GE(sec.query[r], 100.0) << m << " " << r;
      if (r + 1 < s->num_rounds) {
        EXPECT_GE(sec.ood[r], 100.0) << m << " " << r;
      }
    }
  }
}

TEST(PcsParams, DefaultIsAtLeast100ProvableBitsAtEverySize) {
  for (uint32_t m = 1; m <= 26; ++m) expect_every_row_at_least_100_bits(pcs_params_default(), m);
}

// The production training set (common/training_segment.h): the default set
// with the helper at rate 2^-4. It keeps 100 provable bits in every row for
// tables of 2^1 to 2^29, its windows are laid out for that rate, and its
// helper codeword is no longer larger than the main one once the table
// reaches 2^22 (docs/PROTOCOL.md §9.5). At 2^30 neither set has a layout
// (next test).
TEST(PcsParams, TrainingSetIsAtLeast100ProvableBitsWithTheCheaperHelper) {
  const PcsParams p = training_pcs_params(TrainingParameterSet::kProduction);
  EXPECT_EQ(p.helper.log_inv_rate, 4u);
  EXPECT_EQ(p.main.pow_bits, 16u);
  EXPECT_EQ(p.helper.pow_bits, 16u);
  EXPECT_EQ(p.main.log_inv_rate, pcs_params_default().main.log_inv_rate);
  EXPECT_EQ(p.max_openings, pcs_params_default().max_openings);
  EXPECT_NE(pcs_layout_digest(pcs_layout(p, 20)), pcs_layout_digest(pcs_layout(pcs_params_default(), 20)));
  for (uint32_t m = 1; m <= 29; ++m) {
    expect_every_row_at_least_100_bits(p, m);
    const PcsLayout l = pcs_layout(p, m);
    if (m >= 22) {
      EXPECT_LE(l.helper.rounds[0].log_domain, l.main.rounds[0].log_domain) << m;
    }
  }
}

// A schedule that cannot reach its bits is refused, not used at less: at
// 2^30 the last main round's folding step (9 variables at rate 2^-15) stays
// above 2^-100 for every eta the Johnson bound allows (98.25 bits before the
// check), so neither set has a layout there, and every layout that exists has
// its 100 bits (docs/PROTOCOL.md §9.5).
TEST(PcsParams, SchedulesShortOfTheirBitsAreRefused) {
  for (const PcsParams& p : {pcs_params_default(), training_pcs_params(TrainingParameterSet::kProduction)}) {
    for (uint32_t m = 1; m <= kPcsMaxVars; ++m) {
      const PcsLayout l = pcs_layout(p, m);
      if (l.valid) {
        EXPECT_GE(pcs_security_bits(l), 100.0) << p.name << " " << m;
      }
    }
    EXPECT_FALSE(pcs_layout(p, 30).valid) << p.name;
    // The schedule itself is well formed; it is its security that is short.
    WhirSpec spec = p.main;
    spec.num_vars = 30;
    EXPECT_TRUE(whir_schedule(spec).valid) << p.name;
    EXPECT_FALSE(whir_meets_security(whir_schedule(spec))) << p.name;
    EXPECT_LT(whir_security(whir_schedule(spec)).min_bits, 99.0) << p.name;
    spec.num_vars = 29;
    EXPECT_TRUE(whir_meets_security(whir_schedule(spec))) << p.name;
  }
}

TEST(PcsParams, FewerQueriesGiveLessSecurity) {
  PcsLayout l = pcs_layout(pcs_params_default(), 20);
  const double before = whir_security(l.main).min_bits;
  l.main.rounds[0].queries -= 10;
  EXPECT_LT(whir_security(l.main).min_bits, before - 3.0);
}

TEST(PcsParams, InvalidSpecsAreRefused) {
  PcsParams p = pcs_params_default();
  EXPECT_FALSE(pcs_layout(p, 0).valid);
  EXPECT_FALSE(pcs_layout(p, 32).valid);  // domain beyond 2^32
  p.main.fold_bits = 0;
  EXPECT_FALSE(pcs_layout(p, 10).valid);
}

TEST(PcsParams, LayoutDigestSeparatesParameterSets) {
  const PcsLayout a = pcs_layout(pcs_params_default(), 20);
  PcsParams q = pcs_params_default();
  q.main.pow_bits = 17;
  const PcsLayout b = pcs_layout(q, 20);
  EXPECT_NE(pcs_layout_digest(a), pcs_layout_digest(b));
  EXPECT_NE(pcs_layout_digest(a), pcs_layout_digest(pcs_layout(pcs_params_default(), 21)));
  EXPECT_EQ(pcs_layout_digest(a), pcs_layout_digest(pcs_layout(pcs_params_default(), 20)));
}

}  // namespace
}  // namespace zkpot
