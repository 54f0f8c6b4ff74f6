// Merkle trees (docs/PROTOCOL.md §7): the prover's tree and openings against
// the verifier's checks, honest and tampered.
#include "common/merkle.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <map>
#include <set>
#include <tuple>
#include <vector>

#include "common/extension.h"
#include "prover/merkle_tree.h"
#include "prover/parallel.h"
#include "prover/rng.h"
#include "tests/protocol_doc.h"

namespace zkpot {
namespace {

using Digest = Blake2b256::Digest;
using Tree = MerkleTree<>;

std::vector<Gl> random_elements(size_t n, uint64_t seed) {
  ProverRng rng = ProverRng::from_seed_u64(seed);
  std::vector<Gl> v(n);
  for (auto& x : v) x = rng.field<Gl>();
  return v;
}

Tree make_tree(const std::vector<Gl>& elems, size_t width, MerkleHiding hiding, uint64_t seed) {
  if (hiding == MerkleHiding::kPublic) return Tree::commit_rows<Gl>(elems, width);
  ProverRng rng = ProverRng::from_seed_u64(seed);
  return Tree::commit_rows<Gl>(elems, width, rng);
}

// The rows of the given leaves, back to back.
std::vector<Gl> gather_rows(const std::vector<Gl>& elems, size_t width, const std::vector<uint64_t>& idx) {
  std::vector<Gl> out;
  for (uint64_t i : idx) out.insert(out.end(), elems.begin() + i * width, elems.begin() + (i + 1) * width);
  return out;
}

Digest row_digest(std::span<const Gl> row) { return merkle_row_digest<Blake2b256, Gl>(row); }
Digest row_digest(const MerkleSalt& salt, std::span<const Gl> row) {
  return merkle_row_digest<Blake2b256, Gl>(salt, row);
}

// A random strictly increasing subset of [0, n) of size q.
std::vector<uint64_t> random_subset(uint64_t n, size_t q, ProverRng& rng) {
  std::set<uint64_t> s;
  while (s.size() < q) s.insert(rng.next_u64() % n);
  return {s.begin(), s.end()};
}

// Verifies rows with freshly allocated, exactly sized scratch from an arena.
MerkleStatus verify_rows(const Digest& root, unsigned height, MerkleHiding hiding, const std::vector<uint64_t>& idx,
                         const std::vector<Gl>& rows, size_t width, const std::vector<MerkleSalt>& salts,
                         const std::vector<Digest>& siblings) {
  std::vector<unsigned char> mem(MerkleScratch<>::bytes_for(idx.size()) + 1);
  Arena arena(mem.data(), mem.size());
  const auto scratch = MerkleScratch<>::allocate(arena, idx.size());
  EXPECT_TRUE(arena.ok());
  return merkle_verify_multi_rows<Blake2b256, Gl>(root, height, hiding, idx, rows, width, salts, siblings, scratch);
}

// ---------------------------------------------------------------------------
// Exact hashing (docs/PROTOCOL.md §7.1), recomputed with libsodium directly.

Digest sodium_digest(const char* personal, const std::vector<uint8_t>& msg) {
  uint8_t pers[crypto_generichash_blake2b_PERSONALBYTES] = {0};
  std::memcpy(pers, personal, std::strlen(personal));
  Digest d;
  EXPECT_EQ(crypto_generichash_blake2b_salt_personal(d.data(), d.size(), msg.data(), msg.size(), nullptr, 0, nullptr,
                                                     pers),
            0);
  return d;
}

TEST(MerkleHashing, LeafAndNodeDigestsMatchTheSpecification) {
  ASSERT_GE(sodium_init(), 0);
  const std::vector<Gl> row = {Gl::from_u64(1), Gl::from_u64(0x0102030405060708ULL), Gl::from_u64(Gl::kModulus - 1)};
  std::vector<uint8_t> enc(row.size() * 8);
  for (size_t i = 0; i < row.size(); ++i) row[i].encode(enc.data() + 8 * i);
  EXPECT_EQ(enc[8], 0x08);  // little endian

  MerkleSalt salt;
  for (size_t i = 0; i < salt.size(); ++i) salt[i] = static_cast<uint8_t>(0xA0 + i);
  std::vector<uint8_t> salted(salt.begin(), salt.end());
  salted.insert(salted.end(), enc.begin(), enc.end());

  EXPECT_EQ(row_digest(row), sodium_digest("zkpot/merkle/lf", enc));
  EXPECT_EQ(row_digest(salt, row), sodium_digest("zkpot/merkle/lf", salted));
  EXPECT_EQ(merkle_leaf_digest<Blake2b256>(enc), sodium_digest("zkpot/merkle/lf", enc));
  EXPECT_EQ(merkle_leaf_digest<Blake2b256>(salt, enc), sodium_digest("zkpot/merkle/lf", salted));

  const Digest a = sodium_digest("x", {1}), b = sodium_digest("x", {2});
  std::vector<uint8_t> ab(a.begin(), a.end());
  ab.insert(ab.end(), b.begin(), b.end());
  EXPECT_EQ(merkle_node_digest<Blake2b256>(a, b), sodium_digest("zkpot/merkle/nd", ab));
  EXPECT_NE(merkle_node_digest<Blake2b256>(a, b), merkle_node_digest<Blake2b256>(b, a));
}

TEST(MerkleHashing, WideRowsCrossTheEncodingBufferCorrectly) {
  // 100 elements of 24 bytes cross the 256-byte buffer at unaligned points.
  ProverRng rng = ProverRng::from_seed_u64(5);
  std::vector<GlExt3> row(100);
  for (auto& x : row) x = rng.field<GlExt3>();
  std::vector<uint8_t> enc(row.size() * GlExt3::kEncodedBytes);
  for (size_t i = 0; i < row.size(); ++i) row[i].encode(enc.data() + GlExt3::kEncodedBytes * i);
  EXPECT_EQ((merkle_row_digest<Blake2b256, GlExt3>(row)), merkle_leaf_digest<Blake2b256>(enc));
}

TEST(MerkleTreeBuild, RootOfFourLeavesIsComputedByHand) {
  const auto elems = random_elements(8, 1);  // 4 rows of 2
  ProverRng rng = ProverRng::from_seed_u64(2);
  const Tree t = Tree::commit_rows<Gl>(elems, 2, rng);
  Digest leaf[4];
  for (size_t i = 0; i < 4; ++i) {
    leaf[i] = row_digest(t.salt(i), std::span<const Gl>(elems).subspan(2 * i, 2));
    EXPECT_EQ(t.leaf_digest(i), leaf[i]);
  }
  const Digest n0 = merkle_node_digest<Blake2b256>(leaf[0], leaf[1]);
  const Digest n1 = merkle_node_digest<Blake2b256>(leaf[2], leaf[3]);
  EXPECT_EQ(t.root(), merkle_node_digest<Blake2b256>(n0, n1));
  EXPECT_EQ(t.node(1, 1), n1);
  EXPECT_EQ(t.node(2, 0), t.root());
  EXPECT_EQ(t.height(), 2u);
}

TEST(MerkleTreeBuild, SingleLeafTreeRootIsTheLeafDigest) {
  const auto elems = random_elements(3, 3);
  const Tree t = Tree::commit_rows<Gl>(elems, 3);
  EXPECT_EQ(t.height(), 0u);
  EXPECT_EQ(t.root(), row_digest(elems));
  const auto op = t.open(0);
  EXPECT_TRUE(op.siblings.empty());
  EXPECT_EQ(merkle_verify_path<Blake2b256>(t.root(), 0, 0, t.leaf_digest(0), op.siblings), MerkleStatus::kOk);
}

TEST(MerkleTreeBuild, RootDoesNotDependOnTheThreadCount) {
  const auto elems = random_elements(4 * 4096, 4);
  const unsigned saved = num_threads();
  std::vector<Digest> roots;
  for (unsigned threads : {1u, 2u, 3u, 8u}) {
    set_num_threads(threads);
    roots.push_back(make_tree(elems, 4, MerkleHiding::kSalted, 9).root());
    roots.push_back(make_tree(elems, 4, MerkleHiding::kPublic, 9).root());
  }
  set_num_threads(saved);
  for (size_t i = 2; i < roots.size(); ++i) EXPECT_EQ(roots[i], roots[i % 2]);
}

TEST(MerkleTreeBuild, ColumnsBytesAndRowsGiveTheSameTree) {
  const size_t n = 64, w = 5;
  const auto elems = random_elements(n * w, 6);
  std::vector<std::vector<Gl>> cols(w, std::vector<Gl>(n));
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < w; ++j) cols[j][i] = elems[i * w + j];
  std::vector<std::span<const Gl>> col_spans(cols.begin(), cols.end());
  std::vector<uint8_t> bytes(n * w * 8);
  for (size_t i = 0; i < n * w; ++i) elems[i].encode(bytes.data() + 8 * i);

