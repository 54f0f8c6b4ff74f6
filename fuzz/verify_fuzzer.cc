// Fuzzes whole verification through the C API (verifier/include/zkpot/verify.h),
// in buffer mode and streaming mode. Oracles: no crash or out-of-bounds
// read (ASan); only verdict statuses come back (never misuse or an internal
// error); failures carry a reason and an offset inside the file; the two
// modes agree on whether the file is valid.
#include <zkpot/verify.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

[[noreturn]] void die(const char* what, zkpot_context* ctx) {
  std::fprintf(stderr, "verify_fuzzer: %s (%s)\n", what, ctx ? zkpot_result_reason(ctx) : "");
  std::abort();
}

bool is_verdict(zkpot_status s) { return s <= ZKPOT_OVER_LIMIT; }

struct Buffers {
  std::vector<unsigned char> a = std::vector<unsigned char>(zkpot_context_size());
  std::vector<unsigned char> b = std::vector<unsigned char>(zkpot_context_size());
  std::vector<unsigned char> scratch = std::vector<unsigned char>(std::max<size_t>(zkpot_max_scratch_size(), 1));
};

zkpot_status stream(zkpot_context* ctx, std::vector<unsigned char>& scratch, const unsigned char* data, size_t size) {
  size_t head = 0;
  zkpot_status s = zkpot_verify_begin(ctx, &head, data, std::min<size_t>(size, ZKPOT_MAX_HEAD_BYTES));
  if (s != ZKPOT_CONTINUE) return s;
  if (head > size) die("head longer than the input", ctx);
  size_t pos = head;
  const uint64_t n = zkpot_segment_count(ctx);
  for (uint64_t i = 0; i < n; ++i) {
    size_t item = 0;
    if (zkpot_next_segment_size(ctx, &item, data + pos, size - pos) != ZKPOT_CONTINUE) item = size - pos;
    item = std::min(item, size - pos);
    s = zkpot_verify_segment(ctx, scratch.data(), scratch.size(), data + pos, item);
    if (s != ZKPOT_CONTINUE) return s;
    pos += item;
  }
  s = zkpot_verify_end(ctx);
  if (s == ZKPOT_VALID && pos != size) return ZKPOT_MALFORMED;
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Buffers* buffers = new Buffers();
  zkpot_context* a = zkpot_context_create(buffers->a.data(), buffers->a.size());
  zkpot_context* b = zkpot_context_create(buffers->b.data(), buffers->b.size());
  if (a == nullptr || b == nullptr) die("context", nullptr);
  const zkpot_status x = zkpot_verify_buffer(a, buffers->scratch.data(), buffers->scratch.size(), data, size);
  if (!is_verdict(x)) die("buffer mode returned a non-verdict", a);
  if (x != ZKPOT_VALID) {
    if (zkpot_result_reason(a)[0] == '\0') die("failure without a reason", a);
    if (zkpot_result_offset(a) > size) die("offset past the file", a);
  }
  const zkpot_status y = stream(b, buffers->scratch, data, size);
  if (!is_verdict(y)) die("streaming returned a non-verdict", b);
  if ((x == ZKPOT_VALID) != (y == ZKPOT_VALID)) die("buffer and streaming modes disagree", b);
  return 0;
}
