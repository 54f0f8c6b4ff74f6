#include "formats/format_error.h"

namespace zkpot {

const char* format_error_message(FormatError code) {
  switch (code) {
    case FormatError::kOk: return "ok";
    case FormatError::kTruncated: return "input ends inside an item";
    case FormatError::kTrailingBytes: return "bytes after the top-level item";
    case FormatError::kNoMoreItems: return "read past the end of the top-level item";
    case FormatError::kMalformedHeader: return "reserved or malformed item header";
    case FormatError::kNonShortestEncoding: return "integer, length or count not in shortest form";
    case FormatError::kIndefiniteLength: return "indefinite-length item or break byte";
    case FormatError::kDuplicateMapKey: return "duplicate map key";
    case FormatError::kUnsortedMapKeys: return "map keys not in ascending order";
    case FormatError::kMapKeyNotUnsigned: return "map key is not an unsigned integer";
    case FormatError::kInvalidUtf8: return "text string is not well-formed UTF-8";
    case FormatError::kTagNotAllowed: return "tags are not allowed";
    case FormatError::kFloatNotAllowed: return "floating-point values are not allowed";
    case FormatError::kSimpleValueNotAllowed: return "simple value other than true/false";
    case FormatError::kInputTooLarge: return "input exceeds its byte cap";
    case FormatError::kDepthExceeded: return "nesting deeper than the cap";
    case FormatError::kContainerTooLarge: return "array or map larger than the cap";
    case FormatError::kStringTooLong: return "string longer than the cap";
    case FormatError::kTooManyItems: return "more items than the cap";
    case FormatError::kInvalidLimits: return "caps exceed the reader's capacity";
    case FormatError::kTypeMismatch: return "item of an unexpected type";
    case FormatError::kIntegerOutOfRange: return "integer out of range";
    case FormatError::kFieldVectorLength: return "field vector has the wrong length";
    case FormatError::kNonCanonicalFieldElement: return "field element encoding is not below the modulus";
    case FormatError::kBufferTooSmall: return "output buffer too small";
    case FormatError::kWriterMisuse: return "writer: item out of place or containers left open";
    case FormatError::kUnsupportedVersion: return "unsupported envelope version";
    case FormatError::kUnknownSuite: return "unknown suite identifier";
    case FormatError::kMissingField: return "required field missing";
    case FormatError::kUnknownField: return "unknown field";
    case FormatError::kSegmentTooLarge: return "segment larger than 2 MiB";
    case FormatError::kTooManySegments: return "too many segments";
    case FormatError::kStatementNotMap: return "statement is not a map";
    case FormatError::kSegmentNotMap: return "segment is not a map";
    case FormatError::kDecoderMismatch: return "internal: decoder disagreement";
  }
  return "unknown error";
}

}  // namespace zkpot
