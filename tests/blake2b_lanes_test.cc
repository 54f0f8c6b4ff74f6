// The batched Merkle-node hash (common/blake2b_lanes.h) against libsodium's
// BLAKE2b-256 with the same personalisation, on every batch length around the
// lane width, through both the lane code and the portable code.
#include "common/blake2b_lanes.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <cstring>
#include <vector>

#include "common/extension.h"
#include "common/hash.h"
#include "common/merkle.h"

namespace zkpot {
namespace {

std::vector<uint8_t> messages(size_t n, uint8_t seed) {
  std::vector<uint8_t> m(64 * n);
  for (size_t i = 0; i < m.size(); ++i) m[i] = static_cast<uint8_t>(i * 131 + seed * 17 + (i >> 8));
  return m;
}

Blake2b256::Digest sodium_node(const uint8_t* msg) {
  uint8_t pers[crypto_generichash_blake2b_PERSONALBYTES] = {0};
  std::memcpy(pers, personal::kMerkleNode.data(), personal::kMerkleNode.size());
  Blake2b256::Digest d{};
  EXPECT_EQ(0, crypto_generichash_blake2b_salt_personal(d.data(), d.size(), msg, 64, nullptr, 0, nullptr, pers));
  return d;
}

TEST(Blake2bLanes, BatchEqualsLibsodiumForEveryLength) {
  const blake2b_lanes::InitialState init(personal::kMerkleNode);
  for (size_t n = 1; n <= 13; ++n) {
    const std::vector<uint8_t> m = messages(n, static_cast<uint8_t>(n));
    std::vector<uint8_t> out(32 * n, 0);
    blake2b_lanes::hash64_many(init, m.data(), n, out.data());
    for (size_t i = 0; i < n; ++i) {
      const Blake2b256::Digest want = sodium_node(m.data() + 64 * i);
      EXPECT_EQ(0, std::memcmp(want.data(), out.data() + 32 * i, 32)) << "n=" << n << " i=" << i;
    }
  }
}

TEST(Blake2bLanes, PortableEqualsLibsodium) {
  const blake2b_lanes::InitialState init(personal::kMerkleNode);
  const std::vector<uint8_t> m = messages(5, 3);
  for (size_t i = 0; i < 5; ++i) {
    uint8_t out[32];
    blake2b_lanes::detail::compress64_portable(init, m.data() + 64 * i, out);
    const Blake2b256::Digest want = sodium_node(m.data() + 64 * i);
    EXPECT_EQ(0, std::memcmp(want.data(), out, 32));
  }
}

TEST(Blake2bLanes, AgreesWithMerkleNodeDigest) {
  Blake2b256::Digest a{}, b{};
  for (size_t i = 0; i < 32; ++i) {
    a[i] = static_cast<uint8_t>(i);
    b[i] = static_cast<uint8_t>(255 - i);
  }
  uint8_t msg[64];
  std::memcpy(msg, a.data(), 32);
  std::memcpy(msg + 32, b.data(), 32);
  uint8_t out[32];
  blake2b_lanes::hash64_many(blake2b_lanes::InitialState(personal::kMerkleNode), msg, 1, out);
  const Blake2b256::Digest want = merkle_node_digest<Blake2b256>(a, b);
  EXPECT_EQ(0, std::memcmp(want.data(), out, 32));
  // Another personalisation gives another digest.
  blake2b_lanes::hash64_many(blake2b_lanes::InitialState(personal::kMerkleLeaf), msg, 1, out);
  EXPECT_NE(0, std::memcmp(want.data(), out, 32));
}

TEST(Blake2bLanes, Hash4EqualsLibsodiumForAnyLength) {
  const blake2b_lanes::InitialState init(personal::kMerkleLeaf);
  uint8_t pers[crypto_generichash_blake2b_PERSONALBYTES] = {0};
  std::memcpy(pers, personal::kMerkleLeaf.data(), personal::kMerkleLeaf.size());
  for (size_t len : {size_t{0}, size_t{1}, size_t{64}, size_t{127}, size_t{128}, size_t{129}, size_t{256},
                     size_t{288}, size_t{416}, size_t{800}, size_t{2048}}) {
    std::vector<uint8_t> m[4];
    const uint8_t* ptrs[4];
    for (int l = 0; l < 4; ++l) {
      m[l].resize(len + 1);  // + 1: a valid pointer for the empty message
      for (size_t i = 0; i < len; ++i) m[l][i] = static_cast<uint8_t>(i * 29 + l * 101 + (i >> 7));
      ptrs[l] = m[l].data();
    }
    uint8_t out[4 * 32];
    if (!blake2b_lanes::hash4(init, ptrs, len, out)) GTEST_SKIP() << "no AVX2 on this CPU";
    for (int l = 0; l < 4; ++l) {
      Blake2b256::Digest want{};
      ASSERT_EQ(0, crypto_generichash_blake2b_salt_personal(want.data(), want.size(), m[l].data(), len, nullptr, 0,
                                                            nullptr, pers));
      EXPECT_EQ(0, std::memcmp(want.data(), out + 32 * l, 32)) << "len=" << len << " lane=" << l;
    }
  }
}

TEST(Blake2bLanes, RowDigests4EqualMerkleRowDigest) {
  // Base and extension rows, salted and public, the widths PCS leaves have,
  // and one past the lane path's message cap (the one-by-one fallback).
  for (size_t width : {size_t{1}, size_t{16}, size_t{20}, size_t{32}, size_t{100}}) {
    std::vector<Gl> base[4];
    std::vector<GlExt3> ext[4];
    MerkleSalt salts[4];
    std::span<const Gl> brows[4];
    std::span<const GlExt3> erows[4];
    for (int l = 0; l < 4; ++l) {
      for (size_t i = 0; i < width; ++i) {
        base[l].push_back(Gl::from_u64(i * 7919 + l * 104729 + 3));
        const Gl c[3] = {Gl::from_u64(i + l), Gl::from_u64(~uint64_t{0} - i), Gl::from_u64(i * l + 1)};
        ext[l].push_back(GlExt3::from_coeffs(c));
      }
      for (size_t b = 0; b < salts[l].size(); ++b) salts[l][b] = static_cast<uint8_t>(b * 3 + l);
      brows[l] = base[l];
      erows[l] = ext[l];
    }
    Blake2b256::Digest got[4];
    merkle_row_digests4<Blake2b256, Gl>(salts, brows, got);
    for (int l = 0; l < 4; ++l) EXPECT_EQ(got[l], (merkle_row_digest<Blake2b256, Gl>(salts[l], brows[l]))) << width;
    merkle_row_digests4<Blake2b256, Gl>(nullptr, brows, got);
    for (int l = 0; l < 4; ++l) EXPECT_EQ(got[l], (merkle_row_digest<Blake2b256, Gl>(brows[l]))) << width;
    merkle_row_digests4<Blake2b256, GlExt3>(salts, erows, got);
    for (int l = 0; l < 4; ++l)
      EXPECT_EQ(got[l], (merkle_row_digest<Blake2b256, GlExt3>(salts[l], erows[l]))) << width;
  }
}

}  // namespace
}  // namespace zkpot
