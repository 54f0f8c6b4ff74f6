// CBOR encoding of PCS proofs (formats/pcs_proof.h).
#include "formats/pcs_proof.h"

#include <cstring>

#include "formats/cbor_reader.h"
#include "formats/cbor_writer.h"
#include "formats/field_vector.h"

namespace zkpot {

namespace {

using F = Goldilocks;
using E = GlExt3;
using Digest = Blake2b256::Digest;

constexpr uint64_t kPairs = 6;

PcsProofStatus fail(FormatStatus f, PcsProofField field) { return PcsProofStatus{f, field}; }
PcsProofStatus fail(FormatError code, size_t offset, PcsProofField field) {
  return PcsProofStatus{FormatStatus::error(code, offset), field};
}

// Reads key `expected` (keys come in order: a missing, repeated or unknown key
// is an error at the key).
FormatStatus read_key(CborReader& r, uint64_t expected) {
  const size_t at = r.position();
  uint64_t key = 0;
  if (FormatStatus s = r.read_uint(&key); !s.is_ok()) return s;
  if (key < expected) return FormatStatus::error(FormatError::kDuplicateMapKey, at);
  if (key > expected) return FormatStatus::error(FormatError::kMissingField, at);
  return FormatStatus::ok();
}

// A byte string of whole `unit`-byte records, at most `cap` of them; the
// count is checked before the caller allocates.
FormatStatus read_records(CborReader& r, size_t unit, uint64_t cap, std::span<const uint8_t>* bytes) {
  const size_t at = r.position();
  if (FormatStatus s = r.read_bytes(bytes); !s.is_ok()) return s;
  if (bytes->size() % unit != 0 || bytes->size() / unit > cap)
    return FormatStatus::error(FormatError::kFieldVectorLength, at);
  return FormatStatus::ok();
}

template <class T>
PcsProofStatus read_vector(CborReader& r, uint64_t key, uint64_t cap, PcsProofField field, std::vector<T>* out) {
  if (FormatStatus s = read_key(r, key); !s.is_ok()) return fail(s, field);
  const size_t at = r.position();
  std::span<const uint8_t> bytes;
  if (FormatStatus s = read_records(r, T::kEncodedBytes, cap, &bytes); !s.is_ok()) return fail(s, field);
  out->resize(bytes.size() / T::kEncodedBytes);
  for (size_t i = 0; i < out->size(); ++i)
    if (!T::decode(bytes.data() + i * T::kEncodedBytes, &(*out)[i]))
      return fail(FormatError::kNonCanonicalFieldElement, at, field);
  return PcsProofStatus{};
}

template <size_t N>
PcsProofStatus read_arrays(CborReader& r, uint64_t key, uint64_t cap, PcsProofField field,
                           std::vector<std::array<uint8_t, N>>* out) {
  if (FormatStatus s = read_key(r, key); !s.is_ok()) return fail(s, field);
  std::span<const uint8_t> bytes;
  if (FormatStatus s = read_records(r, N, cap, &bytes); !s.is_ok()) return fail(s, field);
  out->resize(bytes.size() / N);
  for (size_t i = 0; i < out->size(); ++i) std::memcpy((*out)[i].data(), bytes.data() + i * N, N);
  return PcsProofStatus{};
}

template <size_t N>
void write_arrays(CborWriter& w, const std::vector<std::array<uint8_t, N>>& xs) {
  w.begin_bytes(static_cast<uint64_t>(xs.size()) * N);
  for (const auto& x : xs) w.append_payload(x.data(), N);
}

}  // namespace

FormatStatus encode_pcs_proof(const PcsProof<F, E>& proof, std::vector<uint8_t>* out) {
  CborWriter w(out);
  w.begin_map(kPairs);
  w.write_key(1).write_bytes(std::span<const uint8_t>(proof.layout_digest.data(), proof.layout_digest.size()));
  w.write_key(2);
  write_field_vector<E>(w, proof.ext);
  w.write_key(3);
  write_field_vector<F>(w, proof.base);
  w.write_key(4);
  write_arrays(w, proof.digests);
  w.write_key(5);
  write_arrays(w, proof.salts);
  w.write_key(6);
  w.begin_bytes(static_cast<uint64_t>(proof.nonces.size()) * 8);
  for (uint64_t n : proof.nonces) {
    uint8_t b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(n >> (8 * i));
    w.append_payload(b, 8);
  }
  return w.status();
}

PcsProofStatus decode_pcs_proof(std::span<const uint8_t> in, const PcsProofLimits& limits, PcsProof<F, E>* out) {
  if (in.size() > limits.max_bytes) return fail(FormatError::kInputTooLarge, 0, PcsProofField::kNone);
  const CborLimits cl{limits.max_bytes, 1, kPairs, limits.max_bytes, 2 * kPairs + 1};
  CborReader r(in, cl);
  uint64_t pairs = 0;
  if (FormatStatus s = r.read_map(&pairs); !s.is_ok()) return fail(s, PcsProofField::kNone);
  if (pairs != kPairs) return fail(FormatError::kMissingField, 0, PcsProofField::kNone);
  PcsProof<F, E> p;
  {
    if (FormatStatus s = read_key(r, 1); !s.is_ok()) return fail(s, PcsProofField::kLayoutDigest);
    const size_t at = r.position();
    std::span<const uint8_t> d;
    if (FormatStatus s = r.read_bytes(&d); !s.is_ok()) return fail(s, PcsProofField::kLayoutDigest);
    if (d.size() != p.layout_digest.size())
      return fail(FormatError::kFieldVectorLength, at, PcsProofField::kLayoutDigest);
    std::memcpy(p.layout_digest.data(), d.data(), d.size());
  }
  if (PcsProofStatus s = read_vector<E>(r, 2, limits.max_ext, PcsProofField::kExt, &p.ext); !s.is_ok()) return s;
  if (PcsProofStatus s = read_vector<F>(r, 3, limits.max_base, PcsProofField::kBase, &p.base); !s.is_ok()) return s;
  if (PcsProofStatus s = read_arrays(r, 4, limits.max_digests, PcsProofField::kDigests, &p.digests); !s.is_ok())
    return s;
  if (PcsProofStatus s = read_arrays(r, 5, limits.max_salts, PcsProofField::kSalts, &p.salts); !s.is_ok()) return s;
  {
    if (FormatStatus s = read_key(r, 6); !s.is_ok()) return fail(s, PcsProofField::kNonces);
    std::span<const uint8_t> b;
    if (FormatStatus s = read_records(r, 8, limits.max_nonces, &b); !s.is_ok()) return fail(s, PcsProofField::kNonces);
    p.nonces.resize(b.size() / 8);
    for (size_t i = 0; i < p.nonces.size(); ++i) {
      uint64_t x = 0;
      for (int k = 0; k < 8; ++k) x |= static_cast<uint64_t>(b[i * 8 + k]) << (8 * k);
      p.nonces[i] = x;
    }
  }
  if (FormatStatus s = r.finish(); !s.is_ok()) return fail(s, PcsProofField::kNone);
  *out = std::move(p);
  return PcsProofStatus{};
}

}  // namespace zkpot
