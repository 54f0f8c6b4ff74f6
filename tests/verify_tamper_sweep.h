// The tampering sweep over a real proof file shared by verify_tamper_test
// (a light sweep, also run under the sanitizers) and verify_tamper_slow_test
// (several hundred positions): bytes flipped at deterministic positions over
// the whole file (every byte of the envelope head, the first bytes of each
// segment, positions spread across each segment's body, its last bytes).
#pragma once

#include <gtest/gtest.h>
#include <zkpot/verify.h>

#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

#include "verify_real_proofs.h"

namespace zkpot {
namespace testing {

using Bytes = std::vector<uint8_t>;

inline const RealProof& tamper_proof() {
  static const RealProof p = testing::make_real_proof({});
  return p;
}

struct Verifier {
  std::vector<unsigned char> memory = std::vector<unsigned char>(zkpot_context_size());
  zkpot_context* ctx = zkpot_context_create(memory.data(), memory.size());
  std::vector<unsigned char> scratch;
  // Scratch as the statement's query asks.
  explicit Verifier(const TrainingStatement& statement) {
    Bytes st;
    EXPECT_TRUE(encode_training_statement(statement, &st).is_ok());
    size_t n = 0;
    EXPECT_EQ(zkpot_statement_scratch_size(&n, st.data(), st.size()), ZKPOT_VALID);
    scratch.resize(n);
  }
  // A tampered statement may need more scratch than the original: then ask
  // the file's own head, as an embedder would, and verify again.
  zkpot_status verify(const Bytes& file) {
    zkpot_status s = zkpot_verify_buffer(ctx, scratch.data(), scratch.size(), file.data(), file.size());
    if (s != ZKPOT_SCRATCH_TOO_SMALL) return s;
    size_t head = 0, need = 0;
    if (zkpot_verify_begin(ctx, &head, file.data(), std::min<size_t>(file.size(), ZKPOT_MAX_HEAD_BYTES)) !=
            ZKPOT_CONTINUE ||
        zkpot_scratch_size(ctx, &need) != ZKPOT_VALID)
      return ZKPOT_INTERNAL_ERROR;
    std::vector<unsigned char> more(need);
    return zkpot_verify_buffer(ctx, more.data(), more.size(), file.data(), file.size());
  }
};

// [begin, end) of the envelope head (up to the first segment) and of each
// segment (header and payload) in the file.
inline std::vector<std::pair<size_t, size_t>> regions(const Bytes& file, size_t segments) {
  std::vector<unsigned char> memory(zkpot_context_size());
  zkpot_context* ctx = zkpot_context_create(memory.data(), memory.size());
  size_t pos = 0;
  EXPECT_EQ(zkpot_verify_begin(ctx, &pos, file.data(), std::min<size_t>(file.size(), ZKPOT_MAX_HEAD_BYTES)),
            ZKPOT_CONTINUE);
  std::vector<std::pair<size_t, size_t>> out = {{0, pos}};
  for (size_t i = 0; i < segments; ++i) {
    size_t item = 0;
    EXPECT_EQ(zkpot_next_segment_size(ctx, &item, file.data() + pos, file.size() - pos), ZKPOT_CONTINUE);
    out.push_back({pos, pos + item});
    pos += item;
  }
  EXPECT_EQ(pos, file.size());
  return out;
}

// Flips one bit at each position: head_stride picks every k-th head byte,
// body_positions how many spread positions per segment.
inline void flip_sweep(size_t head_stride, size_t body_positions, size_t min_positions) {
  const RealProof& p = tamper_proof();
  Verifier v(p.statement);
  ASSERT_EQ(v.verify(p.file), ZKPOT_VALID) << zkpot_result_reason(v.ctx);
  const auto parts = regions(p.file, p.segments.size());
  std::vector<size_t> positions;
  // Every byte of the head: map header, version, suite, the statement, the segments array header.
  for (size_t i = parts[0].first; i < parts[0].second; i += head_stride) positions.push_back(i);
  for (size_t s = 1; s < parts.size(); ++s) {
    const auto [b, e] = parts[s];
    for (size_t i = b; i < std::min(e, b + 24); ++i) positions.push_back(i);  // header and the map's first fields
    for (size_t k = 0; k < body_positions; ++k) positions.push_back(b + 24 + (e - b - 24) * k / body_positions + k % 7);
    for (size_t i = e - 8; i < e; ++i) positions.push_back(i);  // the last opening's tail
  }
  std::sort(positions.begin(), positions.end());
  positions.erase(std::unique(positions.begin(), positions.end()), positions.end());
  ASSERT_GE(positions.size(), min_positions);
  size_t counts[9] = {};
  for (size_t n = 0; n < positions.size(); ++n) {
    const size_t at = positions[n];
    ASSERT_LT(at, p.file.size());
    Bytes bad = p.file;
    bad[at] ^= static_cast<uint8_t>(1u << (n % 8));
    const zkpot_status s = v.verify(bad);
    EXPECT_NE(s, ZKPOT_VALID) << "flip at " << at;
    EXPECT_TRUE(s == ZKPOT_INVALID || s == ZKPOT_MALFORMED || s == ZKPOT_UNSUPPORTED || s == ZKPOT_OVER_LIMIT)
        << "flip at " << at << ": " << zkpot_status_name(s);
    ++counts[s];
  }
  std::printf("%zu flips over %zu bytes: %zu invalid, %zu malformed, %zu unsupported, %zu over limit\n",
              positions.size(), p.file.size(), counts[ZKPOT_INVALID], counts[ZKPOT_MALFORMED],
              counts[ZKPOT_UNSUPPORTED], counts[ZKPOT_OVER_LIMIT]);
  // The sweep reaches the proof checks, not only the parsers.
  EXPECT_GT(counts[ZKPOT_INVALID], positions.size() / 2);
}

}  // namespace testing
}  // namespace zkpot
