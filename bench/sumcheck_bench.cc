// Sumcheck prover: products of 2 and 3 multilinear tables over 2^20 and 2^24
// Goldilocks entries, challenges in GlExt3, on 1 and 2 threads, zero knowledge
// on and off. Arguments: {log2 size, degree, threads, zk}. See bench/README.md.
#include <benchmark/benchmark.h>

#include <map>
#include <vector>

#include "common/extension.h"
#include "prover/parallel.h"
#include "prover/rng.h"
#include "prover/sumcheck_prover.h"

namespace zkpot {
namespace {

const std::vector<Gl>& table(uint32_t log_n, uint32_t k) {
  static std::map<std::pair<uint32_t, uint32_t>, std::vector<Gl>> cache;
  auto& t = cache[{log_n, k}];
  if (t.empty()) {
    ProverRng rng = ProverRng::from_seed_u64(1000 * log_n + k);
    t.resize(size_t{1} << log_n);
    for (Gl& x : t) x = Gl::from_u64(rng.next_u64());
  }
  return t;
}

void BM_SumcheckProduct(benchmark::State& state) {
  const uint32_t log_n = static_cast<uint32_t>(state.range(0));
  const uint32_t degree = static_cast<uint32_t>(state.range(1));
  set_num_threads(static_cast<unsigned>(state.range(2)));
  const bool zk = state.range(3) != 0;

  SumOfProducts<Gl, GlExt3> poly;
  poly.num_vars = log_n;
  ProductTerm<GlExt3> term;
  term.num_factors = degree;
  for (uint32_t k = 0; k < degree; ++k) {
    poly.tables.emplace_back(table(log_n, k));
    term.factors[k] = k;
  }
  poly.terms.push_back(term);
  const GlExt3 sum = sum_over_hypercube(poly);
  ProverRng rng = ProverRng::from_seed_u64(7);
  SumcheckProver<Gl, GlExt3> prover;  // reused: buffers stay allocated across iterations
  for (auto _ : state) {
    Transcript<> t("zkpot-bench", Blake2b256::Digest{});
    std::optional<LibraMask<GlExt3>> mask;
    if (zk) mask = sample_libra_mask<GlExt3>(rng, CommitmentHandle{1}, log_n, degree);
    auto out = prover.prove(t, poly, sum, mask ? &*mask : nullptr);
    benchmark::DoNotOptimize(out.final_claim);
  }
}

BENCHMARK(BM_SumcheckProduct)
    ->ArgNames({"log_n", "deg", "threads", "zk"})
    ->ArgsProduct({{20, 24}, {2, 3}, {1, 2}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace zkpot
