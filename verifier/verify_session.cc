#include "verifier/verify_session.h"

#include <cstdio>

#include "formats/cbor_head.h"
#include "formats/cbor_reader.h"
#include "formats/envelope.h"

namespace zkpot::verify_detail {

// The public limits are the formats layer's, spelled for C.
static_assert(ZKPOT_ENVELOPE_VERSION == kEnvelopeVersion);
static_assert(ZKPOT_SUITE_GOLDILOCKS_CUBIC7_BLAKE2B256_WHIR ==
              static_cast<uint64_t>(Suite::kGoldilocksCubic7Blake2b256Whir));
static_assert(ZKPOT_MAX_STATEMENT_BYTES == kMaxStatementBytes && ZKPOT_MAX_STATEMENT_BYTES == kStatementLimits.max_input_bytes);
static_assert(ZKPOT_MAX_STATEMENT_DEPTH == kStatementLimits.max_depth);
static_assert(ZKPOT_MAX_SEGMENT_BYTES == kMaxSegmentBytes && ZKPOT_MAX_SEGMENT_BYTES == kSegmentLimits.max_input_bytes);
static_assert(ZKPOT_MAX_SEGMENT_DEPTH == kSegmentLimits.max_depth);
static_assert(ZKPOT_MAX_SEGMENT_CONTAINER_ITEMS == kSegmentLimits.max_container_items);
static_assert(ZKPOT_MAX_SEGMENT_ITEMS == kSegmentLimits.max_total_items);
static_assert(ZKPOT_MAX_SEGMENTS == kMaxSegments);
static_assert(ZKPOT_MAX_LAYERS == kStatementMaxLayers && ZKPOT_MAX_WIDTH == kStatementMaxWidth);
static_assert(ZKPOT_MAX_INPUT_WIDTH == kStatementMaxInputWidth && ZKPOT_MAX_BATCH == kStatementMaxBatch);
static_assert(ZKPOT_MAX_STEPS == kStatementMaxSteps && ZKPOT_MAX_DATASET_ROWS == kStatementMaxDatasetRows);
static_assert(ZKPOT_DIGEST_BYTES == sizeof(StatementDigest));
// Head: map header (1) + key/version (1 + 9) + key/suite (1 + 9) + key +
// statement + key + array header (9): within 64 bytes of the statement.
static_assert(ZKPOT_MAX_HEAD_BYTES >= 1 + 10 + 10 + 1 + kMaxStatementBytes + 1 + kCborMaxHeadBytes);

namespace {

constexpr uint64_t kHeadSegment = UINT64_MAX;

// One segment's byte-string header at data: its length (header included)
// or a format error. Only the header is read.
FormatStatus read_segment_header(std::span<const uint8_t> data, size_t* header_len, uint64_t* payload_len) {
  if (data.empty()) return FormatStatus::error(FormatError::kTruncated, 0);
  const uint8_t ib = data[0];
  const uint8_t major = ib >> 5, ai = ib & 0x1f;
  if (ai == kCborAiIndefinite && major >= kCborMajorBytes && major <= kCborMajorMap) {
    return FormatStatus::error(FormatError::kIndefiniteLength, 0);
  }
  if (ai >= 28) return FormatStatus::error(FormatError::kMalformedHeader, 0);
  if (major != kCborMajorBytes) return FormatStatus::error(FormatError::kTypeMismatch, 0);
  CborHead head;
  if (!cbor_read_head(data.data(), data.size(), &head)) return FormatStatus::error(FormatError::kTruncated, 0);
  if (head.ai != cbor_shortest_ai(head.argument)) return FormatStatus::error(FormatError::kNonShortestEncoding, 0);
  if (head.argument > kMaxSegmentBytes) return FormatStatus::error(FormatError::kSegmentTooLarge, 0);
  *header_len = head.length;
  *payload_len = head.argument;
  return FormatStatus::ok();
}

const char* field_of_envelope_error(FormatError code) {
  switch (code) {
    case FormatError::kUnsupportedVersion: return "envelope.version";
    case FormatError::kUnknownSuite: return "envelope.suite";
    case FormatError::kStatementNotMap: return "statement";
    case FormatError::kTooManySegments: return "envelope.segments";
    case FormatError::kSegmentTooLarge:
    case FormatError::kSegmentNotMap: return "segment";
    default: return "envelope";
  }
}

}  // namespace

zkpot_status status_of_format_error(FormatError code) noexcept {
  switch (code) {
    case FormatError::kUnsupportedVersion:
    case FormatError::kUnknownSuite: return ZKPOT_UNSUPPORTED;
    case FormatError::kInputTooLarge:
    case FormatError::kDepthExceeded:
    case FormatError::kContainerTooLarge:
    case FormatError::kStringTooLong:
    case FormatError::kTooManyItems:
    case FormatError::kSegmentTooLarge:
    case FormatError::kTooManySegments: return ZKPOT_OVER_LIMIT;
    default: return ZKPOT_MALFORMED;
  }
}

Session::Session() noexcept { result_.status = ZKPOT_MISUSE; }

zkpot_status Session::fail(zkpot_status status, const char* check, const char* field, uint64_t offset,
                           const char* detail) noexcept {
  result_.status = status;
  result_.check = status == ZKPOT_INVALID ? check : "";
  result_.field = status == ZKPOT_INVALID ? "" : field;
  result_.offset = offset;
  result_.segment = phase_ == Phase::kSegments && seen_ < declared_ ? seen_ : kHeadSegment;
  const char* what = status == ZKPOT_INVALID ? check : field;
  if (result_.segment == kHeadSegment) {
    std::snprintf(result_.reason, sizeof result_.reason, "%s: %s: %s (file byte %llu)", zkpot_status_name(status),
                  what, detail, static_cast<unsigned long long>(offset));
  } else {
    std::snprintf(result_.reason, sizeof result_.reason, "%s: segment %llu: %s: %s (file byte %llu)",
                  zkpot_status_name(status), static_cast<unsigned long long>(result_.segment), what, detail,
                  static_cast<unsigned long long>(offset));
  }
  if (status != ZKPOT_SCRATCH_TOO_SMALL && status != ZKPOT_MISUSE) phase_ = Phase::kFailed;
  return status;
}

zkpot_status Session::fail_format(const FormatStatus& f, const char* field, uint64_t base) noexcept {
  return fail(status_of_format_error(f.code), "", field, base + f.offset, f.message());
}

zkpot_status Session::fail_statement(const StatementStatus& s, uint64_t base) noexcept {
  zkpot_status status = ZKPOT_MALFORMED;
  if (s.code == StatementError::kFormat) status = status_of_format_error(s.format.code);
  if (s.code == StatementError::kOverCap) status = ZKPOT_OVER_LIMIT;
  if (s.code == StatementError::kUnknownParameterSet) status = ZKPOT_UNSUPPORTED;
  char detail[160];
  format_statement_reason(s, detail, sizeof detail);
  return fail(status, "", statement_field_name(s.field), base + s.offset, detail);
}

zkpot_status Session::pass(zkpot_status status) noexcept {
  result_.status = status;
  result_.check = "";
  result_.field = "";
  result_.offset = 0;
  result_.segment = kHeadSegment;
  result_.reason[0] = '\0';
  return status;
}

zkpot_status Session::misuse(const char* what) noexcept {
  result_.status = ZKPOT_MISUSE;
  result_.check = "";
  result_.field = "";
  result_.offset = 0;
  std::snprintf(result_.reason, sizeof result_.reason, "misuse: %s", what);
  return ZKPOT_MISUSE;
}

zkpot_status Session::internal_error(const char* what) noexcept {
  phase_ = Phase::kFailed;
  result_.status = ZKPOT_INTERNAL_ERROR;
  result_.check = "";
  result_.field = "";
  std::snprintf(result_.reason, sizeof result_.reason, "internal error: %s", what);
  return ZKPOT_INTERNAL_ERROR;
}

zkpot_status Session::begin(std::span<const uint8_t> input, size_t* head_len) noexcept {
  phase_ = Phase::kIdle;
  has_statement_ = false;
  declared_ = seen_ = file_pos_ = 0;
  scratch_needed_ = 0;

  CborReader reader(input, kEnvelopeLimits);
  uint64_t pairs = 0;
  if (FormatStatus f = reader.read_map(&pairs); !f.is_ok()) return fail_format(f, "envelope", 0);
  // All four keys are required and no other is defined, so the pair count
  // alone tells a missing or an unknown field (docs/FORMAT.md §4.1).
  if (pairs < 4) return fail(ZKPOT_MALFORMED, "", "envelope", 0, "required field missing");
  if (pairs > 4) return fail(ZKPOT_MALFORMED, "", "envelope", 0, "unknown field");
  uint64_t version = 0, suite = 0;
  std::span<const uint8_t> statement_bytes;
  for (uint64_t key = 1; key <= 3; ++key) {
    const size_t key_at = reader.position();
    uint64_t k = 0;
    if (FormatStatus f = reader.read_uint(&k); !f.is_ok()) return fail_format(f, "envelope", 0);
    if (k != key) {
      return fail(ZKPOT_MALFORMED, "", "envelope", key_at, k > 4 || k == 0 ? "unknown field" : "required field missing");
    }
    const size_t at = reader.position();
    if (key == 1) {
      if (FormatStatus f = reader.read_uint(&version); !f.is_ok()) return fail_format(f, "envelope.version", 0);
      if (version != kEnvelopeVersion) return fail(ZKPOT_UNSUPPORTED, "", "envelope.version", at, "unsupported envelope version");
    } else if (key == 2) {
      if (FormatStatus f = reader.read_uint(&suite); !f.is_ok()) return fail_format(f, "envelope.suite", 0);
      if (suite_name(suite) == nullptr) return fail(ZKPOT_UNSUPPORTED, "", "envelope.suite", at, "unknown suite identifier");
    } else {
      if (FormatStatus f = reader.read_encoded_item(kStatementLimits, &statement_bytes); !f.is_ok()) {
        return fail_format(f, "statement", 0);
      }
    }
  }
  const size_t statement_at = static_cast<size_t>(statement_bytes.data() - input.data());
  TrainingStatement statement;
  if (StatementStatus s = decode_training_statement(statement_bytes, &statement); !s.is_ok()) {
    return fail_statement(s, statement_at);
  }
  if (const char* field = unsupported_statement_field(statement); field != nullptr) {
    return fail(ZKPOT_UNSUPPORTED, "", field, statement_at, "a statement the training proof does not support");
  }
  // Key 4 and the segments array's header, read by hand: the segments
  // themselves need not be in `input` yet.
  const size_t key4_at = reader.position();
  uint64_t k = 0;
  if (FormatStatus f = reader.read_uint(&k); !f.is_ok()) return fail_format(f, "envelope", 0);
  if (k != 4) return fail(ZKPOT_MALFORMED, "", "envelope", key4_at, k > 4 ? "unknown field" : "required field missing");
  const size_t array_at = reader.position();
  const std::span<const uint8_t> rest = input.subspan(array_at);
  if (rest.empty()) return fail(ZKPOT_MALFORMED, "", "envelope.segments", array_at, "input ends inside an item");
  const uint8_t ib = rest[0];
  const uint8_t major = ib >> 5, ai = ib & 0x1f;
  if (ai == kCborAiIndefinite && major >= kCborMajorBytes && major <= kCborMajorMap) {
    return fail_format(FormatStatus::error(FormatError::kIndefiniteLength, 0), "envelope.segments", array_at);
  }
  if (ai >= 28) return fail_format(FormatStatus::error(FormatError::kMalformedHeader, 0), "envelope.segments", array_at);
  if (major != kCborMajorArray) {
    return fail_format(FormatStatus::error(FormatError::kTypeMismatch, 0), "envelope.segments", array_at);
  }
  CborHead head;
  if (!cbor_read_head(rest.data(), rest.size(), &head)) {
    return fail_format(FormatStatus::error(FormatError::kTruncated, 0), "envelope.segments", array_at);
  }
  if (head.ai != cbor_shortest_ai(head.argument)) {
    return fail_format(FormatStatus::error(FormatError::kNonShortestEncoding, 0), "envelope.segments", array_at);
  }
  if (head.argument > kMaxSegments) {
    return fail_format(FormatStatus::error(FormatError::kTooManySegments, 0), "envelope.segments", array_at);
  }

  statement_ = statement;
  digest_ = training_statement_digest(suite, statement_bytes);
  run_digest_ = training_run_digest(suite, statement);
  has_statement_ = true;
  declared_ = head.argument;
  file_pos_ = array_at + head.length;
  scratch_needed_ = segment_scratch_bytes(statement_);
  chain_ = initial_chain_state(statement_);
  phase_ = Phase::kSegments;
  *head_len = static_cast<size_t>(file_pos_);
  return pass(ZKPOT_CONTINUE);
}

zkpot_status Session::scratch_size(size_t* out) const noexcept {
  if (!has_statement_) return ZKPOT_MISUSE;
  *out = scratch_needed_;
  return ZKPOT_VALID;
}

zkpot_status Session::next_segment_size(std::span<const uint8_t> input, size_t* item_len) const noexcept {
  if (phase_ != Phase::kSegments || seen_ >= declared_) return ZKPOT_MISUSE;
  size_t header = 0;
  uint64_t payload = 0;
  if (FormatStatus f = read_segment_header(input, &header, &payload); !f.is_ok()) {
    return status_of_format_error(f.code);
  }
  *item_len = header + static_cast<size_t>(payload);
  return ZKPOT_CONTINUE;
}

zkpot_status Session::segment(void* scratch, size_t scratch_len, std::span<const uint8_t> item) noexcept {
  if (phase_ == Phase::kFailed) return result_.status;
  if (phase_ != Phase::kSegments) return misuse("zkpot_verify_segment before a successful zkpot_verify_begin");
  if (seen_ >= declared_) return misuse("more segments than the file declares");
  if (item.data() == nullptr && !item.empty()) return misuse("null segment");
  if (scratch_len < scratch_needed_ || (scratch == nullptr && scratch_needed_ > 0)) {
    std::snprintf(result_.reason, sizeof result_.reason, "scratch too small: %zu bytes given, %zu needed",
                  scratch_len, scratch_needed_);
    result_.status = ZKPOT_SCRATCH_TOO_SMALL;
    return ZKPOT_SCRATCH_TOO_SMALL;
  }
  size_t header = 0;
  uint64_t payload_len = 0;
  if (FormatStatus f = read_segment_header(item, &header, &payload_len); !f.is_ok()) {
    return fail_format(f, "segment", file_pos_);
  }
  if (item.size() - header < payload_len) {
    return fail_format(FormatStatus::error(FormatError::kTruncated, 0), "segment", file_pos_);
  }
  if (item.size() - header > payload_len) return misuse("segment longer than its header declares");
  const std::span<const uint8_t> payload = item.subspan(header);
  const uint64_t payload_at = file_pos_ + header;
  if (FormatStatus f = cbor_validate(payload, kSegmentLimits); !f.is_ok()) {
    return fail_format(f, "segment", payload_at);
  }
  if ((payload[0] >> 5) != kCborMajorMap) {
    return fail_format(FormatStatus::error(FormatError::kSegmentNotMap, 0), "segment", payload_at);
  }
  Arena arena(scratch, scratch_len);
  ChainState next;
  const SegmentVerdict v = verify_segment(statement_, run_digest_, chain_, payload, arena, &next);
  switch (v.kind) {
    case SegmentVerdict::kValid: break;
    case SegmentVerdict::kInvalid: return fail(ZKPOT_INVALID, v.check, "", payload_at + v.offset, "check failed");
    case SegmentVerdict::kMalformed:
      return fail(ZKPOT_MALFORMED, "", v.check, payload_at + v.offset, "malformed segment field");
    case SegmentVerdict::kOverLimit:
      return fail(ZKPOT_OVER_LIMIT, "", v.check, payload_at + v.offset, "segment field over its limit");
    case SegmentVerdict::kUnsupported:
      return fail(ZKPOT_UNSUPPORTED, "", v.check, payload_at + v.offset,
                  "a statement the training proof does not support");
    case SegmentVerdict::kScratchTooSmall:
      return internal_error("the segment verifier needs more scratch than its size query said");
  }
  chain_ = next;
  ++seen_;
  file_pos_ += item.size();
  return pass(ZKPOT_CONTINUE);
}

zkpot_status Session::end() noexcept {
  if (phase_ == Phase::kFailed) return result_.status;
  if (phase_ != Phase::kSegments) return misuse("zkpot_verify_end before a successful zkpot_verify_begin");
  if (seen_ != declared_) return misuse("zkpot_verify_end before every declared segment was verified");
  if (chain_.next_step != statement_.t1) {
    return fail(ZKPOT_INVALID, "chain.step_range", "", file_pos_, "the segments do not reach the statement's t1");
  }
  if (chain_.weight_commitment != statement_.final_weights) {
    return fail(ZKPOT_INVALID, "chain.final_weights", "", file_pos_,
                "the chain does not end at the statement's final weight commitment");
  }
  phase_ = Phase::kDone;
  return pass(ZKPOT_VALID);
}

zkpot_status Session::verify_buffer(void* scratch, size_t scratch_len, std::span<const uint8_t> file) noexcept {
  phase_ = Phase::kIdle;
  has_statement_ = false;
  if (file.size() > ZKPOT_MAX_FILE_BYTES) {
    return fail(ZKPOT_OVER_LIMIT, "", "file", 0, "file larger than ZKPOT_MAX_FILE_BYTES");
  }
  // Parse the whole envelope first (every segment's canonical form and caps,
  // no trailing bytes), then verify.
  EnvelopeView view;
  if (FormatStatus f = decode_envelope(file, &view); !f.is_ok()) {
    return fail_format(f, field_of_envelope_error(f.code), 0);
  }
  size_t pos = 0;
  if (zkpot_status s = begin(file, &pos); s != ZKPOT_CONTINUE) return s;
  if (scratch_len < scratch_needed_ || (scratch == nullptr && scratch_needed_ > 0)) {
    std::snprintf(result_.reason, sizeof result_.reason, "scratch too small: %zu bytes given, %zu needed",
                  scratch_len, scratch_needed_);
    result_.status = ZKPOT_SCRATCH_TOO_SMALL;
    phase_ = Phase::kIdle;
    return ZKPOT_SCRATCH_TOO_SMALL;
  }
  for (uint64_t i = 0; i < declared_; ++i) {
    size_t item_len = 0;
    const zkpot_status size_status = next_segment_size(file.subspan(pos), &item_len);
    if (size_status != ZKPOT_CONTINUE || item_len > file.size() - pos) {
      return internal_error("segment framing disagrees with the envelope decoder");
    }
    if (zkpot_status s = segment(scratch, scratch_len, file.subspan(pos, item_len)); s != ZKPOT_CONTINUE) return s;
    pos += item_len;
  }
  if (pos != file.size()) return internal_error("trailing bytes missed by the envelope decoder");
  return end();
}

}  // namespace zkpot::verify_detail
