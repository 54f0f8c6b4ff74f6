// Binary Merkle trees: the verifier's half (docs/PROTOCOL.md §7).
//
// A tree of height h has 2^h leaves. A leaf is a byte string, usually the
// canonical encoding of a row of field elements; its digest is
// H_leaf(salt || leaf bytes), with a 32-byte salt in hiding mode and no salt
// in public mode. A node is H_node(left || right). The prover's side is in
// prover/merkle_tree.h.
//
// Every function here checks every length before use, returns a status
// instead of throwing, and allocates nothing: scratch comes from the caller
// (or from a bounded Arena, with a size query).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <type_traits>

#include "common/arena.h"
#include "common/blake2b_lanes.h"
#include "common/hash.h"

namespace zkpot {

inline constexpr size_t kMerkleSaltBytes = 32;
using MerkleSalt = std::array<uint8_t, kMerkleSaltBytes>;

// 2^32 leaves is the largest evaluation domain of the field (2-adicity 32);
// the cap also keeps 2^height far from overflowing a 64-bit index.
inline constexpr unsigned kMaxMerkleHeight = 32;

// Whether leaves carry salts. Fixed by the parameters of the tree, never read
// from the proof.
enum class MerkleHiding : uint8_t { kPublic = 0, kSalted = 1 };

enum class MerkleStatus : uint8_t {
  kOk = 0,
  kHeightTooLarge,
  kNoIndices,
  kIndexOutOfRange,
  kIndicesNotStrictlyIncreasing,
  kLeafCountMismatch,
  kSaltCountMismatch,
  kLeafLengthMismatch,
  kTooFewSiblings,
  kTooManySiblings,
  kScratchTooSmall,
  kRootMismatch,
};

inline const char* merkle_status_name(MerkleStatus s) {
  switch (s) {
    case MerkleStatus::kOk: return "ok";
    case MerkleStatus::kHeightTooLarge: return "tree height above the maximum";
    case MerkleStatus::kNoIndices: return "no leaf opened";
    case MerkleStatus::kIndexOutOfRange: return "leaf index out of range";
    case MerkleStatus::kIndicesNotStrictlyIncreasing: return "leaf indices not strictly increasing";
    case MerkleStatus::kLeafCountMismatch: return "number of leaves differs from number of indices";
    case MerkleStatus::kSaltCountMismatch: return "number of salts does not match the hiding mode";
    case MerkleStatus::kLeafLengthMismatch: return "leaf data length does not match the leaf width";
    case MerkleStatus::kTooFewSiblings: return "too few sibling hashes";
    case MerkleStatus::kTooManySiblings: return "too many sibling hashes";
    case MerkleStatus::kScratchTooSmall: return "scratch too small";
    case MerkleStatus::kRootMismatch: return "root mismatch";
  }
  return "unknown status";
}

// ---------------------------------------------------------------------------
// Leaf and node hashing (docs/PROTOCOL.md §7.1).

namespace detail {

// Feeds the canonical encodings of a row, in order, through a stack buffer so
// that a wide row costs a few update calls rather than one per element.
template <class H, class F>
void merkle_absorb_row(typename H::State& st, std::span<const F> row) {
  constexpr size_t kBufBytes = 256;
  static_assert(F::kEncodedBytes <= kBufBytes, "field element wider than the row buffer");
  uint8_t buf[kBufBytes];
  size_t fill = 0;
  for (const F& x : row) {
    if (fill + F::kEncodedBytes > kBufBytes) {
      st.update(buf, fill);
      fill = 0;
    }
    x.encode(buf + fill);
    fill += F::kEncodedBytes;
  }
  if (fill != 0) st.update(buf, fill);
}

}  // namespace detail

// Public-mode leaf: H_leaf(leaf bytes).
template <class H = Blake2b256>
typename H::Digest merkle_leaf_digest(std::span<const uint8_t> leaf) {
  typename H::State st(personal::kMerkleLeaf);
  st.update(leaf.data(), leaf.size());
  return st.finalize();
}
// Hiding-mode leaf: H_leaf(salt || leaf bytes).
template <class H = Blake2b256>
typename H::Digest merkle_leaf_digest(const MerkleSalt& salt, std::span<const uint8_t> leaf) {
  typename H::State st(personal::kMerkleLeaf);
  st.update(salt.data(), salt.size());
  st.update(leaf.data(), leaf.size());
  return st.finalize();
}
// A row of field elements, encoded element by element (each F::kEncodedBytes,
// little endian): the same digest as merkle_leaf_digest of those bytes.
template <class H = Blake2b256, class F>
typename H::Digest merkle_row_digest(std::span<const F> row) {
  typename H::State st(personal::kMerkleLeaf);
  detail::merkle_absorb_row<H, F>(st, row);
  return st.finalize();
}
template <class H = Blake2b256, class F>
typename H::Digest merkle_row_digest(const MerkleSalt& salt, std::span<const F> row) {
  typename H::State st(personal::kMerkleLeaf);
  st.update(salt.data(), salt.size());
  detail::merkle_absorb_row<H, F>(st, row);
  return st.finalize();
}

// merkle_row_digest of four rows of one width (salted when salts is not
// null), the four leaf hashes side by side in BLAKE2b lanes where the CPU has
// them (common/blake2b_lanes.h), else one by one: the same digests.
template <class H = Blake2b256, class F>
void merkle_row_digests4(const MerkleSalt* salts, const std::span<const F>* rows, typename H::Digest* out) {
  // 2 KiB of stack for the four messages: the production leaves are 288
  // bytes (salt and 32 base values) and 416 bytes (salt and 16 in K).
  constexpr size_t kMaxLaneMessage = 512;
  const size_t width = rows[0].size();
  const size_t len = (salts != nullptr ? kMerkleSaltBytes : 0) + width * F::kEncodedBytes;
  bool same_width = true;
  for (int l = 1; l < 4; ++l) same_width = same_width && rows[l].size() == width;
  if constexpr (std::is_same_v<H, Blake2b256>) {
    if (same_width && len <= kMaxLaneMessage) {
      static const blake2b_lanes::InitialState leaf_state(personal::kMerkleLeaf);
      uint8_t msgs[4][kMaxLaneMessage];
      const uint8_t* ptrs[4];
      for (int l = 0; l < 4; ++l) {
        uint8_t* p = msgs[l];
        if (salts != nullptr) {
          std::memcpy(p, salts[l].data(), kMerkleSaltBytes);
          p += kMerkleSaltBytes;
        }
        for (size_t i = 0; i < width; ++i) rows[l][i].encode(p + i * F::kEncodedBytes);
        ptrs[l] = msgs[l];
      }
      uint8_t digests[4 * 32];
      if (blake2b_lanes::hash4(leaf_state, ptrs, len, digests)) {
        for (int l = 0; l < 4; ++l) std::memcpy(out[l].data(), digests + 32 * l, 32);
        return;
      }
    }
  }
  for (int l = 0; l < 4; ++l)
    out[l] = salts != nullptr ? merkle_row_digest<H, F>(salts[l], rows[l]) : merkle_row_digest<H, F>(rows[l]);
}

template <class H = Blake2b256>
typename H::Digest merkle_node_digest(const typename H::Digest& left, const typename H::Digest& right) {
  return H::compress(personal::kMerkleNode, left, right);
}

// parents[i] = merkle_node_digest(children[2i], children[2i + 1]) for i < n:
// with BLAKE2b, four one-block compressions at a time in lanes
// (common/blake2b_lanes.h), reading each pair as its 64 contiguous bytes.
template <class H = Blake2b256>
void merkle_node_digests(const typename H::Digest* children, size_t n, typename H::Digest* parents) {
  if constexpr (std::is_same_v<H, Blake2b256>) {
    static_assert(sizeof(typename H::Digest) == 32, "pairs of children are read as 64 packed bytes");
    static const blake2b_lanes::InitialState node_state(personal::kMerkleNode);
    blake2b_lanes::hash64_many(node_state, reinterpret_cast<const uint8_t*>(children), n,
                               reinterpret_cast<uint8_t*>(parents));
  } else {
    for (size_t i = 0; i < n; ++i) parents[i] = merkle_node_digest<H>(children[2 * i], children[2 * i + 1]);
  }
}

// ---------------------------------------------------------------------------
// Single authentication path (docs/PROTOCOL.md §7.2).

// siblings[j] is the sibling of the path's node at level j (level 0 = leaves),
// exactly `height` of them.
template <class H = Blake2b256>
[[nodiscard]] MerkleStatus merkle_verify_path(const typename H::Digest& root, unsigned height, uint64_t index,
                                              const typename H::Digest& leaf_digest,
                                              std::span<const typename H::Digest> siblings) {
  if (height > kMaxMerkleHeight) return MerkleStatus::kHeightTooLarge;
  if (index >= (uint64_t{1} << height)) return MerkleStatus::kIndexOutOfRange;
  if (siblings.size() < height) return MerkleStatus::kTooFewSiblings;
  if (siblings.size() > height) return MerkleStatus::kTooManySiblings;
  typename H::Digest cur = leaf_digest;
  uint64_t pos = index;
  for (unsigned level = 0; level < height; ++level, pos >>= 1) {
    cur = (pos & 1) == 0 ? merkle_node_digest<H>(cur, siblings[level]) : merkle_node_digest<H>(siblings[level], cur);
  }
  return cur == root ? MerkleStatus::kOk : MerkleStatus::kRootMismatch;
}

// ---------------------------------------------------------------------------
// Multi-path openings (docs/PROTOCOL.md §7.3).
//
// The opened leaves have strictly increasing indices. The proof's siblings are
// the hashes the verifier cannot compute, in this canonical order: level by
// level from the leaves up, and within a level by increasing position. A
// sibling that is itself an opened node (or the parent of opened nodes) is
// never sent.

// The opened index set must be non-empty, strictly increasing and inside the
// tree. Duplicates are rejected rather than merged: a caller whose queries
// may repeat (FRI/WHIR indices drawn from a transcript) canonicalises them
// first with merkle_canonicalize_indices and opens each distinct leaf once.
[[nodiscard]] inline MerkleStatus merkle_check_indices(unsigned height, std::span<const uint64_t> indices) {
  if (height > kMaxMerkleHeight) return MerkleStatus::kHeightTooLarge;
  if (indices.empty()) return MerkleStatus::kNoIndices;
  const uint64_t n = uint64_t{1} << height;
  for (size_t i = 0; i < indices.size(); ++i) {
    if (indices[i] >= n) return MerkleStatus::kIndexOutOfRange;
    if (i > 0 && indices[i] <= indices[i - 1]) return MerkleStatus::kIndicesNotStrictlyIncreasing;
  }
  return MerkleStatus::kOk;
}

// Sorts indices in place and drops repeats (no allocation); returns the
// number of distinct indices, which now fill the front of the span.
inline size_t merkle_canonicalize_indices(std::span<uint64_t> indices) {
  std::sort(indices.begin(), indices.end());
  return static_cast<size_t>(std::unique(indices.begin(), indices.end()) - indices.begin());
}

// An upper bound on the sibling count of a multi-path opening of q leaves
// (each opened path needs at most one sibling per level), for parsers that cap
// a proof's length before reading it; SIZE_MAX if it overflows.
inline constexpr size_t merkle_max_multi_siblings(size_t q, unsigned height) {
  return height != 0 && q > SIZE_MAX / height ? SIZE_MAX : q * height;
}

namespace detail {

// Walks the levels of a multi-path opening, in the canonical order, in place:
// pos[0, m) holds strictly increasing positions at the current level. For a
// pair of opened siblings it calls on_pair(level, w, r) (children r and r + 1);
// otherwise on_sibling(level, w, r, sibling_position), which returns false when
// the proof has no sibling left. Either writes the parent to slot w <= r, so
// the walk needs no more memory than its input. Preconditions: indices checked
// by merkle_check_indices, m >= 1.
template <class OnPair, class OnSibling>
bool merkle_multi_walk(unsigned height, uint64_t* pos, size_t m, OnPair&& on_pair, OnSibling&& on_sibling) {
  for (unsigned level = 0; level < height; ++level) {
    size_t w = 0;
    for (size_t r = 0; r < m; ++w) {
      const uint64_t p = pos[r];
      if ((p & 1) == 0 && r + 1 < m && pos[r + 1] == p + 1) {
        on_pair(level, w, r);
        r += 2;
      } else {
        if (!on_sibling(level, w, r, p ^ 1)) return false;
        r += 1;
      }
      pos[w] = p >> 1;
    }
    m = w;
  }
  return true;
}

}  // namespace detail

// The exact number of siblings a canonical multi-path opening of `indices`
// carries. position_scratch must hold indices.size() entries.
[[nodiscard]] inline MerkleStatus merkle_multi_sibling_count(unsigned height, std::span<const uint64_t> indices,
                                                             std::span<uint64_t> position_scratch, size_t* count) {
  if (const MerkleStatus s = merkle_check_indices(height, indices); s != MerkleStatus::kOk) return s;
  if (position_scratch.size() < indices.size()) return MerkleStatus::kScratchTooSmall;
  std::copy(indices.begin(), indices.end(), position_scratch.begin());
  size_t n = 0;
  (void)detail::merkle_multi_walk(
      height, position_scratch.data(), indices.size(), [](unsigned, size_t, size_t) {},
      [&n](unsigned, size_t, size_t, uint64_t) {
        ++n;
        return true;
      });
  *count = n;
  return MerkleStatus::kOk;
}

namespace detail {

// The node hashes of a multi-path walk, gathered and computed a batch at a
// time (several independent one-block BLAKE2b compressions side by side,
// common/blake2b_lanes.h) instead of one by one; the digests are the same.
// A parent is written to its slot w only when its batch is hashed: slots of
// the current level are written at w <= r and read at r, and the reads of a
// batch all come before its writes, so the in-place walk stays correct as
// long as the batch is flushed before the next level reads it.
class MerkleNodeBatch {
 public:
  using Digest = Blake2b256::Digest;
  explicit MerkleNodeBatch(std::span<Digest> digests) : digests_(digests) {}
  void add(const Digest& left, const Digest& right, size_t slot) {
    children_[2 * n_] = left;
    children_[2 * n_ + 1] = right;
    slots_[n_++] = slot;
    if (n_ == kBatch) flush();
  }
  void flush() {
    if (n_ == 0) return;
    Digest out[kBatch];
    merkle_node_digests<Blake2b256>(children_, n_, out);
    for (size_t i = 0; i < n_; ++i) digests_[slots_[i]] = out[i];
    n_ = 0;
  }

