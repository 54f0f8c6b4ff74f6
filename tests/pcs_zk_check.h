// The exact zero-knowledge check of the commitment scheme (docs/PROTOCOL.md
// §9.4). With the challenges fixed (recorded from an honest run and replayed),
// every field value the verifier sees (commitment out-of-domain answers, the
// mask values mu, sumcheck messages, opened leaves, final polynomials of both
// runs) is an affine function view = A f + B g + c of the witness table f and
// the mask table g. The view hides f exactly when, for every f' with the same
// claimed values, A (f - f') lies in the column space of B: rank [B | A N] =
// rank B, N a basis of the witnesses with zero claimed values. B is replaced
// by B R for random mask tables R (the views of random masks): col(B R) is
// inside col(B), so rank [B R | A N] = rank B R proves A N within col(B)
// exactly; R only has to be rich enough for the check to pass. Built for one
// opening and for the largest number of openings the parameters allow.
#pragma once

#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "common/multilinear.h"
#include "common/pcs_params.h"
#include "common/pcs_verifier.h"
#include "prover/pcs_prover.h"
#include "prover/parallel.h"
#include "prover/rng.h"

namespace zkpot::pcs_zk_testing {


using F = Goldilocks;
using E = GlExt3;

// The exact checks run at low security (few queries, so a small view) with
// the same rules as the default set; kZkMidVars is the smallest table whose
// windows are all narrower than it.
constexpr uint32_t kZkTestBits = 6;
constexpr uint32_t kZkMidVars = 12;

// Ranks of the first `split` columns and of all columns of a (rows x cols,
// row major), by elimination in column order.
inline std::pair<size_t, size_t> ranks_of(std::vector<F> a, size_t rows, size_t cols, size_t split) {
  size_t rank = 0, rank_split = 0;
  for (size_t col = 0; col < cols; ++col) {
    if (col == split) rank_split = rank;
    if (rank == rows) continue;
    size_t piv = rank;
    while (piv < rows && a[piv * cols + col].is_zero()) ++piv;
    if (piv == rows) continue;
    if (piv != rank)
      for (size_t k = col; k < cols; ++k) std::swap(a[piv * cols + k], a[rank * cols + k]);
    const F inv = a[rank * cols + col].inverse();
    for (size_t r = rank + 1; r < rows; ++r) {
      if (a[r * cols + col].is_zero()) continue;
      const F f = a[r * cols + col] * inv;
      for (size_t k = col; k < cols; ++k) a[r * cols + k] -= f * a[rank * cols + k];
    }
    ++rank;
  }
  if (split >= cols) rank_split = rank;
  return {rank_split, rank};
}

// A growing basis of a subspace of F^rows in echelon form: each vector has a
// pivot coordinate (value 1) where all later-inserted vectors are zero.
class EchelonBasis {
 public:
  explicit EchelonBasis(size_t rows) : rows_(rows) {}
  // Reduces v against the basis; adds it and returns true if it is not in the span.
  bool insert(std::vector<F> v) {
    for (size_t i = 0; i < vecs_.size(); ++i) {
      const F c = v[pivots_[i]];
      if (c.is_zero()) continue;
      const std::vector<F>& b = vecs_[i];
      for (size_t r = 0; r < rows_; ++r) v[r] -= c * b[r];
    }
    size_t piv = 0;
    while (piv < rows_ && v[piv].is_zero()) ++piv;
    if (piv == rows_) return false;
    const F inv = v[piv].inverse();
    for (F& x : v) x *= inv;
    // Keep earlier vectors zero at the new pivot (full reduction).
    for (size_t i = 0; i < vecs_.size(); ++i) {
      const F c = vecs_[i][piv];
      if (c.is_zero()) continue;
      for (size_t r = 0; r < rows_; ++r) vecs_[i][r] -= c * v[r];
    }
    vecs_.push_back(std::move(v));
    pivots_.push_back(piv);
    return true;
  }
  size_t rank() const { return vecs_.size(); }

