#include "common/transcript.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <vector>

namespace zkpot {
namespace {

Blake2b256::Digest digest_of(uint8_t b) {
  Blake2b256::Digest d{};
  d.fill(b);
  return d;
}

// Blake2b256::State is incremental: any split of a message into updates of
// 0..300 bytes must hash like one libsodium call.
TEST(Blake2b256State, AnySplitHashesLikeOneLibsodiumCall) {
  std::vector<uint8_t> msg(2000);
  for (size_t i = 0; i < msg.size(); ++i) msg[i] = static_cast<uint8_t>(i * 131 + 7);
  uint32_t seed = 1;
  for (size_t total : {size_t{0}, size_t{1}, size_t{127}, size_t{128}, size_t{129}, size_t{255}, size_t{256},
                       size_t{257}, size_t{1000}, size_t{2000}}) {
    crypto_generichash_blake2b_state ref;
    uint8_t pers[crypto_generichash_blake2b_PERSONALBYTES] = {0};
    std::memcpy(pers, personal::kTranscript.data(), personal::kTranscript.size());
    ASSERT_EQ(sodium_init() >= 0, true);
    ASSERT_EQ(crypto_generichash_blake2b_init_salt_personal(&ref, nullptr, 0, 32, nullptr, pers), 0);
    ASSERT_EQ(crypto_generichash_blake2b_update(&ref, msg.data(), total), 0);
    Blake2b256::Digest want{};
    ASSERT_EQ(crypto_generichash_blake2b_final(&ref, want.data(), want.size()), 0);
    for (int trial = 0; trial < 20; ++trial) {
      Blake2b256::State st(personal::kTranscript);
      for (size_t pos = 0; pos < total;) {
        seed = seed * 1103515245u + 12345u;
        const size_t len = std::min<size_t>(total - pos, (seed >> 8) % (trial % 2 == 0 ? 12 : 301));
        st.update(msg.data() + pos, len);
        pos += len;
      }
      EXPECT_EQ(st.finalize(), want) << total << " bytes, trial " << trial;
    }
  }
}

TEST(Transcript, SameMessagesGiveSameChallenges) {
  Transcript<> a("zkpot-test", digest_of(1)), b("zkpot-test", digest_of(1));
  const Gl x = Gl::from_u64(42);
  a.absorb_field("x", x);
  b.absorb_field("x", x);
  EXPECT_EQ(a.challenge<GlExt3>("r"), b.challenge<GlExt3>("r"));
}

TEST(Transcript, StatementDigestChangesChallenges) {
  Transcript<> a("zkpot-test", digest_of(1)), b("zkpot-test", digest_of(2));
  EXPECT_NE(a.challenge<GlExt3>("r"), b.challenge<GlExt3>("r"));
}

TEST(Transcript, DomainTagChangesChallenges) {
  Transcript<> a("zkpot-test", digest_of(1)), b("zkpot-tesu", digest_of(1));
  EXPECT_NE(a.challenge<Gl>("r"), b.challenge<Gl>("r"));
}

TEST(Transcript, FramingSeparatesLabelsAndPayloads) {
  // "ab" + "c" must not collide with "a" + "bc", nor label with payload.
  Transcript<> a("t", digest_of(0)), b("t", digest_of(0)), c("t", digest_of(0));
  const uint8_t ab[] = {'a', 'b'}, cc[] = {'c'}, aa[] = {'a'}, bc[] = {'b', 'c'};
  a.absorb_bytes("m", ab, 2);
  a.absorb_bytes("m", cc, 1);
  b.absorb_bytes("m", aa, 1);
  b.absorb_bytes("m", bc, 2);
  c.absorb_bytes("ma", bc, 2);
  c.absorb_bytes("m", aa, 0);
  const Gl ra = a.challenge<Gl>("r"), rb = b.challenge<Gl>("r"), rc = c.challenge<Gl>("r");
  EXPECT_NE(ra, rb);
  EXPECT_NE(ra, rc);
  EXPECT_NE(rb, rc);
}

TEST(Transcript, EveryAbsorbedValueAffectsLaterChallenges) {
  Transcript<> a("t", digest_of(0)), b("t", digest_of(0));
  a.absorb_field("v", Gl::from_u64(7));
  b.absorb_field("v", Gl::from_u64(8));
  (void)a.challenge<Gl>("r1");
  (void)b.challenge<Gl>("r1");
  a.absorb_u64("n", 1);
  b.absorb_u64("n", 1);
  // b differs from a only before the first challenge; it still differs later.
  EXPECT_NE(a.challenge<GlExt3>("r2"), b.challenge<GlExt3>("r2"));
}

TEST(Transcript, SuccessiveChallengesDiffer) {
  Transcript<> t("t", digest_of(0));
  std::set<uint64_t> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(t.challenge<Gl>("r").value());
  EXPECT_EQ(seen.size(), 1000u);
}

// docs/PROTOCOL.md §2: the words of a challenge are read from the blocks h,
// BLAKE2b-256_squeeze(h || LE64(1)), BLAKE2b-256_squeeze(h || LE64(2)), ...,
// h being the chaining value the challenge finalised.
TEST(Transcript, ChallengeWordsComeFromTheChainingValueThenSqueezeBlocks) {
  Transcript<> t("t", digest_of(5));
  t.absorb_u64("n", 9);
  uint64_t words[12];
  t.challenge_indices("q", 64, words, 12);
  const Blake2b256::Digest h = t.chaining_value();
  auto word = [](const Blake2b256::Digest& block, size_t i) {
    uint64_t w = 0;
    for (int b = 0; b < 8; ++b) w |= static_cast<uint64_t>(block[8 * i + b]) << (8 * b);
    return w;
  };
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(words[i], word(h, i)) << i;
  for (uint64_t counter = 1; counter <= 2; ++counter) {
    Blake2b256::State s(personal::kSqueeze);
    s.update(h.data(), h.size());
    s.update_u64(counter);
    const Blake2b256::Digest block = s.finalize();
    for (size_t i = 0; i < 4; ++i) EXPECT_EQ(words[4 * counter + i], word(block, i)) << counter << " " << i;
  }
  // The next challenge starts from a new chaining value, not from more blocks.
  uint64_t next = 0;
  t.challenge_indices("q", 64, &next, 1);
  EXPECT_NE(t.chaining_value(), h);
  EXPECT_EQ(next, word(t.chaining_value(), 0));
}

TEST(Transcript, IndicesStayInRange) {
  Transcript<> t("t", digest_of(3));
  uint64_t idx[256];
  t.challenge_indices("q", 10, idx, 256);
  for (uint64_t i : idx) EXPECT_LT(i, 1024u);
}

}  // namespace
}  // namespace zkpot
