// Binary Merkle trees: the prover's half (docs/PROTOCOL.md §7). Builds a tree
// over 2^h leaves with the hashing of common/merkle.h, multithreaded, and opens
// single paths and multi-paths in the canonical order the verifier expects.
//
// All levels live in one flat buffer in heap order: the root at index 1, the
// children of node v at 2v and 2v + 1, leaf i at 2^h + i (index 0 is unused).
// In hiding mode every leaf gets a fresh 32-byte salt from the ProverRng; the
// tree keeps the salts, and openings return them.
#pragma once

#include <sodium.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "common/hash.h"
#include "common/merkle.h"
#include "prover/parallel.h"
#include "prover/rng.h"

namespace zkpot {

template <class H = Blake2b256>
class MerkleTree {
 public:
  using Digest = typename H::Digest;

  // One authentication path: siblings[j] is the sibling at level j (0 = leaves).
  struct PathOpening {
    uint64_t index = 0;
    MerkleSalt salt{};  // all zero in public mode (and not part of the proof)
    std::vector<Digest> siblings;
  };
  // A multi-path opening: strictly increasing indices, one salt per index in
  // hiding mode (none in public mode), siblings in the canonical order of
  // docs/PROTOCOL.md §7.3.
  struct MultiOpening {
    std::vector<uint64_t> indices;
    std::vector<MerkleSalt> salts;
    std::vector<Digest> siblings;
  };

  // A tree holds 2^(h+1) digests: moved, never copied by accident.
  MerkleTree(MerkleTree&&) noexcept = default;
  MerkleTree& operator=(MerkleTree&&) noexcept = default;
  MerkleTree(const MerkleTree&) = delete;
  MerkleTree& operator=(const MerkleTree&) = delete;

  // Leaf i is the row elements[i * row_width, (i + 1) * row_width).
  template <class F>
  static MerkleTree commit_rows(std::span<const F> elements, size_t row_width) {
    return commit_rows_impl<F>(elements, row_width, nullptr);
  }
  template <class F>
  static MerkleTree commit_rows(std::span<const F> elements, size_t row_width, ProverRng& rng) {
    return commit_rows_impl<F>(elements, row_width, &rng);
  }

  // The same tree as commit_rows over rows * row_width elements, built from a
  // codeword the caller produces a chunk at a time: fill(q, out) writes rows
  // [q * rows_per_chunk, (q + 1) * rows_per_chunk) into out (rows_per_chunk *
  // row_width elements). Only one chunk is held at a time (docs/PROTOCOL.md
  // §9.7, recomputed codewords).
  template <class F, class ChunkFn>
  static MerkleTree commit_row_chunks(size_t rows, size_t row_width, size_t rows_per_chunk, ProverRng* rng,
                                      ChunkFn&& fill) {
    if (row_width == 0 || rows_per_chunk == 0 || rows % rows_per_chunk != 0)
      throw std::invalid_argument("MerkleTree::commit_row_chunks: rows are not a multiple of a nonzero chunk");
    MerkleTree t(rows);
    t.draw_salts(rng);
    std::vector<F> buf(rows_per_chunk * row_width);
    Digest* const leaf_digests = t.nodes_.data() + rows;
    for (size_t q = 0; q < rows / rows_per_chunk; ++q) {
      fill(q, std::span<F>(buf));
      const size_t first = q * rows_per_chunk;
      parallel_chunks(
          rows_per_chunk,
          [&](size_t b, size_t e, size_t) {
            t.hash_rows<F>(std::span<const F>(buf), row_width, first, b, e, leaf_digests + first);
          },
          kMinLeavesPerThread);
    }
    t.build_levels();
    return t;
  }

  // Structure of arrays: leaf i is the row (columns[0][i], ..., columns[w-1][i]),
  // hashed exactly as commit_rows hashes that row.
  template <class F>
  static MerkleTree commit_columns(std::span<const std::span<const F>> columns) {
    return commit_columns_impl<F>(columns, nullptr);
  }
  template <class F>
  static MerkleTree commit_columns(std::span<const std::span<const F>> columns, ProverRng& rng) {
    return commit_columns_impl<F>(columns, &rng);
  }

  // Leaf i is the byte string data[i * leaf_bytes, (i + 1) * leaf_bytes).
  static MerkleTree commit_leaves(std::span<const uint8_t> data, size_t leaf_bytes) {
    return commit_leaves_impl(data, leaf_bytes, nullptr);
  }
  static MerkleTree commit_leaves(std::span<const uint8_t> data, size_t leaf_bytes, ProverRng& rng) {
    return commit_leaves_impl(data, leaf_bytes, &rng);
  }

