// Honest layer-gadget proofs verify, and every pending claim they emit is true
// of the committed tensors (docs/PROTOCOL.md §11): matrix products with every
// transpose combination, zero-checks (single and stacked), row and column
// sums, linear relations with a constant on an active region. Also the
// partial-evaluation kernels against plain MLE evaluation, the verifiers'
// rejection of malformed input, and the §8 soundness rows.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "common/extension.h"
#include "common/field.h"
#include "common/gadget_common.h"
#include "common/gadget_linear.h"
#include "common/gadget_matmul.h"
#include "common/gadget_rowsum.h"
#include "common/gadget_zerocheck.h"
#include "common/multilinear.h"
#include "prover/claims_prover.h"
#include "prover/gadget_linear.h"
#include "prover/gadget_matmul.h"
#include "prover/gadget_partial_eval.h"
#include "prover/gadget_product_sum.h"
#include "prover/rng.h"
#include "tests/protocol_doc.h"

namespace zkpot {
namespace {

using E = GlExt3;

Blake2b256::Digest statement(uint8_t b) {
  Blake2b256::Digest d{};
  d.fill(b);
  return d;
}
Transcript<> transcript(uint8_t b = 1) { return Transcript<>("zkpot-test-gadgets", statement(b)); }

template <class F>
std::vector<F> random_table(ProverRng& rng, size_t n, uint64_t bound = 0) {
  std::vector<F> t(n);
  for (F& x : t) x = bound == 0 ? rng.field<F>() : F::from_u64(rng.next_u64() % bound);
  return t;
}

// C = op(A) op(B) in the field, row-major.
template <class F>
std::vector<F> matmul_reference(const MatmulShape& sh, const std::vector<F>& a, const std::vector<F>& b) {
  const size_t m = size_t{1} << sh.row_bits, n = size_t{1} << sh.inner_bits, k = size_t{1} << sh.col_bits;
  std::vector<F> c(m * k, F::zero());
  for (size_t i = 0; i < m; ++i)
    for (size_t j = 0; j < n; ++j) {
      const F aij = sh.transpose_a ? a[j * m + i] : a[i * n + j];
      for (size_t l = 0; l < k; ++l) c[i * k + l] += aij * (sh.transpose_b ? b[l * n + j] : b[j * k + l]);
    }
  return c;
}

// ---------------------------------------------------------------- matmul

template <class F, class Ext>
void check_matmul(const MatmulShape& sh, bool zk, uint64_t seed) {
  ProverRng rng = ProverRng::from_seed_u64(seed);
  const std::vector<F> a = random_table<F>(rng, size_t{1} << sh.a_vars());
  const std::vector<F> b = random_table<F>(rng, size_t{1} << sh.b_vars());
  const std::vector<F> c = matmul_reference<F>(sh, a, b);
  MatmulStatement st{sh, CommitmentHandle{1}, CommitmentHandle{2}, CommitmentHandle{3}, zk, CommitmentHandle{9}};

  // Prover: draw C's point, state C~(r), prove.
  Transcript<> tp = transcript();
  std::vector<Ext> r(sh.c_vars());
  ASSERT_EQ(matmul_draw_output_point<Ext>(tp, st, std::span<Ext>(r)), GadgetStatus::kOk);
  PendingClaim<Ext> c_claim;
  ASSERT_TRUE(PendingClaim<Ext>::make_evaluation(st.c, std::span<const Ext>(r),
                                                 evaluate_multilinear<Ext, F>(c, std::span<const Ext>(r)), &c_claim));
  const MatmulProverOutput<Ext> po = prove_matmul<F, Ext>(tp, st, std::span<const F>(a), std::span<const F>(b),
                                                          c_claim, rng);

  Transcript<> tv = transcript();
  std::vector<Ext> rv(sh.c_vars());
  ASSERT_EQ(matmul_draw_output_point<Ext>(tv, st, std::span<Ext>(rv)), GadgetStatus::kOk);
  ASSERT_EQ(rv, r);
  MatmulVerifierOutput<Ext> vo;
  ASSERT_EQ(verify_matmul<Ext>(tv, st, c_claim, po.proof.view(), &vo), GadgetStatus::kOk);
  EXPECT_EQ(vo.a_claim, po.a_claim);
  EXPECT_EQ(vo.b_claim, po.b_claim);
  // Both transcripts end in the same state.
  EXPECT_EQ(tp.template challenge<Ext>("end"), tv.template challenge<Ext>("end"));

  WitnessRegistry<F, Ext> w;
  w.add_table(st.a, std::span<const F>(a));
  w.add_table(st.b, std::span<const F>(b));
  w.add_table(st.c, std::span<const F>(c));
  EXPECT_TRUE(w.holds(c_claim));
  EXPECT_TRUE(w.holds(vo.a_claim)) << "A's claim is not A's MLE at its point";
  EXPECT_TRUE(w.holds(vo.b_claim)) << "B's claim is not B's MLE at its point";
  EXPECT_EQ(po.proof.mask.has_value(), zk);
  if (zk) {
    w.add_mask(*po.mask);
    EXPECT_EQ(vo.mask_claim, *po.mask_claim);
    EXPECT_TRUE(w.holds(vo.mask_claim));
  }
}

TEST(GadgetMatmul, HonestProofsVerifyEveryTranspose) {
  uint64_t seed = 1;
  for (uint32_t rb : {0u, 1u, 3u})
    for (uint32_t ib : {1u, 2u, 5u})
      for (uint32_t cb : {0u, 2u, 4u})
        for (bool ta : {false, true})
          for (bool tb : {false, true})
            for (bool zk : {false, true}) check_matmul<Gl, E>(MatmulShape{rb, ib, cb, ta, tb}, zk, seed++);
}

TEST(GadgetMatmul, LayerSizesVerify) {
  // A (64 x 1024) · W^T, W committed 128 x 1024: the forward product of a
  // 784 -> 128 layer at batch 64, padded; then the two backprop products.
  check_matmul<Gl, E>(MatmulShape{6, 10, 7, false, true}, true, 11);
  check_matmul<Gl, E>(MatmulShape{6, 7, 10, false, false}, true, 12);  // dX = dZ · W
  check_matmul<Gl, E>(MatmulShape{7, 6, 10, true, false}, true, 13);   // dW = dZ^T · X
}

TEST(GadgetMatmul, ToyFieldProofsVerify) {
  using T = SmallPrimeField<1009>;
  using T1 = Extension<T, 1, 0>;
  uint64_t seed = 500;
  for (bool ta : {false, true})
    for (bool tb : {false, true}) {
      check_matmul<T, T>(MatmulShape{2, 3, 1, ta, tb}, true, seed++);
      check_matmul<T, T1>(MatmulShape{1, 2, 2, ta, tb}, false, seed++);
    }
}

TEST(GadgetMatmul, HonestProverRefusesAWrongClaim) {
  ProverRng rng = ProverRng::from_seed_u64(3);
  const MatmulShape sh{2, 3, 2, false, false};
  const std::vector<Gl> a = random_table<Gl>(rng, 32), b = random_table<Gl>(rng, 32);
  MatmulStatement st{sh, CommitmentHandle{1}, CommitmentHandle{2}, CommitmentHandle{3}, true, CommitmentHandle{9}};
  std::vector<E> r(4);
  for (E& x : r) x = rng.field<E>();
  const std::vector<Gl> c = matmul_reference<Gl>(sh, a, b);
  PendingClaim<E> claim;
  ASSERT_TRUE(PendingClaim<E>::make_evaluation(
      st.c, std::span<const E>(r), evaluate_multilinear<E, Gl>(c, std::span<const E>(r)) + E::one(), &claim));
  Transcript<> tp = transcript();
  EXPECT_THROW((prove_matmul<Gl, E>(tp, st, std::span<const Gl>(a), std::span<const Gl>(b), claim, rng)),
               std::invalid_argument);
}

TEST(GadgetMatmul, VerifierRejectsMalformedInput) {
  ProverRng rng = ProverRng::from_seed_u64(4);
  const MatmulShape sh{2, 3, 2, false, true};
  const std::vector<Gl> a = random_table<Gl>(rng, 32), b = random_table<Gl>(rng, 32);
  const std::vector<Gl> c = matmul_reference<Gl>(sh, a, b);
  MatmulStatement st{sh, CommitmentHandle{1}, CommitmentHandle{2}, CommitmentHandle{3}, true, CommitmentHandle{9}};
  std::vector<E> r(4);
  for (E& x : r) x = rng.field<E>();
  PendingClaim<E> claim;
  ASSERT_TRUE(PendingClaim<E>::make_evaluation(st.c, std::span<const E>(r),
                                               evaluate_multilinear<E, Gl>(c, std::span<const E>(r)), &claim));
  Transcript<> tp = transcript();
  const MatmulProverOutput<E> po = prove_matmul<Gl, E>(tp, st, std::span<const Gl>(a), std::span<const Gl>(b),
                                                       claim, rng);
  auto verify = [&](const MatmulStatement& s, const PendingClaim<E>& cl, const MatmulProofView<E>& view) {
    Transcript<> tv = transcript();
    MatmulVerifierOutput<E> vo;
    return verify_matmul<E>(tv, s, cl, view, &vo);
  };
  EXPECT_EQ(verify(st, claim, po.proof.view()), GadgetStatus::kOk);
  MatmulProofView<E> v = po.proof.view();
  v.round_messages = v.round_messages.subspan(1);
  EXPECT_EQ(verify(st, claim, v), GadgetStatus::kWrongProofLength);
  v = po.proof.view();
  v.mask = nullptr;
  EXPECT_EQ(verify(st, claim, v), GadgetStatus::kMissingMask);
  MatmulStatement other = st;
  other.mask = CommitmentHandle{10};
  EXPECT_EQ(verify(other, claim, po.proof.view()), GadgetStatus::kMissingMask);
  other = st;
  other.zero_knowledge = false;
  EXPECT_EQ(verify(other, claim, po.proof.view()), GadgetStatus::kMissingMask);
  other = st;
  other.shape.inner_bits = 0;
  EXPECT_EQ(verify(other, claim, po.proof.view()), GadgetStatus::kBadShape);
  other = st;
  other.shape.row_bits = 39;
  EXPECT_EQ(verify(other, claim, po.proof.view()), GadgetStatus::kBadShape);
  PendingClaim<E> wrong;
  ASSERT_TRUE(PendingClaim<E>::make_evaluation(st.a, claim.point(), claim.value(), &wrong));
  EXPECT_EQ(verify(st, wrong, po.proof.view()), GadgetStatus::kWrongInputClaim);
  ASSERT_TRUE(PendingClaim<E>::make_evaluation(st.c, claim.point().subspan(1), claim.value(), &wrong));
  EXPECT_EQ(verify(st, wrong, po.proof.view()), GadgetStatus::kWrongInputClaim);
  v = po.proof.view();
  v.a_evaluation += E::one();
  EXPECT_EQ(verify(st, claim, v), GadgetStatus::kFinalEvaluationMismatch);
  std::vector<E> tampered = po.proof.round_messages;
  tampered[3] += E::one();
  v = po.proof.view();
  v.round_messages = std::span<const E>(tampered);
  EXPECT_EQ(verify(st, claim, v), GadgetStatus::kFinalEvaluationMismatch);
  Transcript<> tv = transcript();
  std::vector<E> short_point(3);
  EXPECT_EQ(matmul_draw_output_point<E>(tv, st, std::span<E>(short_point)), GadgetStatus::kWrongProofLength);
}

// ---------------------------------------------------------------- partial evaluation

TEST(GadgetPartialEval, MatchesMultilinearEvaluation) {
  ProverRng rng = ProverRng::from_seed_u64(7);
  for (uint32_t rb : {0u, 1u, 4u, 9u})
    for (uint32_t cb : {0u, 3u, 8u}) {
      const size_t rows = size_t{1} << rb, cols = size_t{1} << cb;
      const std::vector<Gl> m = random_table<Gl>(rng, rows * cols);
      std::vector<E> r_row(rb), r_col(cb);
      for (E& x : r_row) x = rng.field<E>();
      for (E& x : r_col) x = rng.field<E>();
      const std::vector<E> eq_row = eq_table<E>(std::span<const E>(r_row));
      const std::vector<E> eq_col = eq_table<E>(std::span<const E>(r_col));
      const std::vector<E> by_col = bind_row_variables<Gl, E>(m, rows, cols, std::span<const E>(eq_row));
      const std::vector<E> by_row = bind_column_variables<Gl, E>(m, rows, cols, std::span<const E>(eq_col));
      // The full MLE at (r_col, r_row) from either side equals direct evaluation.
      std::vector<E> point(r_col);
      point.insert(point.end(), r_row.begin(), r_row.end());
      const E direct = evaluate_multilinear<E, Gl>(m, std::span<const E>(point));
      EXPECT_EQ((evaluate_multilinear<E, E>(by_col, std::span<const E>(r_col))), direct);
      EXPECT_EQ((evaluate_multilinear<E, E>(by_row, std::span<const E>(r_row))), direct);
      const std::vector<E> eq_full = eq_table<E>(std::span<const E>(point));
      EXPECT_EQ((dot_with_eq<Gl, E>(m, std::span<const E>(eq_full))), direct);
    }
  // The 192-bit accumulators at their extreme: every entry p - 1, weights p - 1.
  const size_t n = size_t{1} << 12;
  const std::vector<Gl> big(n, Gl::from_u64(Gl::kModulus - 1));
  const Gl c[3] = {Gl::from_u64(Gl::kModulus - 1), Gl::from_u64(Gl::kModulus - 1), Gl::from_u64(Gl::kModulus - 1)};
  const std::vector<E> w(n, E::from_coeffs(c));
  E expected = E::zero();
  for (size_t i = 0; i < n; ++i) expected += w[i] * big[i];
  EXPECT_EQ((dot_with_eq<Gl, E>(big, std::span<const E>(w))), expected);
  EXPECT_EQ((bind_column_variables<Gl, E>(big, 1, n, std::span<const E>(w))[0]), expected);
  EXPECT_EQ((bind_row_variables<Gl, E>(big, n, 1, std::span<const E>(w))[0]), expected);
}

// ---------------------------------------------------------------- zero-check

struct ReluWitness {
  std::vector<Gl> s, q, a;  // a = s * q, s binary
};

ReluWitness relu_witness(ProverRng& rng, size_t n) {
  ReluWitness w;
  w.q.resize(n);
  w.s.resize(n);
  w.a.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const int64_t v = static_cast<int64_t>(rng.next_u64() % 2001) - 1000;
    w.q[i] = Gl::from_i64(v);
    w.s[i] = Gl::from_u64(v > 0 ? 1 : 0);
    w.a[i] = w.s[i] * w.q[i];
  }
  return w;
}

// ReLU and binary relations: a - s q = 0 (factors a, s, q) and s - s s = 0 (factor s).
const std::vector<ProductTerm<E>>& relu_terms() {
  static const std::vector<ProductTerm<E>> t = {ProductTerm<E>::of(E::one(), {0}),
                                                ProductTerm<E>::of(-E::one(), {1, 2})};
  return t;
}
const std::vector<ProductTerm<E>>& binary_terms() {
  static const std::vector<ProductTerm<E>> t = {ProductTerm<E>::of(E::one(), {0}),
                                                ProductTerm<E>::of(-E::one(), {0, 0})};
  return t;
}

void check_zerocheck(const StackedRelation<E>& st, const std::vector<std::span<const Gl>>& tables, uint64_t seed) {
  ProverRng rng = ProverRng::from_seed_u64(seed);
  Transcript<> tp = transcript(2);
  const auto po = prove_zerocheck<Gl, E>(tp, st, std::span<const std::span<const Gl>>(tables), rng);
  Transcript<> tv = transcript(2);
  std::vector<E> point(st.total_vars());
  std::vector<PendingClaim<E>> claims(st.num_evaluations());
  StackedRelationVerifierOutput<E> vo{std::span<E>(point), std::span<PendingClaim<E>>(claims), {}};
  ASSERT_EQ(verify_zerocheck<E>(tv, st, po.proof.view(), &vo), GadgetStatus::kOk);
  EXPECT_EQ(point, po.point);
  EXPECT_EQ(tp.template challenge<E>("end"), tv.template challenge<E>("end"));
  WitnessRegistry<Gl, E> w;
  for (size_t i = 0; i < tables.size(); ++i) w.add_table(st.handles[i], tables[i]);
  for (size_t i = 0; i < claims.size(); ++i) {
    EXPECT_EQ(claims[i], po.claims[i]);
    EXPECT_TRUE(w.holds(claims[i])) << "claim " << i;
  }
  if (st.zero_knowledge) {
    w.add_mask(*po.mask);
    EXPECT_TRUE(w.holds(vo.mask_claim));
  }
}

TEST(GadgetZerocheck, BinaryAndReluVerify) {
  ProverRng rng = ProverRng::from_seed_u64(20);
  for (uint32_t n : {1u, 4u, 10u})
    for (bool zk : {false, true}) {
      const ReluWitness rw = relu_witness(rng, size_t{1} << n);
      const std::vector<CommitmentHandle> h = {CommitmentHandle{1}, CommitmentHandle{2}, CommitmentHandle{3}};
      StackedRelation<E> relu{n, 1, 3, relu_terms(), h, zk, CommitmentHandle{50}};
      check_zerocheck(relu, {rw.a, rw.s, rw.q}, 21 + n);
      StackedRelation<E> bin{n, 1, 1, binary_terms(), std::span<const CommitmentHandle>(h).subspan(1, 1), zk,
                             CommitmentHandle{50}};
      check_zerocheck(bin, {rw.s}, 31 + n);
    }
}

TEST(GadgetZerocheck, StackedInstancesVerify) {
  // FAC4DNN: the ReLU of L layers in one sumcheck, L a power of two or not.
  ProverRng rng = ProverRng::from_seed_u64(40);
  for (uint32_t layers : {2u, 3u, 4u, 5u})
    for (bool zk : {false, true}) {
      const uint32_t n = 6;
      std::vector<ReluWitness> ws;
      std::vector<std::span<const Gl>> tables;
      std::vector<CommitmentHandle> h;
      for (uint32_t l = 0; l < layers; ++l) ws.push_back(relu_witness(rng, size_t{1} << n));
      for (uint32_t l = 0; l < layers; ++l) {
        tables.insert(tables.end(), {ws[l].a, ws[l].s, ws[l].q});
        for (uint64_t k = 0; k < 3; ++k) h.push_back(CommitmentHandle{100 + 10 * l + k});
      }
      StackedRelation<E> st{n, layers, 3, relu_terms(), h, zk, CommitmentHandle{7}};
      EXPECT_EQ(st.total_vars(), n + (layers <= 2 ? 1u : layers <= 4 ? 2u : 3u));
      check_zerocheck(st, tables, 41 + layers);
    }
}

TEST(GadgetZerocheck, ProverRefusesAViolatedRelation) {
  ProverRng rng = ProverRng::from_seed_u64(50);
  ReluWitness rw = relu_witness(rng, 64);
  rw.s[17] = Gl::from_u64(2);
  const std::vector<CommitmentHandle> h = {CommitmentHandle{1}};
  StackedRelation<E> bin{6, 1, 1, binary_terms(), h, true, CommitmentHandle{50}};
  const std::vector<std::span<const Gl>> tables = {rw.s};
  Transcript<> tp = transcript();
  try {
    (void)prove_zerocheck<Gl, E>(tp, bin, std::span<const std::span<const Gl>>(tables), rng);
    ADD_FAILURE() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("entry 17"), std::string::npos) << e.what();
  }
}