 private:
  size_t rows_;
  std::vector<std::vector<F>> vecs_;
  std::vector<size_t> pivots_;
};

// A basis of {x in F^n : M x = 0} for M (rows x n), as columns of an n x d matrix.
inline std::vector<std::vector<F>> kernel_basis(std::vector<F> m, size_t rows, size_t n) {
  std::vector<size_t> pivot_col;
  size_t rank = 0;
  for (size_t col = 0; col < n && rank < rows; ++col) {
    size_t piv = rank;
    while (piv < rows && m[piv * n + col].is_zero()) ++piv;
    if (piv == rows) continue;
    for (size_t k = 0; k < n; ++k) std::swap(m[piv * n + k], m[rank * n + k]);
    const F inv = m[rank * n + col].inverse();
    for (size_t k = 0; k < n; ++k) m[rank * n + k] *= inv;
    for (size_t r = 0; r < rows; ++r) {
      if (r == rank || m[r * n + col].is_zero()) continue;
      const F f = m[r * n + col];
      for (size_t k = 0; k < n; ++k) m[r * n + k] -= f * m[rank * n + k];
    }
    pivot_col.push_back(col);
    ++rank;
  }
  std::vector<std::vector<F>> basis;
  std::vector<bool> is_pivot(n, false);
  for (size_t c : pivot_col) is_pivot[c] = true;
  for (size_t free = 0; free < n; ++free) {
    if (is_pivot[free]) continue;
    std::vector<F> v(n, F::zero());
    v[free] = F::one();
    for (size_t r = 0; r < rank; ++r) v[pivot_col[r]] = -m[r * n + free];
    basis.push_back(std::move(v));
  }
  return basis;
}

inline void append_ext(std::vector<F>& out, std::span<const E> xs) {
  for (const E& x : xs)
    for (unsigned d = 0; d < 3; ++d) out.push_back(x.coeff(d));
}

struct Recorded {
  std::vector<GlExt3> ext;
  std::vector<uint64_t> idx;
};

class ZkView {
 public:
  ZkView(const PcsLayout& layout, std::vector<std::vector<E>> points_per_opening)
      : layout_(layout), points_(std::move(points_per_opening)) {}

  // Honest run: records the challenges and the out-of-domain points.
  void record(const std::vector<F>& table, const std::vector<F>& masks) {
    ProverRng rng = ProverRng::from_seed_u64(kSeed);
    const std::span<const F> polys[] = {table};
    PcsProver p = PcsProver::commit_with_masks(layout_, polys, rng, masks, {}, {});
    const PcsCommitment<E>& com = p.commitment();
    main_ood_.assign(com.main_ood_points.begin(), com.main_ood_points.begin() + com.main_ood);
    helper_ood_.assign(com.helper_ood_points.begin(), com.helper_ood_points.begin() + com.helper_ood);
    for (const auto& pts : points_) {
      Blake2b256::Digest d{};
      Transcript<> t("zkpot-zk-test", d);
      TranscriptChallenger ch(t, true);
      const std::vector<PcsClaim<E>> claims = claims_for(p, pts);
      const PcsProof<F, E> proof = p.open(ch, claims);
      // The honest proof verifies (so the recorded run is a real one).
      Transcript<> tv("zkpot-zk-test", d);
      std::vector<uint8_t> scratch(pcs_verifier_scratch_bytes(layout_, claims.size()));
      Arena arena(scratch.data(), scratch.size());
      EXPECT_EQ(pcs_verify(tv, layout_, com, std::span<const PcsClaim<E>>(claims), proof.view(), arena), PcsStatus::kOk);
      recorded_.push_back({ch.recorded_ext(), ch.recorded_indices()});
    }
  }

  // Every field value the verifier sees, for this witness and mask table.
  std::vector<F> view(const std::vector<F>& table, const std::vector<F>& masks) const {
    ProverRng rng = ProverRng::from_seed_u64(kSeed);
    const std::span<const F> polys[] = {table};
    PcsProver p = PcsProver::commit_with_masks(layout_, polys, rng, masks, main_ood_, helper_ood_);
    const PcsCommitment<E>& com = p.commitment();
    std::vector<F> out;
    append_ext(out, std::span<const E>(com.main_ood_answers.data(), com.main_ood));
    append_ext(out, std::span<const E>(com.helper_ood_answers.data(), com.helper_ood));
    for (size_t o = 0; o < points_.size(); ++o) {
      ReplayChallenger ch(recorded_[o].ext, recorded_[o].idx);
      const std::vector<PcsClaim<E>> claims = claims_for(p, points_[o]);
      const PcsProof<F, E> proof = p.open(ch, claims);
      append_ext(out, proof.ext);
      out.insert(out.end(), proof.base.begin(), proof.base.end());
    }
    return out;
  }