 private:
  static constexpr size_t kBatch = 16;
  std::span<Digest> digests_;
  Digest children_[2 * kBatch];
  size_t slots_[kBatch];
  size_t n_ = 0;
};

}  // namespace detail

// Verifies a multi-path opening, overwriting `digests`: on entry digests[i] is
// the digest of leaf indices[i]. position_scratch must hold indices.size()
// entries and must not alias indices. Every sibling must be consumed, and none
// may be left over.
template <class H = Blake2b256>
[[nodiscard]] MerkleStatus merkle_verify_multi_path_in_place(const typename H::Digest& root, unsigned height,
                                                             std::span<const uint64_t> indices,
                                                             std::span<typename H::Digest> digests,
                                                             std::span<const typename H::Digest> siblings,
                                                             std::span<uint64_t> position_scratch) {
  if (const MerkleStatus s = merkle_check_indices(height, indices); s != MerkleStatus::kOk) return s;
  if (digests.size() != indices.size()) return MerkleStatus::kLeafCountMismatch;
  if (position_scratch.size() < indices.size()) return MerkleStatus::kScratchTooSmall;
  std::copy(indices.begin(), indices.end(), position_scratch.begin());
  size_t next = 0;
  bool enough = true;
  if constexpr (std::is_same_v<H, Blake2b256>) {
    detail::MerkleNodeBatch batch(digests);
    unsigned batch_level = 0;
    auto level_start = [&](unsigned level) {
      if (level != batch_level) {
        batch.flush();  // the previous level's parents, before this level reads them
        batch_level = level;
      }
    };
    enough = detail::merkle_multi_walk(
        height, position_scratch.data(), indices.size(),
        [&](unsigned level, size_t w, size_t r) {
          level_start(level);
          batch.add(digests[r], digests[r + 1], w);
        },
        [&](unsigned level, size_t w, size_t r, uint64_t sibling_pos) {
          level_start(level);
          if (next == siblings.size()) return false;
          const typename H::Digest& s = siblings[next++];
          if ((sibling_pos & 1) != 0)
            batch.add(digests[r], s, w);
          else
            batch.add(s, digests[r], w);
          return true;
        });
    batch.flush();
  } else {
    enough = detail::merkle_multi_walk(
        height, position_scratch.data(), indices.size(),
        [&](unsigned, size_t w, size_t r) { digests[w] = merkle_node_digest<H>(digests[r], digests[r + 1]); },
        [&](unsigned, size_t w, size_t r, uint64_t sibling_pos) {
          if (next == siblings.size()) return false;
          const typename H::Digest& s = siblings[next++];
          digests[w] =
              (sibling_pos & 1) != 0 ? merkle_node_digest<H>(digests[r], s) : merkle_node_digest<H>(s, digests[r]);
          return true;
        });
  }
  if (!enough) return MerkleStatus::kTooFewSiblings;
  if (next != siblings.size()) return MerkleStatus::kTooManySiblings;
  return digests[0] == root ? MerkleStatus::kOk : MerkleStatus::kRootMismatch;
}

// Scratch for the multi-path verifiers below: q digests and q positions.
template <class H = Blake2b256>
struct MerkleScratch {
  std::span<typename H::Digest> digests;
  std::span<uint64_t> positions;

