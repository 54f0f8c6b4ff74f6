// Wire pieces of a training segment (docs/FORMAT.md "Training segment"): the
// fixed binary encoding of a commitment, its chain digest, and the PCS
// parameters a setup implies. Verifier code: statuses, no exceptions.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/pcs_params.h"
#include "common/pcs_proof.h"
#include "common/training_setup.h"
#include "formats/cbor_reader.h"

namespace zkpot {

inline constexpr std::string_view kWeightCommitmentPersonal = "zkpot/w-commit";
inline constexpr std::string_view kStepCommitmentPersonal = "zkpot/s-commit";

// Segment map keys.
enum TrainingSegmentKey : uint64_t {
  kSegKeyBegin = 1,
  kSegKeyEnd = 2,
  kSegKeyWeightsIn = 3,
  kSegKeyDataset = 4,
  kSegKeySteps = 5,
  kSegKeyCloseValues = 6,
  kSegKeyOpenings = 7,
};
enum TrainingStepKey : uint64_t { kStepKeyStack = 1, kStepKeyWeightsOut = 2, kStepKeyValues = 3 };
enum TrainingOpeningKey : uint64_t {
  kOpenKeyLayout = 1,
  kOpenKeyExt = 2,
  kOpenKeyBase = 3,
  kOpenKeyDigests = 4,
  kOpenKeySalts = 5,
  kOpenKeyNonces = 6,
};

// A segment map's step range, its first two pairs, read after the map's
// header (docs/FORMAT.md "Training segment"): false unless the keys are 1 and
// 2 and 1 <= t_end - t_begin <= kTrainingMaxSegmentSteps.
[[nodiscard]] inline bool read_training_segment_range(CborReader& r, uint64_t* t_begin, uint64_t* t_end) {
  uint64_t key_begin = 0, key_end = 0;
  return r.read_uint(&key_begin).is_ok() && key_begin == kSegKeyBegin && r.read_uint(t_begin).is_ok() &&
         r.read_uint(&key_end).is_ok() && key_end == kSegKeyEnd && r.read_uint(t_end).is_ok() &&
         *t_end > *t_begin && *t_end - *t_begin <= kTrainingMaxSegmentSteps;
}

// Encoded size of a commitment with the given counts.
inline size_t training_commitment_bytes(uint32_t slots, uint32_t main_ood, uint32_t helper_ood) {
  return 32 + 4 + 4 + slots + 32 + 4 + size_t{main_ood} * 48 + 32 + 4 + size_t{helper_ood} * 48;
}

namespace training_wire {
inline void put_u32(uint8_t*& p, uint32_t x) {
  for (int i = 0; i < 4; ++i) *p++ = static_cast<uint8_t>(x >> (8 * i));
}
inline uint32_t get_u32(const uint8_t*& p) {
  uint32_t x = 0;
  for (int i = 0; i < 4; ++i) x |= uint32_t{*p++} << (8 * i);
  return x;
}
}  // namespace training_wire

// Writes the commitment into out (exactly training_commitment_bytes long).
inline void encode_training_commitment(const PcsCommitment<GlExt3>& c, std::span<uint8_t> out) {
  using namespace training_wire;
  uint8_t* p = out.data();
  for (uint8_t b : c.layout_digest) *p++ = b;
  put_u32(p, c.num_vars);
  put_u32(p, c.num_slots);
  for (uint32_t i = 0; i < c.num_slots; ++i) *p++ = c.slot_vars[i];
  for (uint8_t b : c.main_root) *p++ = b;
  put_u32(p, c.main_ood);
  for (uint32_t i = 0; i < c.main_ood; ++i) {
    c.main_ood_points[i].encode(p);
    c.main_ood_answers[i].encode(p + 24);
    p += 48;
  }
  for (uint8_t b : c.helper_root) *p++ = b;
  put_u32(p, c.helper_ood);
  for (uint32_t i = 0; i < c.helper_ood; ++i) {
    c.helper_ood_points[i].encode(p);
    c.helper_ood_answers[i].encode(p + 24);
    p += 48;
  }
}

// Parses a commitment; false on any length, count or canonicity error.
[[nodiscard]] inline bool decode_training_commitment(std::span<const uint8_t> in, PcsCommitment<GlExt3>* c) {
  using namespace training_wire;
  if (in.size() < training_commitment_bytes(0, 0, 0)) return false;
  const uint8_t* p = in.data();
  const uint8_t* end = in.data() + in.size();
  for (uint8_t& b : c->layout_digest) b = *p++;
  c->num_vars = get_u32(p);
  c->num_slots = get_u32(p);
  if (c->num_slots == 0 || c->num_slots > kPcsMaxSlots) return false;
  if (static_cast<size_t>(end - p) < c->num_slots + 36) return false;
  for (uint32_t i = 0; i < c->num_slots; ++i) c->slot_vars[i] = *p++;
  for (uint8_t& b : c->main_root) b = *p++;
  c->main_ood = get_u32(p);
  if (c->main_ood > kPcsMaxOod || static_cast<size_t>(end - p) < size_t{c->main_ood} * 48 + 36) return false;
  for (uint32_t i = 0; i < c->main_ood; ++i) {
    if (!GlExt3::decode(p, &c->main_ood_points[i]) || !GlExt3::decode(p + 24, &c->main_ood_answers[i])) return false;
    p += 48;
  }
  for (uint8_t& b : c->helper_root) b = *p++;
  c->helper_ood = get_u32(p);
  if (c->helper_ood > kPcsMaxOod || static_cast<size_t>(end - p) != size_t{c->helper_ood} * 48) return false;
  for (uint32_t i = 0; i < c->helper_ood; ++i) {
    if (!GlExt3::decode(p, &c->helper_ood_points[i]) || !GlExt3::decode(p + 24, &c->helper_ood_answers[i]))
      return false;
    p += 48;
  }
  return true;
}

// The chain digest of a commitment: BLAKE2b-256 of its encoding under a
// personalisation per kind (weights, dataset), so no weight commitment can be
// passed off as a dataset commitment.
inline TrainingDigest training_commitment_digest(std::string_view personal, std::span<const uint8_t> encoded) {
  return Blake2b256::digest(personal, encoded.data(), encoded.size());
}

// The PCS parameters of a parameter set. The test set keeps 32 bits of
// security so that tests run fast; both raise the claim cap to one claim per
// weight slot. The production set is the default set with the helper run at
// rate 2^-4 instead of 2^-6 (docs/PROTOCOL.md §9.5): a training
// commitment's helper table G is 2^17-2^18 values whatever the size of the
// committed table, so at rate 2^-6 its codeword (2^23-2^24 symbols) was larger
// than the main one for every weight commitment and as large as a 2^22 stack's,
// and committing it was 70-80% of each commitment's time. Security and the
// windows of rule (Z) are recomputed by pcs_layout for the new rate. It grinds
// 16 bits per round, not the default set's 20: a segment opens several
// commitments, and the prover's time per step counts more there than the
// bytes (about 3% of a segment) that more grinding would save.
inline PcsParams training_pcs_params(TrainingParameterSet ps) {
  PcsParams p = ps == TrainingParameterSet::kTestOnly ? pcs_params_test(32, true) : pcs_params_default();
  if (ps != TrainingParameterSet::kTestOnly) {
    p.helper.log_inv_rate = 4;
    p.main.pow_bits = 16;
    p.helper.pow_bits = 16;
  }
  p.max_claims = 2 * kTrainingMaxLayers;
  if (ps == TrainingParameterSet::kTestOnly) p.name = "zkpot-train-test-zk";
  else p.name = "zkpot-train-whir-jb100-zk";
  return p;
}

// Variables of a stacked commitment of the given slots (largest first, aligned).
inline uint32_t training_slots_vars(std::span<const uint8_t> slot_vars) {
  uint64_t total = 0;
  for (uint8_t v : slot_vars) total += uint64_t{1} << v;
  uint32_t k = 0;
  while ((uint64_t{1} << k) < total) ++k;
  return k == 0 ? 1 : k;  // as PcsProver::stacked_vars
}

}  // namespace zkpot