 private:
  static constexpr uint64_t kSeed = 77;
  std::vector<PcsClaim<E>> claims_for(const PcsProver& p, const std::vector<E>& pts) const {
    std::vector<PcsClaim<E>> c;
    const size_t m = p.commitment().slot_vars[0];  // the slot's variables (the table may be padded)
    for (size_t i = 0; i + m <= pts.size(); i += m) {
      const std::span<const E> z(pts.data() + i, m);
      c.push_back({0, z, p.evaluate(0, z)});
    }
    return c;
  }
  PcsLayout layout_;
  std::vector<std::vector<E>> points_;
  std::vector<E> main_ood_, helper_ood_;
  std::vector<Recorded> recorded_;
};

// Checks rank [B R | A N] = rank B R, with R = `extra` + rows random mask
// tables. With `sampled_kernel` = 0, N is a basis of the witnesses with zero
// claimed values (exact); otherwise N is that many uniformly random such
// witnesses (a mid-size check: if some witness direction leaked, a random one
// would leak except with probability 1/p).
inline void check_zero_knowledge(const PcsParams& params, uint32_t vars, size_t openings, size_t claims_per_opening,
                          size_t sampled_kernel = 0) {
  const PcsLayout layout = pcs_layout(params, vars);
  ASSERT_TRUE(layout.valid);
  ASSERT_LE(openings, layout.params.max_openings);
  set_num_threads(1);  // hundreds of small runs: threads would only add overhead
  ProverRng rng = ProverRng::from_seed_u64(5 + vars);
  std::vector<std::vector<E>> points(openings);
  for (auto& p : points)
    for (size_t i = 0; i < vars * claims_per_opening; ++i) p.push_back(rng.field<E>());
  const size_t n_w = size_t{1} << vars;
  const size_t n_g = size_t{1} << layout.helper.spec.num_vars;
  std::vector<F> table(n_w), masks(n_g);
  for (F& x : table) x = rng.field<F>();
  for (F& x : masks) x = rng.field<F>();
  ZkView zk(layout, points);
  zk.record(table, masks);

  const std::vector<F> zero_w(n_w, F::zero()), zero_g(n_g, F::zero());
  const std::vector<F> c = zk.view(zero_w, zero_g);
  const size_t rows = c.size();
  auto linear_part = [&](const std::vector<F>& w, const std::vector<F>& g) {
    std::vector<F> v = zk.view(w, g);
    EXPECT_EQ(v.size(), rows);
    v.resize(rows);
    for (size_t r = 0; r < rows; ++r) v[r] -= c[r];
    return v;
  };
  auto random_vec = [&](size_t n) {
    std::vector<F> v(n);
    for (F& x : v) x = rng.field<F>();
    return v;
  };
  // The view is affine in (f, g): additive on random pairs.
  for (int trial = 0; trial < 2; ++trial) {
    const std::vector<F> f1 = random_vec(n_w), f2 = random_vec(n_w), g1 = random_vec(n_g), g2 = random_vec(n_g);
    std::vector<F> f12(n_w), g12(n_g);
    for (size_t i = 0; i < n_w; ++i) f12[i] = f1[i] + f2[i];
    for (size_t i = 0; i < n_g; ++i) g12[i] = g1[i] + g2[i];
    const std::vector<F> v1 = linear_part(f1, g1), v2 = linear_part(f2, g2), v12 = linear_part(f12, g12);
    for (size_t r = 0; r < rows; ++r) ASSERT_EQ(v1[r] + v2[r], v12[r]) << "row " << r;
  }
  // Witnesses with zero claimed values: kernel of the claim functionals
  // f -> f~(z) (3 base coordinates per claim).
  std::vector<F> claim_rows;
  size_t n_claim_rows = 0;
  for (const auto& pts : points)
    for (size_t i = 0; i + vars <= pts.size(); i += vars) {
      const std::vector<E> eq = eq_table<E>(std::span<const E>(pts.data() + i, vars));
      for (unsigned d = 0; d < 3; ++d) {
        for (size_t b = 0; b < n_w; ++b) claim_rows.push_back(eq[b].coeff(d));
        ++n_claim_rows;
      }
    }
  const std::vector<std::vector<F>> kernel = kernel_basis(claim_rows, n_claim_rows, n_w);
  // Columns A N: the views of kernel witnesses with zero masks.
  std::vector<std::vector<F>> an_cols;
  if (sampled_kernel == 0) {
    for (const auto& k : kernel) an_cols.push_back(linear_part(k, zero_g));
  } else {
    for (size_t s = 0; s < sampled_kernel; ++s) {
      std::vector<F> w(n_w, F::zero());
      for (const auto& k : kernel) {
        const F a = rng.field<F>();
        for (size_t i = 0; i < n_w; ++i) w[i] += a * k[i];
      }
      an_cols.push_back(linear_part(w, zero_g));
    }
  }
  // Columns B R: views of random masks with a zero witness, added until 16
  // in a row add nothing to their span (an echelon basis); then every column
  // of A N must reduce to zero against that basis.
  EchelonBasis basis(rows);
  size_t idle = 0, br_views = 0;
  while (idle < 16 && br_views < 4 * rows + 64) {
    ++br_views;
    idle = basis.insert(linear_part(zero_w, random_vec(n_g))) ? 0 : idle + 1;
  }
  size_t leaking = 0;
  for (const auto& col : an_cols) leaking += basis.insert(col) ? 1 : 0;
  ::testing::Test::RecordProperty("view_values", static_cast<int>(rows));
  ::testing::Test::RecordProperty("rank_BR", static_cast<int>(basis.rank()));
  EXPECT_EQ(leaking, 0u) << "the view depends on the witness beyond the claimed values (vars " << vars
                         << ", committed vars " << layout.main.spec.num_vars << ", openings " << openings
                         << ", view " << rows << ", rank B R " << basis.rank() << " after " << br_views
                         << " mask views)";
  const size_t cols_an = an_cols.size();
  // The test can fail: the witness part of the view is not zero.
  std::vector<F> an(rows * cols_an);
  for (size_t k = 0; k < cols_an; ++k)
    for (size_t r = 0; r < rows; ++r) an[r * cols_an + k] = an_cols[k][r];
  EXPECT_GT(ranks_of(an, rows, cols_an, cols_an).second, 0u);
}

}  // namespace zkpot::pcs_zk_testing
