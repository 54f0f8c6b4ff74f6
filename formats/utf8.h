// Strict UTF-8 well-formedness (RFC 3629): CBOR text strings must be valid
// UTF-8, and a canonical profile must not let two byte sequences stand for one
// text, so overlong forms, surrogates and code points above U+10FFFF are
// rejected (docs/FORMAT.md §1).
#pragma once

#include <cstddef>
#include <cstdint>

namespace zkpot {

// Returns true when data[0, len) is well-formed UTF-8; otherwise false, with
// *bad_offset set to the first byte of the offending sequence.
bool utf8_is_well_formed(const uint8_t* data, size_t len, size_t* bad_offset);

}  // namespace zkpot