  for (MerkleHiding h : {MerkleHiding::kPublic, MerkleHiding::kSalted}) {
    ProverRng r1 = ProverRng::from_seed_u64(7), r2 = ProverRng::from_seed_u64(7), r3 = ProverRng::from_seed_u64(7);
    const Tree rows = h == MerkleHiding::kSalted ? Tree::commit_rows<Gl>(elems, w, r1) : Tree::commit_rows<Gl>(elems, w);
    const Tree columns = h == MerkleHiding::kSalted ? Tree::commit_columns<Gl>(col_spans, r2)
                                                    : Tree::commit_columns<Gl>(col_spans);
    const Tree raw = h == MerkleHiding::kSalted ? Tree::commit_leaves(bytes, w * 8, r3) : Tree::commit_leaves(bytes, w * 8);
    EXPECT_EQ(rows.root(), columns.root());
    EXPECT_EQ(rows.root(), raw.root());
    EXPECT_EQ(rows.hiding(), h);
  }
}

TEST(MerkleTreeBuild, SaltedCommitmentsAreRandomisedAndPublicOnesDeterministic) {
  const auto elems = random_elements(32, 8);
  EXPECT_NE(make_tree(elems, 1, MerkleHiding::kSalted, 1).root(), make_tree(elems, 1, MerkleHiding::kSalted, 2).root());
  EXPECT_EQ(make_tree(elems, 1, MerkleHiding::kPublic, 1).root(), make_tree(elems, 1, MerkleHiding::kPublic, 2).root());
  // Distinct salts within a tree.
  const Tree t = make_tree(elems, 1, MerkleHiding::kSalted, 3);
  std::set<MerkleSalt> salts;
  for (size_t i = 0; i < t.num_leaves(); ++i) salts.insert(t.salt(i));
  EXPECT_EQ(salts.size(), t.num_leaves());
}

TEST(MerkleTreeBuild, RejectsMalformedInput) {
  const auto elems = random_elements(12, 9);
  EXPECT_THROW(Tree::commit_rows<Gl>(elems, 4), std::invalid_argument);  // 3 leaves
  EXPECT_THROW(Tree::commit_rows<Gl>(elems, 5), std::invalid_argument);  // 12 % 5 != 0
  EXPECT_THROW(Tree::commit_rows<Gl>(elems, 0), std::invalid_argument);
  EXPECT_THROW(Tree::commit_rows<Gl>(std::span<const Gl>(), 1), std::invalid_argument);
  const std::vector<Gl> a(4), b(8);
  const std::vector<std::span<const Gl>> ragged = {a, b};
  EXPECT_THROW(Tree::commit_columns<Gl>(ragged), std::invalid_argument);
  const Tree t = Tree::commit_rows<Gl>(elems, 3);  // 4 leaves
  EXPECT_THROW(t.open(4), std::out_of_range);
  EXPECT_THROW(t.salt(0), std::logic_error);
  const std::vector<uint64_t> unsorted = {2, 1}, dup = {1, 1}, out = {4};
  EXPECT_THROW(t.open_many(unsorted), std::invalid_argument);
  EXPECT_THROW(t.open_many(dup), std::invalid_argument);
  EXPECT_THROW(t.open_many(out), std::invalid_argument);
  EXPECT_THROW(t.open_many(std::span<const uint64_t>()), std::invalid_argument);
}

// ---------------------------------------------------------------------------
// Honest openings verify.

TEST(MerklePath, HonestPathsVerifyForEveryHeight) {
  ProverRng pick = ProverRng::from_seed_u64(10);
  for (unsigned h = 0; h <= 12; ++h) {
    const size_t n = size_t{1} << h, w = 1 + h % 3;
    const auto elems = random_elements(n * w, 100 + h);
    for (MerkleHiding hiding : {MerkleHiding::kPublic, MerkleHiding::kSalted}) {
      const Tree t = make_tree(elems, w, hiding, h);
      for (int k = 0; k < 16; ++k) {
        const uint64_t i = pick.next_u64() % n;
        const auto op = t.open(i);
        const std::span<const Gl> row = std::span<const Gl>(elems).subspan(i * w, w);
        const Digest leaf = hiding == MerkleHiding::kSalted ? row_digest(op.salt, row)
                                                            : row_digest(row);
        EXPECT_EQ(merkle_verify_path<Blake2b256>(t.root(), h, i, leaf, op.siblings), MerkleStatus::kOk)
            << "h=" << h << " i=" << i;
      }
    }
  }
}

// The siblings a multi-path opening must carry, in the canonical order,
// computed independently with sets: level by level, increasing position.
std::vector<std::pair<unsigned, uint64_t>> reference_siblings(unsigned h, const std::vector<uint64_t>& idx) {
  std::vector<std::pair<unsigned, uint64_t>> out;
  std::set<uint64_t> known(idx.begin(), idx.end());
  for (unsigned level = 0; level < h; ++level) {
    std::set<uint64_t> need, parents;
    for (uint64_t p : known) {
      if (!known.count(p ^ 1)) need.insert(p ^ 1);
      parents.insert(p >> 1);
    }
    for (uint64_t s : need) out.emplace_back(level, s);
    known = parents;
  }
  return out;
}

TEST(MerkleMultiPath, HonestOpeningsVerifyAndFollowTheCanonicalOrder) {
  ProverRng pick = ProverRng::from_seed_u64(11);
  for (unsigned h = 0; h <= 12; ++h) {
    const size_t n = size_t{1} << h, w = 2;
    const auto elems = random_elements(n * w, 200 + h);
    for (MerkleHiding hiding : {MerkleHiding::kPublic, MerkleHiding::kSalted}) {
      const Tree t = make_tree(elems, w, hiding, 50 + h);
      for (size_t q : {size_t{1}, size_t{2}, size_t{3}, n / 4 + 1, n / 2, n}) {
        if (q == 0 || q > n) continue;
        const auto idx = random_subset(n, q, pick);
        const auto op = t.open_many(idx);
        EXPECT_EQ(op.indices, idx);
        EXPECT_EQ(op.salts.size(), hiding == MerkleHiding::kSalted ? q : 0);
        const auto ref = reference_siblings(h, idx);
        ASSERT_EQ(op.siblings.size(), ref.size());
        for (size_t k = 0; k < ref.size(); ++k) EXPECT_EQ(op.siblings[k], t.node(ref[k].first, ref[k].second));
        EXPECT_LE(op.siblings.size(), merkle_max_multi_siblings(q, h));
        std::vector<uint64_t> scratch(q);
        size_t count = 0;
        ASSERT_EQ(merkle_multi_sibling_count(h, idx, scratch, &count), MerkleStatus::kOk);
        EXPECT_EQ(count, ref.size());
        EXPECT_EQ(verify_rows(t.root(), h, hiding, idx, gather_rows(elems, w, idx), w, op.salts, op.siblings),
                  MerkleStatus::kOk)
            << "h=" << h << " q=" << q;
      }
    }
  }
}

TEST(MerkleMultiPath, EverySubsetOfASmallTreeVerifies) {
  const unsigned h = 4;
  const size_t n = 16;
  const auto elems = random_elements(n, 12);
  const Tree t = make_tree(elems, 1, MerkleHiding::kSalted, 12);
  std::vector<Digest> all_leaves(n);
  for (size_t i = 0; i < n; ++i) all_leaves[i] = t.leaf_digest(i);
  std::vector<Digest> dig(n);
  std::vector<uint64_t> pos(n);
  for (uint32_t mask = 1; mask < (1u << n); ++mask) {
    std::vector<uint64_t> idx;
    std::vector<Digest> leaves;
    for (uint64_t i = 0; i < n; ++i)
      if (mask >> i & 1) {
        idx.push_back(i);
        leaves.push_back(all_leaves[i]);
      }
    const auto op = t.open_many(idx);
    ASSERT_EQ(op.siblings.size(), reference_siblings(h, idx).size());
    const MerkleScratch<> scratch{dig, pos};
    ASSERT_EQ(merkle_verify_multi_path<Blake2b256>(t.root(), h, idx, leaves, op.siblings, scratch), MerkleStatus::kOk)
        << "mask " << mask;
  }
}

TEST(MerkleMultiPath, FullOpeningNeedsNoSiblingsAndOneLeafMatchesThePath) {
  const auto elems = random_elements(64, 13);
  const Tree t = make_tree(elems, 1, MerkleHiding::kPublic, 0);
  std::vector<uint64_t> all(64);
  for (uint64_t i = 0; i < 64; ++i) all[i] = i;
  EXPECT_TRUE(t.open_many(all).siblings.empty());
  const std::vector<uint64_t> one = {37};
  EXPECT_EQ(t.open_many(one).siblings, t.open(37).siblings);
}

TEST(MerkleMultiPath, RepeatedQueriesAreCanonicalisedThenVerify) {
  const unsigned h = 10;
  const auto elems = random_elements(size_t{1} << h, 14);
  const Tree t = make_tree(elems, 1, MerkleHiding::kSalted, 14);
  ProverRng pick = ProverRng::from_seed_u64(15);
  std::vector<uint64_t> queries(100);
  for (auto& x : queries) x = pick.next_u64() % 64;  // many repeats
  std::vector<uint64_t> raw = queries;
  EXPECT_EQ(merkle_check_indices(h, raw), MerkleStatus::kIndicesNotStrictlyIncreasing);
  const size_t q = merkle_canonicalize_indices(queries);
  queries.resize(q);
  EXPECT_EQ(std::set<uint64_t>(raw.begin(), raw.end()).size(), q);
  EXPECT_EQ(merkle_check_indices(h, queries), MerkleStatus::kOk);
  const auto op = t.open_many(queries);
  EXPECT_EQ(verify_rows(t.root(), h, MerkleHiding::kSalted, queries, gather_rows(elems, 1, queries), 1, op.salts,
                        op.siblings),
            MerkleStatus::kOk);
}

TEST(MerkleMultiPath, WorksOverOtherFieldsAndRawBytes) {
  using Toy = SmallPrimeField<97>;
  std::vector<Toy> toy(32 * 3);
  for (size_t i = 0; i < toy.size(); ++i) toy[i] = Toy::from_u64(i * 31 + 5);
  const Tree t = Tree::commit_rows<Toy>(toy, 3);
  const std::vector<uint64_t> idx = {0, 5, 6, 31};
  const auto op = t.open_many(idx);
  std::vector<Toy> rows;
  for (uint64_t i : idx) rows.insert(rows.end(), toy.begin() + 3 * i, toy.begin() + 3 * i + 3);
  std::vector<Digest> dig(4);
  std::vector<uint64_t> pos(4);
  const MerkleScratch<> scratch{dig, pos};
  EXPECT_EQ((merkle_verify_multi_rows<Blake2b256, Toy>(t.root(), 5, MerkleHiding::kPublic, idx, rows, 3, {},
                                                        op.siblings, scratch)),
            MerkleStatus::kOk);

  std::vector<uint8_t> bytes(16 * 10);
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i * 7);
  ProverRng rng = ProverRng::from_seed_u64(16);
  const Tree b = Tree::commit_leaves(bytes, 10, rng);
  const std::vector<uint64_t> bidx = {3, 9};
  const auto bop = b.open_many(bidx);
  std::vector<uint8_t> leaves(bytes.begin() + 30, bytes.begin() + 40);
  leaves.insert(leaves.end(), bytes.begin() + 90, bytes.begin() + 100);
  EXPECT_EQ(merkle_verify_multi_leaves<Blake2b256>(b.root(), 4, MerkleHiding::kSalted, bidx, leaves, 10, bop.salts,
                                                    bop.siblings, scratch),
            MerkleStatus::kOk);
  leaves[15] ^= 1;
  EXPECT_EQ(merkle_verify_multi_leaves<Blake2b256>(b.root(), 4, MerkleHiding::kSalted, bidx, leaves, 10, bop.salts,
                                                    bop.siblings, scratch),
            MerkleStatus::kRootMismatch);
}

