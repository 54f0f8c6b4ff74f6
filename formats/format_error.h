// Status codes of the formats layer: the bounded CBOR reader, the canonical
// writer and the proof envelope (docs/FORMAT.md §5). Every rejection class has
// its own code, so tests and the verifier's reports can tell them apart, and
// nothing here throws: the verifier hands these codes across its C boundary.
#pragma once

#include <cstddef>
#include <cstdint>

namespace zkpot {

enum class FormatError : uint8_t {
  kOk = 0,
  // Input shape.
  kTruncated,            // the input ends inside an item
  kTrailingBytes,        // bytes follow the top-level item
  kNoMoreItems,          // read past the end of the top-level item
  kMalformedHeader,      // reserved additional information (28..30, 0xfc..0xfe)
  // Canonical form (docs/FORMAT.md §1).
  kNonShortestEncoding,  // an integer, length or count not in its shortest form
  kIndefiniteLength,     // indefinite-length string/array/map, or a break byte
  kDuplicateMapKey,      // a map key equal to the previous key
  kUnsortedMapKeys,      // a map key below the previous key
  kMapKeyNotUnsigned,    // a map key that is not an unsigned integer
  kInvalidUtf8,          // a text string that is not well-formed UTF-8
  // Outside the profile's subset of CBOR.
  kTagNotAllowed,          // major type 6
  kFloatNotAllowed,        // half, single and double floats
  kSimpleValueNotAllowed,  // null, undefined and every simple value but true/false
  // Caps (docs/FORMAT.md §3).
  kInputTooLarge,        // the input (or a nested item) exceeds its byte cap
  kDepthExceeded,        // arrays/maps nested deeper than the cap
  kContainerTooLarge,    // an array or map declares more entries than the cap
  kStringTooLong,        // a byte or text string declares more bytes than the cap
  kTooManyItems,         // more items in total than the cap
  kInvalidLimits,        // the caller's caps exceed what the reader supports
  // Typed reads.
  kTypeMismatch,         // an item of another type than the one expected
  kIntegerOutOfRange,    // an integer that does not fit the requested type
  kFieldVectorLength,    // a field vector's byte length is not the expected one
  kNonCanonicalFieldElement,  // a field element encoding >= p
  // Writer.
  kBufferTooSmall,       // the caller's output buffer is full
  kWriterMisuse,         // an item where none fits, or containers left open
  // Proof envelope (docs/FORMAT.md §4).
  kUnsupportedVersion,
  kUnknownSuite,
  kMissingField,
  kUnknownField,
  kSegmentTooLarge,
  kTooManySegments,
  kStatementNotMap,
  kSegmentNotMap,
  // libcbor's streaming decoder disagreed with our own reading of a header;
  // unreachable unless one of the two is wrong, kept as a tripwire.
  kDecoderMismatch,
};

// A short static description of a code (never null).
const char* format_error_message(FormatError code);

// The result of a formats-layer operation: a code and the byte offset in the
// input (reader) or output (writer) where the problem was found.
struct [[nodiscard]] FormatStatus {
  FormatError code = FormatError::kOk;
  size_t offset = 0;

  static constexpr FormatStatus ok() { return {}; }
  static constexpr FormatStatus error(FormatError c, size_t off) { return {c, off}; }
  constexpr bool is_ok() const { return code == FormatError::kOk; }
  const char* message() const { return format_error_message(code); }
};

}  // namespace zkpot
