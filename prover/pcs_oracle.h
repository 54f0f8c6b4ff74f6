// The codewords of the commitment prover's WHIR rounds (docs/PROTOCOL.md
// §9.2): how a round's polynomial is encoded and Merkle-committed, and how
// its queried leaves are read back, from a kept codeword or recomputed chunk
// by chunk (§9.7). Internal to prover/pcs_prover.cc.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <optional>
#include <span>
#include <type_traits>
#include <vector>

#include "common/extension.h"
#include "common/pcs_params.h"
#include "prover/merkle_tree.h"
#include "prover/pcs_prover.h"
#include "prover/rng.h"

namespace zkpot::pcs_oracle {

using F = Goldilocks;
using E = GlExt3;
using Tree = MerkleTree<>;

// Phase timings on stderr when ZKPOT_PCS_TIMING is set (for tuning only).
struct PhaseTimer {
  const char* name;
  std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
  double cpu0 = cpu_now();
  static bool enabled() {
    static const bool on = std::getenv("ZKPOT_PCS_TIMING") != nullptr;
    return on;
  }
  static double cpu_now() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
  }
  explicit PhaseTimer(const char* n) : name(n) {}
  // Prints wall and CPU time since the last lap (or construction) under `what`.
  void lap(const char* what) {
    if (!enabled()) return;
    const auto now = std::chrono::steady_clock::now();
    const double ms = std::chrono::duration<double, std::milli>(now - t0).count();
    const double cpu = cpu_now();
    std::fprintf(stderr, "  [pcs] %-7s %-22s wall %8.1f ms  cpu %8.1f ms\n", name, what, ms, cpu - cpu0);
    t0 = now;
    cpu0 = cpu;
  }
};

// The round-0 polynomial of an instance, read in blocks (never materialised
// for the main instance: f^ = stacked slots + mask windows, docs §9.4).
struct Source {
  uint32_t num_vars = 0;
  std::function<void(uint64_t begin, size_t len, F* out)> fill;
};

// Codeword of a round: bit-reversed coset evaluations, leaves of 2^k symbols.
// Either kept whole from commit to opening (base or ext), or recomputed a
// chunk of 2^log_chunk symbols at a time from the round's coefficients (src
// for round 0, coeffs for later rounds) when the queries read it
// (docs/PROTOCOL.md §9.7).
struct Oracle {
  uint32_t log_n = 0, k = 0;
  std::vector<F> base;
  std::vector<E> ext;
  uint32_t log_chunk = 0;  // 0: kept
  Source src;
  std::vector<E> coeffs;
  uint64_t shift = 1;
  bool corrupt_half = false;
  std::optional<Tree> tree;
  bool recomputed() const { return log_chunk != 0; }
};

// Which codewords a prover recomputes (docs/PROTOCOL.md §9.7): those of
// 2^from_log symbols or more, in chunks of half their message (a quarter of
// a rate-1/2 codeword), of at least one leaf and 2^min_chunk_log symbols.
struct RecomputePolicy {
  uint32_t from_log = UINT32_MAX;
  uint32_t min_chunk_log = 0;
  // 0 when the codeword of 2^log_n symbols is kept, else log2 of its chunk.
  uint32_t chunk_log(uint32_t msg_vars, uint32_t log_n, uint32_t k) const {
    if (log_n < from_log) return 0;
    const uint32_t l = std::max<uint32_t>({msg_vars > 0 ? msg_vars - 1 : 0, k, min_chunk_log, 1});
    return std::min(l, log_n);
  }
};

// The policy a prover with this memory setting applies to this layout.
RecomputePolicy recompute_policy(const PcsLayout& layout, PcsMemory memory);

// Chunk q of a round-0 oracle (the corrupt_half cheat applied to it as to the
// whole codeword: symbol 0 of every even leaf changed).
void base_chunk(const Oracle& o, uint32_t log_l, size_t q, std::span<F> out);

// Chunk q of a K-valued oracle: one base-field chunk per coordinate.
void ext_chunk(const Oracle& o, uint32_t log_l, size_t q, std::span<E> out, std::vector<F>& scratch);

// Commits a base-field round-0 polynomial whose monomial coefficients are the
// table (docs/PROTOCOL.md §9.1): NTT onto the coset, Merkle tree over the
// leaves; kept whole, or hashed a chunk at a time and dropped (§9.7).
Oracle commit_base(const WhirSchedule& s, const Source& src, ProverRng* salt_rng, bool corrupt_half,
                   const RecomputePolicy& recompute);

// Commits a K-valued polynomial given by its monomial coefficients: one NTT
// per base coordinate, one coordinate buffer at a time. A recomputed oracle
// takes the coefficients over (coeffs is left empty).
Oracle commit_ext(std::vector<E>& coeffs, uint32_t log_n, uint32_t k, uint64_t shift, ProverRng* salt_rng,
                  const RecomputePolicy& recompute);

// The rows of the distinct, increasing leaves idx, 2^k symbols each: copied
// from a kept codeword, or recomputed one chunk at a time (only the chunks
// that hold one of them).
template <class V>
std::vector<V> oracle_rows(const Oracle& o, std::span<const uint64_t> idx) {
  const size_t width = size_t{1} << o.k;
  std::vector<V> rows(idx.size() * width);
  if (!o.recomputed()) {
    const std::vector<V>& cw = [&]() -> const std::vector<V>& {
      if constexpr (std::is_same_v<V, F>) return o.base; else return o.ext;
    }();
    for (size_t i = 0; i < idx.size(); ++i)
      std::copy_n(cw.begin() + static_cast<ptrdiff_t>(idx[i] * width), width, rows.begin() + static_cast<ptrdiff_t>(i * width));
    return rows;
  }
  const uint32_t rows_bits = o.log_chunk - o.k;
  std::vector<V> chunk(size_t{1} << o.log_chunk);
  std::vector<F> scratch;
  for (size_t i = 0; i < idx.size();) {
    const size_t q = idx[i] >> rows_bits;
    if constexpr (std::is_same_v<V, F>) base_chunk(o, o.log_chunk, q, std::span<F>(chunk));
    else ext_chunk(o, o.log_chunk, q, std::span<E>(chunk), scratch);
    for (; i < idx.size() && (idx[i] >> rows_bits) == q; ++i) {
      const size_t local = idx[i] - (q << rows_bits);
      std::copy_n(chunk.begin() + static_cast<ptrdiff_t>(local * width), width, rows.begin() + static_cast<ptrdiff_t>(i * width));
    }
  }
  return rows;
}

}  // namespace zkpot::pcs_oracle