// ---------------------------------------------------------------------------
// Tampering is rejected: single paths.

class MerklePathTamper : public ::testing::Test {
 protected:
  static constexpr unsigned kHeight = 8;
  static constexpr size_t kWidth = 4;
  void SetUp() override {
    elems_ = random_elements((size_t{1} << kHeight) * kWidth, 20);
    ProverRng rng = ProverRng::from_seed_u64(21);
    tree_ = std::make_unique<Tree>(Tree::commit_rows<Gl>(elems_, kWidth, rng));
  }
  std::vector<Gl> row(uint64_t i) const {
    return {elems_.begin() + i * kWidth, elems_.begin() + (i + 1) * kWidth};
  }
  MerkleStatus check(uint64_t i, const std::vector<Gl>& r, const MerkleSalt& salt, const std::vector<Digest>& sib,
                     const Digest& root, unsigned height = kHeight) const {
    return merkle_verify_path<Blake2b256>(root, height, i, row_digest(salt, r), sib);
  }
  std::vector<Gl> elems_;
  std::unique_ptr<Tree> tree_;
};

TEST_F(MerklePathTamper, EveryChangeIsRejected) {
  const uint64_t i = 77;
  const auto op = tree_->open(i);
  const Digest root = tree_->root();
  ASSERT_EQ(check(i, row(i), op.salt, op.siblings, root), MerkleStatus::kOk);

  for (size_t j = 0; j < kWidth; ++j) {  // a changed leaf value
    auto r = row(i);
    r[j] += Gl::one();
    EXPECT_EQ(check(i, r, op.salt, op.siblings, root), MerkleStatus::kRootMismatch);
  }
  for (size_t b = 0; b < kMerkleSaltBytes; ++b) {  // a changed salt
    MerkleSalt s = op.salt;
    s[b] ^= 0x01;
    EXPECT_EQ(check(i, row(i), s, op.siblings, root), MerkleStatus::kRootMismatch);
  }
  for (size_t k = 0; k < op.siblings.size(); ++k) {  // a changed sibling
    auto sib = op.siblings;
    sib[k][k % 32] ^= 0x80;
    EXPECT_EQ(check(i, row(i), op.salt, sib, root), MerkleStatus::kRootMismatch);
  }
  // Swapped siblings.
  auto swapped = op.siblings;
  std::swap(swapped[0], swapped[1]);
  EXPECT_EQ(check(i, row(i), op.salt, swapped, root), MerkleStatus::kRootMismatch);
  // A wrong index (every other leaf position) with this leaf's path.
  for (uint64_t j = 0; j < tree_->num_leaves(); ++j) {
    if (j == i) continue;
    EXPECT_EQ(check(j, row(i), op.salt, op.siblings, root), MerkleStatus::kRootMismatch) << j;
  }
  // Another leaf's row and salt at this index.
  EXPECT_EQ(check(i, row(i + 1), tree_->salt(i + 1), op.siblings, root), MerkleStatus::kRootMismatch);
  // Truncated and over-long sibling lists.
  auto shortl = op.siblings;
  shortl.pop_back();
  EXPECT_EQ(check(i, row(i), op.salt, shortl, root), MerkleStatus::kTooFewSiblings);
  EXPECT_EQ(check(i, row(i), op.salt, {}, root), MerkleStatus::kTooFewSiblings);
  auto longl = op.siblings;
  longl.push_back(root);
  EXPECT_EQ(check(i, row(i), op.salt, longl, root), MerkleStatus::kTooManySiblings);
  // A proof against another root.
  ProverRng other = ProverRng::from_seed_u64(22);
  const Tree t2 = Tree::commit_rows<Gl>(elems_, kWidth, other);
  EXPECT_EQ(check(i, row(i), op.salt, op.siblings, t2.root()), MerkleStatus::kRootMismatch);
  // Second-preimage attempt: present the two children of a level-1 node as
  // the data of a public leaf of a tree one level shorter. The byte strings
  // agree, but leaf and node personalisations differ, so it fails.
  const uint64_t parent = i >> 1;
  std::vector<uint8_t> children;
  for (uint64_t c : {2 * parent, 2 * parent + 1}) {
    const Digest& d = tree_->node(0, c);
    children.insert(children.end(), d.begin(), d.end());
  }
  const std::span<const Digest> upper = std::span<const Digest>(op.siblings).subspan(1);
  EXPECT_EQ(merkle_verify_path<Blake2b256>(root, kHeight - 1, parent, tree_->node(1, parent), upper),
            MerkleStatus::kOk);  // the node itself does chain up to the root
  EXPECT_EQ(merkle_verify_path<Blake2b256>(root, kHeight - 1, parent, merkle_leaf_digest<Blake2b256>(children), upper),
            MerkleStatus::kRootMismatch);
  // Out-of-range index and oversized heights.
  EXPECT_EQ(check(tree_->num_leaves(), row(i), op.salt, op.siblings, root), MerkleStatus::kIndexOutOfRange);
  EXPECT_EQ(check(UINT64_MAX, row(i), op.salt, op.siblings, root), MerkleStatus::kIndexOutOfRange);
  EXPECT_EQ(check(i, row(i), op.salt, op.siblings, root, kMaxMerkleHeight + 1), MerkleStatus::kHeightTooLarge);
  EXPECT_EQ(check(i, row(i), op.salt, op.siblings, root, 200), MerkleStatus::kHeightTooLarge);
}

