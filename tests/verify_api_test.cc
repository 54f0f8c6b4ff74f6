// libzkpot_verify's C API (verifier/include/zkpot/verify.h), through the
// shared library: every status, bad input to every function, streaming and
// buffer modes agreeing, statement accessors, and no heap allocation inside
// verification (an interposed malloc and operator new count every call).
// The misuse tests pass null arguments on purpose to show the library reports
// them; the nonnull attributes would make those calls undefined (UBSan).
#define ZKPOT_NO_NONNULL_ATTRIBUTES 1

#include <gtest/gtest.h>
#include <zkpot/verify.h>
#include <zkpot/verify.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "allocation_counter.h"
#include "verify_streaming.h"
#include "verify_test_files.h"

#include "malloc_interposer.h"

namespace zkpot {
namespace {

using testing::Bytes;
using testing::envelope;
using testing::placeholder_segment;
using testing::sample_file;
using testing::statement_bytes;

// A context and scratch in plain memory, as an embedding C program would.
struct Harness {
  std::vector<unsigned char> memory = std::vector<unsigned char>(zkpot_context_size());
  std::vector<unsigned char> scratch = std::vector<unsigned char>(std::max<size_t>(zkpot_max_scratch_size(), 1));
  zkpot_context* ctx = zkpot_context_create(memory.data(), memory.size());

