// The claim-batching sumcheck of docs/PROTOCOL.md §6 for one committed
// base-field table P, in bounded memory: Σ_x P(x)·W(x) with
// W = Σ_i scale_i · eq(point_i, ·) on the block of 2^|point_i| entries at
// offset_i. Rounds 0 and 1 are computed from P itself and each block's eq
// table, so neither P lifted to K nor W at full size is ever built; only the
// tables folded twice (2^(m-2) values of K each) are kept, and later rounds
// fold them in place. For a 2^28 stack that is 3 GiB where lifting both
// tables took 12 GiB before the first fold. A block of two or more variables
// needs only the eq table over its coordinates 2.. (a quarter of its size):
// both first rounds come from four sums of P against it (one pass over P in
// the base field), and it is the block's part of the folded W. It is built
// twice (for the sums, and again for W) rather than kept, since the blocks of
// a segment's claims can add up to several times the table. The messages,
// challenges and final value are those of the generic prover
// (prover/sumcheck_prover.h) run on (P in K, W): the transcript is the same
// byte for byte.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <vector>

#include "common/multilinear.h"
#include "common/sumcheck.h"
#include "common/transcript.h"
#include "prover/parallel.h"
#include "prover/sumcheck_arith.h"

namespace zkpot {

template <class E>
struct EqWeightBlock {
  std::span<const E> point;  // the block's free coordinates
  uint64_t offset = 0;       // a multiple of 2^point.size()
  E scale{};
};

template <class E>
struct BatchingSumcheckOutput {
  std::vector<E> round_messages;  // g_j(0), g_j(2) for each round j (§3)
  std::vector<E> point;           // s
  E table_value{};                // P(s)
};

namespace batching_detail {

inline constexpr size_t kMinChunk = size_t{1} << 14;

template <class E>
struct RoundSums {
  E g0 = E::zero(), g1 = E::zero(), g2 = E::zero();
  RoundSums& operator+=(const RoundSums& o) {
    g0 += o.g0;
    g1 += o.g1;
    g2 += o.g2;
    return *this;
  }
};

// Sums over pairs y in [0, n) of f(y), one partial per chunk, added in chunk order.
template <class E, class Body>
RoundSums<E> sum_pairs(size_t n, Body&& body) {
  std::vector<RoundSums<E>> part(parallel_chunk_count(n, kMinChunk));
  parallel_chunks(
      n, [&](size_t b, size_t e, size_t c) { part[c] = body(b, e); }, kMinChunk);
  RoundSums<E> s;
  for (const auto& p : part) s += p;
  return s;
}

// v[y] = v[2y] + r (v[2y+1] - v[2y]) for y < n/2, in place: each chunk writes
// its results at the start of its own input range, then the chunks are moved
// down in order (a destination never overlaps a later chunk's input).
template <class E>
void fold_in_place(std::vector<E>& v, const E& r) {
  const size_t half = v.size() / 2;
  std::vector<std::pair<size_t, size_t>> ranges(parallel_chunk_count(half, kMinChunk));
  parallel_chunks(
      half,
      [&](size_t b, size_t e, size_t c) {
        ranges[c] = {b, e};
        for (size_t y = b; y < e; ++y) {
          const E a0 = v[2 * y], a1 = v[2 * y + 1];
          v[b + y] = a0 + r * (a1 - a0);
        }
      },
      kMinChunk);
  for (const auto& [b, e] : ranges)
    if (b > 0 && e > b) std::memmove(static_cast<void*>(&v[b]), static_cast<const void*>(&v[2 * b]), (e - b) * sizeof(E));
  v.resize(half);
}

// For a block of at least two variables (a = point): with c = eq(a_{2..}, .),
// S_x = Σ_y c_y P(offset + 4y + x) for x = 0..3. Writing W's pairs through c,
// round 0's sums are
//   g(0) = (1 - a_0)((1 - a_1) S_0 + a_1 S_2),  g(1) = a_0((1 - a_1) S_1 + a_1 S_3),
//   g(2) = (3a_0 - 1)((1 - a_1)(2S_1 - S_0) + a_1(2S_3 - S_2)),
// and round 1's, with T_0 = S_0 + r_0(S_1 - S_0), T_1 = S_2 + r_0(S_3 - S_2),
//   g(0) = (1 - a_1) T_0,  g(1) = a_1 T_1,  g(2) = (3a_1 - 1)(2T_1 - T_0),
// each times the block's scale at that round; c is also the block's W after
// both rounds (before its scale).
template <class E>
struct QuadSums {
  E s[4];
};

template <class F, class E>
QuadSums<E> quad_sums(const F* table, std::span<const E> point, uint64_t offset) {
  const std::vector<E> c = eq_table<E>(point.subspan(2));
  const F* base = table + offset;
  using Sum = sumcheck_arith::ProductSum<E, F>;
  std::vector<std::array<Sum, 4>> part(parallel_chunk_count(c.size(), kMinChunk));
  parallel_chunks(
      c.size(),
      [&](size_t b, size_t e, size_t ch) {
        std::array<Sum, 4> acc{};
        for (size_t y = b; y < e; ++y)
          for (unsigned x = 0; x < 4; ++x) acc[x].add(c[y], base[4 * y + x]);
        part[ch] = acc;
      },
      kMinChunk);
  QuadSums<E> q;
  for (unsigned x = 0; x < 4; ++x) {
    q.s[x] = E::zero();
    for (const auto& pc : part) q.s[x] += pc[x].result();
  }
  return q;
}

template <class E>
RoundSums<E> quad_round0(const E s[4], const E& a0, const E& a1) {
  const E one = E::one(), b1 = one - a1;
  RoundSums<E> r;
  r.g0 = (one - a0) * (b1 * s[0] + a1 * s[2]);
  r.g1 = a0 * (b1 * s[1] + a1 * s[3]);
  r.g2 = (a0 + a0 + a0 - one) * (b1 * (s[1] + s[1] - s[0]) + a1 * (s[3] + s[3] - s[2]));
  return r;
}

template <class E>
RoundSums<E> quad_round1(const E s[4], const E& r0, const E& a1) {
  const E one = E::one();
  const E t0 = s[0] + r0 * (s[1] - s[0]), t1 = s[2] + r0 * (s[3] - s[2]);
  RoundSums<E> r;
  r.g0 = (one - a1) * t0;
  r.g1 = a1 * t1;
  r.g2 = (a1 + a1 + a1 - one) * (t1 + t1 - t0);
  return r;
}

// A block's weight at the current level: scale * eq(point, .) on the 2^|point|
// entries at offset.
template <class E>
struct Level {
  E scale;
  std::span<const E> point;
  uint64_t offset;
};

// Binds the lowest variable to r: a block folds its first coordinate (or, when
// it is a single entry, the bit of its offset) into its scale, eq(a, r).
template <class E>
void advance(Level<E>& b, const E& r) {
  const E a = b.point.empty() ? ((b.offset & 1) ? E::one() : E::zero()) : b.point[0];
  b.scale *= (E::one() - a) * (E::one() - r) + a * r;
  if (!b.point.empty()) b.point = b.point.subspan(1);
  b.offset >>= 1;
}

}  // namespace batching_detail

// Proves Σ_x P(x)·W(x) = claimed. With stated_sum, claimed = *stated_sum and a
// sum that is not the table's throws std::invalid_argument before anything is
// absorbed; without it (a test's cheating prover) claimed is the true sum.
template <class F, class E, class H>
BatchingSumcheckOutput<E> prove_batching_sumcheck(Transcript<H>& t, std::span<const F> table,
                                                  std::span<const EqWeightBlock<E>> blocks, const E* stated_sum) {
  using batching_detail::RoundSums;
  uint32_t m = 0;
  while ((size_t{1} << m) < table.size()) ++m;
  if (table.size() != (size_t{1} << m) || m == 0 || m > kMaxSumcheckVariables)
    throw std::invalid_argument("batching sumcheck: the table is not 2^m long with 1 <= m <= 40");
  for (const auto& b : blocks) {
    if (b.point.size() > m) throw std::invalid_argument("batching sumcheck: a weight block lies outside the table");
    const uint64_t len = uint64_t{1} << b.point.size();
    if (b.offset % len != 0 || b.offset > table.size() - len)
      throw std::invalid_argument("batching sumcheck: a weight block lies outside the table");
  }

  // Rounds 0 and 1 are computed block by block: W at level j is, on each
  // block, scale * eq(point, .) at offset (a block of one entry when point is
  // empty), and P at level 1 is folded from the base table as it is read.
  // A single weight w at x adds w P(x) to g(0) or g(1) and (2P(2y+1) - P(2y))
  // times -w (x = 2y) or 2w (x = 2y+1) to g(2).
  std::vector<batching_detail::Level<E>> level;
  level.reserve(blocks.size());
  for (const auto& b : blocks) level.push_back({b.scale, b.point, b.offset});
  // Blocks of two or more variables: their four sums, once.
  auto is_quad = [&](size_t i) { return blocks[i].point.size() >= 2; };
  std::vector<batching_detail::QuadSums<E>> quad(blocks.size());
  for (size_t i = 0; i < blocks.size(); ++i)
    if (is_quad(i)) quad[i] = batching_detail::quad_sums<F, E>(table.data(), blocks[i].point, blocks[i].offset);
  // round: 0 or 1 (the quad blocks' closed forms); pj: P at that level.
  auto block_sums = [&](unsigned round, const E& r0, auto&& pj) {
    RoundSums<E> total;
    for (size_t i = 0; i < level.size(); ++i) {
      const auto& b = level[i];
      RoundSums<E> s;
      if (is_quad(i)) {
        s = round == 0 ? batching_detail::quad_round0(quad[i].s, b.point[0], b.point[1])
                       : batching_detail::quad_round1(quad[i].s, r0, b.point[0]);
      } else if (b.point.empty()) {
        const uint64_t x = b.offset, y = x >> 1;
        const auto p0 = pj(2 * y), p1 = pj(2 * y + 1);
        const auto d = p1 + p1 - p0;
        if ((x & 1) == 0) {
          s.g0 = E::one() * p0;
          s.g2 = E::zero() - E::one() * d;
        } else {
          s.g1 = E::one() * p1;
          s.g2 = (E::one() + E::one()) * d;
        }
      } else {
        const std::vector<E> e = eq_table<E>(b.point);
        s = batching_detail::sum_pairs<E>(e.size() / 2, [&](size_t lo, size_t hi) {
          RoundSums<E> r;
          for (size_t k = lo; k < hi; ++k) {
            const auto p0 = pj(b.offset + 2 * k), p1 = pj(b.offset + 2 * k + 1);
            const E w0 = e[2 * k], w1 = e[2 * k + 1];
            r.g0 += w0 * p0;
            r.g1 += w1 * p1;
            r.g2 += (w1 + w1 - w0) * (p1 + p1 - p0);
          }
          return r;
        });
      }
      total.g0 += b.scale * s.g0;
      total.g1 += b.scale * s.g1;
      total.g2 += b.scale * s.g2;
    }
    return total;
  };
  const F* base = table.data();
  const RoundSums<E> s0 = block_sums(0, E::zero(), [base](uint64_t x) { return base[x]; });
  const E true_sum = s0.g0 + s0.g1;
  if (stated_sum != nullptr && *stated_sum != true_sum)
    throw std::invalid_argument("batching sumcheck: the stated sum is not the sum of the tables");
  const E claimed = stated_sum != nullptr ? *stated_sum : true_sum;

  BatchingSumcheckOutput<E> out;
  out.point.resize(m);
  out.round_messages.reserve(size_t{2} * m);
  const LagrangeKernel<E> kernel(2);
  E rho, claim;
  sumcheck_begin(t, SumcheckShape{m, 2}, claimed, static_cast<const SumcheckMaskMessages<E>*>(nullptr), &rho,
                 &claim);
  auto round = [&](uint32_t j, const RoundSums<E>& s) {
    const E msg[2] = {s.g0, s.g2};
    out.round_messages.insert(out.round_messages.end(), msg, msg + 2);
    E next;
    if (sumcheck_round(t, kernel, std::span<const E>(msg, 2), claim, &out.point[j], &next) != SumcheckStatus::kOk)
      throw std::logic_error("batching sumcheck: round message has the wrong length");
    claim = next;
    return out.point[j];
  };
  const E r0 = round(0, s0);
  for (auto& b : level) batching_detail::advance(b, r0);
  auto p1 = [base, r0](uint64_t y) { return E::one() * base[2 * y] + r0 * (base[2 * y + 1] - base[2 * y]); };
  uint32_t materialised = 1;
  E r1 = E::zero();
  if (m >= 2) {
    r1 = round(1, block_sums(1, r0, p1));
    for (auto& b : level) batching_detail::advance(b, r1);
    materialised = 2;
  }

  // The tables at level `materialised` (2^(m-2) values of K each, or one).
  const size_t len = table.size() >> materialised;
  std::vector<E> pv(len), wv(len, E::zero());
  parallel_chunks(
      len,
      [&](size_t lo, size_t hi, size_t) {
        for (size_t y = lo; y < hi; ++y) {
          if (materialised == 1) {
            pv[y] = p1(y);
          } else {
            const E a = p1(2 * y), c = p1(2 * y + 1);
            pv[y] = a + r1 * (c - a);
          }
        }
      },
      batching_detail::kMinChunk);
  for (const auto& b : level) {
    if (b.point.empty()) {
      wv[b.offset] += b.scale;
      continue;
    }
    const std::vector<E> e = eq_table<E>(b.point);
    E* w = wv.data() + b.offset;
    parallel_chunks(
        e.size(),
        [&](size_t lo, size_t hi, size_t) {
          for (size_t k = lo; k < hi; ++k) w[k] += b.scale * e[k];
        },
        batching_detail::kMinChunk);
  }

  for (uint32_t j = materialised; j < m; ++j) {
    const RoundSums<E> s = batching_detail::sum_pairs<E>(pv.size() / 2, [&](size_t lo, size_t hi) {
      RoundSums<E> r;
      for (size_t y = lo; y < hi; ++y) {
        const E a0 = pv[2 * y], a1 = pv[2 * y + 1], b0 = wv[2 * y], b1 = wv[2 * y + 1];
        r.g0 += a0 * b0;
        r.g2 += (a1 + a1 - a0) * (b1 + b1 - b0);
      }
      return r;
    });
    const E r = round(j, s);
    batching_detail::fold_in_place(pv, r);
    batching_detail::fold_in_place(wv, r);
  }
  // The final claim is P(s) W(s) exactly when the claimed sum was the tables' sum.
  if (claim != pv[0] * wv[0]) throw std::logic_error("batching sumcheck: the final claim is not P(s) W(s)");
  out.table_value = pv[0];
  return out;
}

}  // namespace zkpot