// ---------------------------------------------------------------------------
// Tampering is rejected: multi-paths.

class MerkleMultiTamper : public ::testing::Test {
 protected:
  static constexpr unsigned kHeight = 9;
  static constexpr size_t kWidth = 3;
  void SetUp() override {
    elems_ = random_elements((size_t{1} << kHeight) * kWidth, 30);
    ProverRng rng = ProverRng::from_seed_u64(31);
    tree_ = std::make_unique<Tree>(Tree::commit_rows<Gl>(elems_, kWidth, rng));
    idx_ = {3, 4, 5, 100, 101, 300, 511};
    op_ = tree_->open_many(idx_);
    rows_ = gather_rows(elems_, kWidth, idx_);
  }
  MerkleStatus check(const std::vector<uint64_t>& idx, const std::vector<Gl>& rows,
                     const std::vector<MerkleSalt>& salts, const std::vector<Digest>& sib,
                     MerkleHiding hiding = MerkleHiding::kSalted) const {
    return verify_rows(tree_->root(), kHeight, hiding, idx, rows, kWidth, salts, sib);
  }
  std::vector<Gl> elems_;
  std::unique_ptr<Tree> tree_;
  std::vector<uint64_t> idx_;
  Tree::MultiOpening op_;
  std::vector<Gl> rows_;
};