TEST(GadgetZerocheck, VerifierRejectsMalformedInput) {
  ProverRng rng = ProverRng::from_seed_u64(60);
  const ReluWitness rw = relu_witness(rng, 32);
  const std::vector<CommitmentHandle> h = {CommitmentHandle{1}, CommitmentHandle{2}, CommitmentHandle{3}};
  StackedRelation<E> st{5, 1, 3, relu_terms(), h, true, CommitmentHandle{50}};
  const std::vector<std::span<const Gl>> tables = {rw.a, rw.s, rw.q};
  Transcript<> tp = transcript();
  const auto po = prove_zerocheck<Gl, E>(tp, st, std::span<const std::span<const Gl>>(tables), rng);
  auto verify = [&](const StackedRelation<E>& s, const StackedRelationProofView<E>& view, size_t point_len,
                    size_t claims_len) {
    Transcript<> tv = transcript();
    std::vector<E> point(point_len);
    std::vector<PendingClaim<E>> claims(claims_len);
    StackedRelationVerifierOutput<E> vo{std::span<E>(point), std::span<PendingClaim<E>>(claims), {}};
    return verify_zerocheck<E>(tv, s, view, &vo);
  };
  EXPECT_EQ(verify(st, po.proof.view(), 5, 3), GadgetStatus::kOk);
  EXPECT_EQ(verify(st, po.proof.view(), 4, 3), GadgetStatus::kWrongProofLength);
  EXPECT_EQ(verify(st, po.proof.view(), 5, 2), GadgetStatus::kWrongProofLength);
  StackedRelationProofView<E> v = po.proof.view();
  v.evaluations = v.evaluations.subspan(1);
  EXPECT_EQ(verify(st, v, 5, 3), GadgetStatus::kWrongProofLength);
  v = po.proof.view();
  v.round_messages = v.round_messages.subspan(0, v.round_messages.size() - 1);
  EXPECT_EQ(verify(st, v, 5, 3), GadgetStatus::kWrongProofLength);
  v = po.proof.view();
  v.mask = nullptr;
  EXPECT_EQ(verify(st, v, 5, 3), GadgetStatus::kMissingMask);
  std::vector<E> evals = po.proof.evaluations;
  evals[2] += E::one();
  v = po.proof.view();
  v.evaluations = std::span<const E>(evals);
  EXPECT_EQ(verify(st, v, 5, 3), GadgetStatus::kFinalEvaluationMismatch);
  StackedRelation<E> bad = st;
  bad.num_factors = 2;  // the terms name factor 2
  const std::vector<CommitmentHandle> h2 = {CommitmentHandle{1}, CommitmentHandle{2}};
  bad.handles = h2;
  EXPECT_EQ(verify(bad, po.proof.view(), 5, 2), GadgetStatus::kBadTerm);
  bad = st;
  bad.handles = h2;
  EXPECT_EQ(verify(bad, po.proof.view(), 5, 3), GadgetStatus::kBadShape);
  bad = st;
  bad.num_instances = 0;
  EXPECT_EQ(verify(bad, po.proof.view(), 5, 3), GadgetStatus::kBadShape);
  bad = st;
  bad.num_vars = 0;
  EXPECT_EQ(verify(bad, po.proof.view(), 0, 3), GadgetStatus::kBadShape);
  const std::vector<ProductTerm<E>> empty_terms;
  bad = st;
  bad.terms = empty_terms;
  EXPECT_EQ(verify(bad, po.proof.view(), 5, 3), GadgetStatus::kBadTerm);
}

