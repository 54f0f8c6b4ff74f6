// The batched Merkle-node hash (common/blake2b_lanes.h) against libsodium's
// BLAKE2b-256 with the same personalisation, on every batch length around the
// lane width, through both the lane code and the portable code.
#include "common/blake2b_lanes.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <cstring>
#include <vector>

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

}  // namespace
}  // namespace zkpot
