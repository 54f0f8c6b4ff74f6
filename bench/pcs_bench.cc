// Polynomial commitment (docs/PROTOCOL.md §9) at the default parameter set:
// commit, open and verify times, proof size and peak memory for one table of
// 2^20, 2^22, 2^24 values on 1 and 2 threads, and 16 tables of 2^20 opened
// together. Results: bench/README.md, "## Polynomial commitment".
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <chrono>
#include <vector>

#include "common/pcs_maths.h"
#include "common/pcs_params.h"
#include "common/pcs_verifier.h"
#include "prover/parallel.h"
#include "prover/pcs_prover.h"
#include "prover/rng.h"

namespace zkpot {
namespace {

using F = Goldilocks;
using E = GlExt3;

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// args: log2 of each table, number of tables, threads, and 1 to keep every
// codeword (PcsMemory::kKeep) instead of the default policy (docs §9.7).
void BM_PcsCommitOpenVerify(benchmark::State& state) {
  const uint32_t vars = static_cast<uint32_t>(state.range(0));
  const size_t count = static_cast<size_t>(state.range(1));
  set_num_threads(static_cast<unsigned>(state.range(2)));
  const PcsMemory memory = state.range(3) != 0 ? PcsMemory::kKeep : PcsMemory::kAuto;
  std::vector<std::vector<F>> tables(count, std::vector<F>(size_t{1} << vars));
  for (size_t t = 0; t < count; ++t)
    for (size_t i = 0; i < tables[t].size(); ++i) tables[t][i] = F::from_u64((i + 1) * 0x9e3779b97f4a7c15ULL + t);
  std::vector<uint32_t> sizes(count, vars);
  const PcsLayout layout = pcs_layout(pcs_params_default(), PcsProver::stacked_vars(sizes));
  std::vector<std::span<const F>> polys(tables.begin(), tables.end());
  ProverRng rng = ProverRng::from_seed_u64(1);
  std::vector<std::vector<E>> points(count, std::vector<E>(vars));
  for (auto& p : points)
    for (E& x : p) x = rng.field<E>();
  double commit_s = 0, open_s = 0, verify_ms = 0;
  size_t proof_bytes = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    PcsProver prover = PcsProver::commit(layout, polys, rng, memory);
    commit_s = seconds_since(t0);
    std::vector<PcsClaim<E>> claims;
    for (size_t i = 0; i < count; ++i)
      claims.push_back({static_cast<uint32_t>(i), points[i], prover.evaluate(static_cast<uint32_t>(i), points[i])});
    Blake2b256::Digest d{};
    Transcript<> t("zkpot-bench", d);
    t0 = std::chrono::steady_clock::now();
    const PcsProof<F, E> proof = prover.open(t, claims);
    open_s = seconds_since(t0);
    proof_bytes = proof.payload_bytes();
    std::vector<uint8_t> scratch(pcs_verifier_scratch_bytes(layout, claims.size()));
    Arena arena(scratch.data(), scratch.size());
    Transcript<> tv("zkpot-bench", d);
    t0 = std::chrono::steady_clock::now();
    const PcsStatus st = pcs_verify(tv, layout, prover.commitment(), std::span<const PcsClaim<E>>(claims),
                                    proof.view(), arena);
    verify_ms = seconds_since(t0) * 1e3;
    if (st != PcsStatus::kOk) state.SkipWithError("verification failed");
  }
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  state.counters["commit_s"] = commit_s;
  state.counters["open_s"] = open_s;
  state.counters["verify_ms"] = verify_ms;
  state.counters["proof_KB"] = static_cast<double>(proof_bytes) / 1024.0;
  state.counters["peak_MB"] = static_cast<double>(ru.ru_maxrss) / 1024.0;
  state.counters["data_MB"] = static_cast<double>(count << vars) * 8.0 / (1024.0 * 1024.0);
}

BENCHMARK(BM_PcsCommitOpenVerify)
    ->ArgNames({"log2", "tables", "threads", "keep"})
    ->Args({20, 1, 1, 0})
    ->Args({20, 1, 2, 0})
    ->Args({22, 1, 1, 0})
    ->Args({22, 1, 2, 0})
    ->Args({24, 1, 1, 0})
    ->Args({24, 1, 2, 0})
    ->Args({24, 1, 2, 1})
    ->Args({20, 16, 2, 0})
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();

// Verification alone, repeated on one opening (args: log2 of the table,
// number of claims): commit and open once outside the timing, then each
// iteration verifies from a fresh transcript in a reused arena, so the time
// is the verifier's work without first-touch page faults.
void BM_PcsVerify(benchmark::State& state) {
  const uint32_t vars = static_cast<uint32_t>(state.range(0));
  const size_t count = static_cast<size_t>(state.range(1));
  set_num_threads(2);
  std::vector<std::vector<F>> tables(count, std::vector<F>(size_t{1} << vars));
  for (size_t t = 0; t < count; ++t)
    for (size_t i = 0; i < tables[t].size(); ++i) tables[t][i] = F::from_u64((i + 1) * 0x9e3779b97f4a7c15ULL + t);
  std::vector<uint32_t> sizes(count, vars);
  const PcsLayout layout = pcs_layout(pcs_params_default(), PcsProver::stacked_vars(sizes));
  std::vector<std::span<const F>> polys(tables.begin(), tables.end());
  ProverRng rng = ProverRng::from_seed_u64(1);
  std::vector<std::vector<E>> points(count, std::vector<E>(vars));
  for (auto& p : points)
    for (E& x : p) x = rng.field<E>();
  PcsProver prover = PcsProver::commit(layout, polys, rng);
  std::vector<PcsClaim<E>> claims;
  for (size_t i = 0; i < count; ++i)
    claims.push_back({static_cast<uint32_t>(i), points[i], prover.evaluate(static_cast<uint32_t>(i), points[i])});
  Blake2b256::Digest d{};
  Transcript<> t("zkpot-bench", d);
  const PcsProof<F, E> proof = prover.open(t, claims);
  std::vector<uint8_t> scratch(pcs_verifier_scratch_bytes(layout, claims.size()));
  PcsStatus st = PcsStatus::kOk;
  for (auto _ : state) {
    Arena arena(scratch.data(), scratch.size());
    Transcript<> tv("zkpot-bench", d);
    st = pcs_verify(tv, layout, prover.commitment(), std::span<const PcsClaim<E>>(claims), proof.view(), arena);
    benchmark::DoNotOptimize(st);
  }
  if (st != PcsStatus::kOk) state.SkipWithError("verification failed");
  state.counters["proof_KB"] = static_cast<double>(proof.payload_bytes()) / 1024.0;
}

BENCHMARK(BM_PcsVerify)->ArgNames({"log2", "claims"})->Args({20, 1})->Args({24, 1})->Unit(benchmark::kMillisecond);

// Grinding (docs/PROTOCOL.md §9.3) on one thread: the smallest nonce meeting
// `bits` for 16 challenges, one nonce at a time (pcs_pow_ok, lanes 0) or four
// at a time in BLAKE2b lanes (pcs_pow_first_of4, lanes 1), as the prover does.
void BM_PcsGrind(benchmark::State& state) {
  const auto bits = static_cast<unsigned>(state.range(0));
  const bool lanes = state.range(1) != 0;
  uint64_t nonces = 0;
  for (auto _ : state) {
    for (uint8_t c = 0; c < 16; ++c) {
      Blake2b256::Digest challenge{};
      challenge[0] = c;
      uint64_t n = 0;
      if (lanes) {
        unsigned l = 4;
        while ((l = pcs_pow_first_of4<Blake2b256>(challenge, n, bits)) == 4) n += 4;
        n += l;
      } else {
        while (!pcs_pow_ok<Blake2b256>(challenge, n, bits)) ++n;
      }
      nonces += n + 1;
      benchmark::DoNotOptimize(n);
    }
  }
  state.counters["nonces_per_grind"] = static_cast<double>(nonces) / (16.0 * static_cast<double>(state.iterations()));
}
BENCHMARK(BM_PcsGrind)->ArgNames({"bits", "lanes"})->Args({16, 0})->Args({16, 1})->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace zkpot
