// CBOR encoding of PCS proofs (formats/pcs_proof.h): real proofs round-trip
// byte for byte and still verify after decoding; every field's malformed
// forms are rejected with that field named; caps are enforced before any
// allocation. ZKPOT_WRITE_PCS_CORPUS=1 rewrites the fuzz seed corpus
// (fuzz/corpus/pcs_proof/) from the same real proofs.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include "common/pcs_verifier.h"
#include "formats/cbor_writer.h"
#include "formats/pcs_proof.h"
#include "prover/pcs_prover.h"
#include "fuzz/pcs_proof_instance.h"

namespace zkpot {
namespace {

using F = Goldilocks;
using E = GlExt3;
using Proof = PcsProof<F, E>;

// A real proof on the fuzz target's instance (tests/pcs_fuzz_instance.h).
struct Real {
  PcsProver prover;
  std::vector<E> point;
  PcsClaim<E> claim;
  Proof proof;
};

Real make_real(uint64_t seed) {
  const PcsLayout layout = pcs_fuzz_layout();
  ProverRng rng = ProverRng::from_seed_u64(seed);
  std::vector<F> table(size_t{1} << kPcsFuzzVars);
  for (F& x : table) x = rng.field<F>();
  const std::span<const F> polys[] = {table};
  PcsProver p = PcsProver::commit(layout, polys, rng);
  std::vector<E> point(kPcsFuzzVars);
  for (E& x : point) x = rng.field<E>();
  Transcript<> t("zkpot-pcs-cbor-test", Blake2b256::Digest{});
  const PcsClaim<E> claim{0, point, p.evaluate(0, point)};
  Proof proof = p.open(t, std::span<const PcsClaim<E>>(&claim, 1));
  // The table must outlive the prover's spans: keep a copy in a static pool.
  static std::vector<std::vector<F>> keep;
  keep.push_back(std::move(table));
  return Real{std::move(p), std::move(point), claim, std::move(proof)};
}

PcsStatus verify(const Real& r, const Proof& proof) {
  const PcsLayout layout = pcs_fuzz_layout();
  Transcript<> t("zkpot-pcs-cbor-test", Blake2b256::Digest{});
  PcsClaim<E> claim = r.claim;
  claim.point = r.point;
  std::vector<uint8_t> scratch(pcs_verifier_scratch_bytes(layout, 1));
  Arena arena(scratch.data(), scratch.size());
  return pcs_verify(t, layout, r.prover.commitment(), std::span<const PcsClaim<E>>(&claim, 1), proof.view(), arena);
}

std::vector<uint8_t> encode(const Proof& p) {
  std::vector<uint8_t> out;
  EXPECT_TRUE(encode_pcs_proof(p, &out).is_ok());
  return out;
}

PcsProofStatus decode(const std::vector<uint8_t>& in, Proof* out, const PcsProofLimits& lim = {}) {
  return decode_pcs_proof(in, lim, out);
}

TEST(PcsProofCbor, RealProofsRoundTripAndStillVerify) {
  for (uint64_t seed : {1u, 2u}) {
    const Real r = make_real(seed);
    ASSERT_EQ(verify(r, r.proof), PcsStatus::kOk);
    const std::vector<uint8_t> bytes = encode(r.proof);
    Proof back;
    ASSERT_TRUE(decode(bytes, &back).is_ok());
    EXPECT_EQ(back.layout_digest, r.proof.layout_digest);
    EXPECT_EQ(back.ext, r.proof.ext);
    EXPECT_EQ(back.base, r.proof.base);
    EXPECT_EQ(back.digests, r.proof.digests);
    EXPECT_EQ(back.salts, r.proof.salts);
    EXPECT_EQ(back.nonces, r.proof.nonces);
    EXPECT_EQ(encode(back), bytes);  // canonical: one encoding per proof
    EXPECT_EQ(verify(r, back), PcsStatus::kOk);
    // The framing adds a few dozen bytes to the payload.
    EXPECT_LE(bytes.size(), r.proof.payload_bytes() + 64);
  }
}

TEST(PcsProofCbor, EmptyStreamsAndNoncesRoundTrip) {
  Proof p;
  p.layout_digest[3] = 9;
  p.nonces = {0, 1, UINT64_MAX};
  const std::vector<uint8_t> bytes = encode(p);
  Proof back;
  ASSERT_TRUE(decode(bytes, &back).is_ok());
  EXPECT_EQ(back.nonces, p.nonces);
  EXPECT_TRUE(back.ext.empty() && back.base.empty() && back.digests.empty() && back.salts.empty());
  EXPECT_EQ(encode(back), bytes);
}

// A hand-built map with the given byte strings for keys 1..6.
std::vector<uint8_t> map_of(const std::vector<std::vector<uint8_t>>& values, const std::vector<uint64_t>& keys) {
  std::vector<uint8_t> out;
  CborWriter w(&out);
  w.begin_map(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) w.write_key(keys[i]).write_bytes(values[i]);
  EXPECT_TRUE(w.status().is_ok());
  return out;
}

std::vector<std::vector<uint8_t>> valid_values() {
  return {std::vector<uint8_t>(32, 1), std::vector<uint8_t>(48, 0), std::vector<uint8_t>(16, 0),
          std::vector<uint8_t>(64, 2), std::vector<uint8_t>(32, 3), std::vector<uint8_t>(8, 4)};
}
const std::vector<uint64_t> kKeys = {1, 2, 3, 4, 5, 6};

TEST(PcsProofCbor, HandBuiltValidMapDecodes) {
  Proof p;
  ASSERT_TRUE(decode(map_of(valid_values(), kKeys), &p).is_ok());
  EXPECT_EQ(p.ext.size(), 2u);
  EXPECT_EQ(p.base.size(), 2u);
  EXPECT_EQ(p.digests.size(), 2u);
  EXPECT_EQ(p.salts.size(), 1u);
  EXPECT_EQ(p.nonces, std::vector<uint64_t>{0x0404040404040404ull});
}

// Each field: a wrong length, and (field elements) a non-canonical value.
TEST(PcsProofCbor, EachMalformedFieldIsRejectedAndNamed) {
  struct Case {
    size_t index;
    std::vector<uint8_t> value;
    PcsProofField field;
    FormatError code;
  };
  std::vector<uint8_t> non_canonical_ext(24, 0), non_canonical_base(8, 0xff);
  for (int i = 0; i < 8; ++i) non_canonical_ext[8 + i] = 0xff;  // second coordinate >= p
  const std::vector<Case> cases = {
      {0, std::vector<uint8_t>(31, 1), PcsProofField::kLayoutDigest, FormatError::kFieldVectorLength},
      {0, std::vector<uint8_t>(33, 1), PcsProofField::kLayoutDigest, FormatError::kFieldVectorLength},
      {1, std::vector<uint8_t>(25, 0), PcsProofField::kExt, FormatError::kFieldVectorLength},
      {1, non_canonical_ext, PcsProofField::kExt, FormatError::kNonCanonicalFieldElement},
      {2, std::vector<uint8_t>(9, 0), PcsProofField::kBase, FormatError::kFieldVectorLength},
      {2, non_canonical_base, PcsProofField::kBase, FormatError::kNonCanonicalFieldElement},
      {3, std::vector<uint8_t>(33, 0), PcsProofField::kDigests, FormatError::kFieldVectorLength},
      {4, std::vector<uint8_t>(31, 0), PcsProofField::kSalts, FormatError::kFieldVectorLength},
      {5, std::vector<uint8_t>(7, 0), PcsProofField::kNonces, FormatError::kFieldVectorLength},
  };
  for (const Case& c : cases) {
    auto values = valid_values();
    values[c.index] = c.value;
    Proof p;
    p.nonces = {42};
    const PcsProofStatus st = decode(map_of(values, kKeys), &p);
    EXPECT_FALSE(st.is_ok()) << c.index;
    EXPECT_EQ(st.field, c.field) << c.index;
    EXPECT_EQ(st.format.code, c.code) << c.index;
    EXPECT_EQ(p.nonces, std::vector<uint64_t>{42}) << "output untouched on failure";
  }
}

TEST(PcsProofCbor, CountsAboveTheCapsAreRejectedPerField) {
  const std::vector<uint8_t> bytes = map_of(valid_values(), kKeys);
  Proof p;
  const PcsProofLimits base{};
  auto with = [&](auto set) {
    PcsProofLimits l = base;
    set(l);
    return decode(bytes, &p, l);
  };
  EXPECT_EQ(with([](PcsProofLimits& l) { l.max_ext = 1; }).field, PcsProofField::kExt);
  EXPECT_EQ(with([](PcsProofLimits& l) { l.max_base = 1; }).field, PcsProofField::kBase);
  EXPECT_EQ(with([](PcsProofLimits& l) { l.max_digests = 1; }).field, PcsProofField::kDigests);
  EXPECT_EQ(with([](PcsProofLimits& l) { l.max_salts = 0; }).field, PcsProofField::kSalts);
  EXPECT_EQ(with([](PcsProofLimits& l) { l.max_nonces = 0; }).field, PcsProofField::kNonces);
  EXPECT_EQ(with([&bytes](PcsProofLimits& l) { l.max_bytes = bytes.size() - 1; }).format.code, FormatError::kInputTooLarge);
  EXPECT_TRUE(with([](PcsProofLimits&) {}).is_ok());
}

TEST(PcsProofCbor, KeysTypesAndFramingAreChecked) {
  Proof p;
  // A missing key (5 keys), an unknown seventh, keys out of order, a repeated key.
  const auto values = valid_values();
  EXPECT_FALSE(decode(map_of({values.begin(), values.begin() + 5}, {1, 2, 3, 4, 5}), &p).is_ok());
  auto v7 = valid_values();
  v7.push_back({});
  EXPECT_FALSE(decode(map_of(v7, {1, 2, 3, 4, 5, 6, 7}), &p).is_ok());
  // Keys out of order, and a repeated key, patched into a valid encoding
  // (the writer refuses both): key 3 sits at byte 87, key 4 at byte 105.
  {
    const std::vector<uint8_t> good = map_of(valid_values(), kKeys);
    ASSERT_EQ(good[87], 3);
    ASSERT_EQ(good[105], 4);
    std::vector<uint8_t> swapped = good, repeated = good;
    swapped[87] = 4;
    swapped[105] = 3;
    repeated[87] = 2;
    EXPECT_FALSE(decode(swapped, &p).is_ok());
    EXPECT_FALSE(decode(repeated, &p).is_ok());
  }
  // A field of the wrong type: an unsigned integer where the ext vector goes.
  {
    std::vector<uint8_t> out;
    CborWriter w(&out);
    w.begin_map(6);
    w.write_key(1).write_bytes(valid_values()[0]);
    w.write_key(2).write_uint(7);
    for (uint64_t k = 3; k <= 6; ++k) w.write_key(k).write_bytes(valid_values()[k - 1]);
    const PcsProofStatus st = decode(out, &p);
    EXPECT_EQ(st.field, PcsProofField::kExt);
    EXPECT_EQ(st.format.code, FormatError::kTypeMismatch);
  }
  // Not a map; a trailing byte; every truncation of a real proof.
  EXPECT_FALSE(decode({0x80}, &p).is_ok());
  auto trailing = map_of(valid_values(), kKeys);
  trailing.push_back(0);
  EXPECT_EQ(decode(trailing, &p).format.code, FormatError::kTrailingBytes);
  const std::vector<uint8_t> real = encode(make_real(3).proof);
  for (size_t cut = 0; cut < real.size(); cut += 1 + real.size() / 97) {
    const std::vector<uint8_t> t(real.begin(), real.begin() + cut);
    EXPECT_FALSE(decode(t, &p).is_ok()) << cut;
  }
}

// Seeds for fuzz/pcs_proof_fuzzer.cc: real proofs of its instance.
TEST(PcsProofCbor, FuzzCorpusSeedsAreRealProofs) {
  const std::filesystem::path dir = std::filesystem::path(ZKPOT_SOURCE_DIR) / "fuzz" / "corpus" / "pcs_proof";
  for (uint64_t seed : {11u, 12u}) {
    const std::vector<uint8_t> bytes = encode(make_real(seed).proof);
    const std::filesystem::path file = dir / ("real_seed" + std::to_string(seed) + ".cbor");
    if (std::getenv("ZKPOT_WRITE_PCS_CORPUS") != nullptr) {
      std::filesystem::create_directories(dir);
      std::ofstream(file, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                                  static_cast<std::streamsize>(bytes.size()));
    }
    std::ifstream f(file, std::ios::binary);
    const std::vector<uint8_t> on_disk((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    EXPECT_EQ(on_disk, bytes) << file << ": regenerate with ZKPOT_WRITE_PCS_CORPUS=1 " << "tests/pcs_proof_cbor_test";
  }
}

}  // namespace
}  // namespace zkpot
