// The proof envelope (docs/FORMAT.md §4): the top-level CBOR map of a proof
// file, holding its version, cryptographic suite, statement and segments.
//
//   envelope = { 1: version, 2: suite, 3: statement, 4: [* segment] }
//
// The statement is a canonical map with unsigned keys; its schema comes
// later, so this layer checks its canonical form and caps and hashes its
// exact bytes (with version and suite) into the statement digest. A segment
// is a byte string (at most 2 MiB) holding one canonical CBOR map, so its size
// is known from its header before anything in it is read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/hash.h"
#include "formats/cbor_reader.h"
#include "formats/format_error.h"

namespace zkpot {

inline constexpr uint64_t kEnvelopeVersion = 1;

// Registered suites: the field, challenge extension, hash and PCS a proof uses.
enum class Suite : uint64_t {
  kGoldilocksCubic7Blake2b256Whir = 1,  // "goldilocks-cubic7/blake2b-256/whir"
};
// The suite's registered name, or nullptr when the identifier is unknown.
const char* suite_name(uint64_t suite);

enum EnvelopeKey : uint64_t {
  kEnvelopeKeyVersion = 1,
  kEnvelopeKeySuite = 2,
  kEnvelopeKeyStatement = 3,
  kEnvelopeKeySegments = 4,
};

inline constexpr uint64_t kMaxStatementBytes = 64 * 1024;
inline constexpr uint64_t kMaxSegmentBytes = 2 * 1024 * 1024;
inline constexpr uint64_t kMaxSegments = 4096;
// Envelope overhead: map header, 4 keys, version, suite, segments header.
inline constexpr uint64_t kMaxEnvelopeBytes =
    1 + 4 + 9 + 9 + kMaxStatementBytes + 9 + kMaxSegments * (9 + kMaxSegmentBytes);

// Caps of the statement map, of one segment's map, and of the envelope's own
// structure (the statement is read under its own caps, see read_encoded_item).
// Envelope depth 3 = map, segments array, and room for a wrongly typed
// container in a segment's place, so that reports a type mismatch.
inline constexpr CborLimits kStatementLimits{kMaxStatementBytes, 8, 4096, kMaxStatementBytes, 16384};
inline constexpr CborLimits kSegmentLimits{kMaxSegmentBytes, 16, 1u << 20, kMaxSegmentBytes, 1u << 21};
inline constexpr CborLimits kEnvelopeLimits{kMaxEnvelopeBytes, 3, kMaxSegments, kMaxSegmentBytes,
                                            9 + kMaxSegments};

// A decoded envelope: views into the caller's buffer, nothing copied.
struct EnvelopeView {
  uint64_t version = 0;
  uint64_t suite = 0;
  std::span<const uint8_t> statement;  // the statement map's exact encoded bytes
  std::span<const uint8_t> segments;   // the segments array's exact encoded bytes
  uint64_t segment_count = 0;
};

// Decodes and fully validates an envelope (every segment included); no heap
// allocation. Offsets in errors are into input.
[[nodiscard]] FormatStatus decode_envelope(std::span<const uint8_t> input, EnvelopeView* out);

// Walks the segments of a decoded envelope, in order. Error offsets are into
// envelope.segments.
class SegmentCursor {
 public:
  explicit SegmentCursor(const EnvelopeView& envelope);
  // The next segment's bytes (one canonical CBOR map); kNoMoreItems after the last.
  [[nodiscard]] FormatStatus next(std::span<const uint8_t>* segment);

 private:
  CborReader reader_;
  uint64_t remaining_ = 0;
  bool started_ = false;
};

// Encodes an envelope of the current version into *out (replaced on success,
// untouched on failure), after checking the suite is registered, the
// statement is one canonical map within kStatementLimits and every segment is
// one canonical map within kSegmentLimits.
[[nodiscard]] FormatStatus encode_envelope(uint64_t suite, std::span<const uint8_t> statement,
                                           std::span<const std::span<const uint8_t>> segments,
                                           std::vector<uint8_t>* out);

// BLAKE2b-256, personalised "zkpot/statement", of the canonical CBOR array
// [version, suite, statement]: the statement's exact bytes, bound to the
// version and suite (docs/FORMAT.md §4.2). The transcript starts from it.
Blake2b256::Digest statement_digest(uint64_t version, uint64_t suite, std::span<const uint8_t> statement);
inline Blake2b256::Digest statement_digest(const EnvelopeView& envelope) {
  return statement_digest(envelope.version, envelope.suite, envelope.statement);
}

}  // namespace zkpot