  zkpot_status buffer(const Bytes& file) {
    return zkpot_verify_buffer(ctx, scratch.data(), scratch.size(), file.data(), file.size());
  }
  // Streaming, the way zkpot-verify reads a file.
  zkpot_status stream(const Bytes& file) { return testing::verify_streaming(ctx, scratch.data(), scratch.size(), file); }
  std::string field() const { return zkpot_result_field(ctx); }
  std::string check() const { return zkpot_result_check(ctx); }
};

// Byte surgery on the sample file: offsets of the version and suite values
// and the statement (0xa4 0x01 v 0x02 s 0x03 statement 0x04 [segments]).
constexpr size_t kVersionAt = 2, kSuiteAt = 4, kStatementAt = 6;

Bytes replace(const Bytes& b, const Bytes& from, const Bytes& to) {
  Bytes out = testing::replace_bytes(b, from, to);
  EXPECT_NE(out, b);
  return out;
}
using testing::with_segments_header;

struct Case {
  const char* name;
  Bytes file;
  zkpot_status status;
  const char* field_or_check;  // field for failures other than INVALID, else check
};

std::vector<Case> cases() {
  const Bytes good = sample_file(2);
  std::vector<Case> c;
  Bytes b = good;
  b[kVersionAt] = 2;
  c.push_back({"version 2", b, ZKPOT_UNSUPPORTED, "envelope.version"});
  b = good;
  b[kSuiteAt] = 9;
  c.push_back({"suite 9", b, ZKPOT_UNSUPPORTED, "envelope.suite"});
  b = good;
  b[kStatementAt + 2] = 3;  // parameter set 3: not registered
  c.push_back({"parameter set 3", b, ZKPOT_UNSUPPORTED, "parameter_set"});
  // t1 = 2^20 + 5: the step range is over the cap.
  c.push_back({"step range over cap", replace(good, {0x07, 0x00, 0x08, 0x04}, {0x07, 0x00, 0x08, 0x1a, 0x00, 0x10, 0x00, 0x05}),
               ZKPOT_OVER_LIMIT, "t1"});
  // The dataset commitment cut to 31 bytes.
  c.push_back({"dataset commitment 31 bytes", replace(good, {0x58, 0x20, 0x10, 0x11}, {0x58, 0x1f, 0x11}),
               ZKPOT_MALFORMED, "dataset.commitment"});
  c.push_back({"4097 segments declared", with_segments_header({0x99, 0x10, 0x01}, {}), ZKPOT_OVER_LIMIT,
               "envelope.segments"});
  c.push_back({"segment of 2 MiB + 1", with_segments_header({0x81, 0x5a, 0x00, 0x20, 0x00, 0x01}, {}),
               ZKPOT_OVER_LIMIT, "segment"});
  c.push_back({"segment not a map", with_segments_header({0x81, 0x41, 0x80}, {}), ZKPOT_MALFORMED, "segment"});
  c.push_back({"segment not a byte string", with_segments_header({0x81, 0xa0}, {}), ZKPOT_MALFORMED, "envelope"});
  b = good;
  b.push_back(0);
  c.push_back({"trailing byte", b, ZKPOT_MALFORMED, "envelope"});
  b = good;
  b.pop_back();
  c.push_back({"truncated", b, ZKPOT_MALFORMED, "envelope"});
  c.push_back({"empty file", {}, ZKPOT_MALFORMED, "envelope"});
  c.push_back({"not CBOR", {0xff, 0x00}, ZKPOT_MALFORMED, "envelope"});
  c.push_back({"statement not a map", replace(good, {0x03, 0xa8}, {0x03, 0x80, 0xa8}), ZKPOT_MALFORMED, "statement"});
  c.push_back({"no segments", envelope(statement_bytes(), {}), ZKPOT_INVALID, "chain.step_range"});
  return c;
}

TEST(VerifyApi, ContextInCallerMemory) {
  EXPECT_GT(zkpot_context_size(), 0u);
  std::vector<unsigned char> mem(zkpot_context_size() + 8);
  EXPECT_EQ(zkpot_context_create(mem.data(), zkpot_context_size() - 1), nullptr);
  void* volatile null_memory = nullptr;
  EXPECT_EQ(zkpot_context_create(null_memory, 1 << 20), nullptr);
  // Any alignment of the caller's memory works.
  for (size_t shift = 0; shift < 8; ++shift) {
    zkpot_context* ctx = zkpot_context_create(mem.data() + shift, zkpot_context_size());
    ASSERT_NE(ctx, nullptr) << shift;
    EXPECT_EQ(zkpot_result_status(ctx), ZKPOT_MISUSE);  // nothing verified yet
  }
}

TEST(VerifyApi, StatusNamesAreDistinct) {
  std::vector<std::string> names;
  for (int s = ZKPOT_VALID; s <= ZKPOT_INTERNAL_ERROR; ++s) names.push_back(zkpot_status_name(static_cast<zkpot_status>(s)));
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::unique(names.begin(), names.end()), names.end());
  EXPECT_STREQ(zkpot_status_name(static_cast<zkpot_status>(99)), "unknown_status");
}

TEST(VerifyApi, EveryDamageGetsItsStatusAndField) {
  for (const Case& c : cases()) {
    Harness h;
    ASSERT_NE(h.ctx, nullptr);
    const zkpot_status s = h.buffer(c.file);
    EXPECT_EQ(s, c.status) << c.name << ": " << zkpot_result_reason(h.ctx);
    EXPECT_EQ(zkpot_result_status(h.ctx), s) << c.name;
    if (c.status == ZKPOT_INVALID) {
      EXPECT_EQ(h.check(), c.field_or_check) << c.name;
      EXPECT_EQ(h.field(), "") << c.name;
    } else {
      EXPECT_EQ(h.field(), c.field_or_check) << c.name << ": " << zkpot_result_reason(h.ctx);
      EXPECT_EQ(h.check(), "") << c.name;
    }
    EXPECT_NE(std::string(zkpot_result_reason(h.ctx)), "") << c.name;
    EXPECT_LE(zkpot_result_offset(h.ctx), c.file.size()) << c.name;
  }
}

// Buffer mode parses the whole file before verifying; streaming meets the
// file in order. They agree, except that streaming may stop at an earlier
// failure before it reaches a structural error further on.
void expect_agree(const char* name, Harness& buffered, zkpot_status a, Harness& streamed, zkpot_status b) {
  EXPECT_EQ(a == ZKPOT_VALID, b == ZKPOT_VALID) << name;
  if (a != b) {
    EXPECT_LT(zkpot_result_offset(streamed.ctx), zkpot_result_offset(buffered.ctx))
        << name << ": " << zkpot_result_reason(buffered.ctx) << " / " << zkpot_result_reason(streamed.ctx);
  }
}

TEST(VerifyApi, StreamingAgreesWithBuffer) {
  for (const Case& c : cases()) {
    Harness a, b;
    const zkpot_status buffered = a.buffer(c.file);
    const zkpot_status streamed = b.stream(c.file);
    expect_agree(c.name, a, buffered, b, streamed);
  }
}

TEST(VerifyApi, OffsetsPointAtTheOffendingBytes) {
  Bytes b = sample_file(1);
  b[kVersionAt] = 7;
  Harness h;
  EXPECT_EQ(h.buffer(b), ZKPOT_UNSUPPORTED);
  EXPECT_EQ(zkpot_result_offset(h.ctx), kVersionAt);
  EXPECT_EQ(zkpot_result_segment(h.ctx), UINT64_MAX);

  b = sample_file(1);
  b[kStatementAt + 2] = 3;
  EXPECT_EQ(h.buffer(b), ZKPOT_UNSUPPORTED);
  EXPECT_EQ(zkpot_result_offset(h.ctx), kStatementAt + 2);
}

TEST(VerifyApi, PlaceholderSegmentsNeverVerify) {
  for (size_t n : {1, 2, 3}) {
    Harness h;
    const zkpot_status s = h.buffer(sample_file(n));
    EXPECT_TRUE(s == ZKPOT_INVALID || s == ZKPOT_MALFORMED) << zkpot_status_name(s);
    EXPECT_EQ(zkpot_result_segment(h.ctx), 0u);
  }
}

TEST(VerifyApi, StatementAccessorsAfterBegin) {
  const Bytes file = sample_file(2);
  const TrainingStatement st = testing::sample_training_statement();
  Harness h;
  uint64_t v = 0;
  unsigned char d[ZKPOT_DIGEST_BYTES];
  EXPECT_EQ(zkpot_statement_u64(h.ctx, &v, ZKPOT_ST_T1), ZKPOT_MISUSE);  // before begin
  EXPECT_EQ(zkpot_statement_digest(h.ctx, d, ZKPOT_DIGEST_STATEMENT), ZKPOT_MISUSE);
  size_t head = 0;
  ASSERT_EQ(zkpot_verify_begin(h.ctx, &head, file.data(), file.size()), ZKPOT_CONTINUE);
  EXPECT_EQ(zkpot_segment_count(h.ctx), 2u);
  EXPECT_EQ(zkpot_result_status(h.ctx), ZKPOT_CONTINUE);
  EXPECT_STREQ(zkpot_result_reason(h.ctx), "");

  const std::pair<zkpot_statement_field, uint64_t> expected[] = {
      {ZKPOT_ST_PARAMETER_SET, 1}, {ZKPOT_ST_INPUT_WIDTH, 784}, {ZKPOT_ST_LAYER_COUNT, 2},
      {ZKPOT_ST_LOSS, 0}, {ZKPOT_ST_BATCH_SIZE, 64}, {ZKPOT_ST_LR_NUM, 1638}, {ZKPOT_ST_LR_FRAC_BITS, 20},
      {ZKPOT_ST_ACT_FRAC_BITS, 12}, {ZKPOT_ST_WEIGHT_FRAC_BITS, 20}, {ZKPOT_ST_QUOTIENT_BITS, 20},
      {ZKPOT_ST_WEIGHT_BITS, 24}, {ZKPOT_ST_UPDATE_BITS, 24}, {ZKPOT_ST_EXP_FRAC_BITS, 16},
      {ZKPOT_ST_STEPS_PER_EPOCH, 937}, {ZKPOT_ST_NORMALISATION, 1}, {ZKPOT_ST_NORM_MEAN_MICRO, 286000},
      {ZKPOT_ST_NORM_STD_MICRO, 353000}, {ZKPOT_ST_DATASET_ROWS, 60000}, {ZKPOT_ST_DATASET_COLUMNS, 784},
      {ZKPOT_ST_DATASET_CLASSES, 10}, {ZKPOT_ST_DATASET_HIDING, 0}, {ZKPOT_ST_T0, 0}, {ZKPOT_ST_T1, 4},
      {ZKPOT_ST_HAS_BEACON, 0}};
  for (const auto& [field, want] : expected) {
    ASSERT_EQ(zkpot_statement_u64(h.ctx, &v, field), ZKPOT_VALID) << field;
    EXPECT_EQ(v, want) << field;
  }
  EXPECT_EQ(zkpot_statement_u64(h.ctx, &v, static_cast<zkpot_statement_field>(0)), ZKPOT_MISUSE);
  EXPECT_EQ(zkpot_statement_u64(h.ctx, &v, static_cast<zkpot_statement_field>(25)), ZKPOT_MISUSE);

  ASSERT_EQ(zkpot_statement_digest(h.ctx, d, ZKPOT_DIGEST_STATEMENT), ZKPOT_VALID);
  const StatementDigest want = training_statement_digest(testing::kTestSuite, statement_bytes());
  EXPECT_TRUE(std::equal(want.begin(), want.end(), d));
  ASSERT_EQ(zkpot_statement_digest(h.ctx, d, ZKPOT_DIGEST_DATASET), ZKPOT_VALID);
  EXPECT_TRUE(std::equal(st.dataset.commitment.begin(), st.dataset.commitment.end(), d));
  ASSERT_EQ(zkpot_statement_digest(h.ctx, d, ZKPOT_DIGEST_FINAL_WEIGHTS), ZKPOT_VALID);
  EXPECT_TRUE(std::equal(st.final_weights.begin(), st.final_weights.end(), d));
  EXPECT_EQ(zkpot_statement_digest(h.ctx, d, ZKPOT_DIGEST_BEACON), ZKPOT_MISUSE);  // none
  EXPECT_EQ(zkpot_statement_digest(h.ctx, d, static_cast<zkpot_digest_field>(6)), ZKPOT_MISUSE);

  uint32_t width = 0, act = 0;
  ASSERT_EQ(zkpot_statement_layer(h.ctx, &width, &act, 0), ZKPOT_VALID);
  EXPECT_EQ(width, 128u);
  EXPECT_EQ(act, 1u);
  ASSERT_EQ(zkpot_statement_layer(h.ctx, &width, &act, 1), ZKPOT_VALID);
  EXPECT_EQ(width, 10u);
  EXPECT_EQ(act, 0u);
  EXPECT_EQ(zkpot_statement_layer(h.ctx, &width, &act, 2), ZKPOT_MISUSE);
}

TEST(VerifyApi, CppWrapper) {
  Verifier v;
  const zkpot_status s = v.verify_buffer(sample_file(1));
  EXPECT_NE(s, ZKPOT_VALID);
  EXPECT_TRUE(v.has_statement());
  EXPECT_EQ(v.architecture(), "784-128-10");
  EXPECT_EQ(v.get(ZKPOT_ST_BATCH_SIZE), 64u);
  EXPECT_EQ(to_hex(v.digest(ZKPOT_DIGEST_DATASET)).substr(0, 6), "101112");
  EXPECT_FALSE(v.reason().empty());
  Verifier w;
  EXPECT_EQ(w.verify_buffer(Bytes{0xff}), ZKPOT_MALFORMED);
  EXPECT_FALSE(w.has_statement());
  EXPECT_THROW(w.get(ZKPOT_ST_T1), std::logic_error);
}

TEST(VerifyApi, MisuseIsReportedNotCrashed) {
  Harness h;
  const Bytes file = sample_file(2);
  zkpot_context* volatile null_ctx = nullptr;
  size_t n = 0;
  EXPECT_EQ(zkpot_verify_begin(null_ctx, &n, file.data(), file.size()), ZKPOT_MISUSE);
  EXPECT_EQ(zkpot_verify_buffer(null_ctx, nullptr, 0, file.data(), file.size()), ZKPOT_MISUSE);
  EXPECT_EQ(zkpot_verify_end(null_ctx), ZKPOT_MISUSE);
  EXPECT_EQ(zkpot_result_status(null_ctx), ZKPOT_MISUSE);
  EXPECT_STRNE(zkpot_result_reason(null_ctx), "");
  // Memory that is not a context.
  std::vector<unsigned char> junk(zkpot_context_size(), 0x5a);
  EXPECT_EQ(zkpot_verify_end(reinterpret_cast<zkpot_context*>(junk.data())), ZKPOT_MISUSE);
  // Order: segment and end before begin.
  EXPECT_EQ(zkpot_verify_segment(h.ctx, nullptr, 0, file.data(), 3), ZKPOT_MISUSE);
  EXPECT_EQ(zkpot_verify_end(h.ctx), ZKPOT_MISUSE);
  EXPECT_EQ(zkpot_next_segment_size(h.ctx, &n, file.data(), file.size()), ZKPOT_MISUSE);
  // Null pointers with lengths.
  size_t* volatile null_size = nullptr;
  const unsigned char* volatile null_bytes = nullptr;
  EXPECT_EQ(zkpot_verify_begin(h.ctx, null_size, file.data(), file.size()), ZKPOT_MISUSE);
  EXPECT_EQ(zkpot_verify_begin(h.ctx, &n, null_bytes, 10), ZKPOT_MISUSE);
  EXPECT_EQ(zkpot_verify_buffer(h.ctx, nullptr, 0, null_bytes, 10), ZKPOT_MISUSE);
  EXPECT_EQ(zkpot_scratch_size(h.ctx, null_size), ZKPOT_MISUSE);
  EXPECT_EQ(zkpot_scratch_size(h.ctx, &n), ZKPOT_MISUSE);  // no statement yet
  EXPECT_EQ(zkpot_statement_scratch_size(null_size, file.data(), 1), ZKPOT_MISUSE);
  // End before every segment; a segment too many.
  size_t head = 0;
  ASSERT_EQ(zkpot_verify_begin(h.ctx, &head, file.data(), file.size()), ZKPOT_CONTINUE);
  EXPECT_EQ(zkpot_verify_end(h.ctx), ZKPOT_MISUSE);
  EXPECT_STRNE(zkpot_result_reason(h.ctx), "");
  // A segment longer than its header declares.
  size_t item = 0;
  ASSERT_EQ(zkpot_next_segment_size(h.ctx, &item, file.data() + head, file.size() - head), ZKPOT_CONTINUE);
  EXPECT_EQ(zkpot_verify_segment(h.ctx, h.scratch.data(), h.scratch.size(), file.data() + head, item + 1),
            ZKPOT_MISUSE);
  const Bytes empty = envelope(statement_bytes(), {});
  ASSERT_EQ(zkpot_verify_begin(h.ctx, &head, empty.data(), empty.size()), ZKPOT_CONTINUE);
  EXPECT_EQ(zkpot_verify_segment(h.ctx, h.scratch.data(), h.scratch.size(), file.data() + head, 3), ZKPOT_MISUSE);
}

TEST(VerifyApi, StatementScratchQuery) {
  const Bytes st = statement_bytes();
  size_t n = 0;
  EXPECT_EQ(zkpot_statement_scratch_size(&n, st.data(), st.size()), ZKPOT_VALID);
  EXPECT_LE(n, zkpot_max_scratch_size());
  Bytes bad = st;
  bad[2] = 3;  // parameter set 3
  EXPECT_EQ(zkpot_statement_scratch_size(&n, bad.data(), bad.size()), ZKPOT_UNSUPPORTED);
  bad = st;
  bad.push_back(0);
  EXPECT_EQ(zkpot_statement_scratch_size(&n, bad.data(), bad.size()), ZKPOT_MALFORMED);
  bad = replace(st, {0x07, 0x00, 0x08, 0x04}, {0x07, 0x00, 0x08, 0x1a, 0x00, 0x10, 0x00, 0x05});
  EXPECT_EQ(zkpot_statement_scratch_size(&n, bad.data(), bad.size()), ZKPOT_OVER_LIMIT);
  std::vector<unsigned char> huge(ZKPOT_MAX_STATEMENT_BYTES + 1, 0xa0);
  EXPECT_EQ(zkpot_statement_scratch_size(&n, huge.data(), huge.size()), ZKPOT_OVER_LIMIT);
}

TEST(VerifyApi, SegmentSizeQueryChecksTheHeaderOnly) {
  Harness h;
  const Bytes file = sample_file(1);
  size_t head = 0, item = 0;
  ASSERT_EQ(zkpot_verify_begin(h.ctx, &head, file.data(), file.size()), ZKPOT_CONTINUE);
  EXPECT_EQ(zkpot_next_segment_size(h.ctx, &item, file.data() + head, 9), ZKPOT_CONTINUE);
  EXPECT_EQ(item, file.size() - head);
  const unsigned char over[] = {0x5a, 0x00, 0x20, 0x00, 0x01};
  EXPECT_EQ(zkpot_next_segment_size(h.ctx, &item, over, sizeof over), ZKPOT_OVER_LIMIT);
  const unsigned char non_shortest[] = {0x58, 0x03, 1, 2, 3};
  EXPECT_EQ(zkpot_next_segment_size(h.ctx, &item, non_shortest, sizeof non_shortest), ZKPOT_MALFORMED);
  const unsigned char cut[] = {0x5a, 0x00};
  EXPECT_EQ(zkpot_next_segment_size(h.ctx, &item, cut, sizeof cut), ZKPOT_MALFORMED);
  EXPECT_EQ(zkpot_result_status(h.ctx), ZKPOT_CONTINUE);  // queries leave the result alone
}

TEST(VerifyApi, FailuresLatchUntilTheNextBegin) {
  Harness h;
  Bytes file = sample_file(2);
  size_t head = 0, item = 0;
  ASSERT_EQ(zkpot_verify_begin(h.ctx, &head, file.data(), file.size()), ZKPOT_CONTINUE);
  ASSERT_EQ(zkpot_next_segment_size(h.ctx, &item, file.data() + head, file.size() - head), ZKPOT_CONTINUE);
  const zkpot_status first = zkpot_verify_segment(h.ctx, h.scratch.data(), h.scratch.size(), file.data() + head, item);
  ASSERT_NE(first, ZKPOT_CONTINUE);
  EXPECT_EQ(zkpot_verify_segment(h.ctx, h.scratch.data(), h.scratch.size(), file.data() + head, item), first);
  EXPECT_EQ(zkpot_verify_end(h.ctx), first);
  EXPECT_EQ(zkpot_verify_begin(h.ctx, &head, file.data(), file.size()), ZKPOT_CONTINUE);
}

TEST(VerifyApi, LimitsHoldBeforeWork) {
  Harness h;
  // A file declaring more than the file cap is refused from its size alone.
  // (Only the length is looked at; the bytes are never read.)
  const unsigned char one = 0xa4;
  EXPECT_EQ(zkpot_verify_buffer(h.ctx, nullptr, 0, &one, static_cast<size_t>(ZKPOT_MAX_FILE_BYTES) + 1),
            ZKPOT_OVER_LIMIT);
  EXPECT_EQ(h.field(), "file");
}

TEST(VerifyApi, VerificationMakesNoHeapAllocation) {
  std::vector<Case> all = cases();
  all.push_back({"placeholders", sample_file(3), ZKPOT_INVALID, ""});
  for (const Case& c : all) {
    Harness h, g;
    zkpot_status a = ZKPOT_MISUSE, b = ZKPOT_MISUSE;
    const size_t allocs = testing::allocations_during([&] {
      a = h.buffer(c.file);
      b = g.stream(c.file);
    });
    EXPECT_EQ(allocs, 0u) << c.name;
    expect_agree(c.name, h, a, g, b);
  }
#if defined(ZKPOT_COUNT_MALLOC)
  // The counter sees malloc: this must count.
  const size_t seen = testing::allocations_during([] {
    void* volatile p = std::malloc(16);
    std::free(p);
  });
  EXPECT_EQ(seen, 1u);
#endif
}

}  // namespace
}  // namespace zkpot

