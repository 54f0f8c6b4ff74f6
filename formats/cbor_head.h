// The CBOR item header (RFC 8949 §3): an initial byte (major type in the top
// three bits, additional information in the low five) followed by 0, 1, 2, 4
// or 8 big-endian argument bytes. The reader uses these helpers to check the
// raw header bytes for shortest form; the writer to emit shortest forms.
#pragma once

#include <cstddef>
#include <cstdint>

namespace zkpot {

enum CborMajor : uint8_t {
  kCborMajorUnsigned = 0,
  kCborMajorNegative = 1,
  kCborMajorBytes = 2,
  kCborMajorText = 3,
  kCborMajorArray = 4,
  kCborMajorMap = 5,
  kCborMajorTag = 6,
  kCborMajorSimple = 7,
};

inline constexpr uint8_t kCborAiOneByte = 24;      // argument in the next byte
inline constexpr uint8_t kCborAiEightBytes = 27;   // argument in the next 8 bytes
inline constexpr uint8_t kCborAiIndefinite = 31;   // indefinite length / break
inline constexpr uint8_t kCborFalse = 0xF4;
inline constexpr uint8_t kCborTrue = 0xF5;
inline constexpr size_t kCborMaxHeadBytes = 9;

// Bytes the argument of additional information ai occupies (ai <= 27).
constexpr size_t cbor_argument_bytes(uint8_t ai) {
  return ai < 24 ? 0 : size_t{1} << (ai - 24);
}

// The additional information of the shortest header for argument arg.
constexpr uint8_t cbor_shortest_ai(uint64_t arg) {
  if (arg < 24) return static_cast<uint8_t>(arg);
  if (arg <= 0xFF) return 24;
  if (arg <= 0xFFFF) return 25;
  if (arg <= 0xFFFFFFFFULL) return 26;
  return 27;
}

// Writes the shortest header for (major, arg) into out; returns its length.
inline size_t cbor_encode_head(uint8_t major, uint64_t arg, uint8_t out[kCborMaxHeadBytes]) {
  const uint8_t ai = cbor_shortest_ai(arg);
  out[0] = static_cast<uint8_t>((major << 5) | ai);
  const size_t n = cbor_argument_bytes(ai);
  for (size_t i = 0; i < n; ++i) out[1 + i] = static_cast<uint8_t>(arg >> (8 * (n - 1 - i)));
  return 1 + n;
}

// A header read from raw bytes: ai must be <= 27 (the caller screens 28..31).
struct CborHead {
  uint8_t major;
  uint8_t ai;
  uint64_t argument;
  size_t length;  // header bytes, 1 + cbor_argument_bytes(ai)
};

// Reads the header at data[0, avail); false when the argument bytes are cut off.
inline bool cbor_read_head(const uint8_t* data, size_t avail, CborHead* head) {
  if (avail == 0) return false;
  head->major = static_cast<uint8_t>(data[0] >> 5);
  head->ai = static_cast<uint8_t>(data[0] & 0x1F);
  const size_t n = head->ai <= kCborAiEightBytes ? cbor_argument_bytes(head->ai) : 0;
  if (avail - 1 < n) return false;
  uint64_t arg = head->ai < 24 ? head->ai : 0;
  for (size_t i = 0; i < n; ++i) arg = (arg << 8) | data[1 + i];
  head->argument = arg;
  head->length = 1 + n;
  return true;
}

}  // namespace zkpot
