// prover/batching_sumcheck.h: the bounded-memory batching sumcheck gives the
// generic prover's messages, challenges and final value on (P lifted to K,
// W materialised) byte for byte, its proofs verify, and it refuses a stated
// sum that is not the tables' (docs/PROTOCOL.md §6).
#include "prover/batching_sumcheck.h"

#include <gtest/gtest.h>

#include <vector>

#include "common/extension.h"
#include "prover/rng.h"
#include "prover/sumcheck_prover.h"

namespace zkpot {
namespace {

using E = GlExt3;

struct Instance {
  std::vector<Gl> table;
  std::vector<std::vector<E>> points;  // storage of the blocks' points
  std::vector<EqWeightBlock<E>> blocks;
};

// Blocks of every kind: the whole table, aligned sub-blocks (overlapping ones
// included), and single entries at even and odd offsets.
Instance make_instance(uint32_t m, uint64_t seed) {
  ProverRng rng = ProverRng::from_seed_u64(seed);
  Instance in;
  in.table.resize(size_t{1} << m);
  for (Gl& x : in.table) x = rng.field<Gl>();
  const uint32_t lens[] = {m, m - 1, m - 1, m >= 2 ? m - 2 : 0, 0, 0, 1};
  // Aligned offsets: two blocks of m - 1 (the halves, or one half twice),
  // single entries at an even and an odd index.
  const uint64_t offsets[] = {0,
                              0,
                              uint64_t{1} << (m - 1),
                              m >= 2 ? uint64_t{3} << (m - 2) : 0,
                              (rng.next_u64() % (uint64_t{1} << m)) & ~uint64_t{1},
                              (rng.next_u64() % (uint64_t{1} << m)) | 1,
                              (rng.next_u64() % (uint64_t{1} << (m - 1))) << 1};
  in.points.reserve(7);
  for (size_t k = 0; k < 7; ++k) {
    std::vector<E> pt(lens[k]);
    for (E& x : pt) x = rng.field<E>();
    in.points.push_back(pt);
    in.blocks.push_back(EqWeightBlock<E>{std::span<const E>(in.points.back()), offsets[k], rng.field<E>()});
  }
  return in;
}

std::vector<E> materialised_weight(const Instance& in) {
  std::vector<E> w(in.table.size(), E::zero());
  for (const auto& b : in.blocks) {
    const std::vector<E> e = eq_table<E>(b.point);
    for (size_t x = 0; x < e.size(); ++x) w[b.offset + x] += b.scale * e[x];
  }
  return w;
}

const SumcheckMaskMessages<E>* const kNoMask = nullptr;

E mle(const std::vector<E>& v, const std::vector<E>& point) {
  return evaluate_multilinear<E, E>(std::span<const E>(v), std::span<const E>(point));
}

E true_sum(const Instance& in) {
  const std::vector<E> w = materialised_weight(in);
  E s = E::zero();
  for (size_t x = 0; x < w.size(); ++x) s += w[x] * in.table[x];
  return s;
}

TEST(BatchingSumcheck, SameTranscriptAsTheGenericProver) {
  // Three threads: at 2^18 the folds run in uneven chunks that are moved down.
  const unsigned threads = num_threads();
  set_num_threads(3);
  for (uint32_t m : {1u, 2u, 3u, 5u, 16u, 18u}) {
    const Instance in = make_instance(m, 100 + m);
    const E sum = true_sum(in);

    Transcript<> ta("zkpot-test", Blake2b256::Digest{});
    const BatchingSumcheckOutput<E> a = prove_batching_sumcheck<Gl, E>(
        ta, std::span<const Gl>(in.table), std::span<const EqWeightBlock<E>>(in.blocks), &sum);

    std::vector<E> p(in.table.size());
    for (size_t x = 0; x < p.size(); ++x) p[x] = E::one() * in.table[x];
    const std::vector<E> w = materialised_weight(in);
    SumOfProducts<E, E> poly;
    poly.num_vars = m;
    poly.tables = {std::span<const E>(p), std::span<const E>(w)};
    poly.terms = {ProductTerm<E>::of(E::one(), {0, 1})};
    Transcript<> tb("zkpot-test", Blake2b256::Digest{});
    SumcheckProver<E, E> generic;
    const SumcheckProverOutput<E> b = generic.prove(tb, poly, sum, nullptr);

    EXPECT_EQ(a.round_messages, b.proof.round_messages) << "m = " << m;
    EXPECT_EQ(a.point, b.point) << "m = " << m;
    EXPECT_EQ(a.table_value, b.factor_evaluations[0]) << "m = " << m;
    EXPECT_EQ(ta.challenge<E>("after"), tb.challenge<E>("after")) << "m = " << m;
  }
  set_num_threads(threads);
}

TEST(BatchingSumcheck, ProofVerifiesAndEndsAtTheTableValue) {
  const uint32_t m = 12;
  const Instance in = make_instance(m, 7);
  const E sum = true_sum(in);
  Transcript<> tp("zkpot-test", Blake2b256::Digest{});
  const BatchingSumcheckOutput<E> out = prove_batching_sumcheck<Gl, E>(
      tp, std::span<const Gl>(in.table), std::span<const EqWeightBlock<E>>(in.blocks), &sum);

  Transcript<> tv("zkpot-test", Blake2b256::Digest{});
  std::vector<E> point(m);
  SumcheckVerifierOutput<E> vo;
  vo.point = std::span<E>(point);
  ASSERT_EQ(verify_sumcheck<E>(tv, SumcheckShape{m, 2}, sum, std::span<const E>(out.round_messages), kNoMask, &vo),
            SumcheckStatus::kOk);
  EXPECT_EQ(point, out.point);
  // P(s) is the MLE of the table at s, and the final claim is P(s) W(s).
  std::vector<E> p(in.table.size());
  for (size_t x = 0; x < p.size(); ++x) p[x] = E::one() * in.table[x];
  EXPECT_EQ(out.table_value, mle(p, point));
  const std::vector<E> w = materialised_weight(in);
  EXPECT_EQ(vo.final_claim, out.table_value * mle(w, point));
}

TEST(BatchingSumcheck, RefusesAWrongStatedSumBeforeAbsorbingAnything) {
  const Instance in = make_instance(6, 9);
  const E wrong = true_sum(in) + E::one();
  Transcript<> t("zkpot-test", Blake2b256::Digest{});
  Transcript<> fresh("zkpot-test", Blake2b256::Digest{});
  EXPECT_THROW((prove_batching_sumcheck<Gl, E>(t, std::span<const Gl>(in.table),
                                               std::span<const EqWeightBlock<E>>(in.blocks), &wrong)),
               std::invalid_argument);
  EXPECT_EQ(t.challenge<E>("after"), fresh.challenge<E>("after"));
}

TEST(BatchingSumcheck, WithoutAStatedSumProvesTheTrueOneWhichTheVerifierMatches) {
  // The cheating prover's path: the proof is of the true sum, so a verifier
  // holding a different (stated) sum rejects it.
  const uint32_t m = 8;
  const Instance in = make_instance(m, 11);
  Transcript<> tp("zkpot-test", Blake2b256::Digest{});
  const BatchingSumcheckOutput<E> out = prove_batching_sumcheck<Gl, E>(
      tp, std::span<const Gl>(in.table), std::span<const EqWeightBlock<E>>(in.blocks), nullptr);
  for (const E& claimed : {true_sum(in), true_sum(in) + E::one()}) {
    Transcript<> tv("zkpot-test", Blake2b256::Digest{});
    std::vector<E> point(m);
    SumcheckVerifierOutput<E> vo;
    vo.point = std::span<E>(point);
    const bool ok = verify_sumcheck<E>(tv, SumcheckShape{m, 2}, claimed, std::span<const E>(out.round_messages),
                                       kNoMask, &vo) == SumcheckStatus::kOk;
    const std::vector<E> w = materialised_weight(in);
    const bool final_ok =
        ok && vo.final_claim == out.table_value * mle(w, point);
    EXPECT_EQ(final_ok, claimed == true_sum(in));
  }
}

TEST(BatchingSumcheck, RejectsBlocksOutsideTheTable) {
  std::vector<Gl> table(16, Gl::one());
  std::vector<E> pt(2, E::one());
  const E s = E::zero();
  for (uint64_t off : {uint64_t{2}, uint64_t{16}}) {  // misaligned; past the end
    const EqWeightBlock<E> b{std::span<const E>(pt), off, E::one()};
    Transcript<> t("zkpot-test", Blake2b256::Digest{});
    EXPECT_THROW((prove_batching_sumcheck<Gl, E>(t, std::span<const Gl>(table), std::span<const EqWeightBlock<E>>(&b, 1),
                                                 &s)),
                 std::invalid_argument);
  }
}

}  // namespace
}  // namespace zkpot