namespace zkpot {
namespace {

TEST(VerifyApi, ScratchBelowTheQueryIsRefusedBeforeWork) {
  Harness h;
  const Bytes file = sample_file(1);
  size_t head = 0, need = 0, item = 0;
  ASSERT_EQ(zkpot_verify_begin(h.ctx, &head, file.data(), file.size()), ZKPOT_CONTINUE);
  ASSERT_EQ(zkpot_scratch_size(h.ctx, &need), ZKPOT_VALID);
  ASSERT_GT(need, 0u);
  EXPECT_LE(need, zkpot_max_scratch_size());
  ASSERT_EQ(zkpot_next_segment_size(h.ctx, &item, file.data() + head, file.size() - head), ZKPOT_CONTINUE);
  EXPECT_EQ(zkpot_verify_segment(h.ctx, h.scratch.data(), need - 1, file.data() + head, item),
            ZKPOT_SCRATCH_TOO_SMALL);
  EXPECT_EQ(zkpot_verify_buffer(h.ctx, h.scratch.data(), need - 1, file.data(), file.size()), ZKPOT_SCRATCH_TOO_SMALL);
  // Not a verdict: with enough scratch the same context goes on.
  EXPECT_EQ(zkpot_verify_begin(h.ctx, &head, file.data(), file.size()), ZKPOT_CONTINUE);
  EXPECT_NE(zkpot_verify_segment(h.ctx, h.scratch.data(), need, file.data() + head, item), ZKPOT_SCRATCH_TOO_SMALL);
}

}  // namespace
}  // namespace zkpot
