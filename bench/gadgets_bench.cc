// Layer gadgets (docs/PROTOCOL.md §11): the matrix-product sumcheck at the
// sizes of a 784 -> 128 layer and a 1024 -> 1024 layer at batch 64, and the
// ReLU zero-check (a - s q) over 2^16 and 2^20 entries; prove and verify,
// zero knowledge on, 1 and 2 prover threads. Results: bench/README.md, "Layer
// gadgets".
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <vector>

#include "common/extension.h"
#include "common/field.h"
#include "common/gadget_matmul.h"
#include "common/gadget_zerocheck.h"
#include "common/multilinear.h"
#include "prover/gadget_matmul.h"
#include "prover/gadget_product_sum.h"
#include "prover/parallel.h"
#include "prover/rng.h"

namespace zkpot {
namespace {

using E = GlExt3;

Transcript<> bench_transcript() { return Transcript<>("zkpot-bench-gadgets", Blake2b256::Digest{}); }

// Fixed-point-sized operands: 16-bit magnitudes, as activations and weights are.
std::vector<Gl> small_values(ProverRng& rng, size_t n) {
  std::vector<Gl> t(n);
  for (Gl& x : t) x = Gl::from_i64(static_cast<int64_t>(rng.next_u64() % 65536) - 32768);
  return t;
}

struct MatmulInstance {
  MatmulStatement st;
  std::vector<Gl> a, b;
  PendingClaim<E> c_claim;
};

// (2^rb x 2^ib) · (2^ib x 2^cb); C's claim is taken at a point drawn from a
// transcript and computed from the operands (not timed).
MatmulInstance matmul_instance(uint32_t rb, uint32_t ib, uint32_t cb) {
  ProverRng rng = ProverRng::from_seed_u64(1);
  MatmulInstance mi;
  mi.st = MatmulStatement{MatmulShape{rb, ib, cb, false, false}, CommitmentHandle{1}, CommitmentHandle{2},
                          CommitmentHandle{3}, true, CommitmentHandle{4}};
  mi.a = small_values(rng, size_t{1} << (rb + ib));
  mi.b = small_values(rng, size_t{1} << (ib + cb));
  Transcript<> t = bench_transcript();
  std::vector<E> r(rb + cb);
  if (matmul_draw_output_point<E>(t, mi.st, std::span<E>(r)) != GadgetStatus::kOk) std::abort();
  const std::vector<E> a_bound = matmul_bound_a<Gl, E>(mi.st.shape, mi.a, std::span<const E>(r).subspan(cb, rb));
  const std::vector<E> b_bound = matmul_bound_b<Gl, E>(mi.st.shape, mi.b, std::span<const E>(r).subspan(0, cb));
  E v = E::zero();
  for (size_t j = 0; j < a_bound.size(); ++j) v += a_bound[j] * b_bound[j];
  if (!PendingClaim<E>::make_evaluation(mi.st.c, std::span<const E>(r), v, &mi.c_claim)) std::abort();
  return mi;
}

// Args: row bits, inner bits, column bits, threads.
void BM_MatmulProve(benchmark::State& state) {
  const MatmulInstance mi = matmul_instance(static_cast<uint32_t>(state.range(0)),
                                            static_cast<uint32_t>(state.range(1)),
                                            static_cast<uint32_t>(state.range(2)));
  const unsigned saved_threads = num_threads();
  set_num_threads(static_cast<unsigned>(state.range(3)));
  ProverRng rng = ProverRng::from_seed_u64(2);
  for (auto _ : state) {
    Transcript<> t = bench_transcript();
    auto out = prove_matmul<Gl, E>(t, mi.st, std::span<const Gl>(mi.a), std::span<const Gl>(mi.b), mi.c_claim, rng);
    benchmark::DoNotOptimize(out);
  }
  set_num_threads(saved_threads);
}

void BM_MatmulVerify(benchmark::State& state) {
  const MatmulInstance mi = matmul_instance(static_cast<uint32_t>(state.range(0)),
                                            static_cast<uint32_t>(state.range(1)),
                                            static_cast<uint32_t>(state.range(2)));
  ProverRng rng = ProverRng::from_seed_u64(2);
  Transcript<> tp = bench_transcript();
  const auto po = prove_matmul<Gl, E>(tp, mi.st, std::span<const Gl>(mi.a), std::span<const Gl>(mi.b), mi.c_claim,
                                      rng);
  for (auto _ : state) {
    Transcript<> t = bench_transcript();
    MatmulVerifierOutput<E> vo;
    if (verify_matmul<E>(t, mi.st, mi.c_claim, po.proof.view(), &vo) != GadgetStatus::kOk) {
      state.SkipWithError("proof rejected");
      break;
    }
    benchmark::DoNotOptimize(vo);
  }
}

struct ReluInstance {
  std::vector<Gl> a, s, q;
  std::vector<CommitmentHandle> handles{CommitmentHandle{1}, CommitmentHandle{2}, CommitmentHandle{3}};
  std::vector<ProductTerm<E>> terms{ProductTerm<E>::of(E::one(), {0}), ProductTerm<E>::of(-E::one(), {1, 2})};
  StackedRelation<E> statement(uint32_t n) const {
    return StackedRelation<E>{n, 1, 3, terms, handles, true, CommitmentHandle{9}};
  }
  std::vector<std::span<const Gl>> tables() const { return {a, s, q}; }
};

ReluInstance relu_instance(uint32_t n) {
  ProverRng rng = ProverRng::from_seed_u64(3);
  ReluInstance ri;
  ri.q = small_values(rng, size_t{1} << n);
  for (const Gl& x : ri.q) {
    ri.s.push_back(Gl::from_u64(x.value() != 0 && x.value() < (Gl::kModulus >> 1) ? 1 : 0));
    ri.a.push_back(ri.s.back() * x);
  }
  return ri;
}

// Args: log2 entries, threads. The prover's witness check is included.
void BM_ZerocheckProve(benchmark::State& state) {
  const uint32_t n = static_cast<uint32_t>(state.range(0));
  const ReluInstance ri = relu_instance(n);
  const StackedRelation<E> st = ri.statement(n);
  const std::vector<std::span<const Gl>> tables = ri.tables();
  const unsigned saved_threads = num_threads();
  set_num_threads(static_cast<unsigned>(state.range(1)));
  ProverRng rng = ProverRng::from_seed_u64(4);
  for (auto _ : state) {
    Transcript<> t = bench_transcript();
    auto out = prove_zerocheck<Gl, E>(t, st, std::span<const std::span<const Gl>>(tables), rng);
    benchmark::DoNotOptimize(out);
  }
  set_num_threads(saved_threads);
}

void BM_ZerocheckVerify(benchmark::State& state) {
  const uint32_t n = static_cast<uint32_t>(state.range(0));
  const ReluInstance ri = relu_instance(n);
  const StackedRelation<E> st = ri.statement(n);
  const std::vector<std::span<const Gl>> tables = ri.tables();
  ProverRng rng = ProverRng::from_seed_u64(4);
  Transcript<> tp = bench_transcript();
  const auto po = prove_zerocheck<Gl, E>(tp, st, std::span<const std::span<const Gl>>(tables), rng);
  std::vector<E> point(n);
  std::vector<PendingClaim<E>> claims(3);
  for (auto _ : state) {
    Transcript<> t = bench_transcript();
    StackedRelationVerifierOutput<E> vo{std::span<E>(point), std::span<PendingClaim<E>>(claims), {}};
    if (verify_zerocheck<E>(t, st, po.proof.view(), &vo) != GadgetStatus::kOk) {
      state.SkipWithError("proof rejected");
      break;
    }
    benchmark::DoNotOptimize(vo);
  }
}

BENCHMARK(BM_MatmulProve)
    ->Args({6, 10, 7, 1})
    ->Args({6, 10, 7, 2})
    ->Args({6, 10, 10, 1})
    ->Args({6, 10, 10, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_MatmulVerify)->Args({6, 10, 7})->Args({6, 10, 10})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ZerocheckProve)
    ->Args({16, 1})
    ->Args({16, 2})
    ->Args({20, 1})
    ->Args({20, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_ZerocheckVerify)->Arg(16)->Arg(20)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace zkpot