// ---------------------------------------------------------------- row sums

void check_rowsum(SumAxis axis, uint32_t rb, uint32_t cb, bool product, bool zk, uint64_t seed) {
  ProverRng rng = ProverRng::from_seed_u64(seed);
  const size_t rows = size_t{1} << rb, cols = size_t{1} << cb;
  const std::vector<Gl> e = random_table<Gl>(rng, rows * cols, 1 << 16), zt = random_table<Gl>(rng, rows * cols);
  std::vector<Gl> sums(axis == SumAxis::kEachRow ? rows : cols, Gl::zero());
  for (size_t i = 0; i < rows; ++i)
    for (size_t j = 0; j < cols; ++j) {
      const Gl v = product ? e[i * cols + j] * zt[i * cols + j] : e[i * cols + j];
      sums[axis == SumAxis::kEachRow ? i : j] += v;
    }
  const std::vector<ProductTerm<E>> terms = {product ? ProductTerm<E>::of(E::one(), {0, 1})
                                                     : ProductTerm<E>::of(E::one(), {0})};
  const std::vector<CommitmentHandle> h = {CommitmentHandle{1}, CommitmentHandle{2}};
  const uint32_t k = product ? 2 : 1;
  RowSumStatement<E> st;
  st.relation = StackedRelation<E>{rb + cb, 1, k, terms, std::span<const CommitmentHandle>(h).subspan(0, k), zk,
                                   CommitmentHandle{30}};
  st.row_bits = rb;
  st.col_bits = cb;
  st.axis = axis;
  st.sums = CommitmentHandle{5};
  std::vector<std::span<const Gl>> tables = {e, zt};
  tables.resize(k);

  Transcript<> tp = transcript(3);
  const auto po = prove_rowsum<Gl, E>(tp, st, std::span<const std::span<const Gl>>(tables), std::span<const Gl>(sums),
                                      rng);
  Transcript<> tv = transcript(3);
  std::vector<E> point(rb + cb);
  std::vector<PendingClaim<E>> claims(k);
  RowSumVerifierOutput<E> vo;
  vo.relation = StackedRelationVerifierOutput<E>{std::span<E>(point), std::span<PendingClaim<E>>(claims), {}};
  ASSERT_EQ(verify_rowsum<E>(tv, st, po.proof.view(), &vo), GadgetStatus::kOk);
  EXPECT_EQ(tp.template challenge<E>("end"), tv.template challenge<E>("end"));
  WitnessRegistry<Gl, E> w;
  w.add_table(h[0], e);
  w.add_table(h[1], zt);
  w.add_table(st.sums, sums);
  EXPECT_TRUE(w.holds(vo.sums_claim));
  EXPECT_EQ(vo.sums_claim, po.sums_claim);
  for (size_t i = 0; i < k; ++i) EXPECT_TRUE(w.holds(claims[i]));
  if (zk) {
    w.add_mask(*po.mask);
    EXPECT_TRUE(w.holds(vo.relation.mask_claim));
  }
}

