#include "formats/utf8.h"

namespace zkpot {

namespace {
bool is_continuation(uint8_t b) { return (b & 0xC0) == 0x80; }
}  // namespace

bool utf8_is_well_formed(const uint8_t* data, size_t len, size_t* bad_offset) {
  size_t i = 0;
  while (i < len) {
    const uint8_t b0 = data[i];
    size_t n;           // bytes in this sequence
    uint8_t lo = 0x80;  // allowed range of the second byte (RFC 3629 table 3-7)
    uint8_t hi = 0xBF;
    if (b0 < 0x80) {
      ++i;
      continue;
    } else if (b0 >= 0xC2 && b0 <= 0xDF) {
      n = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      n = 3;
      if (b0 == 0xE0) lo = 0xA0;  // no overlong 3-byte forms
      if (b0 == 0xED) hi = 0x9F;  // no UTF-16 surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      n = 4;
      if (b0 == 0xF0) lo = 0x90;  // no overlong 4-byte forms
      if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
      *bad_offset = i;  // 0x80..0xC1 (continuation or overlong lead), 0xF5..0xFF
      return false;
    }
    if (len - i < n || data[i + 1] < lo || data[i + 1] > hi) {
      *bad_offset = i;
      return false;
    }
    for (size_t k = 2; k < n; ++k) {
      if (!is_continuation(data[i + k])) {
        *bad_offset = i;
        return false;
      }
    }
    i += n;
  }
  return true;
}

}  // namespace zkpot
