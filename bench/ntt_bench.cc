// Goldilocks NTT timings (bench/README.md, "Field and NTT"). Arguments:
// log2 of the length, thread count (set_num_threads) and, where present, the
// SIMD level (0 scalar, 1 AVX2, 2 AVX-512). Wall-clock time, since threads run.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "common/field.h"
#include "common/ntt.h"
#include "prover/ntt_parallel.h"
#include "prover/parallel.h"

namespace zkpot {
namespace {

std::vector<Goldilocks> random_values(size_t n) {
  std::mt19937_64 rng(1);
  std::vector<Goldilocks> v(n);
  for (auto& x : v) x = Goldilocks::from_u64(rng());
  return v;
}

// Applies the thread count and SIMD level a benchmark asks for; false (and
// the benchmark skipped) if the CPU lacks that level.
bool configure(benchmark::State& state, int threads_arg, int simd_arg) {
  set_num_threads(static_cast<unsigned>(state.range(threads_arg)));
  const NttSimd level = simd_arg < 0 ? ntt_simd_supported() : static_cast<NttSimd>(state.range(simd_arg));
  if (static_cast<int>(level) > static_cast<int>(ntt_simd_supported())) {
    state.SkipWithError("SIMD level not supported by this CPU");
    return false;
  }
  set_ntt_simd(level);
  state.SetLabel(ntt_simd_name(level));
  return true;
}

void BM_NttToBitReversed(benchmark::State& state) {
  if (!configure(state, 1, 2)) return;
  auto v = random_values(size_t{1} << state.range(0));
  ntt_twiddles<Goldilocks>(static_cast<unsigned>(state.range(0)));  // tables built outside the timing
  for (auto _ : state) {
    parallel_ntt_to_bit_reversed(std::span<Goldilocks>(v));
    benchmark::DoNotOptimize(v.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(v.size()));
}
// Every level at 2^20; the scalar path at 2^24 (seconds per run) is left out.
BENCHMARK(BM_NttToBitReversed)
    ->ArgsProduct({{20}, {1, 2}, {0, 1, 2}})
    ->ArgsProduct({{24}, {1, 2}, {1, 2}})
    ->ArgNames({"log_n", "threads", "simd"})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_NttNatural(benchmark::State& state) {
  if (!configure(state, 1, -1)) return;
  auto v = random_values(size_t{1} << state.range(0));
  for (auto _ : state) {
    parallel_ntt(std::span<Goldilocks>(v));
    benchmark::DoNotOptimize(v.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(v.size()));
}
BENCHMARK(BM_NttNatural)
    ->ArgsProduct({{20, 24}, {1, 2}})
    ->ArgNames({"log_n", "threads"})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_InttNatural(benchmark::State& state) {
  if (!configure(state, 1, -1)) return;
  auto v = random_values(size_t{1} << state.range(0));
  for (auto _ : state) {
    parallel_intt(std::span<Goldilocks>(v));
    benchmark::DoNotOptimize(v.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(v.size()));
}
BENCHMARK(BM_InttNatural)
    ->ArgsProduct({{20, 24}, {1, 2}})
    ->ArgNames({"log_n", "threads"})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_BitReversePermute(benchmark::State& state) {
  if (!configure(state, 1, -1)) return;
  auto v = random_values(size_t{1} << state.range(0));
  for (auto _ : state) {
    parallel_bit_reverse_permute(std::span<Goldilocks>(v));
    benchmark::DoNotOptimize(v.data());
  }
}
BENCHMARK(BM_BitReversePermute)
    ->ArgsProduct({{20, 24}, {1, 2}})
    ->ArgNames({"log_n", "threads"})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// Reed-Solomon encoding at rate 1/4 of 2^20 coefficients onto a coset.
void BM_LowDegreeExtension(benchmark::State& state) {
  if (!configure(state, 1, -1)) return;
  const auto coeffs = random_values(size_t{1} << state.range(0));
  std::vector<Goldilocks> out(coeffs.size() * 4);
  const Goldilocks shift = Goldilocks::from_u64(Goldilocks::kGenerator);
  for (auto _ : state) {
    parallel_low_degree_extension<Goldilocks>(coeffs, out, shift, NttOrder::kBitReversed);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_LowDegreeExtension)
    ->ArgsProduct({{20}, {1, 2}})
    ->ArgNames({"log_n", "threads"})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// The single-threaded reference of common/ntt.h, for comparison.
void BM_ReferenceNtt(benchmark::State& state) {
  auto v = random_values(size_t{1} << state.range(0));
  ntt_twiddles<Goldilocks>(static_cast<unsigned>(state.range(0)));
  for (auto _ : state) {
    ntt_to_bit_reversed(std::span<Goldilocks>(v));
    benchmark::DoNotOptimize(v.data());
  }
}
BENCHMARK(BM_ReferenceNtt)->Arg(20)->ArgName("log_n")->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace zkpot
