#include "common/arena.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

namespace zkpot {
namespace {

using Digest32 = std::array<uint8_t, 32>;

struct alignas(64) CacheLine {
  uint8_t bytes[64];
};

bool inside(const void* p, size_t len, const std::vector<unsigned char>& buf, size_t from) {
  const auto* b = buf.data() + from;
  const auto* q = static_cast<const unsigned char*>(p);
  return q >= b && q + len <= buf.data() + buf.size();
}

TEST(Arena, AllocatesZeroedAlignedSpansInsideTheBuffer) {
  std::vector<unsigned char> buf(1024, 0xAA);
  Arena a(buf.data() + 1, buf.size() - 1);  // deliberately misaligned base
  auto bytes = a.allocate<uint8_t>(3);
  auto words = a.allocate<uint64_t>(5);
  auto line = a.allocate<CacheLine>(2);
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(bytes.size(), 3u);
  ASSERT_EQ(words.size(), 5u);
  ASSERT_EQ(line.size(), 2u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(words.data()) % alignof(uint64_t), 0u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(line.data()) % 64, 0u);
  EXPECT_TRUE(inside(bytes.data(), 3, buf, 1));
  EXPECT_TRUE(inside(words.data(), 40, buf, 1));
  EXPECT_TRUE(inside(line.data(), 128, buf, 1));
  // Spans do not overlap and come in order.
  EXPECT_LE(reinterpret_cast<uintptr_t>(bytes.data() + 3), reinterpret_cast<uintptr_t>(words.data()));
  EXPECT_LE(reinterpret_cast<uintptr_t>(words.data() + 5), reinterpret_cast<uintptr_t>(line.data()));
  for (uint8_t b : bytes) EXPECT_EQ(b, 0);
  for (uint64_t w : words) EXPECT_EQ(w, 0u);
  for (const auto& l : line)
    for (uint8_t b : l.bytes) EXPECT_EQ(b, 0);
  EXPECT_EQ(a.used(), static_cast<size_t>(reinterpret_cast<unsigned char*>(line.data() + 2) - (buf.data() + 1)));
}

TEST(Arena, ExactFitSucceedsAndOneMoreByteFails) {
  alignas(8) std::array<unsigned char, 64> buf{};
  Arena a(buf.data(), buf.size());
  auto all = a.allocate<uint64_t>(8);
  EXPECT_TRUE(a.ok());
  EXPECT_EQ(all.size(), 8u);
  EXPECT_EQ(a.remaining(), 0u);
  auto more = a.allocate<uint8_t>(1);
  EXPECT_TRUE(more.empty());
  EXPECT_EQ(more.data(), nullptr);
  EXPECT_FALSE(a.ok());
  EXPECT_EQ(a.used(), 64u);
}

TEST(Arena, ExhaustionIsStickyUntilReset) {
  alignas(8) std::array<unsigned char, 32> buf{};
  Arena a(buf.data(), buf.size());
  EXPECT_TRUE(a.allocate<uint64_t>(5).empty());  // 40 > 32
  EXPECT_FALSE(a.ok());
  EXPECT_EQ(a.used(), 0u);  // a failed request takes nothing
  // A later request that fits is served, but the error stays visible.
  EXPECT_EQ(a.allocate<uint64_t>(4).size(), 4u);
  EXPECT_FALSE(a.ok());
  a.reset();
  EXPECT_TRUE(a.ok());
  EXPECT_EQ(a.used(), 0u);
  EXPECT_EQ(a.allocate<uint64_t>(4).size(), 4u);
  EXPECT_TRUE(a.ok());
}

TEST(Arena, HugeCountsFailWithoutWrapping) {
  std::vector<unsigned char> buf(4096);
  Arena a(buf.data(), buf.size());
  (void)a.allocate<uint8_t>(1);  // misalign the cursor so padding is needed
  const size_t used = a.used();
  // Each of these would wrap n * sizeof(T) (+ padding) to a small number.
  EXPECT_TRUE(a.allocate<uint64_t>(SIZE_MAX).empty());
  EXPECT_TRUE(a.allocate<uint64_t>(SIZE_MAX / 8 + 1).empty());
  EXPECT_TRUE(a.allocate<uint64_t>((SIZE_MAX / 8) + 2).empty());
  EXPECT_TRUE(a.allocate<CacheLine>(SIZE_MAX / 64 + 1).empty());
  EXPECT_TRUE(a.allocate<uint8_t>(SIZE_MAX).empty());
  EXPECT_TRUE(a.allocate<Digest32>((SIZE_MAX >> 5) + 1).empty());
  EXPECT_TRUE(a.allocate<uint8_t>(buf.size()).empty());  // one byte already used
  EXPECT_FALSE(a.ok());
  EXPECT_EQ(a.used(), used);
  EXPECT_EQ(a.peak(), used);
}

TEST(Arena, AlignmentRequestsAreChecked) {
  std::vector<unsigned char> buf(4096);
  Arena a(buf.data(), buf.size());
  EXPECT_TRUE(a.allocate_aligned<uint64_t>(1, 4).empty());   // weaker than alignof
  EXPECT_FALSE(a.ok());
  a.reset();
  EXPECT_TRUE(a.allocate_aligned<uint8_t>(1, 24).empty());   // not a power of two
  EXPECT_FALSE(a.ok());
  a.reset();
  // An alignment larger than the whole address space's low bits: padding
  // cannot fit, and computing it must not wrap.
  EXPECT_TRUE(a.allocate_aligned<uint8_t>(1, size_t{1} << 63).empty());
  EXPECT_FALSE(a.ok());
  a.reset();
  auto p = a.allocate_aligned<uint8_t>(10, 256);
  ASSERT_EQ(p.size(), 10u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p.data()) % 256, 0u);
}

TEST(Arena, ZeroCountSucceedsEmpty) {
  std::array<unsigned char, 8> buf{};
  Arena a(buf.data(), buf.size());
  EXPECT_TRUE(a.allocate<uint64_t>(0).empty());
  EXPECT_TRUE(a.ok());
  EXPECT_EQ(a.used(), 0u);
}

TEST(Arena, NullBaseHasNoCapacity) {
  Arena a(nullptr, 1 << 20);
  EXPECT_EQ(a.capacity(), 0u);
  EXPECT_TRUE(a.allocate<uint8_t>(1).empty());
  EXPECT_FALSE(a.ok());
  Arena d;
  EXPECT_TRUE(d.allocate<uint64_t>(1).empty());
}

TEST(Arena, MarkAndReleaseReuseMemory) {
  std::vector<unsigned char> buf(256);
  Arena a(buf.data(), buf.size());
  auto keep = a.allocate<uint64_t>(2);
  const Arena::Mark m = a.mark();
  auto tmp1 = a.allocate<uint64_t>(10);
  ASSERT_EQ(tmp1.size(), 10u);
  tmp1[0] = 99;
  const size_t peak = a.used();
  EXPECT_TRUE(a.release(m));
  EXPECT_EQ(a.used(), m.offset);
  auto tmp2 = a.allocate<uint64_t>(10);
  EXPECT_EQ(tmp2.data(), tmp1.data());  // the same memory, handed out again
  EXPECT_EQ(tmp2[0], 0u);               // and zeroed again
  EXPECT_EQ(a.peak(), peak);
  EXPECT_EQ(keep.size(), 2u);
  // A mark beyond the cursor (stale after an earlier release) is refused.
  const Arena::Mark late = a.mark();
  EXPECT_TRUE(a.release(m));
  EXPECT_FALSE(a.release(late));
  EXPECT_EQ(a.used(), m.offset);
}

TEST(Arena, SizeQueryIsEnoughAtAnyAlignment) {
  using Digest = std::array<uint8_t, 32>;
  for (size_t shift = 0; shift < 8; ++shift) {
    for (size_t n : {1u, 2u, 7u, 100u}) {
      const size_t need = Arena::add_sizes(Arena::bytes_for<uint64_t>(n), Arena::bytes_for<Digest>(n));
      std::vector<unsigned char> buf(need + shift);
      Arena a(buf.data() + shift, need);
      // Misalign the cursor too, as a verifier that allocated a byte first would.
      EXPECT_EQ(a.allocate<Digest>(n).size(), n);
      EXPECT_EQ(a.allocate<uint64_t>(n).size(), n);
      EXPECT_TRUE(a.ok()) << "shift " << shift << " n " << n;
    }
  }
}

TEST(Arena, SizeQueriesSaturate) {
  EXPECT_EQ(Arena::bytes_for<uint64_t>(0), 0u);
  EXPECT_EQ(Arena::bytes_for<uint64_t>(3), 3 * 8 + 7u);
  EXPECT_EQ(Arena::bytes_for<uint64_t>(SIZE_MAX / 8), SIZE_MAX);
  EXPECT_EQ(Arena::bytes_for<uint8_t>(SIZE_MAX), SIZE_MAX);
  EXPECT_EQ(Arena::add_sizes(SIZE_MAX - 1, 2), SIZE_MAX);
  EXPECT_EQ(Arena::add_sizes(5, 6), 11u);
}

}  // namespace
}  // namespace zkpot
