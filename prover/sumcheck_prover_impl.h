// Template definitions of prover/sumcheck_prover.h (docs/PROTOCOL.md §3, §4).
// Included from that header only.
#pragma once

#include <array>
#include <utility>

namespace zkpot {

template <class F, class E>
template <unsigned NP, class T, class FillBlock>
void SumcheckProver<F, E>::evaluate_round(size_t num_pairs, size_t num_factors, const SumOfProducts<F, E>& poly,
                                          const FillBlock& fill_block, const E* eq_lo, const E* eq_hi,
                                          unsigned lo_bits, std::vector<E>* totals) {
  const std::span<const ProductTerm<E>> terms(poly.terms);
  const size_t nt = terms.size() * NP;
  totals->assign(nt, E::zero());
  if (eq_hi == nullptr) {
    const size_t chunks = parallel_chunk_count(num_pairs);
    std::vector<E> acc(chunks * nt, E::zero());
    parallel_chunks(num_pairs, [&](size_t b, size_t e, size_t c) {
      sumcheck_detail::accumulate_unweighted<NP, T, E>(b, e, num_factors, terms, fill_block, acc.data() + c * nt);
    });
    for (size_t c = 0; c < chunks; ++c)
      for (size_t q = 0; q < nt; ++q) (*totals)[q] += acc[c * nt + q];
  } else {
    const E one = E::one();
    if (lo_bits == 0) eq_lo = &one;
    const size_t blocks = num_pairs >> lo_bits;
    const size_t min_chunk = std::max<size_t>(1, size_t{4096} >> lo_bits);
    const size_t chunks = parallel_chunk_count(blocks, min_chunk);
    std::vector<E> acc(chunks * nt, E::zero());
    parallel_chunks(
        blocks,
        [&](size_t b, size_t e, size_t c) {
          sumcheck_detail::accumulate_weighted<NP, T, E>(b, e, lo_bits, eq_lo, eq_hi, num_factors, terms,
                                                         fill_block, acc.data() + c * nt);
        },
        min_chunk);
    for (size_t c = 0; c < chunks; ++c)
      for (size_t q = 0; q < nt; ++q) (*totals)[q] += acc[c * nt + q];
  }
}

template <class F, class E>
template <class H>
SumcheckProverOutput<E> SumcheckProver<F, E>::prove(Transcript<H>& transcript, const SumOfProducts<F, E>& poly,
                                                    const E& claimed_sum, const LibraMask<E>* mask) {
  poly.validate();
  const SumcheckShape shape = poly.shape();
  const uint32_t n = shape.num_vars, d = shape.degree;
  if (mask != nullptr &&
      (mask->num_vars != n || mask->degree != d || mask->coeffs.size() != size_t{n} * (d + 1)))
    throw std::invalid_argument("sumcheck: the mask does not have the statement's shape");
  const size_t num_factors = poly.tables.size();
  const bool weighted = !poly.eq_point.empty();
  const uint32_t inner_degree = weighted ? d - 1 : d;  // degree of the product part in X_j

  std::optional<SumcheckMaskMessages<E>> mask_msgs;
  if (mask != nullptr) mask_msgs = SumcheckMaskMessages<E>{mask->handle, mask->sum(), E::zero()};
  E rho, masked_claim;
  sumcheck_begin(transcript, shape, claimed_sum, mask_msgs ? &*mask_msgs : nullptr, &rho, &masked_claim);
  E claim = claimed_sum;  // the unmasked part of the running claim

  // Mask bookkeeping: pair_sum_suffix[i] = sum_{i' >= i} (g_i'(0) + g_i'(1));
  // mask_bound = sum_{i < j} g_i(r_i).
  std::vector<E> pair_sum_suffix(n + 1, E::zero());
  if (mask != nullptr)
    for (uint32_t i = n; i-- > 0;)
      pair_sum_suffix[i] = pair_sum_suffix[i + 1] + mask->g(i, E::zero()) + mask->g(i, E::one());
  E mask_bound = E::zero();

  // eq(z_{>j}, .) split at variable `split`: low tables for z_{j+1..split-1},
  // high tables for z_{s..n-1}, s >= split; about 2^(n/2 + 1) entries in all.
  const uint32_t split = (n + 1) / 2;
  std::vector<std::vector<E>> eq_low, eq_high;
  if (weighted) {
    const std::span<const E> z(poly.eq_point);
    for (uint32_t j = 0; j + 1 < split; ++j) eq_low.push_back(eq_table<E>(z.subspan(j + 1, split - 1 - j)));
    for (uint32_t s = split; s <= n; ++s) eq_high.push_back(eq_table<E>(z.subspan(s, n - s)));
  }
  E alpha = E::one();  // prod_{i<j} eq(z_i, r_i)
  // Rounds 0-2 from one pass over the base tables (sumcheck_round_kernel.h).
  const bool fused = kGridRound1 && !weighted && n >= 3 && d <= kMaxFusedDegree;

  if (odd_.size() < num_factors) odd_.resize(num_factors);
  if (even_.size() < num_factors) even_.resize(num_factors);
  std::vector<const F*> base(num_factors);
  for (size_t k = 0; k < num_factors; ++k) base[k] = poly.tables[k].data();
  std::vector<E*> cur(num_factors), prev(num_factors);

  const LagrangeKernel<E> kernel(d);
  const LagrangeKernel<E> inner_kernel(inner_degree);
  SumcheckProverOutput<E> out;
  out.point.resize(n);
  out.proof.round_messages.reserve(size_t{n} * d);
  std::vector<E> values, totals, grid_totals;
  std::array<E, kMaxSumcheckDegree + 2> h{}, q{};
  std::vector<E> message(d);

  for (uint32_t j = 0; j < n; ++j) {
    const size_t num_pairs = size_t{1} << (n - 1 - j);
    const E zj = weighted ? poly.eq_point[j] : E::zero();
    // q_j(1) follows from the claim unless alpha or z_j vanishes (probability ~ n/|E|).
    const bool skip1 = !weighted || (!alpha.is_zero() && !zj.is_zero());
    const unsigned np = skip1 ? inner_degree : inner_degree + 1;
    const unsigned lo_bits = (weighted && j + 1 < split) ? split - 1 - j : 0;
    const E* eq_lo = (weighted && j + 1 < split) ? eq_low[j].data() : nullptr;
    const E* eq_hi = weighted ? eq_high[std::max(split, j + 1) - split].data() : nullptr;

    // values[p]: the product part sum_t c_t totals[t][p] at the round's NP points.
    auto combine = [&](unsigned np_count) {
      values.assign(np_count, E::zero());
      for (size_t t = 0; t < poly.terms.size(); ++t)
        for (unsigned p = 0; p < np_count; ++p) values[p] += poly.terms[t].coeff * totals[t * np_count + p];
    };
    auto run = [&]<unsigned NP, bool S>() {
      if constexpr (kGridRound1 && S && NP <= kMaxFusedDegree) {
        if (fused && j <= 2) {
          constexpr unsigned G = NP + 1;
          using L = sumcheck_detail::FusedGridLayout<NP, G>;
          const size_t nterms = poly.terms.size();
          if (j == 0) {  // the one pass over the base tables for rounds 0, 1 and 2
            auto fill = [&](size_t i0, size_t nb, F* v) {
              sumcheck_detail::load_fused_grid_block<NP, G>(base.data(), num_factors, i0, nb, v);
            };
            evaluate_round<L::kPoints, F>(num_pairs / 4, num_factors, poly, fill, nullptr, nullptr, 0,
                                          &grid_totals);
          }
          const E* g = grid_totals.data();
          std::array<E, kMaxSumcheckDegree + 2> column{}, row{};
          totals.assign(nterms * NP, E::zero());
          for (size_t t = 0; t < nterms; ++t) {
            const unsigned m = poly.terms[t].num_factors;  // the term's degree in each grid variable
            const E* gt = g + t * L::kPoints;
            for (unsigned p = 0; p < NP; ++p) {
              E& total = totals[t * NP + p];
              if (j == 0) {
                for (unsigned q = 0; q < 4; ++q) total += gt[q * NP + p];
              } else if (j == 1) {  // sum the two quads, interpolate x_0 at r_0
                for (unsigned x = 0; x < G; ++x)
                  column[x] = gt[L::kRound0 + x * NP + p] + gt[L::kRound0 + (G + x) * NP + p];
                total = sumcheck_detail::interpolate_with_infinity(column.data(), m, G, out.point[0]);
              } else {  // interpolate x_0 at r_0, then x_1 at r_1
                for (unsigned t1 = 0; t1 < G; ++t1) {
                  for (unsigned t0 = 0; t0 < G; ++t0)
                    column[t0] = gt[L::kRound0 + L::kRound1 + (t1 * G + t0) * NP + p];
                  row[t1] = sumcheck_detail::interpolate_with_infinity(column.data(), m, G, out.point[0]);
                }
                total = sumcheck_detail::interpolate_with_infinity(row.data(), m, G, out.point[1]);
              }
            }
          }
          combine(NP);
          return;
        }
      }
      if (j == 0) {
        const sumcheck_detail::DirectPairs<F> pairs{base.data()};
        auto fill = [&](size_t i0, size_t nb, F* v) {
          sumcheck_detail::load_block<NP, S>(pairs, num_factors, i0, nb, v);
        };
        evaluate_round<NP, F>(num_pairs, num_factors, poly, fill, eq_lo, eq_hi, lo_bits, &totals);
        combine(NP);
        return;
      }
      if constexpr (kGridRound1) {
        if (j == 1) {
          // Values at (x_0 = t, point p) for t = 0..G-1, then interpolated at r_0.
          constexpr unsigned G = S ? NP + 1 : NP;
          auto fill = [&](size_t i0, size_t nb, F* v) {
            sumcheck_detail::load_grid_block<NP, S, G>(base.data(), num_factors, i0, nb, v);
          };
          evaluate_round<G * NP, F>(num_pairs, num_factors, poly, fill, eq_lo, eq_hi, lo_bits, &grid_totals);
          const LagrangeKernel<E> in_t(G - 1);
          std::array<E, kMaxSumcheckDegree + 2> column{};
          totals.assign(poly.terms.size() * NP, E::zero());
          for (size_t t = 0; t < poly.terms.size(); ++t)
            for (unsigned p = 0; p < NP; ++p) {
              for (unsigned x = 0; x < G; ++x) column[x] = grid_totals[(t * G + x) * NP + p];
              totals[t * NP + p] = in_t.evaluate(column.data(), out.point[0]);
            }
          combine(NP);
          return;
        }
      }
      // Level j tables (2 * num_pairs entries) are bound from the previous level.
      for (size_t k = 0; k < num_factors; ++k) cur[k] = (j % 2 ? odd_ : even_)[k].reserve(2 * num_pairs);
      auto evaluate_from = [&](const auto& pairs) {
        using T = typename std::remove_cvref_t<decltype(pairs)>::Value;
        auto fill = [&](size_t i0, size_t nb, T* v) {
          sumcheck_detail::load_block<NP, S>(pairs, num_factors, i0, nb, v);
        };
        evaluate_round<NP, T>(num_pairs, num_factors, poly, fill, eq_lo, eq_hi, lo_bits, &totals);
        combine(NP);
      };
      const sumcheck_arith::FixedMultiplier<E> r(out.point[j - 1]);
      if (j == 1) {
        evaluate_from(sumcheck_detail::FoldingPairs<F, E>{base.data(), cur.data(), r});
      } else if (kGridRound1 && j == 2) {
        const sumcheck_arith::FixedWeights<E, 2> w(out.point.data());
        evaluate_from(sumcheck_detail::MultiVariableFoldingPairs<F, E, 2>{base.data(), cur.data(), w});
      } else if (fused && j == 3) {
        const sumcheck_arith::FixedWeights<E, 3> w(out.point.data());
        evaluate_from(sumcheck_detail::MultiVariableFoldingPairs<F, E, 3>{base.data(), cur.data(), w});
      } else {
        evaluate_from(sumcheck_detail::FoldingPairs<E, E>{prev.data(), cur.data(), r});
      }
    };
    if (skip1)
      sumcheck_detail::dispatch_points<true>(np, run);
    else
      sumcheck_detail::dispatch_points<false>(np, run);
    // prev now holds level j, where this round wrote it.
    if (j >= 1 && !(kGridRound1 && j == 1) && !(fused && j <= 2)) std::swap(cur, prev);

    // The product part at X = 0..inner_degree.
    if (skip1) {
      q[0] = values[0];
      for (unsigned x = 2; x <= inner_degree; ++x) q[x] = values[x - 1];
      if (weighted)  // claim = alpha ((1 - z_j) q(0) + z_j q(1))
        q[1] = (claim * alpha.inverse() - (E::one() - zj) * q[0]) * zj.inverse();
      else
        q[1] = claim - q[0];
    } else {
      for (unsigned x = 0; x <= inner_degree; ++x) q[x] = values[x];
    }
    // The round polynomial h_j at X = 0..d.
    if (weighted) {
      q[d] = inner_kernel.evaluate(q.data(), E::from_u64(d));
      for (unsigned x = 0; x <= d; ++x) {
        const E X = E::from_u64(x);
        const E eqz = E::one() - zj - X + (zj + zj) * X;
        h[x] = alpha * eqz * q[x];
      }
    } else {
      for (unsigned x = 0; x <= d; ++x) h[x] = q[x];
    }

    // Message: h_j + rho m_j at X = 0, 2, ..., d (docs/PROTOCOL.md §3, §4).
    for (unsigned x = 0; x <= d; ++x) {
      if (x == 1) continue;
      E v = h[x];
      if (mask != nullptr) {
        // m_j(X) = 2^(n-1-j) (mask_bound + g_j(X)) + 2^(n-2-j) sum_{i>j} (g_i(0) + g_i(1)).
        E m = E::from_u64(uint64_t{1} << (n - 1 - j)) * (mask_bound + mask->g(j, E::from_u64(x)));
        if (j + 1 < n) m += E::from_u64(uint64_t{1} << (n - 2 - j)) * pair_sum_suffix[j + 1];
        v += rho * m;
      }
      message[x == 0 ? 0 : x - 1] = v;
    }
    E r, next_masked;
    if (sumcheck_round(transcript, kernel, std::span<const E>(message), masked_claim, &r, &next_masked) !=
        SumcheckStatus::kOk)
      throw std::logic_error("sumcheck: round message has the wrong length");
    out.proof.round_messages.insert(out.proof.round_messages.end(), message.begin(), message.end());
    out.point[j] = r;
    masked_claim = next_masked;
    claim = kernel.evaluate(h.data(), r);
    if (mask != nullptr) mask_bound += mask->g(j, r);
    if (weighted) alpha *= (E::one() - zj) * (E::one() - r) + zj * r;
  }

  // P_k(r): fold the last level (two entries) with r_{n-1}.
  const E r_last = out.point[n - 1];
  out.factor_evaluations.resize(num_factors);
  for (size_t k = 0; k < num_factors; ++k) {
    if (n == 1)
      out.factor_evaluations[k] = E(base[k][0]) + r_last * (base[k][1] - base[k][0]);
    else if (kGridRound1 && n == 2)  // level 1 was never materialised
      out.factor_evaluations[k] = sumcheck_arith::FixedWeights<E, 2>(out.point.data()).fold(base[k]);
    else if (fused && n == 3)  // neither were levels 1 and 2
      out.factor_evaluations[k] = sumcheck_arith::FixedWeights<E, 3>(out.point.data()).fold(base[k]);
    else
      out.factor_evaluations[k] = prev[k][0] + r_last * (prev[k][1] - prev[k][0]);
  }

  if (mask_msgs) {
    mask_msgs->evaluation = mask_bound;
    PendingClaim<E> mc;
    if (!PendingClaim<E>::make_libra_mask(mask->handle, std::span<const E>(out.point), d, mask_bound, &mc))
      throw std::logic_error("sumcheck: too many variables for a claim");
    out.mask_claim = mc;
  }
  const E unmasked = sumcheck_finish(transcript, mask_msgs ? &*mask_msgs : nullptr, rho, masked_claim);

  // The claim must end at the summand's value; otherwise claimed_sum was wrong.
  E expected;
  if (evaluate_terms<E>(std::span<const ProductTerm<E>>(poly.terms), std::span<const E>(out.factor_evaluations),
                        &expected) != SumcheckStatus::kOk)
    throw std::logic_error("sumcheck: bad terms");
  if (weighted) expected *= alpha;
  if (unmasked != expected || claim != expected)
    throw std::invalid_argument("sumcheck: the claimed sum is not the sum of the polynomial");
  out.final_claim = expected;
  out.proof.mask = mask_msgs;
  return out;
}

}  // namespace zkpot