TEST_F(MerkleMultiTamper, HonestOpeningVerifies) {
  EXPECT_EQ(check(idx_, rows_, op_.salts, op_.siblings), MerkleStatus::kOk);
}

TEST_F(MerkleMultiTamper, ChangedLeafValueOrSaltIsRejected) {
  for (size_t k = 0; k < rows_.size(); ++k) {
    auto r = rows_;
    r[k] -= Gl::one();
    EXPECT_EQ(check(idx_, r, op_.salts, op_.siblings), MerkleStatus::kRootMismatch) << k;
  }
  for (size_t k = 0; k < op_.salts.size(); ++k) {
    auto s = op_.salts;
    s[k][31] ^= 0x40;
    EXPECT_EQ(check(idx_, rows_, s, op_.siblings), MerkleStatus::kRootMismatch) << k;
  }
  // Two opened rows (with their salts) swapped.
  auto r = rows_;
  auto s = op_.salts;
  std::swap_ranges(r.begin(), r.begin() + kWidth, r.begin() + kWidth);
  std::swap(s[0], s[1]);
  EXPECT_EQ(check(idx_, r, s, op_.siblings), MerkleStatus::kRootMismatch);
}

TEST_F(MerkleMultiTamper, ChangedOrReorderedSiblingIsRejected) {
  for (size_t k = 0; k < op_.siblings.size(); ++k) {
    auto sib = op_.siblings;
    sib[k][0] ^= 0x01;
    EXPECT_EQ(check(idx_, rows_, op_.salts, sib), MerkleStatus::kRootMismatch) << k;
  }
  ASSERT_GE(op_.siblings.size(), 2u);
  auto sib = op_.siblings;
  std::swap(sib[0], sib[1]);
  EXPECT_EQ(check(idx_, rows_, op_.salts, sib), MerkleStatus::kRootMismatch);
}

