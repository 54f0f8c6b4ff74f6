// The per-round tables of the commitment verifier (common/pcs_maths.h) give
// exactly the values of the per-leaf functions they replace.
#include "common/pcs_maths.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace zkpot {
namespace {

Gl random_base(std::mt19937_64& rng) { return Gl::from_u64(rng()); }
GlExt3 random_ext(std::mt19937_64& rng) {
  const Gl c[3] = {random_base(rng), random_base(rng), random_base(rng)};
  return GlExt3::from_coeffs(c);
}

TEST(PcsLeafPoints, MatchPowBasedLeafPoints) {
  std::mt19937_64 rng(11);
  const uint64_t shift = Goldilocks::kGenerator;
  const Gl shift_inv = Gl::from_u64(shift).inverse();
  for (unsigned log_n : {1u, 2u, 5u, 13u, 25u, 32u}) {
    for (unsigned k : {0u, 1u, 4u, 5u}) {
      if (k > log_n) continue;
      const PcsLeafPoints<Gl> points(shift, shift_inv, log_n, k);
      const uint64_t leaves = uint64_t{1} << (log_n - k);
      for (int i = 0; i < 200; ++i) {
        const uint64_t leaf = i < 2 ? (i == 0 ? 0 : leaves - 1) : rng() % leaves;
        const Gl y = pcs_leaf_point<Gl>(shift, log_n, k, leaf);
        ASSERT_EQ(points.point(leaf), y) << log_n << " " << k << " " << leaf;
        ASSERT_EQ(points.inverse(leaf), pcs_leaf_point_inverse<Gl>(shift_inv, log_n, k, leaf));
        ASSERT_EQ(points.point(leaf) * points.inverse(leaf), Gl::one());
      }
    }
  }
}

TEST(PcsLeafFolder, MatchesPcsFoldLeafOnBaseAndExtensionLeaves) {
  std::mt19937_64 rng(12);
  for (unsigned k = 0; k <= PcsLeafFolder<Gl>::kMaxLeafBits; ++k) {
    const size_t n = size_t{1} << k;
    const PcsLeafFolder<Gl> folder(k);
    ASSERT_TRUE(PcsLeafFolder<Gl>::supports(k));
    std::vector<GlExt3> r(k), work(n > 1 ? n / 2 : 1), work2(work.size());
    for (int trial = 0; trial < 20; ++trial) {
      for (auto& x : r) x = random_ext(rng);
      std::vector<Gl> base(n);
      std::vector<GlExt3> ext(n);
      for (auto& x : base) x = random_base(rng);
      for (auto& x : ext) x = random_ext(rng);
      const Gl y_inv = random_base(rng);
      EXPECT_EQ((folder.fold<GlExt3, Gl>(base, y_inv, r, work)),
                (pcs_fold_leaf<Gl, GlExt3, Gl>(base, k, y_inv, r, work2)))
          << k;
      EXPECT_EQ((folder.fold<GlExt3, GlExt3>(ext, y_inv, r, work)),
                (pcs_fold_leaf<Gl, GlExt3, GlExt3>(ext, k, y_inv, r, work2)))
          << k;
    }
  }
  EXPECT_FALSE(PcsLeafFolder<Gl>::supports(PcsLeafFolder<Gl>::kMaxLeafBits + 1));
}

}  // namespace
}  // namespace zkpot

namespace zkpot {
namespace {

// The prover's grinding tests four nonces at once (in BLAKE2b lanes where the
// CPU has them): it must name the same first passing nonce as pcs_pow_ok one
// by one, at every position in the group and when none of the four passes.
TEST(PcsPow, FirstOfFourMatchesOneByOne) {
  std::mt19937_64 rng(21);
  size_t found = 0, none = 0;
  for (int c = 0; c < 40; ++c) {
    Blake2b256::Digest challenge;
    for (auto& b : challenge) b = static_cast<uint8_t>(rng());
    for (unsigned bits : {0u, 1u, 2u, 3u, 5u, 8u, 63u, 64u}) {
      for (uint64_t first : {uint64_t{0}, uint64_t{1} << 40, rng()}) {
        unsigned want = 4;
        for (unsigned l = 0; l < 4 && want == 4; ++l)
          if (pcs_pow_ok<Blake2b256>(challenge, first + l, bits)) want = l;
        ASSERT_EQ(pcs_pow_first_of4<Blake2b256>(challenge, first, bits), want) << bits << " " << first;
        (want < 4 ? found : none) += 1;
      }
    }
  }
  EXPECT_GT(found, 100u);  // both outcomes, at several positions
  EXPECT_GT(none, 100u);
}

}  // namespace
}  // namespace zkpot
