// The WHIR prover (docs/PROTOCOL.md §9.2) and its zero-knowledge layout (§9.4).
#include "prover/pcs_prover.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include "common/multilinear.h"
#include "common/pcs_maths.h"
#include "common/sumcheck.h"
#include "prover/ntt_parallel.h"
#include "prover/pcs_kernels.h"
#include "prover/pcs_oracle.h"
#include "prover/parallel.h"

namespace zkpot {

namespace {

using F = Goldilocks;
using E = GlExt3;
using Digest = Blake2b256::Digest;
using pcs_oracle::commit_base;
using pcs_oracle::commit_ext;
using pcs_oracle::Oracle;
using pcs_oracle::oracle_rows;
using pcs_oracle::PhaseTimer;
using pcs_oracle::RecomputePolicy;
using pcs_oracle::Source;
using pcs_oracle::Tree;

// ---------------------------------------------------------------------------
// Table helpers.

using pcs_kernels::evals_to_coeffs;
using pcs_kernels::LazyExt;

constexpr size_t kBlock = size_t{1} << 12;

// eq(point, .) over 2^point.size() entries, times `scale`.
std::vector<E> eq_table_scaled(std::span<const E> point, const E& scale) {
  std::vector<E> out(size_t{1} << point.size());
  out[0] = scale;
  size_t len = 1;
  for (size_t j = 0; j < point.size(); ++j) {
    for (size_t i = len; i-- > 0;) {
      const E hi = out[i] * point[j];
      out[i + len] = hi;
      out[i] = out[i] - hi;
    }
    len <<= 1;
  }
  return out;
}

// prod_j (b_j ? w1[j] : w0[j]) over 2^w0.size() entries, times `scale`.
std::vector<E> tensor_table(std::span<const E> w0, std::span<const E> w1, const E& scale) {
  std::vector<E> out(size_t{1} << w0.size());
  out[0] = scale;
  size_t len = 1;
  for (size_t j = 0; j < w0.size(); ++j) {
    for (size_t i = len; i-- > 0;) {
      out[i + len] = out[i] * w1[j];
      out[i] = out[i] * w0[j];
    }
    len <<= 1;
  }
  return out;
}

std::vector<E> pow_point(const E& x, uint32_t m) {
  std::vector<E> p(m);
  E xp = x;
  for (uint32_t j = 0; j < m; ++j) {
    p[j] = xp;
    xp = xp.square();
  }
  return p;
}

// sum_a c_a prod_j (a_j ? w1[j] : w0[j]) over the round-0 table c: split
// tensor tables, one pass. With (1 - z, z) it is the multilinear extension of
// the table at z; with (1, x^(2^j)) the univariate value at x.
E evaluate_source(const Source& src, std::span<const E> w0, std::span<const E> w1) {
  const uint32_t m = src.num_vars;
  const uint32_t lo = std::min<uint32_t>(m, 12);
  const std::vector<E> t_lo = tensor_table(w0.subspan(0, lo), w1.subspan(0, lo), E::one());
  const std::vector<E> t_hi = tensor_table(w0.subspan(lo), w1.subspan(lo), E::one());
  const size_t w = size_t{1} << lo;
  std::vector<E> partial(parallel_chunk_count(t_hi.size(), 1), E::zero());
  parallel_chunks(
      t_hi.size(),
      [&](size_t b, size_t e, size_t chunk) {
        std::vector<F> buf(w);
        E acc = E::zero();
        for (size_t h = b; h < e; ++h) {
          if (t_hi[h].is_zero()) continue;
          src.fill(h * w, w, buf.data());
          LazyExt inner;
          for (size_t i = 0; i < w; ++i) inner.mac(t_lo[i], buf[i]);
          acc += t_hi[h] * inner.value();
        }
        partial[chunk] = acc;
      },
      1);
  E total = E::zero();
  for (const E& p : partial) total += p;
  return total;
}
// The table's multilinear extension at z.
E evaluate_table_mle(const Source& src, std::span<const E> z) {
  std::vector<E> w0(z.size()), w1(z.begin(), z.end());
  for (size_t j = 0; j < z.size(); ++j) w0[j] = E::one() - z[j];
  return evaluate_source(src, w0, w1);
}
// The univariate polynomial with the table as coefficients, at x.
E evaluate_table_univariate(const Source& src, const E& x) {
  std::vector<E> w0(src.num_vars, E::one()), w1 = pow_point(x, src.num_vars);
  return evaluate_source(src, w0, w1);
}

// ---------------------------------------------------------------------------
// Sumcheck rounds through the challenger (same frames as common/sumcheck.h's
// sumcheck_round, which the verifier uses).
E sumcheck_round(PcsChallenger& ch, const LagrangeKernel<E>& kernel, const E& s0, const E& s2, const E& claim,
                 E* next_claim, std::vector<E>& ext_stream) {
  const std::array<E, 2> msg{s0, s2};
  ext_stream.push_back(s0);
  ext_stream.push_back(s2);
  ch.absorb_ext("sumcheck.round", msg);
  const E r = ch.challenge_ext("sumcheck.r");
  std::array<E, 3> values;
  round_values_from_message<E>(msg, claim, values.data());
  *next_claim = kernel.evaluate(values.data(), r);
  return r;
}

// A constraint the prover knows (the tensor weights of docs/PROTOCOL.md §9.1):
// a table claim at `point` (w_j = (1 - 2 z_j, z_j)) or a univariate value at
// x, given as pow(x) (w_j = (1 - x^(2^j), x^(2^j))).
struct ProverConstraint {
  std::vector<E> point;
  E value;
  bool table_claim = false;
  void factors(size_t j, E* w0, E* w1) const {
    *w1 = point[j];
    *w0 = table_claim ? E::one() - point[j] - point[j] : E::one() - point[j];
  }
};

// The smallest nonce meeting `bits`, searched in parallel batches (so the
// result does not depend on the thread count).
uint64_t grind(const Digest& challenge, unsigned bits) {
  if (bits == 0) return 0;
  constexpr size_t kBatch = size_t{1} << 14;
  for (uint64_t base = 0;; base += kBatch) {
    std::vector<uint64_t> best(parallel_chunk_count(kBatch, 1024), UINT64_MAX);
    parallel_chunks(
        kBatch,
        [&](size_t b, size_t e, size_t c) {
          size_t i = b;
          for (; i + 4 <= e; i += 4)
            if (const unsigned l = pcs_pow_first_of4<Blake2b256>(challenge, base + i, bits); l < 4) {
              best[c] = base + i + l;
              return;
            }
          for (; i < e; ++i)
            if (pcs_pow_ok<Blake2b256>(challenge, base + i, bits)) {
              best[c] = base + i;
              return;
            }
        },
        1024);
    const uint64_t m = *std::min_element(best.begin(), best.end());
    if (m != UINT64_MAX) return m;
  }
}

// One WHIR run (docs/PROTOCOL.md §9.2) on a committed base-field polynomial.
void whir_prove(PcsChallenger& ch, const WhirSchedule& s, const Oracle& oracle0, const Source& src,
                std::vector<ProverConstraint> cons, PcsProof<F, E>& proof, ProverRng* salt_rng,
                const PcsCheat& cheat, std::span<const E> weight_override_claim, size_t override_index,
                const RecomputePolicy& recompute) {
  PhaseTimer tm("open");
  const uint32_t m = s.spec.num_vars;
  const LagrangeKernel<E> kernel(kPcsSumcheckDegree);
  const E gamma0 = ch.challenge_ext("pcs.gamma");
  std::vector<E> coef(cons.size());
  E claim = E::zero();
  {
    E g = E::one();
    for (size_t i = 0; i < cons.size(); ++i) {
      coef[i] = g;
      claim += g * cons[i].value;
      g *= gamma0;
    }
  }
  if (!weight_override_claim.empty()) cons[override_index].point.assign(weight_override_claim.begin(), weight_override_claim.end());

  // Round 0 (docs/PROTOCOL.md §9.2): the table c holds the coefficients. For a
  // tensor weight w, sum_b P^(b) w(b) = sum_{b_lo} w_lo(b_lo) G(b_lo) with
  // G = zeta over the low bits of Q(a_lo) = sum_hi c(a_lo, hi) Omega(hi), where
  // Omega_j = (w_j(0) + w_j(1), w_j(1)) is the weight seen by the coefficients.
  const WhirRound& r0 = s.rounds[0];
  const uint32_t k0 = r0.fold_bits;
  const uint32_t hv = m - k0, h1 = hv / 2, h2 = hv - h1;
  const size_t w0 = size_t{1} << k0;
  const size_t nc = cons.size();
  std::vector<std::vector<E>> w_lo(nc), om_mid(nc), om_top(nc), wb_mid(nc), wb_top(nc);
  for (size_t c = 0; c < nc; ++c) {
    std::vector<E> f0(m), f1(m), o0(m);
    for (uint32_t j = 0; j < m; ++j) {
      cons[c].factors(j, &f0[j], &f1[j]);
      o0[j] = f0[j] + f1[j];
    }
    const std::span<const E> a0(f0), a1(f1), c0(o0);
    w_lo[c] = tensor_table(a0.subspan(0, k0), a1.subspan(0, k0), E::one());
    om_mid[c] = tensor_table(c0.subspan(k0, h1), a1.subspan(k0, h1), E::one());
    om_top[c] = tensor_table(c0.subspan(k0 + h1, h2), a1.subspan(k0 + h1, h2), E::one());
    wb_mid[c] = tensor_table(a0.subspan(k0, h1), a1.subspan(k0, h1), E::one());
    wb_top[c] = tensor_table(a0.subspan(k0 + h1, h2), a1.subspan(k0 + h1, h2), E::one());
  }
  const size_t n_hi = size_t{1} << hv;
  const size_t mid_mask = (size_t{1} << h1) - 1;
  const size_t hi_per_block = std::max<size_t>(1, kBlock / w0);
  const size_t n_blocks = (n_hi + hi_per_block - 1) / hi_per_block;
  std::vector<E> g_all(nc * w0, E::zero());
  {
    std::vector<std::vector<E>> partial(parallel_chunk_count(n_blocks, 1));
    parallel_chunks(
        n_blocks,
        [&](size_t b, size_t e, size_t chunk) {
          std::vector<LazyExt> acc(nc * w0);
          std::vector<F> buf(hi_per_block * w0);
          for (size_t blk = b; blk < e; ++blk) {
            const size_t h_begin = blk * hi_per_block, h_end = std::min(n_hi, h_begin + hi_per_block);
            src.fill(h_begin * w0, (h_end - h_begin) * w0, buf.data());
            for (size_t h = h_begin; h < h_end; ++h) {
              const F* row = buf.data() + (h - h_begin) * w0;
              for (size_t c = 0; c < nc; ++c) {
                const E& em = om_mid[c][h & mid_mask];
                const E& et = om_top[c][h >> h1];
                if (em.is_zero() || et.is_zero()) continue;
                const E weight = em * et;
                LazyExt* qa = acc.data() + c * w0;
                for (size_t a = 0; a < w0; ++a) qa[a].mac(weight, row[a]);
              }
            }
          }
          std::vector<E> out(nc * w0);
          for (size_t i = 0; i < out.size(); ++i) out[i] = acc[i].value();
          partial[chunk] = std::move(out);
        },
        1);
    for (const auto& p : partial)
      for (size_t i = 0; i < p.size(); ++i) g_all[i] += p[i];
    for (size_t c = 0; c < nc; ++c) pcs_coeffs_to_evals<E>(std::span<E>(g_all.data() + c * w0, w0));
  }
  // Self-check: the weighted sum is the claim.
  {
    E total = E::zero();
    for (size_t c = 0; c < nc; ++c)
      for (size_t a = 0; a < w0; ++a) total += coef[c] * w_lo[c][a] * g_all[c * w0 + a];
    if (total != claim && !cheat.skip_self_checks)
      throw std::invalid_argument("pcs open: a claimed value is not the committed polynomial's value");
  }
  std::vector<E> r(m);
  {
    size_t len = w0;
    const E two = E::from_u64(2);
    for (uint32_t i = 0; i < k0; ++i) {
      E s0 = E::zero(), s2 = E::zero();
      for (size_t c = 0; c < nc; ++c) {
        const E* e = w_lo[c].data();
        const E* q = g_all.data() + c * w0;
        E a0 = E::zero(), a2 = E::zero();
        for (size_t t = 0; t < len / 2; ++t) {
          a0 += e[2 * t] * q[2 * t];
          a2 += (two * e[2 * t + 1] - e[2 * t]) * (two * q[2 * t + 1] - q[2 * t]);
        }
        s0 += coef[c] * a0;
        s2 += coef[c] * a2;
      }
      E next;
      r[i] = sumcheck_round(ch, kernel, s0, s2, claim, &next, proof.ext);
      claim = next;
      for (size_t c = 0; c < nc; ++c) {
        E* e = w_lo[c].data();
        E* q = g_all.data() + c * w0;
        for (size_t t = 0; t < len / 2; ++t) {
          e[t] = e[2 * t] + r[i] * (e[2 * t + 1] - e[2 * t]);
          q[t] = q[2 * t] + r[i] * (q[2 * t + 1] - q[2 * t]);
        }
      }
      len /= 2;
    }
  }
  tm.lap("round0 sumcheck");
  // P_1's coefficients: c'(hi) = sum_a r^a c(a, hi) (monomial weights); its
  // values (for the next sumcheck) by a zeta transform; W_1 = W_0(r, .).
  std::vector<E> P, W(n_hi);
  std::vector<E> next_coeffs(n_hi);
  {
    std::vector<E> mono(w0);
    mono[0] = E::one();
    for (uint32_t j = 0; j < k0; ++j)
      for (size_t a = 0; a < (size_t{1} << j); ++a) mono[a + (size_t{1} << j)] = mono[a] * r[j];
    std::vector<E> alpha(nc);
    for (size_t c = 0; c < nc; ++c) alpha[c] = coef[c] * w_lo[c][0];
    parallel_chunks(
        n_blocks,
        [&](size_t b, size_t e, size_t) {
          std::vector<F> buf(hi_per_block * w0);
          for (size_t blk = b; blk < e; ++blk) {
            const size_t h_begin = blk * hi_per_block, h_end = std::min(n_hi, h_begin + hi_per_block);
            src.fill(h_begin * w0, (h_end - h_begin) * w0, buf.data());
            for (size_t h = h_begin; h < h_end; ++h) {
              const F* row = buf.data() + (h - h_begin) * w0;
              LazyExt acc;
              for (size_t a = 0; a < w0; ++a) acc.mac(mono[a], row[a]);
              next_coeffs[h] = acc.value();
              E wsum = E::zero();
              for (size_t c = 0; c < nc; ++c) {
                const E& em = wb_mid[c][h & mid_mask];
                const E& et = wb_top[c][h >> h1];
                if (em.is_zero() || et.is_zero()) continue;
                wsum += alpha[c] * em * et;
              }
              W[h] = wsum;
            }
          }
        },
        1);
    P = next_coeffs;
    pcs_kernels::coeffs_to_evals<E>(std::span<E>(P));
  }
  w_lo.clear();
  om_mid.clear();
  om_top.clear();
  wb_mid.clear();
  wb_top.clear();
  tm.lap("round0 fold");
  bool have_next_coeffs = true;

  uint32_t bound = k0;
  const Oracle* cur = &oracle0;
  Oracle next_oracle, held;
  for (uint32_t j = 0; j < s.num_rounds; ++j) {
    const WhirRound& rd = s.rounds[j];
    const bool last = j + 1 == s.num_rounds;
    if (j > 0) {
      // Sumcheck over explicit tables P_j, W_j.
      const E two = E::from_u64(2);
      for (uint32_t i = 0; i < rd.fold_bits; ++i) {
        const size_t half = P.size() / 2;
        std::vector<std::array<E, 2>> part(parallel_chunk_count(half));
        parallel_chunks(half, [&](size_t b, size_t e, size_t chunk) {
          E a0 = E::zero(), a2 = E::zero();
          for (size_t t = b; t < e; ++t) {
            a0 += P[2 * t] * W[2 * t];
            a2 += (two * P[2 * t + 1] - P[2 * t]) * (two * W[2 * t + 1] - W[2 * t]);
          }
          part[chunk] = {a0, a2};
        });
        E s0 = E::zero(), s2 = E::zero();
        for (const auto& p : part) {
          s0 += p[0];
          s2 += p[1];
        }
        E next;
        const E ri = sumcheck_round(ch, kernel, s0, s2, claim, &next, proof.ext);
        r[bound + i] = ri;
        claim = next;
        // Out of place: an in-place parallel fold would race across chunks.
        std::vector<E> P2(half), W2(half);
        parallel_chunks(half, [&](size_t b, size_t e, size_t) {
          for (size_t t = b; t < e; ++t) {
            P2[t] = P[2 * t] + ri * (P[2 * t + 1] - P[2 * t]);
            W2[t] = W[2 * t] + ri * (W[2 * t + 1] - W[2 * t]);
          }
        });
        P = std::move(P2);
        W = std::move(W2);
      }
      bound += rd.fold_bits;
    }
    const std::span<const E> rj(r.data() + bound - rd.fold_bits, rd.fold_bits);
    // Commit P_{j+1} (or send it in full), with its out-of-domain answers.
    tm.lap("sumcheck/fold");
    std::vector<E> ood_points, ood_answers;
    std::vector<E> coeffs;
    if (have_next_coeffs) {
      coeffs = std::move(next_coeffs);
      have_next_coeffs = false;
    } else {
      coeffs = P;
      evals_to_coeffs<E>(std::span<E>(coeffs));
    }
    // P_{j+1}'s coefficients: here, or in next_oracle once a recomputed
    // oracle has taken them (its buffer stays put when the oracle moves).
    std::span<const E> next_poly(coeffs);
    if (!last) {
      const WhirRound& nx = s.rounds[j + 1];
      // The root is read from the fresh oracle before it moves: read through
      // next_oracle, g++ 12 takes its optional tree as maybe uninitialised.
      Oracle fresh = commit_ext(coeffs, nx.log_domain, nx.fold_bits, s.spec.domain_shift, salt_rng, recompute);
      const Digest root = fresh.tree->root();
      next_oracle = std::move(fresh);
      if (next_oracle.recomputed()) next_poly = next_oracle.coeffs;
      proof.digests.push_back(root);
      ch.absorb_digest("pcs.round.root", root);
      for (uint32_t o = 0; o < rd.next_ood; ++o) {
        const E w = ch.challenge_ext("pcs.round.ood");
        ood_points.push_back(w);
        ood_answers.push_back(pcs_univariate_eval<E, E>(next_poly, w));
      }
      proof.ext.insert(proof.ext.end(), ood_answers.begin(), ood_answers.end());
      ch.absorb_ext("pcs.round.ood.ans", ood_answers);
    } else {
      if (cheat.corrupt_final_polynomial) coeffs[0] += E::one();
      proof.ext.insert(proof.ext.end(), coeffs.begin(), coeffs.end());
      ch.absorb_ext("pcs.final", coeffs);
    }
    if (rd.pow_bits > 0) {
      tm.lap("commit next+ood");
      const uint64_t nonce = grind(ch.pow_challenge(), rd.pow_bits);
      proof.nonces.push_back(nonce);
      ch.absorb_u64("pcs.pow.nonce", nonce);
    }
    // Openings in drawn order (leaf and salt per query), siblings for the
    // distinct leaves; constraints for the distinct leaves in increasing order.
    std::vector<uint64_t> drawn(rd.queries);
    ch.challenge_indices("pcs.query", rd.log_rows(), drawn);
    std::vector<uint64_t> idx(drawn);
    idx.resize(merkle_canonicalize_indices(idx));
    const Tree::MultiOpening op = cur->tree->open_many(idx);
    const size_t width = size_t{1} << rd.fold_bits;
    const std::vector<F> base_rows = j == 0 ? oracle_rows<F>(*cur, idx) : std::vector<F>{};
    const std::vector<E> ext_rows = j == 0 ? std::vector<E>{} : oracle_rows<E>(*cur, idx);
    for (const uint64_t leaf : drawn) {
      if (cur->tree->hiding() == MerkleHiding::kSalted) proof.salts.push_back(cur->tree->salt(leaf));
      const size_t at = static_cast<size_t>(std::lower_bound(idx.begin(), idx.end(), leaf) - idx.begin()) * width;
      if (j == 0) {
        proof.base.insert(proof.base.end(), base_rows.begin() + at, base_rows.begin() + at + width);
      } else {
        proof.ext.insert(proof.ext.end(), ext_rows.begin() + at, ext_rows.begin() + at + width);
      }
    }
    proof.digests.insert(proof.digests.end(), op.siblings.begin(), op.siblings.end());
    std::vector<E> folds(idx.size());
    std::vector<E> work(width);
    const F shift_inv = F::from_u64(s.spec.domain_shift).inverse();
    for (size_t i = 0; i < idx.size(); ++i) {
      const F y_inv = pcs_leaf_point_inverse<F>(shift_inv, rd.log_domain, rd.fold_bits, idx[i]);
      folds[i] = j == 0 ? pcs_fold_leaf<F, E, F>(std::span<const F>(base_rows.data() + i * width, width),
                                                 rd.fold_bits, y_inv, rj, work)
                        : pcs_fold_leaf<F, E, E>(std::span<const E>(ext_rows.data() + i * width, width),
                                                 rd.fold_bits, y_inv, rj, work);
    }
    // Self-check (cheap): the first folded leaves agree with P_{j+1}.
    if (!cheat.skip_self_checks && !cheat.corrupt_final_polynomial) {
      for (size_t i = 0; i < std::min<size_t>(2, idx.size()); ++i) {
        const F x = pcs_pow2k(pcs_leaf_point<F>(s.spec.domain_shift, rd.log_domain, rd.fold_bits, idx[i]), rd.fold_bits);
        if (pcs_univariate_eval<E, F>(next_poly, x) != folds[i])
          throw std::logic_error("pcs open: round " + std::to_string(j) + " fold disagrees with the next polynomial");
      }
    }
    if (last) break;
    // New constraints on P_{j+1}: out-of-domain and shift points, combined by gamma.
    const E gamma = ch.challenge_ext("pcs.round.gamma");
    const uint32_t mn = m - bound;
    E gp = gamma;
    for (size_t o = 0; o < ood_points.size(); ++o) {
      const std::vector<E> t = eq_table_scaled(pow_point(ood_points[o], mn), gp);
      for (size_t b = 0; b < W.size(); ++b) W[b] += t[b];
      claim += gp * ood_answers[o];
      gp *= gamma;
    }
    std::vector<F> xs(idx.size());
    std::vector<E> gs(idx.size());
    for (size_t i = 0; i < idx.size(); ++i) {
      xs[i] = pcs_pow2k(pcs_leaf_point<F>(s.spec.domain_shift, rd.log_domain, rd.fold_bits, idx[i]), rd.fold_bits);
      gs[i] = gp;
      claim += gp * folds[i];
      gp *= gamma;
    }
    // W += sum_i g_i eq(pow(x_i), .) (docs/PROTOCOL.md §9.2).
    tm.lap("pow+queries+ood eq");
    pcs_kernels::add_eq_pow_points(std::span<E>(W), mn, xs, gs);
    if (!cheat.skip_self_checks) {  // the running claim is sum_b P(b) W(b)
      E total = E::zero();
      for (size_t b = 0; b < P.size(); ++b) total += P[b] * W[b];
      if (total != claim) throw std::logic_error("pcs open: round " + std::to_string(j) + " weight disagrees with the claim");
    }
    tm.lap("shift eq+check");
    held = std::move(next_oracle);
    cur = &held;
  }
}

}  // namespace

// ---------------------------------------------------------------------------

GlExt3 ReplayChallenger::challenge_ext(std::string_view label) {
  if (ext_pos_ >= ext_.size()) throw std::logic_error("replay: no recorded challenge left for " + std::string(label));
  return ext_[ext_pos_++];
}
void ReplayChallenger::challenge_indices(std::string_view label, unsigned, std::span<uint64_t> out) {
  if (out.size() > indices_.size() - idx_pos_)
    throw std::logic_error("replay: no recorded indices left for " + std::string(label));
  for (auto& x : out) x = indices_[idx_pos_++];
}

struct PcsProver::State {
  PcsLayout layout;
  Digest layout_digest{};
  PcsCommitment<E> com;
  std::vector<std::span<const F>> slots;
  std::array<uint64_t, kPcsMaxSlots> offsets{};
  std::vector<F> masks;  // G
  Oracle main0, helper0;
  RecomputePolicy recompute;  // the codewords recomputed when queried (§9.7)
  std::optional<ProverRng> salt_rng;  // default randomness of openings (salts of their round trees)

