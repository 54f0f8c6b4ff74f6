// Merkle trees (docs/PROTOCOL.md §7): building a 2^20-leaf tree, and checking
// a multi-path opening of 100 queries. Results: bench/README.md.
#include <benchmark/benchmark.h>

#include <vector>

#include "common/extension.h"
#include "common/merkle.h"
#include "prover/merkle_tree.h"
#include "prover/parallel.h"
#include "prover/rng.h"

namespace zkpot {
namespace {

constexpr unsigned kLogLeaves = 20;

const std::vector<Gl>& elements(size_t n) {
  static std::vector<Gl> v;
  if (v.size() < n) {
    ProverRng rng = ProverRng::from_seed_u64(1);
    v.resize(n);
    for (auto& x : v) x = Gl::from_u64(rng.next_u64());
  }
  return v;
}

// Args: leaf width (elements), salted (0/1), threads.
void BM_MerkleCommit(benchmark::State& state) {
  const size_t width = static_cast<size_t>(state.range(0));
  const bool salted = state.range(1) != 0;
  const unsigned threads = static_cast<unsigned>(state.range(2));
  const size_t n = size_t{1} << kLogLeaves;
  const std::span<const Gl> data(elements(n * width).data(), n * width);
  const unsigned saved = num_threads();
  set_num_threads(threads);
  ProverRng rng = ProverRng::from_seed_u64(2);
  for (auto _ : state) {
    auto tree = salted ? MerkleTree<>::commit_rows<Gl>(data, width, rng) : MerkleTree<>::commit_rows<Gl>(data, width);
    benchmark::DoNotOptimize(tree.root());
  }
  set_num_threads(saved);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
}
BENCHMARK(BM_MerkleCommit)
    ->ArgNames({"width", "salted", "threads"})
    ->ArgsProduct({{1, 16}, {0, 1}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Verifying 100 random queries (repeats removed) of a salted 2^20-leaf tree of
// 16-element rows, as a FRI/WHIR-style query phase would.
void BM_MerkleVerifyMulti(benchmark::State& state) {
  const size_t width = 16, n = size_t{1} << kLogLeaves;
  const size_t queries = static_cast<size_t>(state.range(0));
  const std::span<const Gl> data(elements(n * width).data(), n * width);
  ProverRng rng = ProverRng::from_seed_u64(3);
  const auto tree = MerkleTree<>::commit_rows<Gl>(data, width, rng);
  std::vector<uint64_t> idx(queries);
  for (auto& i : idx) i = rng.next_u64() % n;
  idx.resize(merkle_canonicalize_indices(idx));
  const auto op = tree.open_many(idx);
  std::vector<Gl> rows;
  for (uint64_t i : idx) rows.insert(rows.end(), data.begin() + i * width, data.begin() + (i + 1) * width);
  std::vector<unsigned char> mem(MerkleScratch<>::bytes_for(idx.size()));
  for (auto _ : state) {
    Arena arena(mem.data(), mem.size());
    const auto scratch = MerkleScratch<>::allocate(arena, idx.size());
    const MerkleStatus s = merkle_verify_multi_rows<Blake2b256, Gl>(tree.root(), kLogLeaves, MerkleHiding::kSalted, idx,
                                                                     rows, width, op.salts, op.siblings, scratch);
    if (s != MerkleStatus::kOk) state.SkipWithError(merkle_status_name(s));
    benchmark::DoNotOptimize(s);
  }
  state.counters["siblings"] = static_cast<double>(op.siblings.size());
  state.counters["distinct_queries"] = static_cast<double>(idx.size());
}
BENCHMARK(BM_MerkleVerifyMulti)->ArgName("queries")->Arg(100)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace zkpot
