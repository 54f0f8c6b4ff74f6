// Streaming verification of a whole file through the C API, the way
// zkpot-verify reads one: begin on the head, then each segment as
// zkpot_next_segment_size delimits it, then end. Shared by the verifier tests.
#pragma once

#include <zkpot/verify.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace zkpot::testing {

// With check_scratch, a context whose scratch query (after begin) asks for
// more than the caller's scratch gives ZKPOT_INTERNAL_ERROR: the statement's
// size query must already have covered it.
inline zkpot_status verify_streaming(zkpot_context* ctx, unsigned char* scratch, size_t scratch_size,
                                     const std::vector<uint8_t>& file, bool check_scratch = false) {
  size_t head = 0;
  zkpot_status s = zkpot_verify_begin(ctx, &head, file.data(), std::min<size_t>(file.size(), ZKPOT_MAX_HEAD_BYTES));
  if (s != ZKPOT_CONTINUE) return s;
  if (check_scratch) {
    size_t needed = 0;
    if (zkpot_scratch_size(ctx, &needed) != ZKPOT_VALID || needed > scratch_size) return ZKPOT_INTERNAL_ERROR;
  }
  size_t pos = head;
  for (uint64_t i = 0; i < zkpot_segment_count(ctx); ++i) {
    size_t item = 0;
    const unsigned char* at = file.data() + pos;
    const size_t left = file.size() - pos;
    if (zkpot_next_segment_size(ctx, &item, at, left) != ZKPOT_CONTINUE) item = left;
    item = std::min(item, left);
    s = zkpot_verify_segment(ctx, scratch, scratch_size, at, item);
    if (s != ZKPOT_CONTINUE) return s;
    pos += item;
  }
  s = zkpot_verify_end(ctx);
  if (s == ZKPOT_VALID && pos != file.size()) return ZKPOT_MALFORMED;
  return s;
}

}  // namespace zkpot::testing
