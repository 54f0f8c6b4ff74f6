// libzkpot_verify on REAL training proofs (made through the prover API,
// tests/verify_real_proofs.h): they verify in both APIs with exactly the
// scratch the size query asks for; verification makes no heap allocation at
// all from begin to end (an interposed operator new and malloc count every
// call); the scratch query is an upper bound of what the arena really uses;
// and truncated, oversized and lying length fields are rejected before any
// segment work (the scratch is left untouched).
#include <gtest/gtest.h>
#include <zkpot/verify.h>

#include <algorithm>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "allocation_counter.h"
#include "common/training_verifier.h"
#include "formats/cbor_head.h"
#include "verify_real_proofs.h"
#include "verify_streaming.h"

#include "malloc_interposer.h"

namespace zkpot {
namespace {

using testing::RealProof;
using Bytes = std::vector<uint8_t>;

// Two steps in two segments (segment-steps 1), and three steps in segments
// of two and one: every chain link and the single- and multi-step segment.
const RealProof& two_segments() {
  static const RealProof p = testing::make_real_proof({});
  return p;
}
const RealProof& uneven_segments() {
  static const RealProof p = [] {
    testing::RealProofSpec s;
    s.steps = 3;
    s.segment_steps = 2;
    s.seed = 2;
    return testing::make_real_proof(s);
  }();
  return p;
}

constexpr unsigned char kUntouched = 0xa5;

// A context and scratch sized by the statement's query, as an embedder would.
struct Verifier {
  std::vector<unsigned char> memory = std::vector<unsigned char>(zkpot_context_size());
  zkpot_context* ctx = zkpot_context_create(memory.data(), memory.size());
  std::vector<unsigned char> scratch;

