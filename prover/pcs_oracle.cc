// The codewords of the commitment prover's rounds (prover/pcs_oracle.h).
#include "prover/pcs_oracle.h"

#include <stdexcept>

#include "common/multilinear.h"
#include "common/ntt.h"
#include "prover/ntt_parallel.h"
#include "prover/pcs_kernels.h"
#include "prover/parallel.h"

namespace zkpot::pcs_oracle {

namespace {

// See pcs_kernels::codeword_chunk.
void codeword_chunk(const Source& src, uint32_t log_n, uint32_t log_l, uint64_t shift, size_t q, std::span<F> out) {
  pcs_kernels::codeword_chunk(src.fill, src.num_vars, log_n, log_l, shift, q, out);
}

}  // namespace

// kRecompute: every codeword, in chunks of half its message (at least a
// leaf); kAuto, for a large commitment: the codewords of
// 2^kPcsRecomputeRoundFromLog symbols and more, in chunks of at least 2^18
// (docs/PROTOCOL.md §9.7).
RecomputePolicy recompute_policy(const PcsLayout& layout, PcsMemory memory) {
  RecomputePolicy p;
  if (!pcs_recomputes_codewords(layout, memory)) return p;
  if (memory == PcsMemory::kRecompute) {
    p.from_log = 0;
    p.min_chunk_log = 0;
  } else {
    p.from_log = kPcsRecomputeRoundFromLog;
    p.min_chunk_log = 18;
  }
  return p;
}

// Chunk q of a round-0 oracle (the corrupt_half cheat applied to it as to the
// whole codeword: symbol 0 of every even leaf changed).
void base_chunk(const Oracle& o, uint32_t log_l, size_t q, std::span<F> out) {
  codeword_chunk(o.src, o.log_n, log_l, o.shift, q, out);
  if (o.corrupt_half) {
    const size_t width = size_t{1} << o.k, first_leaf = (q << log_l) >> o.k;
    for (size_t leaf = first_leaf % 2; leaf < out.size() / width; leaf += 2) out[leaf * width] += F::one();
  }
}

// Chunk q of a K-valued oracle: one base-field chunk per coordinate.
void ext_chunk(const Oracle& o, uint32_t log_l, size_t q, std::span<E> out, std::vector<F>& scratch) {
  scratch.resize(out.size());
  for (unsigned d = 0; d < 3; ++d) {
    const Source coord{log2_exact(o.coeffs.size()), [&](uint64_t b, size_t l, F* dst) {
                         for (size_t i = 0; i < l; ++i) dst[i] = o.coeffs[b + i].coeff(d);
                       }};
    codeword_chunk(coord, o.log_n, log_l, o.shift, q, std::span<F>(scratch));
    parallel_chunks(out.size(), [&](size_t b, size_t e, size_t) {
      for (size_t i = b; i < e; ++i) out[i].coeff(d) = scratch[i];
    });
  }
}

// Commits a base-field round-0 polynomial whose monomial coefficients are the
// table (docs/PROTOCOL.md §9.1): NTT onto the coset, Merkle tree over the
// leaves; kept whole, or hashed a chunk at a time and dropped (§9.7).
Oracle commit_base(const WhirSchedule& s, const Source& src, ProverRng* salt_rng, bool corrupt_half,
                   const RecomputePolicy& recompute) {
  PhaseTimer tm("commit");
  const WhirRound& r0 = s.rounds[0];
  Oracle o;
  o.log_n = r0.log_domain;
  o.k = r0.fold_bits;
  o.src = src;
  o.shift = s.spec.domain_shift;
  o.corrupt_half = corrupt_half;
  const size_t n = size_t{1} << o.log_n, width = size_t{1} << o.k;
  o.log_chunk = recompute.chunk_log(s.spec.num_vars, o.log_n, o.k);
  if (o.recomputed()) {
    const size_t rows_per_chunk = (size_t{1} << o.log_chunk) / width;
    auto fill = [&](size_t q, std::span<F> out) { base_chunk(o, o.log_chunk, q, out); };
    o.tree.emplace(Tree::commit_row_chunks<F>(n / width, width, rows_per_chunk, salt_rng, fill));
    tm.lap("chunks+merkle");
    return o;
  }
  o.base.resize(n);
  tm.lap("alloc");
  base_chunk(o, o.log_n, 0, std::span<F>(o.base));
  tm.lap("fill+ntt");
  const std::span<const F> cw(o.base);
  o.tree.emplace(salt_rng ? Tree::commit_rows<F>(cw, width, *salt_rng) : Tree::commit_rows<F>(cw, width));
  tm.lap("merkle");
  return o;
}

// Commits a K-valued polynomial given by its monomial coefficients: one NTT
// per base coordinate, one coordinate buffer at a time. A recomputed oracle
// takes the coefficients over (coeffs is left empty).
Oracle commit_ext(std::vector<E>& coeffs, uint32_t log_n, uint32_t k, uint64_t shift, ProverRng* salt_rng,
                  const RecomputePolicy& recompute) {
  Oracle o;
  o.log_n = log_n;
  o.k = k;
  o.shift = shift;
  const size_t n = size_t{1} << log_n, width = size_t{1} << k;
  std::vector<F> scratch;
  o.log_chunk = recompute.chunk_log(log2_exact(coeffs.size()), log_n, k);
  if (o.recomputed()) {
    o.coeffs = std::move(coeffs);
    const size_t rows_per_chunk = (size_t{1} << o.log_chunk) / width;
    auto fill = [&](size_t q, std::span<E> out) { ext_chunk(o, o.log_chunk, q, out, scratch); };
    o.tree.emplace(Tree::commit_row_chunks<E>(n / width, width, rows_per_chunk, salt_rng, fill));
    return o;
  }
  o.coeffs.swap(coeffs);  // ext_chunk reads them from the oracle; handed back below
  o.ext.resize(n);
  ext_chunk(o, log_n, 0, std::span<E>(o.ext), scratch);
  o.coeffs.swap(coeffs);
  const std::span<const E> cw(o.ext);
  o.tree.emplace(salt_rng ? Tree::commit_rows<E>(cw, width, *salt_rng) : Tree::commit_rows<E>(cw, width));
  return o;
}

}  // namespace zkpot::pcs_oracle
