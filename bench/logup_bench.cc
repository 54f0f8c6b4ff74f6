// LogUp-GKR: 2^20 lookups into a 2^16 range table (docs/PROTOCOL.md §5), on 1
// and 2 threads, zero knowledge on. Multiplicities, the proof (without
// multiplicities) and verification are timed separately. See bench/README.md.
#include <benchmark/benchmark.h>

#include <vector>

#include "common/extension.h"
#include "common/logup.h"
#include "prover/logup_prover.h"
#include "prover/parallel.h"
#include "prover/rng.h"

namespace zkpot {
namespace {

struct Setup {
  std::vector<Gl> witness;
  LogupStatement<Gl> st;
  std::vector<Gl> mult;
};

const Setup& setup(uint32_t log_n, uint32_t log_t) {
  static Setup s;
  if (s.witness.size() != (size_t{1} << log_n) || s.st.table.log_size != log_t) {
    ProverRng rng = ProverRng::from_seed_u64(42);
    s.witness.resize(size_t{1} << log_n);
    for (Gl& x : s.witness) x = Gl::from_u64(rng.next_u64() & ((uint64_t{1} << log_t) - 1));
    s.st = LogupStatement<Gl>{};
    s.st.num_vars = log_n;
    s.st.num_lookups = uint64_t{1} << log_n;
    s.st.table = LookupTable<Gl>::range(log_t);
    s.st.witness[0] = CommitmentHandle{1};
    s.st.multiplicities = CommitmentHandle{2};
    s.st.zero_knowledge = true;
    s.st.first_mask = CommitmentHandle{100};
    const std::vector<std::span<const Gl>> cols{s.witness};
    s.mult = lookup_multiplicities<Gl>(s.st.table, cols, s.st.num_lookups);
  }
  return s;
}

void BM_LogupMultiplicities(benchmark::State& state) {
  const Setup& s = setup(static_cast<uint32_t>(state.range(0)), static_cast<uint32_t>(state.range(1)));
  set_num_threads(static_cast<unsigned>(state.range(2)));
  const std::vector<std::span<const Gl>> cols{s.witness};
  for (auto _ : state) {
    auto m = lookup_multiplicities<Gl>(s.st.table, cols, s.st.num_lookups);
    benchmark::DoNotOptimize(m.data());
  }
}

void BM_LogupProve(benchmark::State& state) {
  const Setup& s = setup(static_cast<uint32_t>(state.range(0)), static_cast<uint32_t>(state.range(1)));
  set_num_threads(static_cast<unsigned>(state.range(2)));
  const std::vector<std::span<const Gl>> cols{s.witness};
  ProverRng rng = ProverRng::from_seed_u64(7);
  size_t bytes = 0;
  for (auto _ : state) {
    Transcript<> t("zkpot-bench", Blake2b256::Digest{});
    auto out = prove_logup<Gl, GlExt3>(t, s.st, cols, s.mult, rng);
    bytes = out.proof.to_bytes().size();
    benchmark::DoNotOptimize(out.alpha);
  }
  state.counters["proof_bytes"] = static_cast<double>(bytes);
}

void BM_LogupVerify(benchmark::State& state) {
  const Setup& s = setup(static_cast<uint32_t>(state.range(0)), static_cast<uint32_t>(state.range(1)));
  const std::vector<std::span<const Gl>> cols{s.witness};
  ProverRng rng = ProverRng::from_seed_u64(7);
  Transcript<> tp("zkpot-bench", Blake2b256::Digest{});
  const auto out = prove_logup<Gl, GlExt3>(tp, s.st, cols, s.mult, rng);
  std::vector<PendingClaim<GlExt3>> masks(out.mask_claims.size());
  for (auto _ : state) {
    Transcript<> t("zkpot-bench", Blake2b256::Digest{});
    LogupVerifierOutput<GlExt3> vout;
    vout.mask_claims = std::span<PendingClaim<GlExt3>>(masks);
    if (verify_logup<Gl, GlExt3>(t, s.st, out.proof.view(), &vout) != LogupStatus::kOk)
      state.SkipWithError("honest proof rejected");
  }
}

BENCHMARK(BM_LogupMultiplicities)
    ->ArgNames({"log_n", "log_t", "threads"})
    ->ArgsProduct({{20}, {16}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_LogupProve)
    ->ArgNames({"log_n", "log_t", "threads"})
    ->ArgsProduct({{20}, {16}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_LogupVerify)->ArgNames({"log_n", "log_t"})->Args({20, 16})->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace zkpot