  explicit Verifier(const Bytes& statement) {
    size_t n = 0;
    EXPECT_EQ(zkpot_statement_scratch_size(&n, statement.data(), statement.size()), ZKPOT_VALID);
    scratch.assign(n, kUntouched);
  }
  bool scratch_untouched() const {
    return std::all_of(scratch.begin(), scratch.end(), [](unsigned char c) { return c == kUntouched; });
  }
  zkpot_status buffer(const Bytes& file) {
    return zkpot_verify_buffer(ctx, scratch.data(), scratch.size(), file.data(), file.size());
  }
  // The streaming API the way zkpot-verify reads a file.
  zkpot_status stream(const Bytes& file) {
    return testing::verify_streaming(ctx, scratch.data(), scratch.size(), file, /*check_scratch=*/true);
  }
};

Bytes statement_of(const RealProof& p) {
  Bytes b;
  EXPECT_TRUE(encode_training_statement(p.statement, &b).is_ok());
  return b;
}

// Offset of segment i's byte-string header in the file.
size_t segment_offset(const RealProof& p, size_t i) {
  Verifier v(statement_of(p));
  size_t pos = 0;
  EXPECT_EQ(zkpot_verify_begin(v.ctx, &pos, p.file.data(), std::min<size_t>(p.file.size(), ZKPOT_MAX_HEAD_BYTES)),
            ZKPOT_CONTINUE);
  for (size_t k = 0; k < i; ++k) {
    size_t item = 0;
    EXPECT_EQ(zkpot_next_segment_size(v.ctx, &item, p.file.data() + pos, p.file.size() - pos), ZKPOT_CONTINUE);
    pos += item;
  }
  return pos;
}

// The file with the CBOR head at `at` (a byte string's) re-encoded with
// argument n in the same head size, so only the length lies.
Bytes with_length(Bytes file, size_t at, uint64_t n) {
  CborHead h{};
  EXPECT_TRUE(cbor_read_head(file.data() + at, file.size() - at, &h));
  EXPECT_EQ(file[at] >> 5, 2) << "not a byte string at " << at;
  const size_t arg_bytes = h.length - 1;
  for (size_t k = 0; k < arg_bytes; ++k) file[at + 1 + k] = static_cast<uint8_t>(n >> (8 * (arg_bytes - 1 - k)));
  return file;
}

TEST(VerifyRealProof, VerifiesInBothApisWithTheQueriedScratch) {
  for (const RealProof* p : {&two_segments(), &uneven_segments()}) {
    Verifier v(statement_of(*p));
    ASSERT_GT(v.scratch.size(), 0u);
    EXPECT_EQ(v.stream(p->file), ZKPOT_VALID) << zkpot_result_reason(v.ctx);
    EXPECT_EQ(v.buffer(p->file), ZKPOT_VALID) << zkpot_result_reason(v.ctx);
    EXPECT_EQ(zkpot_segment_count(v.ctx), p->segments.size());
    // One byte less scratch is refused as a caller error, not a verdict.
    EXPECT_EQ(zkpot_verify_buffer(v.ctx, v.scratch.data(), v.scratch.size() - 1, p->file.data(), p->file.size()),
              ZKPOT_SCRATCH_TOO_SMALL);
  }
}

TEST(VerifyRealProof, NoAllocationFromBeginToEnd) {
  for (const RealProof* p : {&two_segments(), &uneven_segments()}) {
    Verifier v(statement_of(*p));
    zkpot_status streamed = ZKPOT_INTERNAL_ERROR, whole = ZKPOT_INTERNAL_ERROR;
    EXPECT_EQ(testing::allocations_during([&] { streamed = v.stream(p->file); }), 0u);
    EXPECT_EQ(testing::allocations_during([&] { whole = v.buffer(p->file); }), 0u);
    EXPECT_EQ(streamed, ZKPOT_VALID);
    EXPECT_EQ(whole, ZKPOT_VALID);
    // Rejections allocate nothing either: a wrong byte deep in the last segment.
    Bytes bad = p->file;
    bad[bad.size() - 40] ^= 0x01;
    EXPECT_EQ(testing::allocations_during([&] { streamed = v.stream(bad); }), 0u);
    EXPECT_EQ(testing::allocations_during([&] { whole = v.buffer(bad); }), 0u);
    EXPECT_NE(streamed, ZKPOT_VALID);
    EXPECT_NE(whole, ZKPOT_VALID);
  }
#if defined(ZKPOT_COUNT_MALLOC)
  // The counter is live: libstdc++ allocates a long string's copy.
  std::ostringstream os;
  os << std::string(1000, 'x');
  size_t n = 0;
  EXPECT_GT(testing::allocations_during([&] { n = os.str().size(); }), 0u);
  EXPECT_EQ(n, 1000u);
#endif
}

// The segment verifier's arena: the query bounds its peak, at every depth
// (the claim lists grow with the layers), and with a byte less than the peak
// it reports scratch_too_small, never a verdict.
TEST(VerifyRealProof, ScratchQueryBoundsTheArenaPeak) {
  testing::RealProofSpec deep;
  deep.model = "16-8-8-8-10";
  deep.steps = 2;
  deep.segment_steps = 2;
  const RealProof deeper = testing::make_real_proof(deep);
  for (const RealProof* pp : {&uneven_segments(), &deeper}) {
    const RealProof& p = *pp;
    const size_t query = training_segment_scratch_bytes(p.setup, p.statement.t1 - p.statement.t0);
    const StatementDigest digest = training_run_digest(testing::kRealProofSuite, p.statement);
    std::vector<unsigned char> scratch(query);
    TrainingChainState chain{p.setup.initial_weight_commitment, 0, p.statement.t1};
    size_t peak = 0, first_peak = 0;
    for (const Bytes& seg : p.segments) {
      Arena arena(scratch.data(), scratch.size());
      TrainingChainState next;
      TrainingFailure failure;
      ASSERT_EQ(verify_training_segment(p.setup, digest, chain, seg, arena, &next, &failure), TrainingStatus::kOk)
          << failure.check;
      peak = std::max(peak, arena.peak());
      if (first_peak == 0) first_peak = arena.peak();
      chain = next;
    }
    EXPECT_LE(peak, query);
    std::printf("%u layers: scratch query %zu bytes, arena peak %zu bytes\n", p.setup.layers(), query, peak);
    Arena small(scratch.data(), first_peak - 1);
    TrainingChainState next;
    const TrainingChainState start{p.setup.initial_weight_commitment, 0, p.statement.t1};
    EXPECT_EQ(verify_training_segment(p.setup, digest, start, p.segments[0], small, &next),
              TrainingStatus::kScratchTooSmall);
  }
}

TEST(VerifyRealProof, TruncationsAreMalformedBeforeAnySegmentWork) {
  const RealProof& p = two_segments();
  Verifier v(statement_of(p));
  const size_t n = p.file.size();
  // Cuts in the head, in each segment's header and payload, and one byte short.
  std::vector<size_t> cuts = {0, 1, 5, segment_offset(p, 0) - 1, segment_offset(p, 0), segment_offset(p, 0) + 2,
                              segment_offset(p, 1) - 1, segment_offset(p, 1) + 3, n - 1};
  for (size_t k = 1; k < 24; ++k) cuts.push_back(n * k / 24);
  for (const size_t cut : cuts) {
    const Bytes t(p.file.begin(), p.file.begin() + static_cast<long>(cut));
    std::fill(v.scratch.begin(), v.scratch.end(), kUntouched);
    EXPECT_EQ(v.buffer(t), ZKPOT_MALFORMED) << "cut at " << cut;
    EXPECT_TRUE(v.scratch_untouched()) << "cut at " << cut;
    EXPECT_NE(v.stream(t), ZKPOT_VALID) << "cut at " << cut;
  }
}

TEST(VerifyRealProof, LyingLengthsAreRejectedBeforeAnySegmentWork) {
  const RealProof& p = two_segments();
  Verifier v(statement_of(p));
  const size_t s0 = segment_offset(p, 0), s1 = segment_offset(p, 1);
  CborHead h0{};
  ASSERT_TRUE(cbor_read_head(p.file.data() + s0, p.file.size() - s0, &h0));
  const uint64_t len0 = h0.argument;
  struct Case {
    const char* what;
    Bytes file;
    zkpot_status expected;
  };
  std::vector<Case> cases = {
      {"segment 0 one byte longer than it is", with_length(p.file, s0, len0 + 1), ZKPOT_MALFORMED},
      {"segment 0 one byte shorter than it is", with_length(p.file, s0, len0 - 1), ZKPOT_MALFORMED},
      {"last segment longer than the file", with_length(p.file, s1, len0 + 1000), ZKPOT_MALFORMED},
      {"segment 0 over 2 MiB", with_length(p.file, s0, ZKPOT_MAX_SEGMENT_BYTES + 1), ZKPOT_OVER_LIMIT},
  };
  // The first byte string inside segment 0's map (its input weight
  // commitment), lying by one byte either way and by a huge amount.
  const size_t payload0 = s0 + h0.length;
  size_t inner = payload0 + 1;
  while (inner < s1 && (p.file[inner] >> 5) != 2) ++inner;
  ASSERT_LT(inner, s1);
  CborHead hi{};
  ASSERT_TRUE(cbor_read_head(p.file.data() + inner, s1 - inner, &hi));
  ASSERT_GE(hi.length, 2u) << "a commitment is longer than 23 bytes";
  cases.push_back({"commitment one byte longer", with_length(p.file, inner, hi.argument + 1), ZKPOT_MALFORMED});
  cases.push_back({"commitment one byte shorter", with_length(p.file, inner, hi.argument - 1), ZKPOT_MALFORMED});
  cases.push_back({"commitment as long as its head allows",
                   with_length(p.file, inner, (uint64_t{1} << (8 * (hi.length - 1))) - 1), ZKPOT_MALFORMED});
  // The segments array declares one more segment than the file has.
  Bytes more = p.file;
  ASSERT_EQ(more[s0 - 1], 0x82) << "array(2) header before the first segment";
  more[s0 - 1] = 0x83;
  cases.push_back({"one segment more declared", more, ZKPOT_MALFORMED});
  Bytes fewer = p.file;
  fewer[s0 - 1] = 0x81;
  cases.push_back({"one segment fewer declared", fewer, ZKPOT_MALFORMED});
  for (Case& c : cases) {
    std::fill(v.scratch.begin(), v.scratch.end(), kUntouched);
    const zkpot_status s = v.buffer(c.file);
    if (c.expected == ZKPOT_OVER_LIMIT) {
      EXPECT_TRUE(s == ZKPOT_OVER_LIMIT || s == ZKPOT_MALFORMED) << c.what << ": " << zkpot_status_name(s);
    } else {
      EXPECT_EQ(s, c.expected) << c.what << ": " << zkpot_status_name(s) << " " << zkpot_result_reason(v.ctx);
    }
    EXPECT_TRUE(v.scratch_untouched()) << c.what;
    EXPECT_NE(v.stream(c.file), ZKPOT_VALID) << c.what;
  }
}

}  // namespace
}  // namespace zkpot