TEST(GadgetRowSum, RowAndColumnSumsVerify) {
  uint64_t seed = 70;
  for (SumAxis axis : {SumAxis::kEachRow, SumAxis::kEachColumn})
    for (auto [rb, cb] : {std::pair{3u, 4u}, std::pair{0u, 5u}, std::pair{5u, 0u}, std::pair{6u, 4u}})
      for (bool product : {false, true})
        for (bool zk : {false, true}) check_rowsum(axis, rb, cb, product, zk, seed++);
}

TEST(GadgetRowSum, VerifierRejectsMalformedInput) {
  const std::vector<ProductTerm<E>> terms = {ProductTerm<E>::of(E::one(), {0})};
  const std::vector<CommitmentHandle> h = {CommitmentHandle{1}, CommitmentHandle{2}};
  RowSumStatement<E> st;
  st.relation = StackedRelation<E>{5, 1, 1, terms, std::span<const CommitmentHandle>(h).subspan(0, 1), false, {}};
  st.row_bits = 2;
  st.col_bits = 3;
  std::vector<E> point(5), round(10, E::one()), evals(1, E::one());
  std::vector<PendingClaim<E>> claims(1);
  RowSumVerifierOutput<E> vo;
  vo.relation = StackedRelationVerifierOutput<E>{std::span<E>(point), std::span<PendingClaim<E>>(claims), {}};
  RowSumProofView<E> view{StackedRelationProofView<E>{round, nullptr, evals}, E::one()};
  Transcript<> tv = transcript();
  EXPECT_EQ(verify_rowsum<E>(tv, st, view, &vo), GadgetStatus::kFinalEvaluationMismatch);
  RowSumStatement<E> bad = st;
  bad.col_bits = 2;
  EXPECT_EQ(verify_rowsum<E>(tv, bad, view, &vo), GadgetStatus::kBadShape);
  bad = st;
  bad.axis = static_cast<SumAxis>(7);
  EXPECT_EQ(verify_rowsum<E>(tv, bad, view, &vo), GadgetStatus::kBadShape);
  bad = st;
  bad.relation.num_instances = 2;
  bad.relation.handles = h;
  EXPECT_EQ(verify_rowsum<E>(tv, bad, view, &vo), GadgetStatus::kBadShape);
  view.relation.round_messages = std::span<const E>(round).subspan(1);
  EXPECT_EQ(verify_rowsum<E>(tv, st, view, &vo), GadgetStatus::kWrongProofLength);
}

