// Field arithmetic throughput (bench/README.md, "Field and NTT"). Each
// benchmark runs kBatch independent operations over arrays in L2, so the
// time per item is a throughput figure, not a latency. The batch is large so
// that branch predictors cannot learn the operands' carry pattern.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "common/extension.h"
#include "common/field.h"

namespace zkpot {
namespace {

constexpr size_t kBatch = size_t{1} << 16;

template <class F>
std::vector<F> random_elements(uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<F> v(kBatch);
  for (auto& x : v) {
    if constexpr (requires { F::kDegree; }) {
      Gl c[3] = {Gl::from_u64(rng()), Gl::from_u64(rng()), Gl::from_u64(rng())};
      x = F::from_coeffs(c);
    } else {
      x = F::from_u64(rng());
    }
  }
  return v;
}

// out[i] = op(a[i], b[i]) over the batch.
template <class A, class B, class Op>
void run_elementwise(benchmark::State& state, Op op) {
  const auto a = random_elements<A>(1), b_vec = random_elements<B>(2);
  std::vector<A> out(kBatch);
  for (auto _ : state) {
    for (size_t i = 0; i < kBatch; ++i) out[i] = op(a[i], b_vec[i]);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kBatch));
}

void BM_GoldilocksMul(benchmark::State& state) {
  run_elementwise<Gl, Gl>(state, [](Gl x, Gl y) { return x * y; });
}
BENCHMARK(BM_GoldilocksMul);

void BM_GoldilocksAdd(benchmark::State& state) {
  run_elementwise<Gl, Gl>(state, [](Gl x, Gl y) { return x + y; });
}
BENCHMARK(BM_GoldilocksAdd);

void BM_GoldilocksSub(benchmark::State& state) {
  run_elementwise<Gl, Gl>(state, [](Gl x, Gl y) { return x - y; });
}
BENCHMARK(BM_GoldilocksSub);

// A dependent chain: each product feeds the next, so this is the latency.
void BM_GoldilocksMulLatency(benchmark::State& state) {
  Gl acc = Gl::from_u64(3);
  const Gl m = Gl::from_u64(0x123456789abcdefULL);
  for (auto _ : state) {
    for (size_t i = 0; i < kBatch; ++i) acc *= m;
    benchmark::DoNotOptimize(acc);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kBatch));
}
BENCHMARK(BM_GoldilocksMulLatency);

void BM_GoldilocksInverse(benchmark::State& state) {
  const auto a = random_elements<Gl>(3);
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(a[i].inverse());
    i = (i + 1) % kBatch;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GoldilocksInverse);

void BM_GlExt3Mul(benchmark::State& state) {
  run_elementwise<GlExt3, GlExt3>(state, [](const GlExt3& x, const GlExt3& y) { return x * y; });
}
BENCHMARK(BM_GlExt3Mul);

void BM_GlExt3MulByBase(benchmark::State& state) {
  run_elementwise<GlExt3, Gl>(state, [](const GlExt3& x, Gl y) { return x * y; });
}
BENCHMARK(BM_GlExt3MulByBase);

void BM_GlExt3Add(benchmark::State& state) {
  run_elementwise<GlExt3, GlExt3>(state, [](const GlExt3& x, const GlExt3& y) { return x + y; });
}
BENCHMARK(BM_GlExt3Add);

void BM_GlExt3Inverse(benchmark::State& state) {
  const auto a = random_elements<GlExt3>(4);
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(a[i].inverse());
    i = (i + 1) % kBatch;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GlExt3Inverse);

// Montgomery's trick over a batch: one inversion plus about three products each.
void BM_GoldilocksBatchInverse(benchmark::State& state) {
  const auto a = random_elements<Gl>(5);
  std::vector<Gl> values(kBatch), scratch(kBatch);
  for (auto _ : state) {
    values = a;
    batch_inverse(values.data(), values.size(), scratch.data());
    benchmark::DoNotOptimize(values.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kBatch));
}
BENCHMARK(BM_GoldilocksBatchInverse);

}  // namespace
}  // namespace zkpot
