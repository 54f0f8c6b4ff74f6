// Fuzzes the bounded CBOR reader, field-vector reader and envelope decoder
// (docs/FORMAT.md). Oracles: nothing may crash or read out of bounds (ASan),
// libcbor must never disagree with our own header reading, and whatever is
// accepted must re-encode canonically to exactly the input bytes, so the
// profile has one encoding per value.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string_view>
#include <vector>

#include "common/extension.h"
#include "common/field.h"
#include "formats/cbor_reader.h"
#include "formats/cbor_writer.h"
#include "formats/envelope.h"
#include "formats/field_vector.h"

namespace {

using zkpot::CborLimits;
using zkpot::CborReader;
using zkpot::CborToken;
using zkpot::CborType;
using zkpot::CborWriter;
using zkpot::FormatError;
using zkpot::FormatStatus;

constexpr CborLimits kFuzzLimits{1 << 20, 16, 1 << 16, 1 << 16, 1 << 18};

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "cbor_reader_fuzzer: %s\n", what);
  std::abort();
}

void check_status(const FormatStatus& s, size_t size) {
  if (s.code == FormatError::kDecoderMismatch) die("libcbor and the header reader disagree");
  if (!s.is_ok() && s.offset > size) die("error offset past the input");
}

bool same(std::span<const uint8_t> a, const std::vector<uint8_t>& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

// Reads a document token by token and re-encodes each token.
void fuzz_reader(std::span<const uint8_t> in) {
  CborReader reader(in, kFuzzLimits);
  std::vector<uint8_t> out;
  CborWriter writer(&out);
  FormatStatus s;
  while (!reader.top_level_complete()) {
    CborToken t;
    s = reader.next(&t);
    if (!s.is_ok()) break;
    switch (t.type) {
      case CborType::kUnsigned: writer.write_uint(t.value); break;
      case CborType::kNegative: writer.write_negative(t.value); break;
      case CborType::kBool: writer.write_bool(t.value != 0); break;
      case CborType::kBytes: writer.write_bytes(t.payload); break;
      case CborType::kText:
        writer.write_text(std::string_view(reinterpret_cast<const char*>(t.payload.data()), t.payload.size()));
        break;
      case CborType::kArray: writer.begin_array(t.value); break;
      case CborType::kMap: writer.begin_map(t.value); break;
    }
  }
  if (s.is_ok()) s = reader.finish();
  check_status(s, in.size());
  if (s.is_ok() != zkpot::cbor_validate(in, kFuzzLimits).is_ok()) die("cbor_validate disagrees with next()");
  if (!s.is_ok()) return;
  if (!writer.finish().is_ok()) die("accepted input does not re-encode");
  if (!same(in, out)) die("re-encoding differs from the accepted input");
}

template <class F>
void fuzz_field_vector(std::span<const uint8_t> in) {
  F elems[64];
  size_t n = 0;
  CborReader reader(in, kFuzzLimits);
  FormatStatus s = zkpot::read_field_vector_up_to<F>(reader, std::span<F>(elems), &n);
  if (s.is_ok()) s = reader.finish();
  check_status(s, in.size());
  if (!s.is_ok()) return;
  std::vector<uint8_t> out;
  CborWriter writer(&out);
  zkpot::write_field_vector<F>(writer, std::span<const F>(elems, n));
  if (!writer.finish().is_ok() || !same(in, out)) die("field vector does not re-encode identically");
}

void fuzz_envelope(std::span<const uint8_t> in) {
  zkpot::EnvelopeView view;
  const FormatStatus s = zkpot::decode_envelope(in, &view);
  check_status(s, in.size());
  if (!s.is_ok()) return;
  std::vector<std::span<const uint8_t>> segments;
  zkpot::SegmentCursor cursor(view);
  for (uint64_t i = 0; i < view.segment_count; ++i) {
    std::span<const uint8_t> seg;
    if (!cursor.next(&seg).is_ok()) die("segment cursor fails on a decoded envelope");
    segments.push_back(seg);
  }
  std::vector<uint8_t> out;
  if (!zkpot::encode_envelope(view.suite, view.statement, segments, &out).is_ok()) {
    die("decoded envelope does not re-encode");
  }
  if (!same(in, out)) die("envelope re-encoding differs from the input");
  (void)zkpot::statement_digest(view);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> in(data, size);
  fuzz_reader(in);
  fuzz_field_vector<zkpot::Goldilocks>(in);
  fuzz_field_vector<zkpot::GlExt3>(in);
  fuzz_envelope(in);
  return 0;
}
