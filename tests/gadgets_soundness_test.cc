// Cheating provers against the layer gadgets (docs/PROTOCOL.md §11). Each bad
// witness is tried with the two strategies a prover has:
//  - stay consistent with the committed tensors and prove a false sum: the
//    cheater runs the sumcheck with its self-checks off (an unchecked prover
//    below, which sends the true round polynomials) and states the true
//    evaluations; the verifier rejects at the final evaluation check;
//  - prove a true statement about substituted tensors (or state false
//    evaluations): the verifier accepts the proof, and a pending claim
//    disagrees with the committed tensor, which the commitment scheme's
//    opening rejects (WitnessRegistry::holds stands in for it).
// Every test asserts which of the two caught the cheat.
#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "common/extension.h"
#include "common/field.h"
#include "common/gadget_linear.h"
#include "common/gadget_matmul.h"
#include "common/gadget_rowsum.h"
#include "common/gadget_zerocheck.h"
#include "common/multilinear.h"
#include "common/sumcheck.h"
#include "prover/claims_prover.h"
#include "prover/gadget_linear.h"
#include "prover/gadget_matmul.h"
#include "prover/gadget_product_sum.h"
#include "prover/rng.h"
#include "prover/sumcheck_prover.h"

namespace zkpot {
namespace {

using E = GlExt3;

Blake2b256::Digest statement(uint8_t b) {
  Blake2b256::Digest d{};
  d.fill(b);
  return d;
}
Transcript<> transcript() { return Transcript<>("zkpot-test-gadgets-soundness", statement(9)); }

std::vector<Gl> random_table(ProverRng& rng, size_t n) {
  std::vector<Gl> t(n);
  for (Gl& x : t) x = rng.field<Gl>();
  return t;
}

std::vector<Gl> matmul_reference(const MatmulShape& sh, const std::vector<Gl>& a, const std::vector<Gl>& b) {
  const size_t m = size_t{1} << sh.row_bits, n = size_t{1} << sh.inner_bits, k = size_t{1} << sh.col_bits;
  std::vector<Gl> c(m * k, Gl::zero());
  for (size_t i = 0; i < m; ++i)
    for (size_t j = 0; j < n; ++j) {
      const Gl aij = sh.transpose_a ? a[j * m + i] : a[i * n + j];
      for (size_t l = 0; l < k; ++l) c[i * k + l] += aij * (sh.transpose_b ? b[l * n + j] : b[j * k + l]);
    }
  return c;
}

// ------------------------------------------------------------ the unchecked sumcheck prover

struct UncheckedSumcheck {
  std::vector<E> round_messages;
  std::optional<SumcheckMaskMessages<E>> mask;
  std::vector<E> point;
  std::vector<E> factor_evaluations;
};

// Runs the sumcheck of sum_x w(x) sum_t c_t prod_k P_k(x) for any claimed sum,
// true or not, with the verifier's message order (common/sumcheck.h) and the
// Libra mask of docs/PROTOCOL.md §4; w = eq(z, .) or 1. Round polynomials are
// those of the true summand, computed naively.
UncheckedSumcheck unchecked_sumcheck(Transcript<>& transcript, std::vector<std::vector<E>> tables,
                                     const std::vector<ProductTerm<E>>& terms, const std::vector<E>& z,
                                     const E& claimed_sum, const LibraMask<E>* mask) {
  const uint32_t n = log2_exact(tables[0].size());
  const uint32_t d = terms_degree<E>(std::span<const ProductTerm<E>>(terms)) + (z.empty() ? 0 : 1);
  std::vector<E> w = z.empty() ? std::vector<E>(tables[0].size(), E::one()) : eq_table<E>(std::span<const E>(z));
  UncheckedSumcheck out;
  if (mask != nullptr) out.mask = SumcheckMaskMessages<E>{mask->handle, mask->sum(), E::zero()};
  E rho, claim;
  sumcheck_begin(transcript, SumcheckShape{n, d}, claimed_sum, out.mask ? &*out.mask : nullptr, &rho, &claim);
  const LagrangeKernel<E> kernel(d);
  E mask_bound = E::zero();
  for (uint32_t j = 0; j < n; ++j) {
    const size_t half = tables[0].size() / 2;
    std::vector<E> message;
    for (uint32_t x = 0; x <= d; ++x) {
      if (x == 1) continue;
      const E X = E::from_u64(x);
      E h = E::zero();
      for (size_t i = 0; i < half; ++i) {
        E s = E::zero();
        for (const ProductTerm<E>& t : terms) {
          E p = t.coeff;
          for (uint32_t f = 0; f < t.num_factors; ++f) {
            const std::vector<E>& tab = tables[t.factors[f]];
            p *= tab[2 * i] + X * (tab[2 * i + 1] - tab[2 * i]);
          }
          s += p;
        }
        h += (w[2 * i] + X * (w[2 * i + 1] - w[2 * i])) * s;
      }
      if (mask != nullptr) {
        E rest = E::zero();
        for (uint32_t i = j + 1; i < n; ++i) rest += mask->g(i, E::zero()) + mask->g(i, E::one());
        E m = E::from_u64(uint64_t{1} << (n - 1 - j)) * (mask_bound + mask->g(j, X));
        if (j + 1 < n) m += E::from_u64(uint64_t{1} << (n - 2 - j)) * rest;
        h += rho * m;
      }
      message.push_back(h);
    }
    E r, next;
    EXPECT_EQ(sumcheck_round(transcript, kernel, std::span<const E>(message), claim, &r, &next), SumcheckStatus::kOk);
    out.round_messages.insert(out.round_messages.end(), message.begin(), message.end());
    out.point.push_back(r);
    claim = next;
    if (mask != nullptr) mask_bound += mask->g(j, r);
    for (auto& t : tables) fold_first_variable<E, E>(std::span<const E>(t), r, std::span<E>(t.data(), half));
    for (auto& t : tables) t.resize(half);
    fold_first_variable<E, E>(std::span<const E>(w), r, std::span<E>(w.data(), half));
    w.resize(half);
  }
  for (const auto& t : tables) out.factor_evaluations.push_back(t[0]);
  if (out.mask) out.mask->evaluation = mask_bound;
  (void)sumcheck_finish(transcript, out.mask ? &*out.mask : nullptr, rho, claim);
  return out;
}

// ------------------------------------------------------------ matmul

struct MatmulCase {
  MatmulStatement st;
  std::vector<Gl> a, b, c;
  std::vector<E> r;
};

MatmulCase matmul_case(const MatmulShape& sh, bool zk, uint64_t seed) {
  ProverRng rng = ProverRng::from_seed_u64(seed);
  MatmulCase mc;
  mc.st = MatmulStatement{sh, CommitmentHandle{1}, CommitmentHandle{2}, CommitmentHandle{3}, zk, CommitmentHandle{9}};
  mc.a = random_table(rng, size_t{1} << sh.a_vars());
  mc.b = random_table(rng, size_t{1} << sh.b_vars());
  mc.c = matmul_reference(sh, mc.a, mc.b);
  return mc;
}

// The cheater's proof of c_value at C's point, with the operand tables built
// as `tables_shape` says (the statement's shape for an honest layout).
MatmulProof<E> cheat_matmul(Transcript<>& t, const MatmulCase& mc, const MatmulShape& tables_shape,
                            const std::vector<E>& r, const E& c_value, ProverRng& rng) {
  const MatmulShape& sh = mc.st.shape;
  PendingClaim<E> c_claim;
  EXPECT_TRUE(PendingClaim<E>::make_evaluation(mc.st.c, std::span<const E>(r), c_value, &c_claim));
  const std::span<const E> rp(r);
  std::vector<E> ta = matmul_bound_a<Gl, E>(tables_shape, mc.a, rp.subspan(sh.col_bits, sh.row_bits));
  std::vector<E> tb = matmul_bound_b<Gl, E>(tables_shape, mc.b, rp.subspan(0, sh.col_bits));
  matmul_begin(t, mc.st, c_claim);
  std::optional<LibraMask<E>> mask;
  if (mc.st.zero_knowledge) mask = sample_libra_mask<E>(rng, mc.st.mask, sh.inner_bits, kMatmulDegree);
  const UncheckedSumcheck us = unchecked_sumcheck(t, {ta, tb}, {ProductTerm<E>::of(E::one(), {0, 1})}, {}, c_value,
                                                  mask ? &*mask : nullptr);
  MatmulProof<E> proof;
  proof.round_messages = us.round_messages;
  proof.mask = us.mask;
  proof.a_evaluation = us.factor_evaluations[0];
  proof.b_evaluation = us.factor_evaluations[1];
  matmul_absorb_evaluations(t, proof.a_evaluation, proof.b_evaluation);
  return proof;
}

// Draws C's point, then runs `prove` (a cheater or the honest prover) and the
// verifier on the same claim value; returns the status and the claims.
template <class Prove>
GadgetStatus run_matmul(const MatmulCase& mc, const E* forced_value, Prove prove, MatmulVerifierOutput<E>* vo,
                        PendingClaim<E>* c_claim_out) {
  Transcript<> tp = transcript();
  std::vector<E> r(mc.st.shape.c_vars());
  EXPECT_EQ(matmul_draw_output_point<E>(tp, mc.st, std::span<E>(r)), GadgetStatus::kOk);
  const E value = forced_value ? *forced_value : evaluate_multilinear<E, Gl>(mc.c, std::span<const E>(r));
  const MatmulProof<E> proof = prove(tp, r, value);
  Transcript<> tv = transcript();
  std::vector<E> rv(r.size());
  EXPECT_EQ(matmul_draw_output_point<E>(tv, mc.st, std::span<E>(rv)), GadgetStatus::kOk);
  EXPECT_TRUE(PendingClaim<E>::make_evaluation(mc.st.c, std::span<const E>(rv), value, c_claim_out));
  return verify_matmul<E>(tv, mc.st, *c_claim_out, proof.view(), vo);
}

WitnessRegistry<Gl, E> matmul_registry(const MatmulCase& mc) {
  WitnessRegistry<Gl, E> w;
  w.add_table(mc.st.a, mc.a);
  w.add_table(mc.st.b, mc.b);
  w.add_table(mc.st.c, mc.c);
  return w;
}

TEST(GadgetMatmulSoundness, WrongProductEntryInC) {
  uint64_t seed = 1;
  for (bool ta : {false, true})
    for (bool tb : {false, true})
      for (bool zk : {false, true}) {
        MatmulCase mc = matmul_case(MatmulShape{3, 4, 2, ta, tb}, zk, seed++);
        const std::vector<Gl> true_c = mc.c;
        mc.c[13] += Gl::one();  // the committed C has one wrong entry
        ProverRng rng = ProverRng::from_seed_u64(seed++);
        MatmulVerifierOutput<E> vo;
        PendingClaim<E> c_claim;
        // Consistent with the committed C: a false sum, caught at the final check.
        EXPECT_EQ(run_matmul(mc, nullptr,
                             [&](Transcript<>& t, const std::vector<E>& r, const E& v) {
                               return cheat_matmul(t, mc, mc.st.shape, r, v, rng);
                             },
                             &vo, &c_claim),
                  GadgetStatus::kFinalEvaluationMismatch);
        // The true product's value instead: accepted, but C's claim is false.
        Transcript<> tr = transcript();
        std::vector<E> r(mc.st.shape.c_vars());
        ASSERT_EQ(matmul_draw_output_point<E>(tr, mc.st, std::span<E>(r)), GadgetStatus::kOk);
        const E true_value = evaluate_multilinear<E, Gl>(true_c, std::span<const E>(r));
        ASSERT_EQ(run_matmul(mc, &true_value,
                             [&](Transcript<>& t, const std::vector<E>& rr, const E& v) {
                               PendingClaim<E> cl;
                               EXPECT_TRUE(PendingClaim<E>::make_evaluation(mc.st.c, std::span<const E>(rr), v, &cl));
                               return prove_matmul<Gl, E>(t, mc.st, mc.a, mc.b, cl, rng).proof;
                             },
                             &vo, &c_claim),
                  GadgetStatus::kOk);
        const WitnessRegistry<Gl, E> w = matmul_registry(mc);
        EXPECT_FALSE(w.holds(c_claim)) << "the claim on C must disagree with the committed C";
        EXPECT_TRUE(w.holds(vo.a_claim));
        EXPECT_TRUE(w.holds(vo.b_claim));
      }
}

TEST(GadgetMatmulSoundness, WrongMatmulClaimRejected) {
  uint64_t seed = 100;
  for (bool zk : {false, true})
    for (int64_t delta : {int64_t{1}, int64_t{-1}, int64_t{1} << 40}) {
      const MatmulCase mc = matmul_case(MatmulShape{2, 5, 3, false, true}, zk, seed++);
      ProverRng rng = ProverRng::from_seed_u64(seed++);
      Transcript<> tr = transcript();
      std::vector<E> r(mc.st.shape.c_vars());
      ASSERT_EQ(matmul_draw_output_point<E>(tr, mc.st, std::span<E>(r)), GadgetStatus::kOk);
      const E wrong = evaluate_multilinear<E, Gl>(mc.c, std::span<const E>(r)) + E::from_i64(delta);
      MatmulVerifierOutput<E> vo;
      PendingClaim<E> c_claim;
      EXPECT_EQ(run_matmul(mc, &wrong,
                           [&](Transcript<>& t, const std::vector<E>& rr, const E& v) {
                             return cheat_matmul(t, mc, mc.st.shape, rr, v, rng);
                           },
                           &vo, &c_claim),
                GadgetStatus::kFinalEvaluationMismatch);
      EXPECT_FALSE(matmul_registry(mc).holds(c_claim));
    }
}

TEST(GadgetMatmulSoundness, TransposedOperandSwapped) {
  // C = A^T B (or A B^T) is committed, but the statement claims C = A B: the
  // cheater either builds its tables from the true layout (true sum, claims at
  // the wrong points) or from the claimed one (false sum).
  uint64_t seed = 200;
  for (int which : {0, 1})
    for (bool zk : {false, true}) {
      const MatmulShape truth{3, 3, 3, which == 0, which == 1};
      MatmulCase mc = matmul_case(truth, zk, seed++);  // c = op(A) op(B) with the true transposes
      mc.st.shape.transpose_a = false;                 // the statement drops them
      mc.st.shape.transpose_b = false;
      ProverRng rng = ProverRng::from_seed_u64(seed++);
      MatmulVerifierOutput<E> vo;
      PendingClaim<E> c_claim;
      ASSERT_EQ(run_matmul(mc, nullptr,
                           [&](Transcript<>& t, const std::vector<E>& r, const E& v) {
                             return cheat_matmul(t, mc, truth, r, v, rng);
                           },
                           &vo, &c_claim),
                GadgetStatus::kOk);
      const WitnessRegistry<Gl, E> w = matmul_registry(mc);
      EXPECT_TRUE(w.holds(c_claim));
      EXPECT_FALSE(w.holds(which == 0 ? vo.a_claim : vo.b_claim)) << "the swapped operand's claim must be false";
      EXPECT_EQ(run_matmul(mc, nullptr,
                           [&](Transcript<>& t, const std::vector<E>& r, const E& v) {
                             return cheat_matmul(t, mc, mc.st.shape, r, v, rng);
                           },
                           &vo, &c_claim),
                GadgetStatus::kFinalEvaluationMismatch);
    }
}

// ------------------------------------------------------------ zero-check

const std::vector<ProductTerm<E>>& relu_terms() {  // a - s q
  static const std::vector<ProductTerm<E>> t = {ProductTerm<E>::of(E::one(), {0}),
                                                ProductTerm<E>::of(-E::one(), {1, 2})};
  return t;
}
const std::vector<ProductTerm<E>>& binary_terms() {  // s - s s
  static const std::vector<ProductTerm<E>> t = {ProductTerm<E>::of(E::one(), {0}),
                                                ProductTerm<E>::of(-E::one(), {0, 0})};
  return t;
}

// The cheater's stacked relation proof of `claim` at eq point z.
StackedRelationProof<E> cheat_relation_sum(Transcript<>& t, const StackedRelation<E>& st,
                                           const std::vector<std::span<const Gl>>& tables, const std::vector<E>& z,
                                           const E& claim, ProverRng& rng) {
  const size_t block = size_t{1} << st.num_vars, total = size_t{1} << st.total_vars();
  std::vector<std::vector<E>> stacked(st.num_factors, std::vector<E>(total, E::zero()));
  for (size_t l = 0; l < st.num_instances; ++l)
    for (size_t k = 0; k < st.num_factors; ++k)
      for (size_t x = 0; x < block; ++x) stacked[k][l * block + x] = E(tables[l * st.num_factors + k][x]);
  std::optional<LibraMask<E>> mask;
  if (st.zero_knowledge) mask = sample_libra_mask<E>(rng, st.mask, st.total_vars(), st.degree());
  const std::vector<ProductTerm<E>> terms(st.terms.begin(), st.terms.end());
  const UncheckedSumcheck us = unchecked_sumcheck(t, stacked, terms, z, claim, mask ? &*mask : nullptr);
  StackedRelationProof<E> proof;
  proof.round_messages = us.round_messages;
  proof.mask = us.mask;
  const std::span<const E> r_x(us.point.data(), st.num_vars);
  for (const auto& tab : tables) proof.evaluations.push_back(evaluate_multilinear<E, Gl>(tab, r_x));
  t.absorb_fields("gadget.relation.evals", proof.evaluations.data(), proof.evaluations.size());
  return proof;
}

GadgetStatus verify_zc(const StackedRelation<E>& st, const StackedRelationProof<E>& proof,
                       std::vector<PendingClaim<E>>* claims) {
  Transcript<> tv = transcript();
  std::vector<E> point(st.total_vars());
  claims->assign(st.num_evaluations(), PendingClaim<E>{});
  StackedRelationVerifierOutput<E> vo{std::span<E>(point), std::span<PendingClaim<E>>(*claims), {}};
  return verify_zerocheck<E>(tv, st, proof.view(), &vo);
}

// Both strategies against a zero-check whose committed `tables` violate the
// relation; `repaired` satisfies it and differs only in the table at `bad_index`.
void expect_zerocheck_cheats_caught(const StackedRelation<E>& st, const std::vector<std::span<const Gl>>& tables,
                                    const std::vector<std::span<const Gl>>& repaired, size_t bad_index,
                                    uint64_t seed) {
  ProverRng rng = ProverRng::from_seed_u64(seed);
  WitnessRegistry<Gl, E> w;
  for (size_t i = 0; i < tables.size(); ++i) w.add_table(st.handles[i], tables[i]);
  std::vector<PendingClaim<E>> claims;
  {  // The unchecked prover itself is sound to use: on a true claim it is accepted.
    Transcript<> tp = transcript();
    std::vector<E> tau(st.total_vars());
    ASSERT_EQ(zerocheck_begin<E>(tp, st, std::span<E>(tau)), GadgetStatus::kOk);
    const auto proof = cheat_relation_sum(tp, st, repaired, tau, E::zero(), rng);
    ASSERT_EQ(verify_zc(st, proof, &claims), GadgetStatus::kOk);
  }
  {
    Transcript<> tp = transcript();
    std::vector<E> tau(st.total_vars());
    ASSERT_EQ(zerocheck_begin<E>(tp, st, std::span<E>(tau)), GadgetStatus::kOk);
    const auto proof = cheat_relation_sum(tp, st, tables, tau, E::zero(), rng);
    EXPECT_EQ(verify_zc(st, proof, &claims), GadgetStatus::kFinalEvaluationMismatch);
  }
  {
    Transcript<> tp = transcript();
    const auto po = prove_zerocheck<Gl, E>(tp, st, std::span<const std::span<const Gl>>(repaired), rng);
    ASSERT_EQ(verify_zc(st, po.proof, &claims), GadgetStatus::kOk);
    for (size_t i = 0; i < claims.size(); ++i)
      EXPECT_EQ(w.holds(claims[i]), i != bad_index) << "claim " << i << " (the substituted tensor is " << bad_index
                                                    << ")";
  }
}

TEST(GadgetZerocheckSoundness, NonBinaryIndicatorRejected) {
  ProverRng rng = ProverRng::from_seed_u64(300);
  for (bool zk : {false, true})
    for (uint64_t bad : {uint64_t{2}, Gl::kModulus - 1, uint64_t{1} << 33}) {
      std::vector<Gl> s(256);
      for (Gl& x : s) x = Gl::from_u64(rng.next_u64() & 1);
      const std::vector<Gl> good = s;
      s[77] = Gl::from_u64(bad);
      const std::vector<CommitmentHandle> h = {CommitmentHandle{4}};
      const StackedRelation<E> st{8, 1, 1, binary_terms(), h, zk, CommitmentHandle{40}};
      expect_zerocheck_cheats_caught(st, {s}, {good}, 0, rng.next_u64());
    }
}

struct Relu {
  std::vector<Gl> a, s, q;
};
Relu relu(ProverRng& rng, size_t n) {
  Relu r;
  for (size_t i = 0; i < n; ++i) {
    const int64_t v = static_cast<int64_t>(rng.next_u64() % 201) - 100;
    r.q.push_back(Gl::from_i64(v == 0 ? 1 : v));  // no zeros: every flip changes s q
    r.s.push_back(Gl::from_u64(v > 0 ? 1 : 0));
    r.a.push_back(r.s.back() * r.q.back());
  }
  return r;
}

TEST(GadgetZerocheckSoundness, FlippedReluIndicatorRejected) {
  // Layer 1 of a 3-layer stack has one indicator flipped (a is left as it was).
  ProverRng rng = ProverRng::from_seed_u64(400);
  for (bool zk : {false, true})
    for (size_t entry : {size_t{0}, size_t{5}, size_t{63}}) {
      std::vector<Relu> layers = {relu(rng, 64), relu(rng, 64), relu(rng, 64)};
      const std::vector<Gl> good_s = layers[1].s;
      layers[1].s[entry] = Gl::one() - layers[1].s[entry];
      std::vector<std::span<const Gl>> tables, repaired;
      std::vector<CommitmentHandle> h;
      for (size_t l = 0; l < 3; ++l) {
        tables.insert(tables.end(), {layers[l].a, layers[l].s, layers[l].q});
        repaired.insert(repaired.end(), {layers[l].a, l == 1 ? std::span<const Gl>(good_s) : layers[l].s, layers[l].q});
        for (uint64_t k = 0; k < 3; ++k) h.push_back(CommitmentHandle{10 * l + k + 1});
      }
      const StackedRelation<E> st{6, 3, 3, relu_terms(), h, zk, CommitmentHandle{40}};
      expect_zerocheck_cheats_caught(st, tables, repaired, 4, rng.next_u64());
    }
  // Where q = 0, a - s q holds for either s: the zero-check cannot see that flip;
  // the range check on 2a - s - q (docs/PROTOCOL.md §11.3) is what forbids it.
  Relu r = relu(rng, 16);
  r.q[3] = Gl::zero();
  r.a[3] = Gl::zero();
  r.s[3] = Gl::one() - r.s[3];
  const std::vector<CommitmentHandle> h = {CommitmentHandle{1}, CommitmentHandle{2}, CommitmentHandle{3}};
  const StackedRelation<E> st{4, 1, 3, relu_terms(), h, true, CommitmentHandle{40}};
  const std::vector<std::span<const Gl>> tables = {r.a, r.s, r.q};
  EXPECT_FALSE((first_relation_violation<Gl, E>(st, std::span<const std::span<const Gl>>(tables))).has_value());
}

// ------------------------------------------------------------ row sums

TEST(GadgetRowSumSoundness, WrongSumRejected) {
  ProverRng rng = ProverRng::from_seed_u64(500);
  for (bool zk : {false, true}) {
    const uint32_t rb = 3, cb = 4;
    std::vector<Gl> e(128), sums(8, Gl::zero());
    for (size_t i = 0; i < 128; ++i) {
      e[i] = Gl::from_u64(rng.next_u64() & 0xffff);
      sums[i >> cb] += e[i];
    }
    const std::vector<Gl> true_sums = sums;
    sums[5] += Gl::one();
    const std::vector<ProductTerm<E>> terms = {ProductTerm<E>::of(E::one(), {0})};
    const std::vector<CommitmentHandle> h = {CommitmentHandle{1}};
    RowSumStatement<E> st;
    st.relation = StackedRelation<E>{rb + cb, 1, 1, terms, h, zk, CommitmentHandle{30}};
    st.row_bits = rb;
    st.col_bits = cb;
    st.sums = CommitmentHandle{2};
    WitnessRegistry<Gl, E> w;
    w.add_table(h[0], e);
    w.add_table(st.sums, sums);
    const std::vector<std::span<const Gl>> tables = {e};

    auto run = [&](bool state_true_sum) {
      Transcript<> tp = transcript();
      std::vector<E> kept(rb), z(rb + cb);
      EXPECT_EQ(rowsum_begin<E>(tp, st, std::span<E>(kept)), GadgetStatus::kOk);
      RowSumProof<E> proof;
      proof.sums_evaluation =
          evaluate_multilinear<E, Gl>(state_true_sum ? true_sums : sums, std::span<const E>(kept));
      E claim;
      EXPECT_EQ(rowsum_sum_claim<E>(tp, st, std::span<const E>(kept), proof.sums_evaluation, std::span<E>(z), &claim),
                GadgetStatus::kOk);
      proof.relation = cheat_relation_sum(tp, st.relation, tables, z, claim, rng);
      Transcript<> tv = transcript();
      std::vector<E> point(rb + cb);
      std::vector<PendingClaim<E>> claims(1);
      RowSumVerifierOutput<E> vo;
      vo.relation = StackedRelationVerifierOutput<E>{std::span<E>(point), std::span<PendingClaim<E>>(claims), {}};
      const GadgetStatus s = verify_rowsum<E>(tv, st, proof.view(), &vo);
      return std::make_pair(s, vo.sums_claim);
    };
    EXPECT_EQ(run(false).first, GadgetStatus::kFinalEvaluationMismatch);
    const auto [status, sums_claim] = run(true);
    ASSERT_EQ(status, GadgetStatus::kOk);
    EXPECT_FALSE(w.holds(sums_claim)) << "the claim on S must disagree with the committed S";
  }
}

// ------------------------------------------------------------ linear relations

TEST(GadgetLinearSoundness, ViolatedRescaleRejected) {
  ProverRng rng = ProverRng::from_seed_u64(600);
  const uint32_t frac = 6, rb = 2, cb = 3;
  std::vector<Gl> z(32), q(32), rem(32);
  for (size_t x = 0; x < 32; ++x) {
    const int64_t v = static_cast<int64_t>(rng.next_u64() % 4096) - 2048;
    const int64_t shifted = v + (1 << (frac - 1));
    const int64_t qq = shifted >= 0 ? shifted >> frac : -((-shifted + (1 << frac) - 1) >> frac);
    z[x] = Gl::from_i64(v);
    q[x] = Gl::from_i64(qq);
    rem[x] = Gl::from_i64(shifted - (qq << frac));
  }
  rem[9] += Gl::one();  // the committed remainder is off by one
  const std::vector<LinearTerm<E>> terms = {{CommitmentHandle{1}, E::one(), false},
                                            {CommitmentHandle{2}, -E::from_u64(1 << frac), false},
                                            {CommitmentHandle{3}, -E::one(), false}};
  const LinearRelationStatement<E> st{rb, cb, terms, E::from_u64(1 << (frac - 1)), 4, 8};
  const std::vector<std::span<const Gl>> tables = {z, q, rem};
  WitnessRegistry<Gl, E> w;
  w.add_table(CommitmentHandle{1}, z);
  w.add_table(CommitmentHandle{2}, q);
  w.add_table(CommitmentHandle{3}, rem);

  for (bool lie : {false, true}) {
    Transcript<> tp = transcript();
    std::vector<E> point(rb + cb);
    ASSERT_EQ(linear_relation_draw_point<E>(tp, st, std::span<E>(point)), GadgetStatus::kOk);
    Transcript<> probe = tp;
    // The honest prover refuses; the cheater turns its check off.
    EXPECT_THROW((prove_linear_relation<Gl, E>(probe, st, std::span<const E>(point),
                                               std::span<const std::span<const Gl>>(tables), {})),
                 std::invalid_argument);
    std::vector<E> values;
    for (const auto& t : tables) values.push_back(evaluate_multilinear<E, Gl>(t, std::span<const E>(point)));
    if (lie) values[2] = linear_relation_residual<E>(st, std::span<const E>(point), {}, std::span<const E>(values)) +
                         values[2];  // makes the residual vanish (coefficient of rem is -1)
    Transcript<> tv = transcript();
    std::vector<E> vpoint(rb + cb);
    ASSERT_EQ(linear_relation_draw_point<E>(tv, st, std::span<E>(vpoint)), GadgetStatus::kOk);
    std::vector<PendingClaim<E>> claims(3);
    const GadgetStatus s = verify_linear_relation<E>(tv, st, std::span<const E>(vpoint), {}, std::span<const E>(values),
                                                     std::span<PendingClaim<E>>(claims));
    if (!lie) {
      EXPECT_EQ(s, GadgetStatus::kRelationViolated);
      continue;
    }
    ASSERT_EQ(s, GadgetStatus::kOk);
    EXPECT_TRUE(w.holds(claims[0]));
    EXPECT_TRUE(w.holds(claims[1]));
    EXPECT_FALSE(w.holds(claims[2])) << "the remainder's claim must disagree with the committed remainder";
  }
  // With its witness check off, the prover itself emits the true evaluations.
  Transcript<> tp = transcript();
  std::vector<E> point(rb + cb);
  ASSERT_EQ(linear_relation_draw_point<E>(tp, st, std::span<E>(point)), GadgetStatus::kOk);
  const auto po = prove_linear_relation<Gl, E>(tp, st, std::span<const E>(point),
                                               std::span<const std::span<const Gl>>(tables), {},
                                               GadgetProverOptions{false});
  Transcript<> tv = transcript();
  ASSERT_EQ(linear_relation_draw_point<E>(tv, st, std::span<E>(point)), GadgetStatus::kOk);
  std::vector<PendingClaim<E>> claims(3);
  EXPECT_EQ(verify_linear_relation<E>(tv, st, std::span<const E>(point), {}, std::span<const E>(po.stated_values),
                                      std::span<PendingClaim<E>>(claims)),
            GadgetStatus::kRelationViolated);
}

}  // namespace
}  // namespace zkpot
