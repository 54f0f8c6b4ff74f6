#include "formats/cbor_reader.h"

#include <cbor.h>

#include "formats/cbor_head.h"
#include "formats/utf8.h"

namespace zkpot {

namespace {

// What libcbor's streaming decoder reported for one item. The callbacks only
// record into this struct (it lives on the reader's stack): no allocation,
// no copy of the payload.
struct DecodedItem {
  enum Kind : uint8_t { kNone, kUnsigned, kNegative, kBytes, kText, kArray, kMap, kBool, kOther };
  Kind kind = kNone;
  unsigned calls = 0;
  uint64_t value = 0;
  const uint8_t* data = nullptr;
};

DecodedItem* item_of(void* ctx) { return static_cast<DecodedItem*>(ctx); }
void record(void* ctx, DecodedItem::Kind kind, uint64_t value) {
  DecodedItem* d = item_of(ctx);
  d->kind = kind;
  d->value = value;
  ++d->calls;
}

void on_uint8(void* c, uint8_t v) { record(c, DecodedItem::kUnsigned, v); }
void on_uint16(void* c, uint16_t v) { record(c, DecodedItem::kUnsigned, v); }
void on_uint32(void* c, uint32_t v) { record(c, DecodedItem::kUnsigned, v); }
void on_uint64(void* c, uint64_t v) { record(c, DecodedItem::kUnsigned, v); }
void on_negint8(void* c, uint8_t v) { record(c, DecodedItem::kNegative, v); }
void on_negint16(void* c, uint16_t v) { record(c, DecodedItem::kNegative, v); }
void on_negint32(void* c, uint32_t v) { record(c, DecodedItem::kNegative, v); }
void on_negint64(void* c, uint64_t v) { record(c, DecodedItem::kNegative, v); }
void on_bytes(void* c, cbor_data data, size_t len) {
  record(c, DecodedItem::kBytes, len);
  item_of(c)->data = data;
}
void on_text(void* c, cbor_data data, size_t len) {
  record(c, DecodedItem::kText, len);
  item_of(c)->data = data;
}
void on_array(void* c, size_t n) { record(c, DecodedItem::kArray, n); }
void on_map(void* c, size_t n) { record(c, DecodedItem::kMap, n); }
void on_bool(void* c, bool b) { record(c, DecodedItem::kBool, b ? 1 : 0); }
// Items the profile excludes are screened from the raw header before libcbor
// sees them; these record a disagreement if one ever gets through.
void on_other(void* c) { record(c, DecodedItem::kOther, 0); }
void on_other_u64(void* c, uint64_t) { record(c, DecodedItem::kOther, 0); }
void on_other_float(void* c, float) { record(c, DecodedItem::kOther, 0); }
void on_other_double(void* c, double) { record(c, DecodedItem::kOther, 0); }

cbor_callbacks make_callbacks() {
  cbor_callbacks cb{};
  cb.uint8 = on_uint8;
  cb.uint16 = on_uint16;
  cb.uint32 = on_uint32;
  cb.uint64 = on_uint64;
  cb.negint8 = on_negint8;
  cb.negint16 = on_negint16;
  cb.negint32 = on_negint32;
  cb.negint64 = on_negint64;
  cb.byte_string = on_bytes;
  cb.string = on_text;
  cb.array_start = on_array;
  cb.map_start = on_map;
  cb.boolean = on_bool;
  cb.byte_string_start = on_other;
  cb.string_start = on_other;
  cb.indef_array_start = on_other;
  cb.indef_map_start = on_other;
  cb.tag = on_other_u64;
  cb.float2 = on_other_float;
  cb.float4 = on_other_float;
  cb.float8 = on_other_double;
  cb.undefined = on_other;
  cb.null = on_other;
  cb.indef_break = on_other;
  return cb;
}

const cbor_callbacks& callbacks() {
  static const cbor_callbacks cb = make_callbacks();
  return cb;
}

CborType type_of_major(uint8_t major) {
  switch (major) {
    case kCborMajorUnsigned: return CborType::kUnsigned;
    case kCborMajorNegative: return CborType::kNegative;
    case kCborMajorBytes: return CborType::kBytes;
    case kCborMajorText: return CborType::kText;
    case kCborMajorArray: return CborType::kArray;
    case kCborMajorMap: return CborType::kMap;
    default: return CborType::kBool;
  }
}

DecodedItem::Kind kind_of_type(CborType t) {
  switch (t) {
    case CborType::kUnsigned: return DecodedItem::kUnsigned;
    case CborType::kNegative: return DecodedItem::kNegative;
    case CborType::kBytes: return DecodedItem::kBytes;
    case CborType::kText: return DecodedItem::kText;
    case CborType::kArray: return DecodedItem::kArray;
    case CborType::kMap: return DecodedItem::kMap;
    case CborType::kBool: return DecodedItem::kBool;
  }
  return DecodedItem::kOther;
}

// Classifies an initial byte that lies outside the profile; kOk otherwise.
FormatError screen_initial_byte(uint8_t ib) {
  const uint8_t major = ib >> 5;
  const uint8_t ai = ib & 0x1F;
  if (ai >= 28 && ai <= 30) return FormatError::kMalformedHeader;
  if (ai == kCborAiIndefinite) {
    // Strings, arrays and maps of indefinite length, and the break byte that
    // ends them; ai 31 on integers and tags is malformed.
    const bool indefinite = (major >= kCborMajorBytes && major <= kCborMajorMap) || major == kCborMajorSimple;
    return indefinite ? FormatError::kIndefiniteLength : FormatError::kMalformedHeader;
  }
  if (major == kCborMajorTag) return FormatError::kTagNotAllowed;
  if (major == kCborMajorSimple) {
    if (ib == kCborFalse || ib == kCborTrue) return FormatError::kOk;
    if (ai >= 25) return FormatError::kFloatNotAllowed;  // 0xf9..0xfb
    return FormatError::kSimpleValueNotAllowed;
  }
  return FormatError::kOk;
}

}  // namespace

CborReader::CborReader(std::span<const uint8_t> input, const CborLimits& limits)
    : CborReader(input, limits, /*prefix=*/false) {}

CborReader::CborReader(std::span<const uint8_t> input, const CborLimits& limits, bool prefix)
    : input_(input), limits_(limits), prefix_(prefix), frames_{} {
  if (limits.max_depth > kCborMaxSupportedDepth) {
    status_ = FormatStatus::error(FormatError::kInvalidLimits, 0);
  } else if (!prefix && input.size() > limits.max_input_bytes) {
    status_ = FormatStatus::error(FormatError::kInputTooLarge, 0);
  }
}

FormatStatus CborReader::fail(FormatError code, size_t offset) {
  status_ = FormatStatus::error(code, offset);
  return status_;
}

bool CborReader::at_map_key() const {
  return depth_ > 0 && frames_[depth_ - 1].is_map && frames_[depth_ - 1].remaining % 2 == 0;
}

void CborReader::advance(size_t end, uint64_t child_slots, bool child_is_map) {
  pos_ = end;
  ++items_;
  if (depth_ > 0) --frames_[depth_ - 1].remaining;
  if (child_slots > 0) {
    frames_[depth_] = Frame{child_slots, 0, child_is_map, false};
    ++depth_;
    return;
  }
  while (depth_ > 0 && frames_[depth_ - 1].remaining == 0) --depth_;
  if (depth_ == 0) top_done_ = true;
}

FormatStatus CborReader::next(CborToken* token) {
  if (!status_.is_ok()) return status_;
  const size_t start = pos_;
  if (top_done_) {
    return fail(!prefix_ && pos_ < input_.size() ? FormatError::kTrailingBytes : FormatError::kNoMoreItems, start);
  }
  // In prefix mode the byte cap bounds this item: decode within the cap only,
  // and report running into it as kInputTooLarge rather than kTruncated.
  size_t end_of_window = input_.size();
  if (prefix_ && limits_.max_input_bytes < end_of_window) end_of_window = static_cast<size_t>(limits_.max_input_bytes);
  const FormatError short_input =
      end_of_window < input_.size() ? FormatError::kInputTooLarge : FormatError::kTruncated;
  if (start >= end_of_window) return fail(short_input, start);
  const size_t avail = end_of_window - start;
  if (items_ >= limits_.max_total_items) return fail(FormatError::kTooManyItems, start);

  const uint8_t* p = input_.data() + start;
  // 1. The initial byte: reserved, indefinite and out-of-profile items.
  if (const FormatError e = screen_initial_byte(p[0]); e != FormatError::kOk) return fail(e, start);

  // 2. The raw header: shortest form of the argument, before anything else.
  CborHead head;
  if (!cbor_read_head(p, avail, &head)) return fail(short_input, start);
  const CborType type = type_of_major(head.major);
  if (type != CborType::kBool && head.ai != cbor_shortest_ai(head.argument)) {
    return fail(FormatError::kNonShortestEncoding, start);
  }
  const bool key_position = at_map_key();
  if (key_position && type != CborType::kUnsigned) return fail(FormatError::kMapKeyNotUnsigned, start);

  // 3. Caps on what the header declares, before the payload is touched.
  const size_t after_head = avail - head.length;
  uint64_t child_slots = 0;
  if (type == CborType::kBytes || type == CborType::kText) {
    if (head.argument > limits_.max_string_bytes) return fail(FormatError::kStringTooLong, start);
    if (head.argument > after_head) return fail(short_input, start);
  } else if (type == CborType::kArray || type == CborType::kMap) {
    if (depth_ >= limits_.max_depth) return fail(FormatError::kDepthExceeded, start);
    if (head.argument > limits_.max_container_items) return fail(FormatError::kContainerTooLarge, start);
    // Every child takes at least one byte: a count the input cannot hold is
    // rejected here, whatever it declares.
    const uint64_t per_entry = type == CborType::kMap ? 2 : 1;
    if (head.argument > after_head / per_entry) return fail(short_input, start);
    child_slots = head.argument * per_entry;
  }

  // 4. libcbor decodes the item; its report must agree with the raw header.
  DecodedItem decoded;
  const cbor_decoder_result r = cbor_stream_decode(p, avail, &callbacks(), &decoded);
  if (r.status == CBOR_DECODER_NEDATA) return fail(short_input, start);
  const bool is_string = type == CborType::kBytes || type == CborType::kText;
  const size_t expected_read = head.length + (is_string ? static_cast<size_t>(head.argument) : 0);
  const uint64_t expected_value = type == CborType::kBool ? (p[0] == kCborTrue ? 1 : 0) : head.argument;
  if (r.status != CBOR_DECODER_FINISHED || decoded.calls != 1 || decoded.kind != kind_of_type(type) ||
      decoded.value != expected_value || r.read != expected_read ||
      (is_string && decoded.data != p + head.length)) {
    return fail(FormatError::kDecoderMismatch, start);
  }

  CborToken t;
  t.type = type;
  t.value = expected_value;
  t.offset = start;
  if (is_string) t.payload = input_.subspan(start + head.length, static_cast<size_t>(head.argument));

  // 5. Content rules: UTF-8 text, strictly ascending unsigned map keys.
  if (type == CborType::kText) {
    size_t bad = 0;
    if (!utf8_is_well_formed(t.payload.data(), t.payload.size(), &bad)) {
      return fail(FormatError::kInvalidUtf8, start + head.length + bad);
    }
  }
  if (key_position) {
    Frame& f = frames_[depth_ - 1];
    if (f.has_key && t.value == f.last_key) return fail(FormatError::kDuplicateMapKey, start);
    if (f.has_key && t.value < f.last_key) return fail(FormatError::kUnsortedMapKeys, start);
    f.last_key = t.value;
    f.has_key = true;
  }

  advance(start + r.read, child_slots, type == CborType::kMap);
  *token = t;
  return FormatStatus::ok();
}

FormatStatus CborReader::next_of_type(CborType type, CborToken* token) {
  if (FormatStatus s = next(token); !s.is_ok()) return s;
  if (token->type != type) return fail(FormatError::kTypeMismatch, token->offset);
  return FormatStatus::ok();
}

FormatStatus CborReader::read_uint(uint64_t* value) {
  CborToken t;
  if (FormatStatus s = next_of_type(CborType::kUnsigned, &t); !s.is_ok()) return s;
  *value = t.value;
  return FormatStatus::ok();
}

FormatStatus CborReader::read_int(int64_t* value) {
  CborToken t;
  if (FormatStatus s = next(&t); !s.is_ok()) return s;
  if (t.type != CborType::kUnsigned && t.type != CborType::kNegative) {
    return fail(FormatError::kTypeMismatch, t.offset);
  }
  // Unsigned up to 2^63 - 1; negative -1 - n down to -2^63, i.e. n <= 2^63 - 1.
  if (t.value > static_cast<uint64_t>(INT64_MAX)) return fail(FormatError::kIntegerOutOfRange, t.offset);
  *value = t.type == CborType::kUnsigned ? static_cast<int64_t>(t.value) : -1 - static_cast<int64_t>(t.value);
  return FormatStatus::ok();
}

FormatStatus CborReader::read_bool(bool* value) {
  CborToken t;
  if (FormatStatus s = next_of_type(CborType::kBool, &t); !s.is_ok()) return s;
  *value = t.value != 0;
  return FormatStatus::ok();
}

FormatStatus CborReader::read_bytes(std::span<const uint8_t>* bytes) {
  CborToken t;
  if (FormatStatus s = next_of_type(CborType::kBytes, &t); !s.is_ok()) return s;
  *bytes = t.payload;
  return FormatStatus::ok();
}

FormatStatus CborReader::read_text(std::string_view* text) {
  CborToken t;
  if (FormatStatus s = next_of_type(CborType::kText, &t); !s.is_ok()) return s;
  *text = std::string_view(reinterpret_cast<const char*>(t.payload.data()), t.payload.size());
  return FormatStatus::ok();
}

FormatStatus CborReader::read_array(uint64_t* count) {
  CborToken t;
  if (FormatStatus s = next_of_type(CborType::kArray, &t); !s.is_ok()) return s;
  *count = t.value;
  return FormatStatus::ok();
}

FormatStatus CborReader::read_map(uint64_t* pairs) {
  CborToken t;
  if (FormatStatus s = next_of_type(CborType::kMap, &t); !s.is_ok()) return s;
  *pairs = t.value;
  return FormatStatus::ok();
}

FormatStatus CborReader::skip_item() {
  // Items still owed by the containers opened inside this one. Each is
  // bounded by the input length (checked in next()), so the sum cannot wrap.
  uint64_t pending = 1;
  while (pending > 0) {
    CborToken t;
    if (FormatStatus s = next(&t); !s.is_ok()) return s;
    --pending;
    if (t.type == CborType::kArray) pending += t.value;
    if (t.type == CborType::kMap) pending += 2 * t.value;
  }
  return FormatStatus::ok();
}

FormatStatus CborReader::read_encoded_item(const CborLimits& nested, std::span<const uint8_t>* item) {
  if (!status_.is_ok()) return status_;
  const size_t start = pos_;
  if (top_done_) {
    CborToken unused;
    return next(&unused);  // fails: trailing bytes or no more items
  }
  if (at_map_key()) return fail(FormatError::kMapKeyNotUnsigned, start);
  if (items_ >= limits_.max_total_items) return fail(FormatError::kTooManyItems, start);
  CborReader inner(input_.subspan(start), nested, /*prefix=*/true);
  while (!inner.top_level_complete()) {
    CborToken t;
    if (FormatStatus s = inner.next(&t); !s.is_ok()) return fail(s.code, start + s.offset);
  }
  *item = input_.subspan(start, inner.position());
  advance(start + inner.position(), /*child_slots=*/0, /*child_is_map=*/false);
  return FormatStatus::ok();
}

FormatStatus CborReader::finish() {
  if (!status_.is_ok()) return status_;
  // Whatever the caller did not read is still validated, never skipped blind.
  while (!top_done_) {
    CborToken t;
    if (FormatStatus s = next(&t); !s.is_ok()) return s;
  }
  if (pos_ < input_.size()) return fail(FormatError::kTrailingBytes, pos_);
  return FormatStatus::ok();
}

FormatStatus cbor_validate(std::span<const uint8_t> input, const CborLimits& limits) {
  CborReader reader(input, limits);
  return reader.finish();
}

}  // namespace zkpot
