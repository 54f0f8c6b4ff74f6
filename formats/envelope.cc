#include "formats/envelope.h"

#include "formats/cbor_head.h"
#include "formats/cbor_writer.h"

namespace zkpot {

namespace {

constexpr CborLimits kSegmentArrayLimits{kMaxEnvelopeBytes, 1, kMaxSegments, kMaxSegmentBytes, 1 + kMaxSegments};

bool is_map_item(std::span<const uint8_t> item) {
  return !item.empty() && (item[0] >> 5) == kCborMajorMap;
}

// One segment's payload: exactly one canonical map within kSegmentLimits.
// Offsets are reported relative to `base`, the payload's place in the input.
FormatStatus check_segment(std::span<const uint8_t> segment, size_t base) {
  if (segment.size() > kMaxSegmentBytes) return FormatStatus::error(FormatError::kSegmentTooLarge, base);
  if (FormatStatus s = cbor_validate(segment, kSegmentLimits); !s.is_ok()) {
    return FormatStatus::error(s.code, base + s.offset);
  }
  if (!is_map_item(segment)) return FormatStatus::error(FormatError::kSegmentNotMap, base);
  return FormatStatus::ok();
}

FormatStatus check_statement(std::span<const uint8_t> statement) {
  if (FormatStatus s = cbor_validate(statement, kStatementLimits); !s.is_ok()) return s;
  if (!is_map_item(statement)) return FormatStatus::error(FormatError::kStatementNotMap, 0);
  return FormatStatus::ok();
}

// The segments array: its header, then each segment.
FormatStatus read_segments(CborReader& reader, EnvelopeView* view) {
  const size_t start = reader.position();
  uint64_t count = 0;
  if (FormatStatus s = reader.read_array(&count); !s.is_ok()) {
    if (s.code == FormatError::kContainerTooLarge) return FormatStatus::error(FormatError::kTooManySegments, s.offset);
    return s;
  }
  for (uint64_t i = 0; i < count; ++i) {
    std::span<const uint8_t> segment;
    if (FormatStatus s = reader.read_bytes(&segment); !s.is_ok()) {
      if (s.code == FormatError::kStringTooLong) return FormatStatus::error(FormatError::kSegmentTooLarge, s.offset);
      return s;
    }
    const size_t base = static_cast<size_t>(segment.data() - reader.input().data());
    if (FormatStatus s = check_segment(segment, base); !s.is_ok()) return s;
  }
  view->segments = reader.input().subspan(start, reader.position() - start);
  view->segment_count = count;
  return FormatStatus::ok();
}

}  // namespace

const char* suite_name(uint64_t suite) {
  switch (static_cast<Suite>(suite)) {
    case Suite::kGoldilocksCubic7Blake2b256Whir: return "goldilocks-cubic7/blake2b-256/whir";
  }
  return nullptr;
}

FormatStatus decode_envelope(std::span<const uint8_t> input, EnvelopeView* out) {
  CborReader reader(input, kEnvelopeLimits);
  uint64_t pairs = 0;
  if (FormatStatus s = reader.read_map(&pairs); !s.is_ok()) return s;
  EnvelopeView view;
  // All four fields are required and the reader enforces strictly ascending
  // keys, so entry i must carry key i + 1: the version is checked first,
  // before anything whose meaning depends on it.
  for (uint64_t i = 0; i < pairs; ++i) {
    const size_t key_offset = reader.position();
    uint64_t key = 0;
    if (FormatStatus s = reader.read_uint(&key); !s.is_ok()) return s;
    if (key < kEnvelopeKeyVersion || key > kEnvelopeKeySegments) {
      return FormatStatus::error(FormatError::kUnknownField, key_offset);
    }
    if (key != i + 1) return FormatStatus::error(FormatError::kMissingField, key_offset);
    const size_t at = reader.position();
    switch (key) {
      case kEnvelopeKeyVersion:
        if (FormatStatus s = reader.read_uint(&view.version); !s.is_ok()) return s;
        if (view.version != kEnvelopeVersion) return FormatStatus::error(FormatError::kUnsupportedVersion, at);
        break;
      case kEnvelopeKeySuite:
        if (FormatStatus s = reader.read_uint(&view.suite); !s.is_ok()) return s;
        if (suite_name(view.suite) == nullptr) return FormatStatus::error(FormatError::kUnknownSuite, at);
        break;
      case kEnvelopeKeyStatement:
        if (FormatStatus s = reader.read_encoded_item(kStatementLimits, &view.statement); !s.is_ok()) return s;
        if (!is_map_item(view.statement)) return FormatStatus::error(FormatError::kStatementNotMap, at);
        break;
      default:  // kEnvelopeKeySegments
        if (FormatStatus s = read_segments(reader, &view); !s.is_ok()) return s;
        break;
    }
  }
  if (pairs < kEnvelopeKeySegments) return FormatStatus::error(FormatError::kMissingField, reader.position());
  if (FormatStatus s = reader.finish(); !s.is_ok()) return s;
  *out = view;
  return FormatStatus::ok();
}

SegmentCursor::SegmentCursor(const EnvelopeView& envelope) : reader_(envelope.segments, kSegmentArrayLimits) {}

FormatStatus SegmentCursor::next(std::span<const uint8_t>* segment) {
  if (!started_) {
    if (FormatStatus s = reader_.read_array(&remaining_); !s.is_ok()) return s;
    started_ = true;
  }
  if (remaining_ == 0) return FormatStatus::error(FormatError::kNoMoreItems, reader_.position());
  std::span<const uint8_t> bytes;
  if (FormatStatus s = reader_.read_bytes(&bytes); !s.is_ok()) return s;
  const size_t base = static_cast<size_t>(bytes.data() - reader_.input().data());
  if (FormatStatus s = check_segment(bytes, base); !s.is_ok()) return s;
  --remaining_;
  *segment = bytes;
  return FormatStatus::ok();
}

FormatStatus encode_envelope(uint64_t suite, std::span<const uint8_t> statement,
                             std::span<const std::span<const uint8_t>> segments, std::vector<uint8_t>* out) {
  if (suite_name(suite) == nullptr) return FormatStatus::error(FormatError::kUnknownSuite, 0);
  if (FormatStatus s = check_statement(statement); !s.is_ok()) return s;
  if (segments.size() > kMaxSegments) return FormatStatus::error(FormatError::kTooManySegments, 0);
  for (const auto& segment : segments) {
    if (FormatStatus s = check_segment(segment, 0); !s.is_ok()) return s;
  }
  std::vector<uint8_t> bytes;
  CborWriter w(&bytes);
  w.begin_map(4);
  w.write_key(kEnvelopeKeyVersion).write_uint(kEnvelopeVersion);
  w.write_key(kEnvelopeKeySuite).write_uint(suite);
  w.write_key(kEnvelopeKeyStatement).write_encoded(statement, kStatementLimits);
  w.write_key(kEnvelopeKeySegments).begin_array(segments.size());
  for (const auto& segment : segments) w.write_bytes(segment);
  if (FormatStatus s = w.finish(); !s.is_ok()) return s;
  *out = std::move(bytes);
  return FormatStatus::ok();
}

Blake2b256::Digest statement_digest(uint64_t version, uint64_t suite, std::span<const uint8_t> statement) {
  // The prefix of the CBOR array [version, suite, statement].
  uint8_t prefix[1 + 2 * kCborMaxHeadBytes];
  size_t n = cbor_encode_head(kCborMajorArray, 3, prefix);
  n += cbor_encode_head(kCborMajorUnsigned, version, prefix + n);
  n += cbor_encode_head(kCborMajorUnsigned, suite, prefix + n);
  Blake2b256::State state(personal::kStatement);
  state.update(prefix, n);
  state.update(statement.data(), statement.size());
  return state.finalize();
}

}  // namespace zkpot
