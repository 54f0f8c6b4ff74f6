// Recomputed codewords (docs/PROTOCOL.md §9.7): the prover that keeps only
// its Merkle trees and re-encodes a codeword chunk by chunk when queries read
// it must make the same commitment and the same proof, byte for byte, as the
// prover that keeps every codeword; and a cheating commitment stays caught.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "common/ntt.h"
#include "common/pcs_params.h"
#include "common/pcs_verifier.h"
#include "prover/pcs_kernels.h"
#include "prover/pcs_prover.h"
#include "prover/rng.h"

namespace zkpot {
namespace {

using F = Goldilocks;
using E = GlExt3;

// Every chunk size from one symbol to the whole codeword, with and without a
// domain shift and with fewer and more coefficients than a chunk holds, gives
// the whole codeword's symbols; and the whole codeword is the polynomial at
// shift w^rev(p), evaluated directly.
TEST(PcsRecompute, ChunksAreTheCodewordsSymbols) {
  ProverRng rng = ProverRng::from_seed_u64(11);
  for (const uint32_t msg_vars : {0u, 3u, 9u}) {
    std::vector<F> coeffs(size_t{1} << msg_vars);
    for (F& c : coeffs) c = rng.field<F>();
    const auto fill = [&](uint64_t b, size_t l, F* out) { std::memcpy(out, coeffs.data() + b, l * sizeof(F)); };
    for (const uint32_t log_n : {msg_vars + 1, msg_vars + 3}) {
      for (const uint64_t shift : {uint64_t{1}, uint64_t{7}}) {
        std::vector<F> whole(size_t{1} << log_n);
        pcs_kernels::codeword_chunk(fill, msg_vars, log_n, log_n, shift, 0, std::span<F>(whole));
        const F w = F::root_of_unity(log_n);
        for (size_t p = 0; p < whole.size(); ++p) {
          const F x = F::from_u64(shift) * w.pow(reverse_bits(p, log_n));
          F v = F::zero();
          for (size_t i = coeffs.size(); i-- > 0;) v = v * x + coeffs[i];
          ASSERT_EQ(whole[p], v) << "msg 2^" << msg_vars << " log_n " << log_n << " shift " << shift << " p " << p;
        }
        for (uint32_t log_l = 0; log_l <= log_n; ++log_l) {
          std::vector<F> chunk(size_t{1} << log_l);
          for (size_t q = 0; q < (size_t{1} << (log_n - log_l)); ++q) {
            pcs_kernels::codeword_chunk(fill, msg_vars, log_n, log_l, shift, q, std::span<F>(chunk));
            for (size_t i = 0; i < chunk.size(); ++i)
              ASSERT_EQ(chunk[i], whole[(q << log_l) + i]) << "log_l " << log_l << " q " << q << " i " << i;
          }
        }
      }
    }
  }
}

Blake2b256::Digest statement() {
  Blake2b256::Digest d{};
  d.fill(5);
  return d;
}

bool same_commitment(const PcsCommitment<E>& a, const PcsCommitment<E>& b) {
  return a.layout_digest == b.layout_digest && a.num_vars == b.num_vars && a.num_slots == b.num_slots &&
         a.slot_vars == b.slot_vars && a.main_root == b.main_root && a.main_ood == b.main_ood &&
         a.main_ood_points == b.main_ood_points && a.main_ood_answers == b.main_ood_answers &&
         a.helper_root == b.helper_root && a.helper_ood == b.helper_ood &&
         a.helper_ood_points == b.helper_ood_points && a.helper_ood_answers == b.helper_ood_answers;
}

bool same_proof(const PcsProof<F, E>& a, const PcsProof<F, E>& b) {
  return a.layout_digest == b.layout_digest && a.ext == b.ext && a.base == b.base && a.digests == b.digests &&
         a.salts == b.salts && a.nonces == b.nonces;
}

struct Outcome {
  PcsCommitment<E> com;
  PcsProof<F, E> proof;
  PcsStatus status = PcsStatus::kMalformedProof;
};

// Commits the tables (seeded) under `memory`, opens every slot at its point,
// verifies.
Outcome run(const PcsLayout& layout, const std::vector<std::vector<F>>& tables, const std::vector<std::vector<E>>& points,
        PcsMemory memory, bool expect_recompute, const PcsCheat& commit_cheat = {}, const PcsCheat& open_cheat = {}) {
  ProverRng rng = ProverRng::from_seed_u64(77);
  std::vector<std::span<const F>> polys(tables.begin(), tables.end());
  PcsProver prover = PcsProver::commit(layout, polys, rng, memory, commit_cheat);
  EXPECT_EQ(prover.recomputes_codewords(), expect_recompute);
  std::vector<PcsClaim<E>> claims;
  for (size_t i = 0; i < tables.size(); ++i)
    claims.push_back({static_cast<uint32_t>(i), points[i], prover.evaluate(static_cast<uint32_t>(i), points[i])});
  Transcript<> t("zkpot-test", statement());
  Outcome r;
  r.com = prover.commitment();
  r.proof = prover.open(t, claims, open_cheat);
  Transcript<> tv("zkpot-test", statement());
  std::vector<uint8_t> scratch(pcs_verifier_scratch_bytes(layout, claims.size()));
  Arena arena(scratch.data(), scratch.size());
  r.status = pcs_verify(tv, layout, r.com, std::span<const PcsClaim<E>>(claims), r.proof.view(), arena);
  return r;
}

struct Instance {
  std::vector<std::vector<F>> tables;
  std::vector<std::vector<E>> points;
};

Instance instance(std::initializer_list<uint32_t> sizes, uint64_t seed) {
  ProverRng rng = ProverRng::from_seed_u64(seed);
  Instance in;
  for (const uint32_t v : sizes) {
    in.tables.emplace_back(size_t{1} << v);
    for (F& x : in.tables.back()) x = rng.field<F>();
    in.points.emplace_back(v);
    for (E& x : in.points.back()) x = rng.field<E>();
  }
  return in;
}

// kRecompute cuts every codeword into chunks of half its message: the main,
// helper and later rounds into 2 to 8 chunks (one at the smallest sizes);
// with and without zero knowledge, and a stacked commitment.
TEST(PcsRecompute, SameCommitmentAndProofAsKeepingTheCodewords) {
  struct Case {
    PcsParams params;
    std::initializer_list<uint32_t> sizes;
  };
  const Case cases[] = {
      {pcs_params_default(), {1}},
      {pcs_params_default(), {13}},
      {pcs_params_test(24, true), {6}},
      {pcs_params_test(24, true), {15}},
      {pcs_params_test(24, false), {14}},
      {pcs_params_test(24, true), {12, 12, 11, 5}},
  };
  uint64_t seed = 1;
  for (const Case& c : cases) {
    const Instance in = instance(c.sizes, seed++);
    std::vector<uint32_t> vars(c.sizes);
    const PcsLayout layout = pcs_layout(c.params, PcsProver::stacked_vars(vars));
    ASSERT_TRUE(layout.valid);
    const Outcome keep = run(layout, in.tables, in.points, PcsMemory::kKeep, false);
    const Outcome again = run(layout, in.tables, in.points, PcsMemory::kRecompute, true);
    EXPECT_EQ(keep.status, PcsStatus::kOk) << "m = " << layout.main.spec.num_vars;
    EXPECT_EQ(again.status, PcsStatus::kOk) << "m = " << layout.main.spec.num_vars;
    EXPECT_TRUE(same_commitment(keep.com, again.com)) << "m = " << layout.main.spec.num_vars;
    EXPECT_TRUE(same_proof(keep.proof, again.proof)) << "m = " << layout.main.spec.num_vars;
  }
}

// A commitment to a codeword with half its leaves changed is made the same
// way by both provers, and the verifier rejects both openings alike.
TEST(PcsRecompute, CorruptedCodewordIsCaughtAlike) {
  const Instance in = instance({14}, 9);
  const PcsLayout layout = pcs_layout(pcs_params_test(24, true), 14);
  PcsCheat commit_cheat, open_cheat;
  commit_cheat.corrupt_half_of_codeword = true;
  open_cheat.skip_self_checks = true;
  const Outcome keep = run(layout, in.tables, in.points, PcsMemory::kKeep, false, commit_cheat, open_cheat);
  const Outcome again = run(layout, in.tables, in.points, PcsMemory::kRecompute, true, commit_cheat, open_cheat);
  EXPECT_EQ(keep.status, PcsStatus::kWrongValue);
  EXPECT_EQ(again.status, PcsStatus::kWrongValue);
  EXPECT_TRUE(same_commitment(keep.com, again.com));
  EXPECT_TRUE(same_proof(keep.proof, again.proof));
}

// kAuto keeps codewords below 2^25 round-0 symbols and recomputes from there.
TEST(PcsRecompute, AutoRecomputesFrom2To25Symbols) {
  const PcsParams p = pcs_params_default();
  EXPECT_FALSE(pcs_recomputes_codewords(pcs_layout(p, 20), PcsMemory::kAuto));
  EXPECT_FALSE(pcs_recomputes_codewords(pcs_layout(p, 23), PcsMemory::kAuto));
  EXPECT_TRUE(pcs_recomputes_codewords(pcs_layout(p, 24), PcsMemory::kAuto));
  EXPECT_TRUE(pcs_recomputes_codewords(pcs_layout(p, 20), PcsMemory::kRecompute));
  EXPECT_FALSE(pcs_recomputes_codewords(pcs_layout(p, 24), PcsMemory::kKeep));
  for (uint32_t m = 1; m <= 29; ++m) {
    const PcsLayout l = pcs_layout(p, m);
    if (!l.valid) continue;
    EXPECT_EQ(pcs_recomputes_codewords(l, PcsMemory::kAuto), l.main.rounds[0].log_domain >= kPcsRecomputeFromLog)
        << "m = " << m;
  }
}

}  // namespace
}  // namespace zkpot