  const Digest& root() const { return nodes_[1]; }
  unsigned height() const { return height_; }
  size_t num_leaves() const { return size_t{1} << height_; }
  MerkleHiding hiding() const { return salts_.empty() ? MerkleHiding::kPublic : MerkleHiding::kSalted; }
  const MerkleSalt& salt(size_t leaf) const {
    check_leaf(leaf);
    if (salts_.empty()) throw std::logic_error("MerkleTree::salt: public-mode tree has no salts");
    return salts_[leaf];
  }
  // Node at `level` (0 = leaves, height() = root) and position within it.
  const Digest& node(unsigned level, uint64_t position) const {
    if (level > height_ || position >= (uint64_t{1} << (height_ - level)))
      throw std::out_of_range("MerkleTree::node: no such node");
    return nodes_[(size_t{1} << (height_ - level)) + position];
  }
  const Digest& leaf_digest(size_t leaf) const {
    check_leaf(leaf);
    return nodes_[num_leaves() + leaf];
  }

  PathOpening open(uint64_t index) const {
    check_leaf(index);
    PathOpening out;
    out.index = index;
    if (!salts_.empty()) out.salt = salts_[index];
    out.siblings.reserve(height_);
    for (unsigned level = 0; level < height_; ++level) out.siblings.push_back(node(level, (index >> level) ^ 1));
    return out;
  }

  // indices must be strictly increasing and inside the tree (use
  // merkle_canonicalize_indices on repeated query positions first).
  MultiOpening open_many(std::span<const uint64_t> indices) const {
    if (const MerkleStatus s = merkle_check_indices(height_, indices); s != MerkleStatus::kOk)
      throw std::invalid_argument(std::string("MerkleTree::open_many: ") + merkle_status_name(s));
    MultiOpening out;
    out.indices.assign(indices.begin(), indices.end());
    if (!salts_.empty()) {
      out.salts.reserve(indices.size());
      for (const uint64_t i : indices) out.salts.push_back(salts_[i]);
    }
    std::vector<uint64_t> positions(indices.begin(), indices.end());
    // The verifier's walk (common/merkle.h), so both agree on the order.
    (void)detail::merkle_multi_walk(
        height_, positions.data(), positions.size(), [](unsigned, size_t, size_t) {},
        [&](unsigned level, size_t, size_t, uint64_t sibling_pos) {
          out.siblings.push_back(node(level, sibling_pos));
          return true;
        });
    return out;
  }

 private:
  // Below this many items per thread a loop runs on the calling thread.
  static constexpr size_t kMinLeavesPerThread = 256;
  static constexpr size_t kMinNodesPerThread = 1024;

  explicit MerkleTree(size_t leaves) {
    // Selects libsodium's fastest BLAKE2b code; idempotent and thread-safe.
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    if (leaves == 0 || (leaves & (leaves - 1)) != 0)
      throw std::invalid_argument("MerkleTree: the number of leaves must be a power of two");
    height_ = 0;
    while ((size_t{1} << height_) < leaves) ++height_;
    if (height_ > kMaxMerkleHeight) throw std::invalid_argument("MerkleTree: too many leaves");
    nodes_.resize(2 * leaves);
  }

  void check_leaf(uint64_t leaf) const {
    if (leaf >= num_leaves()) throw std::out_of_range("MerkleTree: leaf index out of range");
  }

  // Salts are drawn in one sequential call, before any hashing, so a seeded
  // tree does not depend on the thread count.
  void draw_salts(ProverRng* rng) {
    if (rng == nullptr) return;
    static_assert(sizeof(MerkleSalt) == kMerkleSaltBytes, "salts must be packed");
    salts_.resize(num_leaves());
    rng->fill(salts_.data()->data(), salts_.size() * kMerkleSaltBytes);
  }

  // leaf(i) hashes leaf i (salted if salts_ is not empty); then the levels.
  template <class LeafFn>
  void build(LeafFn&& leaf) {
    build_ranges([&](size_t b, size_t e, Digest* out) {
      for (size_t i = b; i < e; ++i) out[i] = leaf(i);
    });
  }

  // leaves(b, e, out) hashes leaves [b, e) into out[b, e); then the levels.
  template <class RangeFn>
  void build_ranges(RangeFn&& leaves) {
    const size_t n = num_leaves();
    Digest* const leaf_digests = nodes_.data() + n;
    parallel_chunks(
        n, [&](size_t b, size_t e, size_t) { leaves(b, e, leaf_digests); }, kMinLeavesPerThread);
    build_levels();
  }