  // Arena bytes that allocate(arena, q) needs, alignment included.
  static constexpr size_t bytes_for(size_t q) {
    return Arena::add_sizes(Arena::bytes_for<typename H::Digest>(q), Arena::bytes_for<uint64_t>(q));
  }
  // Empty spans (and arena.ok() == false) when the arena is too small.
  static MerkleScratch allocate(Arena& arena, size_t q) {
    MerkleScratch s;
    s.digests = arena.allocate<typename H::Digest>(q);
    s.positions = arena.allocate<uint64_t>(q);
    return s;
  }
};

// As merkle_verify_multi_path_in_place, leaving leaf_digests untouched.
template <class H = Blake2b256>
[[nodiscard]] MerkleStatus merkle_verify_multi_path(const typename H::Digest& root, unsigned height,
                                                    std::span<const uint64_t> indices,
                                                    std::span<const typename H::Digest> leaf_digests,
                                                    std::span<const typename H::Digest> siblings,
                                                    const MerkleScratch<H>& scratch) {
  if (leaf_digests.size() != indices.size()) return MerkleStatus::kLeafCountMismatch;
  if (scratch.digests.size() < indices.size()) return MerkleStatus::kScratchTooSmall;
  std::copy(leaf_digests.begin(), leaf_digests.end(), scratch.digests.begin());
  return merkle_verify_multi_path_in_place<H>(root, height, indices, scratch.digests.first(indices.size()), siblings,
                                              scratch.positions);
}

namespace detail {

// Salt count for q leaves in the given mode, checked against what was given.
inline bool merkle_salts_match(MerkleHiding hiding, size_t q, size_t n_salts) {
  return hiding == MerkleHiding::kSalted ? n_salts == q : n_salts == 0;
}

}  // namespace detail

// Verifies opened rows of field elements: rows holds q rows of row_width
// elements each, back to back, in the order of indices; salts holds q salts in
// hiding mode and none in public mode.
template <class H = Blake2b256, class F>
[[nodiscard]] MerkleStatus merkle_verify_multi_rows(const typename H::Digest& root, unsigned height,
                                                    MerkleHiding hiding, std::span<const uint64_t> indices,
                                                    std::span<const F> rows, size_t row_width,
                                                    std::span<const MerkleSalt> salts,
                                                    std::span<const typename H::Digest> siblings,
                                                    const MerkleScratch<H>& scratch) {
  const size_t q = indices.size();
  if (row_width == 0 || q > SIZE_MAX / row_width || rows.size() != q * row_width)
    return MerkleStatus::kLeafLengthMismatch;
  if (!detail::merkle_salts_match(hiding, q, salts.size())) return MerkleStatus::kSaltCountMismatch;
  if (scratch.digests.size() < q) return MerkleStatus::kScratchTooSmall;
  for (size_t i = 0; i < q; ++i) {
    const std::span<const F> row = rows.subspan(i * row_width, row_width);
    scratch.digests[i] = hiding == MerkleHiding::kSalted ? merkle_row_digest<H, F>(salts[i], row)
                                                         : merkle_row_digest<H, F>(row);
  }
  return merkle_verify_multi_path_in_place<H>(root, height, indices, scratch.digests.first(q), siblings,
                                              scratch.positions);
}

// The same for leaves given as raw bytes, leaf_bytes each, back to back.
template <class H = Blake2b256>
[[nodiscard]] MerkleStatus merkle_verify_multi_leaves(const typename H::Digest& root, unsigned height,
                                                      MerkleHiding hiding, std::span<const uint64_t> indices,
                                                      std::span<const uint8_t> leaves, size_t leaf_bytes,
                                                      std::span<const MerkleSalt> salts,
                                                      std::span<const typename H::Digest> siblings,
                                                      const MerkleScratch<H>& scratch) {
  const size_t q = indices.size();
  if (leaf_bytes == 0 || q > SIZE_MAX / leaf_bytes || leaves.size() != q * leaf_bytes)
    return MerkleStatus::kLeafLengthMismatch;
  if (!detail::merkle_salts_match(hiding, q, salts.size())) return MerkleStatus::kSaltCountMismatch;
  if (scratch.digests.size() < q) return MerkleStatus::kScratchTooSmall;
  for (size_t i = 0; i < q; ++i) {
    const std::span<const uint8_t> leaf = leaves.subspan(i * leaf_bytes, leaf_bytes);
    scratch.digests[i] =
        hiding == MerkleHiding::kSalted ? merkle_leaf_digest<H>(salts[i], leaf) : merkle_leaf_digest<H>(leaf);
  }
  return merkle_verify_multi_path_in_place<H>(root, height, indices, scratch.digests.first(q), siblings,
                                              scratch.positions);
}

}  // namespace zkpot