TEST_F(MerkleMultiTamper, WrongIndicesAreRejected) {
  // Each index moved to another position (the set stays sorted and distinct).
  for (size_t k = 0; k < idx_.size(); ++k) {
    for (int64_t delta : {-2, -1, 1, 2, 64}) {
      auto idx = idx_;
      const int64_t v = static_cast<int64_t>(idx[k]) + delta;
      if (v < 0 || v >= (1 << kHeight)) continue;
      idx[k] = static_cast<uint64_t>(v);
      if (merkle_check_indices(kHeight, idx) != MerkleStatus::kOk) continue;
      const MerkleStatus s = check(idx, rows_, op_.salts, op_.siblings);
      EXPECT_NE(s, MerkleStatus::kOk) << "k=" << k << " delta=" << delta;
    }
  }
}

TEST_F(MerkleMultiTamper, BadSiblingCountsAreRejected) {
  auto shortl = op_.siblings;
  shortl.pop_back();
  EXPECT_EQ(check(idx_, rows_, op_.salts, shortl), MerkleStatus::kTooFewSiblings);
  EXPECT_EQ(check(idx_, rows_, op_.salts, {}), MerkleStatus::kTooFewSiblings);
  auto longl = op_.siblings;
  longl.push_back(longl.back());
  EXPECT_EQ(check(idx_, rows_, op_.salts, longl), MerkleStatus::kTooManySiblings);
  longl.insert(longl.begin(), tree_->root());
  EXPECT_NE(check(idx_, rows_, op_.salts, longl), MerkleStatus::kOk);
}