// ---------------------------------------------------------------- linear relations

TEST(GadgetLinear, PrefixIndicatorMatchesBruteForce) {
  ProverRng rng = ProverRng::from_seed_u64(80);
  for (uint32_t n : {0u, 1u, 3u, 6u}) {
    std::vector<E> r(n);
    for (E& x : r) x = rng.field<E>();
    for (uint64_t count = 0; count <= (uint64_t{1} << n); ++count) {
      E brute = E::zero();
      for (uint64_t x = 0; x < count; ++x) brute += eq_at_index<E>(std::span<const E>(r), x);
      EXPECT_EQ(prefix_indicator_mle<E>(std::span<const E>(r), count), brute) << n << " " << count;
    }
  }
}

// The rescale z + 2^(F-1) = 2^F q + rem on a 5 x 12 tensor padded to 8 x 16,
// zero in the padding: z - 2^F q - rem + 2^(F-1) 1[active] = 0.
struct RescaleWitness {
  std::vector<Gl> z, q, rem;
};
RescaleWitness rescale_witness(ProverRng& rng, uint32_t frac, uint32_t rb, uint32_t cb, uint64_t rows, uint64_t cols) {
  RescaleWitness w;
  const size_t n = size_t{1} << (rb + cb);
  w.z.assign(n, Gl::zero());
  w.q.assign(n, Gl::zero());
  w.rem.assign(n, Gl::zero());
  for (uint64_t i = 0; i < rows; ++i)
    for (uint64_t j = 0; j < cols; ++j) {
      const size_t x = (i << cb) | j;
      const int64_t z = static_cast<int64_t>(rng.next_u64() % (1 << 20)) - (1 << 19);
      const int64_t shifted = z + (int64_t{1} << (frac - 1));
      const int64_t q = shifted >= 0 ? shifted >> frac : -((-shifted + (int64_t{1} << frac) - 1) >> frac);
      w.z[x] = Gl::from_i64(z);
      w.q[x] = Gl::from_i64(q);
      w.rem[x] = Gl::from_i64(shifted - (q << frac));
    }
  return w;
}