  // Hashes rows [b, e) of `elements` (row i is elements[i * row_width, ...)),
  // which are the tree's leaves first + b, ..., into out[b, e), salted with
  // those leaves' salts in hiding mode; four rows at a time
  // (merkle_row_digests4: BLAKE2b lanes where it can).
  template <class F>
  void hash_rows(std::span<const F> elements, size_t row_width, size_t first, size_t b, size_t e, Digest* out) const {
    auto row = [&](size_t i) { return elements.subspan(i * row_width, row_width); };
    const MerkleSalt* salts = salts_.empty() ? nullptr : salts_.data() + first;
    size_t i = b;
    for (; i + 4 <= e; i += 4) {
      const std::span<const F> rows[4] = {row(i), row(i + 1), row(i + 2), row(i + 3)};
      merkle_row_digests4<H, F>(salts != nullptr ? salts + i : nullptr, rows, out + i);
    }
    for (; i < e; ++i) out[i] = salts == nullptr ? merkle_row_digest<H, F>(row(i)) : merkle_row_digest<H, F>(salts[i], row(i));
  }

  // The levels above the leaf digests, a chunk of each at a time through
  // merkle_node_digests (lanes).
  void build_levels() {
    const size_t n = num_leaves();
    for (size_t width = n / 2; width >= 1; width /= 2) {
      Digest* const parents = nodes_.data() + width;
      const Digest* const children = nodes_.data() + 2 * width;
      parallel_chunks(
          width,
          [&](size_t b, size_t e, size_t) { merkle_node_digests<H>(children + 2 * b, e - b, parents + b); },
          kMinNodesPerThread);
    }
  }

  template <class F>
  static MerkleTree commit_rows_impl(std::span<const F> elements, size_t row_width, ProverRng* rng) {
    if (row_width == 0 || elements.size() % row_width != 0)
      throw std::invalid_argument("MerkleTree::commit_rows: element count is not a multiple of a nonzero width");
    MerkleTree t(elements.size() / row_width);
    t.draw_salts(rng);
    t.build_ranges([&](size_t b, size_t e, Digest* out) { t.hash_rows<F>(elements, row_width, 0, b, e, out); });
    return t;
  }

  template <class F>
  static MerkleTree commit_columns_impl(std::span<const std::span<const F>> columns, ProverRng* rng) {
    if (columns.empty()) throw std::invalid_argument("MerkleTree::commit_columns: no columns");
    const size_t n = columns[0].size();
    for (const auto& c : columns)
      if (c.size() != n) throw std::invalid_argument("MerkleTree::commit_columns: columns differ in length");
    MerkleTree t(n);
    t.draw_salts(rng);
    t.build([&](size_t i) {
      typename H::State st(personal::kMerkleLeaf);
      if (!t.salts_.empty()) st.update(t.salts_[i].data(), kMerkleSaltBytes);
      // Same bytes as merkle_row_digest of the gathered row, without gathering it.
      constexpr size_t kBufBytes = 256;
      uint8_t buf[kBufBytes];
      size_t fill = 0;
      for (const auto& c : columns) {
        if (fill + F::kEncodedBytes > kBufBytes) {
          st.update(buf, fill);
          fill = 0;
        }
        c[i].encode(buf + fill);
        fill += F::kEncodedBytes;
      }
      if (fill != 0) st.update(buf, fill);
      return st.finalize();
    });
    return t;
  }

  static MerkleTree commit_leaves_impl(std::span<const uint8_t> data, size_t leaf_bytes, ProverRng* rng) {
    if (leaf_bytes == 0 || data.size() % leaf_bytes != 0)
      throw std::invalid_argument("MerkleTree::commit_leaves: data length is not a multiple of a nonzero leaf size");
    MerkleTree t(data.size() / leaf_bytes);
    t.draw_salts(rng);
    t.build([&](size_t i) {
      const std::span<const uint8_t> leaf = data.subspan(i * leaf_bytes, leaf_bytes);
      return t.salts_.empty() ? merkle_leaf_digest<H>(leaf) : merkle_leaf_digest<H>(t.salts_[i], leaf);
    });
    return t;
  }

  unsigned height_ = 0;
  std::vector<Digest> nodes_;      // heap order, 2^(h+1) entries, [0] unused
  std::vector<MerkleSalt> salts_;  // one per leaf in hiding mode, else empty
};

}  // namespace zkpot
