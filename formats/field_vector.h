// Field vectors on the wire: one CBOR byte string holding the elements'
// canonical encodings back to back (F::encode: little-endian, each base
// coordinate below p), never a CBOR array (docs/FORMAT.md §2). The reader
// checks the byte length against the expected count before decoding, and
// every element for canonicity through F::decode. A length or canonicity
// failure is returned, not latched in the reader: stop reading after one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "formats/cbor_reader.h"
#include "formats/cbor_writer.h"
#include "formats/format_error.h"

namespace zkpot {

namespace detail {
template <class F>
FormatStatus decode_field_elements(const CborReader& reader, std::span<const uint8_t> bytes, std::span<F> out) {
  const size_t base = static_cast<size_t>(bytes.data() - reader.input().data());
  for (size_t i = 0; i < out.size(); ++i) {
    if (!F::decode(bytes.data() + i * F::kEncodedBytes, &out[i])) {
      return FormatStatus::error(FormatError::kNonCanonicalFieldElement, base + i * F::kEncodedBytes);
    }
  }
  return FormatStatus::ok();
}
}  // namespace detail

// Reads a byte string of exactly out.size() elements of F into out.
template <class F>
[[nodiscard]] FormatStatus read_field_vector(CborReader& reader, std::span<F> out) {
  const size_t offset = reader.position();
  std::span<const uint8_t> bytes;
  if (FormatStatus s = reader.read_bytes(&bytes); !s.is_ok()) return s;
  // Compare by division: out.size() * kEncodedBytes could wrap.
  if (bytes.size() % F::kEncodedBytes != 0 || bytes.size() / F::kEncodedBytes != out.size()) {
    return FormatStatus::error(FormatError::kFieldVectorLength, offset);
  }
  return detail::decode_field_elements<F>(reader, bytes, out);
}

// Reads a byte string of a whole number of elements of F, at most out.size()
// of them, into the front of out; *count receives how many.
template <class F>
[[nodiscard]] FormatStatus read_field_vector_up_to(CborReader& reader, std::span<F> out, size_t* count) {
  const size_t offset = reader.position();
  std::span<const uint8_t> bytes;
  if (FormatStatus s = reader.read_bytes(&bytes); !s.is_ok()) return s;
  if (bytes.size() % F::kEncodedBytes != 0 || bytes.size() / F::kEncodedBytes > out.size()) {
    return FormatStatus::error(FormatError::kFieldVectorLength, offset);
  }
  const size_t n = bytes.size() / F::kEncodedBytes;
  if (FormatStatus s = detail::decode_field_elements<F>(reader, bytes, out.first(n)); !s.is_ok()) return s;
  *count = n;
  return FormatStatus::ok();
}

// Writes values as one byte string, encoding each element in place.
template <class F>
CborWriter& write_field_vector(CborWriter& writer, std::span<const F> values) {
  writer.begin_bytes(static_cast<uint64_t>(values.size()) * F::kEncodedBytes);
  uint8_t buf[F::kEncodedBytes];
  for (const F& x : values) {
    x.encode(buf);
    writer.append_payload(buf, sizeof buf);
  }
  return writer;
}

}  // namespace zkpot
