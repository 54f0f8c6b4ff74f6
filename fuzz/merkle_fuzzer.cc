// Fuzzes the multi-path verifier (common/merkle.h, docs/PROTOCOL.md §7.3)
// against a fixed 32-leaf salted tree. It must never read out of bounds, and
// it may accept only the honest opening: the true rows, salts and siblings.
//
// Input: height(1) | q(1) | q index bytes | mode(1) | rest.
//   mode even: the honest siblings of the given indices (when they are a
//              valid set), then rest = pairs (offset, xor) that flip bytes of
//              the rows, salts and siblings, as one flat buffer.
//   mode odd:  rest is read as the sibling digests, 32 bytes each.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

#include "common/extension.h"
#include "common/merkle.h"
#include "prover/merkle_tree.h"
#include "prover/rng.h"

namespace {

using zkpot::Blake2b256;
using zkpot::Gl;
using Digest = Blake2b256::Digest;

constexpr unsigned kHeight = 5;
constexpr size_t kLeaves = size_t{1} << kHeight;

struct Fixture {
  std::vector<Gl> rows;
  zkpot::MerkleTree<> tree;
  static Fixture make() {
    std::vector<Gl> r(kLeaves);
    for (size_t i = 0; i < kLeaves; ++i) r[i] = Gl::from_u64(i * 0x9E3779B97F4A7C15ULL);
    zkpot::ProverRng rng = zkpot::ProverRng::from_seed_u64(1);
    auto t = zkpot::MerkleTree<>::commit_rows<Gl>(r, 1, rng);
    return Fixture{std::move(r), std::move(t)};
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Fixture fx = Fixture::make();
  size_t at = 0;
  auto next = [&](uint8_t* out) {
    if (at >= size) return false;
    *out = data[at++];
    return true;
  };
  uint8_t height_byte = 0, q_byte = 0, mode = 0;
  if (!next(&height_byte) || !next(&q_byte)) return 0;
  const unsigned height = height_byte % 40;  // heights above the cap too
  const size_t q = q_byte % 40;
  std::vector<uint64_t> idx(q);
  for (auto& i : idx) {
    uint8_t b = 0;
    if (!next(&b)) return 0;
    i = b;
  }
  if (!next(&mode)) return 0;

  // Claimed rows and salts: the true ones where the index exists, else zero.
  std::vector<Gl> rows(q);
  std::vector<zkpot::MerkleSalt> salts(q);
  for (size_t k = 0; k < q; ++k) {
    if (idx[k] < kLeaves) {
      rows[k] = fx.rows[idx[k]];
      salts[k] = fx.tree.salt(idx[k]);
    }
  }
  std::vector<Digest> siblings;
  if (mode % 2 == 0) {
    if (zkpot::merkle_check_indices(kHeight, idx) == zkpot::MerkleStatus::kOk) siblings = fx.tree.open_many(idx).siblings;
    // Byte flips over rows | salts | siblings, viewed as one buffer.
    while (at + 2 <= size) {
      const size_t total = q * 8 + q * 32 + siblings.size() * 32;
      if (total == 0) break;
      size_t off = data[at] % total;
      const uint8_t x = data[at + 1];
      at += 2;
      if (off < q * 8) {
        uint64_t v = rows[off / 8].value() ^ (uint64_t{x} << (8 * (off % 8)));
        rows[off / 8] = Gl::from_u64(v);
        continue;
      }
      off -= q * 8;
      if (off < q * 32) {
        salts[off / 32][off % 32] ^= x;
        continue;
      }
      off -= q * 32;
      siblings[off / 32][off % 32] ^= x;
    }
  } else {
    while (at + 32 <= size) {
      Digest d;
      std::memcpy(d.data(), data + at, 32);
      siblings.push_back(d);
      at += 32;
    }
  }

  std::vector<Digest> dig(q);
  std::vector<uint64_t> pos(q);
  const zkpot::MerkleStatus s = zkpot::merkle_verify_multi_rows<Blake2b256, Gl>(
      fx.tree.root(), height, zkpot::MerkleHiding::kSalted, idx, rows, 1, salts, siblings,
      zkpot::MerkleScratch<>{dig, pos});
  if (s == zkpot::MerkleStatus::kOk) {
    // Binding: only the honest opening may be accepted.
    if (height != kHeight) std::abort();
    for (size_t k = 0; k < q; ++k)
      if (rows[k] != fx.rows[idx[k]] || salts[k] != fx.tree.salt(idx[k])) std::abort();
    if (siblings != fx.tree.open_many(idx).siblings) std::abort();
  }
  return 0;
}