TEST(GadgetLinear, RescaleVerifiesWithAndWithoutGivenValues) {
  ProverRng rng = ProverRng::from_seed_u64(81);
  const uint32_t frac = 8, rb = 3, cb = 4;
  const RescaleWitness w = rescale_witness(rng, frac, rb, cb, 5, 12);
  for (bool z_given : {false, true}) {
    const std::vector<LinearTerm<E>> terms = {{CommitmentHandle{1}, E::one(), z_given},
                                              {CommitmentHandle{2}, -E::from_u64(1 << frac), false},
                                              {CommitmentHandle{3}, -E::one(), false}};
    LinearRelationStatement<E> st{rb, cb, terms, E::from_u64(1 << (frac - 1)), 5, 12};
    const std::vector<std::span<const Gl>> tables = {w.z, w.q, w.rem};
    Transcript<> tp = transcript(4);
    std::vector<E> point(rb + cb);
    ASSERT_EQ(linear_relation_draw_point<E>(tp, st, std::span<E>(point)), GadgetStatus::kOk);
    std::vector<E> given;
    if (z_given) given.push_back(evaluate_multilinear<E, Gl>(w.z, std::span<const E>(point)));
    const auto po = prove_linear_relation<Gl, E>(tp, st, std::span<const E>(point),
                                                 std::span<const std::span<const Gl>>(tables), std::span<const E>(given));
    Transcript<> tv = transcript(4);
    std::vector<E> vpoint(rb + cb);
    ASSERT_EQ(linear_relation_draw_point<E>(tv, st, std::span<E>(vpoint)), GadgetStatus::kOk);
    std::vector<PendingClaim<E>> claims(st.num_stated());
    ASSERT_EQ(verify_linear_relation<E>(tv, st, std::span<const E>(vpoint), std::span<const E>(given),
                                        std::span<const E>(po.stated_values), std::span<PendingClaim<E>>(claims)),
              GadgetStatus::kOk);
    EXPECT_EQ(tp.template challenge<E>("end"), tv.template challenge<E>("end"));
    WitnessRegistry<Gl, E> reg;
    reg.add_table(CommitmentHandle{1}, w.z);
    reg.add_table(CommitmentHandle{2}, w.q);
    reg.add_table(CommitmentHandle{3}, w.rem);
    ASSERT_EQ(claims.size(), z_given ? 2u : 3u);
    for (size_t i = 0; i < claims.size(); ++i) {
      EXPECT_EQ(claims[i], po.claims[i]);
      EXPECT_TRUE(reg.holds(claims[i]));
    }
    // Bad input: lengths, region, terms.
    std::vector<E> one_more = po.stated_values;
    one_more.push_back(E::zero());
    EXPECT_EQ(verify_linear_relation<E>(tv, st, std::span<const E>(vpoint), std::span<const E>(given),
                                        std::span<const E>(one_more), std::span<PendingClaim<E>>(claims)),
              GadgetStatus::kWrongProofLength);
    EXPECT_EQ(verify_linear_relation<E>(tv, st, std::span<const E>(vpoint).subspan(1), std::span<const E>(given),
                                        std::span<const E>(po.stated_values), std::span<PendingClaim<E>>(claims)),
              GadgetStatus::kWrongProofLength);
    LinearRelationStatement<E> bad = st;
    bad.active_rows = 9;
    EXPECT_EQ(verify_linear_relation<E>(tv, bad, std::span<const E>(vpoint), std::span<const E>(given),
                                        std::span<const E>(po.stated_values), std::span<PendingClaim<E>>(claims)),
              GadgetStatus::kBadShape);
    bad = st;
    bad.terms = {};
    EXPECT_EQ(verify_linear_relation<E>(tv, bad, std::span<const E>(vpoint), std::span<const E>(given),
                                        std::span<const E>(po.stated_values), std::span<PendingClaim<E>>(claims)),
              GadgetStatus::kBadTerm);
  }
}