  // f^ = stacked slots + sum_w g_w(window bits), block [begin, begin + len).
  void fill_main(uint64_t begin, size_t len, F* out) const {
    std::fill(out, out + len, F::zero());
    const uint64_t end = begin + len;
    for (size_t i = 0; i < slots.size(); ++i) {
      const uint64_t a = std::max<uint64_t>(begin, offsets[i]);
      const uint64_t b = std::min<uint64_t>(end, offsets[i] + slots[i].size());
      if (a < b) std::copy(slots[i].begin() + (a - offsets[i]), slots[i].begin() + (b - offsets[i]), out + (a - begin));
    }
    if (!layout.params.zero_knowledge) return;
    // Window w adds g_w[(x >> start) mod 2^width] at position x: runs of
    // 2^start equal values, or (start 0) runs of consecutive ones, each
    // added by one SIMD kernel.
    for (uint32_t w = 0; w < layout.num_windows; ++w) {
      const PcsWindow& win = layout.windows[w];
      const F* g = masks.data() + win.offset;
      const uint64_t mask = (uint64_t{1} << win.width) - 1;
      for (size_t x = 0; x < len;) {
        const uint64_t pos = begin + x;
        const uint64_t at = (pos >> win.start) & mask;
        if (win.start == 0) {
          const size_t run = static_cast<size_t>(std::min<uint64_t>(len - x, mask + 1 - at));
          gl_add_assign(out + x, g + at, run);
          x += run;
        } else {
          const uint64_t step = uint64_t{1} << win.start;
          const size_t run = static_cast<size_t>(std::min<uint64_t>(len - x, step - (pos & (step - 1))));
          gl_add_scalar(out + x, g[at], run);
          x += run;
        }
      }
    }
  }
  Source main_source() const {
    return Source{layout.main.spec.num_vars, [this](uint64_t b, size_t l, F* o) { fill_main(b, l, o); }};
  }
  Source helper_source() const {
    return Source{layout.helper.spec.num_vars,
                  [this](uint64_t b, size_t l, F* o) { std::copy(masks.begin() + b, masks.begin() + b + l, o); }};
  }
};

PcsProver::PcsProver(std::unique_ptr<State> s) : s_(std::move(s)) {}
PcsProver::PcsProver(PcsProver&&) noexcept = default;
PcsProver& PcsProver::operator=(PcsProver&&) noexcept = default;
PcsProver::~PcsProver() = default;

const PcsCommitment<GlExt3>& PcsProver::commitment() const { return s_->com; }
const PcsLayout& PcsProver::layout() const { return s_->layout; }
const std::vector<Goldilocks>& PcsProver::masks() const { return s_->masks; }
bool PcsProver::recomputes_codewords() const { return s_->recompute.from_log != UINT32_MAX; }

uint32_t PcsProver::stacked_vars(std::span<const uint32_t> slot_vars) {
  uint64_t total = 0;
  for (uint32_t v : slot_vars) {
    if (v > kPcsMaxVars) throw std::invalid_argument("pcs: polynomial too large");
    total += uint64_t{1} << v;
  }
  uint32_t m = 0;
  while ((uint64_t{1} << m) < total) ++m;
  return m == 0 ? 1 : m;
}

namespace {

PcsProver::State* make_state(const PcsLayout& layout, std::span<const std::span<const F>> polys) {
  if (!layout.valid) throw std::invalid_argument("pcs commit: invalid layout");
  if (polys.empty() || polys.size() > kPcsMaxSlots) throw std::invalid_argument("pcs commit: 1 to 64 polynomials");
  auto* st = new PcsProver::State();
  st->layout = layout;
  st->layout_digest = pcs_layout_digest(layout);
  PcsCommitment<E>& com = st->com;
  com.layout_digest = st->layout_digest;
  com.num_vars = layout.main.spec.num_vars;
  com.num_slots = static_cast<uint32_t>(polys.size());
  for (size_t i = 0; i < polys.size(); ++i) {
    if (!is_power_of_two(polys[i].size())) {
      delete st;
      throw std::invalid_argument("pcs commit: a polynomial's length is not a power of two");
    }
    com.slot_vars[i] = static_cast<uint8_t>(log2_exact(polys[i].size()));
  }
  if (!pcs_slot_offsets(com.num_vars, std::span<const uint8_t>(com.slot_vars.data(), com.num_slots), st->offsets)) {
    delete st;
    throw std::invalid_argument("pcs commit: the polynomials do not fit the layout");
  }
  st->slots.assign(polys.begin(), polys.end());
  return st;
}

void finish_commit(PcsProver::State& st, ProverRng& rng, const PcsCheat& cheat, std::span<const E> main_ood_override,
                   std::span<const E> helper_ood_override) {
  const PcsLayout& L = st.layout;
  const bool zk = L.params.zero_knowledge;
  st.main0 = commit_base(L.main, st.main_source(), zk ? &rng : nullptr, cheat.corrupt_half_of_codeword, st.recompute);
  PcsCommitment<E>& com = st.com;
  com.main_root = st.main0.tree->root();
  com.main_ood = L.main.commit_ood;
  if (com.main_ood > kPcsMaxOod) throw std::invalid_argument("pcs commit: too many out-of-domain samples");
  pcs_commit_ood_points<E>(st.layout_digest, com.main_root, false, std::span<E>(com.main_ood_points.data(), com.main_ood));
  for (uint32_t o = 0; o < com.main_ood && o < main_ood_override.size(); ++o) com.main_ood_points[o] = main_ood_override[o];
  const Source ms = st.main_source();
  for (uint32_t o = 0; o < com.main_ood; ++o)
    com.main_ood_answers[o] = evaluate_table_univariate(ms, com.main_ood_points[o]);
  if (cheat.corrupt_ood_answer) com.main_ood_answers[0] += E::one();
  if (zk) {
    st.helper0 = commit_base(L.helper, st.helper_source(), &rng, false, st.recompute);
    com.helper_root = st.helper0.tree->root();
    com.helper_ood = L.helper.commit_ood;
    if (com.helper_ood > kPcsMaxOod) throw std::invalid_argument("pcs commit: too many out-of-domain samples");
    pcs_commit_ood_points<E>(st.layout_digest, com.helper_root, true,
                             std::span<E>(com.helper_ood_points.data(), com.helper_ood));
    for (uint32_t o = 0; o < com.helper_ood && o < helper_ood_override.size(); ++o)
      com.helper_ood_points[o] = helper_ood_override[o];
    const Source hs = st.helper_source();
    for (uint32_t o = 0; o < com.helper_ood; ++o)
      com.helper_ood_answers[o] = evaluate_table_univariate(hs, com.helper_ood_points[o]);
  }
  // Salts for the trees of later rounds come from their own stream.
  std::array<uint8_t, 32> seed{};
  rng.fill(seed.data(), seed.size());
  st.salt_rng.emplace(rng.deterministic() ? ProverRng::from_seed(seed) : ProverRng());
}

}  // namespace

bool pcs_recomputes_codewords(const PcsLayout& layout, PcsMemory memory) {
  if (memory == PcsMemory::kAuto)
    return layout.valid && layout.main.num_rounds > 0 && layout.main.rounds[0].log_domain >= kPcsRecomputeFromLog;
  return memory == PcsMemory::kRecompute;
}

bool pcs_recomputes_codeword(const PcsLayout& layout, PcsMemory memory, uint32_t log_n) {
  return log_n >= pcs_oracle::recompute_policy(layout, memory).from_log;
}

PcsProver PcsProver::commit(const PcsLayout& layout, std::span<const std::span<const F>> polys, ProverRng& rng,
                            const PcsCheat& cheat) {
  return commit(layout, polys, rng, PcsMemory::kAuto, cheat);
}

PcsProver PcsProver::commit(const PcsLayout& layout, std::span<const std::span<const F>> polys, ProverRng& rng,
                            PcsMemory memory, const PcsCheat& cheat) {
  std::unique_ptr<State> st(make_state(layout, polys));
  st->recompute = pcs_oracle::recompute_policy(layout, memory);
  if (layout.params.zero_knowledge) {
    st->masks.resize(size_t{1} << layout.helper.spec.num_vars);
    for (F& x : st->masks) x = rng.field<F>();
  }
  finish_commit(*st, rng, cheat, {}, {});
  return PcsProver(std::move(st));
}

PcsProver PcsProver::commit_with_masks(const PcsLayout& layout, std::span<const std::span<const F>> polys,
                                       ProverRng& rng, std::vector<F> masks, std::span<const E> main_ood_points,
                                       std::span<const E> helper_ood_points) {
  std::unique_ptr<State> st(make_state(layout, polys));
  st->recompute = pcs_oracle::recompute_policy(layout, PcsMemory::kAuto);
  if (layout.params.zero_knowledge && masks.size() != (size_t{1} << layout.helper.spec.num_vars))
    throw std::invalid_argument("pcs commit: mask table of the wrong size");
  st->masks = std::move(masks);
  finish_commit(*st, rng, {}, main_ood_points, helper_ood_points);
  return PcsProver(std::move(st));
}

GlExt3 PcsProver::evaluate(uint32_t slot, std::span<const E> point) const {
  if (slot >= s_->slots.size()) throw std::invalid_argument("pcs evaluate: no such slot");
  const std::span<const F> table = s_->slots[slot];
  if (point.size() >= 64 || table.size() != (size_t{1} << point.size()))
    throw std::invalid_argument("pcs evaluate: point and polynomial differ in size");
  const Source src{static_cast<uint32_t>(point.size()), [table](uint64_t b, size_t l, F* o) {
                     std::copy(table.begin() + b, table.begin() + b + l, o);
                   }};
  return evaluate_table_mle(src, point);
}

PcsProof<Goldilocks, GlExt3> PcsProver::open(Transcript<>& t, std::span<const PcsClaim<E>> claims,
                                             const PcsCheat& cheat) {
  TranscriptChallenger ch(t);
  return open(ch, claims, *s_->salt_rng, cheat);
}

PcsProof<Goldilocks, GlExt3> PcsProver::open(PcsChallenger& ch, std::span<const PcsClaim<E>> claims,
                                             const PcsCheat& cheat) {
  return open(ch, claims, *s_->salt_rng, cheat);
}

PcsProof<Goldilocks, GlExt3> PcsProver::open(Transcript<>& t, std::span<const PcsClaim<E>> claims,
                                             ProverRng& opening_rng, const PcsCheat& cheat) {
  TranscriptChallenger ch(t);
  return open(ch, claims, opening_rng, cheat);
}

PcsProof<Goldilocks, GlExt3> PcsProver::open(PcsChallenger& ch, std::span<const PcsClaim<E>> claims,
                                             ProverRng& opening_rng, const PcsCheat& cheat) {
  State& st = *s_;
  const PcsLayout& L = st.layout;
  const uint32_t m = L.main.spec.num_vars;
  const bool zk = L.params.zero_knowledge;
  if (claims.empty() || claims.size() > L.params.max_claims)
    throw std::invalid_argument("pcs open: between 1 and max_claims claims");
  for (const PcsClaim<E>& c : claims) {
    if (c.slot >= st.com.num_slots || c.point.size() != st.com.slot_vars[c.slot])
      throw std::invalid_argument("pcs open: a claim does not fit the commitment");
    if (!cheat.skip_self_checks && evaluate(c.slot, c.point) != c.value)
      throw std::invalid_argument("pcs open: a claimed value is wrong");
  }
  PcsProof<F, E> proof;
  proof.layout_digest = st.layout_digest;
  ch.absorb_commitment(st.com);
  ch.absorb_claims(claims);
  const size_t nc = claims.size();
  std::vector<std::vector<E>> full(nc);
  for (size_t i = 0; i < nc; ++i) {
    const PcsClaim<E>& c = claims[i];
    const uint32_t mi = st.com.slot_vars[c.slot];
    full[i].assign(c.point.begin(), c.point.end());
    const uint64_t block = st.offsets[c.slot] >> mi;
    for (uint32_t v = mi; v < m; ++v) full[i].push_back(((block >> (v - mi)) & 1) ? E::one() : E::zero());
  }
  const uint32_t nw = zk ? L.num_windows : 0;
  std::vector<E> mu(nc * nw);
  for (size_t i = 0; i < nc; ++i)
    for (uint32_t w = 0; w < nw; ++w) {
      const PcsWindow& win = L.windows[w];
      const std::span<const F> g(st.masks.data() + win.offset, size_t{1} << win.width);
      mu[i * nw + w] = evaluate_multilinear<E, F>(g, std::span<const E>(full[i].data() + win.start, win.width));
    }
  if (zk) {
    // The mask values are absorbed before any challenge of either run (§9.3).
    proof.ext.insert(proof.ext.end(), mu.begin(), mu.end());
    ch.absorb_ext("pcs.mu", mu);
  }
  {
    std::vector<ProverConstraint> cons;
    for (uint32_t o = 0; o < st.com.main_ood; ++o)
      cons.push_back({pow_point(st.com.main_ood_points[o], m), st.com.main_ood_answers[o]});
    for (size_t i = 0; i < nc; ++i) {
      E v = claims[i].value;
      for (uint32_t w = 0; w < nw; ++w) v += mu[i * nw + w];
      cons.push_back({full[i], v, true});
    }
    std::vector<E> override_point;
    if (!cheat.weight_point_for_claim0.empty()) {
      override_point = cheat.weight_point_for_claim0;
      for (size_t v = override_point.size(); v < m; ++v) override_point.push_back(full[0][v]);
    }
    whir_prove(ch, L.main, st.main0, st.main_source(), std::move(cons), proof, zk ? &opening_rng : nullptr, cheat,
               override_point, st.com.main_ood, st.recompute);
  }
  if (zk) {
    const uint32_t mh = L.helper.spec.num_vars;
    std::vector<ProverConstraint> cons;
    for (uint32_t o = 0; o < st.com.helper_ood; ++o)
      cons.push_back({pow_point(st.com.helper_ood_points[o], mh), st.com.helper_ood_answers[o]});
    // G(z_c restricted to W_w, bits of g_w's block) = mu_{c,w} (§9.4).
    for (size_t i = 0; i < nc; ++i)
      for (uint32_t w = 0; w < nw; ++w) {
        const PcsWindow& win = L.windows[w];
        std::vector<E> pt(full[i].begin() + win.start, full[i].begin() + win.start + win.width);
        const uint64_t block = win.offset >> win.width;
        for (uint32_t v = win.width; v < mh; ++v) pt.push_back(((block >> (v - win.width)) & 1) ? E::one() : E::zero());
        cons.push_back({std::move(pt), mu[i * nw + w], true});
      }
    PcsCheat helper_cheat = cheat;
    helper_cheat.corrupt_final_polynomial = false;
    whir_prove(ch, L.helper, st.helper0, st.helper_source(), std::move(cons), proof, &opening_rng, helper_cheat, {},
               0, st.recompute);
  }
  return proof;
}

}  // namespace zkpot