TEST_F(MerkleMultiTamper, ProofAgainstAnotherRootIsRejected) {
  ProverRng rng = ProverRng::from_seed_u64(32);
  const Tree other = Tree::commit_rows<Gl>(elems_, kWidth, rng);
  EXPECT_EQ(verify_rows(other.root(), kHeight, MerkleHiding::kSalted, idx_, rows_, kWidth, op_.salts, op_.siblings),
            MerkleStatus::kRootMismatch);
  // Nor does the proof verify at another height.
  EXPECT_NE(verify_rows(tree_->root(), kHeight + 1, MerkleHiding::kSalted, idx_, rows_, kWidth, op_.salts,
                        op_.siblings),
            MerkleStatus::kOk);
}

TEST_F(MerkleMultiTamper, MalformedIndexSetsAreRejected) {
  auto unsorted = idx_;
  std::swap(unsorted[1], unsorted[2]);
  EXPECT_EQ(check(unsorted, rows_, op_.salts, op_.siblings), MerkleStatus::kIndicesNotStrictlyIncreasing);
  auto dup = idx_;
  dup[2] = dup[1];
  EXPECT_EQ(check(dup, rows_, op_.salts, op_.siblings), MerkleStatus::kIndicesNotStrictlyIncreasing);
  auto out = idx_;
  out.back() = 1 << kHeight;
  EXPECT_EQ(check(out, rows_, op_.salts, op_.siblings), MerkleStatus::kIndexOutOfRange);
  out.back() = UINT64_MAX;
  EXPECT_EQ(check(out, rows_, op_.salts, op_.siblings), MerkleStatus::kIndexOutOfRange);
  EXPECT_EQ(check({}, {}, {}, op_.siblings), MerkleStatus::kNoIndices);
  std::vector<Digest> dig(8);
  std::vector<uint64_t> pos(8);
  EXPECT_EQ(merkle_verify_multi_path<Blake2b256>(tree_->root(), kMaxMerkleHeight + 1, idx_,
                                                 std::span<const Digest>(dig).first(idx_.size()), op_.siblings,
                                                 MerkleScratch<>{dig, pos}),
            MerkleStatus::kHeightTooLarge);
}

