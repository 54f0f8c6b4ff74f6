// Lowercase hexadecimal text of byte strings (digests, seeds), for the
// prover's files and messages. The verifier SDK's public header has its own
// to_hex (verify.hpp must stand alone).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace zkpot::formats {

inline std::string to_hex(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(2 * bytes.size());
  for (uint8_t x : bytes) {
    s.push_back(kDigits[x >> 4]);
    s.push_back(kDigits[x & 15]);
  }
  return s;
}

// Parses exactly 2 * out.size() lowercase hex digits into out; false (out
// partly written) on any other length or character.
[[nodiscard]] inline bool from_hex(std::string_view s, std::span<uint8_t> out) {
  if (s.size() != 2 * out.size()) return false;
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (size_t i = 0; i < out.size(); ++i) {
    const int h = digit(s[2 * i]), l = digit(s[2 * i + 1]);
    if (h < 0 || l < 0) return false;
    out[i] = static_cast<uint8_t>(h * 16 + l);
  }
  return true;
}

}  // namespace zkpot::formats
