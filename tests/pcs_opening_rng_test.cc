// Per-opening randomness of the PCS prover (docs/PROTOCOL.md §9.4, §12.9):
// the salts of an opening's own round trees come from the rng that opening is
// given, so two openings of one commitment with different opening rngs share
// no salt, and a commitment rebuilt from its seed (a resumed run) opened with
// the same opening seed repeats the opening byte for byte.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <set>
#include <span>
#include <vector>

#include "common/pcs_params.h"
#include "common/pcs_verifier.h"
#include "prover/pcs_prover.h"
#include "prover/rng.h"

namespace zkpot {
namespace {

using F = Goldilocks;
using E = GlExt3;
using Salt = std::array<uint8_t, 32>;

constexpr uint32_t kVars = 10;

Blake2b256::Digest statement() {
  Blake2b256::Digest d{};
  d.fill(7);
  return d;
}

struct Opened {
  PcsLayout layout;
  std::vector<F> table;
  std::vector<PcsClaim<E>> claims;
  std::vector<E> point;
};

Opened instance() {
  Opened o;
  ProverRng rng = ProverRng::from_seed_u64(41);
  o.layout = pcs_layout(pcs_params_test(24, true), kVars);
  o.table.resize(size_t{1} << kVars);
  for (F& x : o.table) x = rng.field<F>();
  o.point.resize(kVars);
  for (E& x : o.point) x = rng.field<E>();
  return o;
}

PcsProver commit(const Opened& o, uint64_t commit_seed) {
  ProverRng rng = ProverRng::from_seed_u64(commit_seed);
  const std::span<const F> polys[] = {o.table};
  return PcsProver::commit(o.layout, polys, rng);
}

// Salts of the trees one opening commits (rounds 1.. of each run); round 0's
// are the commitment's own tree, shared by every opening by design (§9.4
// counts those queried symbols across openings).
std::vector<Salt> opening_tree_salts(const PcsLayout& L, const PcsProof<F, E>& proof) {
  std::vector<Salt> out;
  size_t pos = 0;
  for (const WhirSchedule* s : {&L.main, &L.helper}) {
    for (uint32_t j = 0; j < s->num_rounds; ++j) {
      const size_t q = s->rounds[j].queries;
      EXPECT_LE(pos + q, proof.salts.size());
      if (pos + q > proof.salts.size()) return out;
      if (j > 0) out.insert(out.end(), proof.salts.begin() + pos, proof.salts.begin() + pos + q);
      pos += q;
    }
  }
  EXPECT_EQ(pos, proof.salts.size()) << "the salts are not laid out as the schedule says";
  return out;
}

PcsProof<F, E> open_once(PcsProver& prover, const Opened& o, ProverRng* opening_rng) {
  const E v = prover.evaluate(0, o.point);
  const std::vector<PcsClaim<E>> claims = {PcsClaim<E>{0, o.point, v}};
  Transcript<> t("zkpot-test", statement());
  PcsProof<F, E> proof = opening_rng ? prover.open(t, claims, *opening_rng) : prover.open(t, claims);
  Transcript<> tv("zkpot-test", statement());
  std::vector<uint8_t> scratch(pcs_verifier_scratch_bytes(o.layout, claims.size()));
  Arena arena(scratch.data(), scratch.size());
  EXPECT_EQ(pcs_verify(tv, o.layout, prover.commitment(), std::span<const PcsClaim<E>>(claims), proof.view(), arena),
            PcsStatus::kOk);
  return proof;
}

size_t shared_salts(const std::vector<Salt>& a, const std::vector<Salt>& b) {
  const std::set<Salt> sa(a.begin(), a.end());
  size_t n = 0;
  for (const Salt& s : b) n += sa.count(s);
  return n;
}

TEST(PcsOpeningRng, DifferentOpeningSeedsShareNoSalt) {
  const Opened o = instance();
  ASSERT_TRUE(o.layout.valid);
  ASSERT_GE(o.layout.main.num_rounds, 2u) << "the test needs round trees";
  PcsProver prover = commit(o, 1);
  ProverRng r1 = ProverRng::from_seed_u64(1001), r2 = ProverRng::from_seed_u64(1002);
  const auto s1 = opening_tree_salts(o.layout, open_once(prover, o, &r1));
  const auto s2 = opening_tree_salts(o.layout, open_once(prover, o, &r2));
  ASSERT_FALSE(s1.empty());
  EXPECT_EQ(s1.size(), s2.size());
  EXPECT_EQ(shared_salts(s1, s2), 0u);
}

// The same opening seed on a commitment rebuilt from the same commit seed
// gives the same opening: what makes a resumed run's proof the uninterrupted
// run's (§12.9).
TEST(PcsOpeningRng, SameOpeningSeedOnARebuiltCommitmentRepeatsTheOpening) {
  const Opened o = instance();
  PcsProver first = commit(o, 1), rebuilt = commit(o, 1);
  ASSERT_EQ(first.commitment().main_root, rebuilt.commitment().main_root);
  ProverRng a = ProverRng::from_seed_u64(77), b = ProverRng::from_seed_u64(77);
  const PcsProof<F, E> pa = open_once(first, o, &a), pb = open_once(rebuilt, o, &b);
  EXPECT_EQ(pa.salts, pb.salts);
  EXPECT_EQ(pa.digests, pb.digests);
  EXPECT_EQ(pa.ext, pb.ext);
  EXPECT_EQ(pa.base, pb.base);
}

// The default (the commitment's stream) never repeats within one prover
// object, but a rebuilt commitment restarts it: its second opening would
// reuse the first opening's salts. This is why a resumed run passes its own
// opening rngs.
TEST(PcsOpeningRng, DefaultStreamIsPerCommitmentObject) {
  const Opened o = instance();
  PcsProver prover = commit(o, 1);
  const auto first = opening_tree_salts(o.layout, open_once(prover, o, nullptr));
  const auto second = opening_tree_salts(o.layout, open_once(prover, o, nullptr));
  EXPECT_EQ(shared_salts(first, second), 0u);
  PcsProver rebuilt = commit(o, 1);
  const auto again = opening_tree_salts(o.layout, open_once(rebuilt, o, nullptr));
  EXPECT_EQ(again, first);
}

// An opening given its own rng draws nothing from the commitment's stream:
// the default opening after it is the one a fresh commitment would make.
TEST(PcsOpeningRng, AnOpeningRngLeavesTheCommitmentStreamAlone) {
  const Opened o = instance();
  PcsProver used = commit(o, 1), fresh = commit(o, 1);
  ProverRng r = ProverRng::from_seed_u64(5);
  (void)open_once(used, o, &r);
  EXPECT_EQ(open_once(used, o, nullptr).salts, open_once(fresh, o, nullptr).salts);
}

}  // namespace
}  // namespace zkpot
