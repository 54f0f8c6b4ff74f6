// The bounded CBOR reader, the canonical writer and field vectors
// (docs/FORMAT.md §1-§3): round trips, every rejection class with its own
// code, caps, and the absence of heap allocation on the reader path.
#include <cbor.h>
#include <gtest/gtest.h>

#include <cstring>
#include <initializer_list>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "allocation_counter.h"
#include "common/extension.h"
#include "common/field.h"
#include "formats/cbor_head.h"
#include "formats/cbor_reader.h"
#include "formats/cbor_writer.h"
#include "formats/field_vector.h"
#include "formats/format_error.h"
#include "formats/utf8.h"

namespace zkpot {
namespace {

using Bytes = std::vector<uint8_t>;
using E = FormatError;

constexpr CborLimits kTestLimits{1 << 20, 8, 1 << 16, 1 << 16, 1 << 18};
constexpr CborLimits kUnlimited{UINT64_MAX, kCborMaxSupportedDepth, UINT64_MAX, UINT64_MAX, UINT64_MAX};

Bytes hex(std::initializer_list<int> v) {
  Bytes out;
  for (int b : v) out.push_back(static_cast<uint8_t>(b));
  return out;
}

FormatStatus validate(const Bytes& b, const CborLimits& limits = kTestLimits) { return cbor_validate(b, limits); }

// Expects rejection with exactly this code at this offset.
void expect_rejected(const Bytes& b, FormatError code, size_t offset, const CborLimits& limits = kTestLimits) {
  const FormatStatus s = validate(b, limits);
  EXPECT_EQ(s.code, code) << "got " << s.message() << " at " << s.offset;
  EXPECT_EQ(s.offset, offset);
}

// Re-encodes a document token by token with the writer; the reader's tokens
// carry everything a canonical encoding depends on.
Bytes reencode(const Bytes& input) {
  CborReader r(input, kTestLimits);
  Bytes out;
  CborWriter w(&out);
  while (!r.top_level_complete()) {
    CborToken t;
    EXPECT_TRUE(r.next(&t).is_ok());
    switch (t.type) {
      case CborType::kUnsigned: w.write_uint(t.value); break;
      case CborType::kNegative: w.write_negative(t.value); break;
      case CborType::kBool: w.write_bool(t.value != 0); break;
      case CborType::kBytes: w.write_bytes(t.payload); break;
      case CborType::kText:
        w.write_text(std::string_view(reinterpret_cast<const char*>(t.payload.data()), t.payload.size()));
        break;
      case CborType::kArray: w.begin_array(t.value); break;
      case CborType::kMap: w.begin_map(t.value); break;
    }
  }
  EXPECT_TRUE(r.finish().is_ok());
  EXPECT_TRUE(w.finish().is_ok());
  return out;
}

// ---------------------------------------------------------------- writer

Bytes encode_uint(uint64_t v) {
  Bytes out;
  CborWriter w(&out);
  w.write_uint(v);
  EXPECT_TRUE(w.finish().is_ok());
  return out;
}

TEST(CborWriter, MatchesRfc8949AppendixAVectors) {
  EXPECT_EQ(encode_uint(0), hex({0x00}));
  EXPECT_EQ(encode_uint(23), hex({0x17}));
  EXPECT_EQ(encode_uint(24), hex({0x18, 0x18}));
  EXPECT_EQ(encode_uint(100), hex({0x18, 0x64}));
  EXPECT_EQ(encode_uint(1000), hex({0x19, 0x03, 0xe8}));
  EXPECT_EQ(encode_uint(1000000), hex({0x1a, 0x00, 0x0f, 0x42, 0x40}));
  EXPECT_EQ(encode_uint(1000000000000ULL), hex({0x1b, 0x00, 0x00, 0x00, 0xe8, 0xd4, 0xa5, 0x10, 0x00}));
  EXPECT_EQ(encode_uint(UINT64_MAX), hex({0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}));

  auto one = [](auto&& write) {
    Bytes out;
    CborWriter w(&out);
    write(w);
    EXPECT_TRUE(w.finish().is_ok());
    return out;
  };
  EXPECT_EQ(one([](CborWriter& w) { w.write_int(-1); }), hex({0x20}));
  EXPECT_EQ(one([](CborWriter& w) { w.write_int(-10); }), hex({0x29}));
  EXPECT_EQ(one([](CborWriter& w) { w.write_int(-100); }), hex({0x38, 0x63}));
  EXPECT_EQ(one([](CborWriter& w) { w.write_int(-1000); }), hex({0x39, 0x03, 0xe7}));
  EXPECT_EQ(one([](CborWriter& w) { w.write_negative(UINT64_MAX); }),
            hex({0x3b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}));
  EXPECT_EQ(one([](CborWriter& w) { w.write_bool(false); }), hex({0xf4}));
  EXPECT_EQ(one([](CborWriter& w) { w.write_bool(true); }), hex({0xf5}));
  EXPECT_EQ(one([](CborWriter& w) { w.write_text(""); }), hex({0x60}));
  EXPECT_EQ(one([](CborWriter& w) { w.write_text("IETF"); }), hex({0x64, 0x49, 0x45, 0x54, 0x46}));
  EXPECT_EQ(one([](CborWriter& w) { w.write_text("\xc3\xbc"); }), hex({0x62, 0xc3, 0xbc}));
  EXPECT_EQ(one([](CborWriter& w) { w.write_bytes({}); }), hex({0x40}));
  const Bytes four = hex({1, 2, 3, 4});
  EXPECT_EQ(one([&](CborWriter& w) { w.write_bytes(four); }), hex({0x44, 1, 2, 3, 4}));
  EXPECT_EQ(one([](CborWriter& w) { w.begin_array(0); }), hex({0x80}));
  EXPECT_EQ(one([](CborWriter& w) {
              w.begin_array(3).write_uint(1).begin_array(2).write_uint(2).write_uint(3);
              w.begin_array(2).write_uint(4).write_uint(5);
            }),
            hex({0x83, 0x01, 0x82, 0x02, 0x03, 0x82, 0x04, 0x05}));
  EXPECT_EQ(one([](CborWriter& w) { w.begin_map(0); }), hex({0xa0}));
  EXPECT_EQ(one([](CborWriter& w) { w.begin_map(2).write_key(1).write_uint(2).write_key(3).write_uint(4); }),
            hex({0xa2, 0x01, 0x02, 0x03, 0x04}));
}

// Our header encoder against libcbor's encoder, at every width boundary.
TEST(CborWriter, HeadersAgreeWithLibcborEncoder) {
  const uint64_t values[] = {0,          1,           23,          24,          255,        256,
                             65535,      65536,       0xFFFFFFFFULL, 0x100000000ULL, UINT64_MAX - 1, UINT64_MAX};
  for (uint64_t v : values) {
    uint8_t ours[kCborMaxHeadBytes], theirs[16];
    size_t n = cbor_encode_head(kCborMajorUnsigned, v, ours);
    ASSERT_EQ(n, cbor_encode_uint(v, theirs, sizeof theirs)) << v;
    EXPECT_EQ(0, std::memcmp(ours, theirs, n)) << v;
    n = cbor_encode_head(kCborMajorNegative, v, ours);
    ASSERT_EQ(n, cbor_encode_negint(v, theirs, sizeof theirs)) << v;
    EXPECT_EQ(0, std::memcmp(ours, theirs, n)) << v;
    n = cbor_encode_head(kCborMajorBytes, v, ours);
    ASSERT_EQ(n, cbor_encode_bytestring_start(v, theirs, sizeof theirs)) << v;
    EXPECT_EQ(0, std::memcmp(ours, theirs, n)) << v;
    n = cbor_encode_head(kCborMajorText, v, ours);
    ASSERT_EQ(n, cbor_encode_string_start(v, theirs, sizeof theirs)) << v;
    EXPECT_EQ(0, std::memcmp(ours, theirs, n)) << v;
    n = cbor_encode_head(kCborMajorArray, v, ours);
    ASSERT_EQ(n, cbor_encode_array_start(v, theirs, sizeof theirs)) << v;
    EXPECT_EQ(0, std::memcmp(ours, theirs, n)) << v;
    n = cbor_encode_head(kCborMajorMap, v, ours);
    ASSERT_EQ(n, cbor_encode_map_start(v, theirs, sizeof theirs)) << v;
    EXPECT_EQ(0, std::memcmp(ours, theirs, n)) << v;
  }
}

TEST(CborWriter, RejectsUnsortedDuplicateAndNonIntegerKeys) {
  Bytes out;
  {
    CborWriter w(&out);
    w.begin_map(2).write_key(2).write_uint(0).write_key(1).write_uint(0);
    EXPECT_EQ(w.finish().code, E::kUnsortedMapKeys);
  }
  {
    CborWriter w(&out);
    w.begin_map(2).write_key(1).write_uint(0).write_key(1).write_uint(0);
    EXPECT_EQ(w.finish().code, E::kDuplicateMapKey);
  }
  {
    CborWriter w(&out);
    w.begin_map(1).write_text("a").write_uint(0);
    EXPECT_EQ(w.finish().code, E::kMapKeyNotUnsigned);
  }
  {
    CborWriter w(&out);
    w.begin_map(1).write_int(-1).write_uint(0);
    EXPECT_EQ(w.finish().code, E::kMapKeyNotUnsigned);
  }
  {
    // Keys in a nested map are ordered independently of the outer map's.
    out.clear();
    CborWriter w(&out);
    w.begin_map(2).write_key(5).begin_map(1).write_key(1).write_uint(0).write_key(6).write_uint(0);
    EXPECT_TRUE(w.finish().is_ok());
    EXPECT_TRUE(validate(out).is_ok());
  }
}

TEST(CborWriter, RejectsMisuse) {
  Bytes out;
  {
    CborWriter w(&out);  // nothing written
    EXPECT_EQ(w.finish().code, E::kWriterMisuse);
  }
  {
    CborWriter w(&out);  // array left open
    w.begin_array(2).write_uint(1);
    EXPECT_EQ(w.finish().code, E::kWriterMisuse);
  }
  {
    CborWriter w(&out);  // a second top-level item
    w.write_uint(1).write_uint(2);
    EXPECT_EQ(w.finish().code, E::kWriterMisuse);
  }
  {
    CborWriter w(&out);  // write_key outside a map
    w.begin_array(1).write_key(1);
    EXPECT_EQ(w.finish().code, E::kWriterMisuse);
  }
  {
    CborWriter w(&out);  // byte-string payload short
    const uint8_t b[2] = {1, 2};
    w.begin_bytes(3).append_payload(b, 2);
    EXPECT_EQ(w.finish().code, E::kWriterMisuse);
  }
  {
    CborWriter w(&out);  // byte-string payload long
    const uint8_t b[2] = {1, 2};
    w.begin_bytes(1).append_payload(b, 2);
    EXPECT_EQ(w.finish().code, E::kWriterMisuse);
  }
  {
    CborWriter w(&out);  // an item before the payload is complete
    w.begin_array(2).begin_bytes(1).write_uint(0);
    EXPECT_EQ(w.finish().code, E::kWriterMisuse);
  }
  {
    CborWriter w(&out);
    w.write_text("\xff");
    EXPECT_EQ(w.finish().code, E::kInvalidUtf8);
  }
  {
    CborWriter w(&out);  // a spliced item is validated first
    const Bytes non_canonical = hex({0x18, 0x01});
    w.begin_array(1).write_encoded(non_canonical, kTestLimits);
    const FormatStatus s = w.finish();
    EXPECT_EQ(s.code, E::kNonShortestEncoding);
    EXPECT_EQ(s.offset, 1u);
  }
  {
    CborWriter w(&out);  // nesting beyond the writer's frame stack
    for (uint32_t i = 0; i <= kCborMaxSupportedDepth; ++i) w.begin_array(1);
    EXPECT_EQ(w.finish().code, E::kDepthExceeded);
  }
}

TEST(CborWriter, CallerBufferGivesSameBytesAndReportsOverflow) {
  Bytes expected;
  CborWriter wv(&expected);
  wv.begin_map(2).write_key(1).write_text("zkpot").write_key(7).begin_array(2).write_int(-300).write_bool(true);
  ASSERT_TRUE(wv.finish().is_ok());

  uint8_t buf[64];
  CborWriter wb(buf, sizeof buf);
  wb.begin_map(2).write_key(1).write_text("zkpot").write_key(7).begin_array(2).write_int(-300).write_bool(true);
  ASSERT_TRUE(wb.finish().is_ok());
  ASSERT_EQ(wb.size(), expected.size());
  EXPECT_EQ(0, std::memcmp(buf, expected.data(), expected.size()));

  for (size_t cap = 0; cap < expected.size(); ++cap) {
    CborWriter small(buf, cap);
    small.begin_map(2).write_key(1).write_text("zkpot").write_key(7).begin_array(2).write_int(-300).write_bool(
        true);
    const FormatStatus s = small.finish();
    EXPECT_EQ(s.code, E::kBufferTooSmall) << cap;
    EXPECT_LE(s.offset, cap);
  }
}

// ---------------------------------------------------------------- round trips

TEST(CborRoundTrip, ScalarsAtEveryWidthBoundary) {
  const uint64_t values[] = {0, 23, 24, 255, 256, 65535, 65536, 0xFFFFFFFFULL, 0x100000000ULL, UINT64_MAX};
  for (uint64_t v : values) {
    Bytes out;
    CborWriter w(&out);
    w.begin_array(3).write_uint(v).write_negative(v).begin_map(1).write_key(v).write_bool(v % 2 == 0);
    ASSERT_TRUE(w.finish().is_ok());
    CborReader r(out, kTestLimits);
    uint64_t n = 0, u = 0, k = 0;
    CborToken neg;
    bool b = false;
    ASSERT_TRUE(r.read_array(&n).is_ok());
    EXPECT_EQ(n, 3u);
    ASSERT_TRUE(r.read_uint(&u).is_ok());
    EXPECT_EQ(u, v);
    ASSERT_TRUE(r.next(&neg).is_ok());
    EXPECT_EQ(neg.type, CborType::kNegative);
    EXPECT_EQ(neg.value, v);
    ASSERT_TRUE(r.read_map(&n).is_ok());
    EXPECT_EQ(n, 1u);
    ASSERT_TRUE(r.read_uint(&k).is_ok());
    EXPECT_EQ(k, v);
    ASSERT_TRUE(r.read_bool(&b).is_ok());
    EXPECT_EQ(b, v % 2 == 0);
    EXPECT_TRUE(r.finish().is_ok());
    EXPECT_EQ(reencode(out), out);
  }
}

TEST(CborRoundTrip, SignedIntegersAndTheirRange) {
  const int64_t values[] = {0, 1, -1, 23, -24, -25, 255, -256, -257, INT64_MAX, INT64_MIN, INT64_MIN + 1};
  for (int64_t v : values) {
    Bytes out;
    CborWriter w(&out);
    w.write_int(v);
    ASSERT_TRUE(w.finish().is_ok());
    CborReader r(out, kTestLimits);
    int64_t got = 0;
    ASSERT_TRUE(r.read_int(&got).is_ok()) << v;
    EXPECT_EQ(got, v);
    EXPECT_TRUE(r.finish().is_ok());
  }
  // 2^63 and -1 - 2^63 are valid CBOR but do not fit an int64.
  for (const Bytes& b : {hex({0x1b, 0x80, 0, 0, 0, 0, 0, 0, 0}), hex({0x3b, 0x80, 0, 0, 0, 0, 0, 0, 0})}) {
    CborReader r(b, kTestLimits);
    int64_t got = 0;
    EXPECT_EQ(r.read_int(&got).code, E::kIntegerOutOfRange);
  }
}

TEST(CborRoundTrip, StringsAtEveryLengthBoundary) {
  for (size_t len : {size_t{0}, size_t{1}, size_t{23}, size_t{24}, size_t{255}, size_t{256}, size_t{65535},
                     size_t{65536}}) {
    Bytes payload(len);
    for (size_t i = 0; i < len; ++i) payload[i] = static_cast<uint8_t>(i * 7 + 1);
    const std::string text(len, 'x');
    Bytes out;
    CborWriter w(&out);
    w.begin_array(2).write_bytes(payload).write_text(text);
    ASSERT_TRUE(w.finish().is_ok());
    CborReader r(out, kUnlimited);
    uint64_t n = 0;
    std::span<const uint8_t> got;
    std::string_view got_text;
    ASSERT_TRUE(r.read_array(&n).is_ok());
    ASSERT_TRUE(r.read_bytes(&got).is_ok());
    EXPECT_TRUE(std::equal(got.begin(), got.end(), payload.begin(), payload.end()));
    ASSERT_TRUE(r.read_text(&got_text).is_ok());
    EXPECT_EQ(got_text, text);
    EXPECT_TRUE(r.finish().is_ok());
  }
}

Bytes nested_document() {
  Bytes out;
  CborWriter w(&out);
  const Bytes blob = hex({0xde, 0xad, 0xbe, 0xef});
  w.begin_map(4);
  w.write_key(0).write_text("zkpot \xe2\x9c\x93 \xf0\x9f\x98\x80");  // multi-byte UTF-8
  w.write_key(1).begin_array(3);
  w.begin_map(2).write_key(1).write_bytes(blob).write_key(300).write_int(-70000);
  w.begin_array(0);
  w.begin_array(2).write_bool(false).begin_map(0);
  w.write_key(24).write_negative(0);
  w.write_key(1u << 20).begin_map(1).write_key(0).begin_array(1).begin_array(1).write_uint(UINT64_MAX);
  EXPECT_TRUE(w.finish().is_ok());
  return out;
}

TEST(CborRoundTrip, NestedStructureReadsBackInDocumentOrder) {
  const Bytes doc = nested_document();
  CborReader r(doc, kTestLimits);
  std::vector<CborType> types;
  std::vector<uint64_t> values;
  while (!r.top_level_complete()) {
    CborToken t;
    ASSERT_TRUE(r.next(&t).is_ok());
    types.push_back(t.type);
    values.push_back(t.value);
  }
  ASSERT_TRUE(r.finish().is_ok());
  using T = CborType;
  const std::vector<CborType> want_types = {T::kMap,      T::kUnsigned, T::kText,     T::kUnsigned, T::kArray,
                                            T::kMap,      T::kUnsigned, T::kBytes,    T::kUnsigned, T::kNegative,
                                            T::kArray,    T::kArray,    T::kBool,     T::kMap,      T::kUnsigned,
                                            T::kNegative, T::kUnsigned, T::kMap,      T::kUnsigned, T::kArray,
                                            T::kArray,    T::kUnsigned};
  const std::vector<uint64_t> want_values = {4, 0,  14, 1, 3,       2, 1, 4, 300, 69999, 0,
                                             2, 0,  0,  24, 0, 1u << 20, 1, 0, 1,   1,     UINT64_MAX};
  EXPECT_EQ(types, want_types);
  EXPECT_EQ(values, want_values);
  EXPECT_EQ(reencode(doc), doc);
}

TEST(CborReader, SkipItemAndEncodedItemSpanWholeContainers) {
  const Bytes doc = nested_document();
  CborReader r(doc, kTestLimits);
  uint64_t n = 0, key = 0;
  ASSERT_TRUE(r.read_map(&n).is_ok());
  ASSERT_TRUE(r.read_uint(&key).is_ok());
  ASSERT_TRUE(r.skip_item().is_ok());  // the text
  ASSERT_TRUE(r.read_uint(&key).is_ok());
  EXPECT_EQ(key, 1u);
  std::span<const uint8_t> item;
  ASSERT_TRUE(r.read_encoded_item(kTestLimits, &item).is_ok());  // the whole array
  EXPECT_EQ(item[0], 0x83);
  EXPECT_TRUE(cbor_validate(item, kTestLimits).is_ok());
  ASSERT_TRUE(r.read_uint(&key).is_ok());
  EXPECT_EQ(key, 24u);
  EXPECT_TRUE(r.finish().is_ok());  // validates the rest, then requires the end
}

TEST(CborReader, EncodedItemUsesItsOwnCaps) {
  // [h'00000000'] read under nested caps that allow 3-byte strings only.
  const Bytes doc = hex({0x81, 0x82, 0x44, 0, 0, 0, 0, 0x00});
  CborReader r(doc, kTestLimits);
  uint64_t n = 0;
  ASSERT_TRUE(r.read_array(&n).is_ok());
  CborLimits nested = kTestLimits;
  nested.max_string_bytes = 3;
  std::span<const uint8_t> item;
  const FormatStatus s = r.read_encoded_item(nested, &item);
  EXPECT_EQ(s.code, E::kStringTooLong);
  EXPECT_EQ(s.offset, 2u);  // offsets stay absolute
  // The nested byte cap bounds the item, not the rest of the input.
  CborReader r2(doc, kTestLimits);
  ASSERT_TRUE(r2.read_array(&n).is_ok());
  nested = kTestLimits;
  nested.max_input_bytes = 5;
  EXPECT_EQ(r2.read_encoded_item(nested, &item).code, E::kInputTooLarge);
  nested.max_input_bytes = 7;
  CborReader r3(doc, kTestLimits);
  ASSERT_TRUE(r3.read_array(&n).is_ok());
  ASSERT_TRUE(r3.read_encoded_item(nested, &item).is_ok());
  EXPECT_EQ(item.size(), 7u);
  EXPECT_TRUE(r3.finish().is_ok());
}

TEST(CborReader, TypedReadsRejectOtherTypes) {
  const Bytes doc = hex({0x41, 0x00});
  uint64_t u = 0;
  CborReader r(doc, kTestLimits);
  const FormatStatus s = r.read_uint(&u);
  EXPECT_EQ(s.code, E::kTypeMismatch);
  // Errors latch.
  EXPECT_EQ(r.finish().code, E::kTypeMismatch);
}

// ---------------------------------------------------------------- rejections

TEST(CborReject, NonShortestIntegersOfEveryWidth) {
  // Unsigned: 0 and 23 in one byte, 255 in two, 65535 in four, 2^32-1 in eight.
  expect_rejected(hex({0x18, 0x00}), E::kNonShortestEncoding, 0);
  expect_rejected(hex({0x18, 0x17}), E::kNonShortestEncoding, 0);
  expect_rejected(hex({0x19, 0x00, 0xff}), E::kNonShortestEncoding, 0);
  expect_rejected(hex({0x1a, 0x00, 0x00, 0xff, 0xff}), E::kNonShortestEncoding, 0);
  expect_rejected(hex({0x1b, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff}), E::kNonShortestEncoding, 0);
  expect_rejected(hex({0x1b, 0, 0, 0, 0, 0, 0, 0, 0}), E::kNonShortestEncoding, 0);
  // Negative integers at each width.
  expect_rejected(hex({0x38, 0x17}), E::kNonShortestEncoding, 0);
  expect_rejected(hex({0x39, 0x00, 0x18}), E::kNonShortestEncoding, 0);
  expect_rejected(hex({0x3a, 0x00, 0x00, 0x01, 0x00}), E::kNonShortestEncoding, 0);
  expect_rejected(hex({0x3b, 0, 0, 0, 0, 0, 1, 0, 0}), E::kNonShortestEncoding, 0);
  // Lengths and counts.
  expect_rejected(hex({0x58, 0x01, 0xaa}), E::kNonShortestEncoding, 0);
  expect_rejected(hex({0x79, 0x00, 0x01, 0x61}), E::kNonShortestEncoding, 0);
  expect_rejected(hex({0x98, 0x01, 0x00}), E::kNonShortestEncoding, 0);
  expect_rejected(hex({0xb8, 0x01, 0x00, 0x00}), E::kNonShortestEncoding, 0);
  expect_rejected(hex({0x9a, 0, 0, 0, 1, 0x00}), E::kNonShortestEncoding, 0);
  // Inside a structure, and as a map key: the offset points at the item.
  expect_rejected(hex({0x82, 0x00, 0x18, 0x05}), E::kNonShortestEncoding, 2);
  expect_rejected(hex({0xa1, 0x18, 0x01, 0x00}), E::kNonShortestEncoding, 1);
  // The shortest forms right at each boundary are accepted.
  for (const Bytes& ok : {hex({0x17}), hex({0x18, 0x18}), hex({0x19, 0x01, 0x00}), hex({0x1a, 0, 1, 0, 0}),
                          hex({0x1b, 0, 0, 0, 1, 0, 0, 0, 0})}) {
    EXPECT_TRUE(validate(ok).is_ok());
  }
}

TEST(CborReject, IndefiniteLengthItems) {
  expect_rejected(hex({0x5f, 0x41, 0x00, 0xff}), E::kIndefiniteLength, 0);
  expect_rejected(hex({0x7f, 0x61, 0x61, 0xff}), E::kIndefiniteLength, 0);
  expect_rejected(hex({0x9f, 0x01, 0xff}), E::kIndefiniteLength, 0);
  expect_rejected(hex({0xbf, 0x01, 0x02, 0xff}), E::kIndefiniteLength, 0);
  expect_rejected(hex({0x81, 0x9f, 0xff}), E::kIndefiniteLength, 1);
  expect_rejected(hex({0xff}), E::kIndefiniteLength, 0);  // a stray break
}

TEST(CborReject, DuplicateAndUnsortedMapKeys) {
  expect_rejected(hex({0xa2, 0x01, 0x00, 0x01, 0x00}), E::kDuplicateMapKey, 3);
  expect_rejected(hex({0xa2, 0x02, 0x00, 0x01, 0x00}), E::kUnsortedMapKeys, 3);
  // 24 (two bytes) sorts after 23 (one byte): numeric order is also the
  // bytewise order of shortest encodings (RFC 8949 §4.2.1).
  expect_rejected(hex({0xa2, 0x18, 0x18, 0x00, 0x17, 0x00}), E::kUnsortedMapKeys, 4);
  // A repeat of an earlier, non-adjacent key is out of order.
  expect_rejected(hex({0xa3, 0x01, 0x00, 0x03, 0x00, 0x01, 0x00}), E::kUnsortedMapKeys, 5);
  // Nested maps order their own keys.
  expect_rejected(hex({0xa2, 0x01, 0xa2, 0x05, 0x00, 0x05, 0x00, 0x02, 0x00}), E::kDuplicateMapKey, 5);
  EXPECT_TRUE(validate(hex({0xa2, 0x05, 0xa1, 0x01, 0x00, 0x06, 0x00})).is_ok());
}

TEST(CborReject, MapKeysOtherThanUnsignedIntegers) {
  expect_rejected(hex({0xa1, 0x20, 0x00}), E::kMapKeyNotUnsigned, 1);
  expect_rejected(hex({0xa1, 0x61, 0x61, 0x00}), E::kMapKeyNotUnsigned, 1);
  expect_rejected(hex({0xa1, 0x41, 0x61, 0x00}), E::kMapKeyNotUnsigned, 1);
  expect_rejected(hex({0xa1, 0x80, 0x00}), E::kMapKeyNotUnsigned, 1);
  expect_rejected(hex({0xa1, 0xa0, 0x00}), E::kMapKeyNotUnsigned, 1);
  expect_rejected(hex({0xa1, 0xf5, 0x00}), E::kMapKeyNotUnsigned, 1);
}

TEST(CborReject, TrailingBytes) {
  expect_rejected(hex({0x00, 0x00}), E::kTrailingBytes, 1);
  expect_rejected(hex({0x80, 0xff}), E::kTrailingBytes, 1);
  expect_rejected(hex({0xa1, 0x01, 0x02, 0x03}), E::kTrailingBytes, 3);
  const Bytes zero = hex({0x00});
  CborReader r(zero, kTestLimits);
  CborToken t;
  ASSERT_TRUE(r.next(&t).is_ok());
  EXPECT_EQ(r.next(&t).code, E::kNoMoreItems);
}

TEST(CborReject, TruncatedAtEveryPosition) {
  const Bytes doc = nested_document();
  for (size_t len = 0; len < doc.size(); ++len) {
    const Bytes prefix(doc.begin(), doc.begin() + static_cast<std::ptrdiff_t>(len));
    const FormatStatus s = validate(prefix);
    EXPECT_EQ(s.code, E::kTruncated) << "prefix " << len << ": " << s.message();
    EXPECT_LE(s.offset, len);
  }
  EXPECT_TRUE(validate(doc).is_ok());
}

TEST(CborReject, DepthBomb) {
  Bytes bomb(100000, 0x81);
  bomb.push_back(0x00);
  expect_rejected(bomb, E::kDepthExceeded, kTestLimits.max_depth);
  Bytes map_bomb;
  for (int i = 0; i < 100000; ++i) map_bomb.insert(map_bomb.end(), {0xa1, 0x00});
  map_bomb.push_back(0x00);
  expect_rejected(map_bomb, E::kDepthExceeded, 2 * kTestLimits.max_depth);
  // Exactly at the cap is fine.
  Bytes deep(kTestLimits.max_depth, 0x81);
  deep.push_back(0x00);
  EXPECT_TRUE(validate(deep).is_ok());
  // Caps beyond the reader's fixed frame stack are refused up front.
  CborLimits too_deep = kTestLimits;
  too_deep.max_depth = kCborMaxSupportedDepth + 1;
  expect_rejected(hex({0x00}), E::kInvalidLimits, 0, too_deep);
}

TEST(CborReject, HugeDeclaredLengthsWithShortInputNeitherAllocateNorRead) {
  const Bytes huge[] = {
      hex({0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00}),  // bytes, 2^64 - 1
      hex({0x7b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x61}),  // text, 2^63 - 1
      hex({0x5a, 0xff, 0xff, 0xff, 0xff}),                                // bytes, 2^32 - 1
      hex({0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00}),  // array, 2^64 - 1
      hex({0xbb, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}),  // map, 2^63 pairs
      hex({0x9a, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00}),                    // array, 65536, 2 bytes left
  };
  const FormatError capped[] = {E::kStringTooLong,     E::kStringTooLong,     E::kStringTooLong,
                                E::kContainerTooLarge, E::kContainerTooLarge, E::kTruncated};
  for (size_t i = 0; i < std::size(huge); ++i) {
    FormatStatus s_capped, s_open;
    const size_t allocations = testing::allocations_during([&] {
      s_capped = validate(huge[i], kTestLimits);
      s_open = validate(huge[i], kUnlimited);
    });
    EXPECT_EQ(allocations, 0u) << i;
    EXPECT_EQ(s_capped.code, capped[i]) << i;
    EXPECT_EQ(s_open.code, E::kTruncated) << i;  // without caps: still no read past the end
    EXPECT_EQ(s_open.offset, 0u) << i;
  }
}

TEST(CborReject, TagsFloatsAndSimpleValues) {
  for (const Bytes& b : {hex({0xc0, 0x60}), hex({0xc2, 0x41, 0x01}), hex({0xc6, 0x00}), hex({0xd4, 0x00}),
                         hex({0xd8, 0x20, 0x00}), hex({0xdb, 0, 0, 0, 0, 0, 0, 0, 1, 0})}) {
    expect_rejected(b, E::kTagNotAllowed, 0);
  }
  for (const Bytes& b : {hex({0xf9, 0x3c, 0x00}), hex({0xfa, 0x47, 0xc3, 0x50, 0x00}),
                         hex({0xfb, 0x3f, 0xf1, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a})}) {
    expect_rejected(b, E::kFloatNotAllowed, 0);
  }
  for (const Bytes& b : {hex({0xf6}), hex({0xf7}), hex({0xe0}), hex({0xf3}), hex({0xf8, 0x20}), hex({0xf8, 0xff})}) {
    expect_rejected(b, E::kSimpleValueNotAllowed, 0);
  }
  // Reserved additional information, and ai 31 where it means nothing.
  for (int ib : {0x1c, 0x1d, 0x1e, 0x3c, 0x5d, 0x7e, 0x9c, 0xbd, 0xdc, 0xfc, 0xfd, 0xfe, 0x1f, 0x3f, 0xdf}) {
    expect_rejected(hex({ib, 0, 0, 0, 0, 0, 0, 0, 0}), E::kMalformedHeader, 0);
  }
  // Inside a container the offset points at the item.
  expect_rejected(hex({0x82, 0x00, 0xf6}), E::kSimpleValueNotAllowed, 2);
}

TEST(CborReject, InvalidUtf8Text) {
  expect_rejected(hex({0x61, 0xff}), E::kInvalidUtf8, 1);
  expect_rejected(hex({0x61, 0x80}), E::kInvalidUtf8, 1);              // lone continuation
  expect_rejected(hex({0x62, 0xc0, 0x80}), E::kInvalidUtf8, 1);        // overlong NUL
  expect_rejected(hex({0x63, 0xe0, 0x80, 0x80}), E::kInvalidUtf8, 1);  // overlong 3-byte
  expect_rejected(hex({0x63, 0xed, 0xa0, 0x80}), E::kInvalidUtf8, 1);  // surrogate U+D800
  expect_rejected(hex({0x64, 0xf4, 0x90, 0x80, 0x80}), E::kInvalidUtf8, 1);  // U+110000
  expect_rejected(hex({0x64, 0x61, 0x62, 0xe2, 0x82}), E::kInvalidUtf8, 3);  // cut inside the string
  EXPECT_TRUE(validate(hex({0x64, 0xf0, 0x9f, 0x98, 0x80})).is_ok());        // U+1F600
  EXPECT_TRUE(validate(hex({0x63, 0xef, 0xbf, 0xbf})).is_ok());              // U+FFFF
}

TEST(CborReject, EveryCap) {
  CborLimits l = kTestLimits;
  l.max_input_bytes = 3;
  expect_rejected(hex({0x83, 0x01, 0x02, 0x03}), E::kInputTooLarge, 0, l);
  EXPECT_TRUE(validate(hex({0x82, 0x01, 0x02}), l).is_ok());

  l = kTestLimits;
  l.max_container_items = 2;
  expect_rejected(hex({0x83, 0x01, 0x02, 0x03}), E::kContainerTooLarge, 0, l);
  expect_rejected(hex({0xa3, 0x01, 0x00, 0x02, 0x00, 0x03, 0x00}), E::kContainerTooLarge, 0, l);
  EXPECT_TRUE(validate(hex({0xa2, 0x01, 0x00, 0x02, 0x00}), l).is_ok());

  l = kTestLimits;
  l.max_string_bytes = 2;
  expect_rejected(hex({0x43, 0x01, 0x02, 0x03}), E::kStringTooLong, 0, l);
  expect_rejected(hex({0x63, 0x61, 0x62, 0x63}), E::kStringTooLong, 0, l);
  EXPECT_TRUE(validate(hex({0x62, 0x61, 0x62}), l).is_ok());

  l = kTestLimits;
  l.max_total_items = 4;  // the array and three items
  EXPECT_TRUE(validate(hex({0x83, 0x01, 0x02, 0x03}), l).is_ok());
  expect_rejected(hex({0x84, 0x01, 0x02, 0x03, 0x04}), E::kTooManyItems, 4, l);
  l.max_total_items = 2;  // keys and values count apart
  expect_rejected(hex({0xa1, 0x01, 0x02}), E::kTooManyItems, 2, l);
}

TEST(CborReader, ValidInputNeedsNoHeapAllocation) {
  const Bytes doc = nested_document();
  FormatStatus s;
  EXPECT_EQ(testing::allocations_during([&] { s = validate(doc); }), 0u);
  EXPECT_TRUE(s.is_ok());
}

TEST(FormatError, EveryCodeHasItsOwnMessage) {
  std::set<std::string> messages;
  const int last = static_cast<int>(E::kDecoderMismatch);
  for (int c = 0; c <= last; ++c) {
    const char* m = format_error_message(static_cast<FormatError>(c));
    ASSERT_NE(m, nullptr);
    messages.insert(m);
  }
  EXPECT_EQ(messages.size(), static_cast<size_t>(last + 1));
}

TEST(Utf8, AcceptsEveryScalarValueRange) {
  // One code point at each boundary of RFC 3629's table.
  const Bytes good[] = {hex({0x7f}), hex({0xc2, 0x80}), hex({0xdf, 0xbf}), hex({0xe0, 0xa0, 0x80}),
                        hex({0xed, 0x9f, 0xbf}), hex({0xee, 0x80, 0x80}), hex({0xf0, 0x90, 0x80, 0x80}),
                        hex({0xf4, 0x8f, 0xbf, 0xbf})};
  for (const Bytes& b : good) {
    size_t bad = 0;
    EXPECT_TRUE(utf8_is_well_formed(b.data(), b.size(), &bad));
  }
  const Bytes bad_seqs[] = {hex({0xc1, 0xbf}), hex({0xe0, 0x9f, 0xbf}), hex({0xed, 0xbf, 0xbf}),
                            hex({0xf0, 0x8f, 0xbf, 0xbf}), hex({0xf5, 0x80, 0x80, 0x80}), hex({0xe1, 0x80, 0x41})};
  for (const Bytes& b : bad_seqs) {
    size_t bad = 99;
    EXPECT_FALSE(utf8_is_well_formed(b.data(), b.size(), &bad));
    EXPECT_EQ(bad, 0u);
  }
}

// ---------------------------------------------------------------- field vectors

template <class F>
std::vector<F> random_elements(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<F> v(n);
  uint8_t buf[F::kEncodedBytes];
  for (size_t i = 0; i < n; ++i) {
    for (;;) {
      for (auto& b : buf) b = static_cast<uint8_t>(rng());
      if (F::decode(buf, &v[i])) break;
    }
  }
  return v;
}

template <class F>
Bytes encode_vector(const std::vector<F>& v) {
  Bytes out;
  CborWriter w(&out);
  write_field_vector<F>(w, v);
  EXPECT_TRUE(w.finish().is_ok());
  return out;
}

template <class F>
void field_vector_round_trip() {
  for (size_t n : {size_t{0}, size_t{1}, size_t{3}, size_t{100}}) {
    std::vector<F> v = random_elements<F>(n, 42 + n);
    if (n > 0) v[0] = -F::one();  // p - 1 in every coordinate it touches
    const Bytes enc = encode_vector(v);
    std::vector<F> got(n);
    CborReader r(enc, kTestLimits);
    ASSERT_TRUE(read_field_vector<F>(r, got).is_ok());
    EXPECT_TRUE(r.finish().is_ok());
    EXPECT_EQ(got, v);
    // The byte string is exactly the concatenated canonical encodings.
    std::span<const uint8_t> payload;
    CborReader r2(enc, kTestLimits);
    ASSERT_TRUE(r2.read_bytes(&payload).is_ok());
    ASSERT_EQ(payload.size(), n * F::kEncodedBytes);
    for (size_t i = 0; i < n; ++i) {
      uint8_t buf[F::kEncodedBytes];
      v[i].encode(buf);
      EXPECT_EQ(0, std::memcmp(buf, payload.data() + i * F::kEncodedBytes, F::kEncodedBytes));
    }
  }
}

TEST(FieldVector, RoundTripGoldilocks) { field_vector_round_trip<Goldilocks>(); }
TEST(FieldVector, RoundTripGlExt3) { field_vector_round_trip<GlExt3>(); }

template <class F>
void field_vector_wrong_lengths() {
  const std::vector<F> v = random_elements<F>(4, 7);
  const Bytes enc = encode_vector(v);
  for (size_t want : {size_t{3}, size_t{5}, size_t{0}}) {
    std::vector<F> got(want);
    CborReader r(enc, kTestLimits);
    const FormatStatus s = read_field_vector<F>(r, got);
    EXPECT_EQ(s.code, E::kFieldVectorLength) << want;
    EXPECT_EQ(s.offset, 0u);
  }
  // A byte length that is not a multiple of the element size.
  Bytes odd;
  CborWriter w(&odd);
  w.write_bytes(Bytes(4 * F::kEncodedBytes - 1, 0));
  ASSERT_TRUE(w.finish().is_ok());
  std::vector<F> got(4);
  size_t count = 0;
  CborReader r(odd, kTestLimits);
  EXPECT_EQ(read_field_vector<F>(r, got).code, E::kFieldVectorLength);
  CborReader r2(odd, kTestLimits);
  EXPECT_EQ(read_field_vector_up_to<F>(r2, got, &count).code, E::kFieldVectorLength);
  // Up to a cap: 4 elements fit in 4 or 5 slots, not in 3.
  for (size_t cap : {size_t{3}, size_t{4}, size_t{5}}) {
    std::vector<F> slots(cap);
    CborReader r3(enc, kTestLimits);
    const FormatStatus s = read_field_vector_up_to<F>(r3, slots, &count);
    if (cap < 4) {
      EXPECT_EQ(s.code, E::kFieldVectorLength);
    } else {
      ASSERT_TRUE(s.is_ok());
      EXPECT_EQ(count, 4u);
      EXPECT_TRUE(std::equal(v.begin(), v.end(), slots.begin()));
    }
  }
  // Not a byte string at all (a CBOR array of integers is not a field vector).
  const Bytes array = hex({0x81, 0x00});
  CborReader r4(array, kTestLimits);
  std::vector<F> one(1);
  EXPECT_EQ(read_field_vector<F>(r4, one).code, E::kTypeMismatch);
}

TEST(FieldVector, WrongLengthRejectedGoldilocks) { field_vector_wrong_lengths<Goldilocks>(); }
TEST(FieldVector, WrongLengthRejectedGlExt3) { field_vector_wrong_lengths<GlExt3>(); }

// Overwrites base coordinate `coord` of element `elem` with the 64-bit value x.
void put_u64_le(Bytes& enc, size_t at, uint64_t x) {
  for (int i = 0; i < 8; ++i) enc[at + static_cast<size_t>(i)] = static_cast<uint8_t>(x >> (8 * i));
}

template <class F>
void field_vector_non_canonical() {
  constexpr size_t kCoords = F::kEncodedBytes / 8;
  const size_t n = 5;
  const std::vector<F> v = random_elements<F>(n, 11);
  const Bytes enc = encode_vector(v);
  const size_t head = enc.size() - n * F::kEncodedBytes;  // the byte string header
  for (size_t elem = 0; elem < n; ++elem) {
    for (size_t coord = 0; coord < kCoords; ++coord) {
      for (uint64_t x : {Goldilocks::kModulus, Goldilocks::kModulus + 1, UINT64_MAX}) {
        Bytes bad = enc;
        const size_t at = head + elem * F::kEncodedBytes + coord * 8;
        put_u64_le(bad, at, x);
        std::vector<F> got(n);
        CborReader r(bad, kTestLimits);
        const FormatStatus s = read_field_vector<F>(r, got);
        EXPECT_EQ(s.code, E::kNonCanonicalFieldElement);
        EXPECT_EQ(s.offset, head + elem * F::kEncodedBytes);  // the offending element
      }
      Bytes edge = enc;  // p - 1 is canonical
      put_u64_le(edge, head + elem * F::kEncodedBytes + coord * 8, Goldilocks::kModulus - 1);
      std::vector<F> got(n);
      CborReader r(edge, kTestLimits);
      EXPECT_TRUE(read_field_vector<F>(r, got).is_ok());
    }
  }
}

TEST(FieldVector, ElementAtOrAboveModulusRejectedGoldilocks) { field_vector_non_canonical<Goldilocks>(); }
TEST(FieldVector, ElementAtOrAboveModulusRejectedGlExt3) { field_vector_non_canonical<GlExt3>(); }

}  // namespace
}  // namespace zkpot
