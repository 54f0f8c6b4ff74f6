// Fuzzes the envelope parser (formats/envelope.h decode_envelope and
// SegmentCursor; docs/FORMAT.md §3). Oracles: no crash, hang or out-of-bounds
// read (ASan); an accepted envelope yields exactly segment_count segments,
// each inside the input; and, the encoding being canonical, re-encoding what
// was decoded gives back exactly the input bytes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <vector>

#include "formats/envelope.h"

namespace {
[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "envelope_fuzzer: %s\n", what);
  std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> in(data, size);
  zkpot::EnvelopeView env;
  if (!zkpot::decode_envelope(in, &env).is_ok()) return 0;
  std::vector<std::span<const uint8_t>> segments;
  zkpot::SegmentCursor cursor(env);
  for (;;) {
    std::span<const uint8_t> seg;
    const zkpot::FormatStatus st = cursor.next(&seg);
    if (st.code == zkpot::FormatError::kNoMoreItems) break;
    if (!st.is_ok()) fail("a segment of an accepted envelope does not read back");
    if (seg.data() < data || seg.data() + seg.size() > data + size) fail("a segment lies outside the input");
    segments.push_back(seg);
    if (segments.size() > env.segment_count) fail("more segments than the envelope declares");
  }
  if (segments.size() != env.segment_count) fail("fewer segments than the envelope declares");
  if (env.version != zkpot::kEnvelopeVersion) return 0;  // only the current version is written
  std::vector<uint8_t> again;
  if (!zkpot::encode_envelope(env.suite, env.statement, segments, &again).is_ok())
    fail("an accepted envelope does not re-encode");
  if (again.size() != size || !std::equal(again.begin(), again.end(), data))
    fail("re-encoding differs from the input (two encodings of one envelope)");
  return 0;
}