// ---------------------------------------------------------------- soundness rows (docs/PROTOCOL.md §8)

double bits_of(uint64_t numerator) {
  const double log2_k = 3.0 * std::log2(static_cast<double>(Gl::kModulus));  // |GlExt3| = p^3
  return log2_k - std::log2(static_cast<double>(numerator));
}

uint32_t ceil_log2(uint64_t x) {
  uint32_t b = 0;
  while ((uint64_t{1} << b) < x) ++b;
  return b;
}

TEST(GadgetSoundness, DocumentedRowsMatchTheCode) {
  // The first layer of a 784 -> 128 network at batch 64: Z = X W^T and the two
  // backprop products dX = dZ W, dW = dZ^T X, every dimension padded.
  const uint32_t batch = ceil_log2(64), in = ceil_log2(784), out = ceil_log2(128);
  const MatmulStatement forward{MatmulShape{batch, in, out, false, true}, {}, {}, {}, true, {}};
  EXPECT_NEAR(bits_of(matmul_soundness_numerator(forward)), testing::protocol_doc_bits("gadget.matmul.784x128.b64"),
              0.1);
  const MatmulStatement dx{MatmulShape{batch, out, in, false, false}, {}, {}, {}, true, {}};
  const MatmulStatement dw{MatmulShape{out, batch, in, true, false}, {}, {}, {}, true, {}};
  const uint64_t layer = matmul_soundness_numerator(forward) + matmul_soundness_numerator(dx) +
                         matmul_soundness_numerator(dw);
  EXPECT_NEAR(bits_of(layer), testing::protocol_doc_bits("gadget.matmul.784x128.b64.layer"), 0.1);
  // The ReLU zero-check (a - s q, degree 2) stacked over 2^20 entries.
  const std::vector<CommitmentHandle> h(3);
  const StackedRelation<E> relu{20, 1, 3, relu_terms(), h, true, {}};
  EXPECT_NEAR(bits_of(zerocheck_soundness_numerator(relu)), testing::protocol_doc_bits("gadget.zerocheck.relu.n20"),
              0.1);
}

}  // namespace
}  // namespace zkpot
