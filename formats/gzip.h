// A bounded gzip (RFC 1952) / DEFLATE (RFC 1951) decompressor, so that the
// dataset readers can open the gzipped IDX files Debian ships without adding a
// dependency. It checks every length against the input, caps the output, and
// verifies each member's CRC-32 and size; malformed input raises GzipError.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

namespace zkpot::formats {

class GzipError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// True when the bytes start with the gzip magic (1f 8b).
bool looks_gzipped(std::span<const uint8_t> bytes);

// Decompresses every member of a gzip stream (concatenated members are
// joined). Throws GzipError on malformed input or if the output would exceed
// max_output bytes.
std::vector<uint8_t> gunzip(std::span<const uint8_t> bytes, size_t max_output);

// Raw DEFLATE of one stream; returns the number of input bytes consumed.
size_t inflate_raw(std::span<const uint8_t> in, size_t max_output, std::vector<uint8_t>* out);

// CRC-32 (IEEE 802.3, reflected, as gzip uses), continuing from crc.
uint32_t crc32_update(uint32_t crc, std::span<const uint8_t> bytes);

}  // namespace zkpot::formats
