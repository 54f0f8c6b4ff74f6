// CBOR encoding of the commitment scheme's proof objects (docs/PROTOCOL.md
// §9.6, docs/FORMAT.md §2 for field vectors): a PCS proof is one canonical map
//   1: layout digest (32-byte string)
//   2: K values   (field vector: 24 bytes each)
//   3: base values (field vector: 8 bytes each)
//   4: digests    (byte string, 32 bytes each)
//   5: salts      (byte string, 32 bytes each)
//   6: nonces     (byte string, 8 bytes each, little-endian)
// every key present, in this order. Decoding is bounded: the whole input by
// PcsProofLimits' byte cap, each stream's count by its own cap, each length
// checked against its element size and cap before anything is allocated or
// decoded; field elements must be canonical. Every failure names its field.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/pcs_proof.h"
#include "formats/format_error.h"

namespace zkpot {

// Caps on a decoded proof: counts per stream and the encoded size.
struct PcsProofLimits {
  uint64_t max_bytes = uint64_t{8} << 20;
  uint64_t max_ext = uint64_t{1} << 18;
  uint64_t max_base = uint64_t{1} << 18;
  uint64_t max_digests = uint64_t{1} << 16;
  uint64_t max_salts = uint64_t{1} << 14;
  uint64_t max_nonces = 64;
};

enum class PcsProofField : uint8_t { kNone = 0, kLayoutDigest, kExt, kBase, kDigests, kSalts, kNonces };

struct PcsProofStatus {
  FormatStatus format{};  // the underlying reader error (offset included)
  PcsProofField field = PcsProofField::kNone;
  bool is_ok() const { return format.is_ok(); }
};

// Appends the canonical encoding of proof to *out.
[[nodiscard]] FormatStatus encode_pcs_proof(const PcsProof<Goldilocks, GlExt3>& proof, std::vector<uint8_t>* out);

// Decodes one proof that is the whole input; *out is overwritten on success.
[[nodiscard]] PcsProofStatus decode_pcs_proof(std::span<const uint8_t> in, const PcsProofLimits& limits,
                                              PcsProof<Goldilocks, GlExt3>* out);

}  // namespace zkpot