TEST_F(MerkleMultiTamper, LengthMismatchesAreRejected) {
  // Salts that do not match the mode.
  EXPECT_EQ(check(idx_, rows_, {}, op_.siblings), MerkleStatus::kSaltCountMismatch);
  auto fewer = op_.salts;
  fewer.pop_back();
  EXPECT_EQ(check(idx_, rows_, fewer, op_.siblings), MerkleStatus::kSaltCountMismatch);
  EXPECT_EQ(check(idx_, rows_, op_.salts, op_.siblings, MerkleHiding::kPublic), MerkleStatus::kSaltCountMismatch);
  // Rows that are too short or too long.
  auto r = rows_;
  r.pop_back();
  EXPECT_EQ(check(idx_, r, op_.salts, op_.siblings), MerkleStatus::kLeafLengthMismatch);
  r = rows_;
  r.push_back(Gl::one());
  EXPECT_EQ(check(idx_, r, op_.salts, op_.siblings), MerkleStatus::kLeafLengthMismatch);
  std::vector<Digest> dig(idx_.size());
  std::vector<uint64_t> pos(idx_.size());
  EXPECT_EQ((merkle_verify_multi_rows<Blake2b256, Gl>(tree_->root(), kHeight, MerkleHiding::kSalted, idx_, rows_, 0,
                                                       op_.salts, op_.siblings, MerkleScratch<>{dig, pos})),
            MerkleStatus::kLeafLengthMismatch);
  EXPECT_EQ((merkle_verify_multi_rows<Blake2b256, Gl>(tree_->root(), kHeight, MerkleHiding::kSalted, idx_, rows_,
                                                       SIZE_MAX / 2, op_.salts, op_.siblings,
                                                       MerkleScratch<>{dig, pos})),
            MerkleStatus::kLeafLengthMismatch);
  // Scratch too small, for either part.
  const std::span<Digest> dig_short = std::span<Digest>(dig).first(idx_.size() - 1);
  const std::span<uint64_t> pos_short = std::span<uint64_t>(pos).first(idx_.size() - 1);
  EXPECT_EQ((merkle_verify_multi_rows<Blake2b256, Gl>(tree_->root(), kHeight, MerkleHiding::kSalted, idx_, rows_,
                                                       kWidth, op_.salts, op_.siblings, MerkleScratch<>{dig_short, pos})),
            MerkleStatus::kScratchTooSmall);
  EXPECT_EQ((merkle_verify_multi_rows<Blake2b256, Gl>(tree_->root(), kHeight, MerkleHiding::kSalted, idx_, rows_,
                                                       kWidth, op_.salts, op_.siblings, MerkleScratch<>{dig, pos_short})),
            MerkleStatus::kScratchTooSmall);
  // Leaf digests that do not match the index count.
  std::vector<Digest> leaves(idx_.size() + 1);
  EXPECT_EQ(merkle_verify_multi_path<Blake2b256>(tree_->root(), kHeight, idx_, leaves, op_.siblings,
                                                 MerkleScratch<>{dig, pos}),
            MerkleStatus::kLeafCountMismatch);
  size_t count = 0;
  EXPECT_EQ(merkle_multi_sibling_count(kHeight, idx_, pos_short, &count), MerkleStatus::kScratchTooSmall);
}

TEST(MerkleMultiPath, ArenaSizeQueryIsExactEnough) {
  for (size_t q : {1u, 7u, 100u}) {
    const size_t need = MerkleScratch<>::bytes_for(q);
    for (size_t shift = 0; shift < 8; ++shift) {
      std::vector<unsigned char> mem(need + shift);
      Arena arena(mem.data() + shift, need);
      const auto s = MerkleScratch<>::allocate(arena, q);
      EXPECT_TRUE(arena.ok());
      EXPECT_EQ(s.digests.size(), q);
      EXPECT_EQ(s.positions.size(), q);
    }
    // Far too little: the allocation fails and the verifier reports it.
    std::vector<unsigned char> mem(need / 2);
    Arena arena(mem.data(), mem.size());
    const auto s = MerkleScratch<>::allocate(arena, q);
    EXPECT_FALSE(arena.ok());
    std::vector<uint64_t> idx(q);
    for (size_t i = 0; i < q; ++i) idx[i] = i;
    std::vector<Digest> leaves(q);
    EXPECT_EQ(merkle_verify_multi_path<Blake2b256>(Digest{}, 10, idx, leaves, {}, s), MerkleStatus::kScratchTooSmall);
  }
}

// ---------------------------------------------------------------------------
// docs/PROTOCOL.md §8: Merkle binding reduces to a collision of the hash.

TEST(MerkleSoundness, BindingBoundMatchesTheProtocolDocument) {
  // A generic collision search on a b-bit digest succeeds with probability
  // about Q^2 / 2^(b+1) after Q queries: b/2 bits of security.
  const double bits = 8.0 * static_cast<double>(Blake2b256::kDigestBytes) / 2.0;
  EXPECT_NEAR(bits, testing::protocol_doc_bits("merkle.binding"), 0.1);
}

}  // namespace
}  // namespace zkpot
